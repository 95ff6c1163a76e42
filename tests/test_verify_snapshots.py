"""Snapshots of ``translator verify --json``: the full output for real studies, faithful and mutated.

For each study below, two texts are verified through the CLI: the faithful translation in
evals/verifier/faithful/ (tags stripped as the verifier eval strips them) and a mutant of it with three edits a
bad translation makes: a criterion dropped, a value changed, a comparator flipped (the edits are listed in the
table below and in each snapshot file). The output, with the exit code, is compared with
tests/snapshots/verify/<NCT>.<faithful|mutated>.json; a mismatch shows a unified diff of the two.

The verifier is still being improved, so a change in its findings changes these files on purpose. Regenerate
all of them with one command, then review the diff (``git diff tests/snapshots/verify``) before committing:

    TRANSLATOR_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_verify_snapshots.py

Studies from the shared corpus are verified from a temporary study JSON built from the corpus record; their
criteria texts are stored as a digest (``sha256:… (N chars)``) so that no whole record is copied into the
project. The examples' texts are stored as they are (examples/ is in the project already).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.verify_support import (
    EXAMPLE_IDS,
    EXAMPLES,
    contract_problems,
    faithful_text,
    run_verify,
    study_criteria,
    write_study_json,
    write_text,
)
from translator.evaluation.corpus import Corpus

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "verify"
UPDATE = os.environ.get("TRANSLATOR_UPDATE_SNAPSHOTS") == "1"
REGENERATE = "TRANSLATOR_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_verify_snapshots.py"


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once in the faithful text) with ``new``."""

    what: str
    old: str
    new: str


@dataclass(frozen=True)
class Study:
    nct_id: str
    drop: Edit
    change: Edit
    flip: Edit

    @property
    def edits(self) -> tuple[Edit, Edit, Edit]:
        return self.drop, self.change, self.flip


def _drop(line: str) -> Edit:
    return Edit("drop a criterion", line, "")


STUDIES = (
    Study(
        "NCT06010472",
        _drop("Women who are pregnant, breastfeeding, or planning a pregnancy within six months cannot join.\n\n"),
        Edit("change a value", "your hemoglobin at least 60 g/L", "your hemoglobin at least 80 g/L"),
        Edit("flip a comparator", "must be 50% or more", "must be 50% or less"),
    ),
    Study(
        "NCT06710717",
        _drop("- Your doctors expect you to live for more than 3 months.\n"),
        Edit("change a value", "ALT (a liver test) is less than 5 times", "ALT (a liver test) is less than 3 times"),
        Edit("flip a comparator", "below 30 ml/min", "above 30 ml/min"),
    ),
    Study(
        "NCT07193667",
        _drop("  - Your hemoglobin (the part of red blood cells that carries oxygen) is at least 60 g/L.\n"),
        Edit("change a value", "is at least 30 mL per minute", "is at least 20 mL per minute"),
        Edit("flip a comparator", "muscle strength score is under 142", "muscle strength score is over 142"),
    ),
    Study(
        "NCT07233642",
        _drop("- You had a live vaccine within four weeks before screening.\n"),
        Edit("change a value", "is at least 55%", "is at least 45%"),
        Edit("flip a comparator", "is 92% or higher", "is 92% or lower"),
    ),
    Study(
        "NCT00576225",
        _drop("- Your BMI (body mass index, a measure of weight for height) is over 35.\n"),
        Edit("change a value", "is over 25 pg/mL", "is over 15 pg/mL"),
        Edit("flip a comparator", "lost more than 10% of your body weight", "lost less than 10% of your body weight"),
    ),
    Study(
        "NCT02652234",
        _drop("- a positive test for hepatitis C (HCV), hepatitis B (HBV) or HIV;\n"),
        Edit(
            "change a value",
            "neutrophils (ANC, infection-fighting cells) at least 1.5",
            "neutrophils (ANC, infection-fighting cells) at least 1.0",
        ),
        Edit("flip a comparator", "creatinine clearance at least 50 ml/min", "creatinine clearance at most 50 ml/min"),
    ),
    Study(
        "NCT05843643",
        _drop("  - positive anti-Smith antibody.\n"),
        Edit("change a value", "at a titer of 1:80 or higher", "at a titer of 1:40 or higher"),
        Edit(
            "flip a comparator", "is 1 or more during the screening period", "is 1 or less during the screening period"
        ),
    ),
)


def mutated(text: str, study: Study) -> str:
    for edit in study.edits:
        count = text.count(edit.old)
        assert count == 1, (
            f"{study.nct_id}: the edit '{edit.what}' expects {edit.old!r} once in the faithful text, found {count}; "
            "the faithful file changed: update the edit in tests/test_verify_snapshots.py"
        )
        text = text.replace(edit.old, edit.new)
    return text


def _redacted(payload: dict[str, Any]) -> dict[str, Any]:
    """Criteria texts of corpus studies as digests: the snapshot keeps offsets and ids, not the record."""
    criteria = []
    for criterion in payload["criteria"]:
        digest = hashlib.sha256(criterion["text"].encode("utf-8")).hexdigest()[:16]
        criteria.append({**criterion, "text": f"sha256:{digest} ({len(criterion['text'])} chars)"})
    return {**payload, "criteria": criteria}


def _inputs(study: Study, variant: str, tmp_path: Path, corpus: Corpus | None) -> tuple[Path, str, str]:
    if study.nct_id in EXAMPLE_IDS:
        source = EXAMPLES / f"{study.nct_id}.json"
    else:
        assert corpus is not None
        source = write_study_json(tmp_path, study.nct_id, study_criteria(study.nct_id, corpus))
    text = faithful_text(study.nct_id)
    if variant == "mutated":
        text = mutated(text, study)
    return source, study_criteria(study.nct_id, corpus), text


def _snapshot(study: Study, variant: str, exit_code: int, payload: dict[str, Any]) -> str:
    document = {
        "study": study.nct_id,
        "translation": f"evals/verifier/faithful/{study.nct_id}.md, tags stripped",
        "edits": [{"what": e.what, "old": e.old, "new": e.new} for e in study.edits] if variant == "mutated" else [],
        "exit_code": exit_code,
        "output": payload if study.nct_id in EXAMPLE_IDS else _redacted(payload),
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return _SPAN.sub(r"[\1, \2]", text)


_SPAN = re.compile(r"\[\n\s*(\d+),\n\s*(\d+)\n\s*\]")
"""A span on one line (``[12, 30]``), so a diff shows it as one change."""


CASES = [
    pytest.param(s, v, id=f"{s.nct_id}-{v}", marks=[] if s.nct_id in EXAMPLE_IDS else [pytest.mark.corpus])
    for s in STUDIES
    for v in ("faithful", "mutated")
]


@pytest.mark.parametrize(("study", "variant"), CASES)
def test_verify_output_matches_its_snapshot(
    study: Study, variant: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    corpus: Corpus | None = None if study.nct_id in EXAMPLE_IDS else request.getfixturevalue("corpus")
    source, criteria_text, text = _inputs(study, variant, tmp_path, corpus)
    run = run_verify(source, write_text(tmp_path / f"{study.nct_id}.{variant}.md", text))
    assert run.exit_code in (0, 1), run.stderr
    assert contract_problems(run.stdout, criteria_text, text) == []
    assert run.exit_code == (0 if run.payload["verdict"] == "pass" else 1)
    if variant == "mutated":
        assert run.exit_code == 1, f"{study.nct_id}: a dropped criterion, a changed value and a flipped comparator pass"
    actual = _snapshot(study, variant, run.exit_code, run.payload)
    path = SNAPSHOTS / f"{study.nct_id}.{variant}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no snapshot {path.name}; create it with: {REGENERATE}")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"snapshot {path.name}",
                "output now",
                n=2,
            )
        )
        pytest.fail(f"the output differs from {path.name} (if the change is intended: {REGENERATE}):\n{diff}")


def test_every_snapshot_file_belongs_to_a_case() -> None:
    """A study removed from the table must take its snapshot files with it."""
    expected = {f"{s.nct_id}.{v}.json" for s in STUDIES for v in ("faithful", "mutated")}
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.json") if p.name not in expected)
    assert not stale, f"snapshot files without a case: {stale} (delete them)"
