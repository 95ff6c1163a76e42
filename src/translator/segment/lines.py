"""Line scanning: every line of the criteria text, classified, with exact offsets.

A line is blank, a heading ("Inclusion Criteria:"), a list item (a bullet or number marker, possibly
Markdown-escaped: ``\\-``, ``1\\.``) or plain text. Offsets index the original string; a trailing ``\\r`` is
never part of a line's content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from translator.domain import Section

LineKind = Literal["blank", "heading", "item", "text"]
MarkerKind = Literal["symbol", "number", "alpha", "ALPHA", "roman"]

_MARKER = re.compile(
    r"""
    (?P<marker>
        (?P<symbol>\\?[-*+•·▪◦‣⁃–](?=[ \t]|[A-Za-z(])|o(?=[ \t]+[A-Z]))
      | \(?(?P<num>\d{1,3})\\?[.)](?=[ \t])
      | \((?P<pnum>\d{1,3})\)(?=[ \t])
      | (?P<roman>(?:ii|iii|iv|vi|vii|viii|ix|xi|xii|II|III|IV|VI|VII|VIII|IX|XI|XII))\\?[.)](?=[ \t])
      | \(?(?P<alpha>[a-zA-Z])\\?[.)](?=[ \t])
    )[ \t]*
    """,
    re.VERBOSE,
)

_QUALIFIERS = (
    r"key|main|major|minor|general|other|additional|specific|further|individual|family|study|subject|"
    r"patient|participant|common|basic|[\w/]+[-\s]specific"
)
_HEADING = re.compile(
    r"""[ \t]*(?:\\?[-*•][ \t]*)?(?:\#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*
    (?:
        (?P<quals>(?:(?:"""
    + _QUALIFIERS
    + r""")[ \t]+){0,3})
        (?P<kind>inclusion|exclusion|inclusionary|exclusionary)
        (?:(?P<crit>[ \t]+criteri(?:a|on))
           (?P<qual>[ \t]+(?:for|of|in|applicable[ \t]to)[ \t]+[^:\n]{1,80}?|[ \t]*\([^)\n]{1,80}\))?)?
      | criteria[ \t]+for[ \t]+(?P<kind2>inclusion|exclusion)
    )
    [ \t]*(?:\*\*|__)?[ \t]*(?P<end>:|[-–—](?=[ \t]|$)|$)[ \t]*(?:\*\*|__)?[ \t]*""",
    re.IGNORECASE | re.VERBOSE,
)

_INLINE_HEADING = re.compile(
    r"(?<=\S)[ \t]+(?P<heading>(?P<kind>Inclusion|Exclusion|INCLUSION|EXCLUSION)[ \t]+(?:Criteria|criteria|CRITERIA)"
    r"[ \t]*:)(?=[ \t]|$)"
)
"""A section heading after text on the same line ("... following conception Exclusion Criteria: - Women ...").

Only the capitalised form with a colon: "as defined in the exclusion criteria" is a sentence."""
_ALNUM = re.compile(r"[^\W_]")

ROMAN_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")
"""Roman list markers in order: read as ordinals here and by inline lists (``split``), written as the labels of
third-level criteria ("I3.a.ii")."""
ROMAN_VALUES = {numeral: index + 1 for index, numeral in enumerate(ROMAN_NUMERALS[:12])}
"""The ordinal of a roman marker, up to xii (beyond that a marker such as "xiv." is read as no numeral)."""


@dataclass(frozen=True)
class Line:
    """One physical line. ``start``/``end`` bound its content (after any marker or heading) exactly."""

    kind: LineKind
    line_start: int
    start: int
    end: int
    indent: int
    marker: MarkerKind | None = None
    ordinal: int | None = None
    section: Section | None = None
    """For a heading: the section it opens."""
    subheading: bool = False
    """For a heading: a qualified one ("Other exclusion criteria:", "Specific inclusion criteria for ...")."""


def _indent_width(prefix: str) -> int:
    return sum(4 if ch == "\t" else 1 for ch in prefix)


def scan_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    length = len(text)
    while pos <= length:
        nl = text.find("\n", pos)
        stop = length if nl == -1 else nl
        lines.extend(_classify(text, pos, stop))
        if nl == -1:
            break
        pos = nl + 1
    return lines


def _content_end(text: str, start: int, stop: int) -> int:
    end = stop
    while end > start and text[end - 1] in " \t\r\u00a0":
        end -= 1
    return end


def _classify(text: str, pos: int, stop: int) -> list[Line]:
    found: list[Line] = []
    for line in _classify_line(text, pos, stop):
        found.extend(_split_inline_heading(text, line))
    return found


def _split_inline_heading(text: str, line: Line) -> list[Line]:
    """Cut a line at a section heading that follows text on it: the text, the heading, the rest."""
    if line.kind not in ("item", "text"):
        return [line]
    match = _INLINE_HEADING.search(text, line.start, line.end)
    if match is None:
        return [line]
    before = _content_end(text, line.start, match.start())
    section: Section = "inclusion" if match.group("kind").lower() == "inclusion" else "exclusion"
    head_start, head_end = match.span("heading")
    lines = [replace(line, end=before), Line("heading", head_start, head_start, head_end, line.indent, section=section)]
    rest = match.end()
    while rest < line.end and text[rest] in " \t":
        rest += 1
    if rest < line.end:
        lines.extend(_split_inline_heading(text, _classify_rest(text, line.line_start, rest, line.end, line.indent)))
    return lines


def _classify_line(text: str, pos: int, stop: int) -> list[Line]:
    end = _content_end(text, pos, stop)
    first = pos
    while first < end and text[first] in " \t\u00a0":
        first += 1
    indent = _indent_width(text[pos:first])
    if first >= end or _ALNUM.search(text, first, end) is None:  # also a lone "-" or "<!-- -->"
        return [Line("blank", pos, first, first, indent)]
    heading = _heading(text, pos, first, end, indent)
    if heading is not None:
        return heading
    match = _MARKER.match(text, first, end)
    if match:
        content = match.end()
        if content >= end:  # a marker with nothing after it ("\\-" alone)
            return [Line("blank", pos, end, end, indent)]
        kind, ordinal = _marker_kind(match)
        return [Line("item", pos, content, end, indent, kind, ordinal)]
    return [Line("text", pos, first, end, indent)]


def _heading(text: str, pos: int, first: int, end: int, indent: int) -> list[Line] | None:
    match = _HEADING.match(text, pos, end)
    if not match:
        return None
    if not match.group("crit") and not match.group("kind2") and match.group("end") != ":":
        return None  # "Exclusion of ..." is a sentence, "Inclusion:" and "Exclusion Criteria" are headings
    kind = (match.group("kind") or match.group("kind2")).lower()
    section: Section = "inclusion" if kind.startswith("inclusion") else "exclusion"
    sub = bool(match.group("quals") or match.group("qual"))
    heading_end = _content_end(text, first, match.end())
    heading = Line("heading", pos, first, heading_end, indent, section=section, subheading=sub)
    rest = match.end()
    if rest >= end:
        return [heading]
    # Text continuing on the heading's line is the first criterion of the section.
    inner = _classify_rest(text, pos, rest, end, indent)
    return [heading, inner]


def _classify_rest(text: str, pos: int, rest: int, end: int, indent: int) -> Line:
    match = _MARKER.match(text, rest, end)
    if match and match.end() < end:
        kind, ordinal = _marker_kind(match)
        return Line("item", pos, match.end(), end, indent, kind, ordinal)
    return Line("text", pos, rest, end, indent)


def _marker_kind(match: re.Match[str]) -> tuple[MarkerKind, int | None]:
    if match.group("symbol"):
        return "symbol", None
    number = match.group("num") or match.group("pnum")
    if number:
        return "number", int(number)
    roman = match.group("roman")
    if roman:
        return "roman", ROMAN_VALUES[roman.lower()]
    letter = match.group("alpha")
    return ("alpha" if letter.islower() else "ALPHA"), ord(letter.lower()) - 96


def as_roman(line: Line) -> Line | None:
    """Re-read a single-letter marker (i, v, x) as a roman numeral, when a roman list is open."""
    if line.marker in ("alpha", "ALPHA") and line.ordinal in (9, 22, 24):
        value = {9: 1, 22: 5, 24: 10}[line.ordinal]
        return Line(line.kind, line.line_start, line.start, line.end, line.indent, "roman", value)
    return None
