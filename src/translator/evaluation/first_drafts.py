"""The verifier on the offline renderer's first drafts of every Chia document.

The renderer writes each criterion from what the extractor read in it, so its first draft says what the source
says in other words; a flag on it is either a change the renderer made or a misreading of the verifier (the
same words read one way in a criterion and another in a sentence). Neither should happen, and the count shows
how often both together do, over 2,000 documents no verifier test was written from. The pipeline's repair step
(which gives flagged criteria in their own words) is not run: the draft is checked as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from translator.domain import Section
from translator.evaluation.corpus import ChiaDoc
from translator.render import render_translation
from translator.segment import segment
from translator.verify import verify

SHOWN = 10
"""Flagged documents listed in the report, each with its first findings."""
FINDINGS_SHOWN = 3


@dataclass(frozen=True)
class Drafts:
    documents: int
    flagged: tuple[tuple[str, tuple[str, ...]], ...]
    """Per flagged document, its blocker and major findings' messages."""


def check_first_drafts(docs: Iterable[ChiaDoc]) -> Drafts:
    documents = 0
    flagged: list[tuple[str, tuple[str, ...]]] = []
    for doc in docs:
        documents += 1
        section: Section = "exclusion" if doc.section == "exclusion" else "inclusion"
        criteria = segment(doc.text, section)
        verdict = verify(doc.text, criteria, render_translation(criteria).to_markdown())
        if verdict.verdict == "flag":
            serious = tuple(f.message for f in verdict.findings if f.severity != "minor")
            flagged.append((doc.name, serious))
    return Drafts(documents, tuple(flagged))


def to_json(drafts: Drafts) -> dict[str, object]:
    return {
        "documents": drafts.documents,
        "flagged": len(drafts.flagged),
        "flagged_documents": [{"document": name, "findings": list(found)} for name, found in drafts.flagged],
    }


def markdown_lines(drafts: Drafts) -> list[str]:
    if not drafts.documents:
        return ["The Chia documents are not here (`../shared/data/chia`): not measured."]
    lines = [
        f"The verifier flags {len(drafts.flagged)} of the {drafts.documents} first drafts of the Chia documents "
        "(segmented, rendered offline, verified; no repair)."
    ]
    for name, found in drafts.flagged[:SHOWN]:
        lines.append(f"- **{name}**")
        lines += [f"  - {' '.join(message.split()).replace('|', chr(92) + '|')}" for message in found[:FINDINGS_SHOWN]]
    if len(drafts.flagged) > SHOWN:
        lines.append(f"- and {len(drafts.flagged) - SHOWN} more (all in renderer.json)")
    return lines
