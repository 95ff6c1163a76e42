"""Terms that share their first words with the conjuncts after them: right-elided coordination.

"hepatitis caused by drugs, viruses or the immune system" names three terms, "hepatitis caused by drugs",
"... by viruses" and "... by the immune system", though the glossary finds only the first. Each conjunct after a
multi-word term is tried in place of the term's last words; a conjunct that makes a whole glossary name with them
names that term. This is the mirror of ``items._elided`` ("drug-induced, viral or autoimmune hepatitis").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from translator.facts.glossary import TermHit, default_finder

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_WORD = r"(?!(?:or|and|nor)(?![a-z0-9'-]))[a-z0-9][a-z0-9'-]*"
_TAIL_CONJUNCT = re.compile(
    rf"[ \t]*(?:,[ \t]*(?:and/or|or|and)?|and/or|or|and)[ \t]+(?P<conj>{_WORD}(?:[ \t]+{_WORD}){{0,3}})"
)
"""A joiner and the words after it (at most four, none of them a joiner): the conjunct is the longest run of
them that makes a term ("or lipids in the 2 months": "lipids")."""
MAX_CONJUNCTS = 8


def shared_tail(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """Spans and concepts of the conjuncts after ``hit`` that name a term with its leading words."""
    if not _TAIL_CONJUNCT.match(reader.low, hit.end):
        return []
    head = reader.norm.text[hit.start : hit.end].split()  # the text's own case, for abbreviations ("BP")
    links = _links(reader.lex.cues.elision_links)
    if not any(_ends_on_link(head[:cut], links) for cut in range(1, len(head))):
        return []  # no lead to share: most terms
    found: list[tuple[int, int, str]] = []
    position = hit.end
    while len(found) < MAX_CONJUNCTS and (match := _TAIL_CONJUNCT.match(reader.low, position)):
        named = _conjunct_term(reader, match.start("conj"), match.end("conj"), _Head(head, hit.term.id, links))
        if named is None:
            break
        found.append(named)
        position = named[1]
    return found


@dataclass(frozen=True)
class _Head:
    words: list[str]
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


@cache
def _links(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


def _ends_on_link(words: list[str], links: frozenset[str]) -> bool:
    return words[-1].lower() in links or " ".join(words[-2:]).lower() in links
