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
