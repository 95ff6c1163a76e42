"""A set of spans queried in logarithmic time, so that no reader scans every span for every candidate."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class SpanIndex:
    """Spans (start, end), possibly overlapping. Built once; queries use the running maximum of the ends."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._max_end = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Does some span share a character with [start, end)?"""
        count = bisect_left(self._starts, end)
        return count > 0 and self._max_end[count - 1] > start

    def contains(self, start: int, end: int) -> bool:
        """Does some span hold all of [start, end)?"""
        count = bisect_right(self._starts, start)
        return count > 0 and self._max_end[count - 1] >= end
