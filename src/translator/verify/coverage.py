"""Coverage of named things: does each condition, drug, procedure or status of the source appear in the plain
text, with the same polarity? And which named things did the plain text add?

Glossary concepts are matched by id (so "heart attack" covers "myocardial infarction"). Terms the glossary
does not know are matched by their content words, a prefix match tolerating inflection ("psychological" /
"psychology").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from translator.facts.glossary import default_finder
from translator.facts.lexicon import lexicon
from translator.facts.types import Facts, Item, Polarity

_TOKEN = re.compile(r"[a-z0-9µ]+")
PREFIX = 6


@dataclass(frozen=True)
class Vocabulary:
    """The words of a text, for tolerant lookups of terms the glossary does not know."""

    words: frozenset[str]
    prefixes: frozenset[str]

    @staticmethod
    def of(text: str) -> Vocabulary:
        words = frozenset(_TOKEN.findall(text.lower()))
        return Vocabulary(words, frozenset(w[:PREFIX] for w in words if len(w) >= PREFIX))

    def has(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) >= PREFIX:
            return word[:PREFIX] in self.prefixes
        return word.rstrip("s") in self.words or word + "s" in self.words

    def share(self, words: Iterable[str]) -> float:
        wanted = [w for w in words if w not in lexicon().generic_words and len(w) > 1]
        if not wanted:
            return 1.0
        return sum(self.has(w) for w in wanted) / len(wanted)


@dataclass(frozen=True)
class ItemCoverage:
    item: Item
    status: str
    """"covered", "dropped" or "polarity"."""
    counterpart: Item | None = None


def _related(concept: str) -> set[str]:
    """A concept with its glossary parent and children: "hepatitis" and "hepatitis_b" cover each other."""
    by_id = default_finder().by_id
    related = {concept}
    term = by_id.get(concept)
    if term is not None and term.parent:
        related.add(term.parent)
    related.update(t.id for t in by_id.values() if t.parent == concept)
    return related


def concept_polarities(facts: Facts) -> dict[str, set[Polarity]]:
    found: dict[str, set[Polarity]] = {}
    for item in facts.items:
        if item.concept:
            found.setdefault(item.concept, set()).add(item.polarity)
    for threshold in facts.thresholds:
        if not threshold.entity.startswith("raw:"):
            found.setdefault(threshold.entity, set()).add(threshold.polarity)
    for window in facts.windows:
        if not window.event.startswith("raw:"):
            found.setdefault(window.event, set()).add(window.polarity)
    return found


def checked_item(item: Item) -> bool:
    """An item the verifier checks: a known checked concept, or a term the glossary does not know."""
    return item.concept is None or checked(item.concept)


def checked(concept: str) -> bool:
    """Is this a named thing whose loss or flip matters: a condition, drug, procedure or status that is not
    mere context (the trial, the investigator, "female" in "pregnant female")? See ``policy``."""
    term = default_finder().by_id.get(concept)
    lex = lexicon()
    return term is not None and term.kind in lex.item_kinds and concept not in lex.context_concepts


def cover_items(source: Facts, plain: Facts, vocabulary: Vocabulary) -> list[ItemCoverage]:
    plain_concepts = concept_polarities(plain)
    result: list[ItemCoverage] = []
    for item in source.items:
        if item.concept:
            if checked(item.concept):
                result.append(_cover_concept(item, plain, plain_concepts))
        elif vocabulary.share(item.key) >= 1.0:
            result.append(ItemCoverage(item, "covered"))
        else:
            result.append(ItemCoverage(item, "dropped"))
    return result


def _cover_concept(item: Item, plain: Facts, plain_concepts: dict[str, set[Polarity]]) -> ItemCoverage:
    """Covered when the concept, or a broader or narrower one, appears on the same side; flipped when only the
    concept itself appears, on the other side. An item named in an exception clause ("except basal cell
    carcinoma") is covered wherever it appears: which side an exception lands on is too often a matter of
    wording to report."""
    assert item.concept is not None
    same_side: set[Polarity] = set()
    for concept in _related(item.concept):
        same_side |= plain_concepts.get(concept, set())
    own = plain_concepts.get(item.concept, set())
    if item.polarity in same_side or (item.exception and same_side):
        return ItemCoverage(item, "covered")
    if not own:
        return ItemCoverage(item, "dropped")
    counterpart = next((i for i in plain.items if i.concept == item.concept), None)
    return ItemCoverage(item, "polarity", counterpart)


def added_items(
    source: Facts, source_text: str, plain: Facts, plain_text: str, brackets: list[tuple[int, int]]
) -> list[Item]:
    """Named things in the plain text that the source never mentions (explanations in brackets excepted)."""
    source_concepts = set(concept_polarities(source))
    related_source: set[str] = set()
    for concept in source_concepts:
        related_source |= _related(concept)
    source_lower = source_text.lower()
    finder = default_finder()
    added: list[Item] = []
    for item in plain.items:
        if item.concept is None or item.concept in related_source:
            continue
        if any(s <= item.span.start < e for s, e in brackets):
            continue
        if not checked(item.concept):
            continue
        term = finder.by_id[item.concept]
        if any(name.lower() in source_lower for name in (term.name, *term.synonyms)):
            continue
        added.append(item)
    return added
