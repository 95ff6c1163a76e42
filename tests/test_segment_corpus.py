"""Segmentation invariants on every record of the shared corpus (251 studies, 2,000 Chia documents).

For each record: every criterion's text is its source slice; criteria are in order and never overlap; ids
are unique and parents exist; and nothing is lost: every letter or digit outside the criteria belongs to a
heading, to a list marker, or to a sub-heading that the criteria after it carry as their heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from translator.domain import Criterion, Section
from translator.evaluation.corpus import Corpus
from translator.segment import segment
from translator.segment.lines import scan_lines
from translator.segment.tree import HEADING_SEPARATOR

_MARKERS = re.compile(
    r"\(?\d{1,3}\\?[.)]|\(\d{1,3}\)|\(?[a-zA-Z]\\?[.)]|\([a-z]\)|\b[ivxIVX]{1,5}\\?[.)]|[①-⑳]|(?<!\w)o(?!\w)"
)

_LABEL_STRIP = " \t\r\n*_#:-–—"


def uncovered_content(text: str, criteria: tuple[Criterion, ...]) -> list[str]:
    """Lines with letters or digits that no criterion, heading or list marker accounts for.

    A sub-heading or lead-in line ("Medical Conditions", "Participants are eligible ... apply:") is accounted for
    only when it is, word for word, one of the headings of a criterion after it.
    """
    covered = [False] * len(text)
    for criterion in criteria:
        covered[criterion.start : criterion.end] = [True] * (criterion.end - criterion.start)
    for line in scan_lines(text):
        if line.kind == "heading":
            covered[line.line_start : line.end] = [True] * (line.end - line.line_start)
    masked = "".join("\x00" if flag else ch for ch, flag in zip(text, covered, strict=True))
    lost: list[str] = []
    for run in re.finditer(r"[^\x00]+", masked):
        labels = {part for c in criteria if c.start >= run.end() for part in _headings(c)}
        for piece in run.group().splitlines(keepends=True):
            if piece.strip(_LABEL_STRIP) in labels:
                continue
            leftover = _MARKERS.sub("", piece)
            if any(ch.isalnum() for ch in leftover):
                lost.append(leftover)
    return lost


def _headings(criterion: Criterion) -> list[str]:
    return criterion.heading.split(HEADING_SEPARATOR) if criterion.heading else []


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
        assert all(part and part in text for part in _headings(criterion)), f"{criterion.id}: invented heading"
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


def test_the_coverage_check_wants_sub_headings_carried() -> None:
    text = "Exclusion Criteria:\n\nMedical Conditions\n\n1. HIV infection\n\nPrior Therapy\n\n1. Prior CAR-T therapy\n"
    criteria = segment(text)
    assert [c.heading for c in criteria] == ["Medical Conditions", "Prior Therapy"]
    assert uncovered_content(text, criteria) == []
    bare = tuple(replace(c, heading=None) for c in criteria)
    assert [piece.strip() for piece in uncovered_content(text, bare)] == ["Medical Conditions", "Prior Therapy"]
    swapped = tuple(
        replace(c, heading=h) for c, h in zip(criteria, ["Prior Therapy", "Medical Conditions"], strict=True)
    )
    assert [piece.strip() for piece in uncovered_content(text, swapped)] == ["Prior Therapy"]
