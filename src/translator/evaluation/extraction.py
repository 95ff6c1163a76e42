"""Fact extraction measured against Chia (Kury et al. 2020): where values and time windows are, and precision.

Run with ``translator eval extraction``; writes reports/extraction.md and .json. Per Chia document: segment it,
extract facts, read its ``.ann``, and score

1. **numeric Value recall**: a numeric ``Value`` span (``extraction_gold``) is *found* when one of our
   thresholds, counts or time windows overlaps it: the fact's span and one fragment of the entity share at least
   one character (``fact.start < fragment.end and fragment.start < fact.end``); for a discontinuous span any
   fragment will do.
2. **duration Temporal recall**: a ``Temporal`` span with a number and a time unit is found when one of our time
   windows, or a threshold whose unit is a time (age, disease duration), overlaps it in the same sense.
3. **precision** on a hand-judged sample of our thresholds, windows and counts (``extraction_precision``).

Misses are grouped by shape (``extraction_gold.SHAPES``) with examples for the extractor's author.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from translator.domain import Criterion, Section
from translator.evaluation import extraction_gold as gold
from translator.evaluation import extraction_precision as precision
from translator.evaluation.chia import Entity, read_annotations
from translator.evaluation.corpus import ChiaDoc, Corpus
from translator.evaluation.extraction_report import markdown
from translator.evaluation.reporting import environment, write_report
from translator.facts import Facts, Span, extract_criteria
from translator.facts.lexicon import lexicon
from translator.segment import segment

Measure = Literal["value", "roman", "temporal"]
VALUE_TARGET = 0.95
EXAMPLES = 40
CONTEXT_REACH = 160
"""Characters of criterion text shown on each side of a missed span."""


@dataclass(frozen=True)
class Scored:
    """One gold span of one document, and whether a fact of ours overlapped it."""

    doc: str
    section: Section
    measure: Measure
    entity: Entity
    text: str
    found: bool
    aside: gold.Aside | None = None
    shape: str | None = None
    """The shape of a miss (None when found or set aside)."""


def time_units() -> frozenset[str]:
    """Units of a length of time: a threshold in one ("life expectancy > 3 months", "wears it > 8 hours/day")
    states a duration, as a time window does."""
    durations = ("time", "half_life", "time_per_day", "time_per_week")
    return frozenset(u.id for u in lexicon().units.units if u.dimension in durations)


def targets(facts: Facts, measure: Measure) -> list[Span]:
    """The spans of our facts that can find a gold span of ``measure``."""
    if measure in ("value", "roman"):
        return [f.span for f in (*facts.thresholds, *facts.counts, *facts.windows)]
    units = time_units()
    return [f.span for f in facts.windows] + [f.span for f in facts.thresholds if f.unit in units]


def overlaps(entity: Entity, spans: Iterable[Span]) -> bool:
    """True when some span shares at least one character with some fragment of the entity."""
    return any(span.start < end and start < span.end for span in spans for start, end in entity.fragments)


def _before(text: str, entity: Entity) -> str:
    """The document text just before the span, on the same line (for shapes such as 'NYHA 4')."""
    return text[max(0, entity.start - 30) : entity.start].rsplit("\n", 1)[-1]


def score_document(doc: str, section: Section, text: str, entities: Iterable[Entity], facts: Facts) -> list[Scored]:
    """Every numeric Value and duration Temporal span of a document, scored against its facts."""
    found_by: dict[Measure, list[Span]] = {m: targets(facts, m) for m in ("value", "roman", "temporal")}
    codes = gold.code_ranges(text)
    scored: list[Scored] = []
    for entity in entities:
        span_text = entity.source_text(text)
        measure: Measure
        if entity.type == "Value" and gold.carries_number(span_text):
            measure = "value"
        elif entity.type == "Value" and gold.carries_roman(span_text):
            measure = "roman"
        elif entity.type == "Temporal" and gold.carries_duration(span_text):
            measure = "temporal"
        else:
            continue
        aside = gold.set_aside(entity, text, codes) if measure == "value" else None
        found = overlaps(entity, found_by[measure])
        shape = None if found or aside else gold.shape_of(span_text, _before(text, entity))
        scored.append(Scored(doc, section, measure, entity, span_text, found, aside, shape))
    return scored


def recall(scored: list[Scored], measure: Measure) -> dict[str, object]:
    mine = [s for s in scored if s.measure == measure]
    counted = [s for s in mine if s.aside is None]
    found = sum(s.found for s in counted)
    by_section = {
        section: _ratio([s for s in counted if s.section == section]) for section in ("inclusion", "exclusion")
    }
    aside: dict[str, dict[str, int]] = {}
    for reason in sorted({s.aside for s in mine if s.aside}):
        those = [s for s in mine if s.aside == reason]
        aside[reason] = {"spans": len(those), "found_anyway": sum(s.found for s in those)}
    return {
        "gold": len(counted),
        "found": found,
        "recall": round(found / len(counted), 4) if counted else None,
        "discontinuous": sum(s.entity.discontinuous for s in counted),
        "by_section": by_section,
        "set_aside": aside,
        "recall_without_setting_aside": _ratio(mine)["recall"],
        "miss_shapes": dict(Counter(s.shape for s in counted if not s.found).most_common()),
    }


def _ratio(scored: list[Scored]) -> dict[str, object]:
    found = sum(s.found for s in scored)
    return {"gold": len(scored), "found": found, "recall": round(found / len(scored), 4) if scored else None}


def examples(
    misses: list[Scored], texts: Mapping[str, str], criteria: Mapping[str, Sequence[Criterion]]
) -> list[dict[str, object]]:
    """Up to ``EXAMPLES`` misses, taken in turn from each shape (most common shape first), in document order."""
    by_shape: dict[str, list[Scored]] = defaultdict(list)
    for miss in misses:
        by_shape[miss.shape or "other"].append(miss)
    queues = sorted(by_shape.values(), key=len, reverse=True)
    chosen: list[Scored] = []
    while len(chosen) < EXAMPLES and any(queues):
        for queue in queues:
            if queue and len(chosen) < EXAMPLES:
                chosen.append(queue.pop(0))
    return [_example(miss, texts[miss.doc], criteria[miss.doc]) for miss in chosen]


def _example(miss: Scored, text: str, criteria: Sequence[Criterion]) -> dict[str, object]:
    entity = miss.entity
    home = next((c for c in criteria if c.start <= entity.start < c.end), None)
    if home:
        low, high = home.start, home.end
    else:  # the span's line
        line_end = text.find("\n", entity.end)
        low, high = text.rfind("\n", 0, entity.start) + 1, len(text) if line_end < 0 else line_end
    low, high = max(low, entity.start - CONTEXT_REACH), min(high, entity.end + CONTEXT_REACH)
    marked, cursor = [], low
    for start, end in sorted(entity.fragments):
        marked += [text[cursor:start], "⟦", text[start:end], "⟧"]
        cursor = end
    marked.append(text[cursor:high])
    return {
        "doc": miss.doc,
        "entity": entity.id,
        "text": miss.text,
        "fragments": [list(f) for f in entity.fragments],
        "shape": miss.shape,
        "criterion": home.id if home else None,
        "context": " ".join("".join(marked).split()),
    }


@dataclass
class _Pass:
    """Everything one pass over the Chia documents collects."""

    scored: list[Scored]
    texts: dict[str, str]
    criteria: dict[str, tuple[Criterion, ...]]
    population: list[precision.SampledFact]
    chia: Counter[str]
    seconds: float


def _read(docs: Iterable[ChiaDoc]) -> _Pass:
    started = time.perf_counter()
    run = _Pass([], {}, {}, [], Counter(), 0.0)
    for doc in docs:
        section: Section = "exclusion" if doc.section == "exclusion" else "inclusion"
        criteria = segment(doc.text, section)
        facts = extract_criteria(criteria)
        entities = read_annotations(doc)
        run.scored += score_document(doc.name, section, doc.text, entities, facts)
        run.texts[doc.name], run.criteria[doc.name] = doc.text, criteria
        by_id = {c.id: c for c in criteria}
        run.population += [s for f in facts.all() if (s := precision.sampled_fact(doc.name, doc.text, by_id, f))]
        _count_chia(run.chia, doc.text, entities)
    run.seconds = time.perf_counter() - started
    return run


def _count_chia(counts: Counter[str], text: str, entities: tuple[Entity, ...]) -> None:
    """What is odd about Chia itself: line endings, discontinuous spans, stated texts that are not the slice."""
    counts["documents"] += 1
    counts["crlf_documents"] += "\r\n" in text
    counts["entities"] += len(entities)
    counts["discontinuous_entities"] += sum(e.discontinuous for e in entities)
    differs = [e for e in entities if e.text != e.source_text(text)]
    counts["stated_text_differs_from_slice"] += len(differs)
    counts["stated_text_differs_by_a_dropped_cr"] += sum(
        e.text == e.source_text(text).replace("\r", "") for e in differs
    )
    multipliers = [e.source_text(text) for e in entities if e.type == "Multiplier"]
    counts["numeric_multiplier_spans"] += sum(gold.carries_number(m) for m in multipliers)
    counts["multiplier_spans_with_a_dose_or_lab_unit"] += sum(gold.carries_measured_amount(m) for m in multipliers)
    for name, found in gold.lost_comparators(text).items():
        counts[f"text: {name}"] += found
    for entity in entities:
        if entity.type == "Value" and gold.carries_number(entity.source_text(text)):
            for name in gold.lost_comparators(entity.source_text(text)):
                counts[f"value spans: {name}"] += 1


def unjudged_listing(corpus: Corpus, judgments: Path = precision.JUDGMENTS) -> list[str]:
    """The sampled facts without a judgment, each as a line to fill in and its criterion, plus a count line."""
    judged = precision.load_judgments(judgments)
    drawn = precision.draw(_read(corpus.chia_docs()).population)
    missing = precision.unjudged(drawn, judged)
    footer = f"{len(missing)} of {len(drawn)} sampled facts unjudged; append filled-in lines to {judgments}"
    return [*precision.listing(missing), footer]


def headline(data: dict[str, object]) -> str:
    parts = []
    for key, label in (("value_recall", "value recall"), ("temporal_recall", "temporal recall")):
        part = data[key]
        assert isinstance(part, dict)
        parts.append(f"{label} {part['recall']} ({part['found']}/{part['gold']})")
    prec = data["precision"]
    assert isinstance(prec, dict)
    parts.append(f"precision {prec['precision']} ({prec['judged']} judged, {prec['unjudged']} unjudged)")
    return ", ".join(parts)


def run(corpus: Corpus, out_dir: Path, judgments: Path = precision.JUDGMENTS) -> dict[str, object]:
    judged = precision.load_judgments(judgments)
    result = _read(corpus.chia_docs())
    drawn = precision.draw(result.population)
    data: dict[str, object] = {
        "documents": len(result.texts),
        "value_recall": {**recall(result.scored, "value"), "target": VALUE_TARGET},
        "temporal_recall": recall(result.scored, "temporal"),
        "roman_value_recall": recall(result.scored, "roman"),
        "precision": {**precision.precision(drawn, judged, len(result.population)), "judgments": str(judgments)},
        "miss_examples": {
            measure: examples(
                [s for s in result.scored if s.measure == measure and s.aside is None and not s.found],
                result.texts,
                result.criteria,
            )
            for measure in ("value", "temporal")
        },
        "chia": dict(sorted(result.chia.items())),
        "seconds": round(result.seconds, 1),
        "environment": environment(),
    }
    write_report(out_dir, "extraction", markdown(data), data)
    return data
