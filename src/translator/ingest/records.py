"""ClinicalTrials.gov record shapes (the boundary) and their conversion to a ``Study``.

These models describe third-party data whose full schema we do not own (an API v2 study has hundreds of
fields), so unlike our own files they ignore unknown keys rather than forbid them. They keep only what the
tool reads, and check its types.
"""

from __future__ import annotations

import re
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from translator.domain import AgeLimit, AgeParseError, Origin, Study, parse_age

NCT_RE = re.compile(r"(?<![A-Za-z0-9])NCT(\d{8})(?!\d)", re.IGNORECASE)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


_M = TypeVar("_M", bound=_Lenient)


class EligibilityModule(_Lenient):
    eligibilityCriteria: str | None = None
    healthyVolunteers: bool | None = None
    sex: Literal["ALL", "FEMALE", "MALE"] | None = None
    minimumAge: str | None = None
    maximumAge: str | None = None


class IdentificationModule(_Lenient):
    nctId: str | None = None
    briefTitle: str | None = None
    officialTitle: str | None = None


class ConditionsModule(_Lenient):
    conditions: list[str] = Field(default_factory=list)


class DesignModule(_Lenient):
    phases: list[str] = Field(default_factory=list)


class ProtocolSection(_Lenient):
    identificationModule: IdentificationModule = Field(default_factory=IdentificationModule)
    conditionsModule: ConditionsModule = Field(default_factory=ConditionsModule)
    designModule: DesignModule = Field(default_factory=DesignModule)
    eligibilityModule: EligibilityModule | None = None


class ApiStudy(_Lenient):
    """One study as API v2 (``/api/v2/studies/NCT…``) and the site's JSON download give it."""

    protocolSection: ProtocolSection


class MergedLine(_Lenient):
    """A line of ``eligibility_v2_merged.jsonl``: flat identification plus the full eligibility module."""

    nctId: str
    briefTitle: str | None = None
    conditions: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)
    eligibilityModule: EligibilityModule | None = None


class RecordProblem(ValueError):
    """A record that is not a usable study. ``skip`` marks well-formed studies with nothing to do."""

    def __init__(self, message: str, *, nct_id: str | None = None, skip: bool = False, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.nct_id = nct_id
        self.skip = skip
        self.hint = hint


def study_from_object(obj: object, origin: Origin) -> Study:
    """Convert one decoded JSON record into a Study, or raise RecordProblem saying why it is not one."""
    if not isinstance(obj, dict):
        raise RecordProblem(f"expected a study object, found a JSON {type(obj).__name__}")
    if "protocolSection" in obj:
        api = _validate(ApiStudy, obj)
        protocol = api.protocolSection
        ident = protocol.identificationModule
        return _study(
            nct_id=ident.nctId,
            title=ident.briefTitle or ident.officialTitle,
            conditions=protocol.conditionsModule.conditions,
            phases=protocol.designModule.phases,
            module=protocol.eligibilityModule,
            origin=origin,
        )
    if "nctId" in obj and "eligibilityModule" in obj:
        line = _validate(MergedLine, obj)
        return _study(
            nct_id=line.nctId,
            title=line.briefTitle,
            conditions=line.conditions,
            phases=line.phases,
            module=line.eligibilityModule,
            origin=origin,
        )
    keys = ", ".join(repr(k) for k in list(obj)[:5]) or "no keys"
    raise RecordProblem(
        f"JSON object is not a ClinicalTrials.gov study (it has {keys})",
        hint="expected an API v2 study with 'protocolSection', a page with 'studies', or a merged line",
    )


def _validate(model: type[_M], obj: dict[str, object]) -> _M:
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        nct = _guess_nct(obj)
        raise RecordProblem(f"field {where!r}: {first['msg']}", nct_id=nct) from exc


def _guess_nct(obj: dict[str, object]) -> str | None:
    match = NCT_RE.search(str(obj)[:2000])
    return f"NCT{match.group(1)}" if match else None


def _study(
    *,
    nct_id: str | None,
    title: str | None,
    conditions: list[str],
    phases: list[str],
    module: EligibilityModule | None,
    origin: Origin,
) -> Study:
    if module is None:
        raise RecordProblem("the study has no eligibility module", nct_id=nct_id, skip=True)
    criteria = module.eligibilityCriteria or ""
    if not criteria.strip():
        raise RecordProblem("the study's eligibility criteria are empty", nct_id=nct_id, skip=True)
    notes: list[str] = []
    return Study(
        nct_id=nct_id,
        title=title,
        criteria=criteria,
        origin=origin,
        conditions=tuple(conditions),
        phases=tuple(phases),
        minimum_age=_age(module.minimumAge, "minimumAge", notes),
        maximum_age=_age(module.maximumAge, "maximumAge", notes),
        sex=module.sex,
        healthy_volunteers=module.healthyVolunteers,
        notes=tuple(notes),
    )


def _age(raw: str | None, name: str, notes: list[str]) -> AgeLimit | None:
    try:
        return parse_age(raw)
    except AgeParseError as exc:
        notes.append(f"{name}: {exc}; treated as no limit")
        return None
