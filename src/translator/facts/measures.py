"""Which measure a value limits, when the words around it leave a choice: a count or a value, a length of time
or a time window, the measure named before it or a scale it is graded on. Each function reads one value of a
``Reader`` and decides one question; the reader's classification calls them in order."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from translator.facts.counts import read_count
from translator.facts.entities import LINKING_WORDS
from translator.facts.glossary import TermHit, default_finder
from translator.facts.patterns import ASIDE, WORD
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

Entity = tuple[str, TermHit | None, bool]
"""A candidate measure: its term id, the glossary hit that names it (none when inherited), whether it is measured."""

_COUNTED_NOUN_AFTER = re.compile(r"[ \t]+[a-z]{2,}[^s\W]s(?![a-z])")
"""A plural noun right after a bare number ("in 3 fractions"): what the number counts."""
_OF_AFTER = re.compile(r"[ \t]+(?:of[ \t]+)?")
_JOINED_AMOUNT = re.compile(r"[ \t]*(?:,|and/or|and|or)[ \t]*(?:[<>≤≥][ \t]*)?\d+(?:\.\d+)?[ \t]*")
ADJACENT_WORDS = 4
"""A limit follows its measure within this many words ("platelet count must be at least 100 000")."""


def counts_a_noun(reader: Reader, expr: ValueExpr, window_start: int, entities: list[Entity]) -> bool:
    """A bare number that counts: read as a count ("(30 people will take part)" after an age range), or one
    that counts a noun after a limit that gave the measure ("27 to 54 Gy in 3 fractions"), which is no count
    read here but no value of that measure either."""
    if read_count(reader, expr, window_start):
        return True
    return bool(entities) and entities[0][2] and entities[0][1] is None


def duration_measure(reader: Reader, entities: list[Entity], expr: ValueExpr) -> bool:
    """Is the time amount's measure one whose value is a length of time ("life expectancy > 3 months"), named in
    the amount's own sentence? "Adults age 18-55 ... . The index trauma must have occurred at least 3 months
    before enrolling": the age of the sentence before does not measure the 3 months."""
    if not entities or not entities[0][2] or entities[0][0] not in reader.lex.duration_entities:
        return False
    hit = entities[0][1]
    return hit is None or hit.start >= reader.ctx.sentence_start(expr.start)


def duration_named_after(reader: Reader, expr: ValueExpr) -> Entity | None:
    """A measure whose value is a length of time, named right after the amount ("born at < 28 weeks gestation",
    "pregnant women ≥ 20 weeks gestation"): the amount is its value, whatever the clause names before. Age,
    which has a reader of its own ("18 years of age or older"), is left to it."""
    after = _OF_AFTER.match(reader.low, expr.end)
    position = after.end() if after else expr.end
    start = expr.number.end  # the name may hold the unit: "weeks gestation"
    if joined := _JOINED_AMOUNT.match(reader.low, expr.end):
        start = position = joined.end()  # "<28 weeks and >34 weeks gestation": the name the next amount has
    index = bisect_left(reader.hit_starts, start)
    if index == len(reader.hits) or not start <= reader.hits[index].start <= position:
        return None
    hit = reader.hits[index]
    named = hit.term.id in reader.lex.duration_entities and hit.term.id != "age" and hit.end > expr.end
    return (hit.term.id, hit, True) if named else None


def measure_adjacent(reader: Reader, entities: list[Entity], expr: ValueExpr) -> bool:
    """Is the value right after the measure it limits ("ECOG ≤ 2", "platelets of at least 100 000")?
    A number far from any measure and followed by a noun is a count ("at least 2 prior lines")."""
    if not entities or not entities[0][2]:
        return False
    hit = entities[-1][1]
    if hit is None:  # the measure of the limit before: a plural noun after the number counts something else
        return _COUNTED_NOUN_AFTER.match(reader.low, expr.end) is None  # "54 Gy in 3 fractions"
    if hit.start >= expr.start:
        return False  # a measure named after the number ("at least one lesion on CT") is not its subject
    gap = reader.low[hit.end : expr.start]
    words = WORD.findall(ASIDE.sub(" ", gap))
    return "," not in gap and ";" not in gap and len(words) <= ADJACENT_WORDS and set(words) <= LINKING_WORDS


def measure_named_before(reader: Reader, entities: list[Entity], expr: ValueExpr) -> bool:
    hit = entities[0][1] if entities else None
    return hit is not None and hit.start < expr.start and entities[0][2]


def in_a_name(reader: Reader, expr: ValueExpr) -> bool:
    """A number inside a glossary name is part of it ("average blood sugar over 3 months", "cycle 1 day 1"); a
    name that is a value ("at least one measurable lesion", "upper limit of normal") is still read as one."""
    if expr.number.kind == "reference":
        return False
    index = bisect_left(reader.hit_starts, expr.number.start + 1) - 1
    return index >= 0 and reader.hits[index].start < expr.start and reader.hits[index].end >= expr.number.end


def scale_of(reader: Reader, entity: Entity) -> Entity:
    """A class of a term graded on a named scale is on that scale: "heart failure of class III or IV" is NYHA
    class III-IV, and heart failure stays an item."""
    term = default_finder().by_id.get(entity[0])
    return (term.graded_by, None, True) if term is not None and term.graded_by else entity
