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
from operator import attrgetter

from translator.facts.ages import bare_age, people_follow, reads_as_age
from translator.facts.bounds import merge_bounds
from translator.facts.conditions import Condition, condition_for
from translator.facts.context import Context
from translator.facts.counts import read_count_before, read_frequency, read_sample_size
from translator.facts.entities import entities_of, is_stage
from translator.facts.frozen import quick_init
from translator.facts.glossary import TermFinder, TermHit, default_finder
from translator.facts.items import read_items
from translator.facts.lexicon import Lexicon, lexicon
from translator.facts.measures import (
    Entity,
    counts_a_noun,
    duration_measure,
    duration_named_after,
    in_a_name,
    measure_adjacent,
    measure_named_before,
    scale_of,
)
from translator.facts.negation_scope import names_unmarked
from translator.facts.normalize import Normalized, normalize
from translator.facts.numbers import scan_numbers
from translator.facts.rule_files import UnitRule
from translator.facts.subjects import (
    Stated,
    counted_measure,
    dose_frequency,
    part_of_score,
    spread_conditions,
)
from translator.facts.types import (
    Count,
    Facts,
    Interval,
    Origin,
    Polarity,
    Span,
    Threshold,
    TimeWindow,
    flip,
)
from translator.facts.value_context import ValueExpr, scale_range_spans, states_a_scale
from translator.facts.values import ExpressionParser
from translator.facts.windows import read_window

_WORD = re.compile(r"[a-z][a-z0-9'µ-]*")
_AGE_LATER = re.compile(r"(?:o(?<![a-z]o)(?:lder|f age)|y(?<![a-z]y)(?:ounger|ears old|ears of age))(?![a-z])")
"""``(?<![a-z])(?:older|younger|years old|years of age|of age)(?![a-z])``, written to open with literals (the
look-behind after them), so that ``re`` scans for them instead of trying the pattern at every position."""
_PREMISE = re.compile(r"[\s*-]*(?:if|when|in[ \t]+(?:the[ \t]+)?case(?:[ \t]+of)?)(?![a-z])[^,;:.()]*")
"""The words of a leading if-clause up to a value in it ("If your creatinine is ")."""
_LIST_GOES_ON = re.compile(r"[ \t]*(?:or|and)(?![a-z])")
"""After the comma of an if-clause, a list of conditions goes on: the clause is one of them, not a premise."""
_NOT_CONTROLLED = re.compile(
    r"(?<![a-z])not[ \t]+(?:well[ \t]+|adequately[ \t]+)?(?:controlled|under[ \t]+control)[ \t]*$"
)
RECOVERY_REACH = 90
"""Characters before a limit in which "not resolved to" may start."""
_SENTENCE_CUE_IF = re.compile(r"(?:if|when)(?![a-z])")


SUBJECT_REACH = 120
"""Characters before a value searched for what it measures."""
RELATIVE_REACH = 8
"""Limits looked back over for the reference of a bare multiple ("or up to 5 times")."""


@quick_init
@dataclass(frozen=True)
class Unit:
    """One piece of text to read: a criterion of the source or a sentence of a plain text."""

    text: str
    offset: int
    origin: Origin
    polarity: Polarity
    negation_from: int = 0
    """Offset in ``text`` before which negation cues do not count (a plain sentence's "You cannot join if")."""
    subjects: tuple[str, ...] = ()
    """The measures of the last limit read before this unit in the same criterion: "AST/ALT ≤ 2.5 × ULN. NOTE:
    ≤ 5 × ULN is acceptable if liver metastases are present" (the note is a unit of its own)."""


_start = attrgetter("start")


def lower_in_place(text: str) -> str:
    """``text.lower()``, except for characters whose lower case is longer ("İ"): offsets into the result are
    offsets into ``text``."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


class Reader:
    """Extraction state for one unit."""

    def __init__(self, unit: Unit, finder: TermFinder, lex: Lexicon) -> None:
        self.unit = unit
        self.lex = lex
        self.norm: Normalized = normalize(unit.text)
        self.low = lower_in_place(self.norm.text)
        self.hits: list[TermHit] = finder.find(self.norm.text)
        self.hit_starts = [h.start for h in self.hits]
        self.ctx = Context.of(names_unmarked(self.low, self.hits, self.hit_starts, lex), lex, tuple(self.hits))
        self.entity_hits: set[int] = set()
        self.measure_phrases: list[tuple[int, int]] = []
        """From the end of each limit's measure named before it to the limit: what may describe the measure."""
        self.negation_from = self.norm.from_original(unit.negation_from)
        self.thresholds: list[Threshold] = []
        self.windows: list[TimeWindow] = []
        self.counts: list[Count] = []
        self.value_spans: list[tuple[int, int]] = []
        self.expressions: list[ValueExpr] = []
        self.condition_spans: list[tuple[int, int]] = []
        self.reference_spans: list[tuple[int, int]] = []
        """Reference points of windows with what they belong to ("the first dose of the study drug")."""
        self.age_words = [m.start() for m in _AGE_LATER.finditer(self.low)]
        self.next_value_start = 0
        self.last_entities: list[Entity] = [(s, None, True) for s in unit.subjects]
        self.condition_after = False
        self.previous_end = 0
        """Where the value before the one being read ends (with the context read for it)."""
        """Whether the condition of the last limit read follows it (so it may hold for limits joined before it)."""
        self.context_end = 0
        """Where the context read for the last value ends (its reference point), so the next value's
        subject is looked for after it."""

    # -- spans and context ----------------------------------------------------------------------------
    def span(self, start: int, end: int) -> Span:
        orig_start, orig_end = self.norm.span(start, end)
        return Span(self.unit.offset + orig_start, self.unit.offset + orig_end)

    def polarity_at(self, position: int, window_start: int, *, item: bool = False) -> tuple[Polarity, bool, bool]:
        """(polarity after local negation, negated, inside an exception clause); callers apply the exception."""
        cue = self.ctx.negation_cue(position, max(window_start, self.negation_from), across_commas=item)
        exception = self.ctx.exception_before(position)
        if cue is not None and self._in_condition(cue):
            cue = None  # "< 2.5 × ULN if no liver metastases or < 5 × ULN ...": the "no" is the condition's
        if cue is None:
            return self.unit.polarity, False, exception
        polarity: Polarity = "exclude" if self.ctx.prohibits(cue) else flip(self.unit.polarity)
        return polarity, True, exception

    def _in_condition(self, position: int) -> bool:
        """Is ``position`` in the condition of a limit read before it (conditions are read in text order)?"""
        for start, end in reversed(self.condition_spans):
            if end <= position:
                return False
            if start <= position:
                return True
        return False

    def value_polarity(
        self, position: int, window_start: int, interval: Interval | None = None
    ) -> tuple[Polarity, bool, bool]:
        """A limit inside an exception clause states when a person may still join ("unless viral load < 50",
        "except Gilbert's syndrome, bilirubin ≤ 3 × ULN"): it is a requirement, whatever the section. An upper
        limit in a bracket after "not well controlled" defines control, which the words negate ("Blood pressure
        is not well controlled (with 2 or fewer drugs, systolic ≤ 150 mmHg ...)")."""
        if self._premise(position):
            return "include", False, False
        polarity, negated, exception = self.polarity_at(position, window_start)
        upper = interval is not None and interval.low is None and interval.high is not None
        if (upper and self._defines_control(position)) or (not negated and self._recovery_target(position)):
            polarity, negated = flip(polarity), True
        return ("include" if exception else polarity), negated, exception

    def _premise(self, position: int) -> bool:
        """ "If creatinine 1.0 - 1.5 x ULN, creatinine clearance ... < 60 mL/min should be excluded": a limit in a
        leading if-clause is the circumstance another limit applies in, neither a requirement nor a reason to
        exclude; it is read on the eligible side whatever the sentence goes on to say, in both texts alike."""
        start = self.ctx.sentence_start(position)
        if _PREMISE.fullmatch(self.low, start, position) is None:
            return False
        comma = self.low.find(",", position, self.ctx.sentence_end(position))
        return comma >= 0 and not _LIST_GOES_ON.match(self.low, comma + 1)  # "...; if X is over 2, or you are on Y"

    def _recovery_target(self, position: int) -> bool:
        """ "Toxicities that have not resolved to grade ≤ 1": the limit is the level not yet come back to."""
        return self.lex.recovery_target.search(self.low, max(0, position - RECOVERY_REACH), position) is not None

    def _defines_control(self, position: int) -> bool:
        bracket = self.ctx.enclosing_bracket(position)
        return bracket is not None and _NOT_CONTROLLED.search(self.low, max(0, bracket[0] - 40), bracket[0]) is not None

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
        scales = scale_range_spans(self.low, self.lex)
        expressions = [e for e in expressions if not in_a_name(self, e) and not states_a_scale(e, scales)]
        previous_end = 0
        self.expressions = expressions
        self.value_spans = [(e.start, e.end) for e in expressions]
        stated: list[Stated] = []
        for index, expr in enumerate(expressions):
            following = expressions[index + 1].start if index + 1 < len(expressions) else len(self.low)
            self.next_value_start = following
            window_start = max(self.ctx.clause_start(expr.start), previous_end, expr.start - SUBJECT_REACH)
            self.context_end = expr.end
            self.previous_end = previous_end
            before = len(self.thresholds)
            self._classify(expr, window_start)
            stated += [Stated(expr.start, expr.end, self.condition_after)] * (len(self.thresholds) - before)
            # never backwards: a restatement ("(126 mg/dl)") sits inside the limit before it
            previous_end = max(previous_end, expr.end, self.context_end)
        self.thresholds = merge_bounds(spread_conditions(self, self.thresholds, stated))

    def _classify(self, expr: ValueExpr, window_start: int) -> None:
        if read_sample_size(self, expr, window_start):
            return
        expr = dose_frequency(self, expr)
        if (counted := counted_measure(self, expr) or part_of_score(self, expr)) is not None:
            self._thresholds(counted[0], window_start, [counted[1]])  # "100,000 platelets per microliter"
            return
        unit = expr.unit
        entities = entities_of(self, expr, window_start)
        if expr.class_value:
            entities = [scale_of(self, entity) for entity in entities]
        is_age = reads_as_age(self, expr, window_start, bool(entities) and entities[0][0] == "age")
        if expr.unit is None and not measure_named_before(self, entities, expr):
            is_age = is_age or bare_age(self, expr, window_start)
        if unit is not None and unit.window and (named_after := duration_named_after(self, expr)) is not None:
            self._thresholds(expr, window_start, [named_after])  # "< 28 weeks gestation", "24-34 weeks of gestation"
            return
        if unit is not None and unit.window and not is_age:
            if read_frequency(self, expr, window_start):
                return  # "on at least 4 days per week": how often, not how long ago
            if duration_measure(self, entities, expr):
                self._thresholds(expr, window_start, entities)  # "life expectancy > 3 months"
            else:
                read_window(self, expr, window_start)  # "pregnancy test within 7 days"
            return
        if is_age:
            self._thresholds(expr, window_start, [("age", None, True)])
            return
        bare = unit is None and expr.reference is None and not expr.class_value
        people = not expr.has_comparator and entities[:1] == [("age", None, True)] and people_follow(self, expr)
        countable = bare and (people or not measure_adjacent(self, entities, expr))
        if countable and counts_a_noun(self, expr, window_start, entities):
            return
        measured = bool(entities) and entities[0][2]
        if bare and not measured and not expr.has_comparator:
            return
        if bare and not measured and read_count_before(self, expr, window_start):
            return  # "Prior lines of systemic anti-tumor therapy ≥ 2"
        if expr.unit is not None and expr.unit.entity and not (entities and entities[0][2]):
            entities = [(expr.unit.entity, None, True)]  # "it is under 60 mL/min"
        if entities:
            self._thresholds(expr, window_start, entities)

    def _names_only_its_measure(self, found: Condition, entities: list[Entity]) -> bool:
        """Does the condition name the limit's own measure and nothing else ("if the DAS28 is 3.2 or less")?"""
        measures = {entity for entity, _, measured in entities if measured}
        for hit in self.hits_between(found.start, found.end):
            if hit.term.id in measures and found.text.split() == _WORD.findall(self.low, hit.start, hit.end):
                return True
        return False

    def _opens_sentence_cue(self, position: int) -> bool:
        """Is the condition cue at ``position`` the "if" after a sentence's leading cue ("You cannot join if")? After a
        trailing cue ("≤ 5 × ULN is acceptable if liver metastases") it is the limit's condition."""
        cue_end = self.negation_from
        return (
            0 < cue_end <= position
            and not self.low[cue_end:position].strip()
            and not any(start < cue_end for start, _ in self.value_spans)
            and bool(_SENTENCE_CUE_IF.match(self.low, position))
        )

    def _reference_before(self) -> str | None:
        """The reference of the last relative limit read: "no more than 3 times the normal value, or up to 5 times"."""
        return next((t.reference for t in reversed(self.thresholds[-RELATIVE_REACH:]) if t.reference), None)

    def _reference_after(self, expr: ValueExpr) -> str | None:
        """The reference of the next multiple in the sentence, for a first one that has none: "ALT and AST > 2
        folds or ALT or AST > 3 folds as high as maximal normal value". A value that is no multiple ends the run."""
        end = self.ctx.sentence_end(expr.start)
        for later in self.expressions[bisect_left(self.expressions, expr.start, key=_start) + 1 :]:
            if later.start >= end or not (later.relative or later.reference):
                return None
            if later.reference:
                return later.reference
        return None

    def _canonical(self, expr: ValueExpr) -> tuple[Interval, str | None]:
        unit = expr.unit
        if unit is None:
            return expr.interval, ("grade" if expr.class_value else None)
        canonical = self._canonical_unit(unit)
        return expr.interval.scaled(unit.factor), canonical

    def _canonical_unit(self, unit: UnitRule) -> str:
        return self.lex.canonical_units.get(unit.dimension, unit.id)

    def _thresholds(self, expr: ValueExpr, window_start: int, entities: list[Entity]) -> None:
        interval, unit = self._canonical(expr)
        if expr.number.kind == "titer":
            unit = "titer"
        if unit is None and entities[0][0] == "age" and expr.reference is None:
            interval, unit = interval.scaled(self.lex.unit_by_id["years"].factor), "days"  # "18 or older"
        polarity, negated, exception = self.value_polarity(expr.start, window_start, expr.interval)
        reference = expr.reference or (
            (self._reference_before() or self._reference_after(expr)) if expr.relative else None
        )
        # a condition before the limit may be further than its subject, over asides: "If you have Gilbert's syndrome
        # (a harmless inherited condition ...), your total bilirubin (a liver test) can be up to 3 times ..."
        condition_start = max(self.ctx.clause_start(expr.start), self.previous_end)
        found = condition_for(self.ctx, expr.start, expr.end, condition_start, self.next_value_start)
        if found is not None and self._opens_sentence_cue(found.start):
            found = None  # the "if" of "You cannot join if you have HIV, unless ... < 50" opens the rule
        if found is not None and self._names_only_its_measure(found, entities):
            found = None  # "(... is considered low if the DAS28 is 3.2 or less)": the limit restated, no condition
        condition = found.text if found else None
        if found is not None:
            self.condition_spans.append((found.start, found.end))
            if not entities[0][2] and self.last_entities:
                entities = self.last_entities  # "≤ 2.5 × ULN. NOTE: ≤ 5 × ULN is acceptable if ..."
        if entities[0][2]:
            self.last_entities = entities  # "< 2.5 × ULN without liver metastases; < 5 × ULN with them"
        self.condition_after = found is not None and found.start >= expr.end
        stated = self.norm.text[expr.start : expr.end]
        for entity, hit, _ in entities:
            if hit is not None and not (hit.start >= expr.end and is_stage(self, expr)):
                self.entity_hits.add(hit.start)  # "stage III NSCLC" limits the stage, and names NSCLC too
            if hit is not None and hit.end <= expr.start:
                self.measure_phrases.append((hit.end, expr.start))
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
                    reference=reference,
                    condition=condition,
                    entity_span=self.span(hit.start, hit.end) if hit else None,
                    stated=stated,
                    restates=expr.restates,
                    premise=self._premise(expr.start),
                    members=expr.members,
                )
            )
        if expr.number.kind == "pair" and expr.number.second is not None:
            self._diastolic(expr, polarity, negated, exception, stated)
        self._read_name_after(expr, {entity for entity, _, _ in entities})

    def _read_name_after(self, expr: ValueExpr, measures: set[str]) -> None:
        """A scale named right after its value is read with it ("heart failure III or IV NYHA for 1 year"): what
        comes next, a window here, looks for its subject after it. A condition graded before its name ("Grade 2
        peripheral neuropathy, or Grade 1 with pain") is not: the next limit may still grade it."""
        index = bisect_left(self.hit_starts, expr.end)
        if index < len(self.hits) and self.hits[index].term.id in measures and self.hits[index].term.kind == "measure":
            hit = self.hits[index]
            if not self.low[expr.end : hit.start].strip():
                self.context_end = max(self.context_end, hit.end)

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


def extract_unit(unit: Unit, finder: TermFinder | None = None, lex: Lexicon | None = None) -> Facts:
    reader = Reader(unit, finder or default_finder(), lex or lexicon())
    reader.read_values()
    items = read_items(reader)
    return Facts(tuple(reader.thresholds), tuple(reader.windows), tuple(reader.counts), tuple(items))
