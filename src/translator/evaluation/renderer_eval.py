"""``translator eval renderer``: the offline renderer over every corpus study and the bundled examples.

Each study goes through the same pipeline ``translator translate`` runs with no configuration (render, verify,
repair flagged criteria in their own words, verify again), so "published" here means what it means there. The
report gives how many studies were published or flagged, every finding on a flagged study, the Flesch–Kincaid
grade of the translations (``translate/readability.py``), and how each criterion was rendered: by a template,
rewritten, in plain words, cleaned, or copied literally (by the renderer's own fallback, or by the repair after
the verifier flagged it). Figures below the committed thresholds (``evals/thresholds.json``, key
``renderer``) fail the command.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from translator.domain import Criterion, Study
from translator.evaluation.corpus import Corpus
from translator.evaluation.first_drafts import Drafts, check_first_drafts
from translator.evaluation.first_drafts import markdown_lines as draft_lines
from translator.evaluation.first_drafts import to_json as drafts_json
from translator.evaluation.reporting import environment, md_table, write_report
from translator.evaluation.verifier_eval import EvalDataError
from translator.ingest import read_paths
from translator.render import METHODS, Rendered, render_criteria, to_translation
from translator.translate.llm import Answer
from translator.translate.pipeline import Pipeline, RulesBackend
from translator.translate.record import StudyRecord
from translator.translate.settings import load_settings
from translator.translate.usage import load_prices

NO_DRAFTS = Drafts(0, ())
"""No Chia documents measured."""
REPAIRED = "repaired"
"""Rendered one way first, then given in its own words after the verifier flagged it."""
KINDS: tuple[str, ...] = (*METHODS, REPAIRED)


class RendererThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_published_share: float = Field(ge=0, le=1)
    max_median_grade: float
    max_chia_first_drafts_flagged: int = Field(ge=0)
    """First drafts of the Chia documents the verifier may flag (not checked where the documents are absent)."""


@dataclass(frozen=True)
class Finding:
    criterion: str | None
    severity: str
    kind: str
    message: str


@dataclass(frozen=True)
class StudyResult:
    nct_id: str
    group: str
    """``corpus`` or ``examples``."""
    status: str
    grade: float | None
    methods: Counter[str]
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Outcome:
    results: tuple[StudyResult, ...]
    thresholds: RendererThresholds
    shortfalls: tuple[str, ...] = field(default=())
    drafts: Drafts = NO_DRAFTS
    """The verifier on the renderer's first drafts of the Chia documents (``first_drafts``)."""

    @property
    def published(self) -> int:
        return sum(r.status == "published" for r in self.results)

    @property
    def grades(self) -> list[float]:
        return sorted(r.grade for r in self.results if r.grade is not None)


class _RecordingBackend(RulesBackend):
    """The rules backend, remembering how it rendered each criterion the first time."""

    def __init__(self) -> None:
        self.first: list[Rendered] = []

    def translate(self, criteria: Sequence[Criterion], study: str | None) -> Answer:
        self.first = render_criteria(criteria)
        return Answer(to_translation(self.first), ())


def load_thresholds(path: Path) -> RendererThresholds:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalDataError(f"cannot read the thresholds ({exc})", path=path) from None
    if not isinstance(data, dict) or "renderer" not in data:
        raise EvalDataError('no "renderer" section', path=path, hint="add min_published_share and max_median_grade")
    try:
        return RendererThresholds.model_validate(data["renderer"])
    except ValidationError as exc:
        raise EvalDataError(f"invalid renderer thresholds: {exc}", path=path) from None


def studies(corpus: Corpus, examples: Path, *, limit: int | None = None) -> Iterator[tuple[str, Study]]:
    """Every study of the corpus (its merged JSON Lines) and of the examples folder, in that order."""
    for group, path in (("corpus", corpus.merged_jsonl), ("examples", examples)):
        found = (s for s in read_paths([path]) if isinstance(s, Study))
        for number, study in enumerate(found):
            if limit is not None and number >= limit:
                break
            yield group, study


def evaluate(items: Iterable[tuple[str, Study]]) -> list[StudyResult]:
    backend = _RecordingBackend()
    pipeline = Pipeline(load_settings(environ={}, backend="rules"), backend, load_prices())
    results: list[StudyResult] = []
    for group, study in items:
        backend.first = []
        outcome = pipeline.run(study)
        results.append(_result(group, outcome.record, backend.first))
    return results


def _result(group: str, record: StudyRecord, first: list[Rendered]) -> StudyResult:
    final = record.translation
    texts = {cid: item.text for item in (*final.inclusion, *final.exclusion) for cid in item.covers} if final else {}
    methods = Counter(r.method if texts.get(r.criterion_id, r.text) == r.text else REPAIRED for r in first)
    findings = tuple(
        Finding(f.criterion_id, f.severity, f.kind, f.message) for f in record.findings if record.status != "published"
    )
    grade = (record.readability or {}).get("flesch_kincaid_grade")
    return StudyResult(record.nct_id or record.source, group, record.status, grade, methods, findings)


def check(
    outcome_results: Sequence[StudyResult], thresholds: RendererThresholds, drafts: Drafts = NO_DRAFTS
) -> list[str]:
    total = len(outcome_results)
    published = sum(r.status == "published" for r in outcome_results)
    grades = [r.grade for r in outcome_results if r.grade is not None]
    shortfalls: list[str] = []
    share = published / total if total else 0.0
    if share < thresholds.min_published_share:
        shortfalls.append(f"published share is {share:.2%}, below the minimum {thresholds.min_published_share:.2%}")
    median = statistics.median(grades) if grades else None
    if median is None or median > thresholds.max_median_grade:
        shortfalls.append(f"median grade is {median}, above the maximum {thresholds.max_median_grade}")
    if drafts.documents and len(drafts.flagged) > thresholds.max_chia_first_drafts_flagged:
        most = thresholds.max_chia_first_drafts_flagged
        shortfalls.append(f"{len(drafts.flagged)} Chia first drafts flagged, above the maximum {most}")
    return shortfalls


def run(corpus: Corpus, examples: Path, thresholds_path: Path, out_dir: Path, *, limit: int | None = None) -> Outcome:
    thresholds = load_thresholds(thresholds_path)
    results = tuple(evaluate(studies(corpus, examples, limit=limit)))
    drafts = check_first_drafts(islice(corpus.chia_docs(), limit))
    outcome = Outcome(results, thresholds, tuple(check(results, thresholds, drafts)), drafts)
    write_report(out_dir, "renderer", markdown(outcome), to_json(outcome))
    return outcome


# -- figures and the report ----------------------------------------------------------------------------------


def grade_figures(grades: list[float]) -> dict[str, float | int | None]:
    if not grades:
        return {"studies": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None, "at_most_8": 0}
    q1, _, q3 = statistics.quantiles(grades, n=4) if len(grades) > 1 else (grades[0],) * 3
    return {
        "studies": len(grades),
        "median": round(statistics.median(grades), 2),
        "q1": round(q1, 2),
        "q3": round(q3, 2),
        "min": min(grades),
        "max": max(grades),
        "at_most_8": sum(g <= 8 for g in grades),
    }


def histogram(grades: list[float]) -> list[tuple[str, int]]:
    """Studies per two-grade band, from "< 4" to "≥ 16"."""
    bands: list[tuple[str, float | None, float | None]] = [("< 4", None, 4.0)]
    bands += [(f"{lo}–{lo + 2}", float(lo), float(lo + 2)) for lo in range(4, 16, 2)]
    bands.append(("≥ 16", 16.0, None))
    return [(name, sum((lo is None or g >= lo) and (hi is None or g < hi) for g in grades)) for name, lo, hi in bands]


def method_counts(results: Sequence[StudyResult]) -> Counter[str]:
    total: Counter[str] = Counter()
    for result in results:
        total.update(result.methods)
    return total


def to_json(outcome: Outcome) -> dict[str, object]:
    results = outcome.results
    methods = method_counts(results)
    criteria = sum(methods.values())
    return {
        "environment": environment(),
        "thresholds": outcome.thresholds.model_dump(),
        "shortfalls": list(outcome.shortfalls),
        "studies": len(results),
        "published": outcome.published,
        "by_group": {
            group: {"studies": len(rows), "published": sum(r.status == "published" for r in rows)}
            for group in ("corpus", "examples")
            for rows in [[r for r in results if r.group == group]]
        },
        "grade": grade_figures(outcome.grades),
        "grade_histogram": dict(histogram(outcome.grades)),
        "criteria": criteria,
        "methods": {k: methods[k] for k in KINDS},
        "chia_first_drafts": drafts_json(outcome.drafts),
        "exceptions": [
            {"study": r.nct_id, "group": r.group, "status": r.status, "findings": [f.__dict__ for f in r.findings]}
            for r in results
            if r.status != "published"
        ],
        "per_study": [
            {"study": r.nct_id, "group": r.group, "status": r.status, "grade": r.grade, "methods": dict(r.methods)}
            for r in results
        ],
    }


def markdown(outcome: Outcome) -> str:
    results, grades = outcome.results, outcome.grades
    figures = grade_figures(grades)
    methods = method_counts(results)
    criteria = sum(methods.values()) or 1
    groups: list[list[object]] = [
        [group, len(rows), sum(r.status == "published" for r in rows), sum(r.status != "published" for r in rows)]
        for group in ("corpus", "examples")
        for rows in [[r for r in results if r.group == group]]
    ]
    lines = [
        "# Offline renderer: corpus report",
        "",
        f"{outcome.published} of {len(results)} studies published.",
        "",
        _threshold_lines(outcome),
        "",
        md_table(["studies", "total", "published", "flagged or failed"], groups),
        "",
        "## Flesch–Kincaid grade of the translations",
        "",
        md_table(
            ["median", "first quartile", "third quartile", "min", "max", "studies at grade ≤ 8"],
            [[figures["median"], figures["q1"], figures["q3"], figures["min"], figures["max"], figures["at_most_8"]]],
        ),
        "",
        md_table(["grade", "studies"], [[band, n] for band, n in histogram(grades)]),
        "",
        "## How each criterion was rendered",
        "",
        md_table(["rendering", "criteria", "share"], [[k, methods[k], f"{methods[k] / criteria:.1%}"] for k in KINDS]),
        "",
        "## Exceptions",
        "",
        *_exception_lines(results),
        "",
        "## First drafts of the Chia documents, verified",
        "",
        *draft_lines(outcome.drafts),
        "",
        "## Method",
        "",
        METHOD_TEXT,
        "",
        f"Generated {environment()['generated']} with Python {environment()['python']}.",
    ]
    return "\n".join(lines)


def _threshold_lines(outcome: Outcome) -> str:
    limits = outcome.thresholds
    said = (
        f"published share ≥ {limits.min_published_share:.2%}, median grade ≤ {limits.max_median_grade}, "
        f"Chia first drafts flagged ≤ {limits.max_chia_first_drafts_flagged}"
    )
    if not outcome.shortfalls:
        return f"**Thresholds (evals/thresholds.json: {said}): all met.**"
    return f"**Thresholds ({said}) not met** — the command fails: " + "; ".join(outcome.shortfalls)


def _exception_lines(results: Sequence[StudyResult]) -> list[str]:
    flagged = [r for r in results if r.status != "published"]
    if not flagged:
        return ["None: every study was published."]
    lines: list[str] = []
    for result in flagged:
        lines.append(f"- **{result.nct_id}** ({result.group}): {result.status}")
        for f in result.findings:
            lines.append(f"  - {f.criterion or 'whole text'} [{f.severity}, {f.kind}]: {_one_line(f.message)}")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


METHOD_TEXT = """\
Every study in the shared corpus (`ctgov_v2/eligibility_v2_merged.jsonl`, read in place) and in `examples/` is
run through the pipeline of `translator translate` with its default, the offline rules backend: the renderer
writes each criterion, the verifier checks the whole translation, criteria it flags are given in their own words
and the text is checked again. A study is published when the final text passes. A criterion's rendering is the
first of these whose facts read back as the source's and that the verifier passes on its own: `template` (the
whole criterion written from its facts), `rewritten` (the criterion's sentence about the reader, lay words,
citations dropped), `words` (values and clinical words in plain words only), `clean` (Markdown escapes removed)
and `literal` (the criterion as written); `repaired` counts criteria the verifier flagged in the full text and
the repair then gave in their own words. The grade is the Flesch–Kincaid grade of each translation, items read
as sentences (`translate/readability.py`, syllables from pyphen's dictionary). The first drafts of the Chia
documents (`chia/chia_without_scope`, read in place) are segmented, rendered and verified once, with no repair:
a flag there is a change the renderer made or a misreading of the verifier (`evaluation/first_drafts.py`)."""
