"""Time windows: a time amount after an event ("stem cell transplant within 12 weeks of enrolment": the event,
the relation, the amount and the point it is counted from). Counts, the other reading of a value that is not a
limit on a measure, are read by ``counts``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from translator.facts.coordination import elided
from translator.facts.patterns import ASIDE, WITHIN_REV, WORD
from translator.facts.types import Interval, TimeRelation, TimeWindow
from translator.facts.value_context import ValueExpr

if TYPE_CHECKING:
    from translator.facts.extract import Reader
    from translator.facts.glossary import TermHit

_LASTED_REV = re.compile(r"[ \t]*(?:devivrus|detsal|gnitsal|stsal)(?![a-z])")
"""Reversed "survived", "lasted", "lasting", "lasts": "survived 5 year of disease-free" is a duration."""
_TO_LAST_REV = re.compile(r"[ \t]*tsal[ \t]+(?:ot|lliw|dluohs|tsum|nac)(?![a-z])")
"""Reversed "to last", "will last" right before an amount: "surgery scheduled to last at least 2 hours" lasts."""
_BEFORE_AMOUNT_REV = re.compile(r"[ \t]*(?:erofeb|ot[ \t]+roirp)(?![a-z])")
"""Reversed "before", "prior to" right before an amount."""
LEADING_WINDOW_REACH = 160
"""How far after a leading window its clause may name what it times (asides included)."""
_LEAD_COMMA = re.compile(r"[ \t]*,")
_LEAD_SUBJECT = re.compile(r"[ \t]+(?=(?:you|they|he|she|patients?|participants?)[ \t])")
"""A window that opens its sentence may run on into the clause it times with no comma: "In the 1 year before
screening you had unstable angina, ..."."""
_SET_OFF_BEFORE = re.compile(
    r"(?:^|[,;:][ \t]*)(?:within|in|during)(?:[ \t]+the)?(?:[ \t]+(?:past|last|previous))?[ \t]*$"
)
"""A window set off by commas before its clause ("if, within 6 months before enrollment, you had ...") times what
the clause then names."""
_FOR_REV = re.compile(r"[ \t]*(?:(?:tsael[ \t]+ta|[≥≤<>])[ \t]*)?rof(?![a-z])")
_REFERENCE_AFTER = re.compile(
    r"[ \t]*(?:\)[ \t]*)?(?:(?:(?:must|should|will|shall)[ \t]+)?(?:(?:have|has)[ \t]+)?(?:be[ \t]+)?"
    r"(?:elapsed|passed|gone[ \t]+by)[ \t]+)?"
    r"(?P<rel>prior[ \t]+to|before|preceding|ago|since|after|following|from|of|until|post|pre|to)(?![a-z])"
    r"[ \t]*(?:the[ \t]+|a[ \t]+|your[ \t]+)?"
)
_EVENT_JOINER = re.compile(r"^[\s,]*(?:and/or|and|or|&|/)?[\s,]*(?:(?:other|a|an|the|any)[ \t]+)*$")
_SEPARATED = re.compile(r"\s*(?:,|/|&|(?:and/or|and|or)(?![a-z]))")
_JOINING_WORDS = frozenset({"and", "or", "other", "a", "an", "the", "any"})
_SINCE = frozenset({"since", "after", "following", "from"})
_DURING_BEFORE = re.compile(r"(?<![a-z])(?:during|throughout)[ \t]+(?:the[ \t]+|your[ \t]+)?$")
"""A named thing right after "during" is the period a rule lasts, not what it times: "use contraception during
study treatment and for 90 days after the last dose"."""
_PURPOSE_BEFORE = re.compile(
    r"(?<![a-z])(?:to|for)[ \t]+(?:manage|treat|control|prevent|the[ \t]+treatment[ \t]+of|treatment[ \t]+of)"
    r"[ \t]+(?:the[ \t]+|their[ \t]+|his[ \t]+|her[ \t]+|your[ \t]+)?$"
)
"""A named thing after "to manage" is what an event was for, not the event: "used a glucose monitor to manage their
diabetes within the last 6 months" times the monitor."""
_LATER_RELATION = re.compile(
    r"(?<![a-z])(?P<rel>prior[ \t]+to|before|preceding|after|following)(?![a-z])[ \t]*(?:the[ \t]+|a[ \t]+|your[ \t]+)?"
)
_SKIPPABLE_TO_RELATION = frozenset(
    {"or", "and", "of", "the", "a", "its", "drug", "drugs", "compound", "agent", "agents", "medication", "product"}
    | {"whichever", "is", "shorter", "longer", "greater", "drug-elimination", "elimination", "half-lives", "half-life"}
    | {"half", "lives", "life", "days", "weeks", "months", "years", "hours"}
)
"""Words between a window and its reference point that another amount of the same window may hold: "within 4
weeks or 5 half-lives of the drug (whichever is shorter) prior to Cycle 1, Day 1"."""
_EVENT_KINDS = frozenset({"procedure", "drug", "condition", "event"})
_OF_STUDY_TREATMENT = re.compile(
    r"[ \t]+(?:of|with)[ \t]+(?:the[ \t]+|your[ \t]+)?(?:(?:study|trial|investigational|protocol)[ \t]+)?"
    r"(?:drugs?|treatments?|medications?|medicines?|therapy|therapies|products?|interventions?|vaccines?)(?![a-z])"
)
"""What a reference point belongs to: "day 1 of study treatment", "the first dose of the study drug"."""
_EXAMPLES = re.compile(
    r"[ \t,-]*(?:[a-z-]+[ \t]+){0,2}?(?:including|such[ \t]+as|e\.g\.?|for[ \t]+example|like)[ \t,:]*"
    r"(?:(?:a|an|the)[ \t]+)?"
)
"""Between a head and its examples: "anticancer therapy including", "tobacco-containing including"."""
_LIST_SEPARATOR = re.compile(
    r"[ \t]*(?:,|;|(?<![a-z])and/or(?![a-z])|(?<![a-z])(?:or|and)(?![a-z])(?![ \t]+other))[ \t]*"
)
"""List separators; "cardiac or other vascular stenting" is one element."""
_LIST_END = re.compile(r"(?:,|(?<![a-z])(?:and/or|or|and))[ \t]*$")
_OF_TREATMENT = re.compile(r"[ \t]*of[ \t]+(?P<what>)(?:(?:high|low|full|standard|stable)[ \t-]+dose[ \t]+|the[ \t]+)?")
_REFERENCE_TEXT = re.compile(r"[^,;:.()\[\]\n]{1,60}")
_SUBJECT_PRONOUNS = frozenset({"you", "they", "he", "she", "we", "i", "it"})
DETERMINERS = frozenset({"the", "a", "an", "these", "those", "this", "that", "your", "their", "his", "her", "its"})


def read_window(reader: Reader, expr: ValueExpr, window_start: int) -> None:
    unit = expr.unit
    assert unit is not None
    rev = reader.low[max(0, expr.start - 40) : expr.start][::-1]
    after = _REFERENCE_AFTER.match(reader.low, expr.end)
    relation = _relation(reader, expr, rev, after.group("rel") if after else None)
    interval = expr.interval
    if not expr.has_comparator and relation == "within":
        interval = Interval(None, True, interval.high, True)
    elif relation == "within" and interval.low is not None and interval.high is None and WITHIN_REV.match(rev):
        # "within a minimum of 30 days or 5 half-lives, whichever is longer": the look-back is at least 30 days,
        # so whatever happened in the last 30 days counts, as "in the last 30 days" says
        interval = Interval(None, True, interval.low, True)
    days = interval.scaled(unit.factor) if unit.dimension == "time" else None
    polarity, negated, exception = reader.value_polarity(expr.start, window_start)
    excepted_from = reader.ctx.names_excepted(expr.start) if exception else None
    if excepted_from is not None:
        polarity, negated, _ = reader.polarity_at(expr.start, window_start)  # the rule's window, not the name's
        exception = False
    if negated and relation in ("for", "after"):
        # A duration is how long a rule lasts, whatever the rule says: "not to donate sperm ... until 2 months
        # after the last dose" is a requirement lasting 2 months, not an excluded window.
        # An exception still turns it into what allows joining ("unless free of the disease for >= 5 years").
        polarity, negated = ("include" if exception else reader.unit.polarity), False
    events = _events(reader, expr, window_start, excepted_from)
    reference, known_point = _reference_point(reader, _reference_start(reader, expr, after))
    if relation != "within" and (phase := _phase_of(reader, expr)) is not None:
        events, relation, reference = [phase], "for", None  # "the 6 week observation period", "28-day cycles"
    elif (taken := _taken_for(reader, expr, rev)) is not None:
        events, relation, reference = [taken], "for", None  # "despite ≥ 3M of high dose glucocorticoids"
    elif relation == "at_least" and after is not None and after.group("rel") == "of" and not known_point:
        # "at least 3 months of treatment with metformin" lasts 3 months; "within 28 days of randomization" is
        # counted from a point, and so would be "at least 14 days of the first dose"
        lasting = f"raw:{reference}" if reference else None
        relation, reference = "for", None
        if all(e.startswith("raw:") for e in events):
            events = _named_events(reader, after.end()) or ([lasting] if lasting and events == ["raw:"] else events)
    if events == ["raw:"] and after is not None and after.group("rel") in _SINCE:
        named = _named_events(reader, after.end())  # "At least 4 weeks since last surgery or radiation therapy"
        if named:
            events, reference = named, None
    elif len(events) == 1 and events[0].startswith("raw:") and (lead := _leading_window(reader, expr)) is not None:
        # "if, within 6 months before enrollment, you had a TIA": the clause after the window names what it times
        named = _named_events(reader, lead, LEADING_WINDOW_REACH)
        if named:
            events = named
            # "In the 8 weeks before consent, you must not have had a stroke": the clause's side is the window's
            first = reader.hits_between(lead, lead + LEADING_WINDOW_REACH)[0].start
            polarity, negated, exception = reader.value_polarity(first, lead)
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


def _leading_window(reader: Reader, expr: ValueExpr) -> int | None:
    """Where the clause goes on after a window set off by commas before what it times (", within 6 months before
    enrollment, you had ..."), if it is one."""
    before = _SET_OFF_BEFORE.search(reader.low, max(0, expr.start - 40), expr.start)
    if before is None:
        return None
    end = max(reader.context_end, expr.end)
    after = _LEAD_COMMA.match(reader.low, end)
    if after is None and before.start() == 0:
        after = _LEAD_SUBJECT.match(reader.low, end)
    return after.end() if after is not None else None


def _named_events(reader: Reader, position: int, reach: int = 80) -> list[str]:
    end = min(reader.ctx.clause_end(position), position + reach)
    hits = [h for h in reader.hits_between(position, end) if h.term.kind in _EVENT_KINDS]
    return list(dict.fromkeys(h.term.id for h in hits))


def _reference_start(reader: Reader, expr: ValueExpr, after: re.Match[str] | None) -> tuple[int, int] | None:
    """(end of the relation word, start of the reference phrase). "N half-lives of the drug" names the drug, and a
    second amount of the same window may stand before the relation ("within 4 weeks or 5 half-lives of the drug
    (whichever is shorter) prior to Cycle 1, Day 1"): the reference point is after both."""
    unit = expr.unit
    if after is not None and not (after.group("rel") == "of" and unit is not None and unit.dimension == "half_life"):
        return after.end("rel"), after.end()
    end = min(reader.ctx.sentence_end(expr.end), expr.end + 100)
    later = _LATER_RELATION.search(reader.low, expr.end, end)
    if later is None:
        return None
    gap = WORD.findall(ASIDE.sub(" ", reader.low[expr.end : later.start()]))
    if any(w not in _SKIPPABLE_TO_RELATION and w not in reader.lex.number_words for w in gap):
        return None
    return later.end("rel"), later.end()


def _relation(reader: Reader, expr: ValueExpr, rev: str, after: str | None) -> TimeRelation:
    """within (at most N before), at_least (N or more before/after), for (a duration), after."""
    if reader.low.startswith(reader.lex.cues.length_comparators, expr.start):
        return "for"  # "longer than the prior 6 months": how long, not how long ago
    if _TO_LAST_REV.match(rev):
        return "for"
    if within := reader.lex.within_rev.match(rev):
        return "for" if _FOR_REV.match(rev, within.end()) else "within"  # "for the past 12 months" lasts
    if _FOR_REV.match(rev) or _LASTED_REV.match(rev):
        return "for"
    if _BEFORE_AMOUNT_REV.match(rev) and expr.interval.low == expr.interval.high:
        return "within"  # "test pregnancy ... enroll the study before 7 days": the look-back of "before 7 days of"
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


def _events(reader: Reader, expr: ValueExpr, window_start: int, excepted_from: int | None = None) -> list[str]:
    """What the amount times: the named things before it, a coordinated list giving one each ("myocardial
    infarction, unstable angina, or surgery within 12 months"); failing that, the nearest in the clause, even
    before an earlier value ("Weight loss > 10% in previous 6 months"); failing that, the words before it. A name
    the rule excepts (from ``excepted_from``: "malignant tumors except NSCLC within 5 years") times nothing."""
    named = _named_by_place(reader, expr)
    if named:
        return named
    asides: list[TermHit] = []
    end = expr.start if excepted_from is None else excepted_from
    clause_start = reader.ctx.clause_start(expr.start)
    for start in (window_start, clause_start):
        hits = _event_hits(reader, start, end)
        outside = [h for h in hits if not _aside(reader, h, expr.start)]
        asides = asides or hits
        if outside:
            events = _chain(reader, outside)
            listed_from = max(clause_start, reader.previous_end)
            if start == window_start and window_start > listed_from:
                # a list read back from a name near the amount may run on past the reach it was looked for in
                longer = _chain(
                    reader, [h for h in _event_hits(reader, listed_from, end) if not _aside(reader, h, expr.start)]
                )
                if len(longer) > len(events) and longer[-len(events) :] == events:
                    return longer
            return events
    if asides:
        return _chain(reader, asides)  # only examples name it: "(e.g. interferon) within 4 weeks"
    stop = reader.lex.event_stop_words
    words = [w for w in WORD.findall(reader.low[window_start : expr.start]) if w not in stop][-4:]
    return ["raw:" + " ".join(words) if words else "raw:"]


def _event_hits(reader: Reader, start: int, end: int) -> list[TermHit]:
    """The hits in [start, end) that may name what a window times."""
    hits = [h for h in reader.hits_between(start, end) if h.term.kind != "reference_point"]
    return [h for h in hits if not _period_or_purpose(reader, h) and not _describes_kind(reader, h)] or hits


def _describes_kind(reader: Reader, hit: TermHit) -> bool:
    """ "investigational drug of chemical or biologic nature within 30 days": the biologic says what kind of drug,
    the drug is what the window times."""
    return reader.lex.kind_after.match(reader.low, hit.end) is not None


def _chain(reader: Reader, hits: list[TermHit]) -> list[str]:
    """The last named event and those listed with it, unknown list elements included ("myocardial infarction,
    unstable angina, cardiac or other vascular stenting, angioplasty, or surgery"); a list of examples stands for
    the head it illustrates ("an anticancer therapy including chemotherapy, immunotherapy ...")."""
    hits = [h for h in hits if h.term.kind in _EVENT_KINDS] or hits  # "radiotherapy for lesions in lung"
    chain: list[TermHit | str] = [hits[-1]]
    first = _with_conjuncts(reader, hits[-1], chain)
    for hit in reversed(hits[:-1]):
        gap = ASIDE.sub(" ", reader.low[hit.end : first])
        if not _EVENT_JOINER.match(gap) and not _joins_qualified(reader, gap):
            unknown = _unknown_elements(reader, gap)
            if unknown is None:
                break
            chain.extend(reversed(unknown))
        chain.append(hit)
        first = _with_conjuncts(reader, hit, chain)
    head = next((h for h in reversed(hits) if h.end <= first), None)
    if head is not None and _EXAMPLES.fullmatch(reader.low[head.end : first]):
        return [head.term.id]
    return list(dict.fromkeys(e if isinstance(e, str) else e.term.id for e in reversed(chain)))


def _with_conjuncts(reader: Reader, hit: TermHit, chain: list[TermHit | str]) -> int:
    """Adds to ``chain`` (built backwards) the conjuncts before ``hit`` that share its head ("drug or alcohol abuse
    within 12 months" times drug abuse too); returns where the element and its conjuncts start."""
    start = hit.start
    for conjunct_start, _, concept in elided(reader, hit):
        chain.append(concept)
        start = conjunct_start
    return start


def _joins_qualified(reader: Reader, gap: str) -> bool:
    """A list separator before a generic qualifier of the next element ("myocardial infarction, severe
    arrhythmia"): the qualifier is no element of its own."""
    if not _SEPARATED.match(gap):
        return False
    words = WORD.findall(gap)
    others = [w for w in words if w not in reader.lex.element_qualifiers]
    return len(others) < len(words) and all(w in _JOINING_WORDS for w in others)


def _unknown_elements(reader: Reader, gap: str) -> list[str] | None:
    """The names in a gap between two listed events, if it is only list elements the glossary does not know."""
    parts = [p.strip() for p in _LIST_SEPARATOR.split(gap) if p.strip()]
    if not parts or not _LIST_SEPARATOR.match(gap.lstrip(" \t")) or not _LIST_END.search(gap):
        return None
    names: list[str] = []
    for part in parts:
        words = WORD.findall(part)
        if not words or len(words) > 6 or any(ch.isdigit() for ch in part) or words[0] in reader.lex.generic_words:
            return None
        names.append("raw:" + " ".join(words))
    return names


def _phase_of(reader: Reader, expr: ValueExpr) -> str | None:
    """ "unable to complete the 6 week Observation period", "Day 1 of each 28-day treatment cycle": an amount
    written as the adjective of a phase noun gives that phase's length; the phase is the event, as written. (Not
    after "within": "discontinuation of clopidogrel within the 12 month follow up period" times the discontinuation.)"""
    found = reader.lex.phase_after.match(reader.low, expr.end)
    return None if found is None else "raw:" + " ".join(found.group("phase").split())


def _taken_for(reader: Reader, expr: ValueExpr, rev: str) -> str | None:
    """ "≥ 3 months of high dose glucocorticoids", "12 weeks of chemotherapy": an amount of a treatment is how long
    it was taken. Not after a look-back ("within 6 months of surgery" counts from the surgery)."""
    if reader.lex.within_rev.match(rev):
        return None
    of = _OF_TREATMENT.match(reader.low, expr.end)
    if of is None:
        return None
    hits = reader.hits_between(of.start("what"), of.end() + 40)
    if hits and hits[0].start <= of.end() and hits[0].term.kind in ("drug", "procedure"):
        return hits[0].term.id
    return None


def _named_by_place(reader: Reader, expr: ValueExpr) -> list[str]:
    """Events named where the amount says: right after its bracket ("recent (less than 3 months) cerebral trauma"),
    or as the counted thing just before it ("at least 2 of the following treatments for at least 3 months each")."""
    bracket = reader.ctx.enclosing_bracket(expr.start)
    if bracket is not None and bracket[1] < len(reader.low):
        after = reader.hits_between(bracket[1] + 1, bracket[1] + 80)
        if after and not reader.low[bracket[1] + 1 : after[0].start].strip() and after[0].term.kind in _EVENT_KINDS:
            return [after[0].term.id]
    if not reader.counts:
        return []
    index = bisect_left(reader.value_spans, (expr.start, expr.start)) - 1  # the value before this one
    if index < 0 or reader.span(*reader.value_spans[index]) != reader.counts[-1].span:
        return []
    gap = reader.value_spans[index][1]
    if reader.ctx.clause_start(expr.start) > gap or any(
        h.term.kind in _EVENT_KINDS for h in reader.hits_between(gap, expr.start)
    ):
        return []
    if reader.counts[-1].what == "following" and (listed := _listed_after_colon(reader, expr)):
        return listed  # "a stable dose of one of the following for at least 3 months: metformin ..."
    return ["raw:" + reader.counts[-1].what]


def _listed_after_colon(reader: Reader, expr: ValueExpr) -> list[str]:
    """The named events of the list a colon opens after the amount, in its sentence."""
    colon = reader.low.find(":", expr.end, reader.ctx.sentence_end(expr.end))
    return [] if colon < 0 else _named_events(reader, colon + 1)


def _period_or_purpose(reader: Reader, hit: TermHit) -> bool:
    before = reader.low[max(0, hit.start - 40) : hit.start]
    return _DURING_BEFORE.search(before) is not None or _PURPOSE_BEFORE.search(before) is not None


def _aside(reader: Reader, hit: TermHit, before: int) -> bool:
    """A name that ends inside a bracket closed before the amount ("(e.g. interferon [IFN]-α or IL-2)");
    "intravenous (IV) antibiotic" only starts in one."""
    bracket = reader.ctx.enclosing_bracket(hit.end - 1)
    return bracket is not None and bracket[1] < before


def _reference_point(reader: Reader, at: tuple[int, int] | None) -> tuple[str | None, bool]:
    """The reference point named after the relation word (a glossary name may start with its article: "the
    screening visit", "your first dose"), else the phrase there; and whether it is a glossary reference point."""
    if at is None:
        return None, False
    relation_end, position = at
    end = min(reader.ctx.clause_end(position), position + 60)
    for hit in reader.hits_between(relation_end, end + 40):
        if hit.start < end and hit.term.kind == "reference_point":
            of_what = _OF_STUDY_TREATMENT.match(reader.low, hit.end)
            reader.context_end = of_what.end() if of_what else hit.end
            reader.reference_spans.append((hit.start, reader.context_end))
            return hit.term.id, True
    phrase = _REFERENCE_TEXT.match(reader.low, position)
    words = _reference_words(phrase.group(), reader.lex.reference_stop_words) if phrase else []
    if phrase:
        reader.context_end = phrase.end()
    return (" ".join(words) if words else None), False


def _reference_words(phrase: str, stops: frozenset[str]) -> list[str]:
    """The first four words of a reference point's phrase, up to a word after the first that ends it ("dosing or
    longer if"); a leading one does not ("before or after surgery"). A clause is no point: "since you were last
    in a clinical trial" names its point in words no phrase can match."""
    words: list[str] = []
    found = WORD.findall(phrase)
    if found and found[0] in _SUBJECT_PRONOUNS:
        return []
    for word in found:
        if word in stops and words:
            break
        if word not in DETERMINERS and word not in stops:
            words.append(word)
    return words[:4]
