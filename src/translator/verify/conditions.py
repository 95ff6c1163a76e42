"""Conditions of a limit a translation states in its own way: in other words in the limit's sentence, or as the
"otherwise" of the same measure's other, conditional limit."""

from __future__ import annotations

import re
from collections.abc import Callable

from translator.facts.glossary import default_finder
from translator.facts.plain import PlainDocument
from translator.facts.types import Facts, Threshold
from translator.verify.compare import Difference, compare_thresholds
from translator.verify.coverage import Vocabulary


def restated_conditions(plain: Facts, document: PlainDocument) -> Callable[[Threshold, Threshold], list[Difference]]:
    """``compare_thresholds``, except that a condition the translation states in other words in the limit's own
    sentence ("platelets > 30 × 10⁹/L if no overt bleeding" / "above 30 × 10⁹ per liter with no obvious
    bleeding") is kept, not dropped."""

    def compare(src: Threshold, out: Threshold) -> list[Difference]:
        found = compare_thresholds(src, out)
        if src.condition and any(d.detail == "condition" for d in found) and _condition_said(src, out, plain, document):
            found = [d for d in found if d.detail != "condition"]
        return found

    return compare


def _condition_said(src: Threshold, out: Threshold, plain: Facts, document: PlainDocument) -> bool:
    sentence = out.origin.sentence
    if sentence is None or src.condition is None:
        return False
    named = {hit.term.id for hit in default_finder().find(src.condition)}
    there = {item.concept for item in plain.items if item.origin.sentence == sentence}
    if named and _NEGATIVE_CONDITION.match(src.condition) and _otherwise(out, named, plain):
        return True  # "< 2.5 × ULN, or < 5 × ULN if the cancer has spread to your liver": the first is "otherwise"
    if named:
        return named <= there
    text = next((s.text for s in document.sentences if s.index == sentence), "")
    words = Vocabulary.of(text)
    return words.share(src.condition.split()) >= 1.0


_NEGATIVE_CONDITION = re.compile(r"(?:no|not|without|absence of|in the absence of|non)(?![a-z])")


def _otherwise(out: Threshold, named: set[str], plain: Facts) -> bool:
    """Does the sentence give the same measure another limit under the condition the source negates ("if no
    liver metastases" / "... or less than 5 times the ULN if the cancer has spread to your liver")? Then the
    unconditional limit is the one that holds otherwise."""
    return any(
        other is not out
        and other.origin.sentence == out.origin.sentence
        and other.entity == out.entity
        and other.condition is not None
        and not _NEGATIVE_CONDITION.match(other.condition)
        and {hit.term.id for hit in default_finder().find(other.condition)} == named
        for other in plain.thresholds
    )
