"""Criteria with no limits, windows, counts or checked items ("Male or female", "Any condition that may
interfere with the study") are checked by their gist: the glossary concepts they name (any kind, so a lay
name counts) and the stems of their other content words, a negative prefix stripped (unsuitable / suitable).

A criterion is kept when some sentence of the translation, or two neighbouring sentences (a criterion split in
two), carries at least ``MIN_SHARE`` of its gist. Looking sentence by sentence, rather than at the whole text,
is what makes a deleted sentence visible even when its words occur elsewhere.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from translator.facts.context import holds
from translator.facts.frozen import quick_init
from translator.facts.glossary import default_finder
from translator.facts.lexicon import lexicon
from translator.facts.types import Polarity, flip
from translator.facts.voice import exclusion_cues

MIN_SHARE = 0.34
MOVED_SHARE = 0.6
MOVED_MARGIN = 0.3
"""A criterion also echoed on its own side ("consent" named again there) is still moved when the other side
carries this much more of it."""
"""Found only on the other side, a criterion is reported as moved when that side carries this much of it (it is
then clearly there, only turned over); between the two shares it is taken as reworded, not as lost."""
_INCAPACITY = re.compile(
    r"(?<![a-z])(?:inabilit\w*|unable|unwilling\w*|incapab\w*|refus\w*|fail(?:s|ed|ure)? to|unsuitab\w*|"
    r"inappropriat\w*|ineligib\w*|inadequat\w*|insufficien\w*|wrong[ \t]+for|not[ \t]+right[ \t]+for)(?![a-z])"
)
"""Words that say a person cannot meet what follows ("unable to comply", "make participation inappropriate",
"make taking part wrong for you"): the criterion is the capacity turned over, on the other side."""
_SENTENCE_STOP = re.compile(r"[.;](?=\s+[a-z])")
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_DEFINITION = re.compile(r"\s*(?:this|that|which)\s+(?:means|is)\b|\s*in other words\b|\s*i\.e\.")
STEM = 5
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
"""A word of three characters or more: a shorter one is no content word."""
_NEGATIVE_PREFIX = re.compile(r"^(?:un|in|im|non-?|dis)(?=[a-z]{5})")
_LEAD_IN = re.compile(r"(?::|\bthe following(?:\s+[a-z]+){0,4}[.:]?)\s*$", re.IGNORECASE)


_PLACEHOLDER = re.compile(
    r"\W*(?:none|nil|n/?a|not applicable|no (?:inclusion |exclusion )?criteria|there are none"
    r"|(?:note:\s*)?(?:other|further|additional)(?:\s+[\w/-]+){0,3}\s+criteria(?:\s+\w+){0,2}\s+apply)\W*",
    re.IGNORECASE,
)
"""A section's only line saying it has no criteria ("Exclusion Criteria: * None"), or a line saying that more
apply than are listed ("Further criteria apply.", "Other protocol-defined exclusion criteria may apply.")."""


def lead_in(text: str) -> bool:
    """ "Presence of any of the following diseases", "... criteria apply:": a label for the items after it; or
    a placeholder ("None"), which states no criterion a translation must carry."""
    stripped = text.strip()
    return _LEAD_IN.search(stripped) is not None or _PLACEHOLDER.fullmatch(stripped) is not None


def _stem(word: str) -> str:
    return _NEGATIVE_PREFIX.sub("", word)[:STEM]  # "unsuitable" and "suitable" share a stem


@quick_init
@dataclass(frozen=True)
class Gist:
    concepts: frozenset[str]
    stems: frozenset[str]
    """Stems of the content words outside glossary names."""
    words: frozenset[str] = frozenset()
    """Stems of all content words, names included."""
    named: tuple[tuple[str, frozenset[str]], ...] = ()
    """Per concept, the stems of the words it is written with."""

    def size(self) -> int:
        return len(self.concepts) + len(self.stems)

    def union(self, other: Gist) -> Gist:
        return Gist(
            self.concepts | other.concepts, self.stems | other.stems, self.words | other.words, self.named + other.named
        )

    def share_in(self, other: Gist) -> float:
        """Concepts count whole when the other names them, else by the share of their written words it has
        ("bone marrow function" / "your bone marrow does not work": two of three)."""
        if not self.meets(other):
            return 0.0
        return self.share_of(other.concepts, other.words)

    def share_of(self, concepts: frozenset[str], words: frozenset[str]) -> float:
        """``share_in`` a gist with these concepts and words (two sentences read as one need no gist of their
        own)."""
        size = len(self.concepts) + len(self.stems)
        if not size:
            return 1.0
        shared: float = len(self.stems & words)  # a word said inside a name is still said
        for concept, written in self._concepts_written:  # in the order of ``concepts``: the same sum, bit for bit
            if concept in concepts:
                shared += 1
            else:
                shared += len(written & words) / len(written) if written else 0.0
        return shared / size

    @cached_property
    def tokens(self) -> frozenset[str]:
        """Its concepts and the stems of all its words: a gist with a size shares nothing with a gist whose
        tokens it does not meet (``share_in`` is 0), so most pairs need no share worked out."""
        return self.concepts | self.words

    def meets(self, other: Gist) -> bool:
        """Could this gist have a share in the other one (see ``tokens``)?"""
        return not (self.concepts or self.stems) or not self.tokens.isdisjoint(other.tokens)

    @cached_property
    def elements(self) -> frozenset[str]:
        """Its concepts and stems together (what ``ownership`` gives out)."""
        return self.concepts | self.stems

    @cached_property
    def _concepts_written(self) -> tuple[tuple[str, frozenset[str] | None], ...]:
        """Per concept, the stems of all the words it is written with (``share_in`` asks for them once per other
        gist, and a criterion's gist meets every sentence's)."""
        written: dict[str, frozenset[str]] = {}
        for concept, words in self.named:
            written[concept] = written.get(concept, frozenset()) | words
        return tuple((concept, written.get(concept)) for concept in self.concepts)


_CONFORMANCE = re.compile(
    r"\b(?:in accordance with|in compliance with|according to|as required by|as per)\b[^.;:\n]{0,120}"
    r"\b(?:legislation|regulations?|laws?|guidelines?|ich-gcp|gcp)\b(?:[ \t]*\([^()\n]{0,40}\))?",
    re.IGNORECASE,
)
"""The rules a criterion is carried out under ("in accordance with ICH-GCP and local legislation"): boilerplate
a translation may leave out, so no part of a gist."""


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


@lru_cache(maxsize=4096)
def gist(text: str) -> Gist:
    """Kept for recent texts: a record's criteria are read by several checks (kept, turned over, aligned).

    A content word is inside a name when its start is in the name's span; the words are in text order, so each
    name's words are found by bisection."""
    text = _CONFORMANCE.sub(_blank, text)
    hits = default_finder().find(text)
    low = text.lower()
    if not hits:
        words = frozenset(stem for word in _WORD.findall(low) for stem in _stems(word))
        return Gist(frozenset(), words, words)
    starts: list[int] = []
    stems: list[str] = []
    for match in _WORD.finditer(low):
        for stem in _stems(match[0]):
            starts.append(match.start())
            stems.append(stem)
    words = frozenset(stems)
    inside = [False] * len(stems)
    named: list[tuple[str, frozenset[str]]] = []
    for hit in hits:
        first, last = bisect_left(starts, hit.start), bisect_left(starts, hit.end)
        named.append((hit.term.id, frozenset(stems[first:last])))
        inside[first:last] = [True] * (last - first)
    outside = frozenset(stem for stem, within in zip(stems, inside, strict=True) if not within)
    return Gist(frozenset(hit.term.id for hit in hits), outside, words, tuple(named))


def clear_caches() -> None:
    """Forget the gists and word stems kept for recent texts (for measurements that repeat the same texts)."""
    gist.cache_clear()
    _stems.cache_clear()
    _content_stem.cache_clear()


@lru_cache(maxsize=16384)
def _stems(word: str) -> tuple[str, ...]:
    """The content stems of a word; of a hyphenated one, its parts' when two or more are content words
    ("dose-escalation" is "dose" and "escalation", as a translation may write it)."""
    stem = _content_stem(word)
    if "-" not in word or stem is None:
        return () if stem is None else (stem,)
    parts = tuple(p for p in map(_content_stem, word.split("-")) if p is not None and len(p) > 2)
    return parts if len(parts) > 1 else (stem,)


@lru_cache(maxsize=16384)
def _content_stem(word: str) -> str | None:
    """The stem of a content word, None for a generic one ("the patient's participation": "patient" is
    generic). Kept per word: a record's gists read the same words many times (each sentence, each name in it)."""
    bare = word.removesuffix("'s").removesuffix("’s")
    generic = lexicon().generic_words
    if bare in generic or ("-" in bare and all(part in generic for part in bare.split("-") if part)):
        return None  # "Harmonisation-Good (clinical practice)": generic words joined are generic
    return _stem(bare)


@quick_init
@dataclass(frozen=True)
class Reading:
    """The side a statement puts itself on, and whether a negation of its own turned it over to get there."""

    polarity: Polarity
    turned: bool = False
    mixed: bool = False
    """The statement joins clauses a negation turns over and clauses it does not ("... you must not be given
    the study medicines, or you are a woman who could become pregnant"): ``polarity`` is its first negated
    clause's, and the gist of either clause may be on either side."""


def side(text: str, polarity: Polarity) -> Polarity:
    """The side a statement with nothing else to read puts itself on: its section's (or sentence's), turned
    over by a negation ("Patients unable to comply" excluded = "You must be able to comply" required)."""
    return reading(text, polarity).polarity


def reading(text: str, polarity: Polarity) -> Reading:
    """``side``, with whether a negation decided it. A negation is often part of the thing described ("skin not
    affected by the disease", "kidneys that do not work well") rather than a turn of the rule, so a side it
    decides is weaker evidence than a heading or a cue."""
    lex = lexicon()
    low = _first_sentence(text.lower())
    cues = exclusion_cues(low)
    if cues:
        polarity = "exclude"  # "You cannot join if ...", "... will be excluded": the cue is the side
        for start, end in cues:
            low = low[:start] + " " * (end - start) + low[end:]
    low = _ASIDE.sub(" ", low)  # an aside explains, it does not turn over: "(a reason not to use ...)"
    if _DEFINITION.match(low):
        return Reading(polarity)  # "This means it is neither in remission nor ...": it spells out the sentence before
    if _INCAPACITY.search(low):
        return Reading(flip(polarity), True)
    negated = [_negated(clause) for clause in lex.clause_join_re.split(low)]
    if any(negated):
        return Reading(flip(polarity), True, mixed=not all(negated))
    return Reading(polarity)


def _negated(low: str) -> bool:
    """Does a negation cue (no pseudo-negation) turn the clause over? A sentence that joins two criteria ("...
    you must not be given the study medicines, or you are a woman who could become pregnant") is turned over
    in part when one of its clauses is: a negation in one does not reach the next."""
    lex = lexicon()
    pseudo = lex.pseudo_negation_re  # at the cue, or holding it ("other reasons for not being included")
    for match in lex.negation_before.finditer(low):
        if not (pseudo.match(low, match.start()) or holds(pseudo, low, match.start(), match.end())):
            return True
    return False


def _first_sentence(low: str) -> str:
    """A criterion takes its side in its first sentence; later ones qualify it ("Any abnormal laboratory test
    results judged ... clinically significant. Values that are out of range and not of clinical significance will
    not be considered")."""
    stop = _SENTENCE_STOP.search(low)
    return low[: stop.start()] if stop else low


def best_share(
    criterion: Gist, sentences: Sequence[Gist], following: Sequence[Gist] | None = None
) -> tuple[float, int]:
    """The largest share of the criterion's gist carried by one sentence or two neighbouring ones, and where.
    ``following``, when given, are the sentences a pair may end with (a criterion split in two takes its side in
    the first sentence: "Abnormal lab results rule you out if ... . Lab results that are out of range but not
    medically important will not keep you out.")."""
    singles = [criterion.share_in(sentence) for sentence in sentences]
    best, where = 0.0, -1
    for index, single in enumerate(singles):
        pair = _pair_share(criterion, sentences, index, following)
        if single > best:
            best, where = single, index
        if pair > best:
            best = pair
            where = index if single >= singles[index + 1] else index + 1
    return best, where


def _pair_share(criterion: Gist, sentences: Sequence[Gist], index: int, following: Sequence[Gist] | None) -> float:
    if index + 1 >= len(sentences) or not sentences[index].size():
        return 0.0
    first, second = sentences[index], sentences[index + 1]
    if following is not None and not second.size() and criterion.share_in(following[index + 1]) < MIN_SHARE:
        second = following[index + 1]  # a qualifier on the other side, which carries little of the rule by itself
    if not (criterion.meets(first) or criterion.meets(second)):
        return 0.0
    return criterion.share_of(first.concepts | second.concepts, first.words | second.words)
