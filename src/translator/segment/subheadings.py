"""Sub-headings and lead-ins: text lines that introduce criteria instead of stating one.

Two shapes, found in the classified lines before the tree is built:

* A **label**: a short, title-like line ("Age", "Medical Conditions", "Screening Phase:", "Obesity-related") that
  heads the items after it. It is a label when it ends with a colon, when the numbered list after it starts at 1
  (NCT05809934 "Age" / "1. ..."), when it sits indented between two items and the next item is less indented
  (NCT05809934 "Type of Participant and Disease Characteristics" between items 1 and 2), or when the record has two
  or more title-like lines that are each followed by items (NCT05813925's "Obesity-related", "Diabetes-related for
  participant with T2D", ...), or when it is a title in square brackets alone on its line (NCT05907980
  "\\[Expansion Part\\]"). A single title-like line followed by a bullet stays a criterion: in NCT05417880
  "Other types of Diabetes" is the first exclusion criterion, not a heading.
* A **lead-in**: a sentence ending in a colon that only restates what the section means ("Participants are eligible
  to be included in the study only if all the following criteria apply:"). A sentence that chooses ("one of the
  study groups, as follows:"), or that carries a requirement of its own, is not a lead-in: the tree makes it the
  parent of the items after it.

Both become ``Criterion.heading`` of the criteria under them, so no text is lost and ids stay on the criteria.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from translator.domain import Section
from translator.segment.lines import Line
from translator.segment.split import RULES

Role = Literal["label", "lead_in"]

MAX_LABEL_WORDS, MAX_LABEL_CHARS = 8, 70
MAX_LEAD_IN_WORDS = 40
MIN_REPEATED_LABELS = 2
"""Title-like lines followed by items, without a colon or a list restarting at 1, are labels only in a record
that has at least this many of them."""

_NOT_IN_A_LABEL = re.compile(r"[<>≥≤=;%]|\\[<>]|^note\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\\?\[(?P<title>[^\[\]\n]+?)\\?\]")
_NUMBER = re.compile(r"[(\[]?\d+(?:[.,]\d+)?[)\],]?")


def _words_pattern(phrases: tuple[str, ...], extra: str = "") -> re.Pattern[str]:
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation}{extra})\b", re.IGNORECASE)


_FOLLOWING = _words_pattern(RULES.lead_in_markers)
_ABOUT_ELIGIBILITY = _words_pattern(RULES.eligibility_words)
_CHOICE = _words_pattern(RULES.choice_words, r"|\d+")
"""Words that make a lead-in a requirement of its own ("one of the following", "at least two of")."""
_SENTENCE_END = ".;:!?)"
_ANY = re.compile(r"\bany\b", re.IGNORECASE)
"""In an inclusion section "any of the following" is a choice; in an exclusion section it is what the section means."""


def label_text(text: str, line: Line) -> str:
    """The words of a label or lead-in line, without Markdown emphasis or the closing colon."""
    return text[line.start : line.end].strip(" *_#:-–—")


def title_like(words_text: str) -> bool:
    """A short title: capitalised, no sentence punctuation, no numbers or comparators ("T2D" is a word)."""
    words = words_text.split()
    return (
        0 < len(words) <= MAX_LABEL_WORDS
        and len(words_text) <= MAX_LABEL_CHARS
        and words_text[0].isupper()
        and words_text[-1] not in ".,;"
        and ":" not in words_text
        and not _NOT_IN_A_LABEL.search(words_text)
        and not _FOLLOWING.search(words_text)
        and not _CHOICE.search(words_text)
        and not any(_NUMBER.fullmatch(word) for word in words)
    )


def bracketed_label(words_text: str) -> bool:
    """A title in square brackets, Markdown-escaped or not, alone on its line: "\\[Expansion Part\\]" over the
    criteria of that part (NCT05907980)."""
    match = _BRACKETED.fullmatch(words_text)
    return match is not None and title_like(match.group("title"))


def is_lead_in(sentence: str, section: Section) -> bool:
    """A sentence that introduces the section's list and says nothing the section heading does not."""
    if not sentence.endswith(":") or len(sentence.split()) > MAX_LEAD_IN_WORDS:
        return False
    if not _FOLLOWING.search(sentence) or not _ABOUT_ELIGIBILITY.search(sentence) or _CHOICE.search(sentence):
        return False
    return section == "exclusion" or not _ANY.search(sentence)


def heading_roles(text: str, lines: Sequence[Line], default_section: Section) -> dict[int, Role]:
    """Index (into ``lines``) of every text line that is a label or a lead-in."""
    content = [index for index, line in enumerate(lines) if line.kind != "blank"]
    roles: dict[int, Role] = {}
    labels: list[int] = []
    section = default_section
    sections: dict[int, Section] = {}
    for index in content:
        section = lines[index].section or section
        sections[index] = section
    for place in range(len(content) - 1, -1, -1):  # backwards: a label may introduce a lead-in over items
        index = content[place]
        line = lines[index]
        if line.kind != "text" or place + 1 == len(content):
            continue
        previous = lines[content[place - 1]] if place > 0 else None
        if _shares_a_line(text, previous, line) or _wraps_on(text, previous, line):
            continue
        if not _introduces_items(text, lines, content[place + 1 :], roles):
            continue
        if is_lead_in(text[line.start : line.end].rstrip(" *_"), sections[index]):
            roles[index] = "lead_in"
        elif bracketed_label(label_text(text, line)):
            roles[index] = "label"  # a label of its own shape: no second one needed to tell it from a criterion
        elif title_like(label_text(text, line)):
            roles[index] = "label"
            labels.append(index)
    if len(labels) < MIN_REPEATED_LABELS:
        for index in labels:
            del roles[index]
    return roles


def _introduces_items(text: str, lines: Sequence[Line], following: list[int], roles: dict[int, Role]) -> bool:
    """The next content is a list item, a label or lead-in over items, or a sentence ending in ":" over items."""
    line = lines[following[0]]
    if line.kind == "item" or following[0] in roles:
        return True
    if line.kind != "text" or not text[line.start : line.end].rstrip(" *_").endswith(":"):
        return False
    return len(following) > 1 and lines[following[1]].kind == "item"


def _wraps_on(text: str, previous: Line | None, line: Line) -> bool:
    """An indented line after an unfinished one carries it on ("... treatment with an EGFR" / "    TKI as ...")."""
    if line.indent == 0 or previous is None or previous.kind == "heading":
        return False
    return text[previous.end - 1] not in _SENTENCE_END


def _shares_a_line(text: str, previous: Line | None, line: Line) -> bool:
    """Text after a heading on the heading's own line ("Inclusion Criteria: Adults") is content, not a label."""
    return previous is not None and previous.kind == "heading" and "\n" not in text[previous.end : line.start]
