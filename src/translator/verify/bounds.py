"""Limits as one-sided bounds, so that a range and its two halves compare equal.

"Aged 18 to 65" and "at least 18 ... no older than 65" say the same thing in one fact or in two, in one
sentence or in two. Before alignment every requirement with two ends becomes two one-sided bounds on both
sides (source and translation), and a lower bound that excludes nothing is dropped: 0 on a score or count
("ECOG 0-1" is "ECOG ≤ 1"), or the lowest score of a scale ("ASA I-II" is "ASA ≤ II"). An excluded range has
no such split (its complement is two pieces) and stays whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from translator.facts.types import Interval, Threshold
from translator.verify.scores import scale_start


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
        if not _vacuous(lower.interval, scale_start(threshold.entity, threshold.unit)):
            bounds.append(lower)
        bounds.append(upper)
    return tuple(bounds)


def _vacuous(interval: Interval, start: float | None) -> bool:
    return interval.low in (0, start) and interval.low_inclusive and interval.high is None
