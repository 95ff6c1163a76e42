"""Extract facts from one unit of text: a source criterion or one plain-English sentence.

The same code reads both, so "ALT \\<5 times the normal value" and "your ALT must be under five times the
upper limit of normal" give equal thresholds. Steps: normalise (with an offset map), find numbers, parse
value expressions, find glossary terms, then attribute each value to what it measures and classify it as a
threshold, a time window or a count; named terms become items. Spans are offsets into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from translator.facts.context import Context
from translator.facts.glossary import TermFinder, TermHit, default_finder
from translator.facts.lexicon import Lexicon, UnitRule, lexicon
from translator.facts.normalize import Normalized, normalize
from translator.facts.numbers import scan_numbers
from translator.facts.types import (
    Count,
    Facts,
    Interval,
    Item,
    Origin,
    Polarity,
    Span,
    Threshold,
    TimeRelation,
    TimeWindow,
    flip,
)
from translator.facts.values import ExpressionParser, ValueExpr

_WORD = re.compile(r"[a-z][a-z0-9'µ-]*")
_AGE_AFTER = re.compile(r"[ \t]*(?:of[ \t]+age|old|of[ \t]+age[ \t]+or[ \t]+older|years?[ \t]+of[ \t]+age)(?![a-z])")
_WITHIN_REV = re.compile(
    r"[ \t]*(?:(?:[≥≤<>=]|than|to|up)[ \t]*)*(?:(?:eht[ \t]+)?(?:tsal|tsap|suoiverp|gnideceerp|tnecer)[ \t]+eht[ \t]+"
    r"(?:ni|gnirud|revo)|nihtiw|ni|gnirud|revo|tsal[ \t]+eht[ \t]+ni|tsap[ \t]+eht[ \t]+ni)(?![a-z])"
)
_FOR_REV = re.compile(r"[ \t]*(?:(?:tsael[ \t]+ta|[≥≤<>])[ \t]*)?rof(?![a-z])")
_REFERENCE_AFTER = re.compile(
    r"[ \t]*(?:\)[ \t]*)?(?P<rel>prior[ \t]+to|before|preceding|ago|since|after|following|from|of|until|post|"
    r"pre|to)(?![a-z])[ \t]*(?:the[ \t]+|a[ \t]+|your[ \t]+)?"
)
_COUNT_LEAD = re.compile(r"[ \t]*(?:\((?:[^)]{0,3})\)[ \t]*)?(?:of[ \t]+(?:the[ \t]+|these[ \t]+|those[ \t]+)?)?")
_REFERENCE_TEXT = re.compile(r"[^,;.()\[\]\n]{1,60}")
_COUNT_TEXT = re.compile(r"[a-z][a-z0-9' -]{0,60}")
_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "this", "that", "your", "their", "his", "her", "its"})
_FUNCTION_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "and",
        "or",
        "with",
        "within",
        "from",
        "than",
        "least",
        "most",
        "more",
        "less",
        "no",
        "not",
        "any",
        "your",
        "you",
        "have",
        "has",
        "had",
        "been",
        "be",
        "is",
        "are",
        "was",
        "were",
        "who",
        "which",
        "that",
        "must",
        "each",
        "during",
        "prior",
        "before",
        "after",
        "last",
        "past",
        "previous",
    }
)
_PREPOSITIONS = frozenset(
    {"for", "with", "in", "of", "on", "at", "by", "during", "within", "and", "or", "to", "from", "that", "which"}
)
_NOT_COUNTED = frozenset(
    {"or", "and", "to", "times", "x", "than", "of", "in", "per", "mg", "ml", "is", "are", "was", "were", "be", "if"}
)
_JOINERS = re.compile(r"^[\s,/&]*(?:and/or|and|or|&|/)?[\s,/&]*$")
_ENTITY_KINDS = ("measure", "test")
_ITEM_KINDS = ("condition", "drug", "procedure", "status", "event", "test", "measure", "other")
_CLAUSE_TEXT = re.compile(r"[^;.()\[\]:\n]+")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|/|\band/or\b|\bor\b|\band\b|\bnor\b)\s*")


SUBJECT_REACH = 120
"""Characters before a value searched for what it measures."""


@dataclass(frozen=True)
class Unit:
    """One piece of text to read: a criterion of the source or a sentence of a plain text."""

    text: str
    offset: int
    origin: Origin
    polarity: Polarity
    negation_from: int = 0
    """Offset in ``text`` before which negation cues do not count (a plain sentence's "You cannot join if")."""


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


class _Reader:
    """Extraction state for one unit."""

    def __init__(self, unit: Unit, finder: TermFinder, lex: Lexicon) -> None:
        self.unit = unit
        self.lex = lex
        self.norm: Normalized = normalize(unit.text)
        self.low = _lower(self.norm.text)
        self.ctx = Context.of(self.low, lex)
        self.hits: list[TermHit] = finder.find(self.norm.text)
        self.hit_starts = [h.start for h in self.hits]
        self.entity_hits: set[int] = set()
        self.negation_from = self.norm.from_original(unit.negation_from)
        self.thresholds: list[Threshold] = []
        self.windows: list[TimeWindow] = []
        self.counts: list[Count] = []
        self.value_spans: list[tuple[int, int]] = []
        self.context_end = 0
        """Where the context read for the last value ends (its reference point), so the next value's
        subject is looked for after it."""

    # -- spans and context ----------------------------------------------------------------------------
    def span(self, start: int, end: int) -> Span:
        orig_start, orig_end = self.norm.span(start, end)
        return Span(self.unit.offset + orig_start, self.unit.offset + orig_end)

    def polarity_at(self, position: int, window_start: int, *, item: bool = False) -> tuple[Polarity, bool, bool]:
        negated = self.ctx.negated(position, max(window_start, self.negation_from), across_commas=item)
        exception = self.ctx.exception_before(position)
        polarity = self.unit.polarity
        if negated:
            polarity = flip(polarity)
        if exception:
            polarity = flip(polarity)
        return polarity, negated, exception

    def hits_between(self, start: int, end: int) -> list[TermHit]:
        """Glossary hits that lie wholly inside [start, end)."""
        first = bisect_left(self.hit_starts, start)
        found: list[TermHit] = []
        for hit in self.hits[first:]:
            if hit.start >= end:
                break
            if hit.end <= end:
                found.append(hit)
        return found

    def content_words(self, start: int, end: int) -> list[str]:
        return [w for w in _WORD.findall(self.low[start:end]) if w not in self.lex.generic_words]

    # -- values ---------------------------------------------------------------------------------------
    def read_values(self) -> None:
        numbers = scan_numbers(self.low, self.norm.text, self.lex)
        expressions = ExpressionParser(self.low, self.norm.text, numbers, self.lex).parse()
        previous_end = 0
        self.value_spans = [(e.start, e.end) for e in expressions]
        for expr in expressions:
            window_start = max(self.ctx.clause_start(expr.start), previous_end, expr.start - SUBJECT_REACH)
            self.context_end = expr.end
            self._classify(expr, window_start)
            previous_end = max(expr.end, self.context_end)

    def _classify(self, expr: ValueExpr, window_start: int) -> None:
        unit = expr.unit
        entities = self._entities(expr, window_start)
        is_age = (entities and entities[0][0] == "age") or self._age_context(expr, window_start)
        if unit is not None and unit.window and not is_age:
            if entities and entities[0][2]:
                self._thresholds(expr, window_start, entities)
            else:
                self._window(expr, window_start)
            return
        if is_age:
            self._thresholds(expr, window_start, [("age", None, True)])
            return
        measured = bool(entities) and entities[0][2]
        if unit is None and expr.reference is None and not expr.class_value and not measured:
            if self._count(expr, window_start):
                return
            if not expr.has_comparator:
                return
        if entities:
            self._thresholds(expr, window_start, entities)

    def _age_context(self, expr: ValueExpr, window_start: int) -> bool:
        if expr.implies_age:
            return True
        unit = expr.unit
        if unit is None or unit.dimension != "time" or unit.id in ("hours", "minutes"):
            return False
        if _AGE_AFTER.match(self.low, expr.end) or self.low[expr.start : expr.end].endswith(("old", " yo")):
            return True
        return any(w in self.lex.age_cues for w in _WORD.findall(self.low[window_start : expr.start]))

    def _entities(self, expr: ValueExpr, window_start: int) -> list[tuple[str, TermHit | None, bool]]:
        """What the value measures: [(entity, hit, is_measure)], several for "AST/ALT ≤ 3 × ULN"."""
        if expr.entity_words:
            return [self._raw_or_term(expr.entity_words)]
        left = self.hits_between(window_start, expr.start)
        measures = [h for h in left if h.term.kind in _ENTITY_KINDS]
        if measures:
            chain = [measures[-1]]
            for hit in reversed(measures[:-1]):
                if _JOINERS.match(self.low[hit.end : chain[-1].start]):
                    chain.append(hit)
                else:
                    break
            return [(h.term.id, h, True) for h in reversed(chain)]
        if left:
            hit = left[-1]
            return [(hit.term.id, hit, False)]
        words = self.content_words(window_start, expr.start)[-4:]
        if words:
            return [("raw:" + " ".join(words), None, False)]
        inherited = self._inherited(expr)
        if inherited is not None:
            return [inherited]
        right_end = min(self.ctx.clause_end(expr.end), expr.end + 48)
        right = self.hits_between(expr.end, right_end)
        if right:
            best = next((h for h in right if h.term.kind in _ENTITY_KINDS), right[0])
            return [(best.term.id, best, best.term.kind in _ENTITY_KINDS)]
        words = self.content_words(expr.end, right_end)[:4]
        if words:
            return [("raw:" + " ".join(words), None, False)]
        return []

    def _raw_or_term(self, phrase: str) -> tuple[str, TermHit | None, bool]:
        if phrase.strip() in ("age", "aged"):
            return ("age", None, True)
        return ("raw:" + " ".join(phrase.split()), None, False)

    def _inherited(self, expr: ValueExpr) -> tuple[str, TermHit | None, bool] | None:
        """A limit in brackets with no subject of its own belongs to the limit before it (a conditional)."""
        if self.ctx.enclosing_bracket(expr.start) is None or not self.thresholds:
            return None
        last = self.thresholds[-1]
        return (last.entity, None, last.known_entity)

    def _canonical(self, expr: ValueExpr) -> tuple[Interval, str | None]:
        unit = expr.unit
        if unit is None:
            return expr.interval, ("grade" if expr.class_value else None)
        canonical = self._canonical_unit(unit)
        return expr.interval.scaled(unit.factor), canonical

    def _canonical_unit(self, unit: UnitRule) -> str:
        for candidate in self.lex.units.units:
            if candidate.dimension == unit.dimension and candidate.factor == 1:
                return candidate.id
        return unit.id

    def _thresholds(self, expr: ValueExpr, window_start: int, entities: list[tuple[str, TermHit | None, bool]]) -> None:
        interval, unit = self._canonical(expr)
        if expr.number.kind == "titer":
            unit = "titer"
        if unit is None and entities[0][0] == "age" and expr.reference is None:
            interval, unit = interval.scaled(self.lex.unit_by_id["years"].factor), "days"  # "18 or older"
        polarity, negated, exception = self.polarity_at(expr.start, window_start)
        condition = self.ctx.condition_of(expr.start)
        stated = self.norm.text[expr.start : expr.end]
        for entity, hit, _ in entities:
            if hit is not None:
                self.entity_hits.add(hit.start)
            self.thresholds.append(
                Threshold(
                    span=self.span(expr.start, expr.end),
                    origin=self.unit.origin,
                    polarity=polarity,
                    negated=negated,
                    exception=exception,
                    entity=entity,
                    interval=interval,
                    unit=unit,
                    reference=expr.reference,
                    condition=condition,
                    entity_span=self.span(hit.start, hit.end) if hit else None,
                    stated=stated,
                )
            )
        if expr.number.kind == "pair" and expr.number.second is not None:
            self._diastolic(expr, polarity, negated, exception, stated)

    def _diastolic(self, expr: ValueExpr, polarity: Polarity, negated: bool, exception: bool, stated: str) -> None:
        systolic = self.thresholds[-1]
        assert expr.number.second is not None
        op_interval = expr.interval
        second = expr.number.second
        interval = Interval(
            second if op_interval.low is not None else None,
            op_interval.low_inclusive,
            second if op_interval.high is not None else None,
            op_interval.high_inclusive,
        )
        self.thresholds[-1] = replace(systolic, entity="systolic_blood_pressure")
        self.thresholds.append(
            Threshold(
                span=systolic.span,
                origin=self.unit.origin,
                polarity=polarity,
                negated=negated,
                exception=exception,
                entity="diastolic_blood_pressure",
                interval=interval,
                unit=systolic.unit,
                stated=stated,
            )
        )

    def _window(self, expr: ValueExpr, window_start: int) -> None:
        unit = expr.unit
        assert unit is not None
        rev = self.low[max(0, expr.start - 40) : expr.start][::-1]
        after = _REFERENCE_AFTER.match(self.low, expr.end)
        relation = self._relation(expr, rev, after.group("rel") if after else None)
        interval = expr.interval
        if not expr.has_comparator and relation == "within":
            interval = Interval(None, True, interval.high, True)
        days = interval.scaled(unit.factor) if unit.dimension == "time" else None
        polarity, negated, exception = self.polarity_at(expr.start, window_start)
        self.windows.append(
            TimeWindow(
                span=self.span(expr.start, expr.end),
                origin=self.unit.origin,
                polarity=polarity,
                negated=negated,
                exception=exception,
                event=self._event(expr, window_start),
                relation=relation,
                interval=interval,
                unit=unit.id,
                days=days,
                reference=self._reference_point(after.end() if after else None),
                stated=self.norm.text[expr.start : expr.end],
            )
        )

    def _relation(self, expr: ValueExpr, rev: str, after: str | None) -> TimeRelation:
        """within (at most N before), at_least (N or more before/after), for (a duration), after."""
        if _WITHIN_REV.match(rev):
            return "within"
        if _FOR_REV.match(rev):
            return "for"
        interval = expr.interval
        lower_bound_only = interval.low is not None and interval.high is None
        if after in ("after", "following", "post", "from"):
            return "at_least" if lower_bound_only else "after"
        if lower_bound_only:
            return "at_least"
        if interval.low is None and interval.high is not None:
            return "within"
        if after in ("prior to", "before", "preceding", "ago", "pre", "since", "of"):
            return "within"
        return "for"

    def _event(self, expr: ValueExpr, window_start: int) -> str:
        left = self.hits_between(window_start, expr.start)
        events = [h for h in left if h.term.kind != "reference_point"]
        if events:
            return events[-1].term.id
        words = [w for w in _WORD.findall(self.low[window_start : expr.start]) if w not in _FUNCTION_WORDS][-4:]
        return "raw:" + " ".join(words) if words else "raw:"

    def _reference_point(self, position: int | None) -> str | None:
        if position is None:
            return None
        end = min(self.ctx.clause_end(position), position + 60)
        for hit in self.hits_between(position, end + 40):
            if hit.start < end and hit.term.kind == "reference_point":
                self.context_end = hit.end
                return hit.term.id
        phrase = _REFERENCE_TEXT.match(self.low, position)
        words = [w for w in _WORD.findall(phrase.group()) if w not in _DETERMINERS][:3] if phrase else []
        if phrase:
            self.context_end = phrase.end()
        return " ".join(words) if words else None

    def _count(self, expr: ValueExpr, window_start: int) -> bool:
        """ "at least 2 of the following treatments", "two effective contraception methods"."""
        lead = _COUNT_LEAD.match(self.low, expr.end)
        start = lead.end() if lead else expr.end
        phrase = _COUNT_TEXT.match(self.low, start)
        words = [w for w in _WORD.findall(phrase.group()) if w not in _DETERMINERS] if phrase else []
        if not words or words[0] in _NOT_COUNTED:
            return False
        stop = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), len(words))
        words = words[:stop] or words[:1]
        content = [w for w in words if w not in self.lex.generic_words] or words
        polarity, negated, exception = self.polarity_at(expr.start, window_start)
        self.counts.append(
            Count(
                span=self.span(expr.start, expr.end),
                origin=self.unit.origin,
                polarity=polarity,
                negated=negated,
                exception=exception,
                what=" ".join(content[:3]),
                interval=expr.interval,
                stated=self.norm.text[expr.start : expr.end],
            )
        )
        return True

    # -- items ----------------------------------------------------------------------------------------
    def read_items(self) -> list[Item]:
        items: list[Item] = []
        covered: list[tuple[int, int]] = list(self.value_spans)
        for hit in self.hits:
            if hit.term.kind == "reference_point" or hit.start in self.entity_hits:
                continue
            if hit.term.kind not in _ITEM_KINDS:
                continue
            items.append(self._item(hit.start, hit.end, hit.term.id, listed=False))
        covered.extend((hit.start, hit.end) for hit in self.hits)
        items.extend(self._listed_items(covered))
        items.sort(key=lambda i: i.span.start)
        return items

    def _item(self, start: int, end: int, concept: str | None, *, listed: bool) -> Item:
        clause = self.ctx.clause_start(start)
        polarity, negated, exception = self.polarity_at(start, clause, item=True)
        if not negated and self.ctx.negated_after(end):
            polarity, negated = flip(polarity), True
        text = self.norm.text[start:end]
        return Item(
            span=self.span(start, end),
            origin=self.unit.origin,
            polarity=polarity,
            negated=negated,
            exception=exception,
            concept=concept,
            key=tuple(self.content_words(start, end)),
            text=text,
            listed=listed,
        )

    def _listed_items(self, covered: list[tuple[int, int]]) -> list[Item]:
        """Elements of an enumeration the glossary does not know: "psychological, sociological or ..."."""
        items: list[Item] = []
        for start, end in _enumerations(self.low):
            if any(s < end and start < e for s, e in covered):
                continue
            words = self.content_words(start, end)
            if words and not any(ch.isdigit() for ch in self.low[start:end]):
                items.append(self._item(start, end, None, listed=True))
        return items


def _enumerations(low: str) -> list[tuple[int, int]]:
    """Element spans of comma/or/and lists of short phrases (at least three elements, or two after "either")."""
    spans: list[tuple[int, int]] = []
    for clause in _CLAUSE_TEXT.finditer(low):
        parts: list[tuple[int, int]] = []
        position = clause.start()
        for sep in _LIST_SPLIT.finditer(low, clause.start(), clause.end()):
            parts.append((position, sep.start()))
            position = sep.end()
        parts.append((position, clause.end()))
        parts = [(s, e) for s, e in parts if e > s and low[s:e].strip()]
        if len(parts) >= 3 and all(len(low[s:e].split()) <= 4 for s, e in parts[1:]):
            spans.extend(_trim(low, s, e) for s, e in parts)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def extract_unit(unit: Unit, finder: TermFinder | None = None, lex: Lexicon | None = None) -> Facts:
    reader = _Reader(unit, finder or default_finder(), lex or lexicon())
    reader.read_values()
    items = reader.read_items()
    return Facts(tuple(reader.thresholds), tuple(reader.windows), tuple(reader.counts), tuple(items))
