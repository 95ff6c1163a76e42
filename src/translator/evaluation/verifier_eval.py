"""The verifier's eval: faithful translations must pass, their mutants must be flagged, paraphrases must pass.

Run with ``translator eval verifier``; writes reports/verifier.md and .json and checks the figures against
evals/thresholds.json. Each faithful file (evals/verifier/faithful/NCT….md) is read with its source
(examples/ first, else the shared corpus), stripped of its tags and verified as it is; then every mutant and
paraphrase of it. A mutant counts as flagged, and a paraphrase as falsely flagged, when the verifier reports
a flagging finding (blocker or major) that it did not report on the unmutated text: a faithful text the
verifier already flags cannot make its mutants look caught.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translator.domain import Criterion
from translator.errors import TranslatorError
from translator.evaluation.corpus import Corpus
from translator.evaluation.mutations import ADDITIONS, mutants
from translator.evaluation.paraphrases import paraphrases
from translator.evaluation.tagged import TaggedText, parse
from translator.ingest import read_paths
from translator.segment import segment
from translator.translate.schema import criterion_ids
from translator.verify import Finding, verify
from translator.verify.policy import flags

_MARKUP = re.compile(r"<!--.*?-->", re.S)


class EvalDataError(TranslatorError):
    """An eval data file that cannot be used (no source for its NCT id, unreadable)."""

    def __init__(self, message: str, *, path: Path, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class Case:
    """One faithful translation with its source criteria."""

    name: str
    path: Path
    source: str
    criteria: tuple[Criterion, ...]
    tagged: TaggedText

    @property
    def untagged(self) -> list[str]:
        """Criteria no statement covers; markup with no words ("-", "<!-- -->") cannot be translated, so it
        is not asked for."""
        by_id = {c.id: c for c in self.criteria}
        wordy = [
            cid for cid in criterion_ids(self.criteria) if re.search(r"[A-Za-z]", _MARKUP.sub("", by_id[cid].text))
        ]
        return [cid for cid in wordy if cid not in self.tagged.tagged_ids]

    @property
    def unknown(self) -> list[str]:
        known = {c.id for c in self.criteria}
        return sorted(cid for cid in self.tagged.tagged_ids if cid not in known)


@dataclass(frozen=True)
class Checked:
    """One verified text: the faithful text itself, a mutant or a paraphrase."""

    study: str
    kind: str
    edit: str
    criterion_id: str | None
    findings: tuple[Finding, ...]
    """Flagging findings the verifier reported here and not on the unmutated faithful text."""
    located: bool = False
    """For a mutant: a new finding names the broken criterion (an ``added`` finding, for an addition)."""
    masked: bool = False
    """For a mutant: the verifier already flagged the broken criterion on the faithful text, so a miss may
    only mean the mutant's finding is the same as that false flag."""

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass
class Results:
    faithful: list[Checked] = field(default_factory=list)
    mutants: list[Checked] = field(default_factory=list)
    paraphrases: list[Checked] = field(default_factory=list)
    data_problems: list[str] = field(default_factory=list)


def source_text(nct_id: str, examples: Path, corpus: Corpus | None, path: Path) -> str:
    """The study's criteria: examples/NCT….json when bundled, else the shared corpus."""
    example = examples / f"{nct_id}.json"
    if example.is_file():
        for result in read_paths([example]):
            if isinstance(result, TranslatorError):
                raise EvalDataError(f"cannot read its source {example}: {result}", path=path)
            return result.criteria
    if corpus is not None and nct_id in corpus.ctgov:
        return corpus.criteria(nct_id)
    raise EvalDataError(f"no source for {nct_id!r}", path=path, hint=f"not in {examples} and not in the shared corpus")


def load_cases(directory: Path, examples: Path, corpus: Corpus | None) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("NCT*.md")):
        source = source_text(path.stem, examples, corpus, path)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalDataError(f"cannot read it ({exc})", path=path) from None
        cases.append(Case(path.stem, path, source, segment(source, "inclusion"), parse(path.stem, raw)))
    return cases


def data_problems(case: Case) -> list[str]:
    problems: list[str] = []
    if case.untagged:
        problems.append(f"{case.name}: criteria not tagged: {', '.join(case.untagged)}")
    if case.unknown:
        problems.append(f"{case.name}: tags name unknown criteria: {', '.join(case.unknown)}")
    if case.tagged.malformed:
        problems.append(f"{case.name}: malformed tags: {', '.join(case.tagged.malformed)}")
    return problems


def finding_key(finding: Finding) -> tuple[str, str | None, str, str]:
    return finding.kind, finding.criterion_id, finding.detail, " ".join(finding.source_text.split())


def _flagging(case: Case, text: str) -> list[Finding]:
    verdict = verify(case.source, case.criteria, text)
    return [f for f in verdict.findings if flags([f.severity])]


def new_findings(findings: Sequence[Finding], base: Counter[tuple[str, str | None, str, str]]) -> tuple[Finding, ...]:
    """Findings beyond those of the base text, counted by what they say (not where the text put them)."""
    left = Counter(base)
    new: list[Finding] = []
    for finding in findings:
        key = finding_key(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    return tuple(new)


def check_case(case: Case) -> tuple[Checked, list[Checked], list[Checked]]:
    base_findings = _flagging(case, case.tagged.text)
    base = Counter(finding_key(f) for f in base_findings)
    flagged_ids = {f.criterion_id for f in base_findings if f.criterion_id}
    faithful = Checked(case.name, "faithful", "", None, tuple(base_findings))
    checked_mutants: list[Checked] = []
    for mutant in mutants(case.tagged, case.source, case.criteria):
        new = new_findings(_flagging(case, mutant.text), base)
        if mutant.kind in ADDITIONS:
            located = any(f.kind == "added" for f in new)
        else:
            located = any(f.criterion_id == mutant.criterion_id for f in new)
        masked = mutant.criterion_id in flagged_ids
        checked_mutants.append(Checked(case.name, mutant.kind, mutant.edit, mutant.criterion_id, new, located, masked))
    checked_paraphrases = [
        Checked(case.name, p.kind, p.edit, None, new_findings(_flagging(case, p.text), base))
        for p in paraphrases(case.tagged)
    ]
    return faithful, checked_mutants, checked_paraphrases


def evaluate(cases: Sequence[Case]) -> Results:
    results = Results()
    for case in cases:
        results.data_problems += data_problems(case)
        faithful, checked_mutants, checked_paraphrases = check_case(case)
        results.faithful.append(faithful)
        results.mutants += checked_mutants
        results.paraphrases += checked_paraphrases
    return results
