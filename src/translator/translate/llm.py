"""One structured translation from an OpenAI-compatible endpoint, through instructor.

Three layers, each with one retry owner and its own bound:

* transport (``Transport``, tenacity): up to ``transport_attempts`` HTTP requests for one completion;
* re-asks (instructor, given our own tenacity ``Retrying``): up to ``1 + reasks`` completions, retried only
  when the answer is invalid (bad JSON, schema or coverage errors from ``PlainTranslation``'s validators);
* repairs (``pipeline``): verifier-driven rounds, each of which is one call of ``LLMClient.complete``.

What instructor 1.17 does that matters here (read in ``instructor/v2/core/retry.py``): given an int it makes
``max_retries + 1`` attempts and retries only parse errors; given a ``Retrying`` it uses it as is. Any other
exception raised by the create function (our transport errors) ends the loop at once but comes out wrapped in
``InstructorRetryException``, the original as ``__cause__``; ``IncompleteOutputException`` (finish_reason
"length") comes out unwrapped. It also logs each failure at ERROR with the exception text, hence the
redaction filter below.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.exceptions import ResponseParsingError
from instructor.core.hooks import Hooks
from pydantic import ValidationError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from translator.errors import ConfigError
from translator.translate.errors import ContentFiltered, LLMError, ReasksExhausted, Refused, TooLong
from translator.translate.prompts import Message
from translator.translate.schema import PlainTranslation
from translator.translate.settings import Settings
from translator.translate.transport import Retryable, Transport, TransportPolicy, redact, redact_keys
from translator.translate.usage import Call, Usage

PARSE_ERRORS: tuple[type[Exception], ...] = (ValidationError, json.JSONDecodeError, ResponseParsingError)
"""The only errors a re-ask can fix."""
GUARDED_LOGGERS = ("openai", "httpx", "httpx2", "httpcore", "instructor")
_MAX_ERROR = 600


@dataclass(frozen=True)
class Answer:
    translation: PlainTranslation
    calls: tuple[Call, ...]


class RedactingFilter(logging.Filter):
    """Removes the key (and anything key-shaped) from records of the HTTP and LLM libraries' loggers."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret:
            message = message.replace(self.secret, "[redacted]")
        record.msg, record.args = redact_keys(message), None
        return True


def guard_loggers(secret: str | None) -> None:
    """Keep these loggers at INFO or above (openai logs request options and headers at DEBUG) and redacted."""
    names = set(GUARDED_LOGGERS) | {
        name for name in logging.root.manager.loggerDict if name.split(".")[0] in GUARDED_LOGGERS
    }
    for name in sorted(names):
        logger = logging.getLogger(name)
        if name in GUARDED_LOGGERS or logger.level != logging.NOTSET:
            logger.setLevel(max(logger.level, logging.INFO))
        logger.filters = [f for f in logger.filters if not isinstance(f, RedactingFilter)]
        logger.addFilter(RedactingFilter(secret))


class LLMClient:
    """A translator backed by a chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp...)."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: Any | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        key = settings.api_key.get_secret_value() if settings.api_key else None
        guard_loggers(key)
        self._openai = openai.OpenAI(
            api_key=key or "no-key",
            base_url=settings.base_url,
            max_retries=0,
            timeout=openai.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            http_client=http_client,
        )
        policy = TransportPolicy(
            settings.transport_attempts, settings.backoff_base, settings.backoff_cap, settings.max_retry_after
        )
        self._transport = Transport(policy, tools_mode=settings.mode == "tools", sleep=sleep)
        self._mode = instructor.Mode.TOOLS if settings.mode == "tools" else instructor.Mode.JSON_SCHEMA

    def close(self) -> None:
        self._openai.close()

    def complete(
        self, messages: Sequence[Message], expected_ids: Sequence[str], known_ids: Sequence[str] = ()
    ) -> Answer:
        """One validated translation; raises an ``LLMError`` (with the calls made) or a ``ConfigError``."""
        log = _CallLog(tools=self._mode == instructor.Mode.TOOLS)
        hooks = Hooks()
        hooks.on("parse:error", log.parse_error)
        create = cast(Callable[..., Any], instructor.patch(create=self._create_fn(log), mode=self._mode))
        context = {"criterion_ids": list(expected_ids), "known_ids": list(known_ids or expected_ids)}
        try:
            result = create(
                response_model=PlainTranslation,
                messages=[m.to_json() for m in messages],
                context=context,
                max_retries=Retrying(
                    stop=stop_after_attempt(1 + self.settings.reasks),
                    retry=retry_if_exception_type(PARSE_ERRORS),
                    reraise=True,
                ),
                hooks=hooks,
                model=self.settings.model,
                **self.settings.sampling(),
            )
        except IncompleteOutputException:
            raise _with_calls(TooLong(max_tokens=self.settings.max_tokens), log) from None
        except InstructorRetryException as exc:
            raise self._unwrap(exc, log) from None
        translation = PlainTranslation.model_validate(result.model_dump(mode="json"), context=context)
        return Answer(translation, tuple(log.calls))

    def _create_fn(self, log: _CallLog) -> Callable[..., Any]:
        def request(*args: Any, **kwargs: Any) -> Any:
            response = self._openai.chat.completions.create(*args, **kwargs)
            if not hasattr(response, "choices"):  # openai returns the text of a 200 that is not JSON
                raise Retryable(200, None, "a 200 answer that is not a chat completion (a proxy error page?)")
            return response

        def create(*args: Any, **kwargs: Any) -> Any:
            response = self._transport.send(lambda: request(*args, **kwargs))
            log.add(response)
            if log.calls[-1].finish_reason == "content_filter":
                raise ContentFiltered(where="answer")
            return response

        return create

    def _unwrap(self, exc: InstructorRetryException, log: _CallLog) -> Exception:
        cause = exc.__cause__
        if isinstance(cause, LLMError):
            return _with_calls(cause, log)
        if isinstance(cause, ConfigError):
            return cause
        if isinstance(cause, PARSE_ERRORS):
            last = log.calls[-1].output if log.calls else ""
            return ReasksExhausted(attempts=exc.n_attempts, last_error=_short(cause), last_output=last, calls=log.calls)
        if isinstance(cause, AssertionError) and "Unable to generate" in str(cause):
            return _with_calls(Refused(detail=_short(cause)), log)
        return _with_calls(LLMError(f"the translation call failed: {_short(cause or exc)}"), log)


class _CallLog:
    """Every completion received during one ``complete``, with the validation error of each re-asked one."""

    def __init__(self, *, tools: bool) -> None:
        self.tools = tools
        self.calls: list[Call] = []

    def add(self, response: Any) -> None:
        choices = getattr(response, "choices", None) or []
        choice = choices[0] if choices else None
        finish = getattr(choice, "finish_reason", None)
        self.calls.append(Call(finish, Usage.of(response), _output(choice, tools=self.tools)))

    def parse_error(self, error: Exception, **_: Any) -> None:
        if self.calls:
            self.calls[-1] = replace(self.calls[-1], reask_error=_short(error))


def _output(choice: Any, *, tools: bool) -> str:
    message = getattr(choice, "message", None)
    if tools:
        tool_calls = getattr(message, "tool_calls", None) or []
        if tool_calls:
            return str(tool_calls[0].function.arguments or "")
    return str(getattr(message, "content", None) or "")


def _short(error: BaseException) -> str:
    return redact(str(error), limit=_MAX_ERROR)


def _with_calls(error: LLMError, log: _CallLog) -> LLMError:
    error.calls = tuple(log.calls)
    return error
