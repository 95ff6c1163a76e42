"""Two bounds on one thing in one criterion are one range: "≥ 18 years and ≤ 80 years" is [18, 80].

Only requirements merge (an exclusion "< 18 or > 65" is two separate reasons not to join), only neighbouring
limits with the same subject, reference and condition, and only into a range that is neither empty nor a single
point. A bound that gives no unit takes its partner's ("above 25 and less than 40 kg/m2").
"""

from __future__ import annotations

from dataclasses import replace

from translator.facts.types import Interval, Span, Threshold


def merge_bounds(thresholds: list[Threshold]) -> list[Threshold]:
    merged: list[Threshold] = []
    for threshold in thresholds:
        previous = merged[-1] if merged else None
        combined = _combine(previous, threshold) if previous is not None else None
        if combined is not None:
            merged[-1] = combined
        else:
            merged.append(threshold)
    return merged


def _combine(first: Threshold, second: Threshold) -> Threshold | None:
    if first.polarity != "include" or second.polarity != "include":
        return None
    if (first.entity, first.reference, first.condition) != (second.entity, second.reference, second.condition):
        return None
    if first.unit and second.unit and first.unit != second.unit:
        return None
    lower, upper = _split(first, second) or _split(second, first) or (None, None)
    if lower is None or upper is None:
        return None
    low, high = lower.interval, upper.interval
    assert low.low is not None and high.high is not None
    if low.low >= high.high:
        return None  # empty, or one point: "3.2 or higher (... low if the DAS28 is 3.2 or less)" are two statements
    span = Span(min(first.span.start, second.span.start), max(first.span.end, second.span.end))
    interval = Interval(low.low, low.low_inclusive, high.high, high.high_inclusive)
    unit = first.unit or second.unit
    return replace(first, span=span, interval=interval, unit=unit, stated=f"{first.stated} … {second.stated}")


def _split(a: Threshold, b: Threshold) -> tuple[Threshold, Threshold] | None:
    if (
        a.interval.low is not None
        and a.interval.high is None
        and b.interval.high is not None
        and b.interval.low is None
    ):
        return a, b
    return None
