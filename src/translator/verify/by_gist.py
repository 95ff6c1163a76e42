"""Whole criteria checked by their gist, sentence by sentence (see ``statements``): kept on their own side,
turned over to the other side, or dropped.

Criteria with no checked facts ("Male or female", "Any condition that may interfere with the study") have
nothing else to check."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from translator.domain import Criterion
from translator.facts.glossary import TermHit, default_finder
from translator.facts.plain import Sentence
from translator.facts.types import Fact, Facts, Item, Polarity, Threshold
from translator.verify.coverage import checked_item, descendants
from translator.verify.messages import Messages
from translator.verify.ownership import Ownership
from translator.verify.statements import (
    MIN_SHARE,
    MOVED_MARGIN,
    MOVED_SHARE,
    Gist,
    Reading,
    best_share,
    gist,
    lead_in,
    reading,
)
from translator.verify.types import Finding

_EMPTY = Gist(frozenset(), frozenset())
_STUDY_TERMS = frozenset({"clinical_trial"})
_THIS_BEFORE = re.compile(r"(?<![a-z])(?:the|this)[ \t]+$", re.IGNORECASE)
"""A study term after "the" or "this" names the study itself ("the clinical trial participation", "this clinical
trial"), not another trial a patient must not be in."""
_EXPLAINING = re.compile(r"\((?:a|an|the|this|that|which|who|i\.e\.|meaning)\s[^()]*\)", re.I)
"""An aside that explains ("(a new cancer that is not the pancreatic cancer)"), not one that lists ("(fungal,
bacterial, viral or other)")."""


@dataclass(frozen=True)
class Place:
    """Where a criterion's gist is best carried: on its own side, and on the other side."""

    kept: float
    share: float
    where: int
    own: Reading


class Sentences:
    """The translation's sentences with their gists and sides, read once and only when some criterion needs them."""

    def __init__(self, plain: Sequence[Sentence], sides: Mapping[str, Polarity | None]) -> None:
        self.plain = plain
        self.sides = sides
        """Each criterion's side as its facts read it (``extract_criteria_sides``); None when it takes both."""
        self._gists: list[Gist] | None = None
        self._readings: list[Reading] = []
        self._sides: dict[Polarity, Gist] = {}
        self._ownership: Ownership | None = None
        self._owns: dict[str, Reading] = {}

    @property
    def gists(self) -> list[Gist]:
        if self._gists is None:
            self._gists = [gist(s.text) for s in self.plain]
            self._readings = [reading(s.text, s.polarity) for s in self.plain]
        return self._gists

    def ownership(self, criteria: Sequence[Criterion]) -> Ownership:
        """Which criteria the sentences state (one alignment per translation: ``criteria`` are its source's)."""
        if self._ownership is None:
            bare = [_EXPLAINING.sub(" ", s.text) for s in self.plain]
            self._ownership = Ownership.of(criteria, self.gists, [gist(text) for text in bare], bare)
        return self._ownership

    def side_carries(self, criterion: Criterion, share: float) -> bool:
        """Could the other side of the translation carry this share of the criterion's gist? (All its sentences
        together bound what one or two of them carry.)"""
        own = self._own(criterion).polarity
        if own not in self._sides:
            union = _EMPTY
            for said, read in zip(self.gists, self._readings, strict=True):
                if read.polarity != own:
                    union = union.union(said)
            self._sides[own] = union
        return gist(criterion.text).share_in(self._sides[own]) >= share

    def place(self, criterion: Criterion) -> Place:
        gists = self.gists
        own = self._own(criterion)
        wanted = gist(criterion.text)
        pairs = list(zip(gists, self._readings, strict=True))
        same = [g if r.polarity == own.polarity or r.mixed else _EMPTY for g, r in pairs]
        other = [g if r.polarity != own.polarity else _EMPTY for g, r in pairs]
        qualifying = [g if s.polarity == own.polarity else _EMPTY for g, s in zip(gists, self.plain, strict=True)]
        kept = best_share(wanted, same, qualifying)[0]  # "... will not keep you out" qualifies the rule before it
        share, where = best_share(wanted, other)
        return Place(kept, share, where, own)

    def one_sided(self, criterion: Criterion) -> bool:
        """Does the criterion take one side only? One that also allows something ("... Minor surgery is
        allowed.") is on both, and its gist cannot say which side it went to."""
        return self.sides.get(criterion.id, "include") is not None

    def _own(self, criterion: Criterion) -> Reading:
        """Read once per criterion: ``place`` and ``side_carries`` both ask."""
        if criterion.id not in self._owns:
            section: Polarity = "include" if criterion.section == "inclusion" else "exclude"
            self._owns[criterion.id] = reading(criterion.text, self.sides.get(criterion.id) or section)
        return self._owns[criterion.id]

    def unnamed(self, criterion: Criterion) -> list[TermHit]:
        """The glossary terms of the criterion that no sentence names, by concept (or a narrower one) or by half its
        written words ("comply with study procedures" / "follow the study procedures")."""
        gists = self.gists
        missing: list[TermHit] = []
        hits = default_finder().find(criterion.text)
        for index, hit in enumerate(hits):
            if hit.term.id in _STUDY_TERMS and _THIS_BEFORE.search(criterion.text, max(0, hit.start - 8), hit.start):
                continue  # "eligible for the clinical trial participation": the study itself, no part to carry
            written = gist(criterion.text[hit.start : hit.end]).words
            named = {hit.term.id} | descendants(hit.term.id)  # "mental health" names a psychological condition
            if any(g.concepts & named or _half(written, g.words) for g in gists):
                continue
            shared = _shared_head(criterion.text, hit, hits[index + 1] if index + 1 < len(hits) else None)
            if shared is not None and any(g.concepts & ({shared} | descendants(shared)) for g in gists):
                continue
            missing.append(hit)
        return missing

    def turned(self, place: Place) -> bool:
        """Is the sentence on the other side there by a negation of its own, or the criterion on its side so?"""
        return place.own.turned or (place.where >= 0 and self._readings[place.where].turned)


_JOINED = re.compile(r"[ \t]*(?:,|/|and/or|and|or)[ \t]+$")


def _shared_head(text: str, hit: TermHit, following: TermHit | None) -> str | None:
    """The term a name makes with the head of the name after it, when a joiner stands between them ("hematologic
    and end-organ function": "hematologic function", bone marrow function): what the criterion names there."""
    if following is None or not _JOINED.fullmatch(text, hit.end, following.start):
        return None
    head = text[following.start : following.end].split()[-1]
    candidate = f"{text[hit.start : hit.end]} {head}"
    found = default_finder().find(candidate)
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(candidate)) or found[0].term.id == hit.term.id:
        return None
    return found[0].term.id


def _half(written: frozenset[str], words: frozenset[str]) -> bool:
    return bool(written) and 2 * len(written & words) >= len(written)


def bare_criteria(criteria: Sequence[Criterion], source: Facts, say: Messages, sentences: Sentences) -> list[Finding]:
    """Criteria with no checked facts, checked by their gist against the translation's ``sentences``.

    Found on its own side with ``MIN_SHARE`` of its gist, a criterion is kept, unless the other side carries it
    clearly better (``MOVED_SHARE``, ``MOVED_MARGIN``). Not found on its own side, it was turned over when the
    other side carries ``MOVED_SHARE``, or ``MIN_SHARE`` in a sentence whose side no negation decided (a
    heading or a cue puts it there); else, with less than ``MIN_SHARE`` anywhere, it was dropped."""
    with_facts = {f.origin.criterion for f in source.all() if _checked(f)}
    parents = {c.parent for c in criteria if c.parent}
    plain = sentences.plain
    findings: list[Finding] = []
    for criterion in criteria:
        if criterion.id in with_facts or (criterion.id in parents and _heads_its_items(criterion, with_facts)):
            continue
        if lead_in(criterion.text):
            continue
        place = sentences.place(criterion)
        moved = place.share >= MOVED_SHARE and place.share - place.kept >= MOVED_MARGIN
        if place.kept >= MIN_SHARE and not moved:
            findings += [say.dropped_part(criterion, hit.start, hit.end) for hit in sentences.unnamed(criterion)]
            continue
        if not sentences.one_sided(criterion):
            if max(place.kept, place.share) < MIN_SHARE:
                findings.append(say.dropped_criterion(criterion, "dropped.criterion"))
            continue
        if place.share >= MOVED_SHARE or (place.share >= MIN_SHARE and not sentences.turned(place)):
            sentence = plain[place.where]
            findings.append(say.moved_criterion(criterion, place.own.polarity, (sentence.start, sentence.end)))
        elif place.share < MIN_SHARE:
            findings.append(say.dropped_criterion(criterion, "dropped.criterion"))
    return findings


def _heads_its_items(criterion: Criterion, with_facts: set[str | None]) -> bool:
    """A parent that ends with a colon, or one whose sub-items state limits ("Adequate hematological, renal and
    hepatic functions" over "Hemoglobin >= 5.5 mmol/l", ...): a heading, its items say what it says."""
    if criterion.text.rstrip().endswith(":"):
        return True
    prefix = criterion.id + "."
    return any(other is not None and other.startswith(prefix) for other in with_facts)


def _checked(fact: Fact) -> bool:
    """Does the fact decide the criterion's side? Not an item the verifier does not check, nor a premise ("If
    under 16 at onset, the diagnosis ..."), which is read on the eligible side wherever it stands."""
    if isinstance(fact, Item):
        return checked_item(fact)
    return not (isinstance(fact, Threshold) and fact.premise)


def named_criteria(
    criteria: Sequence[Criterion], source: Facts, say: Messages, sentences: Sentences, flagged: set[str]
) -> list[Finding]:
    """Criteria that only name things (no limit, window or count): their items may be covered by mentions in
    other sentences ("diabetes" elsewhere covers "type 2 diabetes"; "systemic sclerosis" is named again in a
    kidney crisis it causes), while the sentence that states the criterion itself went to the other side or was
    deleted. A sentence clearly the criterion's (``MOVED_SHARE`` of its gist, ``MOVED_MARGIN`` more than any on
    its own side), there by a heading or a cue, turned it over; no sentence stating it (``ownership``) dropped
    it. ``flagged`` are the criteria already reported turned over or dropped."""
    limited = {f.origin.criterion for f in (*source.thresholds, *source.windows, *source.counts)}
    named = {f.origin.criterion for f in source.items if checked_item(f)} - limited - flagged
    wanted = [c for c in criteria if c.id in named and not lead_in(c.text)]
    if not wanted:
        return []
    ownership = sentences.ownership(criteria)
    findings: list[Finding] = []
    for criterion in wanted:
        if sentences.one_sided(criterion) and sentences.side_carries(criterion, MOVED_SHARE):
            place = sentences.place(criterion)
            if place.share >= MOVED_SHARE and place.share - place.kept >= MOVED_MARGIN and not sentences.turned(place):
                sentence = sentences.plain[place.where]
                findings.append(say.moved_criterion(criterion, place.own.polarity, (sentence.start, sentence.end)))
                continue
        if not ownership.stated(criterion.id):
            findings.append(say.dropped_criterion(criterion, "dropped.criterion"))
    return findings
