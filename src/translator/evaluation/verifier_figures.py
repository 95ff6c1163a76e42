"""The verifier eval's figures (recall per mutation kind, false-flag rates, confusion) and their thresholds.

evals/thresholds.json holds the committed minimums under ``"verifier"``; other suites may keep their own
sections in the same file. A figure below its threshold, or a mutation kind with no mutants to measure, is
a shortfall, and the command fails on any shortfall.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from translator.evaluation.mutations import MUTATION_KINDS
from translator.evaluation.paraphrases import PARAPHRASE_KINDS
from translator.evaluation.verifier_eval import Checked, EvalDataError, Results

FINDING_KINDS = ("dropped", "altered", "polarity", "added")


class VerifierTargets(BaseModel):
    """What the verifier issue asks for. Reported beside the figures; CI gates on the committed minimums."""

    model_config = ConfigDict(extra="forbid")

    min_recall: float = 0.99
    max_faithful_false_flags: int = 0
    max_paraphrase_false_flag_rate: float = 0.01


class VerifierThresholds(BaseModel):
    """Minimum recall per mutation kind, and the most false flags allowed: the committed floor (a ratchet at the
    figures last measured, raised as the verifier improves), with the issue's targets beside it."""

    model_config = ConfigDict(extra="forbid")

    min_recall: dict[str, float]
    max_faithful_false_flags: int
    max_paraphrase_false_flag_rate: float
    targets: VerifierTargets = VerifierTargets()

    @field_validator("min_recall")
    @classmethod
    def _known_kinds(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(MUTATION_KINDS))
        if unknown:
            raise ValueError(f"unknown mutation kinds {unknown}; the kinds are {list(MUTATION_KINDS)}")
        missing = [kind for kind in MUTATION_KINDS if kind not in value]
        if missing:
            raise ValueError(f"no minimum recall for {missing}")
        return value


@dataclass(frozen=True)
class Shortfall:
    figure: str
    value: float | None
    limit: float

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.figure}: nothing to measure (no mutants of this kind), needs {self.limit:.2%}"
        if self.figure.startswith("recall"):
            return f"{self.figure} is {self.value:.2%}, below the minimum {self.limit:.2%}"
        if self.figure == "faithful false flags":
            return f"{self.figure}: {self.value:.0f}, more than the {self.limit:.0f} allowed"
        return f"{self.figure} is {self.value:.2%}, above the maximum {self.limit:.2%}"


def load_thresholds(path: Path) -> VerifierThresholds:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalDataError(f"cannot read the thresholds ({exc})", path=path) from None
    if not isinstance(data, dict) or "verifier" not in data:
        raise EvalDataError('no "verifier" section', path=path, hint="see evals/verifier/README.md")
    try:
        return VerifierThresholds.model_validate(data["verifier"])
    except ValidationError as exc:
        raise EvalDataError(f"invalid verifier thresholds: {exc}", path=path) from None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Count:
    """How many texts of one kind, how many of them were flagged, and (mutants) how many were located."""

    total: int
    flagged: int
    located: int = 0
    masked_misses: int = 0
    """Missed mutants whose criterion the verifier already flagged on the faithful text."""

    @property
    def rate(self) -> float | None:
        return _rate(self.flagged, self.total)

    @property
    def located_rate(self) -> float | None:
        return _rate(self.located, self.total)


@dataclass(frozen=True)
class Figures:
    studies: int
    mutations: dict[str, Count]
    confusion: dict[str, dict[str, int]]
    faithful: Count
    paraphrases: dict[str, Count]
    """Per paraphrase kind, and "all"."""

    def to_json(self) -> dict[str, object]:
        return {
            "studies": self.studies,
            "mutations": {
                kind: {
                    "mutants": c.total,
                    "flagged": c.flagged,
                    "recall": c.rate,
                    "located": c.located,
                    "located_recall": c.located_rate,
                    "missed_on_already_flagged_criterion": c.masked_misses,
                }
                for kind, c in self.mutations.items()
            },
            "confusion": self.confusion,
            "faithful": {"texts": self.faithful.total, "false_flags": self.faithful.flagged},
            "paraphrases": {
                kind: {"paraphrases": c.total, "false_flags": c.flagged, "rate": c.rate}
                for kind, c in self.paraphrases.items()
            },
        }


def _count(rows: Sequence[Checked]) -> Count:
    masked = sum(r.masked and not r.flagged for r in rows)
    return Count(len(rows), sum(r.flagged for r in rows), sum(r.located for r in rows), masked)


def confusion(mutants: Sequence[Checked]) -> dict[str, dict[str, int]]:
    """Per mutation kind: how many mutants got a new finding of each kind, and how many got none."""
    table: dict[str, dict[str, int]] = {}
    for kind in MUTATION_KINDS:
        counts: Counter[str] = Counter()
        for mutant in (m for m in mutants if m.kind == kind):
            counts.update({f.kind for f in mutant.findings})
            counts["missed"] += not mutant.flagged
        table[kind] = {name: counts[name] for name in (*FINDING_KINDS, "missed")}
    return table


def figures(results: Results) -> Figures:
    paraphrases = {kind: _count([p for p in results.paraphrases if p.kind == kind]) for kind in PARAPHRASE_KINDS}
    paraphrases["all"] = _count(results.paraphrases)
    return Figures(
        studies=len(results.faithful),
        mutations={kind: _count([m for m in results.mutants if m.kind == kind]) for kind in MUTATION_KINDS},
        confusion=confusion(results.mutants),
        faithful=_count(results.faithful),
        paraphrases=paraphrases,
    )


def check(data: Figures, thresholds: VerifierThresholds) -> list[Shortfall]:
    shortfalls: list[Shortfall] = []
    for kind, minimum in thresholds.min_recall.items():
        recall = data.mutations[kind].rate
        if recall is None or recall < minimum:
            shortfalls.append(Shortfall(f"recall of {kind}", recall, minimum))
    if data.faithful.flagged > thresholds.max_faithful_false_flags:
        limit = thresholds.max_faithful_false_flags
        shortfalls.append(Shortfall("faithful false flags", data.faithful.flagged, limit))
    rate = data.paraphrases["all"].rate
    if rate is not None and rate > thresholds.max_paraphrase_false_flag_rate:
        shortfalls.append(Shortfall("paraphrase false-flag rate", rate, thresholds.max_paraphrase_false_flag_rate))
    return shortfalls
