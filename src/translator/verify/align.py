"""Align source facts with plain-text facts: an assignment problem per fact type, per record.

The score puts meaning first: the same glossary entity, then agreement of value and unit (after
conversion), then similarity of names (rapidfuzz) only as a tie-break, because word overlap cannot match
"LVEF > 45%" with "your heart pumps more than 45%". ``scipy.optimize.linear_sum_assignment`` finds the
best one-to-one matching; pairs that score below ``MIN_SCORE`` stay unmatched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from scipy.optimize import linear_sum_assignment

from translator.facts.glossary import default_finder
from translator.facts.types import Count, Interval, Threshold, TimeWindow
from translator.verify.compare import close, eligible, same_bounds, same_interval
from translator.verify.policy import TIME_TOLERANCE, VALUE_TOLERANCE

F = TypeVar("F")
MIN_SCORE = 3.0
SIMILARITY_CACHE = 8192


def assign(
    sources: Sequence[F], outputs: Sequence[F], score: Callable[[F, F], float], minimum: float = MIN_SCORE
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Best one-to-one pairs (source index, output index) scoring at least ``minimum``, and the leftovers."""
    if not sources or not outputs:
        return [], list(range(len(sources))), list(range(len(outputs)))
    matrix = np.array([[score(s, o) for o in outputs] for s in sources], dtype=float)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    pairs = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if matrix[r, c] >= minimum]
    matched_sources = {r for r, _ in pairs}
    matched_outputs = {c for _, c in pairs}
    return (
        pairs,
        [i for i in range(len(sources)) if i not in matched_sources],
        [j for j in range(len(outputs)) if j not in matched_outputs],
    )


@cache
def _names(entity: str) -> tuple[str, ...]:
    """Every name of an entity: its raw phrase, or the glossary term's name, synonyms, lay names, abbreviations."""
    if entity.startswith("raw:"):
        return (entity[4:],)
    term = default_finder().by_id.get(entity)
    if term is None:
        return (entity.replace("_", " "),)
    return (term.name, *term.synonyms, *term.lay, *term.abbreviations)


@dataclass(frozen=True)
class _Name:
    """A name prepared once for comparisons: ``default_process``ed, with its words sorted (what
    ``token_sort_ratio`` compares: ``ratio`` of sorted names is the same number, without sorting them per pair),
    and its set of words."""

    given: bool
    """The name is not empty."""
    text: str
    words: frozenset[str]
    sorted_text: str = ""


def _prepare(names: tuple[str, ...]) -> tuple[_Name, ...]:
    prepared: list[_Name] = []
    for name in names:
        text = default_process(name)
        split = text.split()
        prepared.append(_Name(bool(name), text, frozenset(split), " ".join(sorted(split))))
    return tuple(prepared)


@cache
def _term_names(entity: str) -> tuple[_Name, ...]:
    return _prepare(_names(entity))


def _prepared(entity: str) -> tuple[_Name, ...]:
    """Glossary entities are prepared once per process; a raw phrase (input data) by a small cache, which holds
    it while one record's matrix of pairs is scored and forgets it over the next records."""
    return _raw_names(entity) if entity.startswith("raw:") else _term_names(entity)


@lru_cache(maxsize=256)
def _raw_names(entity: str) -> tuple[_Name, ...]:
    return _prepare(_names(entity))


@lru_cache(maxsize=SIMILARITY_CACHE)
def name_similarity(a: str, b: str) -> float:
    """0..1: 1 for the same glossary entity; otherwise the best fuzzy match between their names.

    Kept for recent pairs: a record's matrices score the same two names many times (every limit on ALT against
    every limit the translation states), two in five calls in the corpus.

    Names are processed once per call, not once per pair of names (``default_process`` is idempotent, so
    ``token_sort_ratio`` of processed names equals that of the names with ``processor=default_process``)."""
    if a == b:
        return 1.0
    if not a.startswith("raw:") and not b.startswith("raw:"):
        return 0.0
    best = 0.0
    names_b = _prepared(b)
    for x in _prepared(a):
        for y in names_b:
            ratio = fuzz.ratio(x.sorted_text, y.sorted_text) / 100
            if ratio > best:
                best = ratio
            if best < 0.9 and x.given and y.given and (_contains(x, y) or _contains(y, x)):
                best = 0.9
            if best == 1.0:
                return best  # nothing scores more
    return best


def _contains(phrase: _Name, name: _Name) -> bool:
    return bool(name.words) and name.words <= phrase.words


def _exact(a: Interval, a_pol: str, b: Interval, b_pol: str, tolerance: float) -> bool:
    """Does ``_value_score`` give 3: the same interval on the same side, or the same eligible region? Most pairs
    name different things, and for them only this matters (``threshold_score``): the matrix of a long record
    has thousands of such pairs. On the same side the regions are the same exactly when the limits are (the
    complement of a one-sided limit keeps its number and turns its end over; a range has none)."""
    if a_pol == b_pol:
        return same_interval(a, b, tolerance)
    ra, rb = eligible(a, a_pol), eligible(b, b_pol)
    return ra is not None and rb is not None and same_interval(ra, rb, tolerance)


def _value_score(a: Interval, a_pol: str, b: Interval, b_pol: str, tolerance: float) -> float:
    if _exact(a, a_pol, b, b_pol, tolerance):
        return 3.0
    ra, rb = eligible(a, a_pol), eligible(b, b_pol)
    if same_bounds(a, b, tolerance) or (ra is not None and rb is not None and same_bounds(ra, rb, tolerance)):
        return 2.0
    shared = {x for x in (a.low, a.high) if x is not None} & {x for x in (b.low, b.high) if x is not None}
    if shared or any(close(x, y, tolerance) for x in (a.low, a.high) for y in (b.low, b.high) if x and y):
        return 1.5
    return 0.0


def threshold_score(src: Threshold, out: Threshold) -> float:
    similarity = name_similarity(src.entity, out.entity)
    entity = 4.0 if similarity == 1.0 else 2.5 * similarity
    tolerance = TIME_TOLERANCE if src.unit == "days" else VALUE_TOLERANCE
    if entity < 1.0 and not _exact(src.interval, src.polarity, out.interval, out.polarity, tolerance):
        return 0.0  # a different thing with a different value: not a counterpart
    value = _value_score(src.interval, src.polarity, out.interval, out.polarity, tolerance)
    unit = 0.5 if src.unit == out.unit else 0.0
    reference = 0.5 if src.reference == out.reference else 0.0
    condition = 0.3 if (src.condition is None) == (out.condition is None) else 0.0
    return entity + value + unit + reference + condition


def window_score(src: TimeWindow, out: TimeWindow) -> float:
    similarity = name_similarity(src.event, out.event) if src.event != "raw:" and out.event != "raw:" else 0.3
    event = 3.0 if similarity == 1.0 else 2.0 * similarity
    if src.days is not None and out.days is not None:
        values = (src.days, src.polarity, out.days, out.polarity, TIME_TOLERANCE)
    else:
        values = (src.interval, src.polarity, out.interval, out.polarity, VALUE_TOLERANCE)
    if event < 0.6 and not _exact(*values):
        return 0.0
    value = _value_score(*values)
    relation = 1.0 if src.relation == out.relation else 0.0
    reference = 0.5 if src.reference and src.reference == out.reference else 0.0
    return event + value + relation + reference


def count_score(src: Count, out: Count) -> float:
    similarity = fuzz.token_sort_ratio(src.what, out.what, processor=default_process) / 100
    shared = set(src.what.split()) & set(out.what.split())
    what = 3.0 * max(similarity, 0.8 if shared else 0.0)
    value = _value_score(src.interval, src.polarity, out.interval, out.polarity, VALUE_TOLERANCE)
    if what < 1.5 and value < 3.0:
        return 0.0
    shape = SAME_SHAPE if _shape(src.interval) == _shape(out.interval) else 0.0
    return what + value + shape


SAME_SHAPE = 0.6
"""Two counts of the same things, both exact ("two effective methods" / "three effective methods") or both
open on the same side, are one count whose number changed: enough, with shared words, to pair them."""


def _shape(interval: Interval) -> tuple[bool, bool, bool]:
    return interval.low is None, interval.high is None, interval.low == interval.high
