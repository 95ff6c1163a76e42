"""Compare one source fact with the plain-text fact aligned to it, and name every difference.

Limits are compared by the eligible region they leave (see ``policy``), so an exclusion "< 30" and a
requirement "≥ 30" agree, while the same "< 30" under the other heading is a polarity flip.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from translator.facts.glossary import default_finder
from translator.facts.types import Count, Fact, Interval, Threshold, TimeWindow
from translator.verify.policy import TIME_TOLERANCE, VALUE_TOLERANCE
from translator.verify.scores import allowed_scores, describe_set, lowest_score, scale_start


@dataclass(frozen=True)
class Difference:
    key: str
    """A policy key: "altered.value", "polarity", ..."""
    detail: str
    says: str
    """What changed, in words: "more than 45 % became at least 45 %"."""


def same_meaning_key(fact: Fact) -> tuple[object, ...]:
    """What a limit, window or count says, without where it says it: equal keys are one statement repeated."""
    if isinstance(fact, Threshold):
        return ("T", fact.entity, fact.interval, fact.members, fact.unit, fact.reference, fact.condition, fact.polarity)
    if isinstance(fact, TimeWindow):
        return ("W", fact.event, fact.relation, fact.days or fact.interval, fact.unit, fact.polarity)
    if isinstance(fact, Count):
        return ("C", fact.interval, fact.polarity)
    return (type(fact).__name__, fact.span)


def close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if tolerance == TIME_TOLERANCE:
        return same_duration(a, b)
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=1e-9)


_UNIT_DAYS = (365.25, 30.4375, 7.0, 1.0)


def same_duration(a: float, b: float) -> bool:
    """Durations in days are equal within ``TIME_TOLERANCE`` when they are a conversion (3 months = 90 days),
    never when both are whole numbers of one unit (70 years is not 71 years, 12 weeks is not 13 weeks)."""
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return True
    for days in _UNIT_DAYS:
        if _whole(a / days) and _whole(b / days):
            return False
    return math.isclose(a, b, rel_tol=TIME_TOLERANCE)


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def same_interval(a: Interval, b: Interval, tolerance: float) -> bool:
    return (
        close(a.low, b.low, tolerance)
        and close(a.high, b.high, tolerance)
        and (a.low is None or a.low_inclusive == b.low_inclusive)
        and (a.high is None or a.high_inclusive == b.high_inclusive)
    )


def same_bounds(a: Interval, b: Interval, tolerance: float) -> bool:
    """Same numbers at the same ends, whatever the inclusivity."""
    return close(a.low, b.low, tolerance) and close(a.high, b.high, tolerance)


def eligible(interval: Interval, polarity: str) -> Interval | None:
    """The values that let a person join: the interval itself for a requirement, its complement for an
    exclusion (None when an excluded range has no single complement)."""
    return interval if polarity == "include" else interval.complement()


def _impossible_unit(entity: str, unit: str) -> bool:
    """Is ``unit`` one the measure is never stated in (its glossary term names the only ones)?"""
    term = default_finder().by_id.get(entity)
    return term is not None and bool(term.units) and unit not in term.units


def _tolerance(unit: str | None) -> float:
    return TIME_TOLERANCE if unit == "days" else VALUE_TOLERANCE


def _on_scale(interval: Interval, unit: str) -> Interval:
    """A grade or class scale starts at 0: "ECOG ≤ 2" is the set 0-2, so "0 or 1" shrinks it."""
    if unit == "grade" and interval.low is None and interval.high is not None:
        return replace(interval, low=0.0, low_inclusive=True)
    return interval


def _interval_difference(a: Interval, b: Interval, tolerance: float, unit: str) -> Difference | None:
    a, b = _on_scale(a, unit), _on_scale(b, unit)
    if same_interval(a, b, tolerance):
        return None
    says = f"{a.describe(unit)} became {b.describe(unit)}"
    if same_bounds(a, b, tolerance):
        return Difference("altered.boundary", "boundary", says)
    if a.low is not None and a.high is not None and b.low is not None and b.high is not None:
        if a.low == a.high and b.low == b.high:
            return Difference("altered.value", "value", says)  # "5 mg" became "4 mg": a value, no set
        return Difference("altered.set", "set", says)
    if a.one_sided and b.one_sided and (a.low is None) != (b.low is None):
        return Difference("altered.value", "direction", says)
    return Difference("altered.value", "value", says)


def compare_regions(
    src_interval: Interval, src_polarity: str, out_interval: Interval, out_polarity: str, unit: str, tolerance: float
) -> Difference | None:
    """Compare two limits by eligible region; name a polarity flip when that explains the difference."""
    if src_polarity == out_polarity:
        return _interval_difference(src_interval, out_interval, tolerance, unit)
    src_region = eligible(src_interval, src_polarity)
    out_region = eligible(out_interval, out_polarity)
    if src_region is not None and out_region is not None and same_interval(src_region, out_region, tolerance):
        return None
    if same_interval(src_interval, out_interval, tolerance):
        says = f"{src_interval.describe(unit)} moved from {src_polarity} to {out_polarity}"
        return Difference("polarity", "polarity", says)
    if src_region is not None and out_region is not None:
        return _interval_difference(src_region, out_region, tolerance, unit)
    return Difference("polarity", "polarity", f"{src_interval.describe(unit)} became {out_interval.describe(unit)}")


_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


def _stated_numbers_kept(src: Threshold, out: Threshold) -> bool:
    """ "≥ 100 × 10⁹/L" written "at least 100": the number as the source writes it, its unit left out."""
    written = {float(n.replace(",", ".")) for n in _NUMBER.findall(src.stated)}
    ends = [v for v in (out.interval.low, out.interval.high) if v is not None]
    return bool(ends) and all(any(abs(v - w) < 1e-9 for w in written) for v in ends)


def _as_written(src: Threshold, out: Threshold) -> Interval:
    """The source limit on the scale of the number it writes, when the translation gives that number without its
    unit ("≥ 100 × 10⁹/L" / "at least 100"): the missing unit is reported on its own, and the comparator is still
    compared. Otherwise the source limit as read."""
    if not src.unit or out.unit is not None or not _stated_numbers_kept(src, out):
        return src.interval
    src_ends = [v for v in (src.interval.low, src.interval.high) if v is not None]
    out_ends = [v for v in (out.interval.low, out.interval.high) if v is not None]
    if not src_ends or not src_ends[0]:
        return src.interval
    return src.interval.scaled(out_ends[0] / src_ends[0])


def compare_thresholds(src: Threshold, out: Threshold) -> list[Difference]:
    found: list[Difference] = []
    if src.reference != out.reference:
        if src.reference and not out.reference:
            found.append(Difference("altered.reference", "reference", f"× {src.reference.upper()} was dropped"))
        else:
            was = src.reference.upper() if src.reference else "an absolute value"
            found.append(Difference("altered.reference", "reference", f"{was} became {(out.reference or '').upper()}"))
        return found
    unit = src.unit or out.unit or ""
    if src.unit != out.unit:
        if src.unit and out.unit:
            found.append(Difference("altered.unit", "unit", f"unit {src.unit} became {out.unit}"))
            return found
        if (
            src.unit
            and out.unit is None
            and not same_bounds(src.interval, out.interval, VALUE_TOLERANCE)
            and not _stated_numbers_kept(src, out)
        ):
            says = f"{src.interval.describe(src.unit)} became {out.interval.describe()} with no unit"
            found.append(Difference("altered.unit", "scale", says))
            return found
        if src.unit and _impossible_unit(src.entity, src.unit):
            says = f"the source's unit {src.unit} cannot be a {src.entity}'s; the translation leaves it out"
            found.append(Difference("altered.unit_impossible", "unit_impossible", says))
        elif src.unit:
            found.append(Difference("altered.unit_dropped", "unit_dropped", f"the unit {src.unit} is missing"))
        else:
            found.append(Difference("altered.unit_added", "unit_added", f"the translation gives a unit, {out.unit}"))
    compared, difference = _score_difference(src, out, unit)
    if not compared:
        difference = compare_regions(
            _as_written(src, out), src.polarity, out.interval, out.polarity, unit, _tolerance(src.unit or out.unit)
        )
    if difference is not None:
        found.append(difference)
    if src.condition and not out.condition:
        found.append(Difference("altered.condition", "condition", f"the condition 'if {src.condition}' was dropped"))
    restated = _restated_change(src.stated, out.stated)
    if restated is not None and not found:
        found.append(restated)
    return found


def _score_difference(src: Threshold, out: Threshold, unit: str) -> tuple[bool, Difference | None]:
    """Limits on a score compared as the sets of scores they leave eligible (``scores``): whether they could be
    compared so, and how they differ. "ECOG ≤ 2" and "below 3" agree; "0 or 1" shrinks the set; "stage 5" and
    "stage 4" are two values. Limits that leave an open-ended region are compared by ``compare_regions``."""
    start = scale_start(src.entity, unit)
    if start is None:
        start = scale_start(out.entity, unit)
    listed = [m[0] for m in (src.members, out.members) if m]
    if start is None and not listed:
        return False, None
    start = start if start is not None else min(listed)
    src_region, out_region = eligible(src.interval, src.polarity), eligible(out.interval, out.polarity)
    if src_region is None or out_region is None:
        return False, None
    src_set, out_set = allowed_scores(src, src_region, start), allowed_scores(out, out_region, start)
    if src_set is None or out_set is None:
        same_floor = lowest_score(src_region) is not None and lowest_score(src_region) == lowest_score(out_region)
        return same_floor, None  # "GCS ≥ 13" and "above 12" leave the same scores; else compare the regions
    if src_set == out_set:
        return True, None
    says = f"{describe_set(src_set)} became {describe_set(out_set)}"
    if len(src_set) == 1 and len(out_set) == 1:
        return True, Difference("altered.value", "value", says)
    return True, Difference("altered.set", "set", says)


_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def _restated_change(src: str, out: str) -> Difference | None:
    """ "6.5% (48 mmol/mol)" written "6.5% (47 mmol/mol)": a limit restated in brackets on both sides is read as
    one limit, so the restatement's numbers are compared as written. Left out, it is not a change."""
    src_numbers = _bracket_numbers(src)
    out_numbers = _bracket_numbers(out)
    if not src_numbers or not out_numbers or src_numbers == out_numbers:
        return None
    return Difference("altered.value", "restated", f"the restated value {src!r} became {out!r}")


def _bracket_numbers(stated: str) -> frozenset[float]:
    return frozenset(
        float(n.replace(",", ""))
        for match in _BRACKETED.finditer(stated)
        for n in _NUMBER.findall(match.group(1) or match.group(2) or "")
    )


def compare_windows(src: TimeWindow, out: TimeWindow) -> list[Difference]:
    found: list[Difference] = []
    if src.days is not None and out.days is not None:
        a, b, unit, tolerance = src.days, out.days, "days", TIME_TOLERANCE
    else:
        a, b, unit, tolerance = src.interval, out.interval, src.unit, VALUE_TOLERANCE
        if src.unit != out.unit:
            found.append(Difference("altered.unit", "unit", f"{src.unit} became {out.unit}"))
            return found
    if {src.relation, out.relation} == {"within", "for"}:
        a, b = _as_look_back(a, src.relation), _as_look_back(b, out.relation)
    difference = compare_regions(a, src.polarity, b, out.polarity, unit, tolerance)
    if difference is not None:
        says = f"{src.stated!r} became {out.stated!r}"
        if src.stated.strip().lower() == out.stated.strip().lower():
            says += f" ({difference.says})"  # the same words, read differently: say how
        stated = Difference(difference.key, difference.detail, says)
        found.append(stated if difference.key != "polarity" else difference)
    if src.relation != out.relation and frozenset((src.relation, out.relation)) not in _SAME_RELATIONS:
        found.append(Difference("altered.relation", "relation", f"'{src.relation}' became '{out.relation}'"))
    if src.reference and out.reference and not _same_point(src.reference, out.reference):
        key = "altered.reference_point" if _known_point(src.reference) and _known_point(out.reference) else None
        says = f"'{src.reference}' became '{out.reference}'"
        found.append(Difference(key or "altered.reference_point_unclear", "reference_point", says))
    return found


_SAME_RELATIONS = frozenset(
    {
        frozenset({"within", "for"}),
        frozenset({"at_least", "for"}),
        frozenset({"after", "at_least"}),
        frozenset({"after", "within"}),
        frozenset({"after", "for"}),
    }
)
"""Relations a rewording may trade without changing the limit, the amount and its comparator being compared
anyway: "in the past 6 months" / "for the past 6 months", "cough > 2 weeks" / "a cough that has lasted more than
2 weeks", "less than 4 weeks from the last trial" (excluded) / "at least 4 weeks must have passed since" (required):
all measure the time since the event, and the interval says which way."""


_SAME_POINTS = frozenset({frozenset({"enrollment", "study_entry"})})
"""Reference points that name one moment ("prior to study entry" / "before you join the study")."""


def _same_point(a: str, b: str) -> bool:
    return a == b or frozenset((a, b)) in _SAME_POINTS


def _as_look_back(interval: Interval, relation: str) -> Interval:
    """ "for the past 7 days" (a duration of exactly 7 days) and "in the past 7 days" (a look-back of at most 7
    days) time the same stretch: a duration of one exact amount, compared with a look-back, is that look-back."""
    if relation == "for" and interval.low is not None and interval.low == interval.high:
        return Interval(None, True, interval.high, True)
    return interval


def _known_point(reference: str) -> bool:
    """Two named reference points (enrollment, first dose) can be compared; free words ("treatment starts")
    may be either, so a difference with them is only worth a reviewer's glance."""
    term = default_finder().by_id.get(reference)
    return term is not None and term.kind == "reference_point"


_PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "hour": "hour"}
_PERIODS |= {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year"}


def _period(count: Count) -> str | None:
    """The period a count is per: "migraine days per month" -> month ("migraine days" alone has none)."""
    words = count.what.split()
    return _PERIODS.get(words[-1]) if len(words) > 1 else None


def compare_counts(src: Count, out: Count) -> list[Difference]:
    difference = compare_regions(src.interval, src.polarity, out.interval, out.polarity, "", VALUE_TOLERANCE)
    periods = (_period(src), _period(out))
    if difference is None and None not in periods and periods[0] != periods[1]:
        return [Difference("altered.unit", "unit", f"{src.stated!r} per {periods[0]} became per {periods[1]}")]
    if difference is None:
        return []
    key = difference.key if difference.key == "polarity" else "altered.count"
    says = f"{src.stated!r} became {out.stated!r}"
    if src.stated.strip().lower() == out.stated.strip().lower():
        says += f" ({difference.says})"
    return [Difference(key, difference.detail, says)]
