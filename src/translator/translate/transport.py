"""Transport retries for one chat completion. tenacity is their only owner: the OpenAI client runs with
``max_retries=0`` and instructor's re-asks retry only invalid answers, so no layer multiplies another.

Retried: 408, 409, 429, 5xx, timeouts, connection errors; exponential backoff with full jitter, capped; a
``Retry-After`` / ``retry-after-ms`` up to ``max_retry_after`` is honoured exactly, a longer one defers the
study (``Deferred``, no sleep). Never retried: 400, 401, 403, 404, 422, content filters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from translator.errors import ConfigError
from translator.retry_after import retry_after_seconds
from translator.translate.errors import (
    AuthFailed,
    ContentFiltered,
    Deferred,
    LLMError,
    RequestRejected,
    TransportFailed,
)

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 409, 429})
_TOOLS_WORDS = re.compile(r"\btools?\b|tool[_ ]choice|function[_ ]?call", re.IGNORECASE)
_UNSUPPORTED = re.compile(r"not support|unsupported|not enabled|not available|requires|does not accept", re.I)
_SETTING_CODES = frozenset({"unsupported_parameter", "unsupported_value"})
"""OpenAI's codes for a parameter this model does not take: every study would fail the same way."""
_KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_\-*.]{3,}")
_MAX_DETAIL = 200


@dataclass(frozen=True)
class TransportPolicy:
    attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    max_retry_after: float = 120.0


class Retryable(Exception):
    """A failure worth another attempt. Callers raise it too, for answers no status code marks as bad."""

    def __init__(self, status: int | None, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.retry_after = retry_after
        self.detail = detail


def redact_keys(text: str) -> str:
    """Server messages can echo part of a key ("Incorrect API key provided: sk-...abcd"): cut it out."""
    return _KEY_LIKE.sub("[redacted]", text)


def redact(text: str, *, limit: int | None = _MAX_DETAIL) -> str:
    """A server or library message fit to show: key-shaped strings cut out, one line, at most ``limit`` long."""
    flat = " ".join(redact_keys(text).split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"


class Transport:
    """Runs one request with the retry policy; turns every final failure into a domain error."""

    def __init__(self, policy: TransportPolicy, *, tools_mode: bool, sleep: Callable[[float], None] | None = None):
        self.policy = policy
        self.tools_mode = tools_mode
        self._sleep = sleep or time.sleep

    def send(self, request: Callable[[], T]) -> T:
        retrying = Retrying(
            retry=retry_if_exception_type(Retryable),
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            result: T = retrying(self._once, request)
            return result
        except Retryable as exc:
            raise TransportFailed(attempts=self.policy.attempts, status=exc.status, detail=exc.detail) from None

    def _once(self, request: Callable[[], T]) -> T:
        try:
            return request()
        except openai.APITimeoutError:
            raise Retryable(None, None, "timeout") from None
        except openai.APIConnectionError:
            raise Retryable(None, None, "connection error") from None
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from None

    def _status_error(self, exc: openai.APIStatusError) -> Exception:
        status = exc.status_code
        if status in RETRYABLE_STATUS or status >= 500:
            retry_after = retry_after_seconds(exc.response.headers)
            if retry_after is not None and retry_after > self.policy.max_retry_after:
                return Deferred(retry_after=retry_after, limit=self.policy.max_retry_after, status=status)
            return Retryable(status, retry_after, f"HTTP {status}")
        if status in (401, 403):
            return AuthFailed(status=status)
        detail = redact(_server_message(exc))
        if _is_content_filter(exc):
            return ContentFiltered(where="prompt")
        if status == 404:
            return ConfigError(
                f"the endpoint answered 404 Not Found ({detail})",
                hint="check the model name (--model) and the base URL (--base-url, it usually ends in /v1)",
            )
        if status == 400 and exc.code in _SETTING_CODES:
            return ConfigError(
                f"the endpoint rejected a request setting ({detail})",
                hint="this model needs other settings (reasoning models take no temperature or max_tokens)",
            )
        if self.tools_mode and status == 400 and _TOOLS_WORDS.search(detail) and _UNSUPPORTED.search(detail):
            return ConfigError(
                f"the endpoint does not support tool calling ({detail})",
                hint="use JSON-schema mode: --mode json_schema or TRANSLATOR_MODE=json_schema",
            )
        return RequestRejected(status=status, detail=detail)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, Retryable) and exc.retry_after is not None:
            return exc.retry_after
        jitter = wait_random_exponential(multiplier=self.policy.backoff_base, max=self.policy.backoff_cap)
        return float(jitter(state))


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, str) and body:
        return body  # Ollama: {"error": "... does not support tools"}
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str):
            return message
    return exc.message


def _is_content_filter(exc: openai.APIStatusError) -> bool:
    """Azure's 400 for a filtered prompt: ``code`` "content_filter" (inner code ResponsibleAIPolicyViolation)."""
    if exc.code == "content_filter":
        return True
    body = exc.body if isinstance(exc.body, dict) else {}
    inner = body.get("innererror")
    return isinstance(inner, dict) and inner.get("code") == "ResponsibleAIPolicyViolation"


__all__ = ["LLMError", "Retryable", "Transport", "TransportPolicy", "redact", "redact_keys", "retry_after_seconds"]
