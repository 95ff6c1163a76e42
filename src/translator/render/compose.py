"""One criterion rewritten in plain words: a chain of small rewrites over a text that tracks its values.

Each rewrite is deterministic and local; what it may not touch (a value already in words, a glossary term) is
kept in spans that move with the edits. Whether a rewrite kept the facts is not decided here: the caller reads
every result back (``rules.py``) and falls back to a plainer rendering when it did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translator.domain import Criterion, Section
from translator.facts import Facts
from translator.facts.glossary import TermHit, default_finder
from translator.render.values import in_words
from translator.render.words import lay_terms, simplifier, voice

ESCAPE = re.compile(r"\\(?=[<>\[\]*\-^~_#+.()|!=&])")
_EXPLAIN_KINDS = frozenset({"measure", "test", "condition", "drug", "procedure", "status"})
_SMALL = frozenset({"a", "an", "the", "of", "for", "in", "to"})
_PHRASE_END = re.compile(
    r"\s*(?:$|[,.;:)\]]|[0-9≥≤<>=\\]|(?:is|are|was|were|of|or|and|with|at|in|must|should|within|for|from|level|count|score|value|test)\b)"
)
_AUTHOR = r"[A-Z][A-Za-z'’\-]+(?:\s+(?:van|de|der|von|den)\s+[A-Z][A-Za-z'’\-]+)?"
_ONE_CITATION = (
    rf"(?:(?:van|de|von)\s+)?{_AUTHOR}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_AUTHOR})?,?\s+(?:19|20)[0-9]{{2}}[a-z]?"
)
CITATION = re.compile(rf"\s*\(\s*{_ONE_CITATION}(?:\s*[,;]\s*{_ONE_CITATION})*\s*\)")
"""An author-year citation in brackets: "(Fanouriakis et al., 2019)", "(Franklyn et al., 2016, van Vollenhoven
et al., 2021)"."""
_AND_OR = re.compile(r"\b(?:and\s*/\s*or|and\s+or)\b", re.IGNORECASE)
_SLASH = re.compile(r"(?<![A-Za-z/])([A-Za-z][a-z]{2,})/([a-z]{3,})(?![A-Za-z/])")
"""Two lower-case words joined by a slash ("Pregnant/nursing"): an "or". Abbreviations ("AST/ALT"), units
("mg/dL") and other letters around them are left alone."""
_SPLIT = re.compile(r";\s+(?!(?:or|and|but|nor|and/or)\b)(?=[A-Za-z])")
_TRAILING = re.compile(r"[\s;,]+$")


@dataclass
class Explained:
    """Terms already explained in this translation: each is explained once, at its first mention."""

    done: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Style:
    """Which rewrites to apply beyond values in words and plain words."""

    voice: bool = False
    """Open with a sentence about the reader ("You have had ..."), per section."""
    lay: bool = False
    """Clinical names replaced by the glossary's lay names for the same term."""
    tidy: bool = False
    """Citations dropped, "and/or" and "word/word" as "or", clauses after ";" as sentences."""


PLAIN = Style()
FULL = Style(voice=True, lay=True, tidy=True)


class Draft:
    """A text being rewritten, and the spans of it no later rewrite may change."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.kept: list[tuple[int, int]] = []

    def replace(self, start: int, end: int, new: str, *, keep: bool = False) -> None:
        delta = len(new) - (end - start)
        moved: list[tuple[int, int]] = []
        for s, e in self.kept:
            if e <= start:
                moved.append((s, e))
            elif s >= end:
                moved.append((s + delta, e + delta))
        if keep:
            moved.append((start, start + len(new)))
        self.kept = sorted(moved)
        self.text = self.text[:start] + new + self.text[end:]

    def touches(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.kept)

    def sub(self, pattern: re.Pattern[str], replacement: str) -> None:
        """Replace every match that touches no kept span (right to left, so offsets stay valid)."""
        for match in reversed(list(pattern.finditer(self.text))):
            if not self.touches(match.start(), match.end()):
                self.replace(match.start(), match.end(), match.expand(replacement))


def compose(criterion: Criterion, facts: Facts, style: Style, explained: Explained | None) -> str:
    """The criterion in plain words; ``explained`` None means no explanations in brackets."""
    draft = Draft(criterion.text)
    _values(draft, criterion, facts, lay=style.lay)
    draft.sub(ESCAPE, "")
    if style.tidy:
        draft.sub(CITATION, "")
        draft.sub(_AND_OR, "or")
        draft.sub(_SLASH, r"\1 or \2")
    starts = split_clauses(draft) if style.tidy else [0]
    if style.voice:
        for at in reversed(starts):
            speak(draft, criterion.section, at)
        if style.tidy and criterion.section == "exclusion" and len(starts) == 1:
            split_list(draft)
    if explained is not None:
        explain(draft, explained)
    text = simplifier().apply(draft.text, [*draft.kept, *_term_spans(draft.text)])
    text = " ".join(text.split()).replace("( ", "(").replace(" )", ")")
    return _SPACE_BEFORE_STOP.sub(r"\1", text)  # "You have had prior :" -> "You have had prior:"


_SPACE_BEFORE_STOP = re.compile(r"(?<=[A-Za-z)])\s+([:;,])(?=\s|$)")


def _values(draft: Draft, criterion: Criterion, facts: Facts, *, lay: bool) -> None:
    """Values in words, and (``lay``) clinical names in lay words, as edits on the criterion's own text."""
    text = criterion.text
    edits: list[tuple[int, int, str]] = []
    for start, end in sorted({(f.span.start, f.span.end) for f in (*facts.thresholds, *facts.windows, *facts.counts)}):
        local = (start - criterion.start, end - criterion.start)
        if edits and local[0] < edits[-1][1]:
            continue
        begin = local[0] - 1 if local[0] > 0 and text[local[0] - 1] == "\\" else local[0]  # "\\<5": the escape too
        edits.append((begin, local[1], in_words(text[local[0] : local[1]])))
    for start, end, plain in _lay_edits(text) if lay else ():
        if not any(s < end and start < e for s, e, _ in edits):
            edits.append((start, end, plain))
    for start, end, new in sorted(edits, reverse=True):
        draft.replace(start, end, new, keep=True)


def _lay_edits(text: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    for hit in default_finder().find(text):
        lay = _lay(text, hit)  # a lay name first ("lupus (SLE)"), else the abbreviation alone ("SLE")
        end, plain = (hit.end, lay) if lay is not None else _short_name(text, hit) or (hit.end, None)
        if plain is not None:
            edits.append((hit.start, end, plain))
    return edits


def lay_names(text: str) -> str:
    """Clinical names in the glossary's lay words, names spelled out before their abbreviation shortened."""
    for start, end, plain in sorted(_lay_edits(text), reverse=True):
        text = text[:start] + plain + text[end:]
    return text


_BRACKETED = re.compile(r"\s*\(\s*([^()]{1,20}?)\s*\)")


def _short_name(text: str, hit: TermHit) -> tuple[int, str] | None:
    """ "systemic lupus erythematosus (SLE)" -> "SLE": a name spelled out before its own abbreviation."""
    if hit.via != "name":
        return None
    inside = _BRACKETED.search(text, hit.start, hit.end)
    if inside is not None and inside.end() < hit.end and _own_abbreviation(inside.group(1), hit):
        # "Eastern Cooperative Oncology Group (ECOG) performance status": one name an abbreviation interrupts
        return hit.end, inside.group(1) + text[inside.end() : hit.end]
    bracket = _BRACKETED.match(text, hit.end)
    if bracket is None:
        return None
    if not _own_abbreviation(bracket.group(1), hit):
        return None
    return bracket.end(), bracket.group(1)


def _own_abbreviation(written: str, hit: TermHit) -> bool:
    """Whether ``written`` is, whole, an abbreviation of the hit's own term."""
    inner = default_finder().find(written)
    return (
        len(inner) == 1
        and inner[0].via == "abbreviation"
        and inner[0].term.id == hit.term.id
        and (inner[0].start, inner[0].end) == (0, len(written))
    )


def _lay(text: str, hit: TermHit) -> str | None:
    if hit.via != "name":
        return None
    written = text[hit.start : hit.end]
    plain = lay_terms().get((hit.term.id, " ".join(written.lower().split())))
    if plain is None:
        return None
    return plain[:1].upper() + plain[1:] if written[:1].isupper() and not written[1:2].isupper() else plain


def speak(draft: Draft, section: Section, at: int = 0) -> None:
    """The sentence at ``at`` as one about the reader: "History of stroke" -> "You have had stroke", "Active
    hepatitis B" -> "You have active hepatitis B"."""
    text = draft.text
    lead = voice().lead(text, section, at)
    if lead is not None and not draft.touches(at, lead[0]):
        end, replacement = lead
        rest = len(text) - len(text[end:].lstrip())
        draft.replace(at, rest, replacement + " ")
        _lower_first(draft, at + len(replacement) + 1)
        return
    if _opens_with_condition(text[at:]):
        draft.replace(at, at, "You have ")
        _lower_first(draft, at + len("You have "))


_LIST_LEAD = re.compile(r"You (?:have had|have|are) ")
_LIST_ITEM = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?: [A-Za-z][A-Za-z'’\-]*){0,4}")
_NOT_IN_ITEM = frozenset(
    {"and", "or", "with", "without", "by", "at", "in", "within", "for", "on", "from", "during", "after", "before"}
    | {"since", "than", "who", "that", "which", "any"}
)


def split_list(draft: Draft) -> None:
    """ "You have HIV, hepatitis B, or syphilis." -> "You have HIV. You have hepatitis B. You have syphilis.":
    under "You cannot join if:" each of them alone keeps a person out, as the list did. Only a list that is the
    whole sentence, of at least three short items ("A, B, C, or D"), with nothing that could attach to more
    than one item (a preposition, a number, a bracket), is split."""
    lead = _LIST_LEAD.match(draft.text)
    if lead is None:
        return
    body = draft.text[lead.end() :].rstrip(" .;")
    items = re.split(r",\s+(?:or\s+)?", body)
    if len(items) < 3 or not re.search(r",\s+or\s+[^,]+$", body):
        return
    for item in items:
        if _LIST_ITEM.fullmatch(item) is None or _NOT_IN_ITEM & set(item.lower().split()):
            return
    separators = list(re.finditer(r",\s+(?:or\s+)?", draft.text[lead.end() :]))
    for match in reversed(separators):
        start, end = lead.end() + match.start(), lead.end() + match.end()
        draft.replace(start, end, ". " + lead.group())


def _lower_first(draft: Draft, at: int) -> None:
    """Lower-case the word at ``at`` when it is an opener or a term the glossary writes in lower case ("Severe",
    "Stroke"); abbreviations and names ("HIV", "Hashimoto's thyroiditis") keep their capital."""
    word = re.match(r"[A-Z][a-z]*(?![A-Za-z0-9])", draft.text[at:])
    if word is None or draft.touches(at, at + 1):
        return
    hits = default_finder().find(draft.text[at:])
    named = bool(hits) and hits[0].start == 0 and hits[0].term.name[:1].islower()
    if named or voice().opener.fullmatch(word.group() + " ") is not None:
        draft.replace(at, at + 1, draft.text[at].lower())


def _opens_with_condition(text: str) -> bool:
    """A criterion that opens with a condition, perhaps after words like "Active" or "Known"."""
    opened = voice().opener.match(text)
    position = opened.end() if opened is not None else 0
    first = next((h for h in default_finder().find(text) if h.end > position), None)
    return first is not None and first.term.kind == "condition" and not text[position : first.start].strip()


def explain(draft: Draft, explained: Explained) -> None:
    """ "ALT" -> "ALT (a liver test)" at the first mention in the translation, unless brackets follow already."""
    text = draft.text
    inserts: list[tuple[int, int, str]] = []
    for hit in default_finder().find(text):
        term = hit.term
        if term.explain is None or term.id in explained.done or term.kind not in _EXPLAIN_KINDS:
            continue
        if draft.touches(hit.start, hit.end) or text[hit.end : hit.end + 2].lstrip()[:1] == "(":
            continue
        if hit.via == "lay" or any(ch.isdigit() for ch in term.explain) or not _PHRASE_END.match(text, hit.end):
            continue
        if (
            _inside_brackets(text, hit.start)
            or set(term.explain.lower().split()) <= set(text[hit.start : hit.end].lower().split()) | _SMALL
        ):
            continue
        explained.done.add(term.id)
        inserts.append((hit.start, hit.end, term.explain))
    kept = [i for n, i in enumerate(inserts) if not (n + 1 < len(inserts) and _same_list(text, i, inserts[n + 1]))]
    for _, position, words in reversed(kept):
        draft.replace(position, position, f" ({words})")


def _same_list(text: str, first: tuple[int, int, str], second: tuple[int, int, str]) -> bool:
    """ "AST and ALT": two terms in a row with one explanation are explained once, after the second."""
    return first[2] == second[2] and _JOINED.fullmatch(text[first[1] : second[0]]) is not None


_JOINED = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|/)\s*")


def _inside_brackets(text: str, position: int) -> bool:
    return text.count("(", 0, position) > text.count(")", 0, position)


def _term_spans(text: str) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in default_finder().find(text)]


def split_clauses(draft: Draft) -> list[int]:
    """Clauses after a semicolon as sentences of their own (outside brackets, each with a capital); the
    offsets where the sentences start."""
    trailing = _TRAILING.search(draft.text)
    if trailing is not None and not draft.touches(trailing.start(), trailing.end()):
        draft.replace(trailing.start(), trailing.end(), "")
    starts = [0]
    position = 0
    while (match := _SPLIT.search(draft.text, position)) is not None:
        position = match.end()
        if _inside_brackets(draft.text, match.start()) or draft.touches(match.start(), match.end()):
            continue
        draft.replace(match.start(), match.end(), ". ")
        at = match.start() + 2
        if draft.text[at].islower() and not draft.touches(at, at + 1):
            draft.replace(at, at + 1, draft.text[at].upper())
        starts.append(at)
        position = at
    return starts
