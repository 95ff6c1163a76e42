"""The renderer's plain-word rules: clinical phrasing and their everyday replacements, as data.

``rules/plain_words.json`` is versioned and validated on load; every rule carries an example that a test
rewrites. It holds four tables:

- ``rules``: clinical words and phrases and their everyday replacements ("prior to" -> "before"), applied
  outside values and glossary terms. A rule may hold only in context: before a glossary term, a past participle
  or the end of a phrase (``followed_by``), right after certain words (``preceded_by``); and its plain words may
  go after what follows instead of in place (``moves``: "concomitant chemotherapy" -> "chemotherapy at the same
  time"). Rules of one phrase are tried in file order; where none holds the phrase is left as written. An "a"
  or "an" before a replaced phrase is fixed to go with the new words ("an individual" -> "a person");
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
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from translator.domain import Section
from translator.errors import RuleFileError
from translator.facts.glossary import TermHit, default_finder
from translator.facts.glossary_file import words
from translator.rules import RuleFile, load_rules

RULE_FILE = "plain_words.json"


Follower = Literal["term", "participle", "end"]


class WordRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinical: str
    plain: str
    example: str
    """A sentence the rule rewrites (tested)."""
    followed_by: Follower | None = None
    """What must come right after the clinical words: a glossary term that ends a phrase ("concomitant
    chemotherapy is"), a past participle ("previously treated"), or the end of a phrase ("treated previously.")."""
    preceded_by: tuple[str, ...] | None = None
    """The word that must come right before, in lower case; "" is the start of the text or of a clause: "history
    of" -> "past" in "a history of", not in "family history of"."""
    moves: bool = False
    """The plain words go after the term or participle that follows, not in place: "not previously irradiated" ->
    "not irradiated before"."""

    @model_validator(mode="after")
    def _moves_past_something(self) -> WordRule:
        if self.moves and self.followed_by not in ("term", "participle"):
            raise ValueError(f"rule {self.clinical!r} moves its plain words, so it is followed_by a term or participle")
        return self


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
    """Any clinical phrase."""
    phrases: tuple[tuple[re.Pattern[str], tuple[WordRule, ...]], ...]
    """Each phrase as an anchored pattern with its rules in file order, longest phrase first."""

    def apply(self, text: str, keep: list[tuple[int, int]]) -> str:
        """Replace clinical phrases outside the ``keep`` spans, keeping an initial capital."""
        scan = _Scan(text, keep)
        pieces: list[str] = []
        done = position = 0
        while (match := self.pattern.search(text, position)) is not None:
            edit = self._edit(scan, match.start())
            if edit is None:
                position = match.end()
                continue
            end, new = edit
            pieces += [_fit_article(text[done : match.start()], new), new]
            done = position = end
        return "".join(pieces) + text[done:]

    def _edit(self, scan: _Scan, start: int) -> tuple[int, str] | None:
        """(where the replaced text ends, its replacement) for the first rule that holds at ``start``."""
        for phrase, rules in self.phrases:
            match = phrase.match(scan.text, start)
            if match is None or scan.kept(start, match.end()):
                continue
            for rule in rules:
                if (edit := scan.rewrite(match, rule)) is not None:
                    return edit
        return None


class _Scan:
    """One text being simplified: its glossary terms (found once, when a rule first asks) and kept spans."""

    def __init__(self, text: str, keep: list[tuple[int, int]]) -> None:
        self.text = text
        self.keep = keep
        self._terms: list[TermHit] | None = None

    def kept(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.keep)

    def rewrite(self, match: re.Match[str], rule: WordRule) -> tuple[int, str] | None:
        if rule.preceded_by is not None and _previous_word(self.text, match.start()) not in rule.preceded_by:
            return None
        end, plain = match.end(), rule.plain
        if rule.followed_by is not None:
            follower = self._follower(match.end(), rule.followed_by)
            if follower is None:
                return None
            if rule.moves:
                end, plain = follower[1], f"{self.text[follower[0] : follower[1]]} {plain}"
        written = match.group()
        return end, plain[:1].upper() + plain[1:] if written[:1].isupper() else plain

    def _follower(self, position: int, kind: Follower) -> tuple[int, int] | None:
        """The span of what follows ``position`` when it is of ``kind`` (empty at the end of a phrase)."""
        if kind == "end":
            return (position, position) if _PHRASE_END.match(self.text, position) else None
        if kind == "participle":
            found = _PARTICIPLE.match(self.text, position)
            return found.span("word") if found else None
        start = position + len(self.text[position:]) - len(self.text[position:].lstrip())
        if self._terms is None:
            self._terms = default_finder().find(self.text)
        hit = next((h for h in self._terms if h.start == start), None)
        if hit is None or not _PHRASE_END.match(self.text, hit.end) or _LIST_GOES_ON.match(self.text, hit.end):
            return None  # "concurrent radiation or chemotherapy": both are concurrent, so nothing moves
        if any(s < hit.start < e or s < hit.end < e for s, e in self.keep):
            return None  # a value or term reaching beyond the term is never cut
        return hit.start, hit.end


_PHRASE_END = re.compile(
    r"\s*(?:$|[,.;:)\]]|(?:is|are|was|were|or|and|with|within|for|of|in|during|that|which|not|must|should|will|"
    r"may|can|unless|except|at|as|to|on|before|after|than|if|but|allowed|permitted)(?![A-Za-z]))",
    re.IGNORECASE,
)
"""Where a phrase ends: punctuation, the end of the text, or a word that does not go on naming a thing."""
_LIST_GOES_ON = re.compile(r"\s*(?:,|/|(?:and|or|nor)(?![A-Za-z]))", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\s+(?P<word>(?!un(?!der))[a-z]+(?:ed|en|wn|ne)|had)(?![A-Za-z])")
"""A past participle after the phrase ("treated", "undergone", "had"), not a negative one ("untreated")."""
_LAST_WORD = re.compile(r"([A-Za-z]+)[ \t]*$")
_ARTICLE_END = re.compile(r"(?<![A-Za-z])(?P<article>an?)(?P<space>[ \t]+)$", re.IGNORECASE)
_CONSONANT_SOUND = ("one", "once", "use", "usu", "uni", "euro", "eu")


def _previous_word(text: str, position: int) -> str:
    """The word right before ``position`` in lower case; "" at the start of the text or after punctuation."""
    found = _LAST_WORD.search(text, max(0, position - 40), position)
    return found.group(1).lower() if found else ""


def _fit_article(before: str, new: str) -> str:
    """ "an individual" -> "a person": the article right before a replacement goes with its first word."""
    found = _ARTICLE_END.search(before)
    if found is None:
        return before
    lowered = new.lower()
    vowel = lowered[:1] in ("a", "e", "i", "o", "u") and not lowered.startswith(_CONSONANT_SOUND)
    article = "an" if vowel else "a"
    if found.group("article")[:1].isupper():
        article = article.capitalize()
    return before[: found.start()] + article + found.group("space")


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
    table: dict[str, list[WordRule]] = {}
    for rule in data.rules:
        table.setdefault(" ".join(rule.clinical.lower().split()), []).append(rule)
    alternation = _alternation(list(table))
    phrases = tuple(
        (re.compile(rf"(?:{_alternation([phrase])})(?![A-Za-z])", re.IGNORECASE), tuple(table[phrase]))
        for phrase in sorted(table, key=len, reverse=True)
    )
    return Simplifier(re.compile(rf"(?<![A-Za-z])(?:{alternation})(?![A-Za-z])", re.IGNORECASE), phrases)


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
