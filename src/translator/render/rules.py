"""The offline renderer: each criterion rewritten in plain words, deterministic, no model.

For one criterion, renderings are tried in order and the first whose facts read back the same as the
source's is used (the extractor reads the rendering as plain text, under the heading it will stand under):

1. **template**: the whole criterion written from its facts, for the common shapes ("You are 18 to 65 years
   old", "Your ALT must be less than 5 times the upper limit of normal (ULN)"; ``templates.py``);
2. **rewritten**: the criterion's own sentence as a sentence about the reader ("You have had ..."), clinical
   names in the glossary's lay words, citations and "and/or" dropped, clauses split, plus everything in 3
   (``compose.py``);
3. **words**: comparators in words, numbers exactly as written, units spelled out, clinical words replaced by
   everyday ones (``plain_words.json``);
4. **clean**: the criterion as written, with Markdown escapes removed and spacing tidied;
5. **literal**: the criterion's own text — reached only when the reader disagrees with itself.

In 1–3 the first mention of a glossary term is explained in brackets ("ALT (a liver test)"), as long as the
limits still read back the same. ``literal`` ids (a repair after the verifier flagged those criteria) go
straight to 5. A criterion is never rendered as nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from translator.domain import Criterion
from translator.facts import Facts, Item, extract_criteria, extract_plain
from translator.facts.serialize import signature
from translator.render.compose import ESCAPE, FULL, PLAIN, Explained, compose, explain
from translator.render.templates import template
from translator.translate.schema import EXCLUDE_HEADING, INCLUDE_HEADING, PlainItem, PlainTranslation
from translator.verify import verify

Method = Literal["template", "rewritten", "words", "clean", "literal"]
METHODS: tuple[Method, ...] = ("template", "rewritten", "words", "clean", "literal")
_Candidate = Callable[[Explained | None], str | None]


@dataclass(frozen=True)
class Rendered:
    """One criterion's plain text and the rendering that produced it."""

    criterion_id: str
    section: str
    text: str
    method: Method


def render_translation(criteria: Sequence[Criterion], *, literal: Collection[str] = ()) -> PlainTranslation:
    return to_translation(render_criteria(criteria, literal=literal))


def render_criteria(criteria: Sequence[Criterion], *, literal: Collection[str] = ()) -> list[Rendered]:
    explained = Explained()
    rendered: list[Rendered] = []
    for criterion in criteria:
        if not criterion.text.strip():
            continue
        method: Method = "literal"
        if criterion.id in literal:
            text = criterion.text
        else:
            text, method = render_one(criterion, explained)
        rendered.append(Rendered(criterion.id, criterion.section, " ".join(text.split()), method))
    return rendered


def to_translation(rendered: Sequence[Rendered]) -> PlainTranslation:
    inclusion = [PlainItem(text=r.text, covers=[r.criterion_id]) for r in rendered if r.section == "inclusion"]
    exclusion = [PlainItem(text=r.text, covers=[r.criterion_id]) for r in rendered if r.section != "inclusion"]
    return PlainTranslation(inclusion=inclusion, exclusion=exclusion)


def render_criterion(criterion: Criterion, explained: Explained | None = None) -> str:
    return render_one(criterion, explained if explained is not None else Explained())[0]


def render_one(criterion: Criterion, explained: Explained) -> tuple[str, Method]:
    facts = extract_criteria([criterion])
    expected = _reading(facts)
    for method, candidate in _candidates(criterion, facts):
        bare = candidate(None)
        if bare is None or not _reads_as(bare, criterion, expected) or not _verifies(bare, criterion):
            continue
        before = set(explained.done)
        annotated = candidate(explained)
        if (
            annotated is not None
            and annotated != bare
            and _reads_as(annotated, criterion, expected, items=False)
            and _verifies(annotated, criterion)
        ):
            return annotated, method  # explanations may name things in brackets; the limits must not move
        explained.done = before
        return bare, method
    clean = " ".join(ESCAPE.sub("", criterion.text).split())
    if _reads_as(clean, criterion, expected):
        return clean, "clean"
    return criterion.text, "literal"


def _candidates(criterion: Criterion, facts: Facts) -> Iterator[tuple[Method, _Candidate]]:
    def templated(explained: Explained | None) -> str | None:
        draft = template(criterion, facts)
        if draft is not None and explained is not None:
            explain(draft, explained)
        return None if draft is None else draft.text

    yield "template", templated
    yield "rewritten", lambda explained: _sentence(compose(criterion, facts, FULL, explained))
    yield "words", lambda explained: compose(criterion, facts, PLAIN, explained)


def _sentence(text: str) -> str:
    """A capital first letter and a closing full stop (a group label keeps its colon)."""
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _reading(facts: Facts) -> Counter[str]:
    """What a rendering must keep: every limit, window and count, and every named item with its side."""
    found = Counter(signature(f) for f in (*facts.thresholds, *facts.windows, *facts.counts))
    found.update(f"{item.polarity} {item.concept}" for item in facts.items if _named(item))
    return found


def _named(item: Item) -> bool:
    return item.concept is not None and not item.exception


def _verifies(text: str, criterion: Criterion) -> bool:
    """The verifier's own judgement of this one criterion and its rendering, read as a study of one."""
    alone = replace(criterion, start=0, end=len(criterion.text), parent=None)
    return verify(criterion.text, [alone], _document(text, criterion)).passed


def _document(text: str, criterion: Criterion) -> str:
    heading = INCLUDE_HEADING if criterion.section == "inclusion" else EXCLUDE_HEADING
    return f"## {heading}\n\n- {text}\n"


def _reads_as(text: str, criterion: Criterion, expected: Counter[str], *, items: bool = True) -> bool:
    _, facts = extract_plain(_document(text, criterion))
    found = _reading(facts)
    if items:
        return found == expected
    return +Counter({k: v for k, v in found.items() if k[1:2] in "TWC" and k[:1] in "+-"}) == +Counter(
        {k: v for k, v in expected.items() if k[1:2] in "TWC" and k[:1] in "+-"}
    )


__all__ = ["METHODS", "Method", "Rendered", "render_criteria", "render_translation", "to_translation"]
