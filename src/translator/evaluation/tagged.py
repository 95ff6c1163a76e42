"""Tagged faithful translations (evals/verifier/faithful/NCT….md): parse and strip the ``[I1]`` tags.

A tag is ``[`` ids separated by commas ``]`` followed by one space, at the start of a bullet or before a
sentence; a tagged statement runs to the next tag or the end of its line. Stripping removes the tags (and
nothing else) and keeps, for each statement, its ids and its span in the stripped text. The layout (lines,
bullets, headings and the side each heading opens) is what the mutation and paraphrase rules edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from translator.domain import Section

TAG_RE = re.compile(r"\[([IE]\d+(?:\.[A-Za-z0-9]+)*(?:\s*,\s*[IE]\d+(?:\.[A-Za-z0-9]+)*)*)\] ")
TAG_LIKE_RE = re.compile(r"\[[IE]\d[^\]\n]{0,40}\]")
"""Anything that looks like a tag; those TAG_RE does not accept are reported as malformed."""
BULLET_RE = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_EXCLUDE_HEADING = re.compile(r"\b(?:cannot|can't|can not|not|unable|exclusion|excluded|ineligible|won't)\b", re.I)
_INCLUDE_HEADING = re.compile(r"\b(?:can|may|join|take part|inclusion|included|eligible|fit|qualify)\b", re.I)


@dataclass(frozen=True)
class Statement:
    ids: tuple[str, ...]
    start: int
    end: int
    """Span in the stripped text, trailing spaces excluded."""
    line: int
    """Index of its line in ``TaggedText.lines``."""


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    """Offsets in the stripped text, the newline excluded."""
    indent: int
    marker: str
    """The bullet marker with its spaces ("- ", "1. "), or "" for a prose line."""
    heading: bool
    side: Section | None
    """The side of the section the line is in (a heading's own side, for a heading)."""

    @property
    def content_start(self) -> int:
        return self.start + self.indent + len(self.marker)


@dataclass(frozen=True)
class TaggedText:
    name: str
    text: str
    statements: tuple[Statement, ...]
    lines: tuple[Line, ...]
    malformed: tuple[str, ...] = ()

    def statement_text(self, statement: Statement) -> str:
        return self.text[statement.start : statement.end]

    def side_of(self, statement: Statement) -> Section | None:
        return self.lines[statement.line].side

    def on_line(self, index: int) -> list[Statement]:
        return [s for s in self.statements if s.line == index]

    @cached_property
    def tagged_ids(self) -> set[str]:
        return {cid for s in self.statements for cid in s.ids}

    def whole_line(self, statement: Statement) -> bool:
        """The statement is all the content of its line (after the bullet marker)."""
        line = self.lines[statement.line]
        return statement.start == line.content_start and not self.text[statement.end : line.end].strip()

    def block_end(self, index: int) -> int:
        """Index after the last line of the block ``index`` opens (the line and the deeper lines under it)."""
        line = self.lines[index]
        end = index + 1
        while end < len(self.lines):
            nxt = self.lines[end]
            blank = not self.text[nxt.start : nxt.end].strip()
            if nxt.heading or (not blank and nxt.indent <= line.indent):
                break
            end += 1
        while end > index + 1 and not self.text[self.lines[end - 1].start : self.lines[end - 1].end].strip():
            end -= 1
        return end

    def section_end(self, side: Section) -> int | None:
        """Index of the last non-blank line of the last section on ``side`` (None when there is none)."""
        last: int | None = None
        for index, line in enumerate(self.lines):
            if line.side == side and not line.heading and self.text[line.start : line.end].strip():
                last = index
        return last


def parse(name: str, raw: str) -> TaggedText:
    """Strip the tags of ``raw`` and map each statement to its ids and span."""
    pieces: list[str] = []
    starts: list[tuple[int, tuple[str, ...]]] = []
    position = 0
    length = 0
    for match in TAG_RE.finditer(raw):
        pieces.append(raw[position : match.start()])
        length += match.start() - position
        starts.append((length, tuple(part.strip() for part in match.group(1).split(","))))
        position = match.end()
    pieces.append(raw[position:])
    text = "".join(pieces)
    malformed = tuple(m.group() for m in TAG_LIKE_RE.finditer(text))
    lines = _lines(text, {start for start, _ in starts})
    return TaggedText(name, text, _statements(text, starts, lines), lines, malformed)


def _statements(text: str, starts: list[tuple[int, tuple[str, ...]]], lines: tuple[Line, ...]) -> tuple[Statement, ...]:
    found: list[Statement] = []
    for number, (start, ids) in enumerate(starts):
        index = next(i for i, line in enumerate(lines) if line.start <= start <= line.end)
        end = lines[index].end
        if number + 1 < len(starts) and starts[number + 1][0] < end:
            end = starts[number + 1][0]
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append(Statement(ids, start, end, index))
    return tuple(found)


def _lines(text: str, tag_starts: set[int]) -> tuple[Line, ...]:
    lines: list[Line] = []
    side: Section | None = None
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        bullet = BULLET_RE.match(raw)
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" \t"))
        marker = bullet.group()[indent:] if bullet else ""
        tagged = any(start <= t <= end for t in tag_starts)
        heading = stripped.startswith("#") or (bool(stripped) and not bullet and not tagged and stripped.endswith(":"))
        if heading:
            side = heading_side(stripped) or side
        lines.append(Line(start, end, indent, marker, heading, side))
        start = end + 1
    return tuple(lines)


def heading_side(heading: str) -> Section | None:
    """The side a heading opens: "You cannot join if:" -> exclusion; a title ("# …") opens none."""
    if heading.startswith("#") and not heading.startswith("##"):
        return None
    if _EXCLUDE_HEADING.search(heading):
        return "exclusion"
    if _INCLUDE_HEADING.search(heading):
        return "inclusion"
    return None
