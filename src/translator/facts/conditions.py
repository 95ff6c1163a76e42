"""Conditional alternatives: the circumstance in which a different limit applies.

Real criteria state them in three places, and all three must be read:

* in the limit's own bracket: "≤ 2.5 × ULN (≤ 5 × ULN if liver metastases)";
* after the limit: "≤ 5 × ULN is acceptable if liver metastases are present", "< 2.5 × ULN in patients
  without liver metastases";
* before it, in its clause: "if liver metastases are present, then ≤ 5 × ULN", "For patients with liver
  metastases, TBIL may be up to 3 times ULN".

A negative circumstance ("without", "in the absence of", "if no") is kept as "no ...", so "no liver
metastases" never equals "liver metastases". Weak cues ("when", "where") only count inside the bracket: after
a limit they usually say when it is measured, not when it applies.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from translator.facts.context import Context

_STOP = re.compile(
    r"[,;.:()\[\]\n]|(?<![a-z])(?:or|then|and|is|are|may|must|should)(?![a-z])|(?<![a-z0-9])[0-9]|[≤≥<>=]"
)
"""Where a condition's phrase ends; a digit inside a name ("if the DAS28 is") does not end it."""
_WORD = re.compile(r"[a-z0-9'][a-z0-9'-]*")
_DROPPED_WORDS = frozenset({"the", "a", "an", "x", "uln", "times", "demonstrable", "known", "documented", "any"})
_FUNCTION_ENDS = frozenset({"of", "with", "who", "have", "case", "is", "are"})
RIGHT_REACH = 80
MAX_WORDS = 6


@dataclass(frozen=True)
class Condition:
    text: str
    start: int
    end: int
    """Offsets in the lower-cased normalised text of the unit."""


def condition_for(ctx: Context, start: int, end: int, window_start: int, next_value: int) -> Condition | None:
    """The condition of the limit at ``start:end``; ``next_value`` bounds the look to the right."""
    bracket = ctx.enclosing_bracket(start)
    if bracket is not None:
        return _in_bracket(ctx, _clause_of(ctx, bracket, start, end), start)
    limit = min(ctx.clause_end(end), next_value, end + RIGHT_REACH)
    return _after(ctx, end, limit, next_value) or _before(ctx, window_start, start)


def _clause_of(ctx: Context, bracket: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The part of a bracket a limit's condition is looked for in: its own clause when the bracket holds several
    ("Adequate liver function (bilirubin < 2 × ULN; transaminases < 3 times [< 5 times if ...] UNL)")."""
    return max(bracket[0], ctx.clause_start(start) - 1), min(bracket[1], ctx.clause_end(end))


def _in_bracket(ctx: Context, bracket: tuple[int, int], position: int) -> Condition | None:
    low = ctx.low
    cues = [m for m in _cues(ctx, bracket[0] + 1, bracket[1], weak=True) if not _nested_apart(ctx, m.start(), position)]
    match = cues[0] if cues else None
    if match is None:
        return _excepted(ctx, bracket, position)
    after = _phrase(ctx, match, bracket[1])
    if after is not None:
        return after
    before_start = bracket[0] + 1
    words = [w for w in _WORD.findall(low[before_start : match.start()]) if w not in _DROPPED_WORDS]
    words = [w for w in words if not any(ch.isdigit() for ch in w)]
    if not words:
        return None
    return Condition(" ".join(words[:MAX_WORDS]), before_start, match.start())


def _nested_apart(ctx: Context, cue: int, position: int) -> bool:
    """A cue in a bracket nested in the limit's bracket that does not hold the limit: "< 3 times [< 5 times for
    patients with liver metastasis] UNL" gives the 3 no condition."""
    inner = ctx.enclosing_bracket(cue)
    return inner is not None and not inner[0] < position < inner[1]


def _excepted(ctx: Context, bracket: tuple[int, int], position: int) -> Condition | None:
    """ "(except Gilbert's syndrome, total bilirubin ≤ 3.0 × ULN)": an exception named before a limit in its bracket
    is the condition under which that limit applies."""
    match = ctx.lex.exception_re.search(ctx.low, bracket[0] + 1, position)
    if match is None or "," not in ctx.low[match.end() : position]:
        return None
    phrase_end = ctx.low.index(",", match.end())
    words = [w for w in _WORD.findall(ctx.low[match.end() : phrase_end]) if w not in _DROPPED_WORDS]
    if not words or len(words) > MAX_WORDS:
        return None
    return Condition(" ".join(words), match.start(), phrase_end)


def _after(ctx: Context, end: int, limit: int, next_value: int) -> Condition | None:
    """A cue after the limit; one whose phrase ends at a comma before another limit of the clause that has no
    condition after it opens that limit ("≤ 2.5 × ULN, if liver metastasis occurred, ALT and AST ≤ 5 × ULN")."""
    match = _any_cue(ctx, end, limit, weak=False)
    if match is None:
        return _group_after(ctx, end, limit)
    found = _phrase(ctx, match, limit)
    clause_end = ctx.clause_end(end)
    opens_next = found is not None and ctx.low[found.end : found.end + 1] == "," and next_value < clause_end
    if opens_next and _any_cue(ctx, next_value, min(clause_end, next_value + RIGHT_REACH), weak=False) is None:
        return None
    return found


_GROUP_AFTER = re.compile(
    r"[ \t]*(?:for|in)[ \t]+(?:the[ \t]+)?(?P<group>[a-z][a-z'-]*(?:[ \t]+[a-z][a-z'-]*){0,2})[ \t]+"
    r"(?:patients|subjects|participants|people|persons|individuals|cases)(?![a-z])"
)
"""A group named right after a limit, "≥ 6.5% for diabetic patients": the limit applies to that group."""


def _group_after(ctx: Context, end: int, limit: int) -> Condition | None:
    match = _GROUP_AFTER.match(ctx.low, end, limit)
    if match is None:
        return None
    words = [w for w in _WORD.findall(match.group("group")) if w not in _DROPPED_WORDS]
    if not words or words[-1] in ("all", "other", "such"):
        return None
    return Condition(" ".join(words), match.start("group"), match.end())


def _before(ctx: Context, window_start: int, start: int) -> Condition | None:
    """ "if X, then ≤ 5 × ULN": a cue after the last clause start and a comma between its phrase and the limit."""
    region_start = max(window_start, ctx.clause_start(start))
    match = None
    for candidate in _cues(ctx, region_start, start, weak=False):
        match = candidate
    if match is None or "," in ctx.low[match.end() : start]:
        return _phrase(ctx, match, start) if match is not None else None
    return _colon_lead(ctx, region_start, start)


def _colon_lead(ctx: Context, region_start: int, start: int) -> Condition | None:
    """ "If your muscles are affected: your MMT-8 score is under 142": words that open with a condition and end
    in a colon state the circumstance of the limits after it."""
    index = bisect_right(ctx.colons, start - 1) - 1
    if index < 0 or ctx.colons[index] < region_start:
        return None
    colon = ctx.colons[index]
    lead_start = max(region_start, ctx.colons[index - 1] + 1 if index else 0)
    cue = _any_cue(ctx, lead_start, colon, weak=False)
    if cue is None or ctx.low[lead_start : cue.start()].strip(" \t\n*-•"):
        return None
    return _phrase(ctx, cue, colon)


def _any_cue(ctx: Context, start: int, end: int, *, weak: bool) -> re.Match[str] | None:
    return next(iter(_cues(ctx, start, end, weak=weak)), None)


def _cues(ctx: Context, start: int, end: int, *, weak: bool) -> list[re.Match[str]]:
    lex = ctx.lex
    found = [
        m for m in lex.condition_re.finditer(ctx.low, start, end) if weak or m.group("cue") not in lex.weak_conditions
    ]
    found += list(lex.negative_condition_re.finditer(ctx.low, start, end))
    return sorted(found, key=lambda m: m.start())


def _phrase(ctx: Context, cue: re.Match[str], limit: int) -> Condition | None:
    low = ctx.low
    stop = _STOP.search(low, cue.end(), limit)
    phrase_end = stop.start() if stop else limit
    words = [w for w in _WORD.findall(low[cue.end() : phrase_end]) if w not in _DROPPED_WORDS]
    if not words and " " in cue.group("cue").strip():
        words = cue.group("cue").split()[-1:]  # "for males"
    if not words or words[0] in _FUNCTION_ENDS:
        return None
    negative = cue.re is ctx.lex.negative_condition_re
    text = " ".join((["no"] if negative else []) + words[:MAX_WORDS])
    return Condition(text, cue.start(), phrase_end)
