"""Fact extraction: thresholds, time windows, counts and items, from criteria and from plain English."""

from __future__ import annotations

from collections.abc import Sequence

from translator.domain import Criterion
from translator.facts.extract import Unit, extract_unit
from translator.facts.lexicon import lexicon
from translator.facts.plain import PlainDocument, Sentence, read_plain
from translator.facts.types import (
    Count,
    Fact,
    Facts,
    Interval,
    Item,
    Origin,
    Polarity,
    Span,
    Threshold,
    TimeWindow,
)

__all__ = [
    "Count",
    "Fact",
    "Facts",
    "Interval",
    "Item",
    "Origin",
    "PlainDocument",
    "Polarity",
    "Sentence",
    "Span",
    "Threshold",
    "TimeWindow",
    "extract_criteria",
    "extract_plain",
    "extract_sentence",
]


def _combine(parts: list[Facts]) -> Facts:
    return Facts(
        tuple(f for p in parts for f in p.thresholds),
        tuple(f for p in parts for f in p.windows),
        tuple(f for p in parts for f in p.counts),
        tuple(f for p in parts for f in p.items),
    )


def extract_criteria(criteria: Sequence[Criterion]) -> Facts:
    """Facts of every criterion; spans index the criteria text the criteria were cut from."""
    parts = []
    source_exclude = lexicon().source_exclude_re
    for criterion in criteria:
        polarity: Polarity = "include" if criterion.section == "inclusion" else "exclude"
        negation_from = 0
        if polarity == "include" and (cue := source_exclude.search(criterion.text.lower())):
            polarity, negation_from = "exclude", cue.end()  # "... will be excluded" under the inclusion heading
        origin = Origin(criterion=criterion.id)
        parts.append(extract_unit(Unit(criterion.text, criterion.start, origin, polarity, negation_from)))
    return _combine(parts)


def extract_sentence(sentence: Sentence) -> Facts:
    origin = Origin(sentence=sentence.index)
    scope = sentence.scope_start
    if scope == 0:
        return extract_unit(Unit(sentence.text, sentence.start, origin, sentence.polarity, sentence.cue_end))
    lead = Unit(sentence.text[:scope], sentence.start, origin, sentence.lead_polarity)
    rest = Unit(sentence.text[scope:], sentence.start + scope, origin, sentence.polarity, sentence.cue_end - scope)
    return _combine([extract_unit(lead), extract_unit(rest)])


def extract_plain(text: str) -> tuple[PlainDocument, Facts]:
    """Facts of a plain-English text, sentence by sentence; spans index ``text``."""
    document = read_plain(text)
    return document, _combine([extract_sentence(sentence) for sentence in document.sentences])
