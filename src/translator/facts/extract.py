"""Extract facts from one unit of text: a source criterion or one plain-English sentence.

The same code reads both, so "ALT \\<5 times the normal value" and "your ALT must be under five times the
upper limit of normal" give equal thresholds. Steps: normalise (with an offset map), find numbers, parse
value expressions, find glossary terms, then attribute each value to what it measures and classify it as a
threshold, a time window or a count; named terms become items. Spans are offsets into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from translator.facts.ages import bare_age, people_follow, reads_as_age
from translator.facts.bounds import merge_bounds
from translator.facts.context import Context
from translator.facts.counts import read_count_before, read_frequency, read_sample_size
from translator.facts.entities import entities_of
from translator.facts.frozen import quick_init
from translator.facts.glossary import TermFinder, TermHit, default_finder
from translator.facts.items import read_items
from translator.facts.lexicon import Lexicon, lexicon
from translator.facts.limits import add_thresholds
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
from translator.facts.patterns import WORD
from translator.facts.plain_cues import plain_cues
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
_THEN = re.compile(r"[ \t]*(?:then[ \t]+)?")
_STUDY_TAIL = re.compile(r"(?:[ \t]+(?:in[ \t]+)?(?:this|the)[ \t]+(?:study|trial))?[ \t.!]*")
"""What may follow a sentence cue that only says a side: "you cannot take part in this study."."""
RECOVERY_REACH = 90
"""Characters before a limit in which "not resolved to" may start."""


SUBJECT_REACH = 120
"""Characters before a value searched for what it measures."""


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
        if cue is not None and not item and self._negative_name_before(cue, position):
            cue = None  # "a feeling of not having emptied the bowel after at least 25% of bowel movements"
        if cue is None:
            return self.unit.polarity, False, exception
        polarity: Polarity = "exclude" if self.ctx.prohibits(cue) else flip(self.unit.polarity)
        return polarity, True, exception

    def _negative_name_before(self, cue: int, position: int) -> bool:
        """Is the cue inside a name that means the negative ("not having emptied the bowel"), with nothing named
        between it and the limit? The limit then measures the name, it is not negated by it; a name followed by
        what it negates ("no previous treatment with growth factors within 3 months") still negates."""
        index = bisect_left(self.hit_starts, cue + 1) - 1
        if index < 0 or not self.hits[index].start <= cue < self.hits[index].end:
            return False
        following = self.hits[index + 1].start if index + 1 < len(self.hits) else len(self.low)
        return following >= position

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
        if self.premise(position):
            return "include", False, False
        polarity, negated, exception = self.polarity_at(position, window_start)
        upper = interval is not None and interval.low is None and interval.high is not None
        if (upper and self._defines_control(position)) or (not negated and self._recovery_target(position)):
            polarity, negated = flip(polarity), True
        return ("include" if exception else polarity), negated, exception

    def premise(self, position: int) -> bool:
        """ "If creatinine 1.0 - 1.5 x ULN, creatinine clearance ... < 60 mL/min should be excluded": a limit in a
        leading if-clause is the circumstance another limit (after the clause) applies in, neither a requirement
        nor a reason to exclude; it is read on the eligible side whatever the sentence goes on to say, in both
        texts alike."""
        start = self.ctx.sentence_start(position)
        if _PREMISE.fullmatch(self.low, start, position) is None:
            return False
        end = self.ctx.sentence_end(position)
        comma = self.low.find(",", position, end)
        if comma < 0 or _LIST_GOES_ON.match(self.low, comma + 1):
            return False  # "...; if X is over 2, or you are on Y"
        # "If you had a severe infection in the 4 weeks before your first dose, you cannot join": what follows only
        # says which side the if-clause is on, so its limit is the rule
        then = _THEN.match(self.low, comma + 1)
        return not self._only_a_side(then.end() if then else comma + 1, end)

    def _only_a_side(self, start: int, end: int) -> bool:
        """Is [start, end) a plain sentence cue and nothing more ("you cannot join", "you may be able to join",
        "you are not eligible")?"""
        cues = plain_cues()
        for cue in (cues.exclude_sentence, cues.include_sentence):
            said = cue.match(self.low, start, end)
            if said is not None and _STUDY_TAIL.fullmatch(self.low, said.end(), end):
                return True
        return False

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
        return [w for w in WORD.findall(self.low[start:end]) if w not in self.lex.generic_words]

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
            add_thresholds(self, counted[0], window_start, [counted[1]])  # "100,000 platelets per microliter"
            return
        unit = expr.unit
        entities = entities_of(self, expr, window_start)
        if expr.class_value:
            entities = [scale_of(self, entity) for entity in entities]
        is_age = reads_as_age(self, expr, window_start, bool(entities) and entities[0][0] == "age")
        if expr.unit is None and not measure_named_before(self, entities, expr):
            is_age = is_age or bare_age(self, expr, window_start)
        if unit is not None and unit.window and (named_after := duration_named_after(self, expr)) is not None:
            # "< 28 weeks gestation", "24-34 weeks of gestation"
            add_thresholds(self, expr, window_start, [named_after])
            return
        if unit is not None and unit.window and not is_age:
            if read_frequency(self, expr, window_start):
                return  # "on at least 4 days per week": how often, not how long ago
            if duration_measure(self, entities, expr):
                add_thresholds(self, expr, window_start, entities)  # "life expectancy > 3 months"
            else:
                read_window(self, expr, window_start)  # "pregnancy test within 7 days"
            return
        if is_age:
            add_thresholds(self, expr, window_start, [("age", None, True)])
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
            add_thresholds(self, expr, window_start, entities)


def extract_unit(unit: Unit, finder: TermFinder | None = None, lex: Lexicon | None = None) -> Facts:
    reader = Reader(unit, finder or default_finder(), lex or lexicon())
    reader.read_values()
    items = read_items(reader)
    return Facts(tuple(reader.thresholds), tuple(reader.windows), tuple(reader.counts), tuple(items))
