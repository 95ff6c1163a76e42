"""The fidelity verifier: does a plain-English text keep every criterion of its source?

``verify(criteria_text, criteria, translation)`` extracts facts from both sides, aligns them (glossary
entity first, value and unit next, name similarity as a tie-break; an assignment per fact type), and
reports what was dropped, altered, flipped between inclusion and exclusion, or added. It works on any plain
text, ours or a third party's. It never edits; it only reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from translator.domain import Criterion
from translator.facts import Fact, Facts, extract_criteria_sides, extract_plain
from translator.facts.context import brackets_of
from translator.facts.plain import PlainDocument
from translator.facts.types import Count, TimeWindow
from translator.verify import policy
from translator.verify.additions import added_items, narrower_than_source
from translator.verify.align import MIN_SCORE, assign, count_score, threshold_score, window_score
from translator.verify.bounds import one_sided
from translator.verify.by_gist import Sentences, bare_criteria, named_criteria
from translator.verify.compare import Difference, compare_counts, compare_windows, same_meaning_key
from translator.verify.conditions import restated_conditions
from translator.verify.coverage import Labels, Vocabulary, cover_items, named_twice
from translator.verify.definitions import incomplete_sets
from translator.verify.leftovers import counts_people, leftover_key, plural_in_source
from translator.verify.messages import Messages
from translator.verify.numbers_kept import unkept_numbers
from translator.verify.statements import MIN_SHARE, gist
from translator.verify.two_ways import read_two_ways
from translator.verify.types import Finding, Verdict

__all__ = ["Finding", "Verdict", "counts_people", "verify"]


def verify(criteria_text: str, criteria: Sequence[Criterion], translation: str) -> Verdict:
    source, sides = extract_criteria_sides(criteria)
    document, plain = extract_plain(translation)
    intro = _preamble(document)
    labels = Labels(
        frozenset(s.index for s in document.sentences if s.text.rstrip().endswith(":")) | intro,
        frozenset(c.id for c in criteria if c.text.rstrip().endswith(":")),
        _name_headings(criteria),
    )
    say = Messages(criteria_text, criteria, translation)
    findings: list[Finding] = []
    asides = brackets_of(translation.lower())
    findings += _pairs(
        one_sided(source.thresholds),
        one_sided(plain.thresholds),
        threshold_score,
        restated_conditions(plain, document),
        "threshold",
        say,
        asides,
    )
    findings += _pairs(source.windows, plain.windows, window_score, compare_windows, "window", say, asides)
    near = _nearest_sentences(criteria, source, plain, document)
    findings += _pairs(
        source.counts, plain.counts, _near_first(count_score, near), compare_counts, "count", say, asides
    )
    findings = read_two_ways(findings, source, plain, criteria_text, translation, say)
    vocabulary = Vocabulary.of(translation)
    twice = named_twice(document, source, plain)
    findings += _items(source, plain, vocabulary, labels, criteria_text, translation, say, near, asides, twice)
    findings += incomplete_sets(source, plain, translation, say)
    stated = Sentences([s for s in document.sentences if s.index not in intro], sides)
    findings += bare_criteria(criteria, source, say, stated)
    reported = {f.criterion_id for f in findings if f.kind in ("dropped", "polarity") and f.criterion_id}
    findings += named_criteria(criteria, source, say, stated, reported)
    findings += unkept_numbers(criteria, source, say, stated.plain, translation, stated.ownership(criteria))
    findings = _distinct(_group_dropped(findings, criteria, source, say))
    order = {c.id: i for i, c in enumerate(criteria)}
    findings.sort(key=lambda f: (order.get(f.criterion_id or "", len(order)), (f.source_span or (0, 0))[0]))
    flagged = policy.flags([f.severity for f in findings])
    return Verdict("flag" if flagged else "pass", tuple(criteria), tuple(findings))


HEADING_WORDS = 4
"""The most words of a label that only names what its items are ("Concomitant medications:")."""


def _name_headings(criteria: Sequence[Criterion]) -> frozenset[str]:
    """Labels with items under them whose words only name them: ``Labels.headings``."""
    parents = {c.parent for c in criteria if c.parent}
    return frozenset(
        c.id
        for c in criteria
        if c.id in parents and c.text.rstrip().endswith(":") and len(c.text.split()) <= HEADING_WORDS
    )


def _pairs(sources, outputs, score, compare, kind: str, say: Messages, asides=()) -> list[Finding]:  # type: ignore[no-untyped-def]
    pairs, dropped, added = assign(sources, outputs, score)
    findings: list[Finding] = []
    kept: list[int] = []  # sources whose translation fact says what they say
    for i, j in pairs:
        differences = compare(sources[i], outputs[j])
        findings += [say.difference(sources[i], outputs[j], d) for d in differences]
        if not differences:
            kept.append(i)
    findings += [
        say.dropped(sources[i], leftover_key("dropped", kind, sources[i]))
        for i in _unrepeated(sources, dropped, pairs, 0)
    ]
    matched = [outputs[j] for _, j in pairs]
    for j in _unrepeated(outputs, added, pairs, 1):
        if _restated_in_aside(outputs[j], matched, asides) or _said_twice(outputs[j], matched):
            continue
        key = leftover_key("added", kind, outputs[j])
        if key == "added.count" and plural_in_source(outputs[j], say.criteria_text):
            key = "added.count_bare"
        changed = (
            _restated_changed(sources, outputs[j], kept, score, compare) if policy.severity(key) != "minor" else None
        )
        if changed is None:
            findings.append(say.added(outputs[j], key))
        else:
            findings += [say.difference(changed[0], outputs[j], d) for d in changed[1]]
    return findings


def _restated_changed(
    sources: Sequence[Fact],
    out: Fact,
    kept: list[int],
    score: Callable[[Any, Any], float],
    compare: Callable[[Any, Any], list[Difference]],
) -> tuple[Fact, list[Difference]] | None:
    """A leftover translation fact that states again, with the same shape (both lower bounds, both ranges ...),
    a source fact another translation fact already states unchanged (``kept``): "18 to 65" in the title, "18 to
    130" in the list. It is that source fact's changed repetition, reported against it (the source fact and the
    differences), rather than a limit from nowhere. An upper age where the source has only a lower one is an
    addition."""
    fits = [(score(sources[i], out), i) for i in kept if _shape(sources[i]) == _shape(out)]
    fit, best = max(fits, key=lambda pair: pair[0], default=(0.0, -1))  # the first best, on a tie
    if fit < MIN_SCORE:
        return None
    differences = compare(sources[best], out)
    return (sources[best], differences) if differences else None


NEAR_TIE = 0.1
"""Added to a pair's score when the translation's fact stands in the sentence nearest the source criterion:
less than any difference of meaning, so it only chooses between equal pairs ("two methods" for women and for
men, one of them changed to three: the changed one is the women's when it stands in their sentence)."""


def _near_first(score: Callable[[Count, Count], float], near: dict[str, int]) -> Callable[[Count, Count], float]:
    def scored(src: Count, out: Count) -> float:
        base = score(src, out)
        here = near.get(src.origin.criterion or "") == out.origin.sentence
        return base + NEAR_TIE if base and here else base

    return scored


def _said_twice(fact: Fact, matched: list[Fact]) -> bool:
    """ "in the 4 weeks before and the 4 weeks after conception": a window the sentence states twice, the same
    event and amount, once for each side of its reference point, is accounted for when one of them is."""
    if not isinstance(fact, TimeWindow):
        return False
    return any(
        isinstance(other, TimeWindow)
        and other.origin.sentence == fact.origin.sentence
        and (other.event, other.unit, _amounts(other)) == (fact.event, fact.unit, _amounts(fact))
        for other in matched
    )


def _amounts(window: TimeWindow) -> frozenset[float]:
    return frozenset(v for v in (window.interval.low, window.interval.high) if v is not None)


def _shape(fact: Fact) -> tuple[bool, bool] | None:
    interval = getattr(fact, "interval", None)
    return None if interval is None else (interval.low is None, interval.high is None)


def _restated_in_aside(fact: Fact, matched: list[Fact], asides: Sequence[tuple[int, int]]) -> bool:
    """ "18 to 65 years old (being exactly 18 or exactly 65 counts)": numbers in an aside that repeat the ends of
    a limit the same sentence states, and that limit is accounted for, add nothing."""
    interval = getattr(fact, "interval", None)
    if interval is None or not any(a <= fact.span.start < b for a, b in asides):
        return False
    ends = {v for v in (interval.low, interval.high) if v is not None}
    for other in matched:
        other_interval = getattr(other, "interval", None)
        if other.origin.sentence != fact.origin.sentence or other_interval is None:
            continue
        if ends <= {v for v in (other_interval.low, other_interval.high) if v is not None}:
            return True
    return False


def _unrepeated(facts: Sequence[Fact], left: list[int], pairs: list[tuple[int, int]], side: int) -> list[int]:
    """Leftovers that are not a repetition of a fact already accounted for: a limit stated twice in one source
    criterion ("TBIL ≤ 1.5 × ULN ... TBIL ≤ 1.5 × ULN") or anywhere in the translation (a title and a bullet) is
    one limit. Two criteria that each state it (women and men each need two methods of birth control) state two."""

    def key_of(fact: Fact) -> tuple[object, ...]:
        return (same_meaning_key(fact), fact.origin.criterion)

    seen = {key_of(facts[pair[side]]) for pair in pairs}
    shared = {_window_of_list(facts[pair[side]]) for pair in pairs}
    kept: list[int] = []
    for index in left:
        key = key_of(facts[index])
        if key not in seen and _window_of_list(facts[index]) not in shared - {None}:
            kept.append(index)
            seen.add(key)
    return kept


def _window_of_list(fact: Fact) -> tuple[object, ...] | None:
    """One window given to a list of events ("chemotherapy or radiotherapy within 8 weeks") may be read as one
    window or as one per event, on either side: a leftover with the same amount, relation and place as a matched
    window is the same window."""
    if not isinstance(fact, TimeWindow):
        return None
    place = fact.origin.criterion or fact.origin.sentence
    return (place, fact.relation, fact.days or fact.interval, fact.polarity)


def _items(
    source: Facts,
    plain: Facts,
    vocabulary: Vocabulary,
    labels: Labels,
    criteria_text: str,
    translation: str,
    say: Messages,
    near: dict[str, int],
    asides: Sequence[tuple[int, int]],
    named_twice: dict[tuple[str, int], int],
) -> list[Finding]:
    findings: list[Finding] = []
    for coverage in cover_items(source, plain, vocabulary, labels, near, translation, named_twice):
        item = coverage.item
        if coverage.status == "dropped":
            if item.exception:
                key = "dropped.item.exception"  # "unless ... Gilbert's syndrome": an exception clause
            elif item.concept is None:
                key = "dropped.item.unknown"
            else:
                key = "dropped.item.exclusion" if item.polarity == "exclude" else "dropped.item.inclusion"
            findings.append(say.dropped(item, key))
        elif coverage.status == "polarity" and coverage.counterpart is not None:
            says = f"{item.text!r} moved from {item.polarity} to {coverage.counterpart.polarity}"
            findings.append(say.difference(item, coverage.counterpart, Difference("polarity", "polarity", says)))
    brackets = [(a, b) for a, b in asides]  # the translation's brackets, read once per call
    for item in added_items(source, criteria_text, plain, translation, brackets):
        key = "added.item.exclusion" if item.polarity == "exclude" else "added.item.inclusion"
        if narrower_than_source(item, source, plain):
            key = "added.item.narrower"
        findings.append(say.added(item, key))
    return findings


def _preamble(document: PlainDocument) -> frozenset[int]:
    """Sentences before the first "who can join" / "who cannot join" heading of a text that has one ("This
    study is for adults with lupus."): they introduce the criteria, they do not state one."""
    if not any(s.heading for s in document.sentences):
        return frozenset()
    first = next(s.index for s in document.sentences if s.heading)
    return frozenset(range(first))


def _nearest_sentences(
    criteria: Sequence[Criterion],
    source: Facts,
    plain: Facts,
    document: PlainDocument,
) -> dict[str, int]:
    """Per criterion with items, the translation sentence that carries most of its gist (when one carries enough).
    Only criteria with a choice to make are looked at: some concept of theirs named in two sentences or more."""
    named_in: dict[str, set[int | None]] = {}
    for item in plain.items:
        if item.concept:
            named_in.setdefault(item.concept, set()).add(item.origin.sentence)
    with_choice = {
        item.origin.criterion for item in source.items if item.concept and len(named_in.get(item.concept, ())) > 1
    }
    wanted = [c for c in criteria if c.id in with_choice]
    if not wanted or not document.sentences:
        return {}
    sentences = document.sentences
    gists = [gist(s.text) for s in sentences]
    near: dict[str, int] = {}
    for criterion in wanted:
        wanted_gist = gist(criterion.text)
        tokens = wanted_gist.tokens
        best, where = 0.0, -1
        for position, said in enumerate(gists):  # only sentences that share something can carry a share
            if said.tokens.isdisjoint(tokens):
                continue
            share = wanted_gist.share_in(gists[position])
            if share > best:
                best, where = share, position
        if best >= MIN_SHARE and where >= 0:
            near[criterion.id] = sentences[where].index
    return near


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per change: the two one-sided bounds of a range ("IIIb to IV") added or dropped together say
    the same thing twice."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Finding] = []
    for finding in findings:
        key = (
            finding.kind,
            finding.detail,
            finding.severity,
            finding.criterion_id,
            finding.source_span,
            finding.output_span,
        )
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _group_dropped(
    findings: list[Finding], criteria: Sequence[Criterion], source: Facts, say: Messages
) -> list[Finding]:
    """A criterion whose every fact was dropped is reported once, as a dropped criterion."""
    facts_per_criterion: dict[str, int] = {}  # counted as the findings are: a range's two ends are two limits
    for fact in (*one_sided(source.thresholds), *source.windows, *source.counts, *source.items):
        if fact.origin.criterion:
            facts_per_criterion[fact.origin.criterion] = facts_per_criterion.get(fact.origin.criterion, 0) + 1
    dropped_per_criterion: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.kind == "dropped" and finding.criterion_id and finding.detail != "criterion":
            dropped_per_criterion.setdefault(finding.criterion_id, []).append(finding)
    by_id = {c.id: c for c in criteria}
    grouped: list[Finding] = []
    replaced: set[str] = set()
    for criterion_id, dropped in dropped_per_criterion.items():
        if len(dropped) >= 2 and len(dropped) == facts_per_criterion.get(criterion_id, 0):
            worst = min((f.severity for f in dropped), key=("blocker", "major", "minor").index)
            grouped.append(say.dropped_criterion(by_id[criterion_id], None, severity=worst, parts=len(dropped)))
            replaced.add(criterion_id)
    kept = [f for f in findings if not (f.kind == "dropped" and f.criterion_id in replaced)]
    return kept + grouped
