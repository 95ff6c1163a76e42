"""The glossary: clinical terms, their abbreviations and lay synonyms, and a fast longest-match finder.

One versioned data file (``rules/glossary.json``) serves the extractor (entity and item recognition in
clinical and plain text alike), the offline renderer ("ALT (a liver test)") and the prompts. Matching is
word-based and longest-first: "left ventricular ejection fraction", "LVEF" and "heart's pumping strength" all
come out as ``lvef``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import accumulate, pairwise
from typing import Literal, NamedTuple

from translator.facts.glossary_file import WORD, Glossary, GlossaryTerm, words
from translator.facts.patterns import literal_first
from translator.rules import load_rules

_WORD_SPLIT = re.compile(r"([a-z0-9]+|[α-ω]+)")
"""``glossary_file.WORD`` captured, for ``split``: the separators and the tokens between them."""


class TermHit(NamedTuple):
    """A term mention (a named tuple: a unit holds many, and a frozen dataclass costs several times as much to
    build)."""

    term: GlossaryTerm
    start: int
    end: int
    """Offsets in the text that was searched."""
    via: Literal["name", "abbreviation", "lay"]


class TermFinder:
    """Longest-match search over word tokens; abbreviations are case-sensitive.

    The text is tokenised once; from each token a trie of the surface forms' tokens is walked, and the deepest
    surface reached is the longest match, so the cost per token does not grow with the glossary.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.by_id = {t.id: t for t in glossary.terms}
        self._keys: dict[tuple[str, ...], tuple[GlossaryTerm, Literal["name", "lay"]]] = {}
        self._abbreviations: dict[str, GlossaryTerm] = {}
        for fold in (_EXACT, _SINGULAR, _PLURAL):  # exact surfaces first: "tetracycline" beats "tetracyclines" folded
            for term in glossary.terms:
                for surface in (term.name, *term.synonyms):
                    self._add(words(surface), term, "name", fold=fold)
                for surface in term.lay:
                    self._add(words(surface), term, "lay", fold=fold)
        self._value_only: frozenset[str] = frozenset(a for t in glossary.terms for a in t.value_abbreviations)
        for term in glossary.terms:
            for abbr in (*term.abbreviations, *term.value_abbreviations):
                self._abbreviations[abbr] = term
        self._lengths: dict[str, tuple[int, ...]] = {}
        for key in self._keys:
            self._lengths[key[0]] = tuple(sorted({len(key), *self._lengths.get(key[0], ())}, reverse=True))
        self._trie = _trie(self._keys)
        self._abbr_lengths: dict[str, tuple[int, ...]] = {}
        for abbr in self._abbreviations:
            pieces = _ABBR_TOKEN.findall(abbr)
            lengths = {len(pieces), *self._abbr_lengths.get(pieces[0], ())}
            self._abbr_lengths[pieces[0]] = tuple(sorted(lengths, reverse=True))
        self._organs = {
            " ".join(words(surface)): term.disease
            for term in glossary.terms
            if term.disease
            for surface in term.surfaces()
        }
        self._organ_re = _organ_pattern(self._organs)
        self.impairments = {
            " ".join(words(surface)): term.impairment
            for term in glossary.terms
            if term.impairment
            for surface in term.surfaces()
        }
        self._found = lru_cache(maxsize=FIND_CACHE)(self._find)

    def _add(self, key: tuple[str, ...], term: GlossaryTerm, via: Literal["name", "lay"], *, fold: str) -> None:
        """A surface as written, or folded to its singular or its plural ("antitumor therapy" is also found as
        "antitumor therapies"), unless another surface already holds that key."""
        folded = key if fold == _EXACT else _singular_key(key) if fold == _SINGULAR else _plural_key(key)
        self._keys.setdefault(folded, (term, via))

    def find(self, text: str) -> list[TermHit]:
        """All term mentions, never overlapping: where two overlap, the longer wins ("Paget's disease of bone"
        over the organ disease "disease of bone", "QT(c)" over "QT"); on a tie organ diseases, then phrases,
        then abbreviations.

        The same text is looked up several times in one record (a plain sentence by the extractor and again by
        the verifier's gist, a candidate name such as "type 2 diabetes" by each list that elides it), so recent
        answers are kept (for texts of at most ``FIND_CACHE_CHARS``, which bounds the memory held); hits are
        immutable, the list is the caller's own."""
        return list(self._found(text) if len(text) <= FIND_CACHE_CHARS else self._find(text))

    def clear_cache(self) -> None:
        """Forget the answers kept by ``find`` (for measurements that repeat the same texts)."""
        self._found.cache_clear()

    def _find(self, text: str) -> tuple[TermHit, ...]:
        low = text.lower()
        candidates = [
            *self._organ_diseases(low),
            *self._phrase_hits(low),
            *self._bridged(text, low),
            *(TermHit(term, start, end, "abbreviation") for term, start, end in self._abbreviation_hits(text)),
        ]
        return _longest_apart(candidates)

    def _bridged(self, text: str, low: str) -> Iterator[TermHit]:
        """ "tuberculosis (TB) therapy", "EGFR (a gene change) TKIs": a name whose words an aside interrupts
        (``low`` is ``text.lower()``)."""
        if "(" not in text:
            return
        for aside in _SHORT_ASIDE.finditer(low):
            before = list(WORD.finditer(low, max(0, aside.start() - 60), aside.start()))[-4:]
            after = list(WORD.finditer(low, aside.end(), aside.end() + 30))[:4]
            if not before or not after or after[0].start() != aside.end() or before[-1].end() != aside.start():
                continue
            if aside.end() - aside.start() > LONG_ASIDE and not _EXPLAINING_ASIDE.match(low, aside.start()):
                if not text[before[-1].start() : before[-1].end()].isupper():
                    continue  # a long aside interrupts an abbreviation's name only, not a phrase of words
                before = before[-1:]
            found = next(
                (
                    (self._keys.get(key) or self._keys[_singular_key(key)], before[-n].start(), after[k - 1].end())
                    for n in range(len(before), 0, -1)
                    for k in range(len(after), 0, -1)
                    if (key := (*(w.group() for w in before[-n:]), *(w.group() for w in after[:k]))) in self._keys
                    or _singular_key(key) in self._keys
                ),
                None,
            )
            if found is not None:
                (term, via), start, end = found
                yield TermHit(term, start, end, via)

    def _abbreviation_hits(self, text: str) -> Iterator[tuple[GlossaryTerm, int, int]]:
        """Case-sensitive whole-token matches ("ALT", "HBsAg", "CAR T", "K+"), longest first at each token.

        Only tokens that start some abbreviation are visited (found by one list comprehension), most texts
        having none; a match skips the tokens it covers."""
        parts = _ABBR_SPLIT.split(text)
        pieces = parts[1::2]
        lengths = self._abbr_lengths
        candidates = [index for index, piece in enumerate(pieces) if piece in lengths]
        if not candidates:
            return
        bounds = _bounds(parts)
        free = 0
        for index in candidates:
            if index < free:
                continue
            start = bounds[2 * index]
            if start and text[start - 1].isascii() and text[start - 1].isalnum():
                continue
            for length in lengths[pieces[index]]:
                last = index + length - 1
                if last >= len(pieces):
                    continue
                end = bounds[2 * last + 1]
                abbreviation = text[start:end]
                term = self._abbreviations.get(abbreviation)
                if term is not None and abbreviation in self._value_only and not _VALUE_NEXT.match(text, end):
                    term = None  # "HR" names the heart rate only before its value ("HR < 90")
                if term is not None and not (end < len(text) and text[end].isascii() and text[end].isalnum()):
                    yield term, start, end
                    free = index + length
                    break

    def _organ_diseases(self, low: str) -> list[TermHit]:
        """ "disease of the brain and spinal cord", "a disorder of the nerves or brain", "problems with your
        kidneys": a disease word before an organ names that organ's disease term (``low``: lower-cased text)."""
        if self._organ_re is None:
            return []
        hits: list[TermHit] = []
        for match in self._organ_re.finditer(low):
            surface = " ".join(words(match.group("organ")))
            organ = self._organs[surface]
            if IMPAIRMENT_WORDS.fullmatch(match.group("word")) and surface in self.impairments:
                organ = self.impairments[surface]  # "impairment of renal function" is renal impairment
            hits.append(TermHit(self.by_id[organ], match.start(), match.end(), "lay"))
        return hits

    def _phrase_hits(self, low: str) -> list[TermHit]:
        """The longest surface form starting at each token; a match skips the tokens it covers (``low``: the
        lower-cased text). Only tokens that start some surface are walked from, found by one comprehension (a
        finer test, of the token and the next one, measured slower than the walks it spares)."""
        parts = _WORD_SPLIT.split(low)
        tokens = parts[1::2]
        trie = self._trie
        firsts = [index for index, token in enumerate(tokens) if token in trie]
        if not firsts:
            return []
        bounds = _bounds(parts)
        count = len(tokens)
        hits: list[TermHit] = []
        free = 0
        for index in firsts:
            if index < free:
                continue
            node: _Node | None = trie[tokens[index]]
            found: _Phrase | None = None
            length = depth = 0
            while node is not None:
                depth += 1
                if node.phrase is not None:
                    found, length = node.phrase, depth
                if index + depth >= count:
                    break
                separator = parts[2 * (index + depth)]
                if separator != " " and _breaks(separator, tokens[index + depth - 1]):
                    break
                node = node.next.get(tokens[index + depth])
            if found is not None:
                term, via = found
                hits.append(TermHit(term, bounds[2 * index], bounds[2 * (index + length) - 1], via))
                free = index + length
        return hits


def _breaks(separator: str, before: str) -> bool:
    """Does the text between two tokens end a sentence or a clause, so that no name runs across it ("this study.
    Participation is ..." is no "study participation")? A period after a short token is an abbreviation's ("St.
    John's wort"); a line break alone is a criterion's wrapped line."""
    head = separator.lstrip(" ")
    if not head:
        return False
    if head[0] in ";:!?":
        return True
    return head[0] == "." and len(before) > 2 and head[1:2] in (" ", "\n", "\t")


def _longest_apart(candidates: list[TermHit]) -> tuple[TermHit, ...]:
    """The candidates that overlap no longer one (ties: the earlier in ``candidates`` wins), in text order. Most
    texts have no two candidates that overlap, and then every candidate is kept."""
    ordered = sorted(candidates, key=_start)
    if all(a.end <= b.start for a, b in pairwise(ordered)):
        return tuple(ordered)
    order = sorted(range(len(candidates)), key=lambda i: (candidates[i].start - candidates[i].end, i))
    starts: list[int] = []
    by_start: dict[int, TermHit] = {}
    for index in order:
        hit = candidates[index]
        at = bisect_left(starts, hit.start)
        before = by_start[starts[at - 1]] if at else None
        if (before is None or before.end <= hit.start) and (at == len(starts) or hit.end <= starts[at]):
            starts.insert(at, hit.start)
            by_start[hit.start] = hit
    return tuple(by_start[start] for start in starts)


def _bounds(parts: list[str]) -> list[int]:
    """Token offsets from ``pattern.split`` with the token captured (separator, token, separator, ...): token ``i``
    spans ``bounds[2 * i]`` to ``bounds[2 * i + 1]``. One split and a sum of lengths cost half of a ``findall`` and
    a ``finditer`` over the same text."""
    return list(accumulate(map(len, parts)))


def _start(hit: TermHit) -> int:
    return hit.start


_Phrase = tuple[GlossaryTerm, Literal["name", "lay"]]
FIND_CACHE = 4096
"""Texts whose hits ``TermFinder.find`` keeps (a few records' worth of criteria, sentences and candidate names)."""
FIND_CACHE_CHARS = 2000


class _Node:
    """A node of the surface forms' token trie: the surface that ends here (if any), and the next tokens."""

    __slots__ = ("next", "phrase")

    def __init__(self) -> None:
        self.phrase: _Phrase | None = None
        self.next: dict[str, _Node] = {}


def _trie(keys: dict[tuple[str, ...], _Phrase]) -> dict[str, _Node]:
    root: dict[str, _Node] = {}
    for key, phrase in keys.items():
        level, node = root, None
        for token in key:
            node = level.get(token)
            if node is None:
                node = level[token] = _Node()
            level = node.next
        assert node is not None  # surfaces are never empty (``Glossary`` checks)
        node.phrase = phrase
    return root


_EXACT, _SINGULAR, _PLURAL = "exact", "singular", "plural"
_VALUE_NEXT = re.compile(r"[ \t]*(?::[ \t]*)?(?:[<>≤≥=~]|[0-9]|(?:of|is|was|below|above|under|over)[ \t]+[0-9<>≤≥])")
"""Right after a value abbreviation, its value: "HR < 90", "RR ≥ 20", "HR: 100", "RR of 30", "HR 110"."""


def _plural_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """The key with its last word in the plural: "therapy" "therapies", "virus" "viruses", "drug" "drugs"; a word
    that already ends in "s" ("steroids", "diabetes") or is no plain word ("cd4") stays as it is."""
    last = key[-1]
    if len(last) < 3 or not last.isalpha():
        return key
    if last.endswith(("ss", "us", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("s"):
        return key
    elif last.endswith("y") and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return (*key[:-1], plural)


def _singular_key(key: tuple[str, ...]) -> tuple[str, ...]:
    last = key[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "is", "us")):
        return (*key[:-1], last[:-1])
    return key


_ABBR_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
"""Abbreviations are read as runs of ASCII letters and digits and single symbols ("GLP-1 RA": GLP, -, 1, RA)."""
_ABBR_SPLIT = re.compile(r"([A-Za-z0-9]+|[^\sA-Za-z0-9])")
"""``_ABBR_TOKEN`` captured, for ``split``."""


_SHORT_ASIDE = re.compile(r"[ \t]*\([^()]{1,60}\)[ \t]+")
LONG_ASIDE = 16
"""An aside longer than this ("(a gene change found in some lung cancers)") bridges only an abbreviation, or a
name it explains ("a tumor (an abnormal growth) that can be measured")."""
_EXPLAINING_ASIDE = re.compile(r"[ \t]*\((?:a|an|the)[ \t]")
_DISEASE_WORDS = r"diseases?|disorders?|illness(?:es)?|problems?|conditions?|damage|failure|impairment|dysfunction"
IMPAIRMENT_WORDS = re.compile(r"impairment|dysfunction|insufficiency|impaired")
"""Disease words that name an organ's impairment rather than its disease."""


def _organ_pattern(organs: dict[str, str]) -> re.Pattern[str] | None:
    if not organs:
        return None
    alternation = "|".join(re.escape(o).replace(r"\ ", r"[\s'-]+") for o in sorted(organs, key=len, reverse=True))
    return re.compile(
        rf"(?P<word>{literal_first(_DISEASE_WORDS.split('|'), 'a-z')})[ \t]+(?:of|in|with|affecting)[ \t]+"
        r"(?:the[ \t]+|your[ \t]+|their[ \t]+)?"
        rf"(?P<organ>{alternation})(?![a-z])"
    )


@cache
def default_glossary() -> Glossary:
    return load_rules("glossary.json", Glossary)


@cache
def default_finder() -> TermFinder:
    return TermFinder(default_glossary())
