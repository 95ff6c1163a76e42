"""Plain-English text: its sentences with offsets, and whether each says "you can join if" or "you cannot".

Works on any patient-facing text (ours, an LLM's, a trial site's): Markdown or plain, headings ("Who may
qualify", "You cannot join if:", "Not a fit"), bullets, paragraphs. A sentence's polarity comes from the
nearest heading and is overridden by an explicit cue in the sentence itself ("You cannot join if ...").
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from translator.facts.frozen import quick_init
from translator.facts.lexicon import lexicon
from translator.facts.patterns import literal_first
from translator.facts.types import Polarity

_LINE = re.compile(r"[^\n]*")
_BULLET = re.compile(r"[ \t]*(?:[-*+•·▪◦]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\))[ \t]+")
_MD_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+")
_SENTENCE_END = re.compile(r"[.!?](?P<gap>[\"')\]*_]*\s+(?=[\"'(\[*_]{0,2}[A-Z0-9]))")
r"""The gap after a sentence's final mark and any closing quote, bracket or Markdown emphasis ("**Who can join.**"):
``(?<=[.!?])["')\]*_]*\s+(?=...)``, written to open with the mark, which ``re`` scans for (the look-behind made it
try every position)."""
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|etc|al|dr|no|approx|mr|mrs|ms|st)\.|\b[A-Za-z]\.)$", re.IGNORECASE
)
_CLAUSE_OPEN = re.compile(r";|\(|(?<![0-9]):(?![0-9])|\bnote\b|\bhowever\b|\bbut\b|\bexcept\b", re.I)
_COUNTED = re.compile(r"[0-9]|(?<![a-z])(?:one|two|three|four|five|all|both|either|any)[ \t]+of(?![a-z])", re.I)
LEADING_CUE = 24
OBSTACLE_REACH = 40
"""Characters before a bare "to join" where an obstacle word ("unwise", "hard") turns it over."""
_CONDITION_AFTER = re.compile(r"[ \t]+(?:if|when|unless|while|because)(?![a-z])", re.I)
_STRONG_INCLUDE = ("join", "take part", "eligible", "qualify", "only if", "good fit", "participate")


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


@dataclass(frozen=True)
class PlainDocument:
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class _Twin:
    """A case-insensitive cue pattern, and the same pattern without ``re.I`` built from lower-cased phrases.
    ``re.I`` makes ``re`` three times slower; on ASCII text (nearly all) the twin, run over the lower-cased text,
    finds the same spans, for lower-casing ASCII keeps every offset. Callers read offsets and lower-cased
    groups only."""

    anycase: re.Pattern[str]
    lower: re.Pattern[str] | None
    """None when some phrase is not ASCII: then only ``anycase`` is exact."""

    def search(self, body: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self.lower is not None and body.isascii():
            return self.lower.search(body.lower(), pos, endpos)
        return self.anycase.search(body, pos, endpos)

    def finditer(self, body: str) -> Iterator[re.Match[str]]:
        if self.lower is not None and body.isascii():
            return self.lower.finditer(body.lower())
        return self.anycase.finditer(body)


@dataclass(frozen=True)
class _Cues:
    include_headings: re.Pattern[str]
    exclude_headings: re.Pattern[str]
    exclude_sentence: re.Pattern[str]
    include_sentence: re.Pattern[str]
    allow_sentence: re.Pattern[str]
    heading_join_words: re.Pattern[str]
    heading_negation_words: re.Pattern[str]
    include_obstacle: re.Pattern[str]
    required_limit: re.Pattern[str]
    """A requirement's words right after "must" / "need to": a limit, or a time that has to have passed.
    Written under a "cannot join" heading, such a sentence still states what lets a person join."""
    requirement_ending: re.Pattern[str]
    exclude: _Twin
    include: _Twin
    allow: _Twin
    obstacle: _Twin
    source_words: frozenset[str] | None
    """A word of every cue a source sentence is read for (allow, include, source exclusion), its longest: a
    lower-cased ASCII sentence with none of them has none of the cues, as most have none (see ``cue_words``)."""


@cache
def _cues() -> _Cues:
    cues = lexicon().cues

    def alternatives(phrases: tuple[str, ...]) -> list[str]:
        ordered = sorted(set(phrases), key=len, reverse=True)
        return [re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in ordered]

    def alternation(phrases: tuple[str, ...]) -> str:
        return "|".join(alternatives(phrases))

    def twin(phrases: tuple[str, ...]) -> _Twin:
        anycase = re.compile(r"(?<![a-z])(?:" + alternation(phrases) + r")(?![a-z])", re.I)
        if not all(p.isascii() for p in phrases):
            return _Twin(anycase, None)
        lowered = tuple(p.lower() for p in phrases)
        return _Twin(anycase, re.compile("(?:" + literal_first(alternatives(lowered), "a-z") + r")(?![a-z])"))

    return _Cues(
        include_headings=re.compile(r"(?<![a-z])(?:" + alternation(cues.include_headings) + r")(?![a-z])", re.I),
        exclude_headings=re.compile(r"(?<![a-z])(?:" + alternation(cues.exclude_headings) + r")(?![a-z])", re.I),
        exclude_sentence=re.compile(r"(?<![a-z])(?:" + alternation(cues.exclude_sentence_cues) + r")(?![a-z])", re.I),
        include_sentence=re.compile(r"(?<![a-z])(?:" + alternation(cues.include_sentence_cues) + r")(?![a-z])", re.I),
        allow_sentence=re.compile(r"(?<![a-z])(?:" + alternation(cues.allow_sentence_cues) + r")(?![a-z])", re.I),
        heading_join_words=re.compile(r"(?<![a-z])(?:" + alternation(cues.heading_join_words) + r")", re.I),
        heading_negation_words=re.compile(
            r"(?<![a-z])(?:" + alternation(cues.heading_negation_words) + r")(?![a-z])", re.I
        ),
        include_obstacle=re.compile(r"(?<![a-z])(?:" + alternation(cues.include_cue_obstacles) + r")(?![a-z])", re.I),
        required_limit=re.compile(
            r"[^.;:]{0,48}?(?<![a-z])(?:" + alternation(cues.required_limit_words) + r")(?![a-z])", re.I
        ),
        requirement_ending=re.compile(r"(?<![a-z])(?:" + alternation(cues.requirement_endings) + r")[.!)\s]*$", re.I),
        exclude=twin(cues.exclude_sentence_cues),
        include=twin(cues.include_sentence_cues),
        allow=twin(cues.allow_sentence_cues),
        obstacle=twin(cues.include_cue_obstacles),
        source_words=_source_words(cues.allow_sentence_cues, cues.include_sentence_cues),
    )


def _source_words(allow: tuple[str, ...], include: tuple[str, ...]) -> frozenset[str] | None:
    if not all(p.isascii() for p in (*allow, *include)):
        return None  # a twin with no lower-case pattern: sentences are read by the case-insensitive one
    phrases = (*allow, *include, *lexicon().cues.source_exclude_cues)
    return cue_words(tuple(p.lower() for p in phrases))


_LETTERS = re.compile(r"[a-z]+")


def cue_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The longest run of letters of each of ``phrases`` (None if one has none). A cue pattern
    ``(?<![a-z])(?:phrase|...)(?![a-z])`` matches a phrase's runs of letters as whole runs of the text (what stands
    next to each is a non-letter, the look-behind or the look-ahead), so a text none of whose runs is one of
    these words has no match."""
    longest = [max(_LETTERS.findall(p), key=len, default="") for p in phrases]
    return frozenset(longest) if all(longest) else None


def heading_polarity(line: str) -> Polarity | None:
    """The polarity a heading line announces, or None when the line is not a heading."""
    stripped = line.strip().strip("*_#: \t").strip()
    if not stripped or len(stripped.split()) > 14:
        return None
    is_heading = line.rstrip().endswith(":") or bool(_MD_HEADING.match(line)) or line.strip().startswith("**")
    if _BULLET.match(line) and _COUNTED.search(stripped):
        return None  # "- You must have at least one of these health problems:" opens a list, it is a criterion
    cues = _cues()
    excluded = cues.exclude_headings.search(stripped)
    included = cues.include_headings.search(stripped)
    whole = excluded or included
    if whole is None:
        bullet = _BULLET.match(line) is not None  # "- Any of the following cardiac criteria:" introduces items
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
    cues = _cues()
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
    for line in _LINE.finditer(text):
        raw = line.group()
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        if allowing is not None and indent <= allowing:
            allowing = None
        announced = heading_polarity(raw)
        if announced is not None:
            polarity = announced
            heading = raw.strip().strip("*_#: \t")
            lead_in = heading.lower().endswith(_OPEN_ENDS)
            remainder = _after_colon(raw)
            if remainder is None:
                continue
            start = line.start() + remainder
        elif _MD_HEADING.match(raw):
            continue  # a title ("# Gefitinib after surgery for stage Ib lung cancer") states no criterion
        else:
            start = line.start()
        bullet = _BULLET.match(text, start, line.end()) or _MD_HEADING.match(text, start, line.end())
        if bullet:
            start = bullet.end()
        base: Polarity = "include" if allowing is not None else polarity
        for s, e in _sentences(text, start, line.end()):
            sentences.append(_sentence(len(sentences), text, s, e, base, heading, lead_in))
        if allowing is None and allows_what_follows(raw):
            allowing = indent
    return PlainDocument(text, tuple(sentences))


def allows_what_follows(text: str) -> bool:
    """A lead-in that allows the list under it: "... however, the following are allowed:"."""
    return text.rstrip().endswith(":") and _cues().allow.search(text) is not None


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
    return Sentence(index, start, end, body, voice.polarity, heading, voice.cue_end, voice.scope_start, polarity)


@quick_init
@dataclass(frozen=True)
class Voice:
    """Which side one sentence takes, read from its own cues: the polarity, where the cue ends (negation is read
    only after it) and where the cue's polarity starts to apply (before it, the base polarity holds)."""

    polarity: Polarity
    cue_end: int = 0
    scope_start: int = 0


def sentence_voice(body: str, polarity: Polarity, *, plain: bool = True, lead_in: bool = False) -> Voice:
    """The same reading serves plain text and source criteria ("Minor surgery is allowed." is a reason one may
    still join in both); only plain text takes "you cannot join" / "you can join" cues. ``lead_in``: the sentence
    sits under a heading it completes ("You cannot join if:"), not under a title ("Who cannot join")."""
    cues = _cues()
    words = cues.source_words
    if not plain and words is not None and body.isascii() and words.isdisjoint(_LETTERS.findall(body.lower())):
        return Voice(polarity)  # no cue can match: what the reading below gives such a sentence
    allowed = cues.allow.search(body)
    if allowed:
        return Voice("include", allowed.end(), _clause_start(body, allowed.start()))
    if not plain:
        excluding = _source_exclusion(body)
        if excluding is not None and polarity == "include":
            return Voice("exclude", _leading(excluding))  # "... will be excluded" under the inclusion heading
        included = cues.include.search(body)
        if included and polarity == "exclude" and cues.required_limit.match(body, included.end()):
            return Voice("include", _leading(included))  # an exclusion that says "... must be stable for at least"
        return Voice(polarity, included.end() if included and included.start() < 12 else 0)
    cue: re.Match[str] | None = None
    excluded = _unless_pseudo(cues.exclude, body) or _source_exclusion(body)
    included = _include_cue(body)
    if excluded:
        polarity, cue = "exclude", excluded
    elif included and any(word in included.group().lower() for word in _STRONG_INCLUDE):
        polarity, cue = "include", included
    elif polarity == "exclude" and not lead_in and (ending := cues.requirement_ending.search(body)):
        polarity, cue = "include", ending  # under "Who cannot join", "... is required." states a requirement
    elif included and polarity == "exclude" and cues.required_limit.match(body, included.end()):
        polarity, cue = "include", included  # under "You cannot join if:", "your LVEF must be at least 50%"
    cue_end = _leading(cue) if cue else (included.end() if included and included.start() < 12 else 0)
    scope = cue.start() if cue and cue.start() > 0 and _CONDITION_AFTER.match(body, cue.end()) else 0
    if cue and scope:
        cue_end = cue.end()  # the cue opens its own scope: "..., and you cannot take part if it is under 60"
    return Voice(polarity, cue_end, scope)


def exclusion_cues(text: str) -> list[tuple[int, int]]:
    """Spans of the cues that say a sentence excludes ("You cannot join if", "... will be excluded"), pseudo-
    negations left out: their negation words are the side, not a negation of what they name."""
    low = text.lower()
    pseudo = lexicon().pseudo_negation_re
    spans: list[tuple[int, int]] = []
    patterns: tuple[_Twin | re.Pattern[str], ...] = (_cues().exclude, lexicon().source_exclude_re)
    for pattern in patterns:
        for match in pattern.finditer(low):
            inner = low.find("not", match.start(), match.end())
            if not pseudo.match(low, match.start()) and not (inner >= 0 and pseudo.match(low, inner)):
                spans.append((match.start(), match.end()))
    return spans


def _source_exclusion(body: str) -> re.Match[str] | None:
    """ "... will be excluded", "not eligible", but not inside a pseudo-negation ("not eligible for transplant")."""
    return _unless_pseudo(lexicon().source_exclude_re, body.lower())


def _unless_pseudo(pattern: re.Pattern[str] | _Twin, body: str) -> re.Match[str] | None:
    """The first match of ``pattern`` that is not the start of a pseudo-negation ("who are not eligible for
    curative surgery" says nothing about joining)."""
    pseudo = lexicon().pseudo_negation_re
    low = body.lower()
    for match in pattern.finditer(body):
        inner = low.find("not", match.start(), match.end())
        if not pseudo.match(low, match.start()) and not (inner >= 0 and pseudo.match(low, inner)):
            return match
    return None


_ASIDES = re.compile(r"\([^()]*\)")


def _include_cue(body: str) -> re.Match[str] | None:
    """The first include cue that is not an obstacle's infinitive ("... makes it unwise for you to take part"), nor
    inside an aside ("informed consent (written agreement to take part)" explains, it does not require)."""
    cues = _cues()
    for match in cues.include.finditer(_ASIDES.sub(lambda m: " " * len(m.group()), body)):
        if not match.group().lower().startswith("to "):
            return match
        if cues.obstacle.search(body, max(0, match.start() - OBSTACLE_REACH), match.start()) is None:
            return match
    return None


def _leading(cue: re.Match[str]) -> int:
    """Negation is read after a cue that opens the sentence ("You cannot join if you have not ..."); a cue at
    its end ("... who have not recurred are excluded") leaves the negation before it in force."""
    return cue.end() if cue.start() < LEADING_CUE else 0


def _clause_start(body: str, position: int) -> int:
    """ "...; Note: low-dose heparin is allowed": an allowance covers its own clause, not the whole sentence."""
    found = [
        m.end()
        for m in _CLAUSE_OPEN.finditer(body, 0, position)
        if m.group() != "(" or body.find(")", m.end(), position) < 0  # an aside closed before it opens nothing
    ]
    return found[-1] if found else 0


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (offsets into it), split as plain text is split."""
    return _sentences(text, 0, len(text))
