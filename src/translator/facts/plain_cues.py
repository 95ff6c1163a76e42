"""The cue patterns plain text is read with (headings, "you cannot join if", "... is allowed"), built once from
``rules/cues.json``: shared by the reader of plain documents (``plain``) and of a sentence's side (``voice``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from translator.facts.lexicon import lexicon
from translator.facts.patterns import literal_first


@dataclass(frozen=True)
class Twin:
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
class PlainCues:
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
    exclude: Twin
    include: Twin
    allow: Twin
    obstacle: Twin
    source_words: frozenset[str] | None
    """A word of every cue a source sentence is read for (allow, include, source exclusion), its longest: a
    lower-cased ASCII sentence with none of them has none of the cues, as most have none (see ``cue_words``)."""


@cache
def plain_cues() -> PlainCues:
    cues = lexicon().cues

    def alternatives(phrases: tuple[str, ...]) -> list[str]:
        ordered = sorted(set(phrases), key=len, reverse=True)
        return [re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in ordered]

    def alternation(phrases: tuple[str, ...]) -> str:
        return "|".join(alternatives(phrases))

    def twin(phrases: tuple[str, ...]) -> Twin:
        anycase = re.compile(r"(?<![a-z])(?:" + alternation(phrases) + r")(?![a-z])", re.I)
        if not all(p.isascii() for p in phrases):
            return Twin(anycase, None)
        lowered = tuple(p.lower() for p in phrases)
        return Twin(anycase, re.compile("(?:" + literal_first(alternatives(lowered), "a-z") + r")(?![a-z])"))

    return PlainCues(
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


LETTERS = re.compile(r"[a-z]+")


def cue_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The longest run of letters of each of ``phrases`` (None if one has none). A cue pattern
    ``(?<![a-z])(?:phrase|...)(?![a-z])`` matches a phrase's runs of letters as whole runs of the text (what stands
    next to each is a non-letter, the look-behind or the look-ahead), so a text none of whose runs is one of
    these words has no match."""
    longest = [max(LETTERS.findall(p), key=len, default="") for p in phrases]
    return frozenset(longest) if all(longest) else None
