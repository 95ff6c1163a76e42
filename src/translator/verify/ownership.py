"""Which criterion each sentence of a translation states: an alignment of criteria and sentences by gist.

A criterion's items may be named in many sentences ("systemic sclerosis" in the diagnosis and again in "a
kidney crisis caused by systemic sclerosis"), so a mention proves little once the criterion's own sentence is
deleted. Each word or concept of a sentence is given to the criteria that have it and explain the sentence
best: the fit of a criterion and a sentence is the share of the criterion's gist the sentence carries times
the share of the sentence's gist the criterion carries. A sentence about a kidney crisis keeps "systemic
sclerosis" for the kidney-crisis criterion, while a sentence that merges two criteria gives each its own words.
A criterion is stated by a sentence that gives it ``OWNED_SHARE`` of its gist, or by any sentence that carries
most of its gist. Sentence order is never used: a reordered translation aligns the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from translator.domain import Criterion
from translator.facts.glossary import default_finder
from translator.verify.statements import MOVED_SHARE, Gist, gist

OWN_MARGIN = 0.25
"""A shared word goes to every criterion whose fit with the sentence is within this fraction of the best one's."""
OWNED_SHARE = 0.15
"""Of a criterion's gist, the share a sentence must give it to state it."""
CARRIED_SHARE = MOVED_SHARE
"""Of a criterion's gist, the share any sentence must carry to state it, whoever its words go to."""


def _elements(said: Gist) -> frozenset[str]:
    return said.elements


@dataclass(frozen=True)
class Ownership:
    criteria: dict[str, Gist]
    sentences: tuple[Gist, ...]
    outer: tuple[Gist, ...]
    """The sentences' gists outside their explaining asides: a thing named only in one ("a second cancer (a new
    cancer that is not the pancreatic cancer)") explains the sentence, it does not state that thing's criterion."""
    mentions: tuple[Counter[str], ...] = ()
    """Per sentence, how often it names each concept outside its explaining asides: a concept named twice ("MAS
    at the start, or MAS in the last 8 weeks") serves two criteria."""

    @staticmethod
    def of(
        criteria: Sequence[Criterion], sentences: Sequence[Gist], outer: Sequence[Gist], texts: Sequence[str]
    ) -> Ownership:
        gists = {c.id: gist(c.text) for c in criteria}
        mentions = tuple(Counter(hit.term.id for hit in default_finder().find(text)) for text in texts)
        return Ownership({cid: g for cid, g in gists.items() if g.size()}, tuple(sentences), tuple(outer), mentions)

    @cached_property
    def _holders(self) -> dict[str, list[str]]:
        """Per element, the criteria that have it (the rivals for a sentence's element are among them)."""
        holders: dict[str, list[str]] = {}
        for cid, said in self.criteria.items():
            for element in _elements(said):
                holders.setdefault(element, []).append(cid)
        return holders

    @cached_property
    def _memo(self) -> dict[tuple[str, int, bool], float]:
        """Fits (False) and given shares (True) per criterion and sentence: one criterion's rivals for a sentence
        are the next one's, and ``stated`` and ``stating`` ask for the same shares."""
        return {}

    def _fit(self, criterion_id: str, index: int) -> float:
        key = (criterion_id, index, False)
        if key not in self._memo:
            criterion, sentence = self.criteria[criterion_id], self.sentences[index]
            carried = criterion.share_in(sentence)
            self._memo[key] = carried * sentence.share_in(criterion) if carried and sentence.size() else 0.0
        return self._memo[key]

    def _given(self, criterion_id: str, index: int) -> float:
        """The share of the criterion's gist the sentence gives it: its elements there that no criterion that
        fits the sentence clearly better also has. A criterion that says nothing the wanted one does not (a
        shorter twin: "Severe cardiopulmonary disease" beside "... as defined by the protocol") takes nothing
        from it."""
        key = (criterion_id, index, True)
        if key not in self._memo:
            self._memo[key] = self._give(criterion_id, index)
        return self._memo[key]

    def _give(self, criterion_id: str, index: int) -> float:
        wanted = self.criteria[criterion_id]
        mine = _elements(wanted)
        there = mine & _elements(self.outer[index])
        if not there:
            return 0.0
        own = self._fit(criterion_id, index)
        holders = self._holders
        rivals = {cid for element in there for cid in holders[element]}
        fits = {cid: self._fit(cid, index) for cid in rivals if not _elements(self.criteria[cid]) <= mine}
        kept = 0
        for element in there:
            better = sorted((fits[cid] for cid in holders[element] if cid in fits), reverse=True)
            served = self.mentions[index][element] if self.mentions else 0
            best = better[served - 1] if 1 < served <= len(better) else (better[0] if better else 0.0)
            kept += served > len(better) or own >= best * (1 - OWN_MARGIN)
        return kept / wanted.size()

    def stating(self, criterion_id: str) -> list[int]:
        """The sentences (by index) that state the criterion, or a part of it: they carry most of its gist, or
        give it some of it (a criterion split over several sentences gives each only a little), and fragments
        with no words to align ("1.5 ng/mL." cut off its sentence), which may be anyone's."""
        wanted = self.criteria.get(criterion_id)
        if wanted is None:
            return []
        return [
            index
            for index, said in enumerate(self.sentences)
            if not said.size() or wanted.share_in(said) >= CARRIED_SHARE or self._given(criterion_id, index) > 0
        ]

    def stated(self, criterion_id: str) -> bool:
        wanted = self.criteria.get(criterion_id)
        if wanted is None:
            return True  # nothing to look for
        if any(wanted.share_in(s) >= CARRIED_SHARE for s in self.sentences):
            return True
        return any(self._given(criterion_id, i) >= OWNED_SHARE for i in range(len(self.sentences)))
