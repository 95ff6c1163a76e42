"""One vcrpy configuration for every HTTP test: replay only, body matching, auth headers filtered.

``play`` fails the test when an interaction in the cassette was never played, so a test cannot pass while
silently skipping a request it was meant to make.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr

CASSETTES = Path(__file__).resolve().parent / "cassettes"
FILTERED_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie"]


def make_vcr(folder: str) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES / folder),
        record_mode="none",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        filter_headers=FILTERED_HEADERS,
        decode_compressed_response=True,
    )


_PYDANTIC_DOCS = re.compile(r"errors\.pydantic\.dev/[0-9.]+/")


def _json_body(request: Any) -> object:
    raw = request.body or b""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    text = _PYDANTIC_DOCS.sub("errors.pydantic.dev/VERSION/", text)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def llm_body(r1: Any, r2: Any) -> None:
    """Chat-completion bodies compared as JSON. A re-ask quotes pydantic's error text, whose docs link carries
    pydantic's version; that one detail is normalized so a pydantic upgrade does not invalidate the cassettes."""
    if _json_body(r1) != _json_body(r2):
        raise AssertionError("the request bodies differ (rebuild the cassettes if the prompt or request changed)")


def make_llm_vcr(folder: str) -> vcr.VCR:
    """Like ``make_vcr``, for LLM endpoints: requests match on method, URI and the JSON body."""
    recorder = make_vcr(folder)
    recorder.register_matcher("llm_body", llm_body)
    recorder.match_on = ("method", "scheme", "host", "port", "path", "query", "llm_body")
    return recorder


@contextmanager
def play(recorder: vcr.VCR, name: str) -> Iterator[Any]:
    with recorder.use_cassette(name, allow_playback_repeats=False) as cassette:
        yield cassette
    assert cassette.all_played, f"{name}: {len(cassette.data) - cassette.play_count} interactions not played"
