"""How long a server asks a client to wait: one reading of ``retry-after-ms`` and ``Retry-After`` for every
HTTP client here (the ClinicalTrials.gov fetcher and the OpenAI-compatible transport)."""

from __future__ import annotations

import email.utils
import time
from typing import Protocol


class Headers(Protocol):
    def get(self, key: str) -> str | None: ...


def retry_after_seconds(headers: Headers) -> float | None:
    """Seconds to wait from ``retry-after-ms`` (Azure, OpenAI) or ``Retry-After`` (seconds or an HTTP date); None
    when neither says, never negative."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None
