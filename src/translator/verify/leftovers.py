"""The policy key of a fact left without a counterpart: which leftovers are notes, not findings (``policy``).

A count that describes rather than limits ("one of these", "three stages"), "at least one" (naming the thing
says as much), a number of people the source states and the translation leaves out, a limit's restatement in
another unit, and a dropped conditional alternative each have a key of their own."""

from __future__ import annotations

import re

from translator.facts.lexicon import lexicon
from translator.facts.types import Count, Threshold

_COMPARED = re.compile(r"[≥≤<>]|least|most|more|less|fewer|up to|maximum|minimum|over|under|above|below")


def leftover_key(change: str, kind: str, fact: object) -> str:
    """A count with no comparator ("one of these", "three stages") left unmatched is a note, not a finding: such
    numbers describe as often as they limit. A changed one is still reported (``compare_counts``)."""
    if isinstance(fact, Count) and _a_note(change, fact):
        return f"{change}.count_bare"
    if isinstance(fact, Threshold) and fact.restates:
        return f"{change}.threshold.restated"  # "≥ 7.0 mmol/L (126 mg/dL)": the bracket converts, it adds no rule
    if change == "dropped" and isinstance(fact, Threshold) and (fact.condition or fact.exception):
        return "dropped.threshold.alternative"  # "(≤ 5 × ULN if liver metastases)", "unless Gilbert's syndrome"
    return f"{change}.{kind}"


def _a_note(change: str, count: Count) -> bool:
    """A count that changes no rule: a bare number that describes, a number of people the source states about
    the study and the translation leaves out ("sample size 30"), or "at least one", which says no more than the
    thing named ("at least one of these: ..." is the "or" of its list; "at least one tumor that can be reached"
    is "accessible lesion(s)"). An added number of people stays a finding."""
    if counts_people(count):
        return change == "dropped"
    return not _COMPARED.search(count.stated.lower()) or _at_least_one(count)


_PLURAL_WORDS = re.compile(r"(?<![a-z])(?:multiple|several|many)[ \t]+(?P<what>[a-z][a-z -]{0,40})", re.IGNORECASE)


def plural_in_source(count: object, source_text: str) -> bool:
    """ "more than one active primary cancer" for the source's "multiple primary cancers": a count of more than one
    of things the source names after "multiple" or "several" says what the plural says (a note, not a limit)."""
    if not isinstance(count, Count):
        return False
    interval = count.interval
    more_than_one = (interval.low == 1 and not interval.low_inclusive) or (interval.low == 2 and interval.low_inclusive)
    if not more_than_one or interval.high is not None:
        return False
    wanted = {word.rstrip("s") for word in count.what.lower().split() if len(word) > 3}
    for match in _PLURAL_WORDS.finditer(source_text):
        around = source_text[max(0, match.start() - PLURAL_LEAD) : match.end()].lower()
        if wanted and wanted <= {word.rstrip("s") for word in _LETTER_RUN.findall(around)}:
            return True  # "Active multiple primary cancers": its words around the plural word
    return False


_LETTER_RUN = re.compile(r"[a-z]+")
PLURAL_LEAD = 30
"""Characters before "multiple" whose words also describe the things counted ("Active multiple ...")."""


def _at_least_one(count: Count) -> bool:
    """ "At least one of the following", "one or more prior treatments", "at least one lesion": some, which naming
    the thing (or a list joined by "or") says as well."""
    interval = count.interval
    return interval.low == 1 and interval.low_inclusive and interval.high is None


def counts_people(count: Count) -> bool:
    """ "This study will enroll 9 to 12 patients": a number of people is a claim about the study, never a
    description; one the source does not make is an addition."""
    return not lexicon().people_nouns.isdisjoint(count.what.lower().split())
