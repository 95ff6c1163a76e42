"""Items: the named conditions, drugs, procedures and statuses of one unit of text.

Glossary hits become items, except those that are the subject of a limit in the same unit ("ALT" in
"ALT ≤ 3 × ULN" is the threshold's entity, not an item) and those inside a value expression ("normal value" in
"< 5 times the normal value"). Two further shapes carry items the glossary cannot see on its own:

* sibling letters: "hepatitis B, C infection", "hepatitis B or C" name hepatitis C as well;
* enumerations of unknown terms: "psychological, sociological or geographical conditions".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

from translator.facts.glossary import IMPAIRMENT_WORDS, TermHit, default_finder
from translator.facts.patterns import literal_first
from translator.facts.results import is_finding, negative_in_name
from translator.facts.spans import SpanIndex
from translator.facts.types import Item, flip

if TYPE_CHECKING:
    from translator.facts.extract import Reader

_DISEASE_NAMES = ["diseases?", "disorders?", "illness(?:es)?", "problems?", "conditions?", "failure", "impairment"]
_DISEASE_WORDS = literal_first([*_DISEASE_NAMES, "insufficiency", "dysfunction"], "a-z")
"""``(?<![a-z])(?:diseases?|disorders?|...)``, written so that ``re`` scans for it (see ``patterns``)."""
_DISEASE_WORD = re.compile(rf"(?:{_DISEASE_WORDS})(?![a-z])")
_DISEASE_OF = re.compile(rf"(?:{_DISEASE_WORDS})[ \t]+(?:of|in|affecting)(?![a-z])")
_SEVERE_ORGAN = re.compile(
    r"(?<![a-z])(?:severe|serious|significant|uncontrolled|unstable)[ \t]+(?P<organ>[a-z]+)"
    r"[ \t]*(?:[,;(]|or(?![a-z])|and(?![a-z]))"
)
"""An organ named with a severity and no noun ("Evidence of severe lung, FVC < 45% ...") names its disease."""
_RELATIVE_WORDS = frozenset({"that", "which", "who", "whose"})
_MODALS = frozenset({"can't", "cannot", "can", "could", "unable", "won't", "will", "would", "must", "should", "may"})
_NOT_A_NAME = frozenset({"its", "their", "his", "her", "other", "any", "all", "such", "similar", "related"})
_CLAUSE_TEXT = re.compile(r"[^;.()\[\]:\n]+")
_LIST_SPLIT = re.compile(r"(?:,|;|/|a(?<=\ba)nd/or\b|o(?<=\bo)r\b|a(?<=\ba)nd\b|n(?<=\bn)or\b)\s*")
r"""A list separator and the spaces after it; the spaces before it are added by ``_enumerations``. Written so that
every alternative starts with a literal character, which ``re`` scans for; a leading ``\s*`` made it try the
pattern at every position, and backtrack quadratically over a long run of spaces."""
_SEPARATOR_PARTS = (",", ";", "/", "or", "and")
"""Every ``_LIST_SPLIT`` match holds one of these, and two matches never share one, so there are at most as many
matches as occurrences ("nor" and "and/or" hold "or")."""
_SIBLING = re.compile(r"[ \t]*(?:,|/|and/or|or|and|&)[ \t]*(?:,[ \t]*)?(?P<letter>[a-e])(?![a-z0-9])", re.IGNORECASE)
_CONJUNCT_BEFORE = re.compile(
    r"(?P<conj>[a-z0-9][a-z0-9-]*(?:[ \t]+[a-z0-9][a-z0-9-]*)?)[ \t]*(?:,|/|and/or|or|&)[ \t]*$"
)
ELISION_REACH = 32
"""Characters before a term where a conjunct sharing its head may stand ("type 1 or type 2 diabetes")."""
LIST_HEAD_REACH = 160
"""How far after a bare list element the disease word ending its list may stand."""
ASIDE_REACH = 64
"""The longest aside between a conjunct and its term that is read past."""
_ASIDE = re.compile(r"\([^()]*\)")


def read_items(reader: Reader) -> list[Item]:
    """One item per concept and side in a unit ("diabetic ketoacidosis (DKA)" is one item)."""
    covered = list(reader.value_spans) + [(hit.start, hit.end) for hit in reader.hits]
    items = _named_items(reader, covered) if reader.hits else []
    items.extend(_listed_items(reader, covered))
    items.sort(key=_span_start)
    seen: set[tuple[str | None, str, bool]] = set()
    unique: list[Item] = []
    for item in items:
        key = (item.concept or " ".join(item.key), item.polarity, item.exception)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


_span_start = attrgetter("span.start")


def _named_items(reader: Reader, covered: list[tuple[int, int]]) -> list[Item]:
    """Items of the glossary hits, and of the names they imply ("hepatitis B or C"), whose spans are added to
    ``covered``."""
    items: list[Item] = []
    inside = SpanIndex([*reader.value_spans, *reader.condition_spans, *reader.reference_spans])
    measured = frozenset(t.entity for t in reader.thresholds)
    for hit in reader.hits:
        organ_disease = _organ_disease(reader, hit)
        if organ_disease is not None and not inside.contains(hit.start, hit.end):
            items.append(item_at(reader, hit.start, hit.end, organ_disease, listed=True))
            continue
        if _skip(reader, hit, inside, measured):
            continue
        items.append(item_at(reader, hit.start, hit.end, hit.term.id, listed=False))
        for start, end, concept in [
            *_siblings(reader, hit),
            *_elided(reader, hit),
            *_shared_head(reader, hit),
            *_elided_aside(reader, hit),
        ]:
            items.append(item_at(reader, start, end, concept, listed=True))
            covered.append((start, end))
    return items


def _organ_disease(reader: Reader, hit: TermHit) -> str | None:
    """An organ in a list of diseases names that organ's disease: "hematologic, pulmonary, renal or hepatic
    disease", "a disease of the blood, the lungs, the kidneys"."""
    disease = hit.term.disease
    if disease is None and hit.term.impairment is None:
        return None
    start, end = reader.ctx.clause_start(hit.start), reader.ctx.clause_end(hit.end)
    after = _DISEASE_WORD.search(reader.low, hit.end, min(end, hit.end + 120))
    before = _DISEASE_OF.search(reader.low, max(start, hit.start - 160), hit.start)
    said = before.group().split()[0] if before is not None else after.group() if after is not None else None
    if said is None and _severe_organ(reader.low, hit):
        said = "disease"
    if said is not None and hit.term.impairment and IMPAIRMENT_WORDS.fullmatch(said):
        return hit.term.impairment  # "no major impairment of renal or hepatic function"
    return disease if said is not None else None


def _severe_organ(low: str, hit: TermHit) -> bool:
    found = _SEVERE_ORGAN.finditer(low, max(0, hit.start - 20), hit.end + 6)
    return any(m.span("organ") == (hit.start, hit.end) for m in found)


def _skip(reader: Reader, hit: TermHit, inside: SpanIndex, measured: frozenset[str]) -> bool:
    """Not an item: a measure, test, organ or reference point (limits and windows state those), context words,
    the subject of a limit, and the condition of a conditional limit ("if liver metastases are present")."""
    lex = reader.lex
    finding = hit.term.kind in ("test", "measure")
    if (hit.term.kind not in lex.item_kinds and not finding) or hit.term.id in lex.context_concepts:
        return True
    if finding and hit.term.id in measured:
        return True  # the measure of a limit, even named twice: "antinuclear antibody (ANA) positive (titer ≥ 1:80)"
    if hit.start in reader.entity_hits or (finding and not is_finding(reader, hit)):
        return True  # a test is a criterion by its result: "positive pregnancy test", "HBsAg or HBcAb positive"
    return inside.contains(hit.start, hit.end)


def _siblings(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "hepatitis B, C" / "hepatitis B or C": a bare letter after a lettered term names its sibling term."""
    surface = reader.norm.text[hit.start : hit.end]
    if not _ends_in_letter(surface):
        return []
    found: list[tuple[int, int, str]] = []
    stem = surface[:-1]
    position = hit.end
    while match := _SIBLING.match(reader.low, position):
        sibling = default_finder().find(stem + match.group("letter").upper())
        if len(sibling) != 1 or sibling[0].term.id == hit.term.id:
            break
        found.append((match.start("letter"), match.end("letter"), sibling[0].term.id))
        position = match.end()
    return found


def _ends_in_letter(surface: str) -> bool:
    """Does ``surface`` end in a lone letter a-e (either case) after a space or tab ("hepatitis B")? As
    ``(?<=[ \t])[a-e]$`` (``re.I``) would find, the end being before a final newline too, without a search that
    tries every position."""
    body = surface.removesuffix("\n")
    return len(body) >= 2 and body[-1] in "abcdeABCDE" and body[-2] in " \t"


_MODIFIED_BEFORE = re.compile(
    r"(?P<conj>[a-z0-9][a-z0-9-]*)[ \t]*(?:,|/|and/or|or|&)[ \t]*(?P<mod>[a-z0-9][a-z0-9-]*)[ \t]+$"
)


_ASIDE_CONJUNCT = re.compile(r"\((?P<conj>[a-z0-9][a-z0-9 -]{0,24})\)[ \t]*(?:,|/|and/or|or|&)[ \t]*$")


def _elided_aside(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "a sudden (acute) or terminal illness": the clinical word in brackets is the conjunct that shares the
    term's head ("acute illness")."""
    window = max(0, hit.start - ELISION_REACH)
    match = _ASIDE_CONJUNCT.search(reader.low, window, hit.start)
    if match is None:
        return []
    head = reader.low[hit.start : hit.end].split()
    for cut in range(1, len(head)):
        candidate = " ".join([*match.group("conj").split(), *head[cut:]])
        hits = default_finder().find(candidate)
        if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)) and hits[0].term.id != hit.term.id:
            return [(match.start("conj"), match.end("conj"), hits[0].term.id)]
    return []


def _shared_head(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "EGFR or VEGFR tyrosine kinase inhibitors": each modifier of a coordination names the term its words
    make with the head ("EGFR tyrosine kinase inhibitors", "VEGFR tyrosine kinase inhibitors")."""
    window = max(0, hit.start - ELISION_REACH)
    match: _Groups | None = None
    if _may_modify(reader.low[window : hit.start]):  # the test holds for this text, not for its asides blanked
        match = _MODIFIED_BEFORE.search(reader.low, window, hit.start)
    if match is None:
        match = _search_past_asides(_MODIFIED_BEFORE, _may_modify, reader, hit.start)  # "EGFR (a gene change) or VEGFR"
    if match is None:
        return []
    head = reader.low[hit.start : hit.end]
    found: list[tuple[int, int, str]] = []
    for group in ("conj", "mod"):
        candidate = f"{match.group(group)} {head}"
        hits = default_finder().find(candidate)
        if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)) and hits[0].term.id != hit.term.id:
            found.append((match.start(group), match.end(group), hits[0].term.id))
    return found


_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def _may_modify(before: str) -> bool:
    """Whether ``_MODIFIED_BEFORE`` can match at the end of ``before``; a necessary test, for the search (which
    starts with a character class, so ``re`` tries it at every position) is the slow part. The text must end in
    spaces (before an optional final newline) after the modifier, and the modifier must follow a joiner: either
    before the run of name characters it ends ("EGFR or VEGFR"), or, an "or" glued to it, inside that run."""
    text = before.removesuffix("\n")
    words = text.rstrip(" \t")
    if len(words) == len(text):
        return False
    head = words.rstrip(_NAME_CHARS)
    return head.rstrip(" \t").endswith((",", "/", "&", "or")) or "or" in words[len(head) :]


def _elided(reader: Reader, hit: TermHit) -> list[tuple[int, int, str]]:
    """ "type 1 or type 2 diabetes", "brain or meningeal metastasis": a conjunct before a term that shares its
    head names another term, whose name is the conjunct with the rest of the term's words."""
    window = max(0, hit.start - ELISION_REACH)
    if not _ends_in_joiner(reader.low[window : hit.start]):
        return []  # no joiner right before the term: the search (slow, for it backtracks) cannot match
    match: _Groups | None = _CONJUNCT_BEFORE.search(reader.low, window, hit.start)
    if match is None:
        match = _search_past_asides(_CONJUNCT_BEFORE, _ends_in_joiner, reader, hit.start)  # "type 1 (juvenile) or"
    if match is None or _inside_a_name(reader, match.start("conj"), match.end("conj")):
        return []  # "a weak heart, kidney problems": the conjunct is a name of its own
    head = reader.low[hit.start : hit.end].split()
    conjunct = match.group("conj").split()
    for words in (conjunct, conjunct[-1:]) if len(conjunct) > 1 else (conjunct,):
        for cut in range(1, min(len(head), len(words) + 1)):  # "acute or chronic liver disease": not "acute disease"
            candidate = " ".join([*words, *head[cut:]])
            hits = default_finder().find(candidate)
            if (
                len(hits) == 1
                and hits[0].start == 0
                and hits[0].end == len(candidate)
                and hits[0].term.id != hit.term.id
            ):
                start = match.end("conj") - len(" ".join(words))
                return [(start, match.end("conj"), hits[0].term.id)]
    return []


class _Groups(Protocol):
    def group(self, name: str) -> str: ...
    def start(self, name: str) -> int: ...
    def end(self, name: str) -> int: ...


@dataclass(frozen=True)
class _Shifted:
    """A match in a slice of the text, its offsets given in the whole text."""

    match: re.Match[str]
    offset: int

    def group(self, name: str) -> str:
        return self.match.group(name)

    def start(self, name: str) -> int:
        return self.match.start(name) + self.offset

    def end(self, name: str) -> int:
        return self.match.end(name) + self.offset


def _ends_in_joiner(before: str) -> bool:
    """Whether ``_CONJUNCT_BEFORE`` can match at the end of ``before`` (a necessary test, as ``_may_modify``)."""
    return before.removesuffix("\n").rstrip(" \t").endswith((",", "/", "or", "&"))


def _search_past_asides(
    pattern: re.Pattern[str], may_match: Callable[[str], bool], reader: Reader, end: int
) -> _Groups | None:
    """``pattern`` searched before ``end`` with the asides there blanked out, for a conjunct that an aside
    separates from its joiner (the blanked slice keeps its length, so offsets only shift by its start).
    ``may_match`` is the pattern's necessary test, which spares the search on most blanked slices."""
    start = max(0, end - ELISION_REACH - ASIDE_REACH)
    piece = reader.low[start:end]
    if ")" not in piece:
        return None
    blanked = _ASIDE.sub(_blank, piece)
    match = pattern.search(blanked) if may_match(blanked) else None
    return _Shifted(match, start) if match is not None else None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _inside_a_name(reader: Reader, start: int, end: int) -> bool:
    """Does a glossary hit overlap [start, end)? (Hits do not overlap each other, so the last one starting
    before ``end`` is the only candidate.)"""
    index = bisect_left(reader.hit_starts, end) - 1
    return index >= 0 and reader.hits[index].end > start


def item_at(reader: Reader, start: int, end: int, concept: str | None, *, listed: bool) -> Item:
    clause = reader.ctx.clause_start(start)
    polarity, negated, exception = reader.polarity_at(start, clause, item=True)
    if not negated and negative_in_name(reader, start, end):
        polarity, negated = flip(polarity), True  # "must have a negative pregnancy test"
    if exception:
        polarity = flip(polarity)  # "except basal cell carcinoma": allowed despite the rule
    after = None if negated else reader.ctx.negation_after(end)
    if after in reader.lex.cues.exclusion_after:
        polarity = "exclude"  # "HIV is excluded", "prior chemotherapy is not allowed", in either section
    elif after is not None:
        polarity, negated = flip(polarity), True
    return Item(
        span=reader.span(start, end),
        origin=reader.unit.origin,
        polarity=polarity,
        negated=negated,
        exception=exception,
        concept=concept,
        key=tuple(reader.content_words(start, end)),
        text=reader.norm.text[start:end],
        listed=listed,
    )


def _listed_items(reader: Reader, spans: list[tuple[int, int]]) -> list[Item]:
    """Elements of an enumeration the glossary does not know: "psychological, sociological or ..." (outside the
    ``spans`` of values and names; indexed only when the text has a list, which most have not)."""
    items: list[Item] = []
    elements = _enumerations(reader.low)
    if not elements:
        return items
    covered = SpanIndex(spans)
    for start, end in elements:
        if covered.overlaps(start, end):
            continue
        words = reader.content_words(start, end)
        first = reader.low[start:end].split()[:1]
        if first and (first[0] in _NOT_A_NAME or first[0] in _MODALS):
            continue  # "mycophenolate mofetil or its derivatives", "drugs abuse and can't quit": no names
        if words and not any(ch.isdigit() for ch in reader.low[start:end]):
            items.append(item_at(reader, start, end, _with_list_head(reader, start, end), listed=True))
    return items


def _with_list_head(reader: Reader, start: int, end: int) -> str | None:
    """ "heart, blood, liver or kidney disease": a bare element names the term it makes with the disease word
    that ends its list ("blood disease"), when the glossary knows that term."""
    clause_end = min(reader.ctx.clause_end(end), end + LIST_HEAD_REACH)
    head = _DISEASE_WORD.search(reader.low, end, clause_end)
    if head is None:
        return None
    candidate = f"{' '.join(reader.low[start:end].split())} {head.group()}"
    hits = default_finder().find(candidate)
    if len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(candidate)):
        return hits[0].term.id
    return None


def _enumerations(low: str) -> list[tuple[int, int]]:
    """Element spans of comma/or/and lists of short phrases (at least three elements)."""
    spans: list[tuple[int, int]] = []
    if sum(low.count(glue) for glue in _SEPARATOR_PARTS) < 2:
        return spans  # fewer than two separators in the whole text (half the texts): no clause has a list
    for clause in _CLAUSE_TEXT.finditer(low):
        separators = list(_LIST_SPLIT.finditer(low, clause.start(), clause.end()))
        if len(separators) < 2:
            continue  # fewer than three elements: most clauses
        parts: list[tuple[int, int]] = []
        position = clause.start()
        for sep in separators:
            gap = low[position : sep.start()]
            parts.append((position, sep.start() - (len(gap) - len(gap.rstrip()))))
            position = sep.end()
        parts.append((position, clause.end()))
        parts = [(s, e) for s, e in parts if e > s and low[s:e].strip()]
        if len(parts) > 3 and low[slice(*parts[-1])].split()[0] in _RELATIVE_WORDS:
            parts = parts[:-1]  # "..., or another major medical condition, that would prevent you from ..."
        if len(parts) >= 3 and all(len(low[s:e].split()) <= 4 for s, e in parts[1:]):
            spans.extend(_trim(low, s, e) for s, e in parts)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end
