"""``translator eval verifier``: run the verifier eval and write reports/verifier.md and .json.

The Markdown page is for people (figures, then the misses and false flags one can act on); the JSON twin
holds the same figures and lists for machines. Lists are bounded so the report stays readable.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.evaluation.corpus import Corpus
from translator.evaluation.mutations import MUTATION_KINDS
from translator.evaluation.paraphrases import PARAPHRASE_KINDS
from translator.evaluation.reporting import environment, md_table, write_report
from translator.evaluation.verifier_eval import Checked, Results, evaluate, load_cases
from translator.evaluation.verifier_figures import (
    FINDING_KINDS,
    Figures,
    Shortfall,
    VerifierTargets,
    check,
    figures,
    load_thresholds,
)
from translator.evaluation.verifier_wild import WildResult, check_all
from translator.verify import Finding

MAX_LISTED_PER_KIND = 8
"""Missed mutants and paraphrase false flags listed per kind."""
MAX_FINDINGS_LISTED = 6


@dataclass(frozen=True)
class Outcome:
    figures: Figures
    shortfalls: list[Shortfall]
    results: Results
    wild: list[WildResult]
    seconds: float


def run(data_dir: Path, examples: Path, corpus: Corpus | None, thresholds_path: Path, out_dir: Path) -> Outcome:
    started = time.perf_counter()
    thresholds = load_thresholds(thresholds_path)
    results = evaluate(load_cases(data_dir / "faithful", examples, corpus))
    wild = check_all(data_dir / "wild", examples, corpus)
    data = figures(results)
    shortfalls = check(data, thresholds)
    outcome = Outcome(data, shortfalls, results, wild, round(time.perf_counter() - started, 1))
    write_report(out_dir, "verifier", markdown(outcome, thresholds.min_recall, thresholds.targets), to_json(outcome))
    return outcome


def _finding(finding: Finding) -> str:
    where = finding.criterion_id or "-"
    return f"{finding.kind}/{finding.detail or '-'} [{finding.severity}] {where}: {finding.message}"


def _finding_json(finding: Finding) -> dict[str, object]:
    return {
        "kind": finding.kind,
        "detail": finding.detail,
        "severity": finding.severity,
        "criterion_id": finding.criterion_id,
        "message": finding.message,
    }


def _checked_json(item: Checked) -> dict[str, object]:
    return {
        "study": item.study,
        "kind": item.kind,
        "criterion_id": item.criterion_id,
        "edit": item.edit,
        "criterion_already_flagged": item.masked,
        "findings": [_finding_json(f) for f in item.findings[:MAX_FINDINGS_LISTED]],
    }


def _bounded(items: Sequence[Checked], kinds: Sequence[str]) -> list[Checked]:
    kept: list[Checked] = []
    for kind in kinds:
        kept += [item for item in items if item.kind == kind][:MAX_LISTED_PER_KIND]
    return kept


def missed(results: Results) -> list[Checked]:
    return _bounded([m for m in results.mutants if not m.flagged], MUTATION_KINDS)


def paraphrase_flags(results: Results) -> list[Checked]:
    return _bounded([p for p in results.paraphrases if p.flagged], PARAPHRASE_KINDS)


def _wild_json(result: WildResult) -> dict[str, object]:
    return {
        "name": result.name,
        "style": result.style,
        "verdict": result.verdict,
        "error": result.error,
        "problems_found": result.found,
        "problems": [{**p.problem.model_dump(), "found": p.found, "same_kind": p.same_kind} for p in result.problems],
        "other_findings": [_finding_json(f) for f in result.others],
    }


def to_json(outcome: Outcome) -> dict[str, object]:
    results = outcome.results
    return {
        "figures": outcome.figures.to_json(),
        "shortfalls": [str(s) for s in outcome.shortfalls],
        "passed": not outcome.shortfalls,
        "missed_mutants": [_checked_json(m) for m in missed(results)],
        "faithful_false_flags": [_checked_json(c) for c in results.faithful if c.flagged],
        "paraphrase_false_flags": [_checked_json(p) for p in paraphrase_flags(results)],
        "wild": [_wild_json(w) for w in outcome.wild],
        "data_problems": results.data_problems,
        "seconds": outcome.seconds,
        "environment": environment(),
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def markdown(outcome: Outcome, minimums: dict[str, float], targets: VerifierTargets | None = None) -> str:
    data = outcome.figures
    parts = [
        "# Verifier eval",
        "",
        "Produced by `translator eval verifier` from `evals/verifier/` (faithful translations and wild summaries) "
        "with the verifier as it stands. Each faithful text must pass; each mutant (one criterion broken by a "
        "seeded rule of `translator.evaluation.mutations`) must be flagged; each paraphrase must still pass. A "
        "mutant counts as flagged, and a paraphrase as falsely flagged, when the verifier reports a blocker or "
        "major finding it did not report on the unmutated text. *Located* means a new finding names the broken "
        "criterion (an `added` finding, for an addition).",
        "",
        f"{data.studies} faithful translations, {sum(c.total for c in data.mutations.values())} mutants, "
        f"{data.paraphrases['all'].total} paraphrases; ran in {outcome.seconds} s.",
        "",
        _verdict(outcome.shortfalls),
        "",
        *_targets(data, targets or VerifierTargets()),
        "## Recall per mutation kind",
        "",
        md_table(
            ["mutation", "mutants", "flagged", "recall", "located", "located recall", "minimum", "masked misses"],
            [
                [
                    kind,
                    c.total,
                    c.flagged,
                    _pct(c.rate),
                    c.located,
                    _pct(c.located_rate),
                    _pct(minimums.get(kind)),
                    c.masked_misses,
                ]
                for kind, c in data.mutations.items()
            ],
        ),
        "",
        "*Masked misses*: missed mutants whose criterion the verifier already flagged on the faithful text; its "
        "finding there may be the one the mutant should have raised, so fixing the false flag may recover them.",
        "",
        "## What the verifier reported, per mutation kind",
        "",
        "Mutants with at least one new finding of each kind (a mutant can count in several columns).",
        "",
        md_table(
            ["mutation", *FINDING_KINDS, "missed"],
            [[kind, *row.values()] for kind, row in data.confusion.items()],
        ),
        "",
        "## False flags",
        "",
        f"Faithful set: {data.faithful.flagged} of {data.faithful.total} texts flagged.",
        "",
        md_table(
            ["paraphrase", "paraphrases", "false flags", "rate"],
            [[kind, c.total, c.flagged, _pct(c.rate)] for kind, c in data.paraphrases.items()],
        ),
    ]
    parts += _lists(outcome)
    return "\n".join(parts)


def _targets(data: Figures, targets: VerifierTargets) -> list[str]:
    """The issue's targets against the figures: the committed minimums are a floor, these are the goal."""
    short = [kind for kind, c in data.mutations.items() if c.rate is None or c.rate < targets.min_recall]
    faithful = data.faithful.flagged
    paraphrase = data.paraphrases["all"].rate or 0.0
    said = [
        f"recall ≥ {targets.min_recall:.0%} for every kind: {len(data.mutations) - len(short)} of "
        f"{len(data.mutations)} kinds" + (f" (not yet: {', '.join(short)})" if short else ""),
        f"at most {targets.max_faithful_false_flags} faithful texts flagged: {faithful} of {data.faithful.total} are",
        f"≤ {targets.max_paraphrase_false_flag_rate:.0%} of paraphrases flagged: {paraphrase:.2%}"
        + (" (met)" if paraphrase <= targets.max_paraphrase_false_flag_rate else ""),
    ]
    return [
        "**Targets of the verifier issue** (the minimums above are the committed floor, raised as the",
        "verifier improves):",
        "",
        *[f"- {line}" for line in said],
        "",
    ]


def _verdict(shortfalls: Sequence[Shortfall]) -> str:
    if not shortfalls:
        return "**Thresholds (evals/thresholds.json): all met.**"
    lines = [f"**Thresholds (evals/thresholds.json): {len(shortfalls)} not met** — the command fails:", ""]
    return "\n".join(lines + [f"- {s}" for s in shortfalls])


def _item_lines(item: Checked) -> list[str]:
    where = f" {item.criterion_id}" if item.criterion_id else ""
    masked = " (criterion already flagged on the faithful text)" if item.masked else ""
    lines = [f"- **{item.study}** {item.kind}{where}{masked}: {item.edit}"]
    lines += [f"  - {_finding(f)}" for f in item.findings[:MAX_FINDINGS_LISTED]]
    return lines


def _lists(outcome: Outcome) -> list[str]:
    results = outcome.results
    parts = ["", f"## Missed mutants (up to {MAX_LISTED_PER_KIND} per kind)", ""]
    parts += [line for m in missed(results) for line in _item_lines(m)] or ["None."]
    parts += ["", "## False flags on the faithful set", ""]
    parts += [line for c in results.faithful if c.flagged for line in _item_lines(c)] or ["None."]
    parts += ["", f"## Paraphrase false flags (up to {MAX_LISTED_PER_KIND} per kind)", ""]
    parts += [line for p in paraphrase_flags(results) for line in _item_lines(p)] or ["None."]
    parts += ["", "## Wild summaries", ""]
    parts += [line for w in outcome.wild for line in _wild_lines(w)] or ["None."]
    if results.data_problems:
        parts += ["", "## Problems in the eval data", ""] + [f"- {p}" for p in results.data_problems]
    return parts


def _wild_lines(result: WildResult) -> list[str]:
    if result.error:
        return [f"### {result.name}", "", f"Not checked: {result.error}", ""]
    lines = [
        f"### {result.name}",
        "",
        f"{result.style}. Verdict: **{result.verdict}**; the reviewer's problems found: "
        f"{result.found} of {len(result.problems)}.",
        "",
    ]
    if result.problems:
        rows: list[list[object]] = [
            [p.problem.criterion_id or "-", p.problem.kind, _cell(p.problem.what), _found(p.found, p.same_kind)]
            for p in result.problems
        ]
        lines += [md_table(["criterion", "kind", "what the reviewer found", "verifier"], rows), ""]
    if result.others:
        lines += ["Other flagging findings (not in the reviewer's list):", ""]
        lines += [f"- {_finding(f)}" for f in result.others[:MAX_FINDINGS_LISTED]]
        if len(result.others) > MAX_FINDINGS_LISTED:
            lines.append(f"- … and {len(result.others) - MAX_FINDINGS_LISTED} more")
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _found(found: bool, same_kind: bool) -> str:
    if not found:
        return "missed"
    return "found" if same_kind else "found (other kind)"
