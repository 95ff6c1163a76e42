"""Faults that a cassette cannot express (timeouts, resets) or that need a live body (a key echoed back), injected
with an in-process httpx2 transport (openai 3.x sends through httpx2), plus the error classification table."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx2
import openai
import pytest

from tests.cassettes.build_openai_cassettes import SCENARIOS, completion, criteria_of, faithful, run, tool
from translator.errors import ConfigError
from translator.translate.errors import (
    AuthFailed,
    ContentFiltered,
    Deferred,
    ReasksExhausted,
    RequestRejected,
    TransportFailed,
)
from translator.translate.llm import LLMClient
from translator.translate.transport import Transport, TransportPolicy

URL = "https://api.openai.com/v1/chat/completions"
Handler = Callable[[httpx2.Request], httpx2.Response]


class SleepLog:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def good_reply() -> httpx2.Response:
    reply = tool(faithful(criteria_of("example")))
    return httpx2.Response(200, json=reply.body)


def client_for(handler: Handler) -> httpx2.Client:
    return httpx2.Client(transport=httpx2.MockTransport(handler))


def test_a_timeout_and_a_connection_reset_are_retried_then_the_answer_is_used() -> None:
    seen: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(1)
        if len(seen) == 1:
            raise httpx2.ReadTimeout("timed out", request=request)
        if len(seen) == 2:
            raise httpx2.ConnectError("connection reset by peer", request=request)
        return good_reply()

    sleep = SleepLog()
    outcome = run(SCENARIOS["faithful"], http_client=client_for(handler), sleep=sleep)
    assert outcome.record.status == "published"
    assert len(seen) == 3 and len(sleep.waits) == 2
    assert outcome.record.usage["calls"] == 1


def test_transport_gives_up_after_the_configured_attempts() -> None:
    seen: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(1)
        raise httpx2.ReadTimeout("timed out", request=request)

    outcome = run(SCENARIOS["faithful"], http_client=client_for(handler), sleep=SleepLog())
    assert len(seen) == 5
    assert (outcome.record.status, outcome.record.reason) == ("failed", "transport")


def test_a_key_echoed_by_the_server_never_reaches_the_error_or_the_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "sk-" + "proj-" + "A1b2C3d4E5f6G7h8"

    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.headers["authorization"] == f"Bearer {key}"
        body = {"error": {"message": f"Incorrect API key provided: {key}.", "code": "invalid_api_key"}}
        return httpx2.Response(401, json=body)

    openai_logger = logging.getLogger("openai")
    monkeypatch.setattr(openai_logger, "level", openai_logger.level)  # restored after the test
    openai_logger.setLevel(logging.DEBUG)  # as OPENAI_LOG=debug would
    settings = SCENARIOS["faithful"].settings(api_key=key)
    assert key not in repr(settings) and key not in json.dumps(settings.describe())
    client = LLMClient(settings, http_client=client_for(handler), sleep=SleepLog())
    assert openai_logger.getEffectiveLevel() >= logging.INFO
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthFailed) as caught:
        client.complete([], ["I1"])
    assert key not in str(caught.value) and key not in caplog.text
    assert key[:12] not in caplog.text


def malformed() -> httpx2.Response:
    return httpx2.Response(200, json=completion(arguments='{"inclusion": [').body)


def filtered_answer() -> httpx2.Response:
    return httpx2.Response(200, json=completion(arguments="{}", finish="content_filter").body)


def refusal() -> httpx2.Response:
    body: Any = completion(content=None).body
    body["choices"][0]["message"]["refusal"] = "I can't help with that."
    return httpx2.Response(200, json=body)


def proxy_page() -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/html"}, content=b"<html>502 Bad Gateway</html>")


@pytest.mark.parametrize(
    ("answers", "status", "reason", "requests", "waits"),
    [
        ([malformed] * 3, "failed", "invalid_output", 3, 0),
        ([filtered_answer], "flagged", "content_filter", 1, 0),
        ([refusal], "flagged", "refused", 1, 0),
        ([proxy_page, good_reply], "published", None, 2, 1),
        ([proxy_page] * 5, "failed", "transport", 5, 4),
    ],
)
def test_answers_that_are_not_translations(
    answers: list[Callable[[], httpx2.Response]], status: str, reason: str | None, requests: int, waits: int
) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answers[len(seen) - 1]()

    sleep = SleepLog()
    outcome = run(SCENARIOS["faithful"], http_client=client_for(handler), sleep=sleep)
    assert (outcome.record.status, outcome.record.reason) == (status, reason)
    assert len(seen) == requests and len(sleep.waits) == waits


def status(code: int, **headers: str) -> Callable[[], httpx2.Response]:
    return lambda: httpx2.Response(code, headers=headers, json={"error": {"message": f"HTTP {code} from the stub"}})


@pytest.mark.parametrize(
    ("answers", "state", "requests", "waits"),
    [
        ([status(500), status(500), good_reply], ("published", None), 3, None),
        ([status(502), status(504), good_reply], ("published", None), 3, None),
        ([status(408), good_reply], ("published", None), 2, None),
        ([status(409), good_reply], ("published", None), 2, None),
        ([status(429), good_reply], ("published", None), 2, None),
        ([status(429, **{"retry-after-ms": "1500"}), good_reply], ("published", None), 2, [1.5]),
        ([status(503, **{"Retry-After": "7"}), good_reply], ("published", None), 2, [7.0]),
        ([status(400)], ("failed", "rejected"), 1, []),
        ([status(422)], ("failed", "rejected"), 1, []),
        ([status(500)] * 5, ("failed", "transport"), 5, None),
    ],
    ids=[
        "500-500-200",
        "502-504-200",
        "408-200",
        "409-200",
        "429-no-header",
        "retry-after-ms",
        "503-retry-after",
        "400-final",
        "422-final",
        "500-until-give-up",
    ],
)
def test_transient_statuses_are_retried_and_final_ones_are_not(
    answers: list[Callable[[], httpx2.Response]],
    state: tuple[str, str | None],
    requests: int,
    waits: list[float] | None,
) -> None:
    """``waits`` None: capped, jittered backoff (0..30 s), one wait before each retry."""
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answers[len(seen) - 1]()

    sleep = SleepLog()
    outcome = run(SCENARIOS["faithful"], http_client=client_for(handler), sleep=sleep)
    assert (outcome.record.status, outcome.record.reason) == state
    assert len(seen) == requests
    if waits is None:
        assert len(sleep.waits) == requests - 1 and all(0 <= w <= 30 for w in sleep.waits)
    else:
        assert sleep.waits == waits


def test_when_re_asks_run_out_the_error_carries_attempts_last_output_and_usage() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return malformed()

    settings = SCENARIOS["faithful"].settings(reasks=1)
    client = LLMClient(settings, http_client=client_for(handler), sleep=SleepLog())
    with pytest.raises(ReasksExhausted) as caught:
        client.complete([], ["I1"])
    error = caught.value
    assert error.attempts == 2 and error.last_output == '{"inclusion": ['
    assert (error.usage.calls, error.usage.prompt_tokens, error.usage.completion_tokens) == (2, 2400, 800)
    assert all(call.reask_error for call in error.calls)


def status_error(status: int, body: object, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx2.Request("POST", URL)
    response = httpx2.Response(status, headers=headers or {}, json=body, request=request)
    data = body.get("error", body) if isinstance(body, dict) else body
    return openai.APIStatusError(f"Error code: {status}", response=response, body=data)


def classify(exc: Exception, *, tools: bool = True) -> Exception:
    def request() -> None:
        raise exc

    sleep = SleepLog()
    transport = Transport(TransportPolicy(attempts=2, backoff_cap=1.0), tools_mode=tools, sleep=sleep)
    with pytest.raises(Exception) as caught:
        transport.send(request)
    return caught.value


@pytest.mark.parametrize(
    ("status", "body", "headers", "tools", "expected", "text"),
    [
        (401, {"error": {"message": "bad key"}}, None, True, AuthFailed, "rejected the API key"),
        (403, {"error": {"message": "no access"}}, None, True, AuthFailed, "refused access"),
        (404, {"error": {"message": "The model `gpt-9` does not exist"}}, None, True, ConfigError, "--model"),
        (422, {"error": {"message": "unprocessable"}}, None, True, RequestRejected, "HTTP 422"),
        (400, {"error": {"message": "max_tokens is too large"}}, None, True, RequestRejected, "max_tokens"),
        (400, {"error": {"message": "filtered", "code": "content_filter"}}, None, True, ContentFiltered, "prompt"),
        (400, {"error": "llama3 does not support tools"}, None, True, ConfigError, "json_schema"),
        (400, {"error": "llama3 does not support tools"}, None, False, RequestRejected, "HTTP 400"),
        (
            400,
            {
                "object": "error",
                "message": '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser',
            },
            None,
            True,
            ConfigError,
            "json_schema",
        ),
        (400, {"error": {"message": "tools param requires --jinja flag"}}, None, True, ConfigError, "json_schema"),
        (
            400,
            {"error": {"message": "Unsupported parameter: 'max_tokens'", "code": "unsupported_parameter"}},
            None,
            True,
            ConfigError,
            "rejected a request setting",
        ),
        (429, {"error": {"message": "slow down"}}, {"retry-after-ms": "500000"}, True, Deferred, "500 s"),
        (503, {"error": {"message": "busy"}}, {"Retry-After": "1"}, True, TransportFailed, "HTTP 503"),
        (409, {"error": {"message": "lock"}}, None, True, TransportFailed, "HTTP 409"),
    ],
)
def test_status_errors_are_classified_once_and_final_ones_are_not_retried(
    status: int,
    body: object,
    headers: dict[str, str] | None,
    tools: bool,
    expected: type[Exception],
    text: str,
) -> None:
    error = classify(status_error(status, body, headers), tools=tools)
    assert isinstance(error, expected)
    assert text in str(error)


@pytest.mark.parametrize("logger_name", ["openai._base_client", "instructor.v2.retry", "httpx2"])
def test_library_log_records_are_redacted(logger_name: str, caplog: pytest.LogCaptureFixture) -> None:
    key = "sk-" + "live-" + "Z9y8X7w6V5u4"
    LLMClient(SCENARIOS["faithful"].settings(api_key=key), sleep=SleepLog()).close()
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger_name).warning("request failed for key %s (also sk-other-123456)", key)
    assert key not in caplog.text and "sk-other" not in caplog.text
    assert "[redacted]" in caplog.text


@pytest.mark.parametrize("logger_name", ["openai", "httpx", "httpx2", "httpcore", "instructor"])
def test_library_loggers_set_to_debug_are_raised_above_it(logger_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """At DEBUG these libraries log request options and headers (the key among them): never let them."""
    logger = logging.getLogger(logger_name)
    monkeypatch.setattr(logger, "level", logger.level)  # restored after the test
    logger.setLevel(logging.DEBUG)
    LLMClient(SCENARIOS["faithful"].settings(), sleep=SleepLog()).close()
    assert logger.getEffectiveLevel() >= logging.INFO
