"""Flesch–Kincaid grade of a translation, computed offline.

textstat's own ``flesch_kincaid_grade`` cannot be used as is: for English it loads NLTK's ``cmudict`` and, when
that corpus is missing, calls ``nltk.download`` at first use (textstat 0.7.13,
``backend/utils/_get_cmudict.py``) — a download at run time, which fails without network. So this uses
textstat's formula and its word and sentence counts, with syllables from pyphen's bundled English
hyphenation dictionary — the fallback textstat itself uses for words missing from cmudict. Grades therefore
differ a little from a networked textstat (pyphen counts some words one syllable off), but are deterministic.
"""

from __future__ import annotations

from functools import cache

import textstat
from pyphen import Pyphen

from translator.translate.schema import PlainTranslation

LANGUAGE = "en_US"


@cache
def _hyphenator() -> Pyphen:
    return Pyphen(lang=LANGUAGE)


def syllables(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1


def flesch_kincaid_grade(text: str) -> float | None:
    """0.39 × words per sentence + 11.8 × syllables per word − 15.59; None for a text without words."""
    words = textstat.remove_punctuation(text).lower().split()
    sentences = int(textstat.sentence_count(text))
    if not words or sentences == 0:
        return None
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 2)


def readability(translation: PlainTranslation) -> dict[str, float | None]:
    """The grade of the whole text (items as sentences) and of its hardest item."""
    texts = [item.text for item in (*translation.inclusion, *translation.exclusion)]
    sentences = [t if t.rstrip().endswith((".", "!", "?")) else t.rstrip() + "." for t in texts]
    grades = [g for g in (flesch_kincaid_grade(t) for t in sentences) if g is not None]
    return {
        "flesch_kincaid_grade": flesch_kincaid_grade(" ".join(sentences)),
        "hardest_item_grade": max(grades) if grades else None,
    }
