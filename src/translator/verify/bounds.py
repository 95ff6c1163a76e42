"""Limits as one-sided bounds, so that a range and its two halves compare equal.

"Aged 18 to 65" and "at least 18 ... no older than 65" say the same thing in one fact or in two, in one
sentence or in two. Before alignment every requirement with two ends becomes two one-sided bounds on both
sides (source and translation), and a lower bound of 0 on a score or count, which excludes nothing
("ECOG 0-1" is "ECOG ≤ 1"), is dropped. An excluded range has no such split (its complement is two pieces)
and stays whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from translator.facts.types import Interval, Threshold


def one_sided(thresholds: Iterable[Threshold]) -> tuple[Threshold, ...]:
    bounds: list[Threshold] = []
    for threshold in thresholds:
        interval = threshold.interval
        if threshold.polarity != "include" or interval.low is None or interval.high is None:
            bounds.append(threshold)
            continue
        # a set with a gap ("0, 4 or 5") keeps its members on its upper bound only, so it is compared once
        lower = replace(threshold, interval=Interval(interval.low, interval.low_inclusive, None, True), members=None)
        upper = replace(threshold, interval=Interval(None, True, interval.high, interval.high_inclusive))
        if not _vacuous(lower.interval):
            bounds.append(lower)
        bounds.append(upper)
    return tuple(bounds)


def _vacuous(interval: Interval) -> bool:
    return interval.low == 0 and interval.low_inclusive and interval.high is None
