"""The glossary: clinical terms, their abbreviations and lay synonyms, and a fast longest-match finder.

One versioned data file (``rules/glossary.json``) serves the extractor (entity and item recognition in
clinical and plain text alike), the offline renderer ("ALT (a liver test)") and the prompts. Matching is
word-based and longest-first: "left ventricular ejection fraction", "LVEF" and "heart's pumping strength" all
come out as ``lvef``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from translator.facts.spans import SpanIndex
from translator.rules import RuleFile, load_rules

TermKind = Literal[
    "measure", "condition", "drug", "procedure", "status", "event", "reference_point", "test", "device", "other"
]

_WORD = re.compile(r"[a-z0-9]+|[α-ω]+")


def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens; apostrophes and hyphens split words ("heart's" -> heart, s)."""
    return tuple(_WORD.findall(text.lower().replace("’", "'")))


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: TermKind
    name: str
    """The preferred clinical name."""
    abbreviations: tuple[str, ...] = ()
    """Matched case-sensitively as whole words ("ALT", "LVEF"); short ones must not collide with English words."""
    synonyms: tuple[str, ...] = ()
    """Other clinical spellings, matched case-insensitively."""
    lay: tuple[str, ...] = ()
    """Plain-English names a patient-facing text may use ("heart's pumping strength"), case-insensitive."""
    explain: str | None = None
    """A short lay explanation for parentheses: "ALT (a liver test)"."""
    parent: str | None = None
    """A broader term's id (hepatitis_b -> hepatitis)."""
    disease: str | None = None
    """For an organ: the id of its disease term, so that "a disease of the brain and spinal cord" or "problems
    with your kidneys" name it as "CNS disease" and "kidney disease" do."""

    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms, *self.lay)


class Glossary(RuleFile):
    terms: tuple[GlossaryTerm, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        ids = [t.id for t in self.terms]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate term ids: {duplicates}")
        known = set(ids)
        for term in self.terms:
            if not re.fullmatch(r"[a-z0-9_]+", term.id):
                raise ValueError(f"term id {term.id!r} must be snake_case")
            if term.parent is not None and term.parent not in known:
                raise ValueError(f"term {term.id!r} has unknown parent {term.parent!r}")
            if term.disease is not None and term.disease not in known:
                raise ValueError(f"term {term.id!r} has unknown disease {term.disease!r}")
        owners: dict[tuple[str, ...], str] = {}
        for term in self.terms:
            for surface in term.surfaces():
                key = words(surface)
                if not key:
                    raise ValueError(f"term {term.id!r} has an empty surface form {surface!r}")
                if owners.setdefault(key, term.id) != term.id:
                    raise ValueError(f"{surface!r} belongs to both {owners[key]!r} and {term.id!r}")
        abbreviations: dict[str, str] = {}
        for term in self.terms:
            for abbr in term.abbreviations:
                if abbreviations.setdefault(abbr, term.id) != term.id:
                    raise ValueError(f"abbreviation {abbr!r} belongs to both {abbreviations[abbr]!r} and {term.id!r}")
        return self


@dataclass(frozen=True)
class TermHit:
    term: GlossaryTerm
    start: int
    end: int
    """Offsets in the text that was searched."""
    via: Literal["name", "abbreviation", "lay"]


class TermFinder:
    """Longest-match search over word tokens; abbreviations are case-sensitive.

    The text is tokenised once; at a token that starts some surface form, the candidate lengths are tried
    longest first as dictionary lookups, so the cost per token does not grow with the glossary.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.by_id = {t.id: t for t in glossary.terms}
        self._keys: dict[tuple[str, ...], tuple[GlossaryTerm, Literal["name", "lay"]]] = {}
        self._abbreviations: dict[str, GlossaryTerm] = {}
        for term in glossary.terms:
            for surface in (term.name, *term.synonyms):
                self._add(words(surface), term, "name")
            for surface in term.lay:
                self._add(words(surface), term, "lay")
            for abbr in term.abbreviations:
                self._abbreviations[abbr] = term
        self._lengths: dict[str, tuple[int, ...]] = {}
        for key in self._keys:
            self._lengths[key[0]] = tuple(sorted({len(key), *self._lengths.get(key[0], ())}, reverse=True))
        self._abbr_lengths: dict[str, tuple[int, ...]] = {}
        for abbr in self._abbreviations:
            pieces = _ABBR_TOKEN.findall(abbr)
            lengths = {len(pieces), *self._abbr_lengths.get(pieces[0], ())}
            self._abbr_lengths[pieces[0]] = tuple(sorted(lengths, reverse=True))
        self._organs = {
            " ".join(words(surface)): term.disease
            for term in glossary.terms
            if term.disease
            for surface in term.surfaces()
        }
        self._organ_re = _organ_pattern(self._organs)

    def _add(self, key: tuple[str, ...], term: GlossaryTerm, via: Literal["name", "lay"]) -> None:
        self._keys.setdefault(key, (term, via))
        self._keys.setdefault(_singular_key(key), (term, via))

    def find(self, text: str) -> list[TermHit]:
        """All term mentions, longest first, never overlapping; abbreviations fill the gaps."""
        hits = self._organ_diseases(text)
        organs = SpanIndex((h.start, h.end) for h in hits)
        hits += [h for h in self._phrase_hits(text) if not organs.overlaps(h.start, h.end)]
        taken = SpanIndex((h.start, h.end) for h in hits)
        for term, start, end in self._abbreviation_hits(text):
            if not taken.overlaps(start, end):
                hits.append(TermHit(term, start, end, "abbreviation"))
        hits.sort(key=lambda h: h.start)
        return hits

    def _abbreviation_hits(self, text: str) -> Iterator[tuple[GlossaryTerm, int, int]]:
        """Case-sensitive whole-token matches ("ALT", "HBsAg", "CAR T", "K+"), longest first at each token."""
        tokens = list(_ABBR_TOKEN.finditer(text))
        index = 0
        while index < len(tokens):
            start = tokens[index].start()
            found = None
            if start == 0 or not text[start - 1].isascii() or not text[start - 1].isalnum():
                for length in self._abbr_lengths.get(tokens[index].group(), ()):
                    last = index + length - 1
                    if last >= len(tokens):
                        continue
                    end = tokens[last].end()
                    term = self._abbreviations.get(text[start:end])
                    if term is not None and not (end < len(text) and text[end].isascii() and text[end].isalnum()):
                        found = (term, start, end, length)
                        break
            if found is None:
                index += 1
                continue
            yield found[0], found[1], found[2]
            index += found[3]

    def _organ_diseases(self, text: str) -> list[TermHit]:
        """ "disease of the brain and spinal cord", "a disorder of the nerves or brain", "problems with your
        kidneys": a disease word before an organ names that organ's disease term."""
        if self._organ_re is None:
            return []
        hits: list[TermHit] = []
        for match in self._organ_re.finditer(text.lower()):
            organ = self._organs[" ".join(words(match.group("organ")))]
            hits.append(TermHit(self.by_id[organ], match.start(), match.end(), "lay"))
        return hits

    def _phrase_hits(self, text: str) -> Iterator[TermHit]:
        matches = list(_WORD.finditer(text.lower()))
        tokens = [m.group() for m in matches]
        index = 0
        while index < len(tokens):
            for length in self._lengths.get(tokens[index], ()):
                if index + length > len(tokens):
                    continue
                found = self._keys.get(tuple(tokens[index : index + length]))
                if found is not None:
                    term, via = found
                    yield TermHit(term, matches[index].start(), matches[index + length - 1].end(), via)
                    index += length
                    break
            else:
                index += 1


def _singular_key(key: tuple[str, ...]) -> tuple[str, ...]:
    last = key[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "is", "us")):
        return (*key[:-1], last[:-1])
    return key


_ABBR_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
"""Abbreviations are read as runs of ASCII letters and digits and single symbols ("GLP-1 RA": GLP, -, 1, RA)."""


_DISEASE_WORDS = r"diseases?|disorders?|illness(?:es)?|problems?|conditions?|damage|failure|impairment|dysfunction"


def _organ_pattern(organs: dict[str, str]) -> re.Pattern[str] | None:
    if not organs:
        return None
    alternation = "|".join(re.escape(o).replace(r"\ ", r"[\s'-]+") for o in sorted(organs, key=len, reverse=True))
    return re.compile(
        rf"(?<![a-z])(?:{_DISEASE_WORDS})[ \t]+(?:of|in|with|affecting)[ \t]+(?:the[ \t]+|your[ \t]+|their[ \t]+)?"
        rf"(?P<organ>{alternation})(?![a-z])"
    )


@cache
def default_glossary() -> Glossary:
    return load_rules("glossary.json", Glossary)


@cache
def default_finder() -> TermFinder:
    return TermFinder(default_glossary())
