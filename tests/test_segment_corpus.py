"""Segmentation invariants on every record of the shared corpus (251 studies, 2,000 Chia documents).

For each record: every criterion's text is its source slice; criteria are in order and never overlap; ids
are unique and parents exist; and nothing is lost: every letter or digit outside the criteria belongs to a
heading or to a list marker.
"""

from __future__ import annotations

import re

import pytest

from translator.domain import Criterion, Section
from translator.evaluation.corpus import Corpus
from translator.segment import segment
from translator.segment.lines import scan_lines

_MARKERS = re.compile(
    r"\(?\d{1,3}\\?[.)]|\(\d{1,3}\)|\(?[a-zA-Z]\\?[.)]|\([a-z]\)|\b[ivxIVX]{1,5}\\?[.)]|[①-⑳]|(?<!\w)o(?!\w)"
)


def uncovered_content(text: str, criteria: tuple[Criterion, ...]) -> list[str]:
    """Pieces of text with letters or digits that no criterion, heading or list marker accounts for."""
    covered = [False] * len(text)
    for criterion in criteria:
        covered[criterion.start : criterion.end] = [True] * (criterion.end - criterion.start)
    for line in scan_lines(text):
        if line.kind == "heading":
            covered[line.line_start : line.end] = [True] * (line.end - line.line_start)
    pieces = re.split(r"\x00+", "".join("\x00" if flag else ch for ch, flag in zip(text, covered, strict=True)))
    leftovers = [_MARKERS.sub("", piece) for piece in pieces]
    return [piece for piece in leftovers if any(ch.isalnum() for ch in piece)]


def check_invariants(text: str, section: Section) -> tuple[Criterion, ...]:
    criteria = segment(text, section)
    previous_end = 0
    ids = set()
    for criterion in criteria:
        assert criterion.text == text[criterion.start : criterion.end]
        assert criterion.text.strip() == criterion.text and criterion.text
        assert criterion.start >= previous_end, f"{criterion.id} overlaps the criterion before it"
        previous_end = criterion.end
        assert criterion.id not in ids
        assert criterion.parent is None or criterion.parent in ids
        ids.add(criterion.id)
    assert uncovered_content(text, criteria) == []
    return criteria


@pytest.mark.corpus
def test_every_ctgov_study(corpus: Corpus) -> None:
    assert len(corpus.ctgov) == 251
    for nct_id, text in corpus.ctgov.items():
        try:
            criteria = check_invariants(text, "inclusion")
        except AssertionError as exc:
            raise AssertionError(f"{nct_id}: {exc}") from exc
        assert criteria, nct_id


@pytest.mark.corpus
def test_every_chia_document(corpus: Corpus) -> None:
    count = 0
    for doc in corpus.chia_docs():
        section: Section = "exclusion" if doc.section == "exclusion" else "inclusion"
        try:
            criteria = check_invariants(doc.text, section)
        except AssertionError as exc:
            raise AssertionError(f"{doc.name}: {exc}") from exc
        assert all(c.section == section for c in criteria) or "criteria" in doc.text.lower()
        count += 1
    assert count == 2000


def test_the_coverage_check_sees_lost_text() -> None:
    text = "Inclusion Criteria:\n\n* Age ≥ 18\n* ECOG 0-1\n"
    criteria = segment(text)
    assert uncovered_content(text, criteria) == []
    assert [piece.strip(" *\n") for piece in uncovered_content(text, criteria[:1])] == ["ECOG 0-1"]
