"""Segmentation over the whole corpus: how many criteria per study, by section and depth.

Run with ``translator eval segmentation``; writes reports/segmentation.md and .json.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from translator.domain import Section
from translator.evaluation.corpus import Corpus
from translator.evaluation.reporting import environment, md_table, percentile, write_report
from translator.segment import segment


@dataclass
class _Stats:
    per_record: list[int] = field(default_factory=list)
    sections: Counter[str] = field(default_factory=Counter)
    depths: Counter[int] = field(default_factory=Counter)
    no_exclusion: int = 0

    def add(self, text: str, section: Section) -> None:
        criteria = segment(text, section)
        self.per_record.append(len(criteria))
        self.sections.update(c.section for c in criteria)
        self.depths.update(c.id.count(".") for c in criteria)
        if not any(c.section == "exclusion" for c in criteria):
            self.no_exclusion += 1

    def summary(self) -> dict[str, object]:
        counts = [float(n) for n in self.per_record]
        return {
            "records": len(counts),
            "criteria": int(sum(counts)),
            "per_record": {
                "min": min(counts, default=0),
                "median": percentile(counts, 0.5),
                "p90": percentile(counts, 0.9),
                "max": max(counts, default=0),
                "mean": round(sum(counts) / len(counts), 2) if counts else 0,
            },
            "histogram": _histogram([int(n) for n in counts]),
            "by_section": dict(self.sections),
            "by_depth": {str(k): v for k, v in sorted(self.depths.items())},
            "records_without_exclusion": self.no_exclusion,
        }


_BUCKETS = [(0, 0), (1, 5), (6, 10), (11, 20), (21, 30), (31, 50), (51, 100), (101, 10**9)]


def _histogram(counts: list[int]) -> dict[str, int]:
    histogram: dict[str, int] = {}
    for low, high in _BUCKETS:
        label = str(low) if low == high else f"{low}+" if high == 10**9 else f"{low}-{high}"
        found = sum(low <= n <= high for n in counts)
        if found:
            histogram[label] = found
    return histogram


def run(corpus: Corpus, out_dir: Path) -> dict[str, object]:
    ctgov = _Stats()
    for text in corpus.ctgov.values():
        ctgov.add(text, "inclusion")
    chia = _Stats()
    for doc in corpus.chia_docs():
        chia.add(doc.text, "exclusion" if doc.section == "exclusion" else "inclusion")
    data: dict[str, object] = {
        "ctgov_v2": ctgov.summary(),
        "chia": chia.summary(),
        "environment": environment(),
    }
    write_report(out_dir, "segmentation", _markdown(data), data)
    return data


def _markdown(data: dict[str, object]) -> str:
    parts = [
        "# Segmentation over the shared corpus",
        "",
        "Produced by `translator eval segmentation` (reads `../shared/data` in place). Every record is split "
        "into criteria; `tests/test_segment_corpus.py` checks on each one that every criterion's text is its "
        "source slice, that criteria never overlap and that no text outside headings and list markers is lost.",
    ]
    for name, title in (("ctgov_v2", "ClinicalTrials.gov API v2 studies"), ("chia", "Chia documents")):
        stats = data[name]
        assert isinstance(stats, dict)
        per = stats["per_record"]
        assert isinstance(per, dict)
        parts += [
            "",
            f"## {title}: {stats['records']} records, {stats['criteria']} criteria",
            "",
            f"Criteria per record: min {per['min']:.0f}, median {per['median']:.0f}, p90 {per['p90']:.0f}, "
            f"max {per['max']:.0f}, mean {per['mean']}.",
            f"By section: {stats['by_section']}. By depth (0 = top level): {stats['by_depth']}. "
            f"Records without any exclusion criterion: {stats['records_without_exclusion']}.",
            "",
            md_table(["criteria per record", "records"], [[k, v] for k, v in stats["histogram"].items()]),
        ]
    return "\n".join(parts)
