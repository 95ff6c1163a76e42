"""Spelled-out sets: a translation that writes a closed set out must name all of it.

"A first-degree relative" is a parent, a sibling or a child. A translation may say the term, or spell it out
("a parent, brother, sister or child (a first-degree relative)"); a spelled-out list that leaves one out ("a
parent, sister or child (a first-degree relative)") shrinks the set a patient reads, though the term is still
named. The glossary gives such a term's ``members``; the list is the one right before a bracket that opens with
the term, or in the bracket or after the colon that follows it. Examples ("such as a parent") are no list: their
lead words are not list words, so nothing is read from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from translator.facts import Facts, Item
from translator.facts.glossary import default_finder
from translator.facts.lexicon import lexicon
from translator.facts.types import Span
from translator.verify.compare import Difference
from translator.verify.messages import Messages
from translator.verify.types import Finding

_WORDS = re.compile(r"[a-z]+(?:/[a-z]+)?|,")
_AFTER = re.compile(r"\s*(?:\((?P<bracket>[^()]*)\)|:\s*(?P<colon>[^.;()\n]*))")
REACH = 120
"""How far before a bracket the list it explains may start."""


@dataclass(frozen=True)
class SpelledOut:
    start: int
    end: int
    named: frozenset[str]


def incomplete_sets(source: Facts, plain: Facts, translation: str, say: Messages) -> list[Finding]:
    """Each plain spelling-out of a closed set the source names, that leaves a member out (``altered.set``)."""
    stated: dict[str, Item] = {}
    for item in source.items:
        if item.concept and _members(item.concept):
            stated.setdefault(item.concept, item)
    findings: list[Finding] = []
    for item in plain.items:
        if item.concept not in stated:
            continue
        members = _members(item.concept)
        spelled = spelled_out(translation, item.span.start, item.span.end, members)
        missing = left_out(members, spelled.named) if spelled else []
        if spelled and missing:
            start, end = min(spelled.start, item.span.start), max(spelled.end, item.span.end)
            end += translation.startswith(")", end)  # "(a first-degree relative)" whole
            shown = replace(item, span=Span(start, end), text=translation[start:end])
            says = f"the set it spells out leaves out {', '.join(missing)}"
            findings.append(say.difference(stated[item.concept], shown, Difference("altered.set", "set", says)))
    return findings


Members = tuple[tuple[tuple[str, ...], ...], ...]


def _members(concept: str) -> Members:
    term = default_finder().by_id.get(concept)
    return term.members if term is not None else ()


def spelled_out(text: str, start: int, end: int, members: Members) -> SpelledOut | None:
    """The member words of the list that spells out the term at [start, end), if it has one."""
    vocabulary = {word for member in members for way in member for word in way}
    if _bracket_before().search(text, max(0, start - 12), start):
        opening = text.rindex("(", 0, start)
        return _list_before(text, opening, vocabulary)
    after = _AFTER.match(text, end)
    if after is not None:
        group = "bracket" if after.group("bracket") is not None else "colon"
        return _list_in(text, after.start(group), after.end(group), vocabulary)
    return None


@cache
def _bracket_before() -> re.Pattern[str]:
    """The term opens a bracket, after a list filler at most ("(a first-degree relative)"): the list is what the
    bracket explains."""
    fillers = "|".join(re.escape(w) for w in sorted(lexicon().list_fillers))
    return re.compile(rf"\(\s*(?:(?:{fillers})\s+)?$", re.I)


def _list_before(text: str, end: int, vocabulary: set[str]) -> SpelledOut | None:
    """The run of list words that ends at ``end`` (read back from it), if it names a member."""
    fillers = lexicon().list_fillers
    offset = max(0, end - REACH)
    tokens = list(_WORDS.finditer(text[offset:end].lower()))  # the slice only: a text may hold many such lists
    named: set[str] = set()
    start = end
    for token in reversed(tokens):
        word = token.group()
        if word in vocabulary:
            named.add(word)
        elif word != "," and word not in fillers:
            break
        start = offset + token.start()
    return SpelledOut(start, end, frozenset(named)) if named else None


def _list_in(text: str, start: int, end: int, vocabulary: set[str]) -> SpelledOut | None:
    """The words of text[start:end], when every one is a list word and one names a member."""
    fillers = lexicon().list_fillers
    tokens = _WORDS.findall(text[start:end].lower())
    if not tokens or any(w not in vocabulary and w != "," and w not in fillers for w in tokens):
        return None
    named = frozenset(w for w in tokens if w in vocabulary)
    return SpelledOut(start, end, named) if named else None


def left_out(members: Members, named: frozenset[str]) -> list[str]:
    """The words a list needs to name every member: for each member it does not name in full, the missing words
    of its nearest way of naming it ("brother" for a list with "sister" alone)."""
    missing: list[str] = []
    for member in members:
        if any(set(way) <= named for way in member):
            continue
        nearest = max(member, key=lambda way: (len(set(way) & named), -len(way)))
        missing.extend(word for word in nearest if word not in named)
    return missing
