"""A line break inside one criterion is read as a space.

The segmenter joins the lines of one statement into one criterion (a wrapped line, an item's continuation after a
blank line), and a translation writes that criterion on one line; read with its breaks, the source would say
something the translation cannot (a limit cut off from the measure named on the line before). Spans still index
the criteria text as read, breaks included.
"""

from __future__ import annotations

import pytest

from translator.domain import Criterion, Section
from translator.facts import Facts, extract_criteria
from translator.facts.plain import read_plain
from translator.facts.serialize import signature

CASES: list[tuple[str, Section, str, list[str]]] = [
    (
        "NCT06620835 I13 (its hematology part)",
        "inclusion",
        "normal hematological function (absolute neutrophil count\n\n  ≥1.5 x 109/L and/or platelets ≥100 x 109/L)",
        ["+T anc >=1500 /µl", "+T platelets >=100000 /µl"],
    ),
    (
        "a CRLF-wrapped window",
        "exclusion",
        "Major surgery or significant traumatic injury within\r\n4 weeks before the first dose",
        ["-W major_surgery within <=4 weeks from first_dose", "-W injury within <=4 weeks from first_dose"],
    ),
]


@pytest.mark.parametrize(("source", "section", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_line_break_reads_as_a_space(source: str, section: Section, text: str, expected: list[str]) -> None:
    broken = Criterion("X1", section, text, 10, 10 + len(text))
    flat_text = text.replace("\r", " ").replace("\n", " ")
    flat = Criterion("X1", section, flat_text, 10, 10 + len(text))
    facts = extract_criteria([broken])
    assert _signatures(facts) == sorted(expected), source
    assert _signatures(facts) == _signatures(extract_criteria([flat])), source
    for limit in facts.thresholds:
        start, end = limit.span.start - broken.start, limit.span.end - broken.start
        assert flat_text[start:end] == limit.stated, source
    for window in facts.windows:
        start, end = window.span.start - broken.start, window.span.end - broken.start
        assert flat_text[start:end] == window.stated, source


def _signatures(facts: Facts) -> list[str]:
    return sorted(signature(f) for f in (*facts.thresholds, *facts.windows, *facts.counts))


PLAIN_LINES: list[tuple[str, str, list[str]]] = [
    (
        "a task-list box after the bullet, or a box alone, is the item's marker",
        "- [ ] I have HIV.\n- [x] I am pregnant.\n☐ I have hepatitis B.",
        ["I have HIV.", "I am pregnant.", "I have hepatitis B."],
    ),
    (
        "a wrapped list item is one line, as Markdown joins it",
        "- Stable vitiligo and stable hair\n  loss do not count.\n- You have HIV\n- You are pregnant",
        ["Stable vitiligo and stable hair\n  loss do not count.", "You have HIV", "You are pregnant"],
    ),
    (
        "a heading the next line completes stays a heading",
        "This study is not for people who\nhave had an organ transplant.",
        ["have had an organ transplant."],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), PLAIN_LINES, ids=[c[0] for c in PLAIN_LINES])
def test_plain_lines_and_markers(case: str, text: str, expected: list[str]) -> None:
    assert [s.text for s in read_plain(text).sentences] == expected, case
