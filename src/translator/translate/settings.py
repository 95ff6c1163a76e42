"""Translation settings: from environment variables, then CLI flags on top. Validated once, at the boundary.

The backend is ``rules`` (the offline renderer) unless a model is configured. The API key is a ``SecretStr``: its
repr is masked, it is never written to a record, a cache entry, a log line or an error message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from translator.errors import ConfigError

Backend = Literal["openai", "rules"]
Mode = Literal["tools", "json_schema"]
OPENAI_URL = "https://api.openai.com/v1"

ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "api_key": ("OPENAI_API_KEY",),
    "base_url": ("TRANSLATOR_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("TRANSLATOR_MODEL",),
    "mode": ("TRANSLATOR_MODE",),
    "backend": ("TRANSLATOR_BACKEND",),
    "temperature": ("TRANSLATOR_TEMPERATURE",),
    "seed": ("TRANSLATOR_SEED",),
    "max_tokens": ("TRANSLATOR_MAX_TOKENS",),
    "reasks": ("TRANSLATOR_REASKS",),
    "repairs": ("TRANSLATOR_REPAIRS",),
    "cache_path": ("TRANSLATOR_CACHE",),
    "price_table": ("TRANSLATOR_PRICES",),
}
"""Setting -> environment variables, first match wins (TRANSLATOR_BASE_URL before OPENAI_BASE_URL)."""

_HOSTED_TOOLS_HOSTS = ("api.openai.com", ".openai.azure.com", ".cognitiveservices.azure.com")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Backend
    model: str | None = None
    base_url: str = OPENAI_URL
    api_key: SecretStr | None = Field(default=None, repr=False)
    mode: Mode = "tools"
    temperature: float = Field(default=0.0, ge=0, le=2)
    seed: int | None = 0
    """Sent explicitly: a server otherwise applies its own defaults (vLLM reads generation_config.json)."""
    max_tokens: int = Field(default=4096, gt=0)
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=120.0, gt=0)
    reasks: int = Field(default=2, ge=0, le=5)
    """Validation re-asks after the first answer (invalid JSON, a criterion not covered)."""
    repairs: int = Field(default=2, ge=0, le=5)
    """Verifier-driven repair rounds after the first translation."""
    transport_attempts: int = Field(default=5, ge=1, le=10)
    backoff_base: float = Field(default=1.0, gt=0)
    backoff_cap: float = Field(default=30.0, gt=0)
    max_retry_after: float = Field(default=120.0, ge=0)
    auth_failures_to_stop: int = Field(default=2, ge=1)
    """Consecutive 401/403 answers after which the batch stops (every other study would fail the same way)."""
    cache_path: Path | None = None
    price_table: Path | None = None

    def describe(self) -> dict[str, object]:
        """What a record says about how it was made. Never the key; the endpoint without credentials or query."""
        return {
            "backend": self.backend,
            "model": self.model,
            "endpoint": public_endpoint(self.base_url) if self.backend == "openai" else None,
            "mode": self.mode if self.backend == "openai" else None,
            "temperature": self.temperature,
            "seed": self.seed,
            "max_tokens": self.max_tokens,
        }

    def sampling(self) -> dict[str, object]:
        return {"temperature": self.temperature, "seed": self.seed, "max_tokens": self.max_tokens}


def default_mode(base_url: str) -> Mode:
    """Tools for OpenAI and Azure OpenAI; JSON schema for everything else (vLLM, Ollama, llama.cpp, proxies)."""
    host = (urlsplit(base_url).hostname or "").lower()
    hosted = any(host == h or (h.startswith(".") and host.endswith(h)) for h in _HOSTED_TOOLS_HOSTS)
    return "tools" if hosted else "json_schema"


def public_endpoint(base_url: str) -> str:
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def load_settings(*, environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Settings from ``environ`` (default: the process environment), with non-None ``flags`` on top."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, variables in ENVIRONMENT.items():
        for variable in variables:
            if env.get(variable):
                values[name] = env[variable]
                break
    values.update({k: v for k, v in flags.items() if v is not None})
    values.setdefault("backend", "openai" if values.get("model") else "rules")
    values.setdefault("base_url", OPENAI_URL)
    values.setdefault("mode", default_mode(str(values["base_url"])))
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid translation settings: {problems}") from None
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.backend != "openai":
        return
    if not settings.model:
        raise ConfigError("the openai backend needs a model", hint="set TRANSLATOR_MODEL or pass --model")
    scheme = urlsplit(settings.base_url).scheme
    if scheme not in ("http", "https"):
        raise ConfigError(f"base URL {public_endpoint(settings.base_url)!r} is not http(s)")
    if settings.api_key is None and default_mode(settings.base_url) == "tools":
        raise ConfigError(
            f"no API key for {public_endpoint(settings.base_url)}", hint="set OPENAI_API_KEY in the environment"
        )
