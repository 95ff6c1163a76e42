"""``translator translate``: the rules backend with no configuration, the openai backend over cassettes, the
files it writes, the cache on a rerun, exit codes, and a batch stopped by repeated 401s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cassettes.build_openai_cassettes import MODEL, TEST_KEY
from tests.vcr_setup import make_llm_vcr, make_vcr, play
from translator.cli import app
from translator.translate.settings import ENVIRONMENT

RECORDER = make_llm_vcr("openai")
EXAMPLE = "examples/NCT06710717.json"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variables in ENVIRONMENT.values():
        for variable in variables:
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr("translator.translate.transport.time.sleep", lambda _: None)


def invoke(*args: str, key: bool = False) -> tuple[int, str, str]:
    env = {"OPENAI_API_KEY": TEST_KEY} if key else {}
    result = CliRunner().invoke(app, ["translate", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_with_no_configuration_the_rules_backend_publishes_every_example(tmp_path: Path) -> None:
    code, out, err = invoke("examples", "--out", str(tmp_path))
    assert code == 0, err
    assert "4 published, 0 flagged, 0 deferred, 0 failed; 0 calls" in err
    record = json.loads((tmp_path / "NCT06710717.json").read_text(encoding="utf-8"))
    assert record["status"] == "published" and record["settings"]["backend"] == "rules"
    assert record["prompt"] is None and record["cost"] == {"amount": 0.0, "currency": "USD"}
    assert record["markdown_file"] == "NCT06710717.md"
    markdown = (tmp_path / "NCT06710717.md").read_text(encoding="utf-8")
    assert (
        markdown.startswith("## You may be able to join if:")
        and "creatinine clearance below 30 milliliters per minute" in markdown
    )
    assert "NCT06710717  published" in out
    assert not list(tmp_path.glob(".*.tmp")) and not (tmp_path / ".cache").exists()


def test_the_openai_backend_publishes_then_a_rerun_is_answered_from_the_cache(tmp_path: Path) -> None:
    args = (EXAMPLE, "--model", MODEL, "--out", str(tmp_path))
    with play(RECORDER, "faithful.yaml"):
        code, _, err = invoke(*args, key=True)
    assert code == 0, err
    record = json.loads((tmp_path / "NCT06710717.json").read_text(encoding="utf-8"))
    assert (record["status"], record["settings"]["backend"], record["settings"]["mode"]) == (
        "published",
        "openai",
        "tools",
    )
    assert record["prompt"]["id"] == "translate-v1" and record["usage"]["calls"] == 1
    assert TEST_KEY not in (tmp_path / "NCT06710717.json").read_text(encoding="utf-8")
    with RECORDER.use_cassette("faithful.yaml", allow_playback_repeats=False) as cassette:
        code, _, err = invoke(*args, key=True)
    assert code == 0 and cassette.play_count == 0, err
    assert "1 published" in err and "0 calls" in err
    assert json.loads((tmp_path / "NCT06710717.json").read_text(encoding="utf-8"))["cache"]["hit"] is True


def test_a_flagged_study_exits_1_and_is_written_for_review_not_published(tmp_path: Path) -> None:
    (tmp_path / "NCT06710717.md").write_text("an earlier, now stale, translation")
    with play(RECORDER, "keeps_dropping.yaml"):
        code, _, err = invoke(EXAMPLE, "--model", MODEL, "--out", str(tmp_path), "--no-cache", key=True)
    assert code == 1, err
    assert not (tmp_path / "NCT06710717.md").exists()
    assert (tmp_path / "NCT06710717.review.md").exists()
    record = json.loads((tmp_path / "NCT06710717.json").read_text(encoding="utf-8"))
    assert record["status"] == "flagged" and len(record["attempts"]) == 3
    assert "0 published, 1 flagged" in err and "3 calls" in err


def test_bad_input_never_stops_the_batch_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    odd = tmp_path / "odd.json"
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "../../escape"},
            "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Age 18 years or older\n"},
        }
    }
    odd.write_text(json.dumps(study))
    out = tmp_path / "out"
    code, _, err = invoke(str(bad), str(tmp_path / "missing.json"), str(odd), EXAMPLE, "--out", str(out))
    assert code == 2
    assert "2 studies processed, 0 skipped, 2 failed" in err
    names = sorted(p.name for p in out.iterdir())
    assert "NCT06710717.json" in names and any(n.startswith("odd-") and n.endswith(".json") for n in names)
    assert not (tmp_path / "escape.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--backend", "openai"), "needs a model"),
        (("--model", MODEL), "no API key"),
        (("--mode", "xml", "--model", MODEL), "mode"),
    ],
)
def test_bad_settings_exit_2_before_any_work(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(EXAMPLE, "--out", str(tmp_path), *args)
    assert code == 2 and message in err
    assert not list(tmp_path.iterdir())


def test_repeated_401s_stop_the_batch(tmp_path: Path) -> None:
    recorder = make_vcr("openai")  # bodies differ per study: match every request to the one 401
    recorder.match_on = ("method", "host", "path")
    with recorder.use_cassette("unauthorized.yaml", allow_playback_repeats=True) as cassette:
        code, _, err = invoke("examples", "--model", MODEL, "--out", str(tmp_path), "--no-cache", key=True)
    assert code == 2
    assert cassette.play_count == 2
    assert "stopping the batch after 2 rejected requests in a row" in err
    assert err.count("rejected the API key (HTTP 401)") == 2 and TEST_KEY not in err
