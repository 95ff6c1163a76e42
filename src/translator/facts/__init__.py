"""Fact extraction: thresholds, time windows, counts and items, from criteria and from plain English."""

from __future__ import annotations

from collections.abc import Sequence

from translator.domain import Criterion
from translator.facts.extract import Unit, extract_unit
from translator.facts.glossary import default_finder
from translator.facts.plain import PlainDocument, Sentence, allows_what_follows, read_plain, sentence_spans
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
from translator.facts.voice import Voice, sentence_voice

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
    "extract_criteria_sides",
    "extract_plain",
    "extract_sentence",
]


_MEASURES = ("measure", "test")


def _combine(parts: list[Facts]) -> Facts:
    return Facts(
        tuple(f for p in parts for f in p.thresholds),
        tuple(f for p in parts for f in p.windows),
        tuple(f for p in parts for f in p.counts),
        tuple(f for p in parts for f in p.items),
    )


def extract_criteria(criteria: Sequence[Criterion]) -> Facts:
    """Facts of every criterion; spans index the criteria text the criteria were cut from."""
    return extract_criteria_sides(criteria)[0]


def extract_criteria_sides(criteria: Sequence[Criterion]) -> tuple[Facts, dict[str, Polarity | None]]:
    """The facts of every criterion, and the side each criterion is on as its facts are read (a criterion under
    "the following are allowed:" is a reason one may still join; None for one that takes both sides: "Major
    surgery within 30 days. Minor surgery is allowed."). Each criterion's sentences are read once for both."""
    allowed = _allowed_below(criteria)
    parts: list[Facts] = []
    sides: dict[str, Polarity | None] = {}
    for criterion in criteria:
        polarity = _polarity(criterion, criterion.id in allowed)
        text = _one_line(criterion.text)
        voices = _voices(text, polarity)
        sides[criterion.id] = _side(polarity, voices)
        parts.append(_criterion_facts(criterion, text, polarity, voices))
    return _combine(parts), sides


def _one_line(text: str) -> str:
    """A criterion read as one line: the segmenter joined its lines into one statement (a wrapped line, an item's
    continuation), and a translation rewrites it on one line, so a line break in it is read as a space. Offsets
    stay those of the criterion (a CRLF becomes two spaces)."""
    if "\n" not in text and "\r" not in text:
        return text
    return text.replace("\r\n", "  ").replace("\n", " ").replace("\r", " ")


def _allowed_below(criteria: Sequence[Criterion]) -> set[str]:
    """Criteria under a lead-in that allows them ("... however, the following are allowed:"), at any depth: they
    say what a person may still have, as the same list does in plain text."""
    by_id = {c.id: c for c in criteria}
    allowed: set[str] = set()
    for criterion in criteria:
        parent = by_id.get(criterion.parent) if criterion.parent else None
        while parent is not None:
            if parent.id in allowed or allows_what_follows(parent.text):
                allowed.add(criterion.id)
                break
            parent = by_id.get(parent.parent) if parent.parent else None
    return allowed


_Voices = list[tuple[tuple[int, int], Voice]]


def _polarity(criterion: Criterion, allowed: bool) -> Polarity:
    return "include" if criterion.section == "inclusion" or allowed else "exclude"


def _voices(text: str, polarity: Polarity) -> _Voices:
    """Each sentence of a criterion with the side it takes."""
    return [(span, sentence_voice(text[span[0] : span[1]], polarity, plain=False)) for span in sentence_spans(text)]


def _side(polarity: Polarity, voices: _Voices) -> Polarity | None:
    return polarity if all(v.polarity == polarity for _, v in voices) else None


def _criterion_facts(criterion: Criterion, text: str, polarity: Polarity, voices: _Voices) -> Facts:
    """One unit per criterion (``text``: its text on one line), unless a sentence of it takes the other side
    ("Major surgery within 30 days. Minor surgery is allowed."): then one unit per run of sentences on one side,
    read as plain text is."""
    negation_from = 0
    origin = Origin(criterion=criterion.id)
    if all(v.polarity == polarity and not v.cue_end and not v.scope_start for _, v in voices):
        return extract_unit(Unit(text, criterion.start, origin, polarity, negation_from))
    parts: list[Facts] = []
    for (start, end), voice in voices:
        scopes = _scopes(end - start, polarity, voice.polarity, voice.cue_end, voice.scope_start, voice.scope_end)
        for a, b, side, cue in scopes:
            unit = Unit(text[start + a : start + b], criterion.start + start + a, origin, side, cue, _subjects(parts))
            parts.append(extract_unit(unit))
    return _combine(parts)


def _scopes(
    length: int, outer: Polarity, inner: Polarity, cue_end: int, scope_start: int, scope_end: int
) -> list[tuple[int, int, Polarity, int]]:
    """(start, end, polarity, negation_from) of the units a sentence is read in: the cue's polarity over
    [scope_start, scope_end), the words before and after it on the ``outer`` side."""
    stop = scope_end or length
    scopes = [(0, scope_start, outer, 0)] if scope_start else []
    scopes.append((scope_start, stop, inner, cue_end - scope_start))
    if stop < length:
        scopes.append((stop, length, outer, 0))
    return scopes


def _subjects(parts: list[Facts]) -> tuple[str, ...]:
    """The measures of the last limit read so far in a criterion (all the entities of its value)."""
    last = next((p.thresholds for p in reversed(parts) if p.thresholds), ())
    if not last:
        return ()
    terms = default_finder().by_id
    span = last[-1].span
    found = [t.entity for t in last if t.span == span and t.entity in terms and terms[t.entity].kind in _MEASURES]
    return tuple(dict.fromkeys(found))


def extract_sentence(sentence: Sentence, subjects: tuple[str, ...] = ()) -> Facts:
    """Facts of one plain sentence; ``subjects`` are the measures of the last limit before it (see ``Unit``)."""
    origin = Origin(sentence=sentence.index)
    text = sentence.text
    scopes = _scopes(
        len(text), sentence.lead_polarity, sentence.polarity, sentence.cue_end, sentence.scope_start, sentence.scope_end
    )
    parts: list[Facts] = []
    for a, b, side, cue in scopes:
        unit = Unit(text[a:b], sentence.start + a, origin, side, cue, _subjects(parts) if parts else subjects)
        parts.append(extract_unit(unit))
    return parts[0] if len(parts) == 1 else _combine(parts)


def extract_plain(text: str) -> tuple[PlainDocument, Facts]:
    """Facts of a plain-English text, sentence by sentence; spans index ``text``."""
    document = read_plain(text)
    parts: list[Facts] = []
    for sentence in document.sentences:
        parts.append(extract_sentence(sentence, _subjects(parts[-1:])))
    return document, _combine(parts)
