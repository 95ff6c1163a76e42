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
        return f"{fact.entity} {fact.interval.describe(unit.strip())}{condition}"
    if isinstance(fact, TimeWindow):
        ref = f" of {fact.reference}" if fact.reference else ""
        return f"{fact.event} {fact.relation} {fact.interval.describe(fact.unit)}{ref}"
    if isinstance(fact, Count):
        return f"{fact.interval.describe()} {fact.what}"
    if isinstance(fact, Item):
        return fact.concept or " ".join(fact.key) or fact.text
    return type(fact).__name__
