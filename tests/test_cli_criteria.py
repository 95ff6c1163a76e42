"""``translator criteria``: the listing, the JSON contract, and exit codes on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from translator.cli import app

RUNNER = CliRunner()


def test_json_output_has_the_contract_fields(examples_dir: Path) -> None:
    result = RUNNER.invoke(app, ["criteria", str(examples_dir / "NCT06010472.json"), "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["nct_id"] == "NCT06010472"
    first = record["criteria"][0]
    assert set(first) == {"id", "section", "start", "end", "text", "parent", "heading"}
    source = json.loads((examples_dir / "NCT06010472.json").read_text(encoding="utf-8"))
    text = source["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    for criterion in record["criteria"]:
        assert text[criterion["start"] : criterion["end"]] == criterion["text"]
    assert {c["section"] for c in record["criteria"]} == {"inclusion", "exclusion"}


def test_directory_gives_one_json_line_per_study(examples_dir: Path) -> None:
    result = RUNNER.invoke(app, ["criteria", str(examples_dir), "--json"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["nct_id"] for line in lines) == [
        "NCT06010472",
        "NCT06710717",
        "NCT07193667",
        "NCT07233642",
    ]
    assert "4 studies processed, 0 skipped, 0 failed" in result.stderr


def test_readable_listing_shows_ids_offsets_and_nesting(examples_dir: Path) -> None:
    result = RUNNER.invoke(app, ["criteria", str(examples_dir / "NCT07193667.json")])
    assert result.exit_code == 0
    assert "NCT07193667" in result.stdout
    assert "    I3.a.i" in result.stdout
    assert "E13" in result.stdout


def test_bad_file_among_good_ones_exits_2_and_keeps_going(tmp_path: Path, examples_dir: Path) -> None:
    (tmp_path / "good.json").write_bytes((examples_dir / "NCT06710717.json").read_bytes())
    (tmp_path / "bad.json").write_text('{"studies": [', encoding="utf-8")
    result = RUNNER.invoke(app, ["criteria", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 1
    assert "bad.json" in result.stderr and "not valid JSON" in result.stderr
    assert "1 studies processed, 0 skipped, 1 failed" in result.stderr


def test_control_characters_in_criteria_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "NCT00000001.txt"
    path.write_text("Inclusion Criteria:\n* Age \x1b[31m18\x1b[0m or older\n", encoding="utf-8")
    result = RUNNER.invoke(app, ["criteria", str(path)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\\x1b[31m18" in result.stdout


def test_records_with_nothing_to_do_are_counted_as_skipped_with_their_reasons_and_exit_0(
    tmp_path: Path, examples_dir: Path
) -> None:
    (tmp_path / "good.json").write_bytes((examples_dir / "NCT06710717.json").read_bytes())
    no_module = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}
    empty = {"protocolSection": {"eligibilityModule": {"eligibilityCriteria": " "}}}
    (tmp_path / "page.json").write_text(json.dumps({"studies": [no_module, empty, no_module]}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a study", encoding="utf-8")
    result = RUNNER.invoke(app, ["criteria", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert "page.json: record 1: NCT00000001: line 1: the study has no eligibility module" in result.stderr
    assert (
        "1 studies processed, 4 skipped, 0 failed (skipped: 2 × the study has no eligibility module; "
        "1 × not a study file (suffix '.md'); 1 × the study's eligibility criteria are empty)"
    ) in result.stderr


def test_a_json_syntax_error_names_the_file_record_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text('{"studies": [\n  {"protocolSection": {"eligibilityModule": {]}}\n]}', encoding="utf-8")
    result = RUNNER.invoke(app, ["criteria", str(path)])
    assert result.exit_code == 2
    assert f"error: {path}: record 1: line 2, column 46: not valid JSON" in result.stderr
    assert "0 studies processed, 0 skipped, 1 failed" in result.stderr


def test_a_missing_path_is_named_and_exits_2(tmp_path: Path, examples_dir: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = RUNNER.invoke(app, ["criteria", str(missing), str(examples_dir / "NCT06710717.json")])
    assert result.exit_code == 2
    assert f"error: {missing}: no such file or directory" in result.stderr
    assert "1 studies processed, 0 skipped, 1 failed" in result.stderr
