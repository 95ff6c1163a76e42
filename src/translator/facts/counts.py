"""Counts: how many things a criterion asks for or allows, the other reading of a value that is not a limit.

"at least 2 of the following treatments", "two effective contraception methods", a count written as a comparison
with the counted noun before the value ("prior lines of therapy >= 2"), and frequencies ("on at least 4 days per
week"). Positions in a list ("the last two") are no counts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from translator.facts.patterns import WORD
from translator.facts.types import Count, Interval
from translator.facts.value_context import ValueExpr
from translator.facts.windows import DETERMINERS

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_COUNT_LEAD = re.compile(r"[ \t]*(?:\((?:[^)]{0,3})\)[ \t]*)?(?:of[ \t]+(?:the[ \t]+|these[ \t]+|those[ \t]+)?)?")
_POSITION_BEFORE = re.compile(r"(?<![a-z])(?:last|first|next|other|remaining|previous)[ \t]+$")
_OF_A_SET = re.compile(
    r"[ \t]*(?:\([^)]{0,3}\)[ \t]*)?of[ \t]+(?:the[ \t]+following|these|those|them|the[ \t]+above|"
    r"the[ \t]+criteria|the[ \t]+conditions|the[ \t]+items|"
    r"the[ \t]+(?:study[ \t]+)?(?:groups|cohorts|arms|categories|options))(?![a-z])"
)
_COUNTED_BEFORE = re.compile(
    r"(?<![a-z])(?:number[ \t]+of[ \t]+)?"
    r"(?P<what>(?:prior[ \t]+|previous[ \t]+)?(?:lines|regimens|cycles|courses))(?![a-z])"
)
_SAMPLE_SIZE_BEFORE = re.compile(r"(?<![a-z])sample[ \t]+size(?:[ \t]+(?:of|is|was|will[ \t]+be))?[ \t:=]*$")
_SAMPLE_SIZE = "participants"
"""What a "sample size 30" counts: the people a study enrols."""
_LIST_SIZE_BEFORE = re.compile(r"(?<![a-z])(?:the[ \t]+)?following[ \t]+$")
_COUNT_TEXT = re.compile(r"[a-z][a-z0-9' -]{0,60}")
_PER_PERIOD = re.compile(r"[ \t]+(?:per|a|an|each|every)[ \t]+(?P<period>day|week|month|year)(?![a-z])")
_NOT_COUNTED = frozenset(
    {"or", "and", "to", "times", "x", "than", "of", "in", "per", "mg", "ml", "is", "are", "was", "were", "be", "if"}
    | {"on", "at", "for", "with", "by", "from", "during", "within", "after", "before", "as", "using"}
    | {"when", "while", "because", "so", "that", "who", "which", "where", "you", "it", "they", "we", "he", "she"}
)


def read_sample_size(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "sample size 30", "a sample size of 120": the number of people the study enrols, not an age or a limit."""
    if expr.unit is not None or not _SAMPLE_SIZE_BEFORE.search(
        reader.low, max(window_start, expr.start - 20), expr.start
    ):
        return False
    _add_count(reader, expr, window_start, _SAMPLE_SIZE, expr.interval, expr.start, polarity_of=None)
    return True


def read_count_before(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "Prior lines of systemic anti-tumor therapy ≥ 2", "number of prior regimens > 3": a count written as a
    comparison, the counted noun before the value."""
    matches = list(_COUNTED_BEFORE.finditer(reader.low, window_start, expr.start))
    if not matches:
        return False
    found = matches[-1]
    what = " ".join(found.group("what").split())
    _add_count(reader, expr, window_start, what, expr.interval, found.start(), polarity_of=None)
    return True


def read_count(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "at least 2 of the following treatments", "two effective contraception methods".

    Not counts: zero and fractions ("half of a drug"), a bare number in a bracketed aside ("(two liver
    enzymes)"), and "the last two" / "the first three" (positions in a list, not amounts)."""
    value = expr.number.value
    if value < 1 or value != int(value) or _POSITION_BEFORE.search(reader.low, max(0, expr.start - 16), expr.start):
        return False
    if _LIST_SIZE_BEFORE.search(reader.low, max(0, expr.start - 24), expr.start):
        return True  # "at least two of the following five core measurements": the size of the list, no rule
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
    tokens = list(WORD.finditer(reader.low, start, phrase.end())) if phrase else []
    words = [t.group() for t in tokens]
    stop = next((i for i, w in enumerate(words) if i and w in reader.lex.count_stop_words), len(words))
    if of_set is not None and words and words[0] in reader.lex.count_stop_words:
        stop = 0  # "one of the following for at least 3 months": the set has no name of its own
    if stop < len(words) and words[stop] == "of" and words[stop - 1] in reader.lex.count_classifiers:
        more = next((i for i in range(stop + 1, len(words)) if words[i] in reader.lex.count_stop_words), len(words))
        stop = min(more, stop + 4)  # "2 effective methods of contraception", "two kinds of birth control"
    post = reader.lex.post_comparator.match(reader.low, tokens[stop - 1].end()) if stop else None
    if post is not None and not expr.has_comparator:
        interval = Interval.from_op(reader.lex.op_of_post(post.group("cmp")), value)  # "five lesions or less"
    words = [w for w in words[:stop] if w not in DETERMINERS]  # stop words first: "2 prior lines that ..."
    in_aside = reader.ctx.enclosing_bracket(expr.start) is not None
    if not expr.has_comparator and post is None and in_aside and not reader.lex.people_nouns.intersection(words[:1]):
        return False  # "(two liver enzymes)" describes; "(30 people will take part)" states a number of people
    if of_set is None and (not words or words[0] in _NOT_COUNTED or words[:2] == ["prior", "to"]):
        return False
    if of_set is not None:
        words = ["following", *[w for w in words if w != "following"]]  # "2 of the following treatments"
    content = words[:4]
    _add_count(reader, expr, window_start, " ".join(content), interval, expr.start, polarity_of=interval)
    return True


def read_frequency(reader: Reader, expr: ValueExpr, window_start: int) -> bool:
    """ "on at least 4 days per week", "4 to 14 days a month": how often, a count of time units per period, not a
    window; read the same from either wording ("days per week")."""
    per = _PER_PERIOD.match(reader.low, expr.end)
    if per is None or expr.unit is None:
        return False
    what = f"{expr.unit.id} per {per.group('period')}"
    _add_count(reader, expr, window_start, what, expr.interval, expr.start, polarity_of=expr.interval)
    return True


def _add_count(
    reader: Reader,
    expr: ValueExpr,
    window_start: int,
    what: str,
    interval: Interval,
    stated_from: int,
    *,
    polarity_of: Interval | None,
) -> None:
    """Append a count of ``what``; its side is read at the value (``polarity_of``: the interval a limit's side
    may depend on, see ``Reader.value_polarity``)."""
    polarity, negated, exception = reader.value_polarity(expr.start, window_start, polarity_of)
    synonyms = reader.lex.numbers.counted_synonyms
    what = " ".join(synonyms.get(word, word) for word in what.split())
    reader.counts.append(
        Count(
            span=reader.span(expr.start, expr.end),
            origin=reader.unit.origin,
            polarity=polarity,
            negated=negated,
            exception=exception,
            what=what,
            interval=interval,
            stated=reader.norm.text[stated_from : expr.end],
        )
    )
