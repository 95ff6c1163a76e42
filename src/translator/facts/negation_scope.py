"""Where a negation's reach ends before the position it would negate, beyond clause breaks, new subjects and
causes (``Context.negation_cue``): a sentence's leading condition, a name holding the cue, a second predicate,
and what a negated treatment was for."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.facts.context import Context

_TREATED_FOR = re.compile(
    r"(?:treat(?:ment|ments|ed)|therap(?:y|ies)|regimens?)(?:[ \t]+[a-z()-]+){0,3}?[ \t]+for[ \t]+"
    r"(?P<what>(?:(?!with |of |using |including |within )[^,;()\[\]])*)$"
)
"""A negated treatment, then what it was for, up to the item: "no earlier treatment for locally advanced or
metastatic NSCLC" (the disease is required; not after "with": "no prior therapy for cancer with a TKI"; not a
duration: "cannot take part in a physical therapy program for 3 days per week after surgery")."""
_AMOUNT = re.compile(r"(?:[0-9≥≤<>]|(?:at least|up to|more|less|over|under|one|two|three|four|five|six)[ \t])")
"""An amount, not what a treatment was for: "a physical therapy program for 3 days per week"."""
_LEADING_CONDITION = re.compile(r"[\s*\-\u2022]*(?:if|when|whenever)(?![a-z])")
_CLAUSE_AFTER_COMMA = re.compile(
    r",[ \t]+(?:a|an|the|you|your|we|it|this|that|these|those|they|there|then|he|she|his|her|their|our|its|"
    r"patients?|participants?|subjects?)(?![a-z])"
)
"""A comma followed by what opens a main clause (a determiner or a subject), not by a list's next element."""
_AND_PREDICATE = re.compile(
    r"(?<![a-z])and[ \t]+(?:(?:also|must|should|will|need|needs|agree|agrees)(?:[ \t]+to)?[ \t]+)?"
    r"(?:have|has|need|needs|needed|require|requires|required|must|agree|agrees|be|are|is|should|will)[ \t]"
    r"(?!no[ \t]|not[ \t]|never[ \t])"
)
"""A second predicate joined by "and" ("must not be pregnant and need a negative test", "have not had chemotherapy
and have measurable disease"): a negation before it ends there. One that negates again ("and have no ...") goes on
negating."""


def scope_ends(ctx: Context, cue: int, cue_end: int, position: int) -> bool:
    """Does the negation cue at ``cue`` (ending at ``cue_end``) stop before ``position``?"""
    if _condition_closed(ctx, cue, position) or _name_closed(ctx, cue, position):
        return True
    if _AND_PREDICATE.search(ctx.low, cue_end, position):
        return True  # "must not be pregnant and need a negative pregnancy test": a predicate of its own
    if _RELATIVE_BEFORE.search(ctx.low, max(0, cue - 40), cue) and "," in ctx.low[cue_end:position]:
        return True  # "brain metastases that have not been treated, or ...": the relative clause's own negation
    if _examples_of_inability(ctx, cue, position):
        return True  # "you cannot hold your hand steady (this includes tremors)": the tremors exclude
    return _treated_for(ctx, cue_end, position)  # "no prior treatment for metastatic NSCLC": the disease is required


_RELATIVE_BEFORE = re.compile(r"(?<![a-z])(?:that|which)[ \t]+(?:[a-z']+[ \t]+){0,3}$")
"""A relative clause right before the cue ("metastases that have not been treated", "hypertension that can not be
well controlled"): its negation is its verb's, and a comma after it starts the list's next element."""
_INABILITY = re.compile(
    r"(?:cannot|can't|can not|unable to|not able to|could not|couldn't)[ \t]+"
    r"(?!have |has |be |take |use |receive |get )"
)
"""An inability to do something ("cannot hold your hand steady"), not a rule against having or taking a thing."""
_EXAMPLES_OPEN = re.compile(
    r"[(\[][ \t]*(?:this[ \t]+includes|including|includes|such[ \t]+as|e\.g\.?|eg|for[ \t]+example|like)"
)


def _examples_of_inability(ctx: Context, cue: int, position: int) -> bool:
    """What a bracket after an inability gives as its examples causes the inability; it is not negated: "cannot
    hold your hand or arm steady (this includes tremors and Parkinson's disease)"."""
    if _INABILITY.match(ctx.low, cue) is None:
        return False
    bracket = ctx.enclosing_bracket(position)
    return bracket is not None and bracket[0] > cue and _EXAMPLES_OPEN.match(ctx.low, bracket[0]) is not None


def _treated_for(ctx: Context, cue_end: int, position: int) -> bool:
    found = _TREATED_FOR.search(ctx.low, cue_end, position)
    return found is not None and _AMOUNT.match(ctx.low, found.start("what")) is None


def _name_closed(ctx: Context, cue: int, position: int) -> bool:
    """A negation that is part of a name ("lack of cognitive ability", "never had a biologic") negates no
    list element after the name: "lack of cognitive ability, alcohol dependency, drug use" excludes all
    three."""
    names = ctx.names
    if not names:
        return False
    index = bisect_right([n.start for n in names], cue) - 1
    if index < 0 or names[index].end <= cue:
        return False
    return "," in ctx.low[names[index].end : position]


def _condition_closed(ctx: Context, cue: int, position: int) -> bool:
    """A cue in a sentence's leading condition stops at the comma that closes it, where the main clause
    starts: "If you have never had a biologic, antibiotic pills did not work" does not negate the
    antibiotics. A comma inside the condition's list ("If you do not have HIV, hepatitis B or C, ...") closes
    nothing."""
    start = ctx.sentence_start(cue)
    if _LEADING_CONDITION.match(ctx.low, start) is None:
        return False
    return _CLAUSE_AFTER_COMMA.search(ctx.low, cue, position) is not None
