"""Wild summaries (evals/verifier/wild/*.md): what the verifier reports next to what a reviewer found.

Each summary has ``<name>.expected.json`` beside it: its source NCT id, its style and the problems a careful
reviewer finds. A problem counts as found when the verifier reports a flagging finding on the same
criterion (or its parent or sub-item; any ``added`` finding, for an addition without a criterion).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from translator.evaluation.corpus import Corpus
from translator.evaluation.verifier_eval import EvalDataError, source_text
from translator.segment import segment
from translator.verify import Finding, verify
from translator.verify.policy import flags


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion_id: str | None
    kind: Literal["dropped", "altered", "polarity", "added"]
    what: str


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    style: str
    problems: list[Problem]


@dataclass(frozen=True)
class ProblemResult:
    problem: Problem
    found: bool
    same_kind: bool


@dataclass(frozen=True)
class WildResult:
    name: str
    style: str
    verdict: str
    problems: tuple[ProblemResult, ...]
    others: tuple[Finding, ...]
    """Flagging findings on criteria the reviewer did not list."""
    error: str | None = None

    @property
    def found(self) -> int:
        return sum(p.found for p in self.problems)


def related(a: str | None, b: str | None) -> bool:
    """The same criterion, or one is a sub-item of the other ("I8" and "I8.d")."""
    if a is None or b is None:
        return False
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _matches(problem: Problem, finding: Finding) -> bool:
    if problem.criterion_id is None:
        return finding.kind == "added"
    return related(problem.criterion_id, finding.criterion_id)


def load_expected(path: Path) -> Expected:
    try:
        return Expected.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise EvalDataError(f"invalid expected file ({exc})", path=path) from None


def check_wild(path: Path, examples: Path, corpus: Corpus | None) -> WildResult:
    expected_path = path.with_name(path.stem + ".expected.json")
    try:
        expected = load_expected(expected_path)
        source = source_text(expected.source, examples, corpus, expected_path)
        text = path.read_text(encoding="utf-8")
    except (EvalDataError, OSError, UnicodeDecodeError) as exc:
        return WildResult(path.stem, "", "error", (), (), error=str(exc))
    verdict = verify(source, segment(source, "inclusion"), text)
    flagging = [f for f in verdict.findings if flags([f.severity])]
    results = tuple(
        ProblemResult(
            problem,
            any(_matches(problem, f) for f in flagging),
            any(_matches(problem, f) and f.kind == problem.kind for f in flagging),
        )
        for problem in expected.problems
    )
    others = tuple(f for f in flagging if not any(_matches(p, f) for p in expected.problems))
    return WildResult(path.stem, expected.style, verdict.verdict, results, others)


def check_all(directory: Path, examples: Path, corpus: Corpus | None) -> list[WildResult]:
    return [check_wild(path, examples, corpus) for path in sorted(directory.glob("*.md"))]
