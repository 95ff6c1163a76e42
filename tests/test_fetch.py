"""Fetching from ClinicalTrials.gov API v2, replayed from cassettes built from the example studies."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.vcr_setup import make_vcr, play
from translator.cli import app
from translator.domain import Origin
from translator.errors import FetchError
from translator.fetch import CtGovClient, RetryPolicy, normalize_nct_id, parse_retry_after
from translator.ingest import study_from_object

RECORDER = make_vcr("fetch")


class SleepLog:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(sleep: SleepLog | None = None) -> CtGovClient:
    return CtGovClient(sleep=sleep or SleepLog(), policy=RetryPolicy(max_attempts=4, backoff_cap=5.0))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NCT06710717", "NCT06710717"),
        ("nct06710717", "NCT06710717"),
        ("NCT4437511", "NCT04437511"),
        (" NCT00000001 ", "NCT00000001"),
        ("../../etc/passwd", ValueError),
        ("NCT123456789", ValueError),
        ("06710717", ValueError),
    ],
)
def test_nct_ids_are_normalized_or_rejected(raw: str, expected: str | type[Exception]) -> None:
    if isinstance(expected, str):
        assert normalize_nct_id(raw) == expected
    else:
        with pytest.raises(expected):
            normalize_nct_id(raw)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"Retry-After": "2"}, 2.0), ({"retry-after-ms": "1500"}, 1.5), ({}, None), ({"Retry-After": "soon"}, None)],
)
def test_retry_after_parsing(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers)) == seconds


def test_fetch_one_study_gives_a_study_object() -> None:
    with play(RECORDER, "study.yaml"), client() as api:
        record = api.study("nct06710717")
    study = study_from_object(record, Origin("fetched", None, "fetched"))
    assert study.nct_id == "NCT06710717"
    assert study.criteria.startswith("Inclusion Criteria:")


def test_search_follows_next_page_token() -> None:
    with play(RECORDER, "search_paging.yaml"), client() as api:
        found = [
            s["protocolSection"]["identificationModule"]["nctId"]
            for s in api.search(condition="lupus", limit=10, page_size=2)
        ]
    assert found == ["NCT06710717", "NCT07233642", "NCT07193667", "NCT06010472"]


def test_429_waits_as_long_as_retry_after_says() -> None:
    sleep = SleepLog()
    with play(RECORDER, "rate_limited.yaml"), client(sleep) as api:
        api.study("NCT06710717")
    assert sleep.waits == [2.0]


def test_server_errors_are_retried_with_capped_backoff() -> None:
    sleep = SleepLog()
    with play(RECORDER, "server_errors.yaml"), client(sleep) as api:
        api.study("NCT06710717")
    assert len(sleep.waits) == 2
    assert all(0 <= wait <= 5.0 for wait in sleep.waits)


def test_a_long_retry_after_defers_instead_of_sleeping() -> None:
    sleep = SleepLog()
    with play(RECORDER, "retry_after_too_long.yaml"), client(sleep) as api, pytest.raises(FetchError) as caught:
        api.study("NCT06710717")
    assert sleep.waits == []
    assert caught.value.status == 429
    assert "deferred" in str(caught.value)


def test_not_found_is_final_and_not_retried() -> None:
    sleep = SleepLog()
    with play(RECORDER, "not_found_then_found.yaml"), client(sleep) as api:
        with pytest.raises(FetchError) as caught:
            api.study("NCT00000000")
        assert caught.value.status == 404
        assert api.study("NCT06010472")["protocolSection"]
    assert sleep.waits == []


def test_timeouts_and_connection_resets_are_retried() -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        if calls["n"] == 2:
            raise httpx.ConnectError("connection reset", request=request)
        return httpx.Response(200, json={"protocolSection": {}})

    sleep = SleepLog()
    api = CtGovClient(sleep=sleep, http=httpx.Client(transport=httpx.MockTransport(handler)))
    assert api.study("NCT06710717") == {"protocolSection": {}}
    assert calls["n"] == 3 and len(sleep.waits) == 2


def test_cli_fetch_writes_json_lines_and_reports_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("translator.fetch.time.sleep", SleepLog())
    out = tmp_path / "studies.jsonl"
    with play(RECORDER, "not_found_then_found.yaml"):
        result = CliRunner().invoke(app, ["fetch", "NCT00000000", "NCT06010472", "--out", str(out)])
    assert result.exit_code == 2
    assert "NCT00000000: not found on ClinicalTrials.gov" in result.stderr
    assert "1 studies processed, 0 skipped, 1 failed" in result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["protocolSection"]["identificationModule"]["nctId"] for line in lines] == ["NCT06010472"]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("10", ["NCT06710717", "NCT07233642", "NCT07193667", "NCT06010472"]),
        ("3", ["NCT06710717", "NCT07233642", "NCT07193667"]),
    ],
)
def test_cli_search_follows_next_page_token_up_to_the_limit(tmp_path: Path, limit: str, expected: list[str]) -> None:
    out = tmp_path / "lupus.jsonl"
    args = ["fetch", "--condition", "lupus", "--limit", limit, "--page-size", "2", "-o", str(out)]
    with play(RECORDER, "search_paging.yaml"):
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert f"{len(expected)} studies processed, 0 skipped, 0 failed" in result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["protocolSection"]["identificationModule"]["nctId"] for line in lines] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give NCT numbers, --query or --condition"),
        (["--condition", "lupus", "--page-size", "0"], "--page-size"),
        (["--condition", "lupus", "--limit", "0"], "--limit"),
    ],
)
def test_cli_fetch_usage_errors_exit_2_without_a_request(args: list[str], message: str) -> None:
    with RECORDER.use_cassette("study.yaml") as cassette:
        result = CliRunner().invoke(app, ["fetch", *args])
    assert result.exit_code == 2 and message in result.stderr
    assert cassette.play_count == 0
