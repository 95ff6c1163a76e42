"""Paraphrases of a faithful translation that must still pass: the same criteria, other words and order.

Generated deterministically from the stripped faithful text, like the mutants, with this module's own rules
and the glossary's lay names and explanations (read from the rule file, not through the extractor).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from translator.evaluation import edit_rules as rules
from translator.evaluation.glossary_terms import definition_edits, lay_edits
from translator.evaluation.reordering import reorder_edits, split_merge_edits
from translator.evaluation.tagged import TaggedText
from translator.evaluation.textedit import (
    ANY_NUMBER,
    NUMBER_RE,
    Edit,
    apply_edits,
    capitalize,
    describe,
    sample,
    to_words,
)

PARAPHRASE_KINDS = (
    "numbers_as_words",
    "comparator_synonyms",
    "reorder",
    "split_merge",
    "lay_synonyms",
    "definitions",
)


@dataclass(frozen=True)
class Paraphrase:
    study: str
    kind: str
    edit: str
    text: str


def paraphrases(tagged: TaggedText) -> list[Paraphrase]:
    """Up to ``MAX_PER_KIND`` paraphrases per kind: single edits, plus one with all compatible edits at once."""
    found: list[Paraphrase] = []
    seen = {tagged.text}
    for kind in PARAPHRASE_KINDS:
        candidates = GENERATORS[kind](tagged)
        chosen = sample(candidates, f"{tagged.name}:{kind}", limit=4)
        if len(candidates) > 1:
            chosen.append(combine(candidates))
        for edits in chosen:
            text = apply_edits(tagged.text, edits)
            if text not in seen:
                seen.add(text)
                found.append(Paraphrase(tagged.name, kind, describe(tagged.text, edits), text))
    return found


def combine(candidates: list[tuple[Edit, ...]]) -> tuple[Edit, ...]:
    """All candidates whose edits do not touch an edit already taken, in text order."""
    taken: list[Edit] = []
    for edits in candidates:
        if not any(_touch(a, b) for a in edits for b in taken):
            taken.extend(edits)
    return tuple(taken)


def _touch(a: Edit, b: Edit) -> bool:
    return a.start <= b.end and b.start <= a.end


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n[ \t]*(?:[-*+•]|\d+[.)])?[ \t]*)$")
_RUN = re.compile(rf"({NUMBER_RE.pattern})((?:\s*(?:to|-|–|and|or|,)\s*{NUMBER_RE.pattern})*)(?=[ -]([^\s,.;:()]+))")
"""A number, or numbers joined as a range or list ("40 to 70", "0 or 1"), with the word after them."""
_NAME_BEFORE = re.compile(rf"\b{rules.NO_WORDS_AFTER}s?\s*$", re.I)


def number_word_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    """ "12 weeks" -> "twelve weeks": whole numbers below 100 before a word (not a unit abbreviation, which
    stays with digits: "9 g/dL"), not names ("type 2"); a range is written out at both ends at once."""
    found: list[tuple[Edit, ...]] = []
    text = tagged.text
    for statement in tagged.statements:
        for match in _RUN.finditer(text, statement.start, statement.end):
            word = match.group(3)
            if not word.isalpha() or len(word) < 3 or word.lower() in rules.UNIT_WORDS:
                continue
            before = text[max(0, match.start() - 12) : match.start()]
            if _NAME_BEFORE.search(before) or re.search(r"[×x]\s*$", before):
                continue
            numbers = list(NUMBER_RE.finditer(text, match.start(), match.end(2)))
            if not all(n.group().isdigit() and int(n.group()) < 100 for n in numbers):
                continue
            edits = [Edit(n.start(), n.end(), to_words(int(n.group()))) for n in numbers]
            if _SENTENCE_START.search(text[max(0, match.start() - 40) : match.start()]):
                edits[0] = Edit(edits[0].start, edits[0].end, capitalize(edits[0].new))
            found.append(tuple(edits))
    return found


_SYNONYM = re.compile(
    rf"(?<![\w-])({'|'.join(re.escape(p) for p in sorted(rules.COMPARATOR_SYNONYMS, key=len, reverse=True))})"
    rf"(?=\s+{rules.LEAD}(?:{ANY_NUMBER}))",
    re.I,
)


def comparator_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    """ "more than" -> "over", "at least" -> "no less than": the same boundary in other words."""
    found: list[tuple[Edit, ...]] = []
    for statement in tagged.statements:
        for match in _SYNONYM.finditer(tagged.text, statement.start, statement.end):
            old = match.group(1)
            new = rules.COMPARATOR_SYNONYMS[old.lower()]
            found.append((Edit(match.start(), match.end(), capitalize(new) if old[:1].isupper() else new),))
    return found


GENERATORS: dict[str, Callable[[TaggedText], list[tuple[Edit, ...]]]] = {
    "numbers_as_words": number_word_edits,
    "comparator_synonyms": comparator_edits,
    "reorder": reorder_edits,
    "split_merge": split_merge_edits,
    "lay_synonyms": lay_edits,
    "definitions": definition_edits,
}
