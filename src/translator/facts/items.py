"""Items: the named conditions, drugs, procedures and statuses of one unit of text.

Glossary hits become items, except those that are the subject of a limit in the same unit ("ALT" in
"ALT ≤ 3 × ULN" is the threshold's entity, not an item) and those inside a value expression ("normal value" in
"< 5 times the normal value"). Two further shapes carry items the glossary cannot see on its own:

* lists that share a term's head or lead ("hepatitis B or C", "drug-induced, viral or autoimmune hepatitis",
  "medications for diabetes, BP or lipids"), read by ``coordination``;
* enumerations of unknown terms: "psychological, sociological or geographical conditions".
"""

from __future__ import annotations

import re
from operator import attrgetter
from typing import TYPE_CHECKING

from translator.facts.coordination import elided, elided_aside, shared_head, shared_tail, siblings
from translator.facts.glossary import IMPAIRMENT_WORDS, TermHit, default_finder
from translator.facts.heads import negation_after_object, object_of_a_name
from translator.facts.patterns import ASIDE, literal_first
from translator.facts.results import is_finding, negative_in_name
from translator.facts.spans import SpanIndex
from translator.facts.types import Item, Span, flip

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
LIST_HEAD_REACH = 160
"""How far after a bare list element the disease word ending its list may stand."""


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
    absorbed: list[tuple[int, int]] = []  # conjuncts that stand for a longer term ("medications for ... hypertension")
    previous: TermHit | None = None
    for hit in reader.hits:
        restated, previous = _restates(reader, previous, hit), hit
        if restated:
            continue
        if absorbed:
            absorbed = [span for span in absorbed if span[1] > hit.start]  # hits come in order: the rest are past
            if any(start <= hit.start and hit.end <= end for start, end in absorbed):
                continue
        organ_disease = _organ_disease(reader, hit)
        if organ_disease is not None and not inside.contains(hit.start, hit.end):
            items.append(item_at(reader, hit.start, hit.end, organ_disease, listed=True))
            continue
        if _skip(reader, hit, inside, measured):
            continue
        items.append(item_at(reader, hit.start, hit.end, hit.term.id, listed=False))
        for start, end, concept in [
            *siblings(reader, hit),
            *elided(reader, hit),
            *shared_head(reader, hit),
            *elided_aside(reader, hit),
        ]:
            item = item_at(reader, start, end, concept, listed=True)
            _drop_named_at(items, item.span)  # "alcohol or drug abuse": the conjunct names alcohol abuse
            items.append(item)
            covered.append((start, end))
        for start, end, concept in shared_tail(reader, hit):
            items.append(item_at(reader, start, end, concept, listed=True))
            covered.append((start, end))
            absorbed.append((start, end))
    return items


def _drop_named_at(items: list[Item], span: Span) -> None:
    """Drops the item of the name a conjunct is ("alcohol" of "alcohol or drug abuse"), when the conjunct names a
    term with the head it shares. Items come in text order but for conjuncts read back from their head, so the
    walk back stops at the first item that starts before the conjunct."""
    for index in range(len(items) - 1, -1, -1):
        if items[index].span.start < span.start:
            return
        if items[index].span == span:
            del items[index]
            return


def _restates(reader: Reader, previous: TermHit | None, hit: TermHit) -> bool:
    """A bracket right after a name that names the same term again ("you do not notice when your blood sugar is
    low (hypoglycemia unawareness)") restates it: one item, read where the name stands (a negation inside the
    lay name must not turn the bracket over)."""
    if previous is None or previous.term.id != hit.term.id:
        return False
    bracket = reader.ctx.enclosing_bracket(hit.start)
    return bracket is not None and bracket[0] >= previous.end and not reader.low[previous.end : bracket[0]].strip()


ORGAN_LIST_REACH = 240
"""Characters, within the clause, between an organ and the disease word its list shares ("respiratory,
cardiovascular, gastrointestinal, hepatic, renal, ... or psychiatric diseases": thirteen organs)."""


def _organ_disease(reader: Reader, hit: TermHit) -> str | None:
    """An organ in a list of diseases names that organ's disease: "hematologic, pulmonary, renal or hepatic
    disease", "a disease of the blood, the lungs, the kidneys"."""
    disease = hit.term.disease
    if disease is None and hit.term.impairment is None:
        return None
    start, end = reader.ctx.clause_start(hit.start), reader.ctx.clause_end(hit.end)
    after = _DISEASE_WORD.search(reader.low, hit.end, min(end, hit.end + ORGAN_LIST_REACH))
    before = _DISEASE_OF.search(reader.low, max(start, hit.start - ORGAN_LIST_REACH), hit.start)
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
    if _describes_measure(reader, hit):
        return True  # "side effects from earlier cancer treatment must have settled to grade 1 or lower"
    if hit.term.kind == "condition" and lex.instrument_after.match(reader.low, hit.end):
        return True  # "Hospital Anxiety and Depression Scale score of 8 or more" requires no anxiety
    if lex.kind_after.match(reader.low, hit.end):
        return True  # "investigational drug of chemical or biologic nature" names no biologic
    return inside.contains(hit.start, hit.end)


def _describes_measure(reader: Reader, hit: TermHit) -> bool:
    """Does the term say where a limit's measure comes from ("adverse events (except alopecia) from any prior
    anticancer therapy of grade > 1")? It stands in the limit's clause, after its measure and a qualifying word."""
    for start, end in reader.measure_phrases:
        if start <= hit.start and hit.end <= end and reader.ctx.clause_start(end) <= start:
            gap = ASIDE.sub(" ", reader.low[start : hit.start])
            if reader.lex.measure_qualifier_re.fullmatch(gap):
                return True
    return False


def item_at(reader: Reader, start: int, end: int, concept: str | None, *, listed: bool) -> Item:
    clause = reader.ctx.clause_start(start)
    polarity, negated, exception = reader.polarity_at(start, clause, item=True)
    if not negated and negative_in_name(reader, start, end):
        polarity, negated = flip(polarity), True  # "must have a negative pregnancy test"
    if exception:
        polarity = flip(polarity)  # "except basal cell carcinoma": allowed despite the rule
    after = None if negated else reader.ctx.negation_after(end)
    if after is not None and after not in reader.lex.cues.exclusion_after and object_of_a_name(reader, start):
        after = None  # "radiation therapy of the target lesions is not an option": the cue is the head's
    elif after is None and not negated:
        after = negation_after_object(reader, end)
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
        if words and all(len(word) == 1 for word in words):
            continue  # "as defined by criteria A, B or C": letters label criteria, they name nothing
        if words and all(word in reader.lex.element_qualifiers for word in words):
            continue  # "Chronic, more than 3/week use of NSAIDs": a qualifier alone names nothing
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
