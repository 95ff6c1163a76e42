"""The ``translator verify --json`` contract, as the review screen and other tools read it.

Real outputs (examples/ and shared-corpus studies, faithful translations and the verifier eval's mutants of
them, both input shapes) are validated against the shipped JSON Schema
(``translator/verify/verdict.schema.json``) and the invariants a schema cannot state: every quoted text is the
code-point slice its span names (criteria text exactly as read, translation exactly as read: CRLF kept, "≥",
"µ" and emoji one code point each), criteria slice the criteria text, the verdict is ``flag`` iff a blocker or
major finding exists, the exit code is 0/1/2, and stdout holds exactly one JSON object.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.verify_support import (
    EXAMPLE_IDS,
    EXAMPLES,
    PROJECT,
    contract_problems,
    faithful_text,
    run_verify,
    schema,
    source_of,
    study_criteria,
    write_study_json,
    write_text,
)
from translator.evaluation.corpus import Corpus
from translator.evaluation.mutations import mutants
from translator.evaluation.tagged import parse
from translator.segment import segment

CORPUS_IDS = ("NCT00576225", "NCT02652234", "NCT05843643", "NCT03634059", "NCT05814159")
MUTANTS_PER_STUDY = 6

# A criteria text file with CRLF newlines and characters outside ASCII before the facts that findings quote, so
# a reader that translates newlines or counts bytes or UTF-16 units puts every later span in the wrong place.
CRLF_SOURCE = (
    "Inclusion Criteria:\r\n\r\n"
    "* 🧪 Age ≥ 18 years\r\n"
    "* Vitamin B12 ≥ 200 pg/mL; µ-opioid use allowed\r\n"
    "* Hemoglobin ≥ 9 g/dL\r\n"
    "* Creatinine clearance ≥ 30 mL/min\r\n"
    "\r\n"
    "Exclusion Criteria:\r\n\r\n"
    "* HIV infection\r\n"
    "* Pregnancy 🤰 or breastfeeding\r\n"
)
CRLF_TRANSLATION = (
    "## 👍 You may be able to join if:\r\n"
    "- You are 18 years old or older 🎂.\r\n"
    "- Your hemoglobin is at least 7 g/dL (µ-opioid medicines are allowed).\r\n"
    "- Your creatinine clearance is at least 30 mL/min.\r\n"
    "\r\n"
    "## 🚫 You cannot join if:\r\n"
    "- You are pregnant or breastfeeding.\r\n"
)
"""Drops the vitamin B12 limit and HIV, changes hemoglobin 9 -> 7: findings on both sides after the emoji."""


def _mutant_texts(nct_id: str, criteria_text: str) -> list[tuple[str, str]]:
    """The faithful text and a few of the eval's mutants of it, one per kind first (deterministic)."""
    tagged = parse(nct_id, (PROJECT / "evals" / "verifier" / "faithful" / f"{nct_id}.md").read_text("utf-8"))
    found = mutants(tagged, criteria_text, segment(criteria_text, "inclusion"))
    kinds: Counter[str] = Counter()
    chosen: list[tuple[str, str]] = [("faithful", faithful_text(nct_id))]
    for mutant in sorted(found, key=lambda m: (m.kind, m.edit)):
        if kinds[mutant.kind] == 0 and len(chosen) <= MUTANTS_PER_STUDY:
            chosen.append((f"{mutant.kind}: {mutant.edit}", mutant.text))
        kinds[mutant.kind] += 1
    return chosen


def _assert_contract(source: Path, translation: Path, label: str) -> dict[str, Any]:
    run = run_verify(source, translation)
    criteria_text, text = source_of(source), translation.read_bytes().decode("utf-8-sig")
    problems = contract_problems(run.stdout, criteria_text, text)
    assert problems == [], f"{label}: {problems}"
    payload = run.payload
    assert run.exit_code == (0 if payload["verdict"] == "pass" else 1), f"{label}: exit {run.exit_code}, {run.stderr}"
    assert payload["criteria"], f"{label}: no criteria"
    return payload


@pytest.mark.parametrize("nct_id", EXAMPLE_IDS)
def test_example_outputs_keep_the_contract(nct_id: str, tmp_path: Path) -> None:
    source = EXAMPLES / f"{nct_id}.json"
    for label, text in _mutant_texts(nct_id, source_of(source)):
        _assert_contract(source, write_text(tmp_path / "t.md", text), f"{nct_id} {label}")


@pytest.mark.corpus
@pytest.mark.parametrize("nct_id", CORPUS_IDS)
@pytest.mark.parametrize("shape", ["json", "txt"])
def test_corpus_outputs_keep_the_contract_in_both_input_shapes(
    nct_id: str, shape: str, corpus: Corpus, tmp_path: Path
) -> None:
    criteria_text = study_criteria(nct_id, corpus)
    if shape == "json":
        source = write_study_json(tmp_path, nct_id, criteria_text)
    else:
        source = write_text(tmp_path / f"{nct_id}.txt", criteria_text)
    kinds: set[str] = set()
    for label, text in _mutant_texts(nct_id, criteria_text):
        payload = _assert_contract(source, write_text(tmp_path / "t.md", text), f"{nct_id} {shape} {label}")
        kinds |= {f["kind"] for f in payload["findings"]}
    assert {"dropped", "altered"} <= kinds, f"{nct_id}: the mutants should give more than one kind of finding"


@pytest.mark.corpus
def test_a_study_json_and_its_text_file_give_the_same_output(corpus: Corpus, tmp_path: Path) -> None:
    criteria_text = study_criteria("NCT02652234", corpus)
    translation = write_text(tmp_path / "t.md", faithful_text("NCT02652234"))
    as_json = run_verify(write_study_json(tmp_path, "NCT02652234", criteria_text), translation)
    as_text = run_verify(write_text(tmp_path / "NCT02652234.txt", criteria_text), translation)
    assert as_json.payload == as_text.payload
    assert as_json.exit_code == as_text.exit_code


def test_crlf_and_non_ascii_spans_are_code_points_into_the_text_as_read(tmp_path: Path) -> None:
    source = write_text(tmp_path / "criteria.txt", CRLF_SOURCE)
    translation = write_text(tmp_path / "plain.md", CRLF_TRANSLATION)
    payload = _assert_contract(source, translation, "crlf")
    assert payload["verdict"] == "flag"
    assert all("\r" not in c["text"][-1:] for c in payload["criteria"]), "a criterion swallowed its CR"
    first = payload["criteria"][0]
    assert CRLF_SOURCE[first["start"] : first["end"]] == "🧪 Age ≥ 18 years"
    by_criterion = {f["criterion_id"]: f for f in payload["findings"]}
    assert {"I2", "I3", "E1"} <= set(by_criterion), payload["findings"]
    altered = by_criterion["I3"]
    assert altered["kind"] == "altered"
    assert "7 g/dL" in altered["output_text"]
    assert "9 g/dL" in altered["source_text"]
    start, end = altered["output_span"]
    assert CRLF_TRANSLATION[start:end] == altered["output_text"]
    assert CRLF_TRANSLATION.replace("\r\n", "\n")[start:end] != altered["output_text"], "the test must see CRLF"
    dropped = by_criterion["E1"]
    start, end = dropped["source_span"]
    assert "HIV" in CRLF_SOURCE[start:end] and "HIV" not in CRLF_SOURCE.replace("\r\n", "\n")[start:end]
    assert "HIV" not in CRLF_SOURCE.encode("utf-8")[start:end].decode("utf-8", "replace"), "spans count code points"


def test_study_json_spans_index_the_decoded_criteria_string(tmp_path: Path) -> None:
    """The JSON file escapes "≥" and newlines; spans count the decoded string, not the file's characters."""
    criteria = CRLF_SOURCE.replace("\r\n", "\n")
    path = tmp_path / "NCT09999999.json"
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999"},
            "eligibilityModule": {"eligibilityCriteria": criteria},
        }
    }
    path.write_text(json.dumps(study, ensure_ascii=True), encoding="utf-8")
    payload = _assert_contract(path, write_text(tmp_path / "plain.md", CRLF_TRANSLATION), "json-escaped")
    assert any(f["source_span"] for f in payload["findings"])


@pytest.mark.parametrize(
    ("translation", "exit_code", "verdict"),
    [
        ("## You can join if:\n- You are 18 or older.\n\n## You cannot join if:\n- You are pregnant.\n", 0, "pass"),
        ("## You can join if:\n- You are 16 or older.\n\n## You cannot join if:\n- You are pregnant.\n", 1, "flag"),
    ],
)
def test_exit_code_follows_the_verdict_with_and_without_json(
    translation: str, exit_code: int, verdict: str, tmp_path: Path
) -> None:
    source = write_text(
        tmp_path / "c.txt", "Inclusion Criteria:\n* Age ≥ 18 years\n\nExclusion Criteria:\n* Pregnancy\n"
    )
    plain = write_text(tmp_path / "t.md", translation)
    run = run_verify(source, plain)
    assert (run.exit_code, run.payload["verdict"]) == (exit_code, verdict), run.stdout
    readable = run_verify(source, plain, as_json=False)
    assert readable.exit_code == exit_code
    assert readable.stdout.startswith(f"verdict: {verdict.upper()}")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["missing.txt", "missing.md"], id="missing files"),
        pytest.param(["only-one-argument"], id="usage: one argument"),
        pytest.param(["a.txt", "b.md", "--bogus"], id="usage: unknown option"),
    ],
)
def test_bad_input_or_usage_exits_2_with_nothing_on_stdout(args: list[str], tmp_path: Path) -> None:
    from tests.verify_support import RUNNER
    from translator.cli import app

    result = RUNNER.invoke(app, ["verify", *[str(tmp_path / a) if not a.startswith("-") else a for a in args]])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_stdout_is_exactly_one_json_object_and_notes_go_to_stderr(tmp_path: Path) -> None:
    """A study whose age cannot be read gives a note: it must go to stderr, never into the JSON stream."""
    source = write_study_json(tmp_path, "NCT09999998", "Inclusion Criteria:\n* Age ≥ 18 years\n")
    study = json.loads(source.read_text("utf-8"))
    study["protocolSection"]["eligibilityModule"]["minimumAge"] = "eighteen"
    source.write_text(json.dumps(study), encoding="utf-8")
    run = run_verify(source, write_text(tmp_path / "t.md", "You must be 18 or older.\n"))
    lines = run.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("{") and lines[0].endswith("}")
    decoder = json.JSONDecoder()
    value, end = decoder.raw_decode(run.stdout)
    assert isinstance(value, dict) and run.stdout[end:] == "\n"
    assert "eighteen" in run.stderr and "eighteen" not in run.stdout


def test_control_characters_are_escaped_in_the_json_stream(tmp_path: Path) -> None:
    """Criteria are third-party text: the JSON holds them exactly, but stdout carries no raw control or bidi
    characters a terminal would act on."""
    criteria = "Inclusion Criteria:\n* Age ≥ 18 years \x1b[31m\u202e\x9b2J\n* Pregnancy test negative\n"
    source = write_text(tmp_path / "c.txt", criteria)
    translation = "You must be 18 or older.\x1b[0m\n"
    run = run_verify(source, write_text(tmp_path / "t.md", translation))
    assert contract_problems(run.stdout, criteria, translation) == []
    assert not any(ch in run.stdout for ch in "\x1b\u202e\x9b")
    assert any("\x1b" in c["text"] for c in run.payload["criteria"])


# --- the schema itself -------------------------------------------------------------------------------------------


def test_the_schema_ships_as_package_data_and_is_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "verify/*.json" in config["package-data"]["translator"], "the wheel would lack verdict.schema.json"


GOOD_FINDING: dict[str, Any] = {
    "kind": "altered",
    "severity": "blocker",
    "criterion_id": "I3.a",
    "source_span": [10, 20],
    "output_span": [3, 9],
    "source_text": "x",
    "output_text": "y",
    "message": "I3.a: the source says ...",
}


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"detail": "value", "new_field": 1}, True),
        ({"criterion_id": None, "source_span": None}, True),
        ({"kind": "changed"}, False),
        ({"severity": "critical"}, False),
        ({"criterion_id": "X1"}, False),
        ({"source_span": [1, 2, 3]}, False),
        ({"output_span": [1.5, 2]}, False),
        ({"output_span": [-1, 2]}, False),
        ({"message": ""}, False),
        ({"source_text": None}, False),
    ],
)
def test_the_schema_accepts_and_rejects_findings(change: dict[str, Any], valid: bool) -> None:
    payload = {
        "verdict": "flag",
        "criteria": [{"id": "I3.a", "section": "inclusion", "start": 0, "end": 5, "text": "Age ≥"}],
        "findings": [{**GOOD_FINDING, **change}],
    }
    errors = list(Draft202012Validator(schema()).iter_errors(payload))
    assert (not errors) == valid, errors


@pytest.mark.parametrize(
    "breakage",
    ["shift a span", "misquote", "wrong verdict", "criterion text", "two objects", "missing field"],
)
def test_contract_check_catches_each_kind_of_breakage(breakage: str, tmp_path: Path) -> None:
    """The checker used above must fail on a broken output, or the contract tests prove nothing."""
    source = write_text(tmp_path / "criteria.txt", CRLF_SOURCE)
    run = run_verify(source, write_text(tmp_path / "plain.md", CRLF_TRANSLATION))
    payload = run.payload
    finding = next(f for f in payload["findings"] if f["output_span"])
    if breakage == "shift a span":
        finding["output_span"] = [finding["output_span"][0] + 1, finding["output_span"][1] + 1]
    elif breakage == "misquote":
        finding["source_text"] = finding["source_text"] + " "
    elif breakage == "wrong verdict":
        payload["verdict"] = "pass"
    elif breakage == "criterion text":
        payload["criteria"][0]["text"] = payload["criteria"][0]["text"].upper()
    elif breakage == "missing field":
        del finding["message"]
    stdout = json.dumps(payload, ensure_ascii=False)
    if breakage == "two objects":
        stdout = stdout + "\n" + stdout
    assert contract_problems(stdout, CRLF_SOURCE, CRLF_TRANSLATION) != []
