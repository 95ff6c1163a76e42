"""Read the shared corpus in place (../shared/data): ClinicalTrials.gov studies by NCT id, Chia documents.

The corpus is team data beside the project, never copied into it; evals and tests read it where it is."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


def find_corpus_root() -> Path:
    """TRANSLATOR_CORPUS, else ../shared/data beside the working directory or beside this source checkout."""
    configured = os.environ.get("TRANSLATOR_CORPUS")
    if configured:
        return Path(configured)
    candidates = [Path.cwd().parent / "shared" / "data", Path(__file__).resolve().parents[3].parent / "shared" / "data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


CORPUS_ROOT = find_corpus_root()


@dataclass(frozen=True)
class ChiaDoc:
    name: str
    path: Path
    text: str

    @property
    def section(self) -> str:
        return "exclusion" if self.name.endswith("_exc") else "inclusion"


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def merged_jsonl(self) -> Path:
        return self.root / "ctgov_v2" / "eligibility_v2_merged.jsonl"

    @cached_property
    def ctgov(self) -> dict[str, str]:
        """NCT id -> criteria text, for all 251 studies."""
        found: dict[str, str] = {}
        with self.merged_jsonl.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                found[record["nctId"]] = record["eligibilityModule"].get("eligibilityCriteria") or ""
        return found

    def criteria(self, nct_id: str) -> str:
        return self.ctgov[nct_id]

    def chia_docs(self) -> Iterator[ChiaDoc]:
        for path in sorted((self.root / "chia" / "chia_without_scope").glob("*.txt")):
            yield ChiaDoc(path.stem, path, path.read_bytes().decode("utf-8"))
