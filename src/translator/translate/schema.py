"""The translation contract: what a backend (the LLM or the offline renderer) must return.

A pydantic model at the boundary, ``extra="forbid"``. The validators are cheap and structural, and their
messages are written for the model, because instructor sends them back as the re-ask: every source criterion
covered at least once, no unknown ids, no empty text. Fidelity itself is the verifier's job, not theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from translator.domain import Criterion

INCLUDE_HEADING = "You may be able to join if:"
EXCLUDE_HEADING = "You cannot join if:"


class PlainItem(BaseModel):
    """One plain-English statement and the source criteria it covers."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="One short plain-English sentence a patient can read (US grade 8 or lower).")
    covers: list[str] = Field(description="Ids of the source criteria this sentence covers, e.g. ['I3'] or ['E2'].")

    @field_validator("text")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty: write the criterion as one plain-English sentence")
        return value.strip()

    @field_validator("covers")
    @classmethod
    def _covers_something(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("covers is empty: list the id of every source criterion this sentence states")
        return value


class PlainTranslation(BaseModel):
    """A study's criteria in plain English: what lets a person join, and what keeps them out."""

    model_config = ConfigDict(extra="forbid")

    inclusion: list[PlainItem] = Field(description="Sentences for the inclusion criteria (ids starting with I).")
    exclusion: list[PlainItem] = Field(description="Sentences for the exclusion criteria (ids starting with E).")

    @model_validator(mode="after")
    def _covers_every_criterion(self, info: ValidationInfo) -> PlainTranslation:
        context = info.context or {}
        expected: Sequence[str] | None = context.get("criterion_ids")
        if expected is None:
            return self
        covered = {cid for item in (*self.inclusion, *self.exclusion) for cid in item.covers}
        known: Sequence[str] = context.get("known_ids") or expected  # group labels may be listed, need not be
        unknown = sorted(covered - set(known) - set(expected))
        if unknown:
            raise ValueError(f"unknown criterion ids {unknown}: use only the ids given in the input")
        missing = [cid for cid in expected if cid not in covered]
        if missing:
            raise ValueError(f"criteria {missing} are not covered: add a sentence for each and list its id in covers")
        return self

    def to_markdown(self, title: str | None = None) -> str:
        """The patient-facing text, in the form the verifier reads (headings give each sentence its side)."""
        lines: list[str] = [f"# {title}", ""] if title else []
        for heading, items in ((INCLUDE_HEADING, self.inclusion), (EXCLUDE_HEADING, self.exclusion)):
            if not items:
                continue
            lines += [f"## {heading}", ""]
            lines += [f"{'  ' * _depth(item)}- {' '.join(item.text.split())}" for item in items]
            lines.append("")
        return "\n".join(lines)


def _depth(item: PlainItem) -> int:
    """How deep the criteria a sentence covers are nested ("E4.b" under "E4: Prior:" is one level down), so the
    Markdown list keeps the source's structure."""
    return min((cid.count(".") for cid in item.covers), default=0)


def criterion_ids(criteria: Sequence[Criterion]) -> list[str]:
    """The ids a translation must cover: every criterion except group labels that only introduce sub-items."""
    parents = {c.parent for c in criteria if c.parent}
    return [c.id for c in criteria if not (c.id in parents and c.text.rstrip().endswith(":"))]
