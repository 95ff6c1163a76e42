"""Every rule in the rule files has a test case (rules as data, each rule with a test case, after medspacy).

The extractor's and renderer's rules live in ``src/translator/rules/*.json``. For each rule file there is a
table ``tests/rules_cases/<file>.yaml`` whose top-level keys mirror the file's lists (``comparators``,
``negation_before``, ``cardinals`` ...). Each case is a short example written from a reading of the rule, with
its expected effect, checked through public behaviour:

- ``facts``: the ``signature()`` strings of the facts read from ``text`` (clinical text as
  ``extract_criteria(segment(text, section))``, plain text as ``extract_plain(heading + "\\n" + text)``),
  compared as exact multisets over the fact types in ``only`` (all four when absent);
- ``sentences``: the polarity of each sentence of a plain text (``read_plain``);
- ``announces``: what a heading line announces (``heading_polarity``: include, exclude or none);
- ``pieces``: the pieces a run-together block is cut into at the segmenter's boundaries;
- ``rewrite``: the renderer's plain-word rewrite of ``text``;
- ``terms``: the glossary ids the term finder returns for ``text``, in order;
- ``lead``: how the renderer opens ``text`` as a sentence about the reader, per section (null: left alone);
- ``opens``: the run of condition openers the renderer steps over at the start of ``text``;
- ``lead_in``: whether the segmenter takes ``text`` for a lead-in line that only restates its section.

A case covers the entries named in ``rule`` or ``rules``, and its text must contain each of them (lists of ids,
and cases with a ``note``, excepted); with ``template`` instead of ``text`` it is one example per entry, ``{rule}``
replaced by it (also in ``pieces``, ``rewrite`` and ``opens``). ``xfail`` (a reason, or a reason per entry of a
template) marks an example that shows a rule not doing what its data says; it is strict, so a fix turns it into a
failure that asks for the mark to go. The coverage tests fail for any entry without a case, naming the entry and
the table to add it to. The glossary is covered by a generated check instead: every surface form of every term,
written alone in a neutral sentence, finds that term (the exceptions are listed in glossary.yaml).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from translator.domain import Section
from translator.errors import RuleFileError
from translator.facts import Facts, extract_criteria, extract_plain
from translator.facts.glossary import default_finder, default_glossary
from translator.facts.glossary_file import Glossary
from translator.facts.plain import heading_polarity, read_plain
from translator.facts.rule_files import ComparatorFile, CueFile, NumberFile, UnitFile
from translator.facts.serialize import signature
from translator.render.words import PlainWords, simplifier, voice
from translator.rules import RuleFile, load_rules
from translator.segment import segment
from translator.segment.split import SegmentationRules, boundaries
from translator.segment.subheadings import is_lead_in
from translator.verify import counts_people, verify
from translator.verify.definitions import spelled_out

CASES_DIR = Path(__file__).resolve().parent / "rules_cases"
RULES = resources.files("translator.rules")
FactType = Literal["T", "W", "C", "I"]
Polarity = Literal["include", "exclude"]

MODELS: dict[str, type[RuleFile]] = {
    "comparators.json": ComparatorFile,
    "cues.json": CueFile,
    "glossary.json": Glossary,
    "numbers.json": NumberFile,
    "plain_words.json": PlainWords,
    "segmentation.json": SegmentationRules,
    "units.json": UnitFile,
}
"""Every rule file and the model that validates it; a rule file missing here fails ``test_every_rule_file``."""


# -- the tables ---------------------------------------------------------------------------------------------


class Case(BaseModel):
    """One row of a rules table, as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str | None = None
    rules: list[str] = []
    text: str | None = None
    template: str | None = None
    section: Literal["inclusion", "exclusion", "plain"] = "inclusion"
    heading: str | None = None
    facts: list[str] | None = None
    only: list[FactType] | None = None
    sentences: list[Polarity] | None = None
    announces: Literal["include", "exclude", "none"] | None = None
    pieces: list[str] | None = None
    rewrite: str | None = None
    terms: list[str] | None = None
    lead: dict[Literal["inclusion", "exclusion"], str | None] | None = None
    opens: str | None = None
    lead_in: bool | None = None
    spells: list[str] | None = None
    """The member words of the list that spells out a closed set named in the text (``verify.definitions``)."""
    people: list[str] | None = None
    """What the text's counts of people count (``verify.counts_people``: never reported as added)."""
    xfail: str | dict[str, str] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Case:
        if (self.text is None) == (self.template is None):
            raise ValueError("a case has either text or template")
        if not self.covered:
            raise ValueError("a case names the entries it covers (rule or rules)")
        expectations: list[object] = [self.facts, self.sentences, self.announces, self.pieces, self.rewrite]
        expectations += [self.terms, self.lead, self.opens, self.lead_in, self.spells, self.people]
        if all(e is None for e in expectations):
            raise ValueError("a case states an expected effect")
        if self.template is not None and "{rule}" not in self.template:
            raise ValueError("a template holds {rule}")
        if isinstance(self.xfail, dict) and not set(self.xfail) <= set(self.covered):
            raise ValueError(
                f"xfail names entries the case does not cover: {sorted(set(self.xfail) - set(self.covered))}"
            )
        return self

    @property
    def covered(self) -> list[str]:
        return ([self.rule] if self.rule is not None else []) + self.rules


class Ambiguity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str
    surface: str
    finds: list[str]
    """The ids the finder returns instead of ``term`` alone."""
    reason: str


class Table(BaseModel):
    """A rules table: the rule file version it was written for, then cases per list of the rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    lists: dict[str, list[Case]] = Field(default_factory=dict)
    known_ambiguities: list[Ambiguity] = []
    """Glossary only: surface forms that do not find their own term, each with what it finds instead."""
    frame: str | None = None
    """Glossary only: the neutral sentence every surface form is written alone in."""


@cache
def table(rule_file: str) -> Table:
    """The table of a rule file; a missing table is empty (test_every_rule_file_is_known_and_tabled fails)."""
    path = CASES_DIR / rule_file.replace(".json", ".yaml")
    if not path.is_file():
        return Table(version=0)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    lists = {k: v for k, v in raw.items() if k not in Table.model_fields}
    return Table.model_validate({**{k: v for k, v in raw.items() if k in Table.model_fields}, "lists": lists})


@dataclass(frozen=True)
class Example:
    """One example: a case with its template filled in for one entry."""

    rule_file: str
    list_name: str
    entries: tuple[str, ...]
    text: str
    case: Case
    xfail: str | None

    @property
    def id(self) -> str:
        return f"{self.rule_file.removesuffix('.json')}:{self.list_name}:{'+'.join(self.entries)}"


def examples(rule_file: str) -> Iterator[Example]:
    for list_name, cases in table(rule_file).lists.items():
        for case in cases:
            if case.template is not None:
                for entry in case.covered:
                    reason = case.xfail.get(entry) if isinstance(case.xfail, dict) else case.xfail
                    text = case.template.replace("{rule}", entry)
                    yield Example(rule_file, list_name, (entry,), text, case, reason)
            else:
                assert case.text is not None
                reason = case.xfail if isinstance(case.xfail, str) else None
                yield Example(rule_file, list_name, tuple(case.covered), case.text, case, reason)


def _param(example: Example) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=example.xfail)] if example.xfail else []
    return pytest.param(example, id=example.id, marks=marks)


ALL_EXAMPLES = [e for name in sorted(MODELS) for e in examples(name)]


# -- checking one example -----------------------------------------------------------------------------------

TYPES: tuple[FactType, ...] = ("T", "W", "C", "I")


def _facts(example: Example) -> Facts:
    case = example.case
    if case.section == "plain":
        return extract_plain(f"{case.heading}\n{example.text}" if case.heading else example.text)[1]
    return extract_criteria(segment(example.text, case.section))


def _signatures(facts: Facts, only: list[FactType] | None) -> list[str]:
    groups = {"T": facts.thresholds, "W": facts.windows, "C": facts.counts, "I": facts.items}
    return [signature(f) for t in (only or TYPES) for f in groups[t]]


def _pieces(text: str) -> list[str]:
    clauses, sentences = boundaries(text, 0, len(text))
    cuts = [0, *sorted(set(clauses) | set(sentences)), len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _plain_polarities(case: Case, text: str) -> list[str]:
    document = read_plain(f"{case.heading}\n{text}" if case.heading else text)
    return [s.polarity for s in document.sentences]


CHECKS: dict[str, Callable[[Example], object]] = {
    "facts": lambda e: sorted(_signatures(_facts(e), e.case.only)),
    "sentences": lambda e: _plain_polarities(e.case, e.text),
    "announces": lambda e: heading_polarity(e.text) or "none",
    "pieces": lambda e: _pieces(e.text),
    "rewrite": lambda e: simplifier().apply(e.text, []),
    "terms": lambda e: [h.term.id for h in default_finder().find(e.text)],
    "lead": lambda e: {section: _led(e.text, section) for section in ("inclusion", "exclusion")},
    "opens": lambda e: _opening(e.text),
    "lead_in": lambda e: is_lead_in(e.text, "exclusion" if e.case.section == "exclusion" else "inclusion"),
    "spells": lambda e: _spelled(e.text),
    "people": lambda e: [c.what for c in _facts(e).counts if counts_people(c)],
}


def _spelled(text: str) -> list[str]:
    """The member words of the lists that spell out the closed sets the text names."""
    named: set[str] = set()
    for hit in default_finder().find(text):
        if hit.term.members and (found := spelled_out(text, hit.start, hit.end, hit.term.members)):
            named |= found.named
    return sorted(named)


def _opening(text: str) -> str:
    """The run of condition openers the renderer steps over ("Clinically significant active ")."""
    match = voice().opener.match(text)
    return match.group() if match else ""


def _led(text: str, section: Section) -> str | None:
    """The criterion as the renderer opens it in ``section`` ("History of stroke" -> "You have had stroke")."""
    found = voice().lead(text, section)
    return None if found is None else found[1] + text[found[0] :]


def _expected(example: Example, field: str) -> object:
    """The expected value of ``field``; in a template case, ``{rule}`` in a text expectation is the entry."""
    value = getattr(example.case, field)
    if value is not None and example.case.template is not None and field in FILLED:
        entry = example.entries[0]
        value = (
            value.replace("{rule}", entry) if isinstance(value, str) else [v.replace("{rule}", entry) for v in value]
        )
    return sorted(value) if field == "facts" and value is not None else value


FILLED = frozenset({"pieces", "rewrite", "opens", "facts", "people"})
"""Expectations that may hold ``{rule}`` in a template case ("pieces: ['Patients with {rule} Hepatitis B']",
"facts: ['+C {rule} of contraception =2']")."""


@pytest.mark.parametrize("example", [_param(e) for e in ALL_EXAMPLES])
def test_rule_example(example: Example) -> None:
    lowered = _norm(example.text)
    phrases = (example.rule_file, example.list_name) not in NAMES_NOT_PHRASES
    absent = [e for e in example.entries if phrases and _norm(e) not in lowered]
    assert not absent or example.case.note, f"{example.id}: the example does not contain {absent} (say why in note)"
    wrong = []
    for field, check in CHECKS.items():
        expected = _expected(example, field)
        if expected is not None and (found := check(example)) != expected:
            wrong.append(f"  {field}: expected {expected!r}\n  {' ' * len(field)}  found    {found!r}")
    assert not wrong, f"{example.id}: {example.text!r}\n" + "\n".join(wrong)


# -- coverage: every entry of every list has an example ------------------------------------------------------


def _norm(entry: str) -> str:
    return " ".join(entry.lower().split())


NAMES_NOT_PHRASES = frozenset(
    {("cues.json", "item_kinds"), ("cues.json", "context_concepts"), ("numbers.json", "duration_entities")}
    | {("glossary.json", "terms")}
)
"""Lists whose entries are glossary kinds or ids, not phrases an example contains."""
GENERATED = frozenset({"glossary.json"})
"""Rule files whose entries are all checked by a generated test (each glossary term by each of its surface
forms, test_glossary_surfaces_find_their_term); their tables hold realistic cases and known exceptions."""


def rule_entries(rule_file: str) -> dict[str, list[str]]:
    """The entries of a rule file that need a case, per list (a list of phrases, or a table's keys)."""
    data = json.loads(RULES.joinpath(rule_file).read_text(encoding="utf-8"))
    if rule_file == "comparators.json":
        references = [p for phrases in data["references"].values() for p in phrases]
        return {
            "comparators": [c["phrase"] for c in data["comparators"]],
            "references": references,
            "bare_references": data["bare_references"],
            "direct_references": data["direct_references"],
            "range_references": data["range_references"],
            "acuity_comparators": [c["phrase"] for c in data["acuity_comparators"]],
        }
    if rule_file == "units.json":
        return {
            "aliases": [a for u in data["units"] for a in u["aliases"]],
            "say": [u["say"] for u in data["units"]],
            "rate_after_name": list(data["rate_after_name"]),
            "in_capitals": list(data.get("in_capitals", {})),
        }
    if rule_file == "plain_words.json":
        return {
            "rules": [r["clinical"] for r in data["rules"]],
            "lay_terms": [t["clinical"] for t in data.get("lay_terms", [])],
            "leads": [t["lead"] for t in data.get("leads", [])],
            "condition_openers": data.get("condition_openers", []),
        }
    if rule_file == "glossary.json":
        return {"terms": [t["id"] for t in data["terms"]]}
    return {k: list(v) for k, v in data.items() if k not in ("version", "description")}


@pytest.mark.parametrize("rule_file", sorted(MODELS))
def test_every_entry_has_a_case(rule_file: str) -> None:
    covered: dict[str, set[str]] = {}
    for example in examples(rule_file):
        covered.setdefault(example.list_name, set()).update(_norm(e) for e in example.entries)
    yaml_file = f"tests/rules_cases/{rule_file.replace('.json', '.yaml')}"
    required = {} if rule_file in GENERATED else rule_entries(rule_file)
    missing = [
        f"{rule_file} {list_name}: {entry!r} has no test case; add one to {yaml_file} under {list_name}:"
        for list_name, entries in required.items()
        for entry in dict.fromkeys(entries)
        if _norm(entry) not in covered.get(list_name, set())
    ]
    assert not missing, f"{len(missing)} rule entries without a test case:\n" + "\n".join(missing)
    entries = {k: {_norm(e) for e in v} for k, v in rule_entries(rule_file).items()}
    stale = [f"{k}: {e!r}" for k, found in covered.items() for e in sorted(found - entries.get(k, set()))]
    assert not stale, f"{yaml_file} covers entries {rule_file} does not have (renamed or removed?): {stale}"


def test_tables_match_rule_file_versions() -> None:
    for rule_file, model in MODELS.items():
        assert table(rule_file).version == load_rules(rule_file, model).version, (
            f"{rule_file} changed version: review tests/rules_cases/{rule_file.replace('.json', '.yaml')}"
        )


# -- the files themselves ------------------------------------------------------------------------------------


def test_every_rule_file_is_known_and_tabled() -> None:
    names = sorted(p.name for p in RULES.iterdir() if p.name.endswith(".json"))
    assert names == sorted(MODELS), "a rule file without a model here (or a model without a file)"
    assert sorted(p.name for p in CASES_DIR.glob("*.yaml")) == [n.replace(".json", ".yaml") for n in names]


@pytest.mark.parametrize(("rule_file", "model"), sorted(MODELS.items()))
def test_rule_file_declares_a_version_and_loads(rule_file: str, model: type[RuleFile]) -> None:
    raw = json.loads(RULES.joinpath(rule_file).read_text(encoding="utf-8"))
    assert isinstance(raw.get("version"), int) and raw["version"] >= 1, f"{rule_file} has no version"
    assert raw.get("description"), f"{rule_file} has no description"
    assert load_rules(rule_file, model).version == raw["version"]


DELETE = object()
"""An edit's value that removes the field."""


def _broken_copy(rule_file: str, path: tuple[str | int, ...], value: object) -> str:
    """The rule file as JSON with the value at ``path`` replaced (or removed)."""
    data = json.loads(RULES.joinpath(rule_file).read_text(encoding="utf-8"))
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(data, ensure_ascii=False)


BROKEN: list[tuple[str, tuple[str | int, ...], object, str]] = [
    ("comparators.json", ("comparators", 5, "op"), "≈", "comparators.5.op"),
    ("comparators.json", ("direct_references", 0), "times uln", "direct_references that are not references"),
    ("comparators.json", ("range_references", 0), "normal ranges", "range_references that are not bare_references"),
    ("units.json", ("units", 3, "factor"), "ten", "units.3.factor"),
    ("units.json", ("in_capitals", "ms"), "msec2", "in_capitals units that are unknown"),
    ("cues.json", ("negation_before", 2), 3, "negation_before.2"),
    ("cues.json", ("negation_beforee",), ["no"], "negation_beforee"),
    ("cues.json", ("name_exceptions", 0), "except when", "name_exceptions that are not exception cues"),
    ("numbers.json", ("cardinals", "six"), "6x", "cardinals.six"),
    ("glossary.json", ("terms", 10, "kind"), "organ", "terms.10.kind"),
    ("plain_words.json", ("rules", 2, "example"), DELETE, "rules.2.example"),
    ("segmentation.json", ("not_a_start",), "Grade", "not_a_start"),
]
"""A bad entry per rule file (a wrong type, an unknown value, a missing or unknown field) and where pydantic
says it is."""


@pytest.mark.parametrize(("rule_file", "path", "value", "where"), BROKEN, ids=[f"{b[0]}:{b[3]}" for b in BROKEN])
def test_malformed_rule_file_raises_rule_file_error(
    rule_file: str,
    path: tuple[str | int, ...],
    value: object,
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken copy loaded through the real loader (its package resources pointed at a temp dir, since
    ``load_rules`` takes a resource name, not a path) raises RuleFileError naming the file and the entry."""
    name = f"broken-{where}-{rule_file}"
    (tmp_path / name).write_text(_broken_copy(rule_file, path, value), encoding="utf-8")
    monkeypatch.setattr("translator.rules.resources", SimpleNamespace(files=lambda _package: tmp_path))
    with pytest.raises(RuleFileError) as raised:
        load_rules(name, MODELS[rule_file])
    assert raised.value.resource == name
    assert str(raised.value).startswith(f"{name}: ") and where in str(raised.value), str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": 1, "description": "x", "comparators": [', "Expecting value"),
        ('{"description": "no version", "comparators": [], "references": {}, "bare_references": []}', "version"),
    ],
)
def test_unreadable_rule_file_raises_rule_file_error(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"unreadable-{abs(hash(text))}-comparators.json"
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr("translator.rules.resources", SimpleNamespace(files=lambda _package: tmp_path))
    with pytest.raises(RuleFileError, match=message):
        load_rules(name, ComparatorFile)
    with pytest.raises(RuleFileError, match="missing from the package"):
        load_rules(f"absent-{name}", ComparatorFile)


def test_glossary_surface_shared_by_two_terms_is_rejected() -> None:
    data = json.loads(RULES.joinpath("glossary.json").read_text(encoding="utf-8"))
    first, second = data["terms"][20], data["terms"][21]
    second["synonyms"] = [*second["synonyms"], first["name"].upper()]
    with pytest.raises(ValidationError, match=f"belongs to both '{first['id']}' and '{second['id']}'"):
        Glossary.model_validate(data)


# -- the glossary: every surface form finds its own term -----------------------------------------------------


def _surfaces() -> Iterator[tuple[str, str, str]]:
    """(term id, surface, via) for every name, synonym, lay name and abbreviation of the glossary."""
    for term in default_glossary().terms:
        for surface in (term.name, *term.synonyms):
            yield term.id, surface, "name"
        for surface in term.lay:
            yield term.id, surface, "lay"
        for surface in term.abbreviations:
            yield term.id, surface, "abbreviation"


def _finds(surface: str) -> list[tuple[str, str]]:
    frame = table("glossary.json").frame
    assert frame and "{rule}" in frame
    return [(h.term.id, h.via) for h in default_finder().find(frame.replace("{rule}", surface))]


def test_glossary_surfaces_find_their_term() -> None:
    """Each surface form, written alone in a neutral sentence, finds its own term (and only it), by the right
    route; the exceptions are listed in glossary.yaml ``known_ambiguities`` and tested below."""
    known = {(a.term, a.surface) for a in table("glossary.json").known_ambiguities}
    count, wrong = 0, []
    for term, surface, via in _surfaces():
        if (term, surface) in known:
            continue
        count += 1
        found = [t for t, _ in _finds(surface)]
        if found != [term]:
            wrong.append(f"  {term}: {surface!r} ({via}) finds {found}")
    assert count > 5000
    assert not wrong, f"{len(wrong)} glossary surfaces do not find their own term (fix glossary.json, or list the "
    "ambiguity in tests/rules_cases/glossary.yaml known_ambiguities):\n" + "\n".join(wrong)


AMBIGUITIES = table("glossary.json").known_ambiguities


@pytest.mark.parametrize("known", AMBIGUITIES, ids=[f"{a.term}:{a.surface}" for a in AMBIGUITIES])
def test_glossary_known_ambiguity_finds_what_it_says(known: Ambiguity) -> None:
    """A known ambiguity is exact: the surface still finds the listed ids instead of its own term."""
    assert any((known.term, known.surface) == (t, s) for t, s, _ in _surfaces()), (
        f"{known.term} has no {known.surface!r}"
    )
    assert [t for t, _ in _finds(known.surface)] == known.finds, "the ambiguity changed: update glossary.yaml"


@pytest.mark.parametrize(
    "known",
    [pytest.param(a, marks=pytest.mark.xfail(strict=True, reason=a.reason)) for a in AMBIGUITIES],
    ids=[f"{a.term}:{a.surface}" for a in AMBIGUITIES],
)
def test_glossary_known_ambiguity_finds_its_own_term(known: Ambiguity) -> None:
    assert [t for t, _ in _finds(known.surface)] == [known.term]


# -- what the rule files say of each other -------------------------------------------------------------------

UNKNOWN_IDS: frozenset[str] = frozenset()
"""Ids that another rule file names but the glossary lacks (none now: the duration entities are glossary terms)."""


def test_ids_named_by_rule_files_are_glossary_terms() -> None:
    """Every glossary id another rule file names (duration entities, context concepts, unit entities, lay terms)
    is a term, except the known gaps, which must stay exactly as listed."""
    lexicon_files = {name: json.loads(RULES.joinpath(name).read_text(encoding="utf-8")) for name in MODELS}
    named = {
        **{i: "numbers.json duration_entities" for i in lexicon_files["numbers.json"]["duration_entities"]},
        **{i: "cues.json context_concepts" for i in lexicon_files["cues.json"]["context_concepts"]},
        **{u["entity"]: f"units.json {u['id']}" for u in lexicon_files["units.json"]["units"] if u.get("entity")},
        **{t["term"]: "plain_words.json lay_terms" for t in lexicon_files["plain_words.json"].get("lay_terms", [])},
    }
    known = {t.id for t in default_glossary().terms}
    missing = {i: where for i, where in named.items() if i not in known}
    assert set(missing) <= UNKNOWN_IDS, f"ids that are no glossary term: {missing}"
    assert set(missing) == UNKNOWN_IDS, (
        f"now in the glossary (drop from UNKNOWN_IDS): {sorted(UNKNOWN_IDS - set(missing))}"
    )


def test_glossary_units_are_unit_ids() -> None:
    """A measure's ``units`` name canonical units of units.json (a typo there would make every value "impossible")."""
    units = {u["id"] for u in json.loads(RULES.joinpath("units.json").read_text(encoding="utf-8"))["units"]}
    named = {(t.id, u) for t in default_glossary().terms for u in t.units}
    assert named, "no glossary term names its units"
    assert {(term, u) for term, u in named if u not in units} == set()


@pytest.mark.parametrize(
    ("source", "plain", "same"),
    [
        ("ECOG ≤ 2", "Your ECOG is below 3.", True),
        ("ASA class I-II", "Your ASA class is II or lower.", True),
        ("Clinical Frailty Scale ≤ 4", "Your Clinical Frailty Scale score is 1, 2, 3 or 4.", True),
        ("NYHA class ≤ II", "Your NYHA class is below III.", True),
        ("WHO performance status 0-1", "Your performance status is 1 or less.", True),
        ("ECOG ≤ 2", "Your ECOG is 0 or 1.", False),
        ("Glasgow Coma Scale score ≥ 13", "Your Glasgow Coma Scale score is above 12.", True),
        ("modified Rankin Scale 0-2", "Your modified Rankin Scale score is 2 or lower.", True),
        ("Global Deterioration Scale < 3", "Your Global Deterioration Scale stage is 1 or 2.", True),
        ("Canadian Cardiovascular Society class ≤ II", "Your Canadian Cardiovascular Society class is I or II.", True),
        ("modified Rankin Scale 0-2", "Your modified Rankin Scale score is 1 or 2.", False),
        ("Glasgow Coma Scale score ≥ 13", "Your Glasgow Coma Scale score is above 13.", False),
        ("ECOG ≥ 1", "Your ECOG is above 0.", True),
        ("Skin phototype 1-4", "Your skin phototype is 4 or lower.", True),
        ("Skin phototype 1-4", "Your skin phototype is 2 to 4.", False),
    ],
)
def test_glossary_scale_start_makes_scores_sets(source: str, plain: str, same: bool) -> None:
    """Each term with a ``scale_start`` is a score of whole steps: a limit on it reads the same written as the
    next step ("≤ 2" / "below 3") or as its list of scores, and a shorter list is a change."""
    text = "Inclusion Criteria:\n\n* " + source + "\n"
    criteria = segment(text, "inclusion")
    verdict = verify(text, criteria, "## You may be able to join if:\n- " + plain + "\n")
    assert (verdict.verdict == "pass") is same, [f.message for f in verdict.findings]


def test_every_scale_start_is_tabled() -> None:
    started = {t.id for t in default_glossary().terms if t.scale_start is not None}
    tabled = {"ecog", "asa_class", "clinical_frailty_scale", "nyha", "performance_status", "gcs", "mrs"}
    tabled |= {"global_deterioration_scale", "ccs_angina_class", "fitzpatrick_skin_type"}
    assert started == tabled, "a new scale_start needs a row in test_glossary_scale_start_makes_scores_sets"


def test_plain_word_rules_rewrite_their_own_examples() -> None:
    """plain_words.json says each rule carries an example it rewrites: the example changes, and holds the plain
    wording where it held the clinical one."""
    wrong = []
    for rule in PlainWords.model_validate_json(RULES.joinpath("plain_words.json").read_text(encoding="utf-8")).rules:
        rewritten = simplifier().apply(rule.example, [])
        if rewritten == rule.example or rule.plain.lower() not in rewritten.lower():
            wrong.append(f"  {rule.clinical!r}: {rule.example!r} -> {rewritten!r}")
    assert not wrong, "plain word rules that do not rewrite their example:\n" + "\n".join(wrong)
