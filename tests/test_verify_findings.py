"""What the verifier must find, as tables of clinical/plain pairs written from a reviewer's reading.

Each case in ``verify_cases/*.yaml`` pairs real criteria (verbatim from the shared corpus or examples/, with
where they come from) with a plain-English text written for the case, and says what a careful reviewer wants
reported: the verdict and the findings (kind, severity, criterion id, and the ``detail`` where the case is
about it). The expectations come from reading the pair and the written policy (``translator.verify.policy``),
never from running the verifier. Where the verifier disagrees and is wrong, the case carries
``xfail: <what is wrong>`` and runs as a strict xfail, so it alerts when the verifier is fixed.

Criteria are written as the two lists ClinicalTrials.gov shows (``inclusion:``, ``exclusion:``; built into
"Inclusion Criteria:" / "Exclusion Criteria:" sections of ``* `` bullets, ids I1.. and E1..), or as the raw
text (``criteria:``) for nested lists. The text is verified as ``verify(text, segment(text), translation)``.

Matching, per case:

- the verdict must be the expected one;
- every expected finding must be reported: a finding with the same kind, severity and criterion id (null for
  an addition), and the same detail when the case gives one;
- every reported blocker or major finding must be expected: a flag nobody asked for fails the case.
  Minor findings (notes for a reviewer; they never flag) that the case does not list are allowed.

How many findings the verifier splits one change into (one per event of a flipped "heart attack or stroke
within 6 months", or a count and its counted thing) is its presentation, not the reviewer's question, so an
expected finding may be matched by several reported ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from translator.segment import segment
from translator.verify import Finding, verify
from translator.verify.types import FindingKind, Severity

CASES_DIR = Path(__file__).resolve().parent / "verify_cases"
FLAGGING: tuple[Severity, ...] = ("blocker", "major")


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FindingKind
    severity: Severity
    criterion: str | None
    detail: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.kind == self.kind
            and finding.severity == self.severity
            and finding.criterion_id == self.criterion
            and (self.detail is None or finding.detail == self.detail)
        )

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.severity} {self.kind} {self.criterion or '-'}{detail}"


class Case(BaseModel):
    """One row of a table, as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: str = Field(min_length=3)
    """Where the criteria come from: ``NCT06710717 I7`` (that record's criterion I7 in the corpus or examples/)."""
    inclusion: list[str] = []
    exclusion: list[str] = []
    criteria: str | None = None
    translation: str
    verdict: Literal["pass", "flag"]
    findings: list[Expected]
    why: str | None = None
    """The reviewer's reasoning, where the expectation is a judgement call."""
    xfail: str | None = None
    """What the verifier gets wrong here (the case runs as a strict xfail)."""

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if (self.criteria is None) == (not self.inclusion and not self.exclusion):
            raise ValueError(f"{self.id}: give either criteria or inclusion/exclusion lists")
        flagging = any(f.severity in FLAGGING for f in self.findings)
        if flagging != (self.verdict == "flag"):
            raise ValueError(f"{self.id}: verdict {self.verdict} contradicts the expected severities")
        return self

    @property
    def text(self) -> str:
        if self.criteria is not None:
            return self.criteria
        parts = []
        if self.inclusion:
            parts.append("Inclusion Criteria:\n\n" + "".join(f"* {c}\n" for c in self.inclusion))
        if self.exclusion:
            parts.append("Exclusion Criteria:\n\n" + "".join(f"* {c}\n" for c in self.exclusion))
        return "\n".join(parts)


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: list[Case]


@cache
def tables() -> dict[str, Table]:
    found = {
        path.stem: Table.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(CASES_DIR.glob("*.yaml"))
    }
    ids = [case.id for table in found.values() for case in table.cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate case ids {duplicates}"
    return found


def _params() -> list[object]:
    params: list[object] = []
    for name, table in tables().items():
        for case in table.cases:
            marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
            params.append(pytest.param(case, id=f"{name}:{case.id}", marks=marks))
    return params


def _describe(finding: Finding) -> str:
    return f"{finding.severity} {finding.kind} {finding.criterion_id or '-'} ({finding.detail}): {finding.message}"


def mismatches(case: Case, verdict: str, findings: Sequence[Finding]) -> list[str]:
    """What differs between the expectation and the report, in words (empty when the case holds)."""
    problems = [] if verdict == case.verdict else [f"verdict {verdict}, expected {case.verdict}"]
    problems += [f"missing: {e}" for e in case.findings if not any(e.matches(f) for f in findings)]
    unexpected = [f for f in findings if f.severity in FLAGGING and not any(e.matches(f) for e in case.findings)]
    return problems + [f"unexpected: {_describe(f)}" for f in unexpected]


@pytest.mark.parametrize("case", _params())
def test_verifier_finds_what_a_reviewer_expects(case: Case) -> None:
    text = case.text
    criteria = segment(text, "inclusion")
    verdict = verify(text, criteria, case.translation)
    problems = mismatches(case, verdict.verdict, verdict.findings)
    report = "\n".join(["  " + _describe(f) for f in verdict.findings]) or "  (no findings)"
    assert problems == [], f"{case.id}: " + "; ".join(problems) + "\nreported:\n" + report


def test_tables_cover_every_kind_and_have_enough_cases() -> None:
    cases = [case for table in tables().values() for case in table.cases]
    assert len(cases) >= 60
    kinds = {f.kind for case in cases for f in case.findings}
    assert kinds == {"dropped", "altered", "polarity", "added"}
    assert sum(case.verdict == "pass" for case in cases) >= 15


def test_criterion_ids_in_the_tables_exist() -> None:
    """An expectation naming a criterion the segmenter does not produce could never match."""
    for table in tables().values():
        for case in table.cases:
            ids = {c.id for c in segment(case.text, "inclusion")}
            named = {f.criterion for f in case.findings if f.criterion is not None}
            assert named <= ids, f"{case.id}: {sorted(named - ids)} not among {sorted(ids)}"


@pytest.mark.parametrize(
    ("expected", "finding", "matches"),
    [
        (Expected(kind="dropped", severity="blocker", criterion="E1"), Finding("dropped", "blocker", "m", "E1"), True),
        (Expected(kind="dropped", severity="major", criterion="E1"), Finding("dropped", "blocker", "m", "E1"), False),
        (Expected(kind="dropped", severity="blocker", criterion="E2"), Finding("dropped", "blocker", "m", "E1"), False),
        (
            Expected(kind="altered", severity="major", criterion="I1", detail="boundary"),
            Finding("altered", "major", "m", "I1", detail="value"),
            False,
        ),
        (Expected(kind="added", severity="major", criterion=None), Finding("added", "major", "m", None), True),
    ],
)
def test_matching_compares_kind_severity_criterion_and_detail(
    expected: Expected, finding: Finding, matches: bool
) -> None:
    assert expected.matches(finding) is matches


def test_an_unexpected_flagging_finding_fails_a_case_and_a_minor_one_does_not() -> None:
    case = Case(
        id="x",
        source="made up",
        inclusion=["Age ≥ 18 years"],
        translation="",
        verdict="pass",
        findings=[],
    )
    assert mismatches(case, "pass", [Finding("added", "minor", "m")]) == []
    assert mismatches(case, "pass", [Finding("added", "major", "m")]) != []


def test_a_missing_finding_fails_a_case_and_a_split_one_does_not() -> None:
    expected = Expected(kind="polarity", severity="blocker", criterion="E1")
    case = Case(id="x", source="made up", exclusion=["Stroke"], translation="", verdict="flag", findings=[expected])
    split = [Finding("polarity", "blocker", "m", "E1"), Finding("polarity", "blocker", "n", "E1")]
    assert mismatches(case, "flag", split) == []
    assert mismatches(case, "flag", [Finding("dropped", "blocker", "m", "E1")]) != []
    assert mismatches(case, "pass", []) != []
