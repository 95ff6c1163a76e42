"""Limits on scores of whole steps (ECOG 0-5, a CTCAE grade, an NYHA class), read as the sets of scores they allow.

A score has no values between its steps, so "ECOG ≤ 2", "ECOG below 3" and "ECOG 0, 1 or 2" are one limit, and
"0 or 1" in their place shrinks the set rather than changing a value. The lowest score comes from the glossary
(``scale_start``) or, for a class or grade, is 0; a set listed with a gap ("BIRADS 0, 4 or 5") keeps its members.
"""

from __future__ import annotations

import math

from translator.facts.glossary import default_finder
from translator.facts.types import Interval, Threshold

LONGEST_SCALE = 20
"""No score scale has more steps; a wider run of whole numbers is a range of values, not a set of scores."""


def scale_start(entity: str, unit: str | None) -> float | None:
    """The lowest score of the entity's scale, or None for a measure that is no score."""
    term = default_finder().by_id.get(entity)
    if term is not None and term.scale_start is not None:
        return term.scale_start
    return 0.0 if unit == "grade" else None


def allowed_scores(fact: Threshold, interval: Interval, start: float | None) -> tuple[float, ...] | None:
    """The scores ``interval`` (the fact's own, or the region it leaves eligible) allows: the fact's members when
    it lists them with a gap, else every whole score in it from ``start`` up. None when it is not bounded above or
    spans more than a scale."""
    if fact.members is not None and interval == fact.interval:
        return fact.members
    top, bottom, bottom_inclusive = interval.high, interval.low, interval.low_inclusive
    if bottom is None:
        bottom, bottom_inclusive = start, True
    if top is None or bottom is None:
        return None
    low = math.ceil(bottom) if bottom_inclusive else math.floor(bottom) + 1
    high = math.floor(top) if interval.high_inclusive else math.ceil(top) - 1
    if high - low > LONGEST_SCALE:
        return None
    return tuple(float(value) for value in range(low, high + 1))


def lowest_score(interval: Interval) -> float | None:
    """The lowest whole score of a region open above ("≥ 13" and "> 12" both start at 13), or None for a region
    bounded above or not below."""
    if interval.high is not None or interval.low is None:
        return None
    return float(math.ceil(interval.low) if interval.low_inclusive else math.floor(interval.low) + 1)


def describe_set(members: tuple[float, ...]) -> str:
    if not members:
        return "no score"
    shown = [f"{m:g}" for m in members]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
