"""The offline renderer: each criterion rewritten in plain words, deterministic, no model.

For one criterion, three renderings are tried in order and the first whose facts read back the same as the
source's is used (the extractor reads the rendering as plain text, under the heading it will stand under):

1. **plain**: comparators in words, numbers exactly as written, units spelled out, clinical words replaced by
   everyday ones (``plain_words.json``), and the first mention of a glossary term explained in brackets
   ("ALT (a liver test) less than 5 times the upper limit of normal (ULN)");
2. **clean**: the criterion as written, with Markdown escapes removed and spacing tidied;
3. **literal**: the criterion's own text — reached only when the reader disagrees with itself.

``literal`` ids (a repair after the verifier flagged those criteria) go straight to step 3. A criterion is
never rendered as nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from translator.domain import Criterion
from translator.facts import Facts, Item, extract_criteria, extract_plain
from translator.facts.glossary import default_finder
from translator.facts.serialize import signature
from translator.render.values import in_words
from translator.render.words import simplifier
from translator.translate.schema import EXCLUDE_HEADING, INCLUDE_HEADING, PlainItem, PlainTranslation

_ESCAPE = re.compile(r"\\(?=[<>\[\]*\-^~_#+.()|!=&])")
_EXPLAIN_KINDS = frozenset({"measure", "test", "condition", "drug", "procedure", "status"})


@dataclass
class _Explained:
    """Terms already explained in this translation: each is explained once, at its first mention."""

    done: set[str] = field(default_factory=set)


def render_translation(criteria: Sequence[Criterion], *, literal: Collection[str] = ()) -> PlainTranslation:
    explained = _Explained()
    inclusion: list[PlainItem] = []
    exclusion: list[PlainItem] = []
    for criterion in criteria:
        if not criterion.text.strip():
            continue
        text = criterion.text if criterion.id in literal else render_criterion(criterion, explained)
        item = PlainItem(text=" ".join(text.split()), covers=[criterion.id])
        (inclusion if criterion.section == "inclusion" else exclusion).append(item)
    return PlainTranslation(inclusion=inclusion, exclusion=exclusion)


def render_criterion(criterion: Criterion, explained: _Explained | None = None) -> str:
    explained = explained if explained is not None else _Explained()
    expected = _reading(extract_criteria([criterion]))
    bare = _plain(criterion, None)
    if _reads_as(bare, criterion, expected):
        before = set(explained.done)
        annotated = _plain(criterion, explained)
        if annotated != bare and _reads_as(annotated, criterion, expected, items=False):
            return annotated  # explanations may name things in brackets; the limits must not move
        explained.done = before
        return bare
    clean = " ".join(_ESCAPE.sub("", criterion.text).split())
    return clean if _reads_as(clean, criterion, expected) else criterion.text


def _plain(criterion: Criterion, explained: _Explained | None) -> str:
    text = criterion.text
    facts = extract_criteria([criterion])
    edits: list[tuple[int, int, str]] = []
    for start, end in sorted({(f.span.start, f.span.end) for f in (*facts.thresholds, *facts.windows, *facts.counts)}):
        if edits and start < edits[-1][1]:
            continue
        local = (start - criterion.start, end - criterion.start)
        begin = local[0] - 1 if local[0] > 0 and text[local[0] - 1] == "\\" else local[0]  # "\\<5": the escape too
        edits.append((begin, local[1], in_words(text[local[0] : local[1]])))
    keep = [(s, e) for s, e, _ in edits]
    if explained is not None:
        edits += _explanations(text, keep, explained)
    edits.sort()
    pieces: list[str] = []
    last = 0
    for start, end, replacement in edits:
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    rewritten = _ESCAPE.sub("", "".join(pieces))
    return " ".join(simplifier().apply(rewritten, _term_spans(rewritten)).split())


def _explanations(text: str, keep: list[tuple[int, int]], explained: _Explained) -> list[tuple[int, int, str]]:
    """ "ALT" -> "ALT (a liver test)" at the first mention in the translation, unless brackets follow already."""
    inserts: list[tuple[int, int, str]] = []
    for hit in default_finder().find(text):
        term = hit.term
        if term.explain is None or term.id in explained.done or term.kind not in _EXPLAIN_KINDS:
            continue
        if any(s < hit.end and hit.start < e for s, e in keep) or text[hit.end : hit.end + 2].lstrip()[:1] == "(":
            continue
        if hit.via == "lay" or any(ch.isdigit() for ch in term.explain) or not _phrase_ends(text, hit.end):
            continue
        if (
            _inside_brackets(text, hit.start)
            or set(term.explain.lower().split()) <= set(text[hit.start : hit.end].lower().split()) | _SMALL
        ):
            continue
        explained.done.add(term.id)
        inserts.append((hit.end, hit.end, f" ({term.explain})"))
    return inserts


_SMALL = frozenset({"a", "an", "the", "of", "for", "in", "to"})
_PHRASE_END = re.compile(
    r"\s*(?:$|[,.;:)\]]|[0-9≥≤<>=\\]|(?:is|are|was|were|of|or|and|with|at|in|must|should|within|for|from|level|count|score|value|test)\b)"
)


def _phrase_ends(text: str, end: int) -> bool:
    """A term is explained where its noun phrase ends, not inside one ("low disease activity state")."""
    return _PHRASE_END.match(text, end) is not None


def _inside_brackets(text: str, position: int) -> bool:
    return text.count("(", 0, position) > text.count(")", 0, position)


def _term_spans(text: str) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in default_finder().find(text)]


def _reading(facts: Facts) -> Counter[str]:
    """What a rendering must keep: every limit, window and count, and every named item with its side."""
    found = Counter(signature(f) for f in (*facts.thresholds, *facts.windows, *facts.counts))
    found.update(f"{item.polarity} {item.concept}" for item in facts.items if _named(item))
    return found


def _named(item: Item) -> bool:
    return item.concept is not None and not item.exception


def _reads_as(text: str, criterion: Criterion, expected: Counter[str], *, items: bool = True) -> bool:
    heading = INCLUDE_HEADING if criterion.section == "inclusion" else EXCLUDE_HEADING
    document = f"## {heading}\n\n- {text}\n"
    _, facts = extract_plain(document)
    found = _reading(facts)
    if items:
        return found == expected
    return +Counter({k: v for k, v in found.items() if k[1:2] in "TWC" and k[:1] in "+-"}) == +Counter(
        {k: v for k, v in expected.items() if k[1:2] in "TWC" and k[:1] in "+-"}
    )
