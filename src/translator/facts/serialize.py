"""Facts as JSON: the shape ``translator facts --json`` prints and the verifier's findings point at."""

from __future__ import annotations

from translator.facts.types import Count, Fact, Interval, Item, Threshold, TimeWindow


def interval_json(interval: Interval) -> dict[str, object]:
    return {
        "low": interval.low,
        "low_inclusive": interval.low_inclusive,
        "high": interval.high,
        "high_inclusive": interval.high_inclusive,
    }


def fact_json(fact: Fact, text: str) -> dict[str, object]:
    """One fact; ``text`` is the text its span indexes."""
    data: dict[str, object] = {
        "type": type(fact).__name__.lower().replace("timewindow", "time_window"),
        "span": [fact.span.start, fact.span.end],
        "text": text[fact.span.start : fact.span.end],
        "criterion": fact.origin.criterion,
        "sentence": fact.origin.sentence,
        "polarity": fact.polarity,
        "negated": fact.negated,
        "exception": fact.exception,
    }
    if isinstance(fact, Threshold):
        data.update(
            entity=fact.entity,
            interval=interval_json(fact.interval),
            unit=fact.unit,
            reference=fact.reference,
            condition=fact.condition,
            entity_span=[fact.entity_span.start, fact.entity_span.end] if fact.entity_span else None,
            members=list(fact.members) if fact.members else None,
        )
    elif isinstance(fact, TimeWindow):
        data.update(
            event=fact.event,
            relation=fact.relation,
            interval=interval_json(fact.interval),
            unit=fact.unit,
            days=interval_json(fact.days) if fact.days else None,
            reference=fact.reference,
        )
    elif isinstance(fact, Count):
        data.update(what=fact.what, interval=interval_json(fact.interval))
    elif isinstance(fact, Item):
        data.update(concept=fact.concept, key=list(fact.key), listed=fact.listed)
    return data


def describe(fact: Fact) -> str:
    """A short human-readable statement of the fact."""
    if isinstance(fact, Threshold):
        unit = fact.unit or ""
        if fact.reference:
            unit = f"× {fact.reference.upper()}" if fact.reference in ("uln", "lln") else f"{unit} {fact.reference}"
        condition = f" if {fact.condition}" if fact.condition else ""
        if fact.members:
            return f"{fact.entity} {' or '.join(f'{m:g}' for m in fact.members)}{condition}"
        return f"{fact.entity} {fact.interval.describe(unit.strip())}{condition}"
    if isinstance(fact, TimeWindow):
        ref = f" of {fact.reference}" if fact.reference else ""
        return f"{fact.event} {fact.relation} {fact.interval.describe(fact.unit)}{ref}"
    if isinstance(fact, Count):
        return f"{fact.interval.describe()} {fact.what}"
    if isinstance(fact, Item):
        return fact.concept or " ".join(fact.key) or fact.text
    return type(fact).__name__


_TIME_DISPLAY = (("years", 365.25), ("months", 30.4375), ("weeks", 7.0), ("days", 1.0), ("hours", 1 / 24))


def _sig_number(value: float) -> str:
    rounded = float(f"{value:.6g}")
    return str(int(rounded)) if rounded.is_integer() and abs(rounded) < 1e15 else f"{rounded:g}"


def _sig_interval(interval: Interval, scale: float = 1.0) -> str:
    low = None if interval.low is None else interval.low / scale
    high = None if interval.high is None else interval.high / scale
    if low is not None and high is not None:
        if low == high:
            return f"={_sig_number(low)}"
        opening = "[" if interval.low_inclusive else "("
        closing = "]" if interval.high_inclusive else ")"
        return f"{opening}{_sig_number(low)},{_sig_number(high)}{closing}"
    if low is not None:
        return f"{'>=' if interval.low_inclusive else '>'}{_sig_number(low)}"
    if high is not None:
        return f"{'<=' if interval.high_inclusive else '<'}{_sig_number(high)}"
    return "any"


def _time_display(interval: Interval) -> tuple[float, str]:
    """The largest time unit in which every bound is a whole or half number (18 years, not 6574.5 days)."""
    bounds = [b for b in (interval.low, interval.high) if b is not None]
    for name, days in _TIME_DISPLAY:
        if bounds and all(abs(b / days * 2 - round(b / days * 2)) < 1e-6 for b in bounds):
            return days, name
    return 1.0, "days"


def signature(fact: Fact) -> str:
    """A compact, stable, readable statement of a fact, for test tables and debugging.

    ``+`` is a requirement to join, ``-`` a reason not to join. Examples: ``+T alt <5 ×uln``,
    ``+T age [18,65] years``, ``-W hsct within <=12 weeks from enrollment``, ``+C following treatments >=2``,
    ``-I hiv``, ``+I ~psychological neg``.
    """
    sign = "+" if fact.polarity == "include" else "-"
    if isinstance(fact, Threshold):
        scale, unit = (1.0, fact.unit or "")
        if fact.unit == "days":
            scale, unit = _time_display(fact.interval)
        shown = "{" + ",".join(_sig_number(m) for m in fact.members) + "}" if fact.members else None
        text = f"{sign}T {fact.entity} {shown or _sig_interval(fact.interval, scale)}"
        text += f" {unit}" if unit else ""
        text += f" ×{fact.reference}" if fact.reference else ""
        return text + (f" if {fact.condition}" if fact.condition else "")
    if isinstance(fact, TimeWindow):
        text = f"{sign}W {fact.event} {fact.relation} {_sig_interval(fact.interval)} {fact.unit}"
        return text + (f" from {fact.reference}" if fact.reference else "")
    if isinstance(fact, Count):
        return f"{sign}C {fact.what} {_sig_interval(fact.interval)}"
    if isinstance(fact, Item):
        name = fact.concept or "~" + " ".join(fact.key)
        flags = (" neg" if fact.negated else "") + (" exc" if fact.exception else "")
        return f"{sign}I {name}{flags}"
    return f"{sign}{type(fact).__name__}"
