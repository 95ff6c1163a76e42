"""Shared helpers of the verifier's tests: run ``translator verify`` in-process, build its inputs, and check the
output contract (schema and span invariants).

The contract lives in the README and in ``translator/verify/verdict.schema.json``; ``contract_problems`` is its
executable form, used by the contract, snapshot and bad-input tests alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from translator.cli import app
from translator.evaluation.corpus import Corpus
from translator.evaluation.tagged import parse
from translator.evaluation.verifier_eval import source_text

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT / "examples"
FAITHFUL = PROJECT / "evals" / "verifier" / "faithful"
EXAMPLE_IDS = ("NCT06010472", "NCT06710717", "NCT07193667", "NCT07233642")
RUNNER = CliRunner()


@dataclass(frozen=True)
class Run:
    """One ``translator verify`` run: exit code, the two streams, and the parsed JSON when stdout holds it."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def payload(self) -> dict[str, Any]:
        value = json.loads(self.stdout)
        assert isinstance(value, dict), f"stdout is a JSON {type(value).__name__}, not an object"
        return value


def run_verify(source: Path, translation: Path, *, as_json: bool = True) -> Run:
    args = ["verify", str(source), str(translation)] + (["--json"] if as_json else [])
    result = RUNNER.invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"translator {' '.join(args)} raised {result.exception!r}") from result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


@cache
def schema() -> dict[str, Any]:
    """The schema as the installed package ships it (package data, not the source tree)."""
    text = resources.files("translator.verify").joinpath("verdict.schema.json").read_text(encoding="utf-8")
    value = json.loads(text)
    assert isinstance(value, dict)
    return value


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def _span_problems(where: str, span: object, text: str, quoted: object, side: str) -> list[str]:
    if span is None:
        return [] if quoted == "" else [f"{where}: {side}_span is null but {side}_text is {quoted!r}"]
    assert isinstance(span, list)
    start, end = span
    if not 0 <= start <= end <= len(text):
        return [f"{where}: {side}_span {span} is outside 0..{len(text)}"]
    if text[start:end] != quoted:
        return [f"{where}: {side}_text {quoted!r} is not the text at {side}_span {span}: {text[start:end]!r}"]
    return []


def contract_problems(stdout: str, criteria_text: str, translation: str) -> list[str]:
    """Everything wrong with one ``--json`` output: stdout is exactly one JSON object valid under the schema,
    every span slices its text to the quoted text, criteria are in order and slice the criteria text, and the
    verdict is ``flag`` exactly when a blocker or major finding exists."""
    try:
        payload = json.loads(stdout)
    except json.JSONDecodeError as exc:
        return [f"stdout is not exactly one JSON value ({exc}): {stdout[:200]!r}"]
    problems = [
        f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(payload)
    ]
    if problems:
        return problems
    previous_end = 0
    ids: set[str] = set()
    for criterion in payload["criteria"]:
        cid, start, end = criterion["id"], criterion["start"], criterion["end"]
        if criteria_text[start:end] != criterion["text"] or not start <= end:
            problems.append(f"criterion {cid}: text is not criteria_text[{start}:{end}]")
        if start < previous_end:
            problems.append(f"criterion {cid}: starts at {start}, before the previous one ends ({previous_end})")
        if cid in ids:
            problems.append(f"criterion {cid}: id repeated")
        ids.add(cid)
        previous_end = end
    for number, finding in enumerate(payload["findings"]):
        where = f"finding {number} ({finding['kind']} {finding['criterion_id']})"
        problems += _span_problems(where, finding["source_span"], criteria_text, finding["source_text"], "source")
        problems += _span_problems(where, finding["output_span"], translation, finding["output_text"], "output")
        if finding["criterion_id"] is not None and finding["criterion_id"] not in ids:
            problems.append(f"{where}: names a criterion the output does not list")
    flagging = any(f["severity"] in ("blocker", "major") for f in payload["findings"])
    if payload["verdict"] != ("flag" if flagging else "pass"):
        problems.append(f"verdict {payload['verdict']!r} but blocker/major findings: {flagging}")
    return problems


def faithful_text(nct_id: str) -> str:
    """The faithful translation with its ``[I3] `` tags stripped, exactly as the verifier eval verifies it."""
    path = FAITHFUL / f"{nct_id}.md"
    return parse(nct_id, path.read_text(encoding="utf-8")).text


def study_criteria(nct_id: str, corpus: Corpus | None) -> str:
    """The criteria text the eval pairs with a faithful file: examples/ first, else the shared corpus."""
    return source_text(nct_id, EXAMPLES, corpus, FAITHFUL / f"{nct_id}.md")


def write_study_json(directory: Path, nct_id: str, criteria: str) -> Path:
    """A minimal ClinicalTrials.gov API v2 study file, as the site's JSON download shapes it."""
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": nct_id, "briefTitle": f"Study {nct_id}"},
            "eligibilityModule": {"eligibilityCriteria": criteria, "sex": "ALL", "minimumAge": "18 Years"},
        }
    }
    path = directory / f"{nct_id}.json"
    path.write_text(json.dumps(study, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_text(path: Path, text: str) -> Path:
    """Write exactly these code points as UTF-8: no newline translation (CRLF stays CRLF)."""
    path.write_bytes(text.encode("utf-8"))
    return path


def source_of(path: Path) -> str:
    """The criteria text as the contract defines it, read without the project's reader: a study JSON's decoded
    eligibilityCriteria string, or a text file's decoded content with its newlines untranslated."""
    if path.suffix == ".json":
        value = json.loads(path.read_text(encoding="utf-8"))
        text = value["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
        assert isinstance(text, str)
        return text
    return path.read_bytes().decode("utf-8-sig")
