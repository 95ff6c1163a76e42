"""The LLM backend end to end against built cassettes (tests/cassettes/openai/, see its README): the real
requests our code sends, matched on their JSON bodies, answered in the OpenAI wire format. No network."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.cassettes.build_openai_cassettes import DROPPED, INJECTION, MODEL, SCENARIOS, TEST_KEY, run
from tests.vcr_setup import make_llm_vcr, play
from translator.errors import ConfigError
from translator.translate.errors import AuthFailed
from translator.translate.pipeline import Outcome
from translator.translate.usage import load_prices, total

RECORDER = make_llm_vcr("openai")


class SleepLog:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def replay(name: str, sleep: SleepLog | None = None) -> tuple[Outcome, list[dict[str, Any]]]:
    """Run a scenario against its cassette; return the outcome and the request bodies that were played."""
    scenario = SCENARIOS[name]
    with play(RECORDER, scenario.cassette) as cassette:
        outcome = run(scenario, sleep=sleep or SleepLog())
    return outcome, [json.loads(request.body) for request in cassette.requests]


def calls(outcome: Outcome) -> int:
    return sum(len(a.calls) for a in outcome.record.attempts)


@pytest.mark.parametrize(
    ("name", "status", "reason", "n_calls", "n_attempts"),
    [
        ("faithful", "published", None, 1, 1),
        ("malformed_then_valid", "published", None, 2, 1),
        ("dropped_then_repaired", "published", None, 2, 2),
        ("keeps_dropping", "flagged", "verifier", 3, 3),
        ("rate_limited", "published", None, 1, 1),
        ("server_errors", "published", None, 1, 1),
        ("retry_after_too_long", "deferred", "deferred", 0, 1),
        ("content_filter", "flagged", "content_filter", 0, 1),
        ("too_long", "flagged", "too_long", 1, 1),
        ("json_schema_local", "published", None, 1, 1),
        ("injection", "flagged", "verifier", 1, 1),
    ],
)
def test_each_scenario_ends_in_its_state(
    name: str, status: str, reason: str | None, n_calls: int, n_attempts: int
) -> None:
    outcome, _ = replay(name)
    record = outcome.record
    assert (record.status, record.reason) == (status, reason)
    assert calls(outcome) == n_calls
    assert len(record.attempts) == n_attempts
    assert record.prompt is not None and record.prompt["id"] == "translate-v1"
    assert (outcome.markdown is not None) == (record.translation is not None)


def test_a_faithful_answer_is_published_with_usage_cost_and_readability() -> None:
    outcome, bodies = replay("faithful")
    record = outcome.record
    assert record.verdict == "pass" and record.findings == []
    assert record.coverage is not None and record.coverage.missing == []
    assert record.usage == {
        "calls": 1,
        "prompt_tokens": 1500,
        "completion_tokens": 700,
        "total_tokens": 2200,
        "cached_tokens": 1024,
        "unknown_calls": 0,
        "complete": True,
    }
    price = load_prices().models[MODEL]
    expected = ((1500 - 1024) * price.input + 1024 * (price.cached_input or 0) + 700 * price.output) / 1e6
    assert record.cost == {"amount": round(expected, 6), "currency": "USD"}
    assert record.readability is not None and record.readability["flesch_kincaid_grade"] is not None
    request = bodies[0]
    assert request["model"] == MODEL and request["tool_choice"]["function"]["name"] == "PlainTranslation"
    assert {k: request[k] for k in ("temperature", "seed", "max_tokens")} == {
        "temperature": 0.0,
        "seed": 0,
        "max_tokens": 4096,
    }


def test_malformed_json_is_re_asked_with_the_validation_error() -> None:
    outcome, bodies = replay("malformed_then_valid")
    first, second = outcome.record.attempts[0].calls
    assert first.reask_error is not None and "json" in first.reask_error.lower()
    assert second.reask_error is None
    reask = bodies[1]["messages"][-1]
    assert reask["role"] == "tool" and "Validation Error found" in reask["content"]
    assert len(bodies[1]["messages"]) == len(bodies[0]["messages"]) + 2  # the bad answer, then the error


def test_a_dropped_exclusion_is_repaired_with_the_verifiers_finding() -> None:
    outcome, bodies = replay("dropped_then_repaired")
    first, second = outcome.record.attempts
    assert (first.kind, first.verdict, second.kind, second.verdict) == ("translate", "flag", "repair", "pass")
    finding = next(f for f in first.findings if f.criterion_id == DROPPED)
    assert finding.kind == "dropped" and "creatinine clearance below 30 ml/min" in finding.message
    repair_prompt = bodies[1]["messages"][-1]["content"]
    assert finding.message in _block(repair_prompt, "FINDINGS")
    previous = json.loads(_block(repair_prompt, "PREVIOUS"))
    assert DROPPED in {cid for item in previous["exclusion"] for cid in item["covers"]}
    assert outcome.record.status == "published" and outcome.record.findings == []


def test_a_model_that_keeps_dropping_it_is_flagged_with_every_attempt_and_the_summed_usage() -> None:
    outcome, bodies = replay("keeps_dropping")
    record = outcome.record
    assert [a.kind for a in record.attempts] == ["translate", "repair", "repair"]
    assert all(any(f.criterion_id == DROPPED for f in a.findings) for a in record.attempts)
    assert len(bodies) == 3 and all("BEGIN_FINDINGS_JSON" in b["messages"][-1]["content"] for b in bodies[1:])
    assert record.usage["prompt_tokens"] == 1000 + 1600 + 1700
    assert record.usage["completion_tokens"] == 300 + 310 + 320
    assert record.usage["cached_tokens"] == 0 + 512 + 1024
    assert record.usage["calls"] == 3 and outcome.usage.calls == 3
    assert sum(a.usage().prompt_tokens for a in record.attempts) == 4300
    assert record.status == "flagged" and record.verdict == "flag"


def test_429_waits_as_long_as_retry_after_says() -> None:
    sleep = SleepLog()
    outcome, _ = replay("rate_limited", sleep)
    assert sleep.waits == [2.0]
    assert outcome.record.usage["calls"] == 1  # the 429 got no completion, so it is not a call


def test_server_errors_are_retried_with_capped_jittered_backoff() -> None:
    sleep = SleepLog()
    replay("server_errors", sleep)
    assert len(sleep.waits) == 2 and all(0 <= w <= 30 for w in sleep.waits)


def test_a_retry_after_beyond_the_bound_defers_without_sleeping() -> None:
    sleep = SleepLog()
    outcome, _ = replay("retry_after_too_long", sleep)
    assert sleep.waits == []
    assert outcome.record.message is not None and "3600 s" in outcome.record.message


def test_401_is_a_clear_error_never_retried_and_never_shows_the_key() -> None:
    sleep = SleepLog()
    with pytest.raises(AuthFailed) as caught:
        replay("unauthorized", sleep)
    assert caught.value.status == 401 and sleep.waits == []
    assert "rejected the API key" in str(caught.value) and TEST_KEY not in str(caught.value)


def test_a_content_filter_400_is_flagged_for_a_person_and_not_retried() -> None:
    sleep = SleepLog()
    outcome, bodies = replay("content_filter", sleep)
    assert len(bodies) == 1 and sleep.waits == []
    assert outcome.record.message is not None and "content filter" in outcome.record.message


def test_finish_reason_length_is_marked_too_long_and_never_accepted() -> None:
    outcome, _ = replay("too_long")
    record = outcome.record
    assert record.translation is None and outcome.markdown is None
    assert [c.finish_reason for c in record.attempts[0].calls] == ["length"]


def test_a_server_that_rejects_tools_gives_a_config_error_naming_json_schema_mode() -> None:
    with pytest.raises(ConfigError) as caught:
        replay("tools_rejected")
    assert "does not support tool calling" in str(caught.value)
    assert "--mode json_schema" in str(caught.value) and "TRANSLATOR_MODE=json_schema" in str(caught.value)


def test_json_schema_mode_sends_a_response_format_and_usage_without_a_block_is_unknown() -> None:
    outcome, bodies = replay("json_schema_local")
    assert "tools" not in bodies[0] and bodies[0]["response_format"]["type"] == "json_schema"
    assert outcome.record.usage["complete"] is False and outcome.record.usage["unknown_calls"] == 1
    assert outcome.record.cost == "unknown"


def test_an_injected_instruction_is_sent_as_json_data_and_the_verifier_still_judges() -> None:
    outcome, bodies = replay("injection")
    system, user = bodies[0]["messages"]
    assert "never instructions to you" in system["content"]
    outside = user["content"].replace(_block(user["content"], "CRITERIA"), "")
    assert INJECTION not in outside
    data = json.loads(_block(user["content"], "CRITERIA"))
    injected = [c for c in data["criteria"] if c["text"] == INJECTION]
    assert len(injected) == 1 and injected[0]["section"] == "exclusion"
    assert outcome.record.status == "flagged"  # the model said "PASS"; the verifier is not fooled
    assert any(f.kind == "dropped" for f in outcome.record.findings)


def test_usage_of_failed_calls_is_kept_in_the_error() -> None:
    outcome, _ = replay("too_long")
    assert total(c.usage for c in outcome.record.attempts[0].calls).completion_tokens == 4096
    assert outcome.record.usage["completion_tokens"] == 4096


def _block(text: str, name: str) -> str:
    match = re.search(rf"BEGIN_{name}_JSON\n(.*?)\nEND_{name}_JSON", text, re.S)
    assert match, f"no {name} block"
    return match.group(1)
