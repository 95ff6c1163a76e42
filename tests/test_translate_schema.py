"""The translation contract's validators: structural checks whose messages become instructor's re-ask.

Every source criterion covered at least once, no unknown ids, no empty text, no extra fields; a group label
("Adequate organ function:") may be listed but need not be. Each message tells the model what to do.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from translator.domain import Criterion
from translator.translate.schema import PlainTranslation, criterion_ids

CRITERIA = (
    Criterion("I1", "inclusion", "Age >= 18 years", 0, 15, None),
    Criterion("I2", "inclusion", "Adequate organ function:", 16, 40, None),
    Criterion("I2.a", "inclusion", "ANC >= 1.5 x 10^9/L", 41, 60, "I2"),
    Criterion("E1", "exclusion", "Pregnancy", 61, 70, None),
)
CONTEXT = {"criterion_ids": criterion_ids(CRITERIA), "known_ids": [c.id for c in CRITERIA]}


def item(text: str, *covers: str) -> dict[str, Any]:
    return {"text": text, "covers": list(covers)}


def answer(inclusion: list[dict[str, Any]], exclusion: list[dict[str, Any]]) -> dict[str, Any]:
    return {"inclusion": inclusion, "exclusion": exclusion}


GOOD_INCLUSION = [item("You are 18 or older.", "I1"), item("Your ANC is at least 1.5.", "I2.a")]
GOOD_EXCLUSION = [item("You are pregnant.", "E1")]


def test_group_labels_need_no_sentence_of_their_own() -> None:
    assert criterion_ids(CRITERIA) == ["I1", "I2.a", "E1"]


@pytest.mark.parametrize(
    "data",
    [
        answer(GOOD_INCLUSION, GOOD_EXCLUSION),
        answer([item("You are 18 or older and your ANC is at least 1.5.", "I1", "I2", "I2.a")], GOOD_EXCLUSION),
        answer([*GOOD_INCLUSION, item("You are an adult.", "I1")], GOOD_EXCLUSION),
    ],
    ids=["one-each", "group-label-listed", "covered-twice"],
)
def test_a_complete_translation_is_accepted(data: dict[str, Any]) -> None:
    translation = PlainTranslation.model_validate(data, context=CONTEXT)
    assert translation.model_dump() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            answer(GOOD_INCLUSION, []),
            "criteria ['E1'] are not covered: add a sentence for each and list its id in covers",
        ),
        (
            answer([item("You are 18 or older.", "I1")], []),
            "criteria ['I2.a', 'E1'] are not covered",
        ),
        (
            answer(GOOD_INCLUSION, [item("You are pregnant.", "E1", "E7")]),
            "unknown criterion ids ['E7']: use only the ids given in the input",
        ),
        (
            answer([item("   ", "I1"), item("Your ANC is at least 1.5.", "I2.a")], GOOD_EXCLUSION),
            "text is empty: write the criterion as one plain-English sentence",
        ),
        (
            answer([item("You are 18 or older."), item("Your ANC is at least 1.5.", "I2.a")], GOOD_EXCLUSION),
            "covers is empty: list the id of every source criterion this sentence states",
        ),
        (
            {**answer(GOOD_INCLUSION, GOOD_EXCLUSION), "verdict": "PASS"},
            "Extra inputs are not permitted",
        ),
        (
            answer([{**GOOD_INCLUSION[0], "confidence": 0.9}, GOOD_INCLUSION[1]], GOOD_EXCLUSION),
            "Extra inputs are not permitted",
        ),
        ({"inclusion": GOOD_INCLUSION}, "Field required"),
    ],
    ids=[
        "exclusion-dropped",
        "several-dropped",
        "unknown-id",
        "empty-text",
        "empty-covers",
        "extra-field",
        "extra-item-field",
        "missing-section",
    ],
)
def test_structural_problems_are_refused_with_a_message_for_the_model(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PlainTranslation.model_validate(data, context=CONTEXT)
    assert message in str(caught.value)


def test_without_a_context_only_the_shape_is_checked() -> None:
    """Records and the cache read translations back without the ids; coverage is then the verifier's to judge."""
    partial = answer([item("You are 18 or older.", "I1")], [])
    assert PlainTranslation.model_validate(partial).inclusion[0].covers == ["I1"]
    with pytest.raises(ValidationError):
        PlainTranslation.model_validate(answer([item("", "I1")], []))


def test_text_is_stripped_and_the_markdown_has_a_heading_per_side() -> None:
    translation = PlainTranslation.model_validate(
        answer([item("  You are 18\nor older. ", "I1", "I2.a")], GOOD_EXCLUSION), context=CONTEXT
    )
    assert translation.inclusion[0].text == "You are 18\nor older."
    assert translation.to_markdown() == (
        "## You may be able to join if:\n\n- You are 18 or older.\n\n## You cannot join if:\n\n- You are pregnant.\n"
    )
