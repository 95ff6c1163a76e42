"""Splitting inside one block of text: lost bullets and inline enumerations.

Two shapes occur in real records:

* **Run-together criteria** (NCT06710717): the registry lost the bullets, so "Aged between ≥ 18 to ≤ 65 years
  Clinical Diagnosis of SLE ... (Fanouriakis et al., 2019) Positive anti-nuclear antibody ..." arrives as one
  paragraph. A new criterion starts where a lower-case word (or a closing bracket, or ``%``) is followed by a
  capitalised word outside brackets, and at sentence ends. Only blocks that show at least two such clause
  boundaries are split, so an ordinary multi-sentence criterion stays whole.
* **Inline enumerations**: "requirements: a. White blood cell count ≥3×109/L; b. Neutrophil count ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.rules import RuleFile, load_rules

Span = tuple[int, int]

MIN_RUN_TOGETHER_CHARS = 200
MIN_CLAUSE_BOUNDARIES = 2


class SegmentationRules(RuleFile):
    function_words: frozenset[str]
    """Words after which a capitalised word continues the clause ("according to the 2019 European ...")."""
    abbreviations: frozenset[str]
    """Tokens whose full stop does not end a sentence ("e.g.", "et al.")."""
    not_a_start: frozenset[str]
    """Capitalised words that continue a clause far more often than they start a criterion ("Grade 4")."""
    modifiers: frozenset[str]
    """Adjectives that qualify the next word ("active Hepatitis B"), so no criterion ends on them."""
    adjective_endings: tuple[str, ...]


RULES = load_rules("segmentation.json", SegmentationRules)
_FUNCTION_WORDS = RULES.function_words
_ABBREVIATIONS = RULES.abbreviations
_NOT_A_START = RULES.not_a_start
_MODIFIERS = RULES.modifiers
_ADJECTIVE_ENDINGS = RULES.adjective_endings

_WORD_GAP = re.compile(r"\s+")
_CAPITALISED = re.compile(r"[A-Z][a-z]|A\s+[a-z]")


def bracket_depths(text: str, start: int, end: int) -> list[int]:
    """Depth of (), [] and {} nesting before each character of text[start:end]; never below zero."""
    depths: list[int] = []
    depth = 0
    for ch in text[start:end]:
        depths.append(depth)
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth > 0:
            depth -= 1
    return depths


def _previous_token(text: str, start: int, gap: int) -> str:
    begin = gap
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:gap]


def _modifies_next(word: str) -> bool:
    """An adjective ("active", "transient", "systolic") qualifies the next word; a criterion rarely ends so."""
    if word in _MODIFIERS:
        return True
    if word.endswith("ent") and not word.endswith("ment"):
        return True
    return word.endswith(_ADJECTIVE_ENDINGS)


def _is_clause_boundary(prev: str, following: str) -> bool:
    if not prev or not _CAPITALISED.match(following):
        return False
    if following.split(maxsplit=1)[0].strip(",;:.") in _NOT_A_START:
        return False
    last = prev[-1]
    word = prev.strip("()[]\\").lower()
    if last in ")]%":
        return word not in _FUNCTION_WORDS
    return prev[0].islower() and prev.isalpha() and word not in _FUNCTION_WORDS and not _modifies_next(word)


def _is_sentence_end(prev: str, following: str) -> bool:
    if not prev or prev[-1] not in ".!?" or not following[:1].isupper():
        return False
    word = prev.rstrip(".!?").strip("()[]\\").lower()
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def boundaries(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Positions (start of the next criterion) of clause boundaries and sentence ends, outside brackets."""
    depths = bracket_depths(text, start, end)
    clauses: list[int] = []
    sentences: list[int] = []
    for gap in _WORD_GAP.finditer(text, start, end):
        if depths[gap.start() - start] or gap.end() >= end:
            continue
        prev = _previous_token(text, start, gap.start())
        following = text[gap.end() : min(end, gap.end() + 24)]
        if _is_sentence_end(prev, following):
            sentences.append(gap.end())
        elif _is_clause_boundary(prev, following):
            clauses.append(gap.end())
    return clauses, sentences


def looks_run_together(text: str, start: int, end: int) -> bool:
    """A long block with at least two clause boundaries: criteria whose bullets were lost."""
    if end - start < MIN_RUN_TOGETHER_CHARS:
        return False
    clauses, _ = boundaries(text, start, end)
    return len(clauses) >= MIN_CLAUSE_BOUNDARIES


def split_run_together(text: str, start: int, end: int, *, lost_bullets: bool) -> list[Span]:
    """Split a block whose bullets were lost at clause boundaries and sentence ends.

    A block is split when it looks run-together by itself, or, in a record that lost its bullets
    (``lost_bullets``), when it has any clause boundary. A cut that would leave a one-word piece is not made.
    """
    clauses, sentences = boundaries(text, start, end)
    enough = MIN_CLAUSE_BOUNDARIES if not lost_bullets else 1
    if len(clauses) < enough or (not lost_bullets and end - start < MIN_RUN_TOGETHER_CHARS):
        return [(start, end)]
    cuts = sorted(set(clauses) | set(sentences))
    pieces: list[Span] = []
    begin = start
    for cut in [*cuts, end]:
        piece = trim(text, begin, cut)
        if piece[1] > piece[0]:
            short = len(text[piece[0] : piece[1]].split()) < 2 and begin in clauses
            if pieces and (short or not any(ch.isalnum() for ch in text[piece[0] : piece[1]])):
                pieces[-1] = (pieces[-1][0], piece[1])
            else:
                pieces.append(piece)
        begin = cut
    return pieces


def trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_INLINE_MARKER = re.compile(
    r"(?<![^\s:;,.：；，。])"
    r"(?:(?P<circled>[①-⑳])|\((?P<pnum>\d{1,2}|[a-z]|[ivx]{1,4})\)|(?P<num>\d{1,2}|[a-z]|[ivx]{2,4})\\?[.)])[ \t]+"
)
_INLINE_BULLET = re.compile(r"(?<=\S)[ \t]+(?P<sym>o|-|•|–)[ \t]+(?=[A-Z])")
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


@dataclass(frozen=True)
class _Marker:
    start: int
    content: int
    kinds: tuple[tuple[str, int], ...]
    """Every (kind, ordinal) reading of the marker: "i." is the letter i and the roman numeral 1."""
    after: str
    """The non-space character before the marker ("" at the start of the block)."""
    parenthesised: bool = False


def _readings(label: str) -> tuple[tuple[str, int], ...]:
    readings: list[tuple[str, int]] = []
    if label.isdigit():
        readings.append(("number", int(label)))
    elif len(label) == 1:
        readings.append(("alpha", ord(label) - 96))
    if label in _ROMAN_VALUES:
        readings.append(("roman", _ROMAN_VALUES[label]))
    return tuple(readings)


def _markers(text: str, start: int, end: int) -> list[_Marker]:
    depths = bracket_depths(text, start, end)
    found: list[_Marker] = []
    for match in _INLINE_MARKER.finditer(text, start, end):
        if depths[match.start() - start] or match.end() >= end:
            continue
        circled = match.group("circled")
        label = str(ord(circled) - 0x245F) if circled else match.group("pnum") or match.group("num")
        before = text[start : match.start()].rstrip()
        after = before[-1:] if before else ""
        loose = bool(match.group("pnum") or circled)
        found.append(_Marker(match.start(), match.end(), _readings(label), after, loose))
    return found


def _chain(markers: list[_Marker], kind: str, first: int, opener: str) -> list[_Marker]:
    chain: list[_Marker] = []
    expected = first
    for marker in markers:
        if (kind, expected) not in marker.kinds:
            continue
        allowed = opener if not chain else ";.,：；，。"
        anywhere = marker.parenthesised and kind == "number"  # "(1) ... (2) ..." and "① ... ②" need no punctuation
        if not anywhere and marker.after not in allowed and not (not chain and marker.after == "" and opener == ""):
            continue
        chain.append(marker)
        expected += 1
    return chain


def split_inline_list(
    text: str, start: int, end: int, *, continues: tuple[str, int] | None = None
) -> tuple[Span, list[Span]] | None:
    """Find "head: a. X; b. Y" (children) or, when the line's own marker was ``continues``, "X; 2) Y" (siblings).

    Returns (head span, item spans); the head is empty when the items are siblings of the block itself.
    """
    markers = _markers(text, start, end)
    chain: list[_Marker] = []
    if continues is not None:
        kind, ordinal = continues
        chain = _chain(markers, kind, ordinal + 1, ";.,：；，。")
        if chain:
            head = trim(text, start, chain[0].start)
            return (start, start), [head, *_item_spans(text, chain, end)]
    for kind in ("alpha", "number", "roman"):
        chain = _chain(markers, kind, 1, ":：")
        if len(chain) >= 2:
            return trim(text, start, chain[0].start), _item_spans(text, chain, end)
    return _split_inline_bullets(text, start, end)


def _split_inline_bullets(text: str, start: int, end: int) -> tuple[Span, list[Span]] | None:
    """Bullets that lost their line breaks: "diseases o Hypothyroidism o Blood disorders" (twice or more)."""
    depths = bracket_depths(text, start, end)
    found = [m for m in _INLINE_BULLET.finditer(text, start, end) if not depths[m.start() - start]]
    for symbol in ("o", "•", "-", "–"):
        marks = [m for m in found if m.group("sym") == symbol]
        if len(marks) < 2:
            continue
        head = trim(text, start, marks[0].start())
        items = [
            trim(text, m.end(), nxt.start() if nxt else end) for m, nxt in zip(marks, [*marks[1:], None], strict=True)
        ]
        lead_in = text[head[0] : head[1]]
        if lead_in.endswith(":") or "following" in lead_in.lower():
            return head, items
        return (start, start), [head, *items]
    return None


def _item_spans(text: str, chain: list[_Marker], end: int) -> list[Span]:
    spans: list[Span] = []
    for marker, following in zip(chain, [*chain[1:], None], strict=True):
        stop = following.start if following else end
        spans.append(trim(text, marker.content, stop))
    return spans
