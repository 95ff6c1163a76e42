"""Splitting inside one block of text: lost bullets and inline enumerations.

Two shapes occur in real records:

* **Run-together criteria** (NCT06710717): the registry lost the bullets, so "Aged between ≥ 18 to ≤ 65 years
  Clinical Diagnosis of SLE ... (Fanouriakis et al., 2019) Positive anti-nuclear antibody ..." arrives as one
  paragraph. A new criterion starts where a lower-case word (or a closing bracket, or ``%``) is followed by a
  capitalised word outside brackets, and at sentence ends. Only blocks that show at least two such clause
  boundaries are split, so an ordinary multi-sentence criterion stays whole.
* **Inline enumerations**: "requirements: a. White blood cell count ≥3×109/L; b. Neutrophil count ...", also
  after a full stop when announced or long ("... the following three signs and symptoms. a. ... b. ... c. ...",
  NCT05814159) and with "1)." markers (NCT02526537).

Segmenting asks these questions of thousands of blocks, so the text's brackets are found once per text and looked
up by bisection, and a block's boundaries are computed once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from translator.rules import RuleFile, load_rules
from translator.segment.lines import ROMAN_VALUES

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
    lead_in_markers: tuple[str, ...]
    """Phrases by which a line announces the list after it ("all the following criteria apply:")."""
    eligibility_words: tuple[str, ...]
    """Words that make such a line about taking part, so a restatement of its section ("... are eligible ...")."""
    choice_words: tuple[str, ...]
    """Words that make such a line a requirement of its own ("one of the following", "at least two of")."""


RULES = load_rules("segmentation.json", SegmentationRules)
_FUNCTION_WORDS = RULES.function_words
_ABBREVIATIONS = RULES.abbreviations
_NOT_A_START = RULES.not_a_start
_MODIFIERS = RULES.modifiers
_ADJECTIVE_ENDINGS = RULES.adjective_endings

_WORD_GAP = re.compile(r"\s+")
_CAPITALISED = re.compile(r"[A-Z][a-z]|A\s+[a-z]")


_BRACKET = re.compile(r"[()\[\]{}]")


@lru_cache(maxsize=8)
def _bracket_positions(text: str) -> tuple[tuple[int, ...], str]:
    """Every bracket of the text and its character, found once per text (segmenting asks thousands of times)."""
    found = [(m.start(), m.group()) for m in _BRACKET.finditer(text)]
    return tuple(pos for pos, _ in found), "".join(ch for _, ch in found)


@dataclass(frozen=True)
class Brackets:
    """Where text[start:end] is inside (), [] or {}: sorted, disjoint spans ``[opened + 1, closed + 1)``.

    Nesting is counted from the block's own start and never goes below zero, so an unclosed bracket in an
    earlier criterion does not hide the boundaries of this one.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def inside(self, pos: int) -> bool:
        index = bisect_right(self.starts, pos) - 1
        return index >= 0 and pos < self.ends[index]


def brackets(text: str, start: int, end: int) -> Brackets:
    positions, chars = _bracket_positions(text)
    first, last = bisect_left(positions, start), bisect_left(positions, end)
    starts: list[int] = []
    ends: list[int] = []
    depth = 0
    for index in range(first, last):
        if chars[index] in "([{":
            if depth == 0:
                starts.append(positions[index] + 1)
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                ends.append(positions[index] + 1)
    if len(ends) < len(starts):
        ends.append(end)
    return Brackets(tuple(starts), tuple(ends))


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


def boundaries(text: str, start: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Positions (start of the next criterion) of clause boundaries and sentence ends, outside brackets."""
    return _boundaries(text, start, end)


@lru_cache(maxsize=64)
def _boundaries(text: str, start: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    inside = brackets(text, start, end).inside
    clauses: list[int] = []
    sentences: list[int] = []
    token_start = start
    for gap in _WORD_GAP.finditer(text, start, end):
        gap_start, gap_end = gap.span()
        prev_start, token_start = token_start, gap_end
        # Both kinds of boundary need a capital letter next: test that before slicing anything.
        if gap_end >= end or not text[gap_end].isupper() or inside(gap_start):
            continue
        prev = text[prev_start:gap_start]
        following = text[gap_end : min(end, gap_end + 24)]
        if _is_sentence_end(prev, following):
            sentences.append(gap_end)
        elif _is_clause_boundary(prev, following):
            clauses.append(gap_end)
    return tuple(clauses), tuple(sentences)


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
    if not lost_bullets and end - start < MIN_RUN_TOGETHER_CHARS:
        return [(start, end)]
    clauses, sentences = boundaries(text, start, end)
    if len(clauses) < (MIN_CLAUSE_BOUNDARIES if not lost_bullets else 1):
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
    r"(?:(?P<circled>[①-⑳])|\((?P<pnum>\d{1,2}|[a-z]|[ivx]{1,4})\)"
    r"|(?P<num>\d{1,2}|[a-z]|[ivx]{2,4})(?:\)\.|\\?[.)]))[ \t]+"
)
"""An inline list marker: "a.", "2)", "1).", "(iii)", "③"."""
_LEAD_IN_WORDS = re.compile(r"\bfollowing\b|\bas follows\b", re.IGNORECASE)
MIN_ITEMS_AFTER_A_SENTENCE = 3
"""A list opened after a full stop rather than a colon needs this many items, or a head that announces it."""
_INLINE_BULLET = re.compile(r"(?<=\S)[ \t]+(?P<sym>o|-|•|–)[ \t]+(?=[A-Z])")


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
    if label in ROMAN_VALUES:
        readings.append(("roman", ROMAN_VALUES[label]))
    return tuple(readings)


def _markers(text: str, start: int, end: int) -> list[_Marker]:
    matches = [m for m in _INLINE_MARKER.finditer(text, start, end) if m.end() < end]
    if not matches:
        return []
    inside = brackets(text, start, end).inside
    found: list[_Marker] = []
    for match in matches:
        if inside(match.start()):
            continue
        circled = match.group("circled")
        label = str(ord(circled) - 0x245F) if circled else match.group("pnum") or match.group("num")
        after = _char_before(text, start, match.start())
        loose = bool(match.group("pnum") or circled)
        found.append(_Marker(match.start(), match.end(), _readings(label), after, loose))
    return found


def _char_before(text: str, start: int, pos: int) -> str:
    """The last non-space character of text[start:pos] ("" when there is none)."""
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos > start else ""


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
    text: str, start: int, end: int, *, continues: tuple[str, int] | None = None, next_ordinal: int | None = None
) -> tuple[Span, list[Span]] | None:
    """Find "head: a. X; b. Y" (children) or, when the line's own marker was ``continues``, "X; 2) Y" (siblings).
    ``next_ordinal``: the number of the next line's marker, when it has one: a lone "3." in a bullet just before
    line "4." is that list's lost line break ("... lung infiltrates < 50% present 3. 12-lead ECG at rest ...").

    Returns (head span, item spans); the head is empty when the items are siblings of the block itself.
    """
    markers = _markers(text, start, end)
    if not markers:
        return _split_inline_bullets(text, start, end)
    children = _children_chain(text, start, markers)
    if continues is None and next_ordinal is not None and not children:
        lost = [m for m in markers if ("number", next_ordinal - 1) in m.kinds and m.start > start]
        if len(lost) == 1:
            return (start, start), [trim(text, start, lost[0].start), trim(text, lost[0].content, end)]
    if continues is not None:
        kind, ordinal = continues
        chain = _chain(markers, kind, ordinal + 1, ";.,：；，。%)")
        # "1. ...: 1). X; 2). Y": the "2)." belongs to the inline list that starts at 1, not to the line's list.
        if chain and chain[0] not in children:
            head = trim(text, start, chain[0].start)
            return (start, start), [head, *_item_spans(text, chain, end)]
    if children:
        return trim(text, start, children[0].start), _item_spans(text, children, end)
    return _split_inline_bullets(text, start, end)


def _children_chain(text: str, start: int, markers: list[_Marker]) -> list[_Marker]:
    """A list starting at 1 (or a) after a colon, or after a full stop when it is long or announced."""
    for kind in ("alpha", "number", "roman"):
        chain = _chain(markers, kind, 1, ":：")
        if len(chain) >= 2:
            return chain
    for kind in ("alpha", "number", "roman"):
        chain = _chain(markers, kind, 1, ".")
        announced = len(chain) >= 2 and _LEAD_IN_WORDS.search(text, start, chain[0].start) is not None
        if len(chain) >= MIN_ITEMS_AFTER_A_SENTENCE or announced:
            return chain
    return []


def _split_inline_bullets(text: str, start: int, end: int) -> tuple[Span, list[Span]] | None:
    """Bullets that lost their line breaks: "diseases o Hypothyroidism o Blood disorders" (twice or more)."""
    found = list(_INLINE_BULLET.finditer(text, start, end))
    if len(found) < 2:
        return None
    inside = brackets(text, start, end).inside
    found = [m for m in found if not inside(m.start())]
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
