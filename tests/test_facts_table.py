"""What fact extraction must return, as tables written from a reading of each snippet (not from its output).

``facts_cases/clinical.yaml`` holds real criteria (verbatim from the shared corpus or the example trials, with
their source); ``facts_cases/plain.yaml`` holds patient-facing sentences in the styles real summaries use. Each
case lists the facts of its text as ``signature()`` strings (see ``translator.facts.serialize``).

Clinical text is read as ``extract_criteria(segment(text, section))``; plain text as
``extract_plain(heading + "\\n" + text)`` (or the text alone when there is no heading).

Matching semantics, per fact type, as multisets (each expected fact pairs with a different found fact):

- Thresholds (``T``): entity id, interval, unit and reference (``×uln``) are compared exactly (numbers to a
  relative 1e-6), except that time amounts (age, life expectancy: unit ``days`` in the fact, printed in
  years/months/weeks) are compared in days, so ``>=6 months`` and ``>=0.5 years`` are the same limit. The
  condition of a conditional limit must be present exactly when the table gives one, and is compared by
  content words with its negation kept ("no liver metastases" never matches "liver metastases").
- Time windows (``W``): relation and amount are exact (the amount compared in days, so "within 90 days" and
  "within 3 months" differ but "4 weeks" and "28 days" do not); event and reference point are exact when
  the table names a glossary id, and by content words when it writes a phrase (``raw:...`` events, free
  reference phrases such as ``lung cancer surgery``).
- Counts (``C``): interval exact; the counted thing by content words.
- Items (``I``): concept id and the ``neg`` / ``exc`` flags exact; a term the glossary does not know
  (``~words``) by content words.

"By content words" means: the expected words, lower-cased, without function words and with a plural ``s``
folded, are a subset of the found words; their exact normalisation is the extractor's business.
A case may say ``only: [T, W, C]`` to check some fact types and ignore the rest (used where the case is
about numbers); otherwise every type is checked, so an unexpected extra fact fails the case too. A case whose
facts the extractor cannot give yet says why in ``xfail:`` (a concrete reason); it runs as a strict xfail, so the
fix that makes it pass also asks for the mark to go.

Conventions the tables follow (the reading rules; the header of clinical.yaml spells them out):

- Polarity is the eligible sense: ``+`` a requirement to join, ``-`` a reason not to join, after section,
  negation ("no history of", "negative" flip and set ``neg``) and exception clauses ("unless ...", "except"
  flip and set ``exc``). "No more than", "not exceeding" are comparators, never negations.
- An item is a named condition, drug, procedure, test or status, or a measure named as a finding without a
  value ("positive anti-Smith"); a name restated by its abbreviation is one item. Not items: the entity a
  threshold measures, the thing a count counts, the condition of a conditional limit, reference points
  (ULN, enrolment, first dose), organ words and headers ("Liver function:"), and the person a criterion is
  about ("female" in "pregnant or nursing female"). The event of a time window is also an item.
- Lists distribute: "HIV, hepatitis B or C" is three items, "stroke or TIA within 6 months" two windows.
- Two bounds of one entity make one range; "18 to 65" and "between" are inclusive. A class or grade written
  as such has unit ``grade``. A stated number of things is ``=N`` ("two methods"), "at least" is ``>=``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from translator.evaluation.corpus import Corpus
from translator.facts import Fact, Facts, extract_criteria, extract_plain
from translator.facts.serialize import signature
from translator.segment import segment

CASES_DIR = Path(__file__).resolve().parent / "facts_cases"
FactType = Literal["T", "W", "C", "I"]
ALL_TYPES: tuple[FactType, ...] = ("T", "W", "C", "I")


class Case(BaseModel):
    """One row of a table, as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    source: str | None = None
    """Where a clinical snippet comes from: ``NCT06710717 I7`` or ``chia NCT00050349_exc line 3``."""
    section: Literal["inclusion", "exclusion", "plain"]
    heading: str | None = None
    text: str
    facts: list[str]
    only: list[FactType] | None = None
    note: str | None = None
    xfail: str | None = Field(default=None, min_length=20)
    """Why the extractor cannot give these facts yet (a concrete reason); the case is a strict xfail."""

    @property
    def checked(self) -> tuple[FactType, ...]:
        return tuple(self.only) if self.only else ALL_TYPES


class Table(BaseModel):
    """A YAML file of cases. ``proposed_ids`` are glossary ids the table uses that the glossary lacks yet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proposed_ids: list[str] = []
    cases: list[Case]


@cache
def load(name: str) -> Table:
    table = Table.model_validate(yaml.safe_load((CASES_DIR / name).read_text(encoding="utf-8")))
    ids = [c.id for c in table.cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"{name}: duplicate case ids {duplicates}"
    return table


# -- signatures -----------------------------------------------------------------------------------------

_NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_INTERVAL = re.compile(
    rf"^(?:(>=|<=|>|<|=)({_NUMBER})|([\[(])({_NUMBER}),({_NUMBER})([\])])|any|\{{({_NUMBER}(?:,{_NUMBER})+)\}})$"
)
"""An interval token: ``>=18``, ``[18,65]``, ``any``, or a set of scores with a gap, ``{0,4,5}``."""
_RELATIONS = ("within", "at_least", "for", "after")
_DAYS = {"years": 365.25, "months": 30.4375, "weeks": 7.0, "days": 1.0, "hours": 1 / 24, "minutes": 1 / 1440}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _word_set(
    "the a an of to in on at for by with from and or any your you their its this that these those than each all "
    "other per is are there"
)
_NEGATION = _word_set("no not without absence non")


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words without function words, plural ``s`` folded; negation words become ``not``."""
    words = re.findall(r"[a-z0-9µ]+", text.lower().removeprefix("raw:").removeprefix("~"))
    folded = {
        "not" if w in _NEGATION else w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
    }
    return frozenset(folded - _STOP)


@dataclass(frozen=True)
class Interval:
    """An interval token as bounds, so ``>=6 months`` and ``>=0.5 years`` compare equal in days."""

    low: float | None
    low_inclusive: bool
    high: float | None
    high_inclusive: bool
    members: tuple[float, ...] | None = None

    @staticmethod
    def parse(token: str) -> Interval:
        match = _INTERVAL.match(token)
        if match is None:
            raise ValueError(f"not an interval: {token!r}")
        op, value, left, low, high, right, listed = match.groups()
        if token == "any":
            return Interval(None, True, None, True)
        if listed is not None:
            members = tuple(float(m) for m in listed.split(","))
            return Interval(members[0], True, members[-1], True, members)
        if op is not None:
            number = float(value)
            return {
                ">=": Interval(number, True, None, True),
                ">": Interval(number, False, None, True),
                "<=": Interval(None, True, number, True),
                "<": Interval(None, True, number, False),
                "=": Interval(number, True, number, True),
            }[op]
        return Interval(float(low), left == "[", float(high), right == "]")

    def scaled(self, factor: float) -> Interval:
        low = None if self.low is None else self.low * factor
        high = None if self.high is None else self.high * factor
        return Interval(low, self.low_inclusive, high, self.high_inclusive, self.members)

    def same(self, other: Interval | None) -> bool:
        """Equal bounds (to 1e-6 relative) and equal inclusive flags on the bounds that exist."""
        if other is None or self.members != other.members:
            return False
        bounds = (
            (self.low, other.low, self.low_inclusive, other.low_inclusive),
            (self.high, other.high, self.high_inclusive, other.high_inclusive),
        )
        for mine, theirs, mine_inclusive, their_inclusive in bounds:
            if (mine is None) != (theirs is None):
                return False
            if (
                mine is not None
                and theirs is not None
                and (not math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-12) or mine_inclusive != their_inclusive)
            ):
                return False
        return True


@dataclass(frozen=True)
class Sig:
    """A parsed signature. ``name`` is the entity, event, counted thing or concept."""

    kind: FactType
    sign: str
    name: str
    interval: Interval | None = None
    unit: str | None = None
    reference: str | None = None
    condition: str | None = None
    relation: str | None = None
    flags: frozenset[str] = frozenset()
    text: str = ""


def _amount(interval: Interval, unit: str | None) -> tuple[Interval, str | None]:
    if unit in _DAYS:
        return interval.scaled(_DAYS[unit]), "days"
    return interval, unit


def parse_signature(text: str) -> Sig:
    head, _, rest = text.strip().partition(" ")
    if len(head) != 2 or head[0] not in "+-" or head[1] not in ALL_TYPES or not rest:
        raise ValueError(f"not a signature: {text!r}")
    sign, kind = head[0], head[1]
    tokens = rest.split()
    parser = {"T": _parse_threshold, "W": _parse_window, "C": _parse_count, "I": _parse_item}[kind]
    return parser(sign, tokens, text)


def _parse_threshold(sign: str, tokens: list[str], text: str) -> Sig:
    at = next((i for i, t in enumerate(tokens) if i > 0 and _INTERVAL.match(t)), None)
    if at is None:
        raise ValueError(f"threshold without an interval: {text!r}")
    tail = tokens[at + 1 :]
    condition = None
    if "if" in tail:
        cut = tail.index("if")
        tail, condition = tail[:cut], " ".join(tail[cut + 1 :])
    reference = next((t[1:] for t in tail if t.startswith("×")), None)
    unit = " ".join(t for t in tail if not t.startswith("×")) or None
    interval, unit = _amount(Interval.parse(tokens[at]), unit)
    return Sig("T", sign, " ".join(tokens[:at]), interval, unit, reference, condition, text=text)


def _parse_window(sign: str, tokens: list[str], text: str) -> Sig:
    at = next(
        (i for i, t in enumerate(tokens) if t in _RELATIONS and i + 2 < len(tokens) and _INTERVAL.match(tokens[i + 1])),
        None,
    )
    if at is None or at == 0:
        raise ValueError(f"window without '<event> <relation> <interval> <unit>': {text!r}")
    tail = tokens[at + 3 :]
    reference = None
    if tail:
        if tail[0] != "from" or len(tail) < 2:
            raise ValueError(f"window tail must be 'from <reference>': {text!r}")
        reference = " ".join(tail[1:])
    interval, unit = _amount(Interval.parse(tokens[at + 1]), tokens[at + 2])
    return Sig("W", sign, " ".join(tokens[:at]), interval, unit, reference, relation=tokens[at], text=text)


def _parse_count(sign: str, tokens: list[str], text: str) -> Sig:
    if len(tokens) < 2 or not _INTERVAL.match(tokens[-1]):
        raise ValueError(f"count must end with an interval: {text!r}")
    return Sig("C", sign, " ".join(tokens[:-1]), Interval.parse(tokens[-1]), text=text)


def _parse_item(sign: str, tokens: list[str], text: str) -> Sig:
    flags = set()
    while tokens and tokens[-1] in ("neg", "exc") and len(tokens) > 1:
        flags.add(tokens.pop())
    return Sig("I", sign, " ".join(tokens), flags=frozenset(flags), text=text)


# -- matching -------------------------------------------------------------------------------------------


@cache
def glossary_kinds() -> dict[str, str]:
    """Glossary id -> kind, read from the rule file itself (the tables name ids, the extractor finds them)."""
    data = json.loads((resources.files("translator.rules") / "glossary.json").read_text(encoding="utf-8"))
    return {str(term["id"]): str(term["kind"]) for term in data["terms"]}


def _reference_ids() -> frozenset[str]:
    return frozenset(i for i, kind in glossary_kinds().items() if kind == "reference_point")


def _same_name(expected: str, found: str, *, words: bool) -> bool:
    """Glossary ids exactly; ``raw:`` / ``~`` names (and, with ``words``, any phrase) by content words."""
    prefix = next((p for p in ("raw:", "~") if expected.startswith(p)), None)
    if prefix is None and not words:
        return expected == found
    if prefix is not None and not found.startswith(prefix):
        return False
    return bool(content_words(expected)) and content_words(expected) <= content_words(found)


def _same_condition(expected: str | None, found: str | None) -> bool:
    """Conditions by content words, and both or neither negated ("no liver metastases" vs "liver metastases")."""
    if expected is None or found is None:
        return expected == found
    mine, theirs = content_words(expected), content_words(found)
    return bool(mine) and mine <= theirs and ("not" in mine) == ("not" in theirs)


def _same_reference(expected: str | None, found: str | None) -> bool:
    if expected is None or found is None:
        return expected == found
    if expected in _reference_ids():
        return expected == found
    return _same_name(expected, found, words=True)


def _same_interval(expected: Sig, found: Sig) -> bool:
    return expected.interval is not None and expected.interval.same(found.interval)


def matches(expected: Sig, found: Sig) -> bool:
    if (expected.kind, expected.sign) != (found.kind, found.sign):
        return False
    if expected.kind == "C":
        return _same_interval(expected, found) and _same_name(expected.name, found.name, words=True)
    if expected.kind == "I":
        return expected.flags == found.flags and _same_name(expected.name, found.name, words=False)
    same = (
        _same_name(expected.name, found.name, words=False)
        and _same_interval(expected, found)
        and expected.unit == found.unit
    )
    if expected.kind == "T":
        return same and expected.reference == found.reference and _same_condition(expected.condition, found.condition)
    return same and expected.relation == found.relation and _same_reference(expected.reference, found.reference)


def pair_up(expected: Sequence[Sig], found: Sequence[Sig], match: Callable[[Sig, Sig], bool]) -> dict[int, int]:
    """A maximum matching expected -> found (augmenting paths; the lists are short)."""
    owner: dict[int, int] = {}

    def assign(e: int, seen: set[int]) -> bool:
        for f in range(len(found)):
            if f in seen or not match(expected[e], found[f]):
                continue
            seen.add(f)
            if f not in owner or assign(owner[f], seen):
                owner[f] = e
                return True
        return False

    for e in range(len(expected)):
        assign(e, set())
    return {e: f for f, e in owner.items()}


def found_signatures(facts: Facts, types: Sequence[FactType]) -> list[str]:
    groups: dict[FactType, Sequence[Fact]] = {
        "T": facts.thresholds,
        "W": facts.windows,
        "C": facts.counts,
        "I": facts.items,
    }
    return [signature(f) for t in types for f in groups[t]]


def extract(case: Case) -> Facts:
    if case.section == "plain":
        text = f"{case.heading}\n{case.text}" if case.heading else case.text
        return extract_plain(text)[1]
    return extract_criteria(segment(case.text, case.section))


def check(case: Case) -> None:
    expected = [parse_signature(s) for s in case.facts if s[1] in case.checked]
    found_text = found_signatures(extract(case), case.checked)
    found = [parse_signature(s) for s in found_text]
    pairs = pair_up(expected, found, matches)
    missing = [e.text for i, e in enumerate(expected) if i not in pairs]
    used = set(pairs.values())
    extra = [f.text for i, f in enumerate(found) if i not in used]
    if missing or extra:
        lines = [f"case {case.id!r}: {case.text!r}", f"  checked types: {''.join(case.checked)}"]
        lines += [f"  missing:    {m}" for m in missing]
        lines += [f"  unexpected: {x}" for x in extra]
        lines += ["  found:"] + [f"    {s}" for s in found_text]
        pytest.fail("\n".join(lines), pytrace=False)


# -- the tables -----------------------------------------------------------------------------------------

CLINICAL = tuple(load("clinical.yaml").cases)
PLAIN = tuple(load("plain.yaml").cases)


def params(cases: Sequence[Case]) -> list[object]:
    """One parameter per case; a case with ``xfail`` is a strict xfail, so a fix makes it fail until the mark goes."""
    marks = {c.id: pytest.mark.xfail(strict=True, reason=c.xfail) for c in cases if c.xfail}
    return [pytest.param(c, id=c.id, marks=marks.get(c.id, ())) for c in cases]


@pytest.mark.parametrize("case", params(CLINICAL))
def test_clinical(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", params(PLAIN))
def test_plain(case: Case) -> None:
    check(case)


# -- the tables themselves ------------------------------------------------------------------------------

_SOURCE = re.compile(
    r"^(?:(?P<nct>NCT\d{8}) (?P<crit>[IE]\d+(?:\.[a-z]+){0,2})|chia (?P<doc>NCT\d{8}_(?:inc|exc)) line (?P<line>\d+))$"
)


def test_tables_are_large_and_well_formed() -> None:
    assert len(CLINICAL) >= 150 and len(PLAIN) >= 60
    assert sum(c.only is None for c in CLINICAL) >= 50, "at least 50 clinical cases must check items"
    assert sum(c.only is None for c in PLAIN) >= 20, "at least 20 plain cases must check items"
    for case in (*CLINICAL, *PLAIN):
        for text in case.facts:
            parsed = parse_signature(text)
            assert case.only is None or parsed.kind in case.only, f"{case.id}: {text!r} is not a checked type"
    for case in CLINICAL:
        assert case.section in ("inclusion", "exclusion"), case.id
        assert case.source and _SOURCE.match(case.source), f"{case.id}: source {case.source!r}"
    assert all(c.section == "plain" and c.source is None for c in PLAIN)


def _named_ids(sig: Sig) -> list[str]:
    names = [sig.name]
    if sig.kind == "W" and sig.reference in _reference_ids():
        names.append(sig.reference)
    return [n for n in names if not n.startswith(("raw:", "~")) and sig.kind != "C"]


def test_tables_name_glossary_ids() -> None:
    """Every id a table names is in the glossary, or listed as proposed (a typo fails here, not in a case)."""
    for name in ("clinical.yaml", "plain.yaml"):
        table = load(name)
        known = set(glossary_kinds()) | set(table.proposed_ids)
        unknown = sorted({n for c in table.cases for s in c.facts for n in _named_ids(parse_signature(s))} - known)
        assert not unknown, f"{name}: ids not in the glossary nor in proposed_ids: {unknown}"
        stale = sorted(set(table.proposed_ids) & set(glossary_kinds()))
        assert not stale, f"{name}: proposed ids the glossary now has (drop them from proposed_ids): {stale}"


@pytest.mark.parametrize(
    ("signature_text", "other", "same"),
    [
        ("+T age >=18 years", "+T age >=6574.5 days", True),
        ("+T life_expectancy >=6 months", "+T life_expectancy >=0.5 years", True),
        ("+T alt <5 ×uln", "+T alt <=5 ×uln", False),
        ("+T alt <5 ×uln", "-T alt <5 ×uln", False),
        ("+T ast <=5 ×uln if liver metastases", "+T ast <=5 ×uln", False),
        ("-W hsct within <=12 weeks from enrollment", "-W hsct within <=84 days from enrollment", True),
        ("-W hsct within <=12 weeks from enrollment", "-W hsct within <=12 weeks from screening", False),
        ("+W raw:labs within <=30 days from clinic", "+W raw:screening labs within <=30 days from clinic visit", True),
        ("+C following treatments >=2", "+C following treatment >=2", True),
        ("+C following treatments >=2", "+C treatments >=2", False),
        ("-I hiv", "-I hiv neg", False),
        ("-I ~geographical", "-I ~geographical conditions", True),
        ("-I ~geographical", "-I geographical", False),
    ],
)
def test_matching_semantics(signature_text: str, other: str, same: bool) -> None:
    assert matches(parse_signature(signature_text), parse_signature(other)) is same


def _source_text(case: Case, corpus: Corpus, examples: Path) -> str:
    match = _SOURCE.match(case.source or "")
    assert match is not None
    if match["doc"]:
        path = corpus.root / "chia" / "chia_without_scope" / f"{match['doc']}.txt"
        lines = path.read_bytes().decode("utf-8").replace("\r", "").split("\n")
        return lines[int(match["line"]) - 1]
    nct = match["nct"]
    if (examples / f"{nct}.json").exists():
        study = json.loads((examples / f"{nct}.json").read_text(encoding="utf-8"))
        return str(study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"])
    return corpus.criteria(nct)


@pytest.mark.corpus
def test_clinical_snippets_are_verbatim(corpus: Corpus, examples_dir: Path) -> None:
    """Every clinical snippet is real text: a substring of the record (or Chia line) its source names."""
    wrong = [c.id for c in CLINICAL if c.text not in _source_text(c, corpus, examples_dir)]
    assert not wrong, f"snippets not found verbatim in their source: {wrong}"
