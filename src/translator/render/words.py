"""The renderer's plain-word rules: clinical phrasing and their everyday replacements, as data.

``rules/plain_words.json`` is versioned and validated on load; every rule carries an example that a test
rewrites. It holds four tables:

- ``rules``: clinical words and phrases and their everyday replacements ("prior to" -> "before"), applied
  outside values and glossary terms;
- ``lay_terms``: a glossary term's clinical wording and the lay wording used instead ("hypertension" -> "high
  blood pressure"). Both must name the *same* glossary term — checked on load against the glossary itself,
  so a lay word can never stand for a neighbouring concept;
- ``leads``: how a criterion's opening words become a sentence about the reader, per section ("History of" ->
  "You have had"; "Patients with" -> "You have"). ``null`` for a section leaves that opening as it is;
- ``condition_openers``: words that may stand before a condition at the start of a criterion ("Active",
  "Known"): a criterion that opens with a condition reads "You have ..." in either section.

Every rendered criterion is read back by the extractor before it is used, so no rule can change a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from translator.domain import Section
from translator.errors import RuleFileError
from translator.facts.glossary import default_finder, words
from translator.rules import RuleFile, load_rules

RULE_FILE = "plain_words.json"


class WordRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinical: str
    plain: str
    example: str
    """A sentence the rule rewrites (tested)."""


class LayTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str
    """The glossary id both wordings must name."""
    clinical: str
    plain: str


class Lead(BaseModel):
    """An opening phrase and the words that replace it in each section (None: leave the opening alone)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lead: str
    inclusion: str | None
    exclusion: str | None
    example: str

    @model_validator(mode="after")
    def _starts_example(self) -> Lead:
        if not self.example.lower().startswith(self.lead.lower()):
            raise ValueError(f"example {self.example!r} does not start with {self.lead!r}")
        return self


class PlainWords(RuleFile):
    rules: tuple[WordRule, ...]
    lay_terms: tuple[LayTerm, ...] = ()
    leads: tuple[Lead, ...] = ()
    condition_openers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Simplifier:
    pattern: re.Pattern[str]
    plain: dict[str, str]

    def apply(self, text: str, keep: list[tuple[int, int]]) -> str:
        """Replace clinical phrases outside the ``keep`` spans, keeping an initial capital."""

        def replace(match: re.Match[str]) -> str:
            if any(s < match.end() and match.start() < e for s, e in keep):
                return match.group()
            plain = self.plain[" ".join(match.group().lower().split())]
            return plain[:1].upper() + plain[1:] if match.group()[:1].isupper() else plain

        return self.pattern.sub(replace, text)


@dataclass(frozen=True)
class Voice:
    """Opening phrases, longest first, and what they become in each section."""

    pattern: re.Pattern[str]
    leads: dict[str, Lead]
    opener: re.Pattern[str]
    """Any run of condition openers, each followed by white space ("Clinically significant active ")."""

    def lead(self, text: str, section: Section, at: int = 0) -> tuple[int, str] | None:
        """(where the opening at ``at`` ends, its replacement) when a lead rule applies in ``section``."""
        match = self.pattern.match(text, at)
        if match is None:
            return None
        rule = self.leads[" ".join(match.group().lower().split())]
        replacement = rule.inclusion if section == "inclusion" else rule.exclusion
        return None if replacement is None else (match.end(), replacement)


@cache
def plain_words() -> PlainWords:
    data = load_rules(RULE_FILE, PlainWords)
    _check_lay_terms(data.lay_terms)
    return data


def _check_lay_terms(lay_terms: tuple[LayTerm, ...]) -> None:
    """A lay wording is used only where the glossary reads it, and the clinical one, as the same term (one hit,
    with at most an article outside it: "the study doctor")."""
    finder = default_finder()
    for entry in lay_terms:
        for wording in (entry.clinical, entry.plain):
            hits = finder.find(wording)
            rest = set(words(wording)) - set(words(wording[hits[0].start : hits[0].end])) if hits else set()
            if len(hits) != 1 or hits[0].term.id != entry.term or not rest <= _ARTICLES:
                found = [h.term.id for h in hits]
                raise RuleFileError(
                    f"lay term {entry.clinical!r} -> {entry.plain!r}: {wording!r} reads as {found}, not "
                    f"[{entry.term!r}]",
                    resource=RULE_FILE,
                )


_ARTICLES = frozenset({"the", "a", "an"})


def _alternation(phrases: list[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@cache
def simplifier() -> Simplifier:
    data = plain_words()
    table = {rule.clinical.lower(): rule.plain for rule in data.rules}
    alternation = _alternation(list(table))
    return Simplifier(re.compile(rf"(?<![A-Za-z])(?:{alternation})(?![A-Za-z])", re.IGNORECASE), table)


@cache
def lay_terms() -> dict[tuple[str, str], str]:
    """(glossary id, clinical wording in lower case) -> the lay wording."""
    return {(e.term, " ".join(e.clinical.lower().split())): e.plain for e in plain_words().lay_terms}


@cache
def voice() -> Voice:
    data = plain_words()
    table = {" ".join(rule.lead.lower().split()): rule for rule in data.leads}
    pattern = re.compile(rf"(?:{_alternation(list(table))})(?![A-Za-z0-9])", re.IGNORECASE)
    opener = re.compile(rf"(?:(?:{_alternation(list(data.condition_openers))})\s+)*", re.IGNORECASE)
    return Voice(pattern, table, opener)
