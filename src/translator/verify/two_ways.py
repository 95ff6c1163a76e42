"""The same words read as two kinds of fact are one statement, kept.

A criterion is read as one unit and a translation sentence by sentence, so the same words may come out as a
limit on one side and a count or a time window on the other ("At least 15 (25%) children ... must be aged 5 to
less than 8 years", "The index trauma must have occurred ... at least 3 months before enrolling"). Each kind is
aligned on its own, and the statement would be reported dropped from the source and added to the translation at
once. A dropped fact and an added fact of different kinds that say the same words, after the same words, on the
same side, are that statement: neither is reported. A changed value, unit or side changes the words or the
side, and is still reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translator.facts import Fact, Facts
from translator.verify.messages import Messages
from translator.verify.types import Finding

_WORD = re.compile(r"[a-z0-9%]+|[≥≤<>=]")
LEAD_WORDS = 3
"""How many words before a fact's own words must match too (a number said twice means two statements)."""
LEAD_REACH = 40


def read_two_ways(
    findings: Sequence[Finding], source: Facts, plain: Facts, criteria_text: str, translation: str, say: Messages
) -> list[Finding]:
    sources = {say.source_span(f): f for f in (*source.thresholds, *source.windows, *source.counts)}
    outputs = {say.source_span(f): f for f in (*plain.thresholds, *plain.windows, *plain.counts)}
    dropped = [i for i, f in enumerate(findings) if f.kind == "dropped" and f.source_span in sources]
    added = [i for i, f in enumerate(findings) if f.kind == "added" and f.output_span in outputs]
    accounted: set[int] = set()
    for i in dropped:
        span = findings[i].source_span
        assert span is not None
        fact = sources[span]
        said = _said(criteria_text, span)
        for j in added:
            out_span = findings[j].output_span
            assert out_span is not None
            other = outputs[out_span]
            if j in accounted or not _same_statement(fact, other) or _said(translation, out_span) != said:
                continue
            accounted |= {i, j}
            break
    return [f for k, f in enumerate(findings) if k not in accounted]


def _same_statement(fact: Fact, other: Fact) -> bool:
    """Two kinds of fact (one kind is aligned with itself already) on one side."""
    return type(fact) is not type(other) and fact.polarity == other.polarity


def _said(text: str, span: tuple[int, int]) -> tuple[str, ...]:
    """The fact's words and the few before them, lower-cased."""
    start, end = span
    lead = _WORD.findall(text[max(0, start - LEAD_REACH) : start].lower())[-LEAD_WORDS:]
    return (*lead, *_WORD.findall(text[start:end].lower()))
