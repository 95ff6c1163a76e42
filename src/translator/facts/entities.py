"""What a value measures: the entity of a limit, from the names before it (a list of measures sharing one limit
included: "AST/ALT ≤ 3 × ULN"), a bracket or dose naming it, the limit before it, or the names after it."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from translator.facts.glossary import TermHit
from translator.facts.numbers import after_stage_word, is_stage_number
from translator.facts.patterns import ASIDE
from translator.facts.subjects import drug_of_dose, named_after_unit, named_in_bracket, restating_abbreviation
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

Entity = tuple[str, TermHit | None, bool]
ENTITY_KINDS = ("measure", "test")
_BUT = re.compile(r"\s*,?\s*but\s*")
"""All that stands between two limits of one thing across the clause break "but": "≥ 150 mg/dL but < 400 mg/dL"."""
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
SUBJECT_GAP = 24
"""How far before the next value a name may stand and still be that value's subject."""
_SECOND_BOUND_GAP = re.compile(r"[ \t]*,?[ \t]*(?:or|but)[ \t]*")
"""Between a limit and a bare second bound of the same measure: "BMI > 35 or < 20", "RR ≥ 20 but < 30"."""
_NEXT_JOINED = re.compile(r",[ \t]*(?:or|and)[ \t]")
_NEXT_ALTERNATIVE = re.compile(r"/|" + _NEXT_JOINED.pattern)
"""What opens the next alternative after a value: ", or" / ", and", or (for names) a slash."""
_JOINERS = re.compile(r"^\s*(?:and/or|and|or|&|/|,|,\s*and|,\s*or)\s*$")
_SINGULAR_VALUE_NOUN = re.compile(r"[ \t]+(?:titer|titre|concentration)(?![a-z])")
"""A list whose last member has its own value noun ("positive HBsAg, HBcAb and HBV DNA titer higher than the
upper limit"): the limit is that member's alone."""
_PROVIDED = re.compile(r"(?:p(?<![a-z]p)(?:rovided|roviding)|a(?<![a-z]a)s[ \t]+long[ \t]+as)(?:[ \t]+that)?(?![a-z])")
"""A proviso names its own subject: what is named before it is not what the limit after it measures."""
LINKING_WORDS = frozenset(
    {"is", "are", "be", "must", "should", "shall", "of", "level", "levels", "count", "counts", "score", "value"}
    | {"values", "the", "a", "an", "total", "serum", "plasma", "blood", "your", "at", "to", "was", "were", "will"}
    | {"need", "needs", "has", "have", "been", "remain", "remains", "stay", "stays", "result", "results"}
    | {"volume", "amount", "regularly"}
)
"""Words that may stand between a measure and its limit ("platelet count must be at least 100 000")."""


def entities_of(reader: Reader, expr: ValueExpr, window_start: int) -> list[Entity]:
    """What the value measures: [(entity, hit, is_measure)], several for "AST/ALT ≤ 3 × ULN"."""
    if expr.entity_words:
        return [_raw_or_term(reader, expr.entity_words, expr.start)]
    if (
        named := _staged_condition(reader, expr)
        or named_in_bracket(reader, expr)
        or named_after_unit(reader, expr)
        or drug_of_dose(reader, expr)
    ) is not None and not (named[1] is not None and named[1].term.kind == "test" and _measure_before(reader, expr)):
        return [named]  # "stage 4 CKD", "≥ 160 mmHg (systolic)", "160 mm Hg systolic", "10 mg daily of prednisone"
    limit = expr.number.start  # "NYHA class ≥ II", "a minimum weight of 50": the name may sit inside
    provided = _PROVIDED.search(reader.low, window_start, expr.start)
    window_start = provided.end() if provided else window_start  # "mixed histology ... provided the urothelial"
    left = [h for h in reader.hits_between(window_start, limit) if h.term.kind != "reference_point"]
    if expr.class_value:  # "≥ CTCAE grade 2" names a grading system; the grade is of the condition before it
        graded = [h for h in left if h.term.kind in ("condition", "event", "measure")]
        graded = [h for h in graded if not _in_closed_bracket(reader, h.start, expr.start)] or graded
        left = graded[-1:] or left  # "adverse effects from prior surgery ... improved to grade 1 or less"
        # (not "fatigue" of "Adverse events (except alopecia and fatigue) ... of grade > 1": an aside names no subject)
    measures = _outside_asides(reader, [h for h in left if h.term.kind in ENTITY_KINDS], expr.start)
    if measures:
        return _measure_chain(reader, left, measures, expr)
    if left:
        return [_named_before(reader, left[-1], expr)]
    if expr.class_value and (named := _named_after(reader, expr)) is not None:
        return [named]  # "grade II or above myocardial ischemia": the grade is the condition's
    words = reader.content_words(window_start, expr.start)[-4:]
    if words:
        return [("raw:" + " ".join(words), None, False)]
    inherited = _inherited(reader, expr, window_start, joined=False)
    if inherited:
        return inherited
    right_end = min(reader.ctx.clause_end(expr.end), expr.end + 48)
    # "≥ 0.3 mg/dL increase / urine output < 0.5", "< 80,000 or > 700,000 cells/mm3, or white blood cell count <
    # 3,000": the next alternative's measure is not this value's (a slash may join the words of one raw name)
    names_end = _end_of(_NEXT_ALTERNATIVE, reader.low, expr.end, right_end)
    words_end = _end_of(_NEXT_JOINED, reader.low, expr.end, right_end)
    right = [h for h in reader.hits_between(expr.end, names_end) if h.term.kind != "reference_point"]
    if (
        expr.start < expr.number.start  # its own comparator before it: "but < 30", not "80 mmHg = DBP < 110"
        and any(_next_values_subject(reader, h) for h in right)
        and (joined := _inherited(reader, expr, window_start, joined=True))
    ):
        return joined  # "RR ≥ 20 but < 30, HR ≥ 90": the 30 is RR's, and HR the 90's
    if right:
        best = next((h for h in right if h.term.kind in ENTITY_KINDS), right[0])
        return [(best.term.id, best, best.term.kind in ENTITY_KINDS)]
    if joined := _inherited(reader, expr, window_start, joined=True):
        return joined
    words = reader.content_words(expr.end, words_end)[:4]
    if words:
        return [("raw:" + " ".join(words), None, False)]
    return []


def _measure_chain(reader: Reader, left: list[TermHit], measures: list[TermHit], expr: ValueExpr) -> list[Entity]:
    """The measures named before the value that it limits: the last one, with those joined to it ("AST/ALT")."""
    if (seen := _seen_by_test(reader, left, measures, expr)) is not None:
        return [seen]  # "X-ray or computed tomography-based lung infiltrates < 50%": the infiltrates, by imaging
    if measures[-1].term.kind == "test" and any(h.term.kind == "measure" for h in measures):
        measures = measures[: max(i for i, h in enumerate(measures) if h.term.kind == "measure") + 1]
        # "LVEF by echocardiography ≥ 50%": the test says how the measure is taken
    chain = [measures[-1]]
    own_noun = _SINGULAR_VALUE_NOUN.match(reader.low, measures[-1].end, expr.start)
    for hit in reversed(measures[:-1] if own_noun is None else []):
        if _JOINERS.match(ASIDE.sub("", reader.low[hit.end : chain[-1].start])):
            chain.append(hit)
        else:
            break
    unique = {h.term.id: h for h in reversed(chain)}  # "Histological/cytological": one entity
    return [(term_id, h, True) for term_id, h in unique.items()]


def _next_values_subject(reader: Reader, hit: TermHit) -> bool:
    """Is the name the subject of the value after it ("RR ≥ 20 but < 30, HR ≥ 90": HR is the 90's, not the 30's)?"""
    following = reader.next_value_start
    if following < hit.end or following >= len(reader.low):
        return False  # no value after it
    gap = ASIDE.sub(" ", reader.low[hit.end : following])  # "oxygen saturation (pulse oximetry) > 93%"
    between = [w for w in _WORDS.findall(gap) if w not in LINKING_WORDS]
    return not between and len(gap.strip()) < SUBJECT_GAP


def _measure_before(reader: Reader, expr: ValueExpr) -> bool:
    """Is a measure named before the value in its clause ("LVEF ≤ 40% (ECHO)")?"""
    hits = reader.hits_between(reader.ctx.clause_start(expr.start), expr.number.start)
    return any(h.term.kind == "measure" for h in hits)


def _seen_by_test(reader: Reader, left: list[TermHit], measures: list[TermHit], expr: ValueExpr) -> Entity | None:
    """A condition named right before the value, after the tests that show it, is what the value measures."""
    last = left[-1]
    if last.term.kind != "condition" or any(h.term.kind != "test" for h in measures) or measures[-1].end > last.start:
        return None
    between = [w for w in reader.content_words(last.end, expr.start) if w not in LINKING_WORDS]
    return None if between else (last.term.id, last, False)


def _end_of(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    found = pattern.search(text, start, end)
    return end if found is None else found.start()


def _named_before(reader: Reader, hit: TermHit, expr: ValueExpr) -> Entity:
    """The entity of a value whose nearest name before it is no measure: that name, or the words after it."""
    between = [w for w in reader.content_words(hit.end, expr.start) if w not in LINKING_WORDS]
    if between and (instrument := _instrument_named(reader, hit)) is not None:
        return instrument  # "Hospital Anxiety and Depression Scale score of 8": the scale's, not "scale"
    if between and not expr.class_value:
        return ("raw:" + " ".join(between[-4:]), None, False)  # "Women with baseline estradiol > 25"
    return (hit.term.id, hit, False)


def _instrument_named(reader: Reader, hit: TermHit) -> Entity | None:
    """A condition followed by an instrument noun names a rating instrument the glossary does not know: the
    entity is the condition's words with the noun ("depression scale")."""
    if hit.term.kind != "condition":
        return None
    noun = reader.lex.instrument_after.match(reader.low, hit.end)
    if noun is None:
        return None
    return ("raw:" + " ".join(reader.content_words(hit.start, noun.end())), None, False)


def is_stage(reader: Reader, expr: ValueExpr) -> bool:
    """Is the value a stage, after a stage word or before one ("stage 4", "stage IIIB or IV", "Ib stage")? A stage
    with no condition right after it ("NSCLC stage IIIb") is a grade of the condition before it, as any class is."""
    return is_stage_number(reader.low, expr.number, reader.lex) or (
        expr.class_value
        and (
            after_stage_word(reader.low, expr.number.start, reader.lex)
            or reader.lex.stage_word_after.match(reader.low, expr.end) is not None
        )
    )


def _staged_condition(reader: Reader, expr: ValueExpr) -> Entity | None:
    """A stage is of the condition named right after it, or right after the stage word or bracket that follows it,
    not of the test or condition named before it: "kidney problems: stage 4 chronic kidney disease",
    "histologically confirmed stage IIIB or IV NSCLC", "Ib stage NSCLC", "advanced (stage IV) gastric cancer"."""
    if not (expr.class_value and is_stage(reader, expr)):
        return None
    end = expr.end
    if (word_after := reader.lex.stage_word_after.match(reader.low, end)) is not None:
        end = word_after.end()  # "pathology confirmed Ib stage NSCLC"
    bracket = reader.ctx.enclosing_bracket(expr.start)
    if bracket is not None and not reader.low[end : bracket[1]].strip():
        end = bracket[1] + 1  # "(stage IV) gastric cancer"
    right = reader.hits_between(end, min(reader.ctx.clause_end(end), end + 40))
    if not right or reader.low[end : right[0].start].strip() or right[0].term.kind not in ("condition", "event"):
        return None
    return (right[0].term.id, right[0], right[0].term.kind in ENTITY_KINDS)


def _named_after(reader: Reader, expr: ValueExpr) -> Entity | None:
    right = reader.hits_between(expr.end, min(reader.ctx.clause_end(expr.end), expr.end + 40))
    if not right:
        return None
    return (right[0].term.id, right[0], right[0].term.kind in ENTITY_KINDS)


def _outside_asides(reader: Reader, measures: list[TermHit], position: int) -> list[TermHit]:
    """Drop measures named in a bracketed aside before the value ("DLCO (corrected for Hb) < 30%") when a
    measure stands outside it; "Hemoglobin (Hb) ≥ 9" keeps hemoglobin either way."""
    outside = [h for h in measures if not _in_closed_bracket(reader, h.start, position)]
    if outside and measures[-1] is not outside[-1] and restating_abbreviation(reader, outside[-1], measures[-1]):
        return [*outside[:-1], measures[-1]]  # "your liver test (ALT)": the abbreviation names it exactly
    return outside or measures


def _in_closed_bracket(reader: Reader, start: int, position: int) -> bool:
    bracket = reader.ctx.enclosing_bracket(start)
    return bracket is not None and bracket[1] < position


def _raw_or_term(reader: Reader, phrase: str, position: int) -> Entity:
    if phrase.strip() in ("age", "aged"):
        return ("age", None, True)
    start = reader.low.find(phrase.strip(), position)
    named = reader.hits_between(start, start + len(phrase.strip())) if start >= 0 else []
    if len(named) == 1 and named[0].term.kind in ENTITY_KINDS:
        return (named[0].term.id, named[0], True)  # "7%≤HbA1c≤9.0%"
    return ("raw:" + " ".join(phrase.split()), None, False)


def _inherited(reader: Reader, expr: ValueExpr, window_start: int, *, joined: bool) -> list[Entity]:
    """A limit with no subject of its own belongs to the limit before it when it sits in a bracket (a
    conditional: "AST, ALT < 2.5 × ULN (< 5 × ULN if ...)", for each of them) or, ``joined``, right after it
    with nothing named after it ("TSH that is either < 0.45 or > 10 mIU/L at Screening")."""
    if not reader.thresholds:
        return []
    gap = reader.low[window_start : expr.start]
    # a bare "and at least two" is a count, but a bare bound with its comparator after "or" / "but" is a second
    # bound of the same measure ("BMI > 35 or < 20", "RR ≥ 20 but < 30")
    gap_to_limit = _SECOND_BOUND_GAP.fullmatch(reader.low, reader.previous_end, expr.start)
    second_bound = expr.has_comparator and gap_to_limit is not None
    measured = expr.unit is not None or expr.reference is not None or second_bound
    after_value = window_start > reader.ctx.clause_start(expr.start)  # a value before it in its clause
    after_value = after_value or bool(_BUT.fullmatch(reader.low, reader.previous_end, expr.start))  # "≥ 150 but < 400"
    if joined and not (after_value and measured and (_JOINERS.match(gap) or not gap.strip() or _BUT.fullmatch(gap))):
        return []
    if not joined and reader.ctx.enclosing_bracket(expr.start) is None:
        return []
    last = reader.thresholds[-1]
    if joined and after_another_kind(reader, last.span.end):
        return []  # the value before is no limit ("within the past 5 years and at least 3 months"): nothing to share
    same = list(itertools.takewhile(lambda t: t.span == last.span, reversed(reader.thresholds)))[::-1]
    return list({t.entity: (t.entity, None, t.known_entity) for t in same}.values())


def after_another_kind(reader: Reader, limit_end: int) -> bool:
    """Was a time window or a count read after the limit that ends at ``limit_end``, so that the value just read
    is no continuation of that limit?"""
    later = (f.span.end for f in (*reader.windows[-1:], *reader.counts[-1:]))
    return any(end > limit_end for end in later)
