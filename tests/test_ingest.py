"""Ingest: every input shape ClinicalTrials.gov gives, and every kind of bad input, as tables."""

from __future__ import annotations

import json
import tracemalloc
from collections import defaultdict
from pathlib import Path

import pytest

from translator.domain import AgeLimit, Study, parse_age
from translator.errors import InputError, SkippedInput
from translator.evaluation.corpus import Corpus
from translator.ingest import Limits, read_paths

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "NCT06710717.json"


def example_object() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def read_all(path: Path) -> tuple[list[Study], list[InputError]]:
    studies: list[Study] = []
    problems: list[InputError] = []
    for result in read_paths([path]):
        (problems if isinstance(result, InputError) else studies).append(result)  # type: ignore[arg-type]
    return studies, problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18 Years", AgeLimit(18, "years")),
        ("6 Months", AgeLimit(6, "months")),
        ("8 Weeks", AgeLimit(8, "weeks")),
        ("1 Year", AgeLimit(1, "years")),
        ("18 Minutes", AgeLimit(18, "minutes")),
        ("N/A", None),
        ("", None),
        (None, None),
    ],
)
def test_ages_become_typed_values(raw: str | None, expected: AgeLimit | None) -> None:
    assert parse_age(raw) == expected


def test_age_in_years() -> None:
    assert AgeLimit(6, "months").years == 0.5
    assert str(AgeLimit(1, "years")) == "1 year"


SHAPES: dict[str, tuple[str, str]] = {
    "api_study": ("study.json", json.dumps(example_object())),
    "api_page_with_token": ("page.json", json.dumps({"studies": [example_object()], "nextPageToken": "abc"})),
    "api_page_token_first": ("page2.json", json.dumps({"nextPageToken": "abc", "studies": [example_object()]})),
    "site_download_array": ("download.json", json.dumps([example_object()])),
    "jsonl_of_studies": ("studies.jsonl", json.dumps(example_object()) + "\n"),
    "merged_line": (
        "merged.jsonl",
        json.dumps(
            {
                "nctId": "NCT06710717",
                "briefTitle": "t",
                "conditions": ["SLE"],
                "phases": ["PHASE1"],
                "eligibilityModule": {
                    "eligibilityCriteria": "Inclusion Criteria:\n\n* Age 18",
                    "minimumAge": "18 Years",
                },
            }
        )
        + "\n",
    ),
    "text_named_by_nct": ("NCT06710717.txt", "Inclusion Criteria:\n\n* Age 18 to 65\n"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_input_shape_gives_the_study(shape: str, tmp_path: Path) -> None:
    name, content = SHAPES[shape]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    studies, problems = read_all(path)
    assert problems == []
    assert [s.nct_id for s in studies] == ["NCT06710717"]
    assert studies[0].criteria.startswith("Inclusion Criteria:")
    assert studies[0].origin.path == str(path)


def test_api_study_fields(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(example_object()), encoding="utf-8")
    (study,), _ = read_all(path)
    assert study.minimum_age == AgeLimit(18, "years") and study.maximum_age == AgeLimit(65, "years")
    assert study.sex == "ALL" and study.healthy_volunteers is False
    assert study.title and study.conditions


def test_absent_maximum_age_means_no_upper_limit(examples_dir: Path) -> None:
    (study,), _ = read_all(examples_dir / "NCT07233642.json")
    assert study.minimum_age == AgeLimit(5, "years") and study.maximum_age is None


def test_chia_style_exclusion_file_defaults_to_exclusion(tmp_path: Path) -> None:
    path = tmp_path / "NCT00050349_exc.txt"
    path.write_bytes(b"Pregnancy\r\nActive infection\r\n")
    (study,), _ = read_all(path)
    assert study.default_section == "exclusion" and study.nct_id == "NCT00050349"
    assert study.criteria == "Pregnancy\r\nActive infection\r\n"  # newlines untranslated


BAD: dict[str, tuple[str, bytes, type[InputError], list[str]]] = {
    "not_json": ("a.json", b"this is not json", InputError, ["a.json", "line 1, column 1", "not valid JSON"]),
    "truncated_json": (
        "b.json",
        b'{"studies": [\n{"protocolSection": {"eligibilityModule": {"eligibilityCriteria": "Age 18"}}},\n'
        b'{"protocolSection": ',
        InputError,
        ["b.json", "record 2", "line 3", "not valid JSON"],
    ),
    "json_not_a_study": ("c.json", b'{"hello": "world"}', InputError, ["c.json", "not a ClinicalTrials.gov study"]),
    "json_scalar_in_page": ("d.json", b'{"studies": [42]}', InputError, ["d.json", "record 1", "found a JSON int"]),
    "no_eligibility_module": (
        "e.json",
        b'{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}',
        SkippedInput,
        ["e.json", "NCT00000001", "no eligibility module"],
    ),
    "empty_criteria": (
        "f.json",
        b'{"protocolSection": {"eligibilityModule": {"eligibilityCriteria": "  "}}}',
        SkippedInput,
        ["f.json", "eligibility criteria are empty"],
    ),
    "wrong_type": (
        "g.json",
        b'{"protocolSection": {"eligibilityModule": {"eligibilityCriteria": 5}}}',
        InputError,
        ["g.json", "eligibilityCriteria", "valid string"],
    ),
    "latin1_text": ("h.txt", "café\n".encode("latin-1"), InputError, ["h.txt", "line 1", "not valid UTF-8", "0xe9"]),
    "latin1_json": ("i.json", '{"a": "café"}'.encode("latin-1"), InputError, ["i.json", "not valid UTF-8"]),
    "binary": ("j.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00", InputError, ["j.json", "binary file"]),
    "bad_jsonl_line": ("k.jsonl", b'{"nctId": "NCT1"\n', InputError, ["k.jsonl", "record 1", "line 1", "not valid"]),
    "empty_text": ("l.txt", b"\n\n", SkippedInput, ["l.txt", "empty"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_gives_one_clear_message(case: str, tmp_path: Path) -> None:
    name, content, kind, fragments = BAD[case]
    path = tmp_path / name
    path.write_bytes(content)
    studies, problems = read_all(path)
    assert len(studies) == (1 if case == "truncated_json" else 0)
    assert len(problems) == 1 and type(problems[0]) is kind
    message = str(problems[0])
    for fragment in fragments:
        assert fragment in message


def test_a_huge_text_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        for _ in range(50):
            fh.write(b"criteria " * 116_509 + b"\n")  # 50 x 1 MiB of text
    studies, problems = read_all(path)
    assert studies == [] and "50.0 MiB" in str(problems[0])


def test_directory_with_one_bad_file_keeps_the_good_ones(tmp_path: Path, examples_dir: Path) -> None:
    for source in examples_dir.glob("*.json"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    studies, problems = read_all(tmp_path)
    assert len(studies) == 4
    assert {type(p).__name__ for p in problems} == {"InputError", "SkippedInput"}
    assert any("broken.json" in str(p) for p in problems) and any("README.md" in str(p) for p in problems)


def test_a_bad_record_in_a_page_does_not_lose_the_others(tmp_path: Path) -> None:
    good = example_object()
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"studies": [good, {"nope": 1}, good]}), encoding="utf-8")
    studies, problems = read_all(path)
    assert len(studies) == 2 and len(problems) == 1 and "record 2" in str(problems[0])


def test_jsonl_is_streamed_not_loaded_whole(tmp_path: Path) -> None:
    """100,000 records: memory stays flat because one line is held at a time."""
    line = json.dumps({"nctId": "NCT00000001", "eligibilityModule": {"eligibilityCriteria": "Age ≥ 18 " * 20}})
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(100_000):
            fh.write(line + "\n")
    tracemalloc.start()
    count = 0
    for result in read_paths([path]):
        assert isinstance(result, Study)
        count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100_000
    assert peak < path.stat().st_size / 10, f"peak {peak} bytes for a {path.stat().st_size} byte file"


def test_a_large_json_page_is_streamed(tmp_path: Path) -> None:
    page = {"studies": [example_object()] * 6000, "nextPageToken": "x"}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    tracemalloc.start()
    count = sum(1 for result in read_paths([path], Limits()) if isinstance(result, Study))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 6000
    assert peak < path.stat().st_size / 5, f"peak {peak} bytes for a {path.stat().st_size} byte file"


def test_a_50_mb_record_in_a_page_is_named_and_the_records_after_it_are_read(tmp_path: Path) -> None:
    huge = example_object()
    protocol = huge["protocolSection"]
    assert isinstance(protocol, dict)
    protocol["eligibilityModule"] = {"eligibilityCriteria": "Age 18 " * (50 * 2**20 // 7)}
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"studies": [example_object(), huge, example_object()]}), encoding="utf-8")
    assert path.stat().st_size > 50 * 2**20
    studies, problems = read_all(path)
    assert len(studies) == 2 and [s.origin.record for s in studies] == [1, 3]
    (problem,) = problems
    assert type(problem) is InputError and problem.location.record == 2
    message = str(problem)
    assert "page.json: record 2" in message and "larger than 16,777,216 characters" in message
    assert "not valid JSON" not in message


ESCAPES = '"}' * 150_000
"""JSON-encoded as ``\\"}`` over and over (450,000 characters): a quote that does not end the string, then a brace
that does not close anything. The reader reads 256 Ki characters at a time; with one of the three paddings
below a chunk ends right after a backslash."""


@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize(
    "oversized",
    [
        {"protocolSection": {"note": ESCAPES}},
        {"protocolSection": {"note": "\\" * 60_000, "list": [{"a": "]]}}"}] * 5_000}},
        ["[" * 50, "x" * 300_000, "]" * 50],
        "a lone string " * 30_000,
    ],
    ids=["escaped-quotes", "escaped-backslashes", "array", "string"],
)
def test_an_oversized_record_is_stepped_over_exactly(tmp_path: Path, padding: int, oversized: object) -> None:
    path = tmp_path / "page.json"
    records = [example_object(), oversized, example_object(), oversized, example_object()]
    path.write_text(" " * padding + json.dumps(records), encoding="utf-8")
    studies, problems = read_all_limited(path, Limits(max_record_chars=100_000))
    assert [s.origin.record for s in studies] == [1, 3, 5]
    assert [p.location.record for p in problems] == [2, 4]
    assert all("larger than 100,000 characters" in str(p) for p in problems)


def test_a_truncated_oversized_record_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps([example_object()])[:-1] + ', {"protocolSection": "' + "x" * 300_000, encoding="utf-8")
    studies, problems = read_all_limited(path, Limits(max_record_chars=100_000))
    assert len(studies) == 1 and len(problems) == 1
    assert "record 2" in str(problems[0]) and "ends inside a record" in str(problems[0])


def read_all_limited(path: Path, limits: Limits) -> tuple[list[Study], list[InputError]]:
    studies: list[Study] = []
    problems: list[InputError] = []
    for result in read_paths([path], limits):
        (problems if isinstance(result, InputError) else studies).append(result)  # type: ignore[arg-type]
    return studies, problems


@pytest.mark.parametrize("name", ["SOURCE.txt", "README.txt", "LICENSE.txt", "notice.text"])
def test_documentation_beside_the_data_is_skipped_in_a_directory_and_read_when_named(tmp_path: Path, name: str) -> None:
    (tmp_path / "NCT06710717.txt").write_text("Inclusion Criteria:\n\n* Age 18 to 65\n", encoding="utf-8")
    note = tmp_path / name
    note.write_text("Copied from github.com/example/data at commit abc, MIT licence.\n", encoding="utf-8")
    studies, problems = read_all(tmp_path)
    assert [s.nct_id for s in studies] == ["NCT06710717"]
    assert [(type(p), p.message) for p in problems] == [(SkippedInput, "a documentation file, not criteria")]
    named, _ = read_all(note)
    assert len(named) == 1 and named[0].criteria.startswith("Copied from")


@pytest.mark.corpus
def test_every_record_of_the_shared_corpus_ingests_with_typed_ages(corpus: Corpus) -> None:
    """The merged JSON Lines and the site's JSON downloads in ctgov_v2/ give the same 251 studies."""
    by_nct: dict[str, list[Study]] = defaultdict(list)
    problems = []
    for result in read_paths([corpus.root / "ctgov_v2"]):
        if isinstance(result, InputError):
            problems.append(result)
        else:
            by_nct[result.nct_id or ""].append(result)
    assert [(p.location.path.rsplit("/", 1)[-1], p.message) for p in problems] == [
        ("SOURCE.txt", "a documentation file, not criteria")
    ]
    assert len(by_nct) == 251
    for nct_id, studies in by_nct.items():
        kinds = sorted(s.origin.kind for s in studies)
        assert kinds == ["api-page", "merged-jsonl"], nct_id
        assert len({(s.criteria, s.minimum_age, s.maximum_age, s.sex) for s in studies}) == 1, nct_id
        for study in studies:
            assert study.criteria == corpus.criteria(nct_id)
            assert study.notes == (), f"{nct_id}: {study.notes}"
            for age in (study.minimum_age, study.maximum_age):
                assert age is None or (isinstance(age, AgeLimit) and age.amount >= 0)
    assert any(s.maximum_age is None for studies in by_nct.values() for s in studies)
    assert any(s.minimum_age == AgeLimit(8, "months") for studies in by_nct.values() for s in studies)
