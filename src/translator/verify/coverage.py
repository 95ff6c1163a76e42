"""Coverage of named things: does each condition, drug, procedure or status of the source appear in the plain
text, with the same polarity? (The things it adds are in ``additions``.)

Glossary concepts are matched by id (so "heart attack" covers "myocardial infarction"). Terms the glossary
does not know are matched by their content words, a prefix match tolerating inflection ("psychological" /
"psychology").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import linear_sum_assignment

from translator.facts.context import brackets_of
from translator.facts.frozen import quick_init
from translator.facts.glossary import default_finder
from translator.facts.lexicon import lexicon
from translator.facts.plain import PlainDocument
from translator.facts.types import Facts, Item, Polarity

TOKEN = re.compile(r"[a-z0-9µ]+")
PREFIX = 6


@dataclass(frozen=True)
class Vocabulary:
    """The words of a text, for tolerant lookups of terms the glossary does not know."""

    words: frozenset[str]
    prefixes: frozenset[str]

    @staticmethod
    def of(text: str) -> Vocabulary:
        words = frozenset(TOKEN.findall(text.lower()))
        return Vocabulary(words, frozenset(w[:PREFIX] for w in words if len(w) >= PREFIX))

    def has(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) >= PREFIX:
            return word[:PREFIX] in self.prefixes
        singular = word[:-1] if len(word) > 3 and word.endswith("s") else word  # "ass" is not "a" plural
        return singular in self.words or word + "s" in self.words

    @staticmethod
    def content(words: Iterable[str]) -> list[str]:
        parts = [part for word in words for part in TOKEN.findall(word.lower())]  # "drug-induced": drug, induced
        return [w for w in parts if w not in lexicon().generic_words and len(w) > 1]

    def share(self, words: Iterable[str]) -> float:
        wanted = self.content(words)
        if not wanted:
            return 1.0
        return sum(self.has(w) for w in wanted) / len(wanted)


@quick_init
@dataclass(frozen=True)
class ItemCoverage:
    item: Item
    status: str
    """"covered", "dropped" or "polarity"."""
    counterpart: Item | None = None


@cache
def _children() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for term in default_finder().by_id.values():
        for parent in _parents(term.id):
            found.setdefault(parent, set()).add(term.id)
    return {parent: frozenset(kids) for parent, kids in found.items()}


def _parents(concept: str) -> tuple[str, ...]:
    term = default_finder().by_id.get(concept)
    if term is None:
        return ()
    return ((term.parent,) if term.parent else ()) + term.also_under


@cache
def _related(concept: str) -> frozenset[str]:
    """A concept with its glossary parents and children: "hepatitis" and "hepatitis_b" cover each other."""
    return frozenset({concept, *_parents(concept), *_children().get(concept, frozenset())})


@cache
def ancestors(concept: str) -> frozenset[str]:
    found: set[str] = set()
    frontier = list(_parents(concept))
    while frontier:
        parent = frontier.pop()
        if parent not in found:
            found.add(parent)
            frontier.extend(_parents(parent))
    return frozenset(found)


@cache
def descendants(concept: str) -> frozenset[str]:
    found: set[str] = set()
    frontier = [concept]
    while frontier:
        for child in _children().get(frontier.pop(), frozenset()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return frozenset(found)


@cache
def _family(concept: str) -> frozenset[str]:
    """The concept, everything narrower, and its parent: what may name it in a translation."""
    return _related(concept) | descendants(concept)


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


@dataclass(frozen=True)
class Labels:
    """Lines that name a group of rules rather than state one: plain sentences ("Rules for people who have type 2
    diabetes:") by index, source criteria ("Women who could become pregnant must meet one of these:") by id."""

    sentences: frozenset[int] = frozenset()
    criteria: frozenset[str] = frozenset()
    headings: frozenset[str] = frozenset()
    """Source labels that only name what the items under them are ("Concomitant medications:" over a PARP
    inhibitor and CYP3A4 inhibitors): the items say it, and a translation may leave the name out."""


def cover_items(
    source: Facts,
    plain: Facts,
    vocabulary: Vocabulary,
    labels: Labels = Labels(),
    near: Mapping[str, int] | None = None,
    text: str = "",
    named_twice: Mapping[tuple[str, int], int] | None = None,
) -> list[ItemCoverage]:
    """Each checked source item needs a mention of its concept (or a broader or narrower one) on its side.

    Mentions are assigned one to one (scipy's assignment), so a deleted sentence is seen even when its concept
    is also named in another one; items of one criterion may share a mention ("hepatitis B, C infection" may
    become "hepatitis B or C infection"). A plain label covers only what a source label names: a rule the
    translation states only in a group's title is not stated. ``near`` is, per criterion, the sentence that
    carries most of its gist: a mention there fits its items a little better, so each criterion's items take
    their own sentence's mentions first and a deleted sentence leaves its items without one. ``text`` is the
    translation, for the brackets that explain a broad mention (``_explained``). ``named_twice``: how often a
    sentence names a concept, where more than once ("MAS at the start of the study, or MAS in the last 8 weeks"):
    each naming may serve a criterion."""
    named = [
        item
        for item in source.items
        if item.concept and checked(item.concept) and item.origin.criterion not in labels.headings
    ]
    stated = [item for item in named if item.origin.criterion not in labels.criteria]
    titled = [item for item in named if item.origin.criterion in labels.criteria]
    near = near or {}
    explained = _explained(plain, text, {item.concept for item in named if item.concept})
    times = named_twice or {}
    result = _cover(stated, plain, _mentions(plain, labels.sentences, times), near, explained)
    result += _cover(titled, plain, _mentions(plain, times=times), near, explained)
    result = _exceptions_as_conditions(_heads_covered(result), plain)
    for item in source.items:
        if item.concept is None:
            result.append(ItemCoverage(item, "covered" if _said(item, vocabulary) else "dropped"))
    return result


def named_twice(document: PlainDocument, source: Facts, plain: Facts) -> dict[tuple[str, int], int]:
    """Concepts a sentence names more than once outside its brackets, and how often: "MAS at the start of the
    study, or MAS in the last 8 weeks" states two criteria's MAS (see ``cover_items``); "a heart attack
    (myocardial infarction)" names one. Only concepts two criteria name can need it, in the sentences naming them."""
    criteria_of: dict[str, set[str | None]] = {}
    for item in source.items:
        if item.concept:
            criteria_of.setdefault(item.concept, set()).add(item.origin.criterion)
    shared = {concept for concept, ids in criteria_of.items() if len(ids) > 1}
    where = {item.origin.sentence for item in plain.items if item.concept in shared}
    found: dict[tuple[str, int], int] = {}
    for sentence in document.sentences:
        if sentence.index not in where:
            continue
        text = sentence.text
        brackets = brackets_of(text.lower())
        hits = default_finder().find(text)  # mostly the extractor's own lookup, kept by the finder
        named = Counter(h.term.id for h in hits if not any(a <= h.start < b for a, b in brackets))
        found.update({(c, sentence.index): n for c, n in named.items() if n > 1 and c in shared})
    return found


UNKNOWN_SHARE = 0.5
"""Of a name the glossary does not know, the share of content words a translation must keep when the name has
two or more ("have shown response" / "has responded"); a one-word name must be kept."""


def _said(item: Item, vocabulary: Vocabulary) -> bool:
    share = vocabulary.share(item.key)
    return share >= 1.0 or (len(vocabulary.content(item.key)) >= 2 and share >= UNKNOWN_SHARE)


def _cover(
    named: list[Item], plain: Facts, mentions: list[Mention], near: Mapping[str, int], explained: frozenset[Mention]
) -> list[ItemCoverage]:
    broad = frozenset(i for i, mention in enumerate(mentions) if mention in explained)
    owner = _assign(named, mentions, near, broad)
    result: list[ItemCoverage] = []
    for index, item in enumerate(named):
        if index in owner or _shared(item, named, owner, mentions, broad):
            result.append(ItemCoverage(item, "covered"))
        else:
            result.append(_uncovered(item, plain, mentions))
    return result


def _heads_covered(result: list[ItemCoverage]) -> list[ItemCoverage]:
    """ "Active hepatitis B, C infection", "systemic diseases (including infection, hypertension ...)": a broad
    head is stated by the things listed under it, so it is kept when one of its narrower items is."""
    kept = [c.item for c in result if c.status == "covered"]
    fixed: list[ItemCoverage] = []
    for coverage in result:
        item = coverage.item
        if coverage.status == "dropped" and item.concept is not None:
            narrower = descendants(item.concept)
            if any(k.origin == item.origin and k.concept in narrower for k in kept):
                coverage = ItemCoverage(item, "covered")
        fixed.append(coverage)
    return fixed


def _exceptions_as_conditions(result: list[ItemCoverage], plain: Facts) -> list[ItemCoverage]:
    """ "TBIL ≤ 1.5 × ULN (except for Gilbert's disease)" may become "If you have Gilbert's syndrome, your total
    bilirubin can be up to 3 times ...": an exception is stated by a limit whose condition names it."""
    conditions = {
        hit.term.id
        for threshold in plain.thresholds
        if threshold.condition
        for hit in default_finder().find(threshold.condition)
    }
    if not conditions:
        return result
    return [
        ItemCoverage(c.item, "covered")
        if c.status != "covered" and c.item.exception and c.item.concept and _family(c.item.concept) & conditions
        else c
        for c in result
    ]


Mention = tuple[str, Polarity, int | None]
"""A concept, its side and the sentence that names it."""
NEAR_BONUS = 0.25
"""Added to a mention's fit in the sentence that carries the item's criterion: less than any fit, so it only
chooses between equal assignments, never trades a covered item for a nearer one."""


def _mentions(
    plain: Facts, labels: frozenset[int] = frozenset(), times: Mapping[tuple[str, int], int] | None = None
) -> list[Mention]:
    """Named things of the translation, once per concept, side and sentence: "your diabetes pills have stayed
    the same for 90 days" names the pills once, though they are both an item and a window's event. A concept
    the sentence names more than once (``times``) is a mention as often."""
    found: dict[tuple[str, Polarity, int | None], None] = {}
    for item in plain.items:
        if item.concept and item.origin.sentence not in labels:
            found[(item.concept, item.polarity, item.origin.sentence)] = None
    for threshold in plain.thresholds:
        if not threshold.entity.startswith("raw:"):
            found[(threshold.entity, threshold.polarity, threshold.origin.sentence)] = None
    for window in plain.windows:
        if not window.event.startswith("raw:"):
            found[(window.event, window.polarity, window.origin.sentence)] = None
    if not times:
        return list(found)
    return [m for m in found for _ in range(times.get((m[0], m[2]), 1) if m[2] is not None else 1)]


_BRACKET_AFTER = re.compile(r"[^()]{0,40}\(\s*")
_BRACKET_CLOSE = re.compile(r"\s*(?:,\s*[a-z]?[A-Z][\w-]{0,9}\s*)?\)")
"""After the one term a bracket holds: its abbreviation at most ("(congenital heart disease, CHD)"); a bracket
that goes on lists members under a heading ("kidney problems (chronic kidney disease stage 5, dialysis)")."""


def _explained(plain: Facts, text: str, concepts: set[str]) -> frozenset[Mention]:
    """Broad mentions that only lead to a bracket naming one thing under them that the source names ("a heart
    problem you were born with (congenital heart disease)"): such a mention is that thing in lay words, so it
    stands for an item of its own concept but not for other narrower items ("myocarditis" is not said by it)."""
    leading: dict[Mention, bool] = {}
    by_sentence: dict[int | None, list[Item]] = {}  # the items of a sentence, so each is compared with its own only
    for item in plain.items:
        by_sentence.setdefault(item.origin.sentence, []).append(item)
    for broad in plain.items:
        if broad.concept is None:
            continue
        key = (broad.concept, broad.polarity, broad.origin.sentence)
        explains = any(
            other.concept in concepts
            and broad.concept in ancestors(other.concept)
            and other.span.start > broad.span.end
            and _BRACKET_AFTER.fullmatch(text[broad.span.end : other.span.start])
            and _BRACKET_CLOSE.match(text, other.span.end)
            for other in by_sentence[broad.origin.sentence]
        )
        leading[key] = leading.get(key, True) and explains
    return frozenset(key for key, only in leading.items() if only)


def _fits(item: Item, mention: Mention, near: Mapping[str, int] | None = None, broad: bool = False) -> float:
    """``broad``: the mention is one of ``_explained``."""
    assert item.concept is not None
    concept, polarity, sentence = mention
    if concept not in _family(item.concept) or not (polarity == item.polarity or item.exception):
        return 0.0
    if broad and concept != item.concept:
        return 0.0
    bonus = NEAR_BONUS if near and sentence is not None and near.get(item.origin.criterion or "") == sentence else 0.0
    return (2.0 if concept == item.concept else 1.0) + bonus


def _assign(
    items: list[Item], mentions: list[Mention], near: Mapping[str, int], broad: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Source item index -> mention index."""
    if not items or not mentions:
        return {}
    by_concept: dict[str, list[int]] = {}
    for column, (concept, _, _) in enumerate(mentions):
        by_concept.setdefault(concept, []).append(column)
    scores = np.zeros((len(items), len(mentions)))
    for row, item in enumerate(items):  # only mentions of the item's family can fit: no item x mention loop
        assert item.concept is not None
        for concept in _family(item.concept) & by_concept.keys():
            for column in by_concept[concept]:
                scores[row, column] = _fits(item, mentions[column], near, column in broad)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return {int(r): int(c) for r, c in zip(rows, cols, strict=True) if scores[r, c] > 0}


def _shared(
    item: Item, items: list[Item], owner: dict[int, int], mentions: list[Mention], broad: frozenset[int]
) -> bool:
    """May the item share a mention assigned to another item of its criterion? Not the head of a list the
    source spells out: in "oral antidiabetic drugs (metformin, glinides, ...)" the translation's "diabetes
    pills" is the head's, and a member it leaves out is left out."""
    for index, mention in owner.items():
        other = items[index]
        if (
            other.origin.criterion != item.origin.criterion
            or _fits(item, mentions[mention], None, mention in broad) == 0
        ):
            continue
        if other.concept == mentions[mention][0] and other.concept in ancestors(item.concept or ""):
            continue
        return True
    return False


def _uncovered(item: Item, plain: Facts, mentions: list[Mention]) -> ItemCoverage:
    """Flipped when the concept itself is named only on the other side; else dropped. An item in an exception
    clause ("except basal cell carcinoma") may land on either side: which one is too often a matter of wording."""
    assert item.concept is not None
    sides = {polarity for concept, polarity, _ in mentions if concept == item.concept}
    if sides and item.polarity not in sides and not item.exception:
        counterpart = next((i for i in plain.items if i.concept == item.concept), None)
        return ItemCoverage(item, "polarity", counterpart)
    return ItemCoverage(item, "dropped")
