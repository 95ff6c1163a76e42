"""Findings with messages a reviewer understands, and spans on both sides.

"E7: 'creatinine clearance below 30 ml/min' has no counterpart in the translation."
"I9: the source says '> 45%', the translation says 'at least 45%' (> 45 % became ≥ 45 %)."
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.domain import Criterion
from translator.facts.types import Fact, Item, Threshold, TimeWindow
from translator.verify import policy
from translator.verify.compare import Difference
from translator.verify.types import Finding, Severity

_MAX_QUOTE = 140


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_QUOTE else flat[: _MAX_QUOTE - 1] + "…"


def _side(polarity: str) -> str:
    return "a requirement to join" if polarity == "include" else "a reason not to join"


class Messages:
    def __init__(self, criteria_text: str, criteria: Sequence[Criterion], translation: str) -> None:
        self.criteria_text = criteria_text
        self.translation = translation
        self.by_id = {c.id: c for c in criteria}

    def source_span(self, fact: Fact) -> tuple[int, int]:
        """The fact, widened to its subject: "creatinine clearance below 30 ml/min", not "below 30 ml/min"."""
        start, end = fact.span.start, fact.span.end
        subject = fact.entity_span if isinstance(fact, Threshold) else None
        if subject is not None and subject.start < start and start - subject.end <= 40:
            start = subject.start
        return start, end

    def _source(self, fact: Fact) -> tuple[tuple[int, int], str]:
        span = self.source_span(fact)
        return span, self.criteria_text[span[0] : span[1]]

    def _output(self, fact: Fact) -> tuple[tuple[int, int], str]:
        span = self.source_span(fact)
        return span, self.translation[span[0] : span[1]]

    def dropped(self, fact: Fact, key: str) -> Finding:
        span, text = self._source(fact)
        cid = fact.origin.criterion
        what = "the exception" if fact.exception else ""
        message = f"{cid}: {what + ' ' if what else ''}'{_quote(text)}' has no counterpart in the translation"
        return Finding("dropped", policy.severity(key), message, cid, span, None, text, "", detail=key.split(".", 1)[1])

    def dropped_part(self, criterion: Criterion, start: int, end: int) -> Finding:
        """A named part of a criterion otherwise kept ("written informed consent" of "willing to join, written
        informed consent, good adherence"), named nowhere in the translation."""
        span = (criterion.start + start, criterion.start + end)
        text = criterion.text[start:end]
        message = f"{criterion.id}: '{_quote(text)}' has no counterpart in the translation"
        key = "dropped.criterion_part"
        return Finding(
            "dropped", policy.severity(key), message, criterion.id, span, None, text, "", detail="criterion_part"
        )

    def unkept_number(self, criterion: Criterion, start: int, end: int) -> Finding:
        """A number of a criterion in none of its limits ("May 2021", "groups 1-3") that its sentences lack."""
        span = (criterion.start + start, criterion.start + end)
        text = criterion.text[start:end]
        message = (
            f"{criterion.id}: the source says {text!r} ('{_quote(criterion.text)}'), and the translation's "
            "sentences for it do not"
        )
        key = "altered.number"
        return Finding("altered", policy.severity(key), message, criterion.id, span, None, text, "", detail="number")

    def dropped_criterion(
        self, criterion: Criterion, key: str | None, *, severity: Severity | None = None, parts: int = 0
    ) -> Finding:
        level = severity or policy.severity(key or "dropped.criterion")
        extra = f" (none of its {parts} limits or items appears)" if parts else ""
        message = f"{criterion.id}: '{_quote(criterion.text)}' has no counterpart in the translation{extra}"
        return Finding(
            "dropped",
            level,
            message,
            criterion.id,
            (criterion.start, criterion.end),
            None,
            criterion.text,
            "",
            detail="criterion",
        )

    def moved_criterion(self, criterion: Criterion, polarity: str, output: tuple[int, int]) -> Finding:
        """A criterion with nothing to check but its words, found only on the other side of the translation."""
        out_text = self.translation[output[0] : output[1]]
        was = "a requirement to join" if polarity == "include" else "a reason not to join"
        now = "a reason not to join" if polarity == "include" else "a requirement to join"
        message = (
            f"{criterion.id}: '{_quote(criterion.text)}' is {was} in the source, but the translation states it "
            f"as {now}: '{_quote(out_text)}'"
        )
        return Finding(
            "polarity",
            policy.severity("polarity"),
            message,
            criterion.id,
            (criterion.start, criterion.end),
            output,
            criterion.text,
            out_text,
            detail="polarity",
        )

    def added(self, fact: Fact, key: str) -> Finding:
        span, text = self._output(fact)
        side = _side(fact.polarity)
        message = f"the translation adds '{_quote(text)}' ({side}), which the source does not state"
        return Finding("added", policy.severity(key), message, None, None, span, "", text, detail=key.split(".", 1)[1])

    def difference(self, src: Fact, out: Fact, difference: Difference) -> Finding:
        src_span, src_text = self._source(src)
        out_span, out_text = self._output(out)
        cid = src.origin.criterion
        if difference.key == "polarity":
            message = (
                f"{cid}: '{_quote(src_text)}' is {_side(src.polarity)} in the source, but the translation "
                f"makes it {_side(out.polarity)}: '{_quote(out_text)}'"
            )
            kind = "polarity"
        else:
            message = (
                f"{cid}: the source says '{_quote(src_text)}', the translation says '{_quote(out_text)}' "
                f"({difference.says})"
            )
            kind = "altered"
        return Finding(
            kind,  # type: ignore[arg-type]
            policy.severity(difference.key),
            message,
            cid,
            src_span,
            out_span,
            src_text,
            out_text,
            detail=difference.detail,
        )


def fact_label(fact: Fact) -> str:
    if isinstance(fact, Threshold):
        return "limit"
    if isinstance(fact, TimeWindow):
        return "time window"
    if isinstance(fact, Item):
        return "item"
    return "count"
