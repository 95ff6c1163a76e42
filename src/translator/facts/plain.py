"""Plain-English text: its sentences with offsets, and whether each says "you can join if" or "you cannot".

Works on any patient-facing text (ours, an LLM's, a trial site's): Markdown or plain, headings ("Who may
qualify", "You cannot join if:", "Not a fit"), bullets, paragraphs. A sentence's polarity comes from the
nearest heading and is overridden by an explicit cue in the sentence itself ("You cannot join if ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from translator.facts.frozen import quick_init
from translator.facts.plain_cues import plain_cues
from translator.facts.types import Polarity
from translator.facts.voice import sentence_voice

BULLET = re.compile(
    r"[ \t]*(?:(?:[-*+•·▪◦]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\))[ \t]+(?:\[[ xX✓]\][ \t]+)?|[☐☑☒□✓✔✗✘][ \t]+)"
)
"""A list item's marker, with a checkbox after it ("- [ ] I am over 20 years old"), or a box or a tick or cross
alone ("☐ ...", "✓ You have diabetes", "✗ you are pregnant")."""
_MD_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+")
_SENTENCE_END = re.compile(r"[.!?](?P<gap>[\"')\]*_]*\s+(?=[\"'(\[*_]{0,2}[A-Z0-9]))")
r"""The gap after a sentence's final mark and any closing quote, bracket or Markdown emphasis ("**Who can join.**"):
``(?<=[.!?])["')\]*_]*\s+(?=...)``, written to open with the mark, which ``re`` scans for (the look-behind made it
try every position)."""
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|etc|al|dr|no|approx|mr|mrs|ms|st)\.|(?<!or )(?<!and )(?<!, )\b[A-Za-z]\.)$", re.IGNORECASE
)
_COUNTED = re.compile(r"[0-9]|(?<![a-z])(?:one|two|three|four|five|all|both|either|any)[ \t]+of(?![a-z])", re.I)


@quick_init
@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    polarity: Polarity
    heading: str | None
    cue_end: int
    """Offset (within the sentence) after the polarity cue; negation is only read after it."""
    scope_start: int = 0
    """Offset (within the sentence) where the cue's polarity starts to apply: 0 for the whole sentence ("HIV
    positive people cannot join"), the cue itself for "If X, ..., and you cannot take part if Y"."""
    lead_polarity: Polarity = "include"
    """The polarity of the words before ``scope_start`` (the heading's)."""
    scope_end: int = 0
    """Offset (within the sentence) where the cue's polarity stops applying and ``lead_polarity`` holds again (an
    allowance in a bracket); 0 for the sentence's end."""


@dataclass(frozen=True)
class PlainDocument:
    text: str
    sentences: tuple[Sentence, ...]


def heading_polarity(line: str) -> Polarity | None:
    """The polarity a heading line announces, or None when the line is not a heading."""
    stripped = line.strip().strip("*_#: \t").strip()
    if not stripped or len(stripped.split()) > 14:
        return None
    is_heading = line.rstrip().endswith(":") or bool(_MD_HEADING.match(line)) or line.strip().startswith("**")
    if BULLET.match(line) and _COUNTED.search(stripped):
        return None  # "- You must have at least one of these health problems:" opens a list, it is a criterion
    cues = plain_cues()
    excluded = cues.exclude_headings.search(stripped)
    included = cues.include_headings.search(stripped)
    whole = excluded or included
    if whole is None:
        bullet = BULLET.match(line) is not None  # "- Any of the following cardiac criteria:" introduces items
        return _heading_by_words(stripped) if is_heading and not bullet else None
    covers_line = whole.end() - whole.start() >= 0.6 * len(stripped) and _heading_rest(stripped, whole.end())
    if not (is_heading or covers_line):
        return None
    return "exclude" if excluded else "include"


_OPEN_ENDS = (" who", " if", " you", "if you", " that", " with", " whose")
"""Words a heading lead-in ends on, its sentence going on in the lines below it."""


def _heading_rest(stripped: str, cue_end: int) -> bool:
    """A line a heading cue nearly fills is a heading unless it goes on to say something and ends like a
    sentence: "You cannot take part if you have HIV." is a rule, "Who cannot take part" a heading."""
    rest = stripped[cue_end:].strip()
    if len(rest.split()) <= 3 and rest.lower().endswith(_OPEN_ENDS):
        return True  # "This study is not for people who" / "Not a good fit if you": a lead-in the next line completes
    return len(rest.split()) <= 1 and not stripped.endswith((".", "!", "?", ";"))


def _heading_by_words(heading: str) -> Polarity | None:
    """Headings come in endless wordings ("Reasons you would not qualify", "Who is not included"): a heading
    about joining is a "cannot join" heading when it carries a negation, else a "can join" one."""
    cues = plain_cues()
    if not cues.heading_join_words.search(heading):
        return None
    return "exclude" if cues.heading_negation_words.search(heading) else "include"


def read_plain(text: str) -> PlainDocument:
    sentences: list[Sentence] = []
    polarity: Polarity = "include"
    heading: str | None = None
    lead_in = False
    allowing: int | None = None
    """The indent of a lead-in that allows what is listed under it ("... however, the following are allowed:")."""
    for line_start, line_end in _lines(text):
        raw = text[line_start:line_end]
        indent = len(raw) - len(raw.lstrip(" \t"))
        if allowing is not None and indent <= allowing:
            allowing = None
        announced = heading_polarity(raw)
        label = _BOLD_LABEL.match(raw) if announced is None else None
        if label is not None:
            announced = heading_polarity(label.group())  # "**Not a good fit:** You have any disease ..."
        if announced is not None:
            polarity = announced
            heading = (label.group() if label else raw).strip().strip("*_#: \t")
            lead_in = heading.lower().endswith(_OPEN_ENDS)
            remainder = label.end() if label else _after_colon(raw)
            if remainder is None:
                continue
            start = line_start + remainder
        elif _MD_HEADING.match(raw):
            continue  # a title ("# Gefitinib after surgery for stage Ib lung cancer") states no criterion
        else:
            start = line_start
        bullet = BULLET.match(text, start, line_end) or _MD_HEADING.match(text, start, line_end)
        if bullet:
            start = bullet.end()
        base: Polarity = "include" if allowing is not None else polarity
        for s, e in _sentences(text, start, line_end):
            sentences.append(_sentence(len(sentences), text, s, e, base, heading, lead_in))
        if allowing is None and allows_what_follows(raw):
            allowing = indent
    return PlainDocument(text, tuple(sentences))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """The text's non-blank lines (start, end), a wrapped line joined with the lines that carry it on: a line
    that starts with a small letter or a digit after one that ends no sentence and is no heading ("... stable
    vitiligo and stable hair" / "  loss do not count."), as Markdown joins the lines of a list item or a
    paragraph. Only the line before is read, so a long paragraph costs no more than its lines."""
    pending: tuple[int, int] | None = None
    previous = ""
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        if pending is not None and _carries_on(previous, raw, first=pending[0] == start - len(previous) - 1):
            pending = (pending[0], end)
        else:
            if pending is not None:
                yield pending
            pending = (start, end) if raw.strip() else None
        previous = raw
        start = end + 1
    if pending is not None:
        yield pending


def _carries_on(before: str, line: str, *, first: bool) -> bool:
    """Does ``line`` carry on the line ``before`` it? ``first``: ``before`` opens its logical line (only such a
    line may be a heading)."""
    words = line.lstrip(" \t")
    if not words or not (words[0].islower() or words[0].isdigit()) or BULLET.match(line):
        return False
    if before.rstrip(" \t*_").endswith((".", "!", "?", ":", ";")):
        return False
    return not first or heading_polarity(before) is None  # "This study is not for people who" / "have had ..."


_BOLD_LABEL = re.compile(r"[ \t]*\*\*(?P<label>[^*\n]{1,80}?):\*\*|[ \t]*\*\*(?P<plain>[^*\n]{1,80}?)\*\*[ \t]*:")
"""A bold label that opens a paragraph ("**Not a good fit:** You have ..."): a heading for the text after it."""


def allows_what_follows(text: str) -> bool:
    """A lead-in that allows the list under it: "... however, the following are allowed:"."""
    return text.rstrip().endswith(":") and plain_cues().allow.search(text) is not None


def _after_colon(line: str) -> int | None:
    """A heading with text after its colon on the same line: "You cannot join if: you have HIV"."""
    colon = line.find(":")
    if colon < 0 or not line[colon + 1 :].strip():
        return None
    return colon + 1


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = start
    for match in _SENTENCE_END.finditer(text, max(start - 1, 0), end):  # the mark may stand just before ``start``
        gap = match.start("gap")
        if _ABBREVIATION_END.search(text, max(start, gap - 8), gap):
            continue
        spans.append(_trim(text, position, gap))
        position = match.end()
    spans.append(_trim(text, position, end))
    return [(s, e) for s, e in spans if e > s and any(ch.isalnum() for ch in text[s:e])]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence(
    index: int, text: str, start: int, end: int, polarity: Polarity, heading: str | None, lead_in: bool
) -> Sentence:
    body = text[start:end]
    voice = sentence_voice(body, polarity, lead_in=lead_in)
    return Sentence(
        index, start, end, body, voice.polarity, heading, voice.cue_end, voice.scope_start, polarity, voice.scope_end
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (offsets into it), split as plain text is split."""
    return _sentences(text, 0, len(text))
