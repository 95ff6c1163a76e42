"""The readable verification report: each finding with the source criterion and the translation sentence,
the changed parts marked."""

from __future__ import annotations

from translator.facts.plain import read_plain
from translator.verify.types import Finding, Verdict

MARK_OPEN, MARK_CLOSE = "[[", "]]"


def _marked(text: str, span: tuple[int, int] | None, context: tuple[int, int]) -> str:
    start, end = context
    if span is None:
        return " ".join(text[start:end].split())
    a, b = max(span[0], start), min(span[1], end)
    return " ".join((text[start:a] + MARK_OPEN + text[a:b] + MARK_CLOSE + text[b:end]).split())


def _sentence_around(translation: str, span: tuple[int, int]) -> tuple[int, int]:
    for sentence in read_plain(translation).sentences:
        if sentence.start <= span[0] < sentence.end or sentence.start < span[1] <= sentence.end:
            return sentence.start, sentence.end
    return span


def render(verdict: Verdict, translation: str, criteria_text: str) -> str:
    by_id = {c.id: c for c in verdict.criteria}
    lines = [f"verdict: {verdict.verdict.upper()} ({len(verdict.findings)} findings)"]
    for number, finding in enumerate(verdict.findings, 1):
        lines.append("")
        lines.append(f"{number}. [{finding.severity}] {finding.kind}: {finding.message}")
        criterion = by_id.get(finding.criterion_id or "")
        if criterion is not None:
            context = (criterion.start, criterion.end)
            lines.append(f"   source {criterion.id}: {_marked(criteria_text, finding.source_span, context)}")
        if finding.output_span is not None:
            context = _sentence_around(translation, finding.output_span)
            lines.append(f"   translation: {_marked(translation, finding.output_span, context)}")
    return "\n".join(lines) + "\n"


def summary(findings: tuple[Finding, ...]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no findings"
