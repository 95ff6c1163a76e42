"""Findings and the verdict: what the verifier reports. The verifier never edits; it only reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from translator.domain import Criterion

FindingKind = Literal["dropped", "altered", "polarity", "added"]
Severity = Literal["blocker", "major", "minor"]
VerdictValue = Literal["pass", "flag"]


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    severity: Severity
    message: str
    criterion_id: str | None = None
    source_span: tuple[int, int] | None = None
    output_span: tuple[int, int] | None = None
    source_text: str = ""
    output_text: str = ""
    detail: str = ""
    """What exactly changed, for machines: "value", "boundary", "unit", "reference", "condition", ..."""

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "criterion_id": self.criterion_id,
            "source_span": list(self.source_span) if self.source_span else None,
            "output_span": list(self.output_span) if self.output_span else None,
            "source_text": self.source_text,
            "output_text": self.output_text,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictValue
    criteria: tuple[Criterion, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "criteria": [
                {"id": c.id, "section": c.section, "start": c.start, "end": c.end, "text": c.text}
                for c in self.criteria
            ],
            "findings": [f.to_json() for f in self.findings],
        }
