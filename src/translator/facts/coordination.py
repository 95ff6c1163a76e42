"""Coordination: the terms a list names beside the one the glossary finds.

* sibling letters: "hepatitis B, C infection", "hepatitis B or C" name hepatitis C as well (``siblings``);
* a shared head, the conjuncts before a term: "type 1 or type 2 diabetes", "drug-induced, viral or autoimmune
  hepatitis", "EGFR or VEGFR tyrosine kinase inhibitors", "a sudden (acute) or terminal illness" (``elided``,
  ``shared_head``, ``elided_aside``);
* a shared lead, the conjuncts after a term: "hepatitis caused by drugs, viruses or the immune system" names
  "hepatitis caused by drugs", "... by viruses" and "... by the immune system" (``shared_tail``). Each conjunct is
  tried in place of the term's last words; one that makes a whole glossary name with them names that term.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from translator.facts.glossary import TermHit, default_finder
from translator.facts.patterns import ASIDE

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_WORD = r"(?!(?:or|and|nor)(?![a-z0-9'-]))[a-z0-9][a-z0-9'-]*"
_TAIL_CONJUNCT = re.compile(
    rf"[ \t]*(?:,[ \t]*(?:and/or|or|and)?|and/or|or|and)[ \t]+(?P<conj>{_WORD}(?:[ \t]+{_WORD}){{0,3}})"
)
"""A joiner and the words after it (at most four, none of them a joiner): the conjunct is the longest run of
them that makes a term ("or lipids in the 2 months": "lipids")."""
MAX_CONJUNCTS = 8


_SIBLING = re.compile(r"[ \t]*(?:,|/|and/or|or|and|&)[ \t]*(?:,[ \t]*)?(?P<letter>[a-e])(?![a-z0-9])", re.IGNORECASE)

_CONJUNCT_BEFORE = re.compile(
    r"(?P<conj>[a-z0-9][a-z0-9-]*(?:[ \t]+[a-z0-9][a-z0-9-]*)?)[ \t]*(?:,|/|and/or|or|&)[ \t]*$"
)

ELISION_REACH = 32
"""Characters before a term where a conjunct sharing its head may stand ("type 1 or type 2 diabetes")."""

ASIDE_REACH = 64
"""The longest aside between a conjunct and its term that is read past."""


def siblings(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "hepatitis B, C" / "hepatitis B or C": a bare letter after a lettered term names its sibling term."""
    surface = reader.norm.text[hit.start : hit.end]
    if not _ends_in_letter(surface):
        return []
    found: list[tuple[int, int, str]] = []
    stem = surface[:-1]
    position = hit.end
    while match := _SIBLING.match(reader.low, position):
        sibling = default_finder().find(stem + match.group("letter").upper())
        if len(sibling) != 1 or sibling[0].term.id == hit.term.id:
            break
        found.append((match.start("letter"), match.end("letter"), sibling[0].term.id))
        position = match.end()
    return found


def _ends_in_letter(surface: str) -> bool:
    """Does ``surface`` end in a lone letter a-e (either case) after a space or tab ("hepatitis B")? As
    ``(?<=[ \t])[a-e]$`` (``re.I``) would find, the end being before a final newline too, without a search that
    tries every position."""
    body = surface.removesuffix("\n")
    return len(body) >= 2 and body[-1] in "abcdeABCDE" and body[-2] in " \t"


_MODIFIED_BEFORE = re.compile(
    r"(?P<conj>[a-z0-9][a-z0-9-]*)[ \t]*(?:,|/|and/or|or|&)[ \t]*(?P<mod>[a-z0-9][a-z0-9-]*)[ \t]+$"
)

_ASIDE_CONJUNCT = re.compile(r"\((?P<conj>[a-z0-9][a-z0-9 -]{0,24})\)[ \t]*(?:,|/|and/or|or|&)[ \t]*$")


def elided_aside(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "a sudden (acute) or terminal illness": the clinical word in brackets is the conjunct that shares the
    term's head ("acute illness")."""
    window = max(0, hit.start - ELISION_REACH)
    match = _ASIDE_CONJUNCT.search(reader.low, window, hit.start)
    if match is None:
        return []
    head = reader.low[hit.start : hit.end].split()
    for cut in range(1, len(head)):
        candidate = " ".join([*match.group("conj").split(), *head[cut:]])
        hits = default_finder().find(candidate)
        if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)) and hits[0].term.id != hit.term.id:
            return [(match.start("conj"), match.end("conj"), hits[0].term.id)]
    return []


def shared_head(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "EGFR or VEGFR tyrosine kinase inhibitors": each modifier of a coordination names the term its words
    make with the head ("EGFR tyrosine kinase inhibitors", "VEGFR tyrosine kinase inhibitors")."""
    window = max(0, hit.start - ELISION_REACH)
    match: _Groups | None = None
    if _may_modify(reader.low[window : hit.start]):  # the test holds for this text, not for its asides blanked
        match = _MODIFIED_BEFORE.search(reader.low, window, hit.start)
    if match is None:
        match = _search_past_asides(_MODIFIED_BEFORE, _may_modify, reader, hit.start)  # "EGFR (a gene change) or VEGFR"
    if match is None:
        return []
    head = reader.low[hit.start : hit.end]
    found: list[tuple[int, int, str]] = []
    for group in ("conj", "mod"):
        candidate = f"{match.group(group)} {head}"
        hits = default_finder().find(candidate)
        if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)) and hits[0].term.id != hit.term.id:
            found.append((match.start(group), match.end(group), hits[0].term.id))
    return found


_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def _may_modify(before: str) -> bool:
    """Whether ``_MODIFIED_BEFORE`` can match at the end of ``before``; a necessary test, for the search (which
    starts with a character class, so ``re`` tries it at every position) is the slow part. The text must end in
    spaces (before an optional final newline) after the modifier, and the modifier must follow a joiner: either
    before the run of name characters it ends ("EGFR or VEGFR"), or, an "or" glued to it, inside that run."""
    text = before.removesuffix("\n")
    words = text.rstrip(" \t")
    if len(words) == len(text):
        return False
    head = words.rstrip(_NAME_CHARS)
    return head.rstrip(" \t").endswith((",", "/", "&", "or")) or "or" in words[len(head) :]


def _cuts(head: list[str], conjunct_words: int) -> list[int]:
    """How many of the term's first words a conjunct may stand for: as many as it has, or a whole name that
    modifies the term's last word ("medical or mental health illness": "medical" stands for "mental health")."""
    cuts = list(range(1, min(len(head), conjunct_words + 1)))
    for cut in range(conjunct_words + 1, len(head)):
        name = " ".join(head[:cut])
        found = default_finder().find(name)
        if len(found) == 1 and (found[0].start, found[0].end) == (0, len(name)):
            cuts.append(cut)
    return cuts


def elided(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "type 1 or type 2 diabetes", "brain or meningeal metastasis": a conjunct before a term that shares its
    head names another term, whose name is the conjunct with the rest of the term's words. The list is read
    back from the term while its conjuncts do so ("drug-induced, viral or autoimmune hepatitis")."""
    found: list[tuple[int, int, str]] = []
    end = hit.start
    while len(found) < MAX_CONJUNCTS and (conjunct := _elided_before(reader, hit, end)):
        found.append(conjunct)
        end = conjunct[0]
    return found


def _elided_before(reader: Reader, hit: TermHit, end: int) -> tuple[int, int, str] | None:
    """The conjunct just before ``end`` that names a term with the rest of ``hit``'s words."""
    window = max(0, end - ELISION_REACH)
    if not _ends_in_joiner(reader.low[window:end]):
        return None  # no joiner right before the term: the search (slow, for it backtracks) cannot match
    match: _Groups | None = _CONJUNCT_BEFORE.search(reader.low, window, end)
    past_aside = match is None
    if match is None:
        match = _search_past_asides(_CONJUNCT_BEFORE, _ends_in_joiner, reader, end)  # "type 1 (juvenile) or"
    if match is None:
        return None
    conjunct, name = match.group("conj").split(), None
    if _inside_a_name(reader, match.start("conj"), match.end("conj")):
        name = _name_ending(reader, match.start("conj"), match.end("conj"))
        if name is None or past_aside:
            return None  # "a weak heart, kidney problems": the conjunct is a name of its own
        conjunct = reader.low[name.start : name.end].split()
    head = reader.low[hit.start : hit.end].split()
    for words in (conjunct, conjunct[-1:]) if len(conjunct) > 1 and name is None else (conjunct,):
        for cut in _cuts(head, len(words)):  # "acute or chronic liver disease": not "acute disease"
            if name is not None and not _parallel(name, head[:cut]):
                continue  # "diet and/or diabetes pills" are no diet pills
            candidate = " ".join([*words, *head[cut:]])
            hits = default_finder().find(candidate)
            if (
                len(hits) == 1
                and hits[0].start == 0
                and hits[0].end == len(candidate)
                and hits[0].term.id != hit.term.id
            ):
                start = match.end("conj") - len(" ".join(words))
                return (start, match.end("conj"), hits[0].term.id)
    return None


def _parallel(name: TermHit, replaced: list[str]) -> bool:
    """May a conjunct that is a name of its own stand for the head's first words? Only if those words name nothing
    ("drug" of "alcohol or drug abuse") or a term of the same kind ("liver" of "heart or liver failure"): "diet" is
    no kind of diabetes. (Past an aside a named conjunct never does: "heart (NYHA class III/IV, arrhythmia, ...),
    liver failure" says in the aside what it names.)"""
    words = " ".join(replaced)
    found = default_finder().find(words)
    if not found or (found[0].start, found[-1].end) != (0, len(words)):
        return not found
    return all(hit.term.kind == name.term.kind for hit in found)


class _Groups(Protocol):
    def group(self, name: str) -> str: ...
    def start(self, name: str) -> int: ...
    def end(self, name: str) -> int: ...


@dataclass(frozen=True)
class _Shifted:
    """A match in a slice of the text, its offsets given in the whole text."""

    match: re.Match[str]
    offset: int

    def group(self, name: str) -> str:
        return self.match.group(name)

    def start(self, name: str) -> int:
        return self.match.start(name) + self.offset

    def end(self, name: str) -> int:
        return self.match.end(name) + self.offset


def _ends_in_joiner(before: str) -> bool:
    """Whether ``_CONJUNCT_BEFORE`` can match at the end of ``before`` (a necessary test, as ``_may_modify``)."""
    return before.removesuffix("\n").rstrip(" \t").endswith((",", "/", "or", "&"))


def _search_past_asides(
    pattern: re.Pattern[str], may_match: Callable[[str], bool], reader: Reader, end: int
) -> _Groups | None:
    """``pattern`` searched before ``end`` with the asides there blanked out, for a conjunct that an aside
    separates from its joiner (the blanked slice keeps its length, so offsets only shift by its start).
    ``may_match`` is the pattern's necessary test, which spares the search on most blanked slices."""
    start = max(0, end - ELISION_REACH - ASIDE_REACH)
    piece = reader.low[start:end]
    if ")" not in piece:
        return None
    blanked = ASIDE.sub(_blank, piece)
    match = pattern.search(blanked) if may_match(blanked) else None
    return _Shifted(match, start) if match is not None else None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _inside_a_name(reader: Reader, start: int, end: int) -> bool:
    """Does a glossary hit overlap [start, end)? (Hits do not overlap each other, so the last one starting
    before ``end`` is the only candidate.)"""
    index = bisect_left(reader.hit_starts, end) - 1
    return index >= 0 and reader.hits[index].end > start


def _name_ending(reader: Reader, start: int, end: int) -> TermHit | None:
    """The glossary name that ends a conjunct's words [start, end) and lies inside them ("alcohol" of "history of
    alcohol or drug abuse"): it may still share the head after it. A conjunct that is only part of a name ("heart"
    of "a weak heart, kidney problems") may not."""
    index = bisect_left(reader.hit_starts, end) - 1
    if index < 0 or reader.hits[index].end != end or reader.hits[index].start < start:
        return None
    return reader.hits[index]


def shared_tail(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """Spans and concepts of the conjuncts after ``hit`` that name a term with its leading words."""
    if not _TAIL_CONJUNCT.match(reader.low, hit.end):
        return []
    words = tuple(reader.norm.text[hit.start : hit.end].split())  # the text's own case, for abbreviations ("BP")
    links = reader.lex.elision_links
    if not any(_ends_on_link(words[:cut], links) for cut in range(1, len(words))):
        return []  # no lead to share: most terms
    head = _Head(words, hit.term.id, links)
    found: list[tuple[int, int, str]] = []
    position = hit.end
    while len(found) < MAX_CONJUNCTS and (match := _TAIL_CONJUNCT.match(reader.low, position)):
        named = _conjunct_term(reader, match.start("conj"), match.end("conj"), head)
        if named is None:
            break
        found.append(named)
        position = named[1]
    return found


@dataclass(frozen=True)
class _Head:
    words: tuple[str, ...]
    own: str
    """The term's id: a conjunct that names it again names nothing new."""
    links: frozenset[str]


def _conjunct_term(reader: Reader, start: int, end: int, head: _Head) -> tuple[int, int, str] | None:
    """The longest run of words from ``start`` that names a term with the head's leading words."""
    words = list(_WORDS.finditer(reader.norm.text, start, end))
    for count in range(len(words), 0, -1):
        conjunct = [w.group() for w in words[:count]]
        concept = _term_with(head, conjunct)
        if concept is not None:
            return start, words[count - 1].end(), concept
    return None


_WORDS = re.compile(r"\S+")


def _term_with(head: _Head, conjunct: list[str]) -> str | None:
    """The term whose whole name is the head's leading words and the conjunct, the longest lead first. The lead
    ends on a link word: "squamous cell carcinoma of the skin or carcinoma in situ" shares no "squamous"."""
    for cut in range(len(head.words) - 1, 0, -1):
        if not _ends_on_link(head.words[:cut], head.links):
            continue
        candidate = " ".join([*head.words[:cut], *conjunct])
        hits = default_finder().find(candidate)
        if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)) and hits[0].term.id != head.own:
            return hits[0].term.id
    return None


def _ends_on_link(words: tuple[str, ...], links: frozenset[str]) -> bool:
    return words[-1].lower() in links or " ".join(words[-2:]).lower() in links
