"""Tests and measures named as findings: by their result ("HBsAg positive", "a negative pregnancy test").

A test or a measure is a criterion by its result when it has no value. The result word may stand next to it, or
once for a whole list: "hepatitis B surface antigen or hepatitis C antibody positive", "Positive anti-nuclear
antibody (ANA) (titer ≥ 1:80), anti-dsDNA (≥ 30 IU/mL), or anti-Smith". A negative result written into a term's
own name ("negative pregnancy test") negates it as "negative" before it would.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from translator.facts.glossary import TermHit
from translator.facts.patterns import literal_first

if TYPE_CHECKING:
    from translator.facts.extract import Reader

RESULT_REACH = 24
"""Characters either side of a test where its result word may stand on its own."""
LIST_REACH = 240
"""Characters over which a list of tests may share one result word."""
_RESULTS = ["positive", "negative", "reactive", "non-reactive", "detectable", "undetectable", "detected"]
_RESULT_WORDS = "(?:" + "|".join(_RESULTS) + r")(?![a-z])"
_RESULT = re.compile("(?:" + literal_first(_RESULTS, "a-z") + r")(?![a-z])")
"""``(?<![a-z])`` + ``_RESULT_WORDS``, written so that ``re`` scans for it (see ``patterns``)."""
_RESULT_FOR = re.compile(
    r"(?:[ \t]+(?:is|are|was|were|be|must[ \t]+be|should[ \t]+be))?[ \t]+"
    + _RESULT_WORDS
    + r"(?P<for>[ \t]+for(?![a-z]))?"
)
"""A result word right after a test; with "for" after it, what follows is the finding and the test its method."""
_FOR_AFTER = re.compile(r"[ \t]+for[ \t]+(?:(?:the|a|an)[ \t]+)?")
"""Between a test and what it tests for ("test for hepatitis B"), a name that must follow at once."""
_NEGATIVE_NAME = re.compile(r"(?:negative|non-reactive|nonreactive|undetectable)(?![a-z])")
_NEGATIVE_BEFORE = re.compile(
    "(?:" + literal_first(["negative", "non-reactive", "nonreactive"], "a-z") + r")(?:[ \t]+[a-z]+)?[ \t]+$"
)
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LIST_GLUE = re.compile(r"^(?:[\s,/]|and/or|and|or|either|the|a|an|for|test|tests|result|results)*$")
_FINDING_KINDS = ("test", "measure")
_QUALIFIED_KINDS = ("test", "measure", "procedure")
"""What a result word right before a name qualifies: "positive CSF cytology", "a positive biopsy"."""


def is_finding(reader: Reader, hit: TermHit) -> bool:
    """Has this test or measure a result word of its own, or one shared by the list it is in?"""
    low = reader.low
    if (right := _RESULT_FOR.match(low, hit.end)) is not None:
        return right.group("for") is None  # "chest X-ray positive for pulmonary TB": the TB is the finding
    if _tests_for_a_name(reader, hit):
        return False  # "a positive blood test for hepatitis B": hepatitis B is the finding, the test its method
    if any(
        _own_result(reader, hit, result)
        for result in _RESULT.finditer(low, max(0, hit.start - RESULT_REACH), min(len(low), hit.end + RESULT_REACH))
    ):
        return True
    start, end = reader.ctx.clause_start(hit.start), reader.ctx.clause_end(hit.end)
    after = _RESULT.search(low, hit.end, min(end, hit.end + LIST_REACH))
    if after is not None and _only_list(reader, hit.end, after.start()) and not _qualifies_next(reader, hit, after):
        return True
    before = [m for m in _RESULT.finditer(low, max(start, hit.start - LIST_REACH), hit.start)]
    return bool(before) and _only_list(reader, before[-1].end(), hit.start)


def _own_result(reader: Reader, hit: TermHit, result: re.Match[str]) -> bool:
    """Is the result word near the test its own: no other test or measure between them, nor one the word stands
    right before ("confirmed by MRI and/or positive CSF cytology": "positive" is the cytology's; "Hepatitis B e
    antigen (HBeAg)-negative" names one test)?"""
    after = result.start() > hit.start
    start, end = (hit.end, result.start()) if after else (result.end(), hit.start)
    if any(_another_test(hit, other) for other in reader.hits_between(start, end)):
        return False
    return not (after and _qualifies_next(reader, hit, result))


def _qualifies_next(reader: Reader, hit: TermHit, result: re.Match[str]) -> bool:
    """Does the result word stand right before the name of another test, measure or procedure ("positive CSF
    cytology")?"""
    following = reader.hits_between(result.end(), result.end() + FOLLOWING_REACH)[:1]
    if not following or following[0].term.id == hit.term.id or following[0].term.kind not in _QUALIFIED_KINDS:
        return False
    return not reader.low[result.end() : following[0].start].strip()


FOLLOWING_REACH = 80
"""Characters after a result word in which the name of the test it qualifies may lie."""


def _another_test(hit: TermHit, other: TermHit) -> bool:
    return other.term.kind in _FINDING_KINDS and other.term.id != hit.term.id


def _tests_for_a_name(reader: Reader, hit: TermHit) -> bool:
    """Does a glossary name follow the test right after "for" ("blood test for hepatitis B"; not "HBsAg-positive
    for more than 6 months")?"""
    method = _FOR_AFTER.match(reader.low, hit.end)
    if method is None:
        return False
    named = reader.hits_between(method.end(), method.end() + FOR_NAME_REACH)
    return bool(named) and named[0].start == method.end()


FOR_NAME_REACH = 60
"""Characters after "for" in which the tested-for name must lie whole."""


def _only_list(reader: Reader, start: int, end: int) -> bool:
    """Is [start, end) only other findings, asides and list glue ("or hepatitis C antibody")?"""
    text = reader.low[start:end]
    for hit in reversed(reader.hits_between(start, end)):
        if hit.term.kind not in _FINDING_KINDS:
            return False
        text = text[: hit.start - start] + " " + text[hit.end - start :]
    return _LIST_GLUE.match(_ASIDE.sub(" ", text)) is not None


def negative_in_name(reader: Reader, start: int, end: int) -> bool:
    """ "a negative pregnancy test", "a negative serum pregnancy test": a negative result named with the test."""
    if _NEGATIVE_NAME.match(reader.low, start, end) is not None:
        return True
    return _NEGATIVE_BEFORE.search(reader.low, max(0, start - 32), start) is not None
