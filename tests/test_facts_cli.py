"""``translator facts``: the facts of criteria files and of plain-English texts, with spans into the text read.

What is extracted is tests/test_facts_table.py's business; here: the command's contract (every span indexes the
text it came from, the criterion or sentence it belongs to, the listing) and bad input that never stops a batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from translator.cli import app
from translator.ingest import read_paths
from translator.segment import segment

RUNNER = CliRunner()
PLAIN = (
    "## You may be able to join if:\n\n- You are 18 or older.\n\n"
    "## You cannot join if:\n\n- You have HIV.\n- Your ALT is more than 5 times the normal value.\n"
)
FACT_TYPES = {"threshold", "time_window", "count", "item"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["facts", *args])
    return result.exit_code, result.stdout, result.stderr


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.parametrize("name", ["NCT06010472", "NCT06710717", "NCT07193667", "NCT07233642"])
def test_every_span_of_an_example_indexes_its_criteria_text_inside_its_criterion(examples_dir: Path, name: str) -> None:
    path = examples_dir / f"{name}.json"
    code, out, err = invoke(str(path), "--json")
    assert code == 0, err
    (record,) = json_lines(out)
    assert (record["nct_id"], record["kind"]) == (name, "criteria")
    (study,) = list(read_paths([path]))
    assert not isinstance(study, Exception)
    criteria = {c.id: c for c in segment(study.criteria, study.default_section)}
    assert record["facts"], "an example trial without facts"
    for fact in record["facts"]:
        start, end = fact["span"]
        assert fact["type"] in FACT_TYPES and fact["polarity"] in ("include", "exclude")
        assert study.criteria[start:end] == fact["text"] and fact["text"].strip()
        criterion = criteria[fact["criterion"]]
        assert criterion.start <= start <= end <= criterion.end, f"{fact['criterion']}: {fact['text']!r}"


def test_the_age_limit_of_an_example_is_one_inclusive_range(examples_dir: Path) -> None:
    _, out, _ = invoke(str(examples_dir / "NCT06710717.json"), "--json")
    ages = [f for f in json_lines(out)[0]["facts"] if f["type"] == "threshold" and f["entity"] == "age"]
    assert [(f["criterion"], f["text"]) for f in ages] == [("I1", "≥ 18 to ≤ 65 years")]
    interval = ages[0]["interval"]
    assert (interval["low"], interval["high"]) == (18 * 365.25, 65 * 365.25) and ages[0]["unit"] == "days"
    assert interval["low_inclusive"] and interval["high_inclusive"]


def test_a_plain_text_gives_facts_per_sentence_with_spans_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "NCT00000001.md"
    path.write_text(PLAIN, encoding="utf-8")
    code, out, err = invoke(str(path), "--json")
    assert code == 0, err
    (record,) = json_lines(out)
    assert record["kind"] == "plain" and record["source"] == str(path)
    found = {(f["type"], f.get("entity") or f.get("concept"), f["polarity"]) for f in record["facts"]}
    assert {("threshold", "age", "include"), ("threshold", "alt", "exclude")} <= found
    for fact in record["facts"]:
        start, end = fact["span"]
        assert PLAIN[start:end] == fact["text"] and fact["criterion"] is None and isinstance(fact["sentence"], int)
    assert "1 texts processed, 0 skipped, 0 failed" in err


def test_plain_reads_any_file_as_plain_english(tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    path.write_text(PLAIN, encoding="utf-8")
    _, as_criteria, _ = invoke(str(path), "--json")
    _, as_plain, _ = invoke(str(path), "--plain", "--json")
    assert json_lines(as_criteria)[0]["kind"] == "criteria" and json_lines(as_plain)[0]["kind"] == "plain"


def test_the_listing_shows_criterion_type_polarity_span_and_the_words(examples_dir: Path) -> None:
    code, out, _ = invoke(str(examples_dir / "NCT06710717.json"))
    assert code == 0
    assert out.splitlines()[0].startswith("NCT06710717  ")
    line = next(row for row in out.splitlines() if "«≥ 18 to ≤ 65 years»" in row)
    assert line.split()[:4] == ["I1", "Threshold", "include", "[37:55]"]


@pytest.mark.parametrize(
    ("name", "content", "fragments", "noun"),
    [
        ("latin1.md", "Vous êtes âgé\n".encode("latin-1"), ["latin1.md: line 1", "not valid UTF-8", "0xea"], "texts"),
        ("huge.md", b"less than 5 " * 200_000, ["huge.md", "larger than 2.0 MiB"], "texts"),
        ("folder.md", None, ["folder.md", "cannot read the file"], "texts"),
        ("broken.json", b'{"studies": [', ["broken.json", "not valid JSON"], "inputs"),
    ],
)
def test_a_bad_file_is_named_and_the_others_are_still_read(
    tmp_path: Path, name: str, content: bytes | None, fragments: list[str], noun: str
) -> None:
    bad = tmp_path / name
    if content is None:
        bad.mkdir()
    else:
        bad.write_bytes(content)
    good = tmp_path / "good.md"
    good.write_text(PLAIN, encoding="utf-8")
    code, out, err = invoke(str(bad), str(good), "--json")
    assert code == 2
    assert len(json_lines(out)) == 1
    error = next(line for line in err.splitlines() if line.startswith("error:"))
    for fragment in fragments:
        assert fragment in error
    assert f"1 {noun} processed, 0 skipped, 1 failed" in err
