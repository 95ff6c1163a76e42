"""Token usage of every completion, summed per study and per run, and its cost from an editable price table.

Every completion counts: the first answer, each re-ask after invalid output, each repair. A response without a
``usage`` block makes the total *unknown* (and its cost "unknown"), never 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from translator.errors import ConfigError

PRICES_RESOURCE = "prices.json"
_SNAPSHOT = re.compile(r"^-\d{4}-\d{2}-\d{2}$|^-\d{4}$")
"""A dated model snapshot ("gpt-4o-mini-2024-07-18") is priced like its base model."""


class Usage(BaseModel):
    """The ``usage`` block of one chat completion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    cached_tokens: int | None = Field(default=None, ge=0)
    """Prompt tokens served from the provider's prompt cache, when the response reports them."""
    reasoning_tokens: int | None = Field(default=None, ge=0)

    @classmethod
    def of(cls, response: Any) -> Usage | None:
        """Read a chat-completion response's usage; None when the server sent none (some local servers)."""
        raw = getattr(response, "usage", None)
        prompt = getattr(raw, "prompt_tokens", None)
        completion = getattr(raw, "completion_tokens", None)
        if not isinstance(prompt, int) or not isinstance(completion, int):
            return None
        cached = getattr(getattr(raw, "prompt_tokens_details", None), "cached_tokens", None)
        reasoning = getattr(getattr(raw, "completion_tokens_details", None), "reasoning_tokens", None)
        return cls(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cached_tokens=cached if isinstance(cached, int) else None,
            reasoning_tokens=reasoning if isinstance(reasoning, int) else None,
        )


@dataclass(frozen=True)
class Call:
    """One completion the endpoint returned (transport retries that got no completion are not calls)."""

    finish_reason: str | None
    usage: Usage | None
    output: str
    """The raw answer: the tool-call arguments (tools mode) or the message content (json_schema mode)."""
    reask_error: str | None = None
    """Why this answer was sent back for a re-ask (the validation error the model was shown)."""


@dataclass(frozen=True)
class UsageTotal:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    unknown_calls: int = 0
    """Completions whose response carried no usage: while any exist the total is a lower bound, cost unknown."""

    @property
    def complete(self) -> bool:
        return self.unknown_calls == 0

    def __add__(self, other: UsageTotal) -> UsageTotal:
        return UsageTotal(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens + other.cached_tokens,
            self.unknown_calls + other.unknown_calls,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cached_tokens": self.cached_tokens,
            "unknown_calls": self.unknown_calls,
            "complete": self.complete,
        }


def total(usages: Iterable[Usage | None]) -> UsageTotal:
    """Sum the usage of completions; a None (no usage reported) is counted as unknown, not as 0."""
    result = UsageTotal()
    for usage in usages:
        if usage is None:
            result += UsageTotal(calls=1, unknown_calls=1)
        else:
            result += UsageTotal(1, usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens or 0, 0)
    return result


class ModelPrice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    """Price of prompt tokens served from the provider's cache; the input price when absent."""


class PriceTable(BaseModel):
    """Per-model prices, per ``per_tokens`` tokens. Packaged as prices.json; a path in settings replaces it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str
    per_tokens: int = Field(gt=0)
    checked: str
    """When and where the prices were copied from: they change, so the file says how old they are."""
    models: dict[str, ModelPrice]

    def price(self, model: str) -> ModelPrice | None:
        if model in self.models:
            return self.models[model]
        for name in sorted(self.models, key=len, reverse=True):
            if model.startswith(name) and _SNAPSHOT.match(model[len(name) :]):
                return self.models[name]
        return None

    def cost(self, model: str | None, usage: UsageTotal) -> float | None:
        """The cost of ``usage`` on ``model``; None (unknown) for an unpriced model or incomplete usage."""
        price = self.price(model) if model else None
        if price is None or not usage.complete:
            return None
        cached = min(usage.cached_tokens, usage.prompt_tokens)
        amount = (
            (usage.prompt_tokens - cached) * price.input
            + cached * (price.cached_input if price.cached_input is not None else price.input)
            + usage.completion_tokens * price.output
        )
        return amount / self.per_tokens

    def cost_json(self, model: str | None, usage: UsageTotal) -> dict[str, object] | str:
        if usage.calls == 0:
            return {"amount": 0.0, "currency": self.currency}
        amount = self.cost(model, usage)
        return "unknown" if amount is None else {"amount": round(amount, 6), "currency": self.currency}


def load_prices(path: Path | None = None) -> PriceTable:
    """The packaged price table, or the one at ``path``."""
    try:
        if path is None:
            text = resources.files("translator.translate").joinpath(PRICES_RESOURCE).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        return PriceTable.model_validate(json.loads(text))
    except (OSError, ValueError, ValidationError) as exc:
        where = str(path) if path else f"translator/translate/{PRICES_RESOURCE}"
        raise ConfigError(
            f"{where}: not a valid price table ({exc})", hint="fix the file or point --prices at one"
        ) from None
