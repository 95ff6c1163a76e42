"""Time windows and counts: the two readings of a value that are not a limit on a measure.

A time amount after an event is a window ("stem cell transplant within 12 weeks of enrolment": the event, the
relation, the amount and the point it is counted from); a bare number before a noun is a count ("at least 2 of
the following treatments", "two effective contraception methods").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from translator.facts.types import Count, Interval, TimeRelation, TimeWindow
from translator.facts.values import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_WORD = re.compile(r"[a-z][a-z0-9'µ-]*")
_FOR_REV = re.compile(r"[ \t]*(?:(?:tsael[ \t]+ta|[≥≤<>])[ \t]*)?rof(?![a-z])")
_REFERENCE_AFTER = re.compile(
    r"[ \t]*(?:\)[ \t]*)?(?P<rel>prior[ \t]+to|before|preceding|ago|since|after|following|from|of|until|post|"
    r"pre|to)(?![a-z])[ \t]*(?:the[ \t]+|a[ \t]+|your[ \t]+)?"
)
_COUNT_LEAD = re.compile(r"[ \t]*(?:\((?:[^)]{0,3})\)[ \t]*)?(?:of[ \t]+(?:the[ \t]+|these[ \t]+|those[ \t]+)?)?")
_ASIDE = re.compile(r"\([^()]*\)")
_EVENT_JOINER = re.compile(r"^[\s,]*(?:and/or|and|or|&|/)?[\s,]*(?:other[ \t]+)?$")
_SINCE = frozenset({"since", "after", "following", "from"})
_EVENT_KINDS = frozenset({"procedure", "drug", "condition", "event"})
_POSITION_BEFORE = re.compile(r"(?<![a-z])(?:last|first|next|other|remaining|previous)[ \t]+$")
_OF_A_SET = re.compile(
    r"[ \t]*(?:\([^)]{0,3}\)[ \t]*)?of[ \t]+(?:the[ \t]+following|these|those|them|the[ \t]+above|"
    r"the[ \t]+criteria|the[ \t]+conditions|the[ \t]+items)(?![a-z])"
)
_REFERENCE_TEXT = re.compile(r"[^,;.()\[\]\n]{1,60}")
_COUNT_TEXT = re.compile(r"[a-z][a-z0-9' -]{0,60}")
_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "this", "that", "your", "their", "his", "her", "its"})
_NOT_COUNTED = frozenset(
    {"or", "and", "to", "times", "x", "than", "of", "in", "per", "mg", "ml", "is", "are", "was", "were", "be", "if"}
    | {"on", "at", "for", "with", "by", "from", "during", "within", "after", "before", "as", "using"}
    | {"when", "while", "because", "so", "that", "who", "which", "where", "you", "it", "they", "we", "he", "she"}
)


def read_window(reader: Reader, expr: ValueExpr, window_start: int) -> None:
    unit = expr.unit
    assert unit is not None
    rev = reader.low[max(0, expr.start - 40) : expr.start][::-1]
    after = _REFERENCE_AFTER.match(reader.low, expr.end)
    relation = _relation(reader, expr, rev, after.group("rel") if after else None)
    interval = expr.interval
    if not expr.has_comparator and relation == "within":
        interval = Interval(None, True, interval.high, True)
    days = interval.scaled(unit.factor) if unit.dimension == "time" else None
    polarity, negated, exception = reader.value_polarity(expr.start, window_start)
    if negated and relation in ("for", "after"):
        # A duration is how long a rule lasts, whatever the rule says: "not to donate sperm ... until 2 months
        # after the last dose" is a requirement lasting 2 months, not an excluded window.
        polarity, negated = reader.unit.polarity, False
    events = _events(reader, expr, window_start)
    reference = _reference_point(reader, after.end() if after else None)
    if events == ["raw:"] and after is not None and after.group("rel") in _SINCE:
        named = _named_events(reader, after.end())  # "At least 4 weeks since last surgery or radiation therapy"
        if named:
            events, reference = named, None
    for event in events:
        reader.windows.append(
            TimeWindow(
                span=reader.span(expr.start, expr.end),
                origin=reader.unit.origin,
                polarity=polarity,
                negated=negated,
                exception=exception,
                event=event,
                relation=relation,
                interval=interval,
                unit=unit.id,
                days=days,
                reference=reference,
                stated=reader.norm.text[expr.start : expr.end],
            )
        )


def _named_events(reader: Reader, position: int) -> list[str]:
    end = min(reader.ctx.clause_end(position), position + 80)
    hits = [h for h in reader.hits_between(position, end) if h.term.kind in _EVENT_KINDS]
    return list(dict.fromkeys(h.term.id for h in hits))


def _relation(reader: Reader, expr: ValueExpr, rev: str, after: str | None) -> TimeRelation:
    """within (at most N before), at_least (N or more before/after), for (a duration), after."""
    if reader.lex.within_rev.match(rev):
        return "within"
    if _FOR_REV.match(rev):
        return "for"
    interval = expr.interval
    lower_bound_only = interval.low is not None and interval.high is None
    if after in ("after", "following", "post", "from"):
        return "at_least" if lower_bound_only else "after"
    if lower_bound_only:
        return "at_least"
    if interval.low is None and interval.high is not None:
        return "within"
    if after in ("prior to", "before", "preceding", "ago", "pre", "since", "of"):
        return "within"
    return "for"


def _events(reader: Reader, expr: ValueExpr, window_start: int) -> list[str]:
    """What the amount times: the named things before it, a coordinated list giving one each ("myocardial
    infarction, unstable angina, or surgery within 12 months"); failing that, the nearest in the clause, even
    before an earlier value ("Weight loss > 10% in previous 6 months"); failing that, the words before it."""
    for start in (window_start, reader.ctx.clause_start(expr.start)):
        hits = [h for h in reader.hits_between(start, expr.start) if h.term.kind != "reference_point"]
        hits = [h for h in hits if not _aside(reader, h.start, expr.start)] or hits
        hits = [h for h in hits if h.term.kind in _EVENT_KINDS] or hits  # "radiotherapy for lesions in lung"
        if hits:
            chain = [hits[-1]]
            for hit in reversed(hits[:-1]):
                if not _EVENT_JOINER.match(_ASIDE.sub(" ", reader.low[hit.end : chain[-1].start])):
                    break
                chain.append(hit)
            return list(dict.fromkeys(h.term.id for h in reversed(chain)))
    stop = reader.lex.event_stop_words
    words = [w for w in _WORD.findall(reader.low[window_start : expr.start]) if w not in stop][-4:]
    return ["raw:" + " ".join(words) if words else "raw:"]


def _aside(reader: Reader, position: int, before: int) -> bool:
    bracket = reader.ctx.enclosing_bracket(position)
    return bracket is not None and bracket[1] < before


def _reference_point(reader: Reader, position: int | None) -> str | None:
    if position is None:
        return None
    end = min(reader.ctx.clause_end(position), position + 60)
    for hit in reader.hits_between(position, end + 40):
        if hit.start < end and hit.term.kind == "reference_point":
            reader.context_end = hit.end
            return hit.term.id
    phrase = _REFERENCE_TEXT.match(reader.low, position)
    words = [w for w in _WORD.findall(phrase.group()) if w not in _DETERMINERS][:3] if phrase else []
    if phrase:
        reader.context_end = phrase.end()
    return " ".join(words) if words else None


def read_count(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "at least 2 of the following treatments", "two effective contraception methods".

    Not counts: zero and fractions ("half of a drug"), a bare number in a bracketed aside ("(two liver
    enzymes)"), and "the last two" / "the first three" (positions in a list, not amounts)."""
    value = expr.number.value
    if value < 1 or value != int(value) or _POSITION_BEFORE.search(reader.low, max(0, expr.start - 16), expr.start):
        return False
    if not expr.has_comparator and reader.ctx.enclosing_bracket(expr.start) is not None:
        return False
    interval = expr.interval
    of_set = _OF_A_SET.match(reader.low, expr.end)
    if of_set is not None:
        start = of_set.end()  # "one of the following", "at least 2 of these"
        if not expr.has_comparator:
            interval = Interval(expr.number.value, True, None, True)  # "one of the following" is at least one
    else:
        lead = _COUNT_LEAD.match(reader.low, expr.end)
        start = lead.end() if lead else expr.end
    while start < len(reader.low) and reader.low[start] in " \t":
        start += 1
    phrase = _COUNT_TEXT.match(reader.low, start)
    words = [w for w in _WORD.findall(phrase.group()) if w not in _DETERMINERS] if phrase else []
    if of_set is None and (not words or words[0] in _NOT_COUNTED or words[:2] == ["prior", "to"]):
        return False
    stop = next((i for i, w in enumerate(words) if w in reader.lex.count_stop_words), len(words))
    words = words[:stop] or words[:1]
    if of_set is not None:
        words = ["following", *[w for w in words if w != "following"]]  # "2 of the following treatments"
    content = words[:4]
    polarity, negated, exception = reader.value_polarity(expr.start, window_start)
    reader.counts.append(
        Count(
            span=reader.span(expr.start, expr.end),
            origin=reader.unit.origin,
            polarity=polarity,
            negated=negated,
            exception=exception,
            what=" ".join(content),
            interval=interval,
            stated=reader.norm.text[expr.start : expr.end],
        )
    )
    return True
