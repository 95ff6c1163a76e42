"""Is a value an age? Read from its unit and the words around it ("18 years or older", "in patients < 18 years",
"Age ≥ 18 years and ≤ 80 years"), and never from a number of people ("200 people with diabetes, aged 18 years or
older")."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from typing import TYPE_CHECKING

from translator.facts.entities import after_another_kind
from translator.facts.patterns import WORD
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_AGE_AFTER = re.compile(r"[ \t-]*(?:of[ \t]+age|old|of[ \t]+age[ \t]+or[ \t]+older|years?[ \t]+of[ \t]+age)(?![a-z])")
_AGE_GAP_WORDS = frozenset({"of", "age", "old", "years", "and", "to", "or", "but"})
_ALONE_WORDS = 6
_DETERMINER_BEFORE = re.compile(r"(?<![a-z])(?:those|these)[ \t]+$")


def reads_as_age(reader: Reader, expr: ValueExpr, window_start: int, named_age: bool) -> bool:
    """An age by its subject (``named_age``: the value's entity is age) or by its context."""
    return (named_age and not people_follow(reader, expr)) or _age_context(reader, expr, window_start)


def bare_age(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """A bare number with no subject of its own that is an age: "at least 18 and no older than 65", "18 to 80
    years", "patients 18 or older"; never a number of people ("aged 18 to 70 (30 people will take part)")."""
    if people_follow(reader, expr):
        return False
    if _age_follows(reader, expr) or _continues_age(reader, expr, window_start):
        return True
    return bool(reader.lex.age_subject_rev.match(reader.low[max(0, expr.start - 24) : expr.start][::-1]))


def _person_before(reader: Reader, expr: ValueExpr) -> bool:
    """ "in patients < 18 years", "If you were under 16": a person's number is an age; but "those 28 days",
    "these 6 months" count time units ("those" and "these" there are determiners, not people)."""
    counted_time = expr.unit is not None and expr.unit.id != "years"
    if counted_time and _DETERMINER_BEFORE.search(reader.low, max(0, expr.start - 8), expr.start):
        return False
    return reader.lex.age_subject_rev.match(reader.low[max(0, expr.start - 24) : expr.start][::-1]) is not None


def _age_follows(reader: Reader, expr: ValueExpr) -> bool:
    """ "at least 18 and no older than 65": a bare number whose clause goes on to talk about age (``bare_age`` has
    set numbers of people aside: "200 people with diabetes, aged 18 years or older")."""
    index = bisect_left(reader.age_words, expr.end)
    if index == len(reader.age_words) or reader.age_words[index] >= reader.ctx.clause_end(expr.end):
        return False
    bracket = reader.ctx.enclosing_bracket(expr.start)
    return bracket is None or reader.age_words[index] < bracket[1]  # "(i.e. =1 attempt/week) males, 40 - 64 years"


def people_follow(reader: Reader, expr: ValueExpr) -> bool:
    """ "200 people", "200 diabetic patients": a bare number of people is never an age."""
    if expr.unit is not None:
        return False
    after = reader.low[expr.end : expr.end + 40].split()[:2]
    return any(word in _people_words(reader.lex.cues.age_subjects) for word in after)


def _age_context(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    if expr.implies_age:
        return True
    unit = expr.unit
    if unit is None or unit.dimension != "time" or unit.id in ("hours", "minutes"):
        return False
    if _AGE_AFTER.match(reader.low, expr.end) or reader.low[expr.start : expr.end].endswith(("old", " yo")):
        return True
    if reader.lex.within_rev.match(reader.low[max(0, expr.start - 40) : expr.start][::-1]):
        return False  # "(colonoscopy) performed within the previous 5 years" after an age looks back, it is no age
    if _person_before(reader, expr):
        return True
    if _continues_age(reader, expr, window_start):
        return True  # "Age ≥ 18 years and ≤ 80 years"
    if _years_alone(reader, expr):
        return True
    return _age_cue_between(reader, window_start, expr.start)


def _years_alone(reader: Reader, expr: ValueExpr) -> bool:
    """ "18 to 65 years", "Over 18 years", "Men and women, 18-75 years": an amount of years that is all its
    criterion says, but for the people it is about, times nothing and is their age."""
    if expr.unit is None or expr.unit.id != "years":
        return False
    rest = WORD.findall(reader.low, 0, expr.start) + WORD.findall(reader.low, expr.end)
    if len(rest) > _ALONE_WORDS:
        return False
    cues = reader.lex.cues
    return all(w in _people_words(cues.age_subjects) or w in cues.age_alone_words for w in rest)


def _age_cue_between(reader: Reader, start: int, end: int) -> bool:
    """An age word in [start, end) that is not part of another term's name ("women of childbearing age")."""
    last = bisect_left(reader.hit_starts, end)
    inside = [(h.start, h.end) for h in reader.hits[:last] if h.end > start and h.term.id != "age"]
    for match in WORD.finditer(reader.low, start, end):
        if match.group() in reader.lex.age_cues and not any(s <= match.start() < e for s, e in inside):
            return True
    return False


def _continues_age(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "Age ≥ 18 years and ≤ 80 years", "over 18 years of age up to 70": the next bound is on age too."""
    if not reader.thresholds or reader.thresholds[-1].entity != "age":
        return False
    if after_another_kind(reader, reader.thresholds[-1].span.end):
        return False  # the value before is no age ("within the past 5 years and at least 3 months")
    gap = reader.low[window_start : expr.start]
    return len(gap) < 16 and set(WORD.findall(gap)) <= _AGE_GAP_WORDS and ";" not in gap


@cache
def _people_words(age_subjects: tuple[str, ...]) -> frozenset[str]:
    """The one-word persons of ``age_subjects`` ("patients", "people", "women")."""
    return frozenset(w for w in age_subjects if " " not in w and w not in ("those", "anyone"))
