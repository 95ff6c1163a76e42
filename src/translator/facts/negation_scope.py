"""Where a negation's reach ends before the position it would negate, beyond clause breaks, new subjects and
causes (``Context.negation_cue``): a sentence's leading condition, a name holding the cue, a relative clause,
a second predicate, an inability's examples, what a negated treatment was for, and a "non" prefix's own word.
Also the cue words inside glossary names that the context must not read as cues at all (``names_unmarked``)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.facts.context import Context
    from translator.facts.glossary import TermHit
    from translator.facts.lexicon import Lexicon

_NEW_PREDICATE = re.compile(r"(?<![a-z])(?:and|or)[ \t]+(?:have|has|had|be|is|are|must|no|not|agree)(?![a-z])")
"""A coordinated predicate ends what a "non" prefix negates ("non-smoker and no more than 2 ...")."""
_PREFIXED_WORD = re.compile(r"[ \t-]*[a-z0-9']+")
_FIRST_WORD = re.compile(r"[a-z]+")
"""The word a "non" prefix is written on ("non-infectious")."""
_TREATED_FOR = re.compile(
    r"(?:treat(?:ment|ments|ed)|therap(?:y|ies)|regimens?)(?:[ \t]+[a-z()-]+){0,3}?[ \t]+for[ \t]+"
    r"(?P<what>(?:(?!with |of |using |including |within )[^,;()\[\]])*)$"
)
"""A negated treatment, then what it was for, up to the item: "no earlier treatment for locally advanced or
metastatic NSCLC" (the disease is required; not after "with": "no prior therapy for cancer with a TKI"; not a
duration: "cannot take part in a physical therapy program for 3 days per week after surgery")."""
_USED_FOR = re.compile(
    r"(?<![a-z])us(?:e|ing)(?:[ \t]+[a-z()-]+){1,4}?[ \t]+(?:to|for)[ \t]+[a-z]+[ \t]+"
    r"(?P<what>[^,;()\[\]]*)$"
)
"""A negated use, then what the thing is used for, up to the item: "cannot use a mobile phone to read the isCGM
sensor", "unable to use mobile phone for reading isCGM sensor" (the sensor is what is read, it is not negated)."""
_DURING_OBJECT = re.compile(r"(?<![a-z])during[ \t]+(?P<what>(?:(?!or |and |nor )[a-z'() -])*)$")
"""What a negated action happens during, up to the item, with no list, clause break or amount between: "cannot
stay still in the right position during the irradiation" (the irradiation is not negated; "no steroid use during
the last year" is a look-back, and stays negated)."""
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


def prefix_ends(low: str, cue_end: int, position: int, *, across_commas: bool) -> bool:
    """Does a "non" prefix ending at ``cue_end`` stop before ``position``? It negates its own word only
    ("non-infectious ILD" is ILD), up to a coordinated predicate ("non lactating and have a negative test"), and
    never a limit ("non-fasting glucose < 200": a name, no negation)."""
    if _NEW_PREDICATE.search(low, cue_end, position + 8):
        return True
    word = _PREFIXED_WORD.match(low, cue_end)
    return (word is not None and position >= word.end()) or not across_commas


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
    if _DURING_OBJECT.search(ctx.low, cue_end, position) and not _window_words(ctx.low, cue_end, position):
        return True  # "cannot stay still during the irradiation": the time of the action is no part of it
    if _USED_FOR.search(ctx.low, cue_end, position):
        return True  # "cannot use a mobile phone to read the sensor": the sensor is what it is used for
    return _treated_for(ctx, cue_end, position)  # "no prior treatment for metastatic NSCLC": the disease is required


_LOOK_BACK_WORDS = re.compile(r"(?<![a-z])(?:previous|prior|last|past|preceding|first|next|period)(?![a-z])")


def _window_words(low: str, start: int, end: int) -> bool:
    """Look-back words between a cue and an item ("during the previous 5 years"): a window, not a time of day."""
    return _LOOK_BACK_WORDS.search(low, start, end) is not None


def _examples_of_inability(ctx: Context, cue: int, position: int) -> bool:
    """What a bracket after an inability gives as its examples causes the inability; it is not negated: "cannot
    hold your hand or arm steady (this includes tremors and Parkinson's disease)"."""
    if _INABILITY.match(ctx.low, cue) is None:
        return False
    bracket = ctx.enclosing_bracket(position)
    return bracket is not None and bracket[0] > cue and _EXAMPLES_OPEN.match(ctx.low, bracket[0]) is not None


def _treated_for(ctx: Context, cue_end: int, position: int) -> bool:
    found = _TREATED_FOR.search(ctx.low, cue_end, position)
    return found is not None and not _amount_at(ctx, found.start("what"))


def _amount_at(ctx: Context, position: int) -> bool:
    """Does an amount start here ("a physical therapy program for 3 days per week"), not what a treatment was
    for? A digit or a comparator sign, a comparator phrase or a number word of the rule files."""
    low, lex = ctx.low, ctx.lex
    if position < len(low) and (low[position].isdigit() or low[position] in "≥≤<>"):
        return True
    word = _FIRST_WORD.match(low, position)
    if word is not None and word.group() in lex.number_words:
        return True
    return any(  # called only after a negated "treatment for", so the scan over the phrases is rare
        low.startswith(phrase, position) and not low[position + len(phrase) : position + len(phrase) + 1].isalpha()
        for phrase in lex.pre_comparator_words
    )


def _name_closed(ctx: Context, cue: int, position: int) -> bool:
    """A negation that is part of a name ("lack of cognitive ability", "never had a biologic") negates no
    list element after the name: "lack of cognitive ability, alcohol dependency, drug use" excludes all
    three."""
    names = ctx.names
    if not names:
        return False
    index = bisect_right(names, cue, key=_start) - 1
    if index < 0 or names[index].end <= cue:
        return False
    return "," in ctx.low[names[index].end : position]


def _start(hit: TermHit) -> int:
    return hit.start


def _condition_closed(ctx: Context, cue: int, position: int) -> bool:
    """A cue in a sentence's leading condition stops at the comma that closes it, where the main clause
    starts: "If you have never had a biologic, antibiotic pills did not work" does not negate the
    antibiotics. A comma inside the condition's list ("If you do not have HIV, hepatitis B or C, ...") closes
    nothing."""
    start = ctx.sentence_start(cue)
    if _LEADING_CONDITION.match(ctx.low, start) is None:
        return False
    return _CLAUSE_AFTER_COMMA.search(ctx.low, cue, position) is not None


def names_unmarked(low: str, hits: list[TermHit], starts: list[int], lex: Lexicon) -> str:
    """The text the context reads: an exception cue inside a glossary name ("skin cancer other than melanoma")
    is part of the name, blanked so that it opens no exception clause for the words after it; so is a name's
    negating prefix ("non-ST-elevation myocardial infarction (NSTEMI)": the bracket after it is not negated)."""
    if not hits:
        return low
    inside: list[tuple[int, int]] = []
    if lex.exception_starts.search(low) is not None:
        cues = lex.exception_re.finditer(low)
        inside += [m.span() for m in cues if _within_name(hits, starts, *m.span(), strict=True)]
    if lex.name_prefix_re is not None:
        inside += [m.span() for m in lex.name_prefix_re.finditer(low) if _within_name(hits, starts, *m.span())]
    blanked = low
    for start, end in inside:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    return blanked


def _within_name(hits: list[TermHit], starts: list[int], start: int, end: int, *, strict: bool = False) -> bool:
    """Does ``start:end`` lie in the hit that starts last before it: after its first character (``strict``), or
    from its start and before its end (a prefix)?"""
    index = bisect_left(starts, start + 1) - 1
    if index < 0:
        return False
    hit = hits[index]
    return hit.start < start and end <= hit.end if strict else hit.start <= start and end < hit.end
