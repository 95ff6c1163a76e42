"""Fetch studies from the ClinicalTrials.gov API v2.

One retry owner: tenacity. It retries 408/429/5xx answers, timeouts and connection errors with capped,
fully jittered exponential backoff, and honours ``Retry-After`` up to ``max_retry_after`` seconds; a server
that asks for a longer wait gets a ``FetchError`` (the record is deferred, never slept on). 4xx answers other
than 408/429 are final at once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from translator.errors import FetchError
from translator.retry_after import retry_after_seconds

API_BASE = "https://clinicaltrials.gov/api/v2"
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_NCT = re.compile(r"^\s*nct\s*0*(\d{1,8})\s*$", re.IGNORECASE)


def normalize_nct_id(raw: str) -> str:
    """Return ``NCT`` + 8 digits for "nct04437511" or "NCT4437511"; raise ValueError for anything else."""
    match = _NCT.match(raw)
    if not match:
        raise ValueError(f"{raw!r} is not an NCT number (expected NCT followed by 8 digits)")
    return f"NCT{int(match.group(1)):08d}"


class _RetryableResponse(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


parse_retry_after = retry_after_seconds
"""Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (the one reading, ``translator.retry_after``)."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    max_retry_after: float = 120.0


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, _RetryableResponse | httpx.TimeoutException | httpx.TransportError)


class CtGovClient:
    """A small synchronous client for the two endpoints the tool needs."""

    def __init__(
        self,
        *,
        base_url: str = API_BASE,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self._sleep = sleep or time.sleep
        self._http = http or httpx.Client(timeout=timeout, headers={"Accept": "application/json"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CtGovClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def study(self, nct_id: str) -> dict[str, Any]:
        """One study object (``{"protocolSection": ...}``) by NCT number."""
        ident = normalize_nct_id(nct_id)
        body = self._get_json(f"/studies/{ident}", {"format": "json"}, target=ident)
        if not isinstance(body, dict) or "protocolSection" not in body:
            raise FetchError("the answer is not a study object", target=ident)
        return body

    def search(
        self, *, query: str | None = None, condition: str | None = None, limit: int = 100, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Studies matching a search, following ``nextPageToken`` until ``limit`` studies or the last page."""
        params: dict[str, str] = {"format": "json", "pageSize": str(min(page_size, limit, 1000))}
        if query:
            params["query.term"] = query
        if condition:
            params["query.cond"] = condition
        target = "search " + " ".join(f"{k}={v!r}" for k, v in params.items() if k.startswith("query"))
        yielded = 0
        while True:
            page = self._get_json("/studies", params, target=target)
            studies = page.get("studies") if isinstance(page, dict) else None
            if not isinstance(studies, list):
                raise FetchError("the answer is not a page of studies", target=target)
            for study in studies:
                yield study
                yielded += 1
                if yielded >= limit:
                    return
            token = page.get("nextPageToken")
            if not token or not studies:
                return
            params = {**params, "pageToken": str(token)}

    def _get_json(self, path: str, params: dict[str, str], *, target: str) -> Any:
        policy = self.policy
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(policy.max_attempts),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response = retrying(self._get_once, path, params, target)
        except _RetryableResponse as exc:
            raise FetchError(
                f"gave up after {policy.max_attempts} attempts (last answer HTTP {exc.status})",
                target=target,
                status=exc.status,
                hint="the server is busy or failing; try again later",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"gave up after {policy.max_attempts} attempts ({type(exc).__name__})",
                target=target,
                hint="check the network connection",
            ) from None
        try:
            return response.json()
        except ValueError:
            raise FetchError("the answer is not JSON", target=target, status=response.status_code) from None

    def _get_once(self, path: str, params: dict[str, str], target: str) -> httpx.Response:
        response = self._http.get(self.base_url + path, params=params)
        status = response.status_code
        if status in RETRYABLE_STATUS:
            retry_after = parse_retry_after(response.headers)
            if retry_after is not None and retry_after > self.policy.max_retry_after:
                raise FetchError(
                    f"the server asked to wait {retry_after:.0f} s, longer than {self.policy.max_retry_after:.0f} s",
                    target=target,
                    status=status,
                    hint="deferred: fetch it again later",
                )
            raise _RetryableResponse(status, retry_after)
        if status == 404:
            raise FetchError("not found on ClinicalTrials.gov", target=target, status=404)
        if status >= 400:
            raise FetchError(f"the server refused the request (HTTP {status})", target=target, status=status)
        return response

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _RetryableResponse) and exc.retry_after is not None:
            return exc.retry_after
        jitter = wait_random_exponential(multiplier=self.policy.backoff_base, max=self.policy.backoff_cap)
        return float(jitter(state))
