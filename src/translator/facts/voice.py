"""The side one sentence takes by its own cues ("You cannot join if ...", "... will be excluded", "... is
allowed"), read alike in plain text and in source criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator.facts.context import brackets_of
from translator.facts.frozen import quick_init
from translator.facts.lexicon import lexicon
from translator.facts.patterns import ASIDE
from translator.facts.plain_cues import LETTERS, Twin, plain_cues
from translator.facts.types import Polarity

_CLAUSE_OPEN = re.compile(r";|\(|(?<![0-9]):(?![0-9])|\bnote\b|\bhowever\b|\bbut\b|\bexcept\b", re.I)
LEADING_CUE = 24
OBSTACLE_REACH = 40
"""Characters before a bare "to join" where an obstacle word ("unwise", "hard") turns it over."""
_CONDITION_AFTER = re.compile(r"[ \t]+(?:if|when|unless|while|because)(?![a-z])", re.I)
_CONDITION_END = re.compile(r"[ \t]+(?:if|when)$", re.I)
_OF_THE_STUDY = re.compile(
    r"[ \t]*(?:$|[,;.:()]|(?:if|when|unless|because|due)(?![a-z])"
    r"|in[ \t]+(?:the|this|any)?[ \t]*(?:study|trial)(?![a-z]))"
)
"""What may follow "cannot participate" for it to be about joining the study."""
_STRONG_INCLUDE = (
    "join",
    "take part",
    "eligible",
    "qualify",
    "only if",
    "good fit",
    "participate",
    "a match",
    "right for",
)
"""Words of an include cue that say the sentence is about joining: such a cue overrides an exclusion heading."""


@quick_init
@dataclass(frozen=True)
class Voice:
    """Which side one sentence takes, read from its own cues: the polarity, where the cue ends (negation is read
    only after it) and where the cue's polarity starts to apply (before it, the base polarity holds)."""

    polarity: Polarity
    cue_end: int = 0
    scope_start: int = 0
    scope_end: int = 0
    """Where the cue's polarity stops applying (after it, the base polarity holds again); 0 for the sentence's end.
    An allowance in a bracket allows what the bracket names: "infection (hepatitis B and C are not exclusion
    criteria) and/or known HIV infection" still excludes HIV."""


def sentence_voice(body: str, polarity: Polarity, *, plain: bool = True, lead_in: bool = False) -> Voice:
    """The same reading serves plain text and source criteria ("Minor surgery is allowed." is a reason one may
    still join in both); only plain text takes "you cannot join" / "you can join" cues. ``lead_in``: the sentence
    sits under a heading it completes ("You cannot join if:"), not under a title ("Who cannot join")."""
    cues = plain_cues()
    words = cues.source_words
    if not plain and words is not None and body.isascii() and words.isdisjoint(LETTERS.findall(body.lower())):
        return Voice(polarity)  # no cue can match: what the reading below gives such a sentence
    allowed = cues.allow.search(body)
    if allowed:
        at = allowed.start()
        return Voice("include", allowed.end(), _clause_start(body, at), _bracket_end(body, at))
    if not plain:
        excluding = _source_exclusion(body)
        if excluding is not None:
            # "... will be excluded" under the inclusion heading; under either, the cue's own "not" ("Patients
            # will not be included if they have liver dysfunction") is the side, not a negation of what it names
            return Voice("exclude", _leading(excluding))
        included = cues.include.search(body)
        if included and polarity == "exclude" and cues.required_limit.match(body, included.end()):
            return Voice("include", _leading(included))  # an exclusion that says "... must be stable for at least"
        return Voice(polarity, included.end() if included and included.start() < 12 else 0)
    cue: re.Match[str] | None = None
    excluded = _unless_pseudo(cues.exclude, body) or _source_exclusion(body)
    included = _include_cue(body)
    if excluded:
        polarity, cue = "exclude", excluded
    elif included and any(word in included.group().lower() for word in _STRONG_INCLUDE):
        polarity, cue = "include", included
    elif polarity == "exclude" and not lead_in and (ending := cues.requirement_ending.search(body)):
        polarity, cue = "include", ending  # under "Who cannot join", "... is required." states a requirement
    elif included and polarity == "exclude" and cues.required_limit.match(body, included.end()):
        polarity, cue = "include", included  # under "You cannot join if:", "your LVEF must be at least 50%"
    cue_end = _leading(cue) if cue else (included.end() if included and included.start() < 12 else 0)
    scope = cue.start() if cue and cue.start() > 0 and _opens_condition(body, cue, cue is excluded) else 0
    if cue and scope:
        cue_end = cue.end()  # the cue opens its own scope: "..., and you cannot take part if it is under 60"
    return Voice(polarity, cue_end, scope)


def exclusion_cues(text: str) -> list[tuple[int, int]]:
    """Spans of the cues that say a sentence excludes ("You cannot join if", "... will be excluded"), pseudo-
    negations left out: their negation words are the side, not a negation of what they name."""
    low = text.lower()
    pseudo = lexicon().pseudo_negation_re
    spans: list[tuple[int, int]] = []
    patterns: tuple[Twin | re.Pattern[str], ...] = (plain_cues().exclude, lexicon().source_exclude_re)
    for pattern in patterns:
        for match in pattern.finditer(low):
            inner = low.find("not", match.start(), match.end())
            if not pseudo.match(low, match.start()) and not (inner >= 0 and pseudo.match(low, inner)):
                spans.append((match.start(), match.end()))
    return spans


def _source_exclusion(body: str) -> re.Match[str] | None:
    """ "... will be excluded", "not eligible", but not inside a pseudo-negation ("not eligible for transplant"),
    nor a "cannot participate" in something other than the study ("who cannot participate in an outpatient
    physical therapy program" states a requirement, turned over)."""
    low = body.lower()
    found = _unless_pseudo(lexicon().source_exclude_re, low)
    if found is None or not found.group().endswith("participate"):
        return found
    return found if _OF_THE_STUDY.match(low, found.end()) else None


def _unless_pseudo(pattern: re.Pattern[str] | Twin, body: str) -> re.Match[str] | None:
    """The first match of ``pattern`` that is not the start of a pseudo-negation ("who are not eligible for
    curative surgery" says nothing about joining)."""
    pseudo = lexicon().pseudo_negation_re
    low = body.lower()
    for match in pattern.finditer(body):
        inner = low.find("not", match.start(), match.end())
        if not pseudo.match(low, match.start()) and not (inner >= 0 and pseudo.match(low, inner)):
            return match
    return None


def _include_cue(body: str) -> re.Match[str] | None:
    """The first include cue that is not an obstacle's infinitive ("... makes it unwise for you to take part"), nor
    inside an aside ("informed consent (written agreement to take part)" explains, it does not require)."""
    cues = plain_cues()
    for match in cues.include.finditer(ASIDE.sub(lambda m: " " * len(m.group()), body)):
        if not match.group().lower().startswith("to "):
            return match
        if cues.obstacle.search(body, max(0, match.start() - OBSTACLE_REACH), match.start()) is None:
            return match
    return None


def _bracket_end(body: str, position: int) -> int:
    """Just past the bracket that holds ``position``, or 0 when none does."""
    for open_, close in brackets_of(body):
        if open_ < position < close:
            return close + 1 if close + 1 < len(body) else 0
    return 0


def _opens_condition(body: str, cue: re.Match[str], excluding: bool) -> bool:
    """Is the cue followed by a condition ("you cannot take part if"), or is it an exclusion cue that ends with one
    ("this study is not the right fit if")? An include cue that ends with one ("... may be included only if") does
    not split its sentence: the whole of it states when one may join."""
    if _CONDITION_AFTER.match(body, cue.end()) is not None:
        return True
    return excluding and _CONDITION_END.search(cue.group()) is not None


def _leading(cue: re.Match[str]) -> int:
    """Negation is read after a cue that opens the sentence ("You cannot join if you have not ..."); a cue at
    its end ("... who have not recurred are excluded") leaves the negation before it in force."""
    return cue.end() if cue.start() < LEADING_CUE else 0


def _clause_start(body: str, position: int) -> int:
    """ "...; Note: low-dose heparin is allowed": an allowance covers its own clause, not the whole sentence."""
    found = [
        m.end()
        for m in _CLAUSE_OPEN.finditer(body, 0, position)
        if m.group() != "(" or body.find(")", m.end(), position) < 0  # an aside closed before it opens nothing
    ]
    return found[-1] if found else 0
