"""What a translation run writes per study (``<out>/<NCT>.json``) and keeps in the cache: pydantic, because
these cross a boundary (files, SQLite) and are read back.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from translator.translate.schema import PlainTranslation
from translator.translate.usage import Call, Usage, UsageTotal, total
from translator.verify.types import Finding

Status = Literal["published", "flagged", "deferred", "failed"]
RECORD_VERSION = 1


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallRecord(_Record):
    """One completion: its usage, why it ended, and the raw answer (kept so a reviewer can see what came back)."""

    finish_reason: str | None
    usage: Usage | None
    output: str
    reask_error: str | None = None

    @classmethod
    def of(cls, call: Call) -> CallRecord:
        return cls(finish_reason=call.finish_reason, usage=call.usage, output=call.output, reask_error=call.reask_error)


class FindingRecord(_Record):
    kind: str
    severity: str
    criterion_id: str | None
    message: str
    detail: str = ""

    @classmethod
    def of(cls, finding: Finding) -> FindingRecord:
        return cls(
            kind=finding.kind,
            severity=finding.severity,
            criterion_id=finding.criterion_id,
            message=finding.message,
            detail=finding.detail,
        )


class AttemptRecord(_Record):
    """One translation round: the first translation or a repair, with what the verifier said about it."""

    kind: Literal["translate", "repair"]
    number: int = Field(ge=1)
    calls: list[CallRecord] = Field(default_factory=list)
    translation: PlainTranslation | None = None
    verdict: Literal["pass", "flag"] | None = None
    findings: list[FindingRecord] = Field(default_factory=list)
    error: str | None = None

    def usage(self) -> UsageTotal:
        return total(call.usage for call in self.calls)


class CachedOutcome(_Record):
    """What the cache keeps for a key: the model's attempts. The verdict is recomputed on every hit."""

    attempts: list[AttemptRecord]


class Coverage(_Record):
    expected: list[str]
    covered: list[str]
    missing: list[str]


class StudyRecord(_Record):
    """The ``<NCT>.json`` of a study: everything needed to audit how its translation was made and judged."""

    record_version: int = RECORD_VERSION
    nct_id: str | None
    source: str
    status: Status
    reason: str | None = None
    message: str | None = None
    settings: dict[str, object]
    prompt: dict[str, str] | None = None
    cache: dict[str, object] = Field(default_factory=dict)
    translation: PlainTranslation | None = None
    markdown_file: str | None = None
    coverage: Coverage | None = None
    verdict: Literal["pass", "flag"] | None = None
    findings: list[FindingRecord] = Field(default_factory=list)
    attempts: list[AttemptRecord] = Field(default_factory=list)
    usage: dict[str, object]
    cost: dict[str, object] | str
    readability: dict[str, float | None] | None = None
