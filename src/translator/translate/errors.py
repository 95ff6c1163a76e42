"""What can go wrong between us and the model, as domain errors with fields.

Each error carries the completions already received (``calls``) so that their token usage is never lost, and
maps to one state of a study in a run: deferred (try again later), flagged (a person must look), failed
(this run could not translate it), or a run-level stop (bad key, bad configuration). None of them ever holds
the API key; messages are written by us, not copied from the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from translator.errors import TranslatorError

if TYPE_CHECKING:
    from translator.translate.usage import Call, UsageTotal

StudyState = Literal["deferred", "flagged", "failed"]


class LLMError(TranslatorError):
    """Base of the errors a translation call can end in. ``state`` is what it makes of the study."""

    state: StudyState = "failed"
    reason: str = "llm_error"

    def __init__(self, message: str, *, hint: str | None = None, calls: Sequence[Call] = ()) -> None:
        super().__init__(message, hint=hint)
        self.calls: tuple[Call, ...] = tuple(calls)

    @property
    def usage(self) -> UsageTotal:
        """The summed usage of the completions received before the error (re-asks included)."""
        from translator.translate.usage import total

        return total(call.usage for call in self.calls)


class Deferred(LLMError):
    """The server asked us to wait longer than we honour: the study is deferred, not slept on."""

    state = "deferred"
    reason = "deferred"

    def __init__(self, *, retry_after: float, limit: float, status: int) -> None:
        super().__init__(
            f"the server asked to wait {retry_after:.0f} s (HTTP {status}), longer than the {limit:.0f} s we wait",
            hint="deferred: translate it again later",
        )
        self.retry_after = retry_after
        self.status = status


class TransportFailed(LLMError):
    """Retryable failures (429, 5xx, timeouts, resets) that outlasted every transport attempt."""

    reason = "transport"

    def __init__(self, *, attempts: int, status: int | None, detail: str) -> None:
        super().__init__(
            f"gave up after {attempts} attempts (last: {detail})",
            hint="the endpoint is busy or failing; try again later",
        )
        self.attempts = attempts
        self.status = status


class AuthFailed(LLMError):
    """401 or 403: the key is missing, wrong or not allowed. Never retried; repeated ones stop the batch."""

    reason = "auth"

    def __init__(self, *, status: int) -> None:
        what = "rejected the API key" if status == 401 else "refused access with this API key"
        super().__init__(
            f"the endpoint {what} (HTTP {status})",
            hint="check OPENAI_API_KEY and that it may use this model and base URL",
        )
        self.status = status


class ContentFiltered(LLMError):
    """The provider's content filter blocked the prompt (Azure's 400) or the answer. A person must look."""

    state = "flagged"
    reason = "content_filter"

    def __init__(self, *, where: Literal["prompt", "answer"]) -> None:
        super().__init__(
            f"the provider's content filter blocked the {where}",
            hint="not retried; medical text trips these filters, so a person must translate or check it",
        )
        self.where = where


class TooLong(LLMError):
    """``finish_reason == "length"``: the answer was cut off. A truncated translation is never accepted."""

    state = "flagged"
    reason = "too_long"

    def __init__(self, *, max_tokens: int) -> None:
        super().__init__(
            f"the answer was cut off at the {max_tokens}-token limit",
            hint="raise --max-tokens or split the criteria; a truncated translation is never used",
        )
        self.max_tokens = max_tokens


class Refused(LLMError):
    """The model answered with a refusal instead of a translation. A person must look."""

    state = "flagged"
    reason = "refused"

    def __init__(self, *, detail: str) -> None:
        super().__init__(f"the model refused to translate ({detail})", hint="a person must translate or check it")
        self.detail = detail


class RequestRejected(LLMError):
    """A 4xx answer other than 401/403/404/408/409/429 (400, 422, ...): final, never retried."""

    reason = "rejected"

    def __init__(self, *, status: int, detail: str) -> None:
        super().__init__(f"the endpoint rejected the request (HTTP {status}): {detail}")
        self.status = status
        self.detail = detail


class ReasksExhausted(LLMError):
    """The model's answers kept failing validation (bad JSON, missing criteria) after every re-ask."""

    reason = "invalid_output"

    def __init__(self, *, attempts: int, last_error: str, last_output: str, calls: Sequence[Call]) -> None:
        super().__init__(
            f"the model's answer was still invalid after {attempts} attempts: {last_error}",
            hint="try another model, or --mode json_schema",
            calls=calls,
        )
        self.attempts = attempts
        self.last_error = last_error
        self.last_output = last_output
