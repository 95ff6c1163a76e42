"""Named things the plain text adds: ones the source never mentions, nor anything narrower (see ``coverage``
for the ones it keeps)."""

from __future__ import annotations

import re

from translator.facts.glossary import default_finder
from translator.facts.types import Facts, Item, Polarity
from translator.verify.coverage import TOKEN, ancestors, checked, concept_polarities, descendants


def narrower_than_source(item: Item, source: Facts, plain: Facts) -> bool:
    """A plain item that spells out a broader concept the source names, in a sentence that also names that
    concept or another thing under it: "a heart event, such as a heart attack", "a disease of the heart or
    blood vessels" for the source's "cardiovascular disease". A narrower thing named on its own ("You have
    epilepsy" where the source says "neurologic disorders") is a new claim."""
    assert item.concept is not None
    broader = {c for c in concept_polarities(source) if c in ancestors(item.concept)}
    if not broader:
        return False
    family = set(broader)
    for concept in broader:
        family |= descendants(concept)
    family.discard(item.concept)
    return any(
        other.origin.sentence == item.origin.sentence and other.concept in family
        for other in plain.items
        if other is not item
    )


def added_items(
    source: Facts, source_text: str, plain: Facts, plain_text: str, brackets: list[tuple[int, int]]
) -> list[Item]:
    """Named things in the plain text that the source never mentions, nor anything narrower (explanations in
    brackets excepted): "epilepsy" where the source says "neurologic disorders" is a new, narrower claim."""
    source_concepts = set(concept_polarities(source))
    broader: set[str] = set()
    for concept in source_concepts:
        broader |= ancestors(concept)  # "heart disease" for a source's "myocardial infarction" adds nothing new
    source_lower = source_text.lower()
    finder = default_finder()
    added: list[Item] = []
    reported: set[tuple[str, Polarity]] = set()
    for item in plain.items:
        if item.concept is None or item.concept in source_concepts or item.concept in broader:
            continue
        if (item.concept, item.polarity) in reported:
            continue  # the same addition said again is one addition
        if any(s <= item.span.start < e for s, e in brackets):
            continue
        if not checked(item.concept):
            continue
        term = finder.by_id[item.concept]
        if any(name.lower() in source_lower for name in (term.name, *term.synonyms)):
            continue
        if _said_in(item.text.lower(), source_lower) or any(
            _elided_in(name, source_lower) for name in (term.name, *term.synonyms)
        ):
            continue
        if ancestors(item.concept) & source_concepts and _words_near(term.name, source_lower):
            continue  # "allergic to the study medicine" for "allergy/hypersensitivity to the ... trial medication"
        if _treatment_said(item, source_concepts, source_text):
            continue  # "treated for cancer" for "Cancer patients who have been treated"
        reported.add((item.concept, item.polarity))
        added.append(item)
    return added


_TREATED_OBJECT = re.compile(r"(?<![a-z])(?:for|of)[ \t]+(?:(?:your|the|a|an)[ \t]+)?(?P<what>[^()]+)$", re.I)
_TREATMENT_KINDS = ("drug", "procedure")


def treated_in(item: Item) -> list[str]:
    """What a treatment's name says it treats ("treated for cancer", a lay name of anticancer therapy, names the
    cancer): the concepts named after its "for" or "of"."""
    term = default_finder().by_id.get(item.concept or "")
    if term is None or term.kind not in _TREATMENT_KINDS:
        return []
    treated = _TREATED_OBJECT.search(item.text)
    if treated is None:
        return []
    return [hit.term.id for hit in default_finder().find(treated.group("what")) if hit.term.id != item.concept]


_TREATED_WORD = re.compile(r"(?<![a-z])treat(?:ed|ment|ments|ing)?(?![a-z])", re.IGNORECASE)
TREATED_REACH = 60
"""Characters between a treated thing's name and the word "treated" in the source."""


def _treatment_said(item: Item, source_concepts: set[str], source_text: str) -> bool:
    """A treatment named by what it treats ("treated for cancer") where the source names that thing and says it
    was treated nearby ("Cancer patients who have been treated in the past 5 years")."""
    treated = set(treated_in(item)) & source_concepts
    if not treated:
        return False
    for hit in default_finder().find(source_text):
        if hit.term.id in treated and _TREATED_WORD.search(
            source_text, max(0, hit.start - TREATED_REACH), hit.end + TREATED_REACH
        ):
            return True
    return False


def _said_in(words: str, text: str) -> bool:
    """The plain words themselves stand in the source ("EGFR" of "EGFR or VEGFR TKIs"): nothing new is named."""
    position = text.find(words)
    while position >= 0:
        end = position + len(words)
        if not (position and text[position - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            return True
        position = text.find(words, position + 1)
    return False


ELLIPSIS_GAP = 24
"""Characters a coordination may put between the words of one name: "brain or meningeal metastasis"."""


def _elided_in(name: str, text: str) -> bool:
    """Every word of a two- or three-word name in the source, in order and close together: the source named it
    through a coordination ("brain or meningeal metastasis" names brain metastasis)."""
    words = TOKEN.findall(name.lower())
    if not 2 <= len(words) <= 3:
        return False
    position = text.find(words[0])
    while position >= 0:
        cursor, ok = position + len(words[0]), True
        for word in words[1:]:
            found = text.find(word, cursor, cursor + ELLIPSIS_GAP + len(word))
            if found < 0:
                ok = False
                break
            cursor = found + len(word)
        if ok:
            return True
        position = text.find(words[0], position + 1)
    return False


NEAR_WORDS = 60
"""Characters within which the words of a narrower name stand in the source, in any order."""


def _words_near(name: str, text: str) -> bool:
    """Every word of a name of two or three words starts within ``NEAR_WORDS`` characters of its first word in
    the source, in any order: a source that names the broader concept in those words ("allergy/hypersensitivity
    to the systemically administered trial medication") has spelled out the narrower one ("medication
    allergy")."""
    words = TOKEN.findall(name.lower())
    if not 2 <= len(words) <= 3:
        return False
    first, rest = words[0], words[1:]
    position = text.find(first)
    while position >= 0:
        start, end = max(0, position - NEAR_WORDS), position + len(first) + NEAR_WORDS
        if all(text.find(word, max(0, start - len(word)), end + len(word)) >= 0 for word in rest):
            return True
        position = text.find(first, position + 1)
    return False
