"""Thresholds from a value whose measure is chosen: the canonical interval and unit, the reference of a multiple
(its own, or that of the multiple before or after it), its condition and polarity, and a systolic/diastolic pair
split in two. ``add_thresholds`` is the one entry; the reader's classification calls it once per measure."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from operator import attrgetter
from typing import TYPE_CHECKING

from translator.facts.conditions import Condition, condition_for
from translator.facts.entities import is_stage
from translator.facts.measures import Entity
from translator.facts.patterns import WORD
from translator.facts.rule_files import UnitRule
from translator.facts.types import Interval, Polarity, Threshold
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_SENTENCE_CUE_IF = re.compile(r"(?:if|when)(?![a-z])")
RELATIVE_REACH = 8
"""Limits looked back (and values looked ahead) over for the reference of a bare multiple ("or up to 5 times")."""
_start = attrgetter("start")


def _names_only_its_measure(reader: Reader, found: Condition, entities: list[Entity]) -> bool:
    """Does the condition name the limit's own measure and nothing else ("if the DAS28 is 3.2 or less")?"""
    measures = {entity for entity, _, measured in entities if measured}
    for hit in reader.hits_between(found.start, found.end):
        if hit.term.id in measures and found.text.split() == WORD.findall(reader.low, hit.start, hit.end):
            return True
    return False


def _opens_sentence_cue(reader: Reader, position: int) -> bool:
    """Is the condition cue at ``position`` the "if" after a sentence's leading cue ("You cannot join if")? After a
    trailing cue ("≤ 5 × ULN is acceptable if liver metastases") it is the limit's condition."""
    cue_end = reader.negation_from
    return (
        0 < cue_end <= position
        and not reader.low[cue_end:position].strip()
        and not any(start < cue_end for start, _ in reader.value_spans)
        and bool(_SENTENCE_CUE_IF.match(reader.low, position))
    )


def _reference_before(reader: Reader) -> str | None:
    """The reference of the last relative limit read: "no more than 3 times the normal value, or up to 5 times"."""
    return next((t.reference for t in reversed(reader.thresholds[-RELATIVE_REACH:]) if t.reference), None)


def _reference_after(reader: Reader, expr: ValueExpr) -> str | None:
    """The reference of the next multiple in the sentence, for a first one that has none: "ALT and AST > 2
    folds or ALT or AST > 3 folds as high as maximal normal value". A value that is no multiple ends the run, and
    so do ``RELATIVE_REACH`` values (a long run of bare multiples is read in linear time)."""
    end = reader.ctx.sentence_end(expr.start)
    first = bisect_left(reader.expressions, expr.start, key=_start) + 1
    for later in reader.expressions[first : first + RELATIVE_REACH]:
        if later.start >= end or not (later.relative or later.reference):
            return None
        if later.reference:
            return later.reference
    return None


def _canonical(reader: Reader, expr: ValueExpr) -> tuple[Interval, str | None]:
    unit = expr.unit
    if unit is None:
        return expr.interval, ("grade" if expr.class_value else None)
    canonical = _canonical_unit(reader, unit)
    return expr.interval.scaled(unit.factor), canonical


def _canonical_unit(reader: Reader, unit: UnitRule) -> str:
    return reader.lex.canonical_units.get(unit.dimension, unit.id)


def add_thresholds(reader: Reader, expr: ValueExpr, window_start: int, entities: list[Entity]) -> None:
    interval, unit = _canonical(reader, expr)
    if expr.number.kind == "titer":
        unit = "titer"
    if unit is None and entities[0][0] == "age" and expr.reference is None:
        interval, unit = interval.scaled(reader.lex.unit_by_id["years"].factor), "days"  # "18 or older"
    polarity, negated, exception = reader.value_polarity(expr.start, window_start, expr.interval)
    reference = expr.reference or (
        (_reference_before(reader) or _reference_after(reader, expr)) if expr.relative else None
    )
    # a condition before the limit may be further than its subject, over asides: "If you have Gilbert's syndrome
    # (a harmless inherited condition ...), your total bilirubin (a liver test) can be up to 3 times ..."
    condition_start = max(reader.ctx.clause_start(expr.start), reader.previous_end)
    found = condition_for(reader.ctx, expr.start, expr.end, condition_start, reader.next_value_start)
    if found is not None and _opens_sentence_cue(reader, found.start):
        found = None  # the "if" of "You cannot join if you have HIV, unless ... < 50" opens the rule
    if found is not None and _names_only_its_measure(reader, found, entities):
        found = None  # "(... is considered low if the DAS28 is 3.2 or less)": the limit restated, no condition
    condition = found.text if found else None
    if found is not None:
        reader.condition_spans.append((found.start, found.end))
        if not entities[0][2] and reader.last_entities:
            entities = reader.last_entities  # "≤ 2.5 × ULN. NOTE: ≤ 5 × ULN is acceptable if ..."
    if entities[0][2]:
        reader.last_entities = entities  # "< 2.5 × ULN without liver metastases; < 5 × ULN with them"
    reader.condition_after = found is not None and found.start >= expr.end
    stated = reader.norm.text[expr.start : expr.end]
    for entity, hit, _ in entities:
        if hit is not None and not (hit.start >= expr.end and is_stage(reader, expr)):
            reader.entity_hits.add(hit.start)  # "stage III NSCLC" limits the stage, and names NSCLC too
        if hit is not None and hit.end <= expr.start:
            reader.measure_phrases.append((hit.end, expr.start))
        reader.thresholds.append(
            Threshold(
                span=reader.span(expr.start, expr.end),
                origin=reader.unit.origin,
                polarity=polarity,
                negated=negated,
                exception=exception,
                entity=entity,
                interval=interval,
                unit=unit,
                reference=reference,
                condition=condition,
                entity_span=reader.span(hit.start, hit.end) if hit else None,
                stated=stated,
                restates=expr.restates,
                premise=reader.premise(expr.start),
                members=expr.members,
            )
        )
    if expr.number.kind == "pair" and expr.number.second is not None:
        _diastolic(reader, expr, polarity, negated, exception, stated)
    _read_name_after(reader, expr, {entity for entity, _, _ in entities})


def _read_name_after(reader: Reader, expr: ValueExpr, measures: set[str]) -> None:
    """A scale named right after its value is read with it ("heart failure III or IV NYHA for 1 year"): what
    comes next, a window here, looks for its subject after it. A condition graded before its name ("Grade 2
    peripheral neuropathy, or Grade 1 with pain") is not: the next limit may still grade it."""
    index = bisect_left(reader.hit_starts, expr.end)
    if (
        index < len(reader.hits)
        and reader.hits[index].term.id in measures
        and reader.hits[index].term.kind == "measure"
    ):
        hit = reader.hits[index]
        if not reader.low[expr.end : hit.start].strip():
            reader.context_end = max(reader.context_end, hit.end)


def _diastolic(
    reader: Reader, expr: ValueExpr, polarity: Polarity, negated: bool, exception: bool, stated: str
) -> None:
    systolic = reader.thresholds[-1]
    assert expr.number.second is not None
    op_interval = expr.interval
    second = expr.number.second
    interval = Interval(
        second if op_interval.low is not None else None,
        op_interval.low_inclusive,
        second if op_interval.high is not None else None,
        op_interval.high_inclusive,
    )
    reader.thresholds[-1] = replace(systolic, entity="systolic_blood_pressure")
    reader.thresholds.append(
        Threshold(
            span=systolic.span,
            origin=reader.unit.origin,
            polarity=polarity,
            negated=negated,
            exception=exception,
            entity="diastolic_blood_pressure",
            interval=interval,
            unit=systolic.unit,
            stated=stated,
        )
    )
