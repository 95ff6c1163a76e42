"""What a value measures when its name is not simply on its left.

Real criteria and lay summaries name the measured thing in a few other places, each read here:

* in a bracket right after the value: "≥ 160 mmHg (systolic) or ≥ 100 mmHg (diastolic)";
* right after the unit, when the unit is the measure's own: "BP > 160 mm Hg systolic or > 95 mm Hg diastolic";
* as the drug of a dose: "exceeding 10 mg daily of prednisone equivalent", "10 mg of prednisone a day";
* as a bracketed abbreviation that names a lay or broad name exactly: "your liver test (ALT)", "the absolute value
  of neutrophils (ANC)";
* between a count and its unit: "at least 100,000 platelets (cells that help your blood clot) per microliter".

And a condition stated once after a run of limits joined by "and" holds for each of them: "ALT and AST ≤ 2.5 × ULN
and serum total bilirubin ≤ 1.5 × ULN if there is no liver metastasis".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from translator.facts.frozen import quick_init
from translator.facts.glossary import TermHit
from translator.facts.types import Threshold
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

Entity = tuple[str, TermHit | None, bool]
"""(entity id, its hit, whether it is a measure or test)."""

_MEASURE_KINDS = ("measure", "test")
_OPEN_BRACKET = re.compile(r"[ \t]*[(\[]")
_OF = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")
_DOSE_DIMENSIONS = frozenset({"dose", "dose_rate"})
_FREQUENCY = re.compile(
    r"[ \t]+(?P<freq>a[ \t]+day|daily|per[ \t]+day|each[ \t]+day|a[ \t]+week|weekly|per[ \t]+week)(?![a-z])"
)
_ASIDE_AFTER = re.compile(r"[ \t]*\([^()]{0,80}\)")
_JOINED_BY_AND = re.compile(r"^[ \t,]*and(?![a-z])")
_BREAK = re.compile(r"[;\n]")


def named_in_bracket(reader: Reader, expr: ValueExpr) -> Entity | None:
    """ "≥ 160 mmHg (systolic)": a bracket right after the value that holds only a measure's name names it."""
    opening = _OPEN_BRACKET.match(reader.low, expr.end)
    if opening is None:
        return None
    bracket = reader.ctx.enclosing_bracket(opening.end())
    if bracket is None or bracket[0] != opening.end() - 1:
        return None
    hits = reader.hits_between(bracket[0] + 1, bracket[1])
    inner = reader.low[bracket[0] + 1 : bracket[1]].strip()
    if len(hits) == 1 and hits[0].term.kind in _MEASURE_KINDS and reader.low[hits[0].start : hits[0].end] == inner:
        return hits[0].term.id, hits[0], True
    return None


def named_after_unit(reader: Reader, expr: ValueExpr) -> Entity | None:
    """ "> 160 mm Hg systolic or > 95 mm Hg diastolic BP": a measure named right after a unit that belongs to it (the
    unit's own measure, or a narrower one: systolic pressure is a blood pressure in mmHg) is what the value
    measures, whatever is named before it."""
    unit = expr.unit
    if unit is None or unit.entity is None:
        return None
    hits = reader.hits_between(expr.end, expr.end + 40)
    if not hits or reader.low[expr.end : hits[0].start].strip(" \t"):
        return None
    term = hits[0].term
    if term.kind in _MEASURE_KINDS and unit.entity in (term.id, term.parent):
        return term.id, hits[0], True
    return None


def drug_of_dose(reader: Reader, expr: ValueExpr) -> Entity | None:
    """ "10 mg daily of prednisone equivalent", "10 mg of prednisone a day": a dose names its drug after "of"."""
    if expr.unit is None or expr.unit.dimension not in _DOSE_DIMENSIONS:
        return None
    of = _OF.match(reader.low, expr.end)
    if of is None:
        return None
    hits = reader.hits_between(of.end(), of.end() + 60)
    if hits and hits[0].start == of.end() and hits[0].term.kind == "drug":
        return hits[0].term.id, hits[0], False
    return None


def dose_frequency(reader: Reader, expr: ValueExpr) -> ValueExpr:
    """ "10 mg of prednisone a day" is 10 mg/day: a frequency after the drug of a dose makes it a dose rate."""
    unit = expr.unit
    if unit is None or unit.dimension != "dose" or (named := drug_of_dose(reader, expr)) is None:
        return expr
    hit = named[1]
    assert hit is not None
    frequency = _FREQUENCY.match(reader.low, hit.end)
    if frequency is None:
        return expr
    stated_unit = reader.low[expr.start : expr.end].split()[-1]
    rate = reader.lex.unit_by_alias.get(f"{stated_unit} {' '.join(frequency.group('freq').split())}")
    return replace(expr, unit=rate) if rate is not None else expr


def restating_abbreviation(reader: Reader, outside: TermHit, inside: TermHit) -> bool:
    """ "liver test (ALT)": a bracket right after a measure that holds only another measure's abbreviation names the
    measure exactly ("Hemoglobin (Hb)" names the same one either way)."""
    bracket = reader.ctx.enclosing_bracket(inside.start)
    if outside.term.id == inside.term.id or bracket is None or reader.low[outside.end : bracket[0]].strip():
        return False
    if inside.via != "abbreviation":
        return False  # "ALT and AST (liver tests)": a lay gloss explains, it does not name the measure
    return reader.low[bracket[0] + 1 : bracket[1]].strip() == reader.low[inside.start : inside.end]


def counted_measure(reader: Reader, expr: ValueExpr) -> tuple[ValueExpr, Entity] | None:
    """ "at least 100,000 platelets (cells that help your blood clot) per microliter": a measure named between a
    bare number and a "per ..." unit is a limit on that measure in that unit. Without a unit, a number right
    before what a count measure counts ("5 or more abscesses and inflammatory nodules", the AN count) limits
    that count."""
    if expr.unit is not None or expr.reference is not None:
        return None
    hits = reader.hits_between(expr.end, expr.end + 40)
    if not hits or hits[0].term.kind not in _MEASURE_KINDS or reader.low[expr.end : hits[0].start].strip():
        return None
    position = hits[0].end
    if aside := _ASIDE_AFTER.match(reader.low, position):
        position = aside.end()
    unit = reader.lex.unit_re.match(reader.low, position)
    if unit is None or not unit.group("unit").startswith(("per ", "/")):
        if hits[0].via != "abbreviation" and hits[0].term.name.endswith(" count"):
            return expr, (hits[0].term.id, hits[0], True)  # "5 or more abscesses and inflammatory nodules"
        return None
    return replace(expr, unit=reader.lex.unit(unit.group("unit"))), (hits[0].term.id, hits[0], True)


_OF_THOSE_POINTS = re.compile(r"[ \t]+of[ \t]+(?:those|these|the|its|which)[ \t]+(?:points?)(?![a-z])")
_OF_WHICH_REV = re.compile(r"[ \t]*(?:hcihw|meht|esoht|eseht)[ \t]+fo(?![a-z])")
"""Reversed "of which", "of them", "of those", "of these" right before a value."""


def part_of_score(reader: Reader, expr: ValueExpr) -> tuple[ValueExpr, Entity] | None:
    """ "hSLEDAI ≥ 6, of which ≥ 4 points are clinical", "is 6 or more, and at least 4 of those points are
    clinical": a number of points of the score just limited is a limit on that score, in points."""
    if expr.reference is not None or not reader.thresholds or (expr.unit is not None and expr.unit.id != "points"):
        return None
    score = reader.thresholds[-1]
    if score.unit not in (None, "points") or score.entity.startswith("raw:"):
        return None
    before = _OF_WHICH_REV.match(reader.low[max(0, expr.start - 24) : expr.start][::-1])
    after = _OF_THOSE_POINTS.match(reader.low, expr.end)
    if after is not None:
        expr = replace(expr, end=after.end())
    elif before is None or expr.unit is None:
        return None
    return replace(expr, unit=reader.lex.unit_by_id["points"]), (score.entity, None, True)


@quick_init
@dataclass(frozen=True)
class Stated:
    """Where a threshold's value stands (normalised offsets) and whether its condition follows it."""

    start: int
    end: int
    condition_after: bool


def spread_conditions(reader: Reader, thresholds: list[Threshold], stated: list[Stated]) -> list[Threshold]:
    """A condition after the last of a run of limits on different measures joined by "and" holds for the run: "ALT
    and AST ≤ 2.5 × ULN and total bilirubin ≤ 1.5 × ULN if there is no liver metastasis". A limit on the same
    measure ("ALT ≤ 3 × ULN and ≤ 5 × ULN if ...") or one not joined by "and" keeps its own reading."""
    result = list(thresholds)
    for index, threshold in enumerate(thresholds):
        if threshold.condition is None or not stated[index].condition_after:
            continue
        entities = {thresholds[i].entity for i in _same_value(stated, index)}
        following = stated[index]
        for back in range(index - 1, -1, -1):
            previous, where = result[back], stated[back]
            if where.start == following.start:
                if previous.condition is None and previous.entity not in entities:
                    result[back] = replace(previous, condition=threshold.condition)
                continue
            gap = reader.low[where.end : following.start]
            if previous.condition is not None or previous.entity in entities or _BREAK.search(gap):
                break
            if not _JOINED_BY_AND.match(gap):
                break
            result[back] = replace(previous, condition=threshold.condition)
            following = where
    return result


def _same_value(stated: list[Stated], index: int) -> range:
    """The limits read from the same value as ``index`` ("AST and ALT ≤ 2.5 × ULN"): neighbours in the list."""
    low, high = index, index
    while low > 0 and stated[low - 1].start == stated[index].start:
        low -= 1
    while high + 1 < len(stated) and stated[high + 1].start == stated[index].start:
        high += 1
    return range(low, high + 1)
