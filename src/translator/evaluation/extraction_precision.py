"""Precision of fact extraction on Chia, by hand: a fixed random sample of our facts, judged one by one.

The sample is a *bottom-k hash sample*: every threshold, time window and count gets the rank
``sha256(seed, doc, start, end, signature)`` and the ``SAMPLE_SIZE`` smallest ranks are drawn. For a fixed seed
that is a uniform random sample without replacement, and it is stable while the extractor changes: a fact that
stays the same keeps its rank, so only facts that appear, vanish or change their reading move in or out.

Judgments live in ``evals/extraction/precision_judgments.jsonl``, one JSON object a line, keyed by
``(doc, start, end, signature)``; a sampled fact whose key has a judgment reuses it, the others are listed as
unjudged (``translator eval extraction --unjudged`` prints each with a line to fill in and its criterion).
Judgments whose fact has left the sample stay in the file (it may come back) and are counted as stale.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from translator.domain import Criterion
from translator.errors import InputError, Location
from translator.facts import Count, Fact, Threshold, TimeWindow
from translator.facts.serialize import signature

SAMPLE_SIZE = 200
SEED = "chia-precision-1"
JUDGMENTS = Path("evals/extraction/precision_judgments.jsonl")

Kind = Literal["threshold", "window", "count"]
Error = Literal["not_a_value", "kind", "comparator", "unit", "entity", "relation", "polarity"]
ERRORS: dict[str, str] = {
    "not_a_value": "the number is a label, code, day, name or description, not a criterion's value",
    "kind": "the wrong kind of fact (an age range as a time window, a frequency as a window, a count as a value)",
    "comparator": "the comparator or interval is wrong ('or older' read as =, a range read as a point)",
    "unit": "the unit is dropped or misread",
    "entity": "the entity, event or counted thing is wrong or empty",
    "relation": "the time relation is wrong (a look-back 'in the past 2 years' read as lasting 2 years)",
    "polarity": "include and exclude are swapped",
}
"""What a wrong fact got wrong: the first of these that applies."""
Key = tuple[str, int, int, str]


@dataclass(frozen=True)
class SampledFact:
    """One of our facts, with what a judge needs to see: its criterion, the fact's span marked ⟦…⟧ in it."""

    doc: str
    criterion: str
    kind: Kind
    start: int
    end: int
    signature: str
    text: str
    context: str

    @property
    def key(self) -> Key:
        return (self.doc, self.start, self.end, self.signature)

    def rank(self, seed: str = SEED) -> str:
        return hashlib.sha256("\x1f".join([seed, *map(str, self.key)]).encode("utf-8")).hexdigest()


def kind_of(fact: Fact) -> Kind | None:
    if isinstance(fact, Threshold):
        return "threshold"
    if isinstance(fact, TimeWindow):
        return "window"
    if isinstance(fact, Count):
        return "count"
    return None


def sampled_fact(doc: str, text: str, criteria: dict[str, Criterion], fact: Fact) -> SampledFact | None:
    """The sampling view of a threshold, window or count (None for items); ``text`` is the whole document."""
    kind = kind_of(fact)
    if kind is None:
        return None
    criterion = criteria.get(fact.origin.criterion or "")
    low, high = (criterion.start, criterion.end) if criterion else (fact.span.start, fact.span.end)
    context = f"{text[low : fact.span.start]}⟦{text[fact.span.start : fact.span.end]}⟧{text[fact.span.end : high]}"
    return SampledFact(
        doc=doc,
        criterion=fact.origin.criterion or "?",
        kind=kind,
        start=fact.span.start,
        end=fact.span.end,
        signature=signature(fact),
        text=text[fact.span.start : fact.span.end],
        context=" ".join(context.split()),
    )


def draw(population: list[SampledFact], size: int = SAMPLE_SIZE, seed: str = SEED) -> list[SampledFact]:
    """The ``size`` facts of smallest rank (duplicate keys count once), in rank order."""
    unique = {fact.key: fact for fact in population}
    return sorted(unique.values(), key=lambda fact: fact.rank(seed))[:size]


class Judgment(BaseModel):
    """One hand judgment of one fact: is its value, comparator, unit, entity/event and polarity right?"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    signature: str
    text: str
    verdict: Literal["right", "wrong"]
    error: Error | None = None
    """Set exactly when the verdict is wrong."""
    reason: str = Field(min_length=3)

    @property
    def key(self) -> Key:
        return (self.doc, self.start, self.end, self.signature)

    @model_validator(mode="after")
    def _error_iff_wrong(self) -> Judgment:
        if (self.verdict == "wrong") != (self.error is not None):
            raise ValueError('a "wrong" verdict needs an error, a "right" one none')
        return self


def load_judgments(path: Path) -> dict[Key, Judgment]:
    """Judgments by key; a missing file is no judgments. A bad line or a repeated key raises InputError."""
    if not path.exists():
        return {}
    found: dict[Key, Judgment] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = Location(str(path), line=number)
        try:
            judgment = Judgment.model_validate_json(line)
        except ValidationError as problem:
            first = problem.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "line"
            raise InputError(
                f"not a judgment: {field}: {first['msg']}",
                location=where,
                hint='verdict is "right" or "wrong", reason a short sentence',
            ) from None
        if judgment.key in found:
            raise InputError(f"a second judgment of {judgment.signature!r} at {judgment.start}", location=where)
        found[judgment.key] = judgment
    return found


def skeleton(fact: SampledFact) -> str:
    """The judgment line to fill in for a fact: set ``verdict`` and ``reason``, append it to the file."""
    data = {"doc": fact.doc, "start": fact.start, "end": fact.end, "signature": fact.signature, "text": fact.text}
    return json.dumps({**data, "verdict": "right|wrong", "error": None, "reason": ""}, ensure_ascii=False)


def unjudged(sample: list[SampledFact], judgments: dict[Key, Judgment]) -> list[SampledFact]:
    return [fact for fact in sample if fact.key not in judgments]


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% for z = 1.96)."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def precision(sample: list[SampledFact], judgments: dict[Key, Judgment], population: int) -> dict[str, object]:
    judged = [(fact, judgments[fact.key]) for fact in sample if fact.key in judgments]
    right = sum(judgment.verdict == "right" for _, judgment in judged)
    low, high = wilson(right, len(judged))
    by_kind: dict[str, dict[str, int]] = {}
    for kind in ("threshold", "window", "count"):
        verdicts = Counter(judgment.verdict for fact, judgment in judged if fact.kind == kind)
        by_kind[kind] = {"judged": sum(verdicts.values()), "right": verdicts["right"], "wrong": verdicts["wrong"]}
    in_sample = {fact.key for fact in sample}
    return {
        "population": population,
        "sample": len(sample),
        "seed": SEED,
        "judged": len(judged),
        "unjudged": len(sample) - len(judged),
        "right": right,
        "wrong": len(judged) - right,
        "precision": round(right / len(judged), 4) if judged else None,
        "wilson_95": [round(low, 4), round(high, 4)],
        "by_kind": by_kind,
        "stale_judgments": sum(key not in in_sample for key in judgments),
        "errors": dict(Counter(j.error for _, j in judged if j.error).most_common()),
        "wrong_facts": [_wrong(fact, judgment) for fact, judgment in judged if judgment.verdict == "wrong"],
    }


def _wrong(fact: SampledFact, judgment: Judgment) -> dict[str, object]:
    return {
        "doc": fact.doc,
        "criterion": fact.criterion,
        "span": [fact.start, fact.end],
        "text": fact.text,
        "signature": fact.signature,
        "error": judgment.error,
        "reason": judgment.reason,
        "context": fact.context,
    }


def listing(facts: list[SampledFact]) -> list[str]:
    """Blocks for a judge: the line to fill in, then the criterion with the fact's span marked; a key last."""
    blocks = [f"{skeleton(fact)}\n    {fact.doc} {fact.criterion} ({fact.kind}): {fact.context}\n" for fact in facts]
    key = "\n".join(f"  {name}: {meaning}" for name, meaning in ERRORS.items())
    return [*blocks, f"A wrong verdict names its error, one of:\n{key}"] if facts else blocks
