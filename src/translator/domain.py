"""The first domain values of the flow: a study as read, and its criteria with exact offsets.

Study -> Criterion -> Translation -> Facts -> Finding -> Verdict -> Decision. Values here are small frozen
dataclasses; pydantic lives only at the boundaries (files, API answers, LLM output, settings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Section = Literal["inclusion", "exclusion"]
SECTIONS: tuple[Section, ...] = ("inclusion", "exclusion")

AgeUnit = Literal["years", "months", "weeks", "days", "hours", "minutes"]
_AGE_UNIT_YEARS: dict[str, float] = {
    "years": 1.0,
    "months": 1 / 12,
    "weeks": 7 / 365.25,
    "days": 1 / 365.25,
    "hours": 1 / (365.25 * 24),
    "minutes": 1 / (365.25 * 24 * 60),
}
_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+?)s?\s*$")


@dataclass(frozen=True)
class AgeLimit:
    """An age bound as ClinicalTrials.gov states it ("18 Years", "6 Months")."""

    amount: float
    unit: AgeUnit

    @property
    def years(self) -> float:
        return self.amount * _AGE_UNIT_YEARS[self.unit]

    def __str__(self) -> str:
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        unit = self.unit[:-1] if amount == 1 else self.unit
        return f"{amount} {unit}"


class AgeParseError(ValueError):
    """An age string that is neither empty, "N/A" nor "<number> <unit>"."""


def parse_age(raw: str | None) -> AgeLimit | None:
    """Read a registry age. Absent, empty and "N/A" mean no limit (None); nonsense raises AgeParseError."""
    if raw is None:
        return None
    text = raw.strip()
    if not text or text.upper() in {"N/A", "NA", "NONE", "NO LIMIT"}:
        return None
    match = _AGE_RE.match(text)
    if not match:
        raise AgeParseError(f"age {raw!r} is not '<number> <unit>'")
    unit = match.group(2).lower().rstrip("s") + "s"
    if unit not in _AGE_UNIT_YEARS:
        raise AgeParseError(f"age {raw!r} has an unknown unit {match.group(2)!r}")
    return AgeLimit(float(match.group(1)), unit)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Origin:
    """Where a study came from: the file, and the record number within it (1-based) when it holds many."""

    path: str
    record: int | None = None
    kind: Literal["api-study", "api-page", "jsonl", "merged-jsonl", "text", "fetched"] = "api-study"

    def describe(self) -> str:
        return self.path if self.record is None else f"{self.path}: record {self.record}"


@dataclass(frozen=True)
class Study:
    """One trial with the eligibility text exactly as the registry gave it."""

    nct_id: str | None
    title: str | None
    criteria: str
    origin: Origin
    conditions: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    minimum_age: AgeLimit | None = None
    maximum_age: AgeLimit | None = None
    """None means no upper limit (the registry leaves it out)."""
    sex: Literal["ALL", "FEMALE", "MALE"] | None = None
    healthy_volunteers: bool | None = None
    default_section: Section = "inclusion"
    """Section of text that comes before any heading (a Chia ``_exc.txt`` file is all exclusion)."""
    notes: tuple[str, ...] = field(default=())
    """Non-fatal oddities met while reading (an unreadable age, ...), so nothing is lost silently."""

    @property
    def label(self) -> str:
        return self.nct_id or self.origin.describe()


@dataclass(frozen=True)
class Criterion:
    """One criterion: ``text == source[start:end]`` exactly, in the criteria string as read."""

    id: str
    section: Section
    text: str
    start: int
    end: int
    parent: str | None = None
    heading: str | None = None
    """The sub-section heading it sits under, if any ("Specific inclusion criteria for ...")."""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "parent": self.parent,
            "heading": self.heading,
        }
