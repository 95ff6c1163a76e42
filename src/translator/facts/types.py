"""Facts: what the extractor finds in criteria and in plain English, as small frozen values.

Every fact carries its exact span in the original text, where it came from (a criterion id, or a sentence
number for plain text) and the polarity of its context: ``include`` (a requirement to join) or ``exclude``
(a reason not to join), after local negation ("no history of") and exception clauses ("unless ...").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from translator.facts.frozen import quick_init

Polarity = Literal["include", "exclude"]
TimeRelation = Literal["within", "at_least", "for", "after"]


def flip(polarity: Polarity) -> Polarity:
    return "exclude" if polarity == "include" else "include"


@quick_init
@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@quick_init
@dataclass(frozen=True)
class Interval:
    """A set of values ``low .. high`` with inclusive flags; ``None`` is unbounded.

    Comparators and ranges are one shape: "≥ 18" is [18, ∞), "< 5" is (-∞, 5), "18-65" is [18, 65].
    """

    low: float | None = None
    low_inclusive: bool = True
    high: float | None = None
    high_inclusive: bool = True

    @staticmethod
    def point(value: float) -> Interval:
        return Interval(value, True, value, True)

    @staticmethod
    def from_op(op: str, value: float) -> Interval:
        if op == ">":
            return Interval(value, False, None, True)
        if op == "≥":
            return Interval(value, True, None, True)
        if op == "<":
            return Interval(None, True, value, False)
        if op == "≤":
            return Interval(None, True, value, True)
        if op == "=":
            return Interval(value, True, value, True)
        raise ValueError(f"unknown comparator {op!r}")

    def scaled(self, factor: float) -> Interval:
        low = None if self.low is None else self.low * factor
        high = None if self.high is None else self.high * factor
        return Interval(low, self.low_inclusive, high, self.high_inclusive)  # not ``replace``: five times slower

    @property
    def one_sided(self) -> bool:
        return (self.low is None) != (self.high is None)

    def complement(self) -> Interval | None:
        """The other side of a one-sided interval ("< 30" -> "≥ 30"); None when it has no single complement."""
        if self.low is not None and self.high is None:
            return Interval(None, True, self.low, not self.low_inclusive)
        if self.high is not None and self.low is None:
            return Interval(self.high, not self.high_inclusive, None, True)
        return None

    def same_as(self, other: Interval, tolerance: float = 1e-9) -> bool:
        return (
            _close(self.low, other.low, tolerance)
            and _close(self.high, other.high, tolerance)
            and (self.low is None or self.low_inclusive == other.low_inclusive)
            and (self.high is None or self.high_inclusive == other.high_inclusive)
        )

    def describe(self, unit: str = "") -> str:
        suffix = f" {unit}" if unit else ""
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return f"= {_num(self.low)}{suffix}"
            lo = "[" if self.low_inclusive else "("
            hi = "]" if self.high_inclusive else ")"
            return f"{lo}{_num(self.low)}, {_num(self.high)}{hi}{suffix}"
        if self.low is not None:
            return f"{'≥' if self.low_inclusive else '>'} {_num(self.low)}{suffix}"
        if self.high is not None:
            return f"{'≤' if self.high_inclusive else '<'} {_num(self.high)}{suffix}"
        return "any value"


def _close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@quick_init
@dataclass(frozen=True)
class Origin:
    """Where a fact was found: a criterion of the source, or a sentence of a plain text."""

    criterion: str | None = None
    sentence: int | None = None


@dataclass(frozen=True, kw_only=True)
class Fact:
    span: Span
    origin: Origin
    polarity: Polarity
    negated: bool = False
    """A local negation cue applied ("no", "must not", "negative for"); already reflected in ``polarity``."""
    exception: bool = False
    """Named in an exception clause ("unless ...", "except ..."); already reflected in ``polarity``."""


@quick_init
@dataclass(frozen=True, kw_only=True)
class Threshold(Fact):
    entity: str
    """A glossary id ("alt", "lvef", "age") or, when unknown, ``raw:`` plus the normalised phrase."""
    interval: Interval
    """In ``unit`` (canonical); for relative limits, in multiples of ``reference``."""
    unit: str | None = None
    reference: str | None = None
    """``uln``, ``lln``, ``predicted``, ``baseline`` for relative limits ("≤ 2.5 × ULN", "< 30% predicted")."""
    condition: str | None = None
    """A conditional alternative: "(≤ 5 × ULN if liver metastases)" -> "liver metastases"."""
    entity_span: Span | None = None
    stated: str = ""
    """The value expression as written, for messages."""
    restates: bool = False
    """The limit restates the one before it in a unit of another dimension ("≥ 7.0 mmol/L (126 mg/dL)"): a
    translation may leave it out, but what it gives must be right."""
    premise: bool = False
    """A limit in a leading if-clause ("If < 16 years of age at disease onset, the diagnosis is made ..."): the
    circumstance the rest of the sentence applies in, read on the eligible side in both texts; it limits nothing
    itself."""
    members: tuple[float, ...] | None = None
    """For a set of scores with a gap ("BIRADS 0, 4 or 5", "0 or 2"): its members, which the interval spans.
    None for a limit or a range, and for a set that is the whole run between its ends ("0, 1 or 2")."""

    @property
    def known_entity(self) -> bool:
        return not self.entity.startswith("raw:")


@quick_init
@dataclass(frozen=True, kw_only=True)
class TimeWindow(Fact):
    event: str
    """What happened (a glossary id or ``raw:`` phrase): transplant, chemotherapy, last dose ..."""
    relation: TimeRelation
    interval: Interval
    """The amount in ``unit`` as written ("within 12 weeks" -> ≤ 12)."""
    unit: str
    days: Interval | None
    """The same amount in days (None for units without a fixed length, such as half-lives)."""
    reference: str | None = None
    """The point it is counted from: enrollment, screening, first dose, day 1 ..."""
    stated: str = ""


@quick_init
@dataclass(frozen=True, kw_only=True)
class Count(Fact):
    what: str
    """The counted thing, normalised: "following treatments", "prior lines", "contraception methods"."""
    interval: Interval
    stated: str = ""


@quick_init
@dataclass(frozen=True, kw_only=True)
class Item(Fact):
    """A named condition, drug, procedure or status."""

    concept: str | None
    """A glossary id, or None for a term the glossary does not know."""
    key: tuple[str, ...]
    """Normalised content words (for matching terms the glossary does not know)."""
    text: str
    listed: bool = False
    """One element of an enumeration ("HIV, hepatitis B or C")."""


@quick_init
@dataclass(frozen=True)
class Facts:
    """Everything extracted from one text."""

    thresholds: tuple[Threshold, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    counts: tuple[Count, ...] = ()
    items: tuple[Item, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def all(self) -> tuple[Fact, ...]:
        return (*self.thresholds, *self.windows, *self.counts, *self.items)

    def merged(self, other: Facts) -> Facts:
        return Facts(
            self.thresholds + other.thresholds,
            self.windows + other.windows,
            self.counts + other.counts,
            self.items + other.items,
            self.notes + other.notes,
        )
