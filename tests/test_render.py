"""The offline renderer: templates, the reader's voice, lay words, tidying, and the read-back safety net.

Expected texts are the renderings without explanations in brackets (those come from the glossary and are
checked in one place below), so a table row states exactly what the rewrite does to the criterion's words.
"""

from __future__ import annotations

import re

import pytest

from translator.domain import Criterion, Section
from translator.errors import RuleFileError
from translator.facts import extract_criteria
from translator.render import render_criteria
from translator.render.compose import CITATION, FULL, Draft, compose, speak, split_list
from translator.render.templates import template
from translator.render.words import LayTerm, _check_lay_terms, plain_words
from translator.segment import segment


def criterion(section: Section, text: str) -> Criterion:
    head = "Inclusion Criteria:" if section == "inclusion" else "Exclusion Criteria:"
    found = segment(f"{head}\n\n* {text}")
    assert len(found) == 1, found
    return found[0]


TEMPLATES = [
    ("inclusion", "Aged between ≥ 18 to ≤ 65 years", "You are 18 to 65 years old."),
    ("inclusion", "Age ≥ 18 years", "You are at least 18 years old."),
    ("inclusion", "Serum ALT \\<5 x ULN", "Your ALT must be less than 5 times the upper limit of normal (ULN)."),
    ("exclusion", "QTc > 470 ms", "Your QTc is more than 470 milliseconds."),
    (
        "inclusion",
        "Eastern Cooperative Oncology Group (ECOG) performance status ≤ 2.",
        "Your ECOG performance status must be no more than 2.",
    ),
    (
        "inclusion",
        "Liver function: AST and ALT ≤ 3 × ULN, total bilirubin ≤ 1.5 × ULN",
        "Liver function: Your AST and ALT must be no more than 3 times the upper limit of normal (ULN). Your total "
        "bilirubin must be no more than 1.5 times the upper limit of normal (ULN).",
    ),
    # separate sentences would say "all of these" (inclusion) or "any of these" (exclusion): not for these lists
    ("inclusion", "Creatinine ≤ 1.5 × ULN or creatinine clearance ≥ 45 mL/min", None),
    ("exclusion", "ALT > 3 × ULN and total bilirubin > 2 × ULN", None),
    # words beyond the measure and its value keep the criterion's own wording
    ("inclusion", "Age ≥ 18 years at the time of signing informed consent", None),
    ("inclusion", "ANC ≥ 1.5 × 10^9/L without growth factor support", None),
]


@pytest.mark.parametrize(("section", "text", "expected"), TEMPLATES)
def test_templates(section: Section, text: str, expected: str | None) -> None:
    given = criterion(section, text)
    draft = template(given, extract_criteria([given]))
    assert (draft.text if draft is not None else None) == expected


REWRITES = [
    ("exclusion", "HIV, hepatitis B, or syphilis.", "You have HIV. You have hepatitis B. You have syphilis."),
    ("exclusion", "HIV, hepatitis B or C.", "You have HIV, hepatitis B or C."),  # "B or C" is one item: not split
    ("exclusion", "Septicemia.", "You have septicemia."),
    ("exclusion", "History of stroke or myocardial infarction", "You have had stroke or heart attack."),
    ("exclusion", "Patients with uncontrolled hypertension", "You have uncontrolled high blood pressure."),
    ("inclusion", "Able to swallow tablets", "You are able to swallow tablets."),
    ("exclusion", "Pregnant/nursing female.", "You are pregnant or nursing female."),
    ("exclusion", "FVC < 45% and/or DLCO < 30% predicted", "FVC less than 45% or DLCO less than 30% predicted."),
    (
        "exclusion",
        "Known brain metastases; prior radiotherapy within 4 weeks",
        "You have known cancer that has spread to the brain. You have had prior radiation within 4 weeks.",
    ),
    (
        "inclusion",
        "Clinical Diagnosis of SLE according to the 2019 EULAR/ACR criteria (Fanouriakis et al., 2019)",
        "You have a clinical diagnosis of SLE according to the 2019 EULAR/ACR criteria.",
    ),
    (
        "inclusion",
        "Diagnosis of systemic lupus erythematosus (SLE)",
        "You have a diagnosis of lupus (SLE).",
    ),
    (
        "exclusion",
        "Has received a live vaccine within 30 days prior to the first dose",
        "You have had a live vaccine within 30 days before the first dose.",
    ),
]


@pytest.mark.parametrize(("section", "text", "expected"), REWRITES)
def test_rewrites(section: Section, text: str, expected: str) -> None:
    given = criterion(section, text)
    rendered = compose(given, extract_criteria([given]), FULL, None)
    assert rendered[:1].upper() + rendered[1:].rstrip(".") + "." == expected


@pytest.mark.parametrize(
    ("section", "text", "method", "expected"),
    [
        ("inclusion", "Aged between ≥ 18 to ≤ 65 years", "template", "You are 18 to 65 years old."),
        ("exclusion", "Septicemia.", "rewritten", "You have septicemia (a serious blood infection)."),
        (
            "inclusion",
            "Serum ALT \\<5 x ULN",
            "template",
            "Your ALT (a liver test) must be less than 5 times the upper limit of normal (ULN).",
        ),
    ],
)
def test_render_criteria_explains_terms_at_first_mention(
    section: Section, text: str, method: str, expected: str
) -> None:
    [rendered] = render_criteria([criterion(section, text)])
    assert (rendered.method, rendered.text) == (method, expected)


def test_a_term_is_explained_once_per_translation() -> None:
    found = segment("Exclusion Criteria:\n\n* Septicemia.\n* Septicemia after surgery.")
    texts = [r.text for r in render_criteria(found)]
    assert [t.count("(a serious blood infection)") for t in texts] == [1, 0]


def test_criteria_flagged_for_repair_are_given_in_their_own_words() -> None:
    given = criterion("exclusion", "Septicemia.")
    [rendered] = render_criteria([given], literal={given.id})
    assert (rendered.method, rendered.text) == ("literal", "Septicemia.")


def test_a_rendering_that_reads_back_differently_is_not_used() -> None:
    """The age template drops what else the criterion says; then the criterion keeps its own sentence."""
    given = criterion("inclusion", "Age ≥ 18 years at the time of signing informed consent")
    [rendered] = render_criteria([given])
    assert rendered.method != "template" and "informed consent" in rendered.text and "at least 18" in rendered.text


@pytest.mark.parametrize("rule", plain_words().leads, ids=lambda r: r.lead)
def test_every_lead_rule_rewrites_its_example(rule: object) -> None:
    from translator.render.words import Lead

    assert isinstance(rule, Lead)
    for section, replacement in (("inclusion", rule.inclusion), ("exclusion", rule.exclusion)):
        draft = Draft(rule.example)
        speak(draft, section)  # type: ignore[arg-type]
        if replacement is None:
            assert not draft.text.startswith("You "), (section, draft.text)
        else:
            assert draft.text.startswith(replacement + " "), (section, draft.text)
            assert draft.text.lower().endswith(rule.example[len(rule.lead) :].strip().lower())


def test_a_lay_term_that_names_another_concept_is_refused() -> None:
    with pytest.raises(RuleFileError, match="reads as"):
        _check_lay_terms((LayTerm(term="hypertension", clinical="hypertension", plain="low blood pressure"),))


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("criteria (Fanouriakis et al., 2019) met", "criteria met"),
        ("state (Franklyn et al., 2016, van Vollenhoven et al., 2021).", "state."),
        ("per RECIST (Eisenhauer and Therasse, 2009)", "per RECIST"),
        ("count (at least 2 in 2019)", "count (at least 2 in 2019)"),
        ("scored (ECOG, 2)", "scored (ECOG, 2)"),
    ],
)
def test_citations(text: str, left: str) -> None:
    assert CITATION.sub("", text) == left


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You have HIV, hepatitis B, or syphilis", "You have HIV. You have hepatitis B. You have syphilis"),
        (
            "You have had stroke, angina, or heart failure",
            "You have had stroke. You have had angina. You have had heart failure",
        ),
        ("You have HIV, hepatitis B, or cancer within 5 years", None),  # "within" may reach all three
        ("You have HIV or hepatitis B", None),  # two items: short enough as it is
        ("You have A, B and C, or D", None),  # an "and" inside: not a plain list of alternatives
        ("HIV, hepatitis B, or syphilis", None),  # no sentence about the reader to repeat
    ],
)
def test_exclusion_lists_become_sentences(text: str, expected: str | None) -> None:
    draft = Draft(text)
    split_list(draft)
    assert draft.text == (expected if expected is not None else text)
    assert not re.search(r"\.\s+[a-z]", draft.text)
