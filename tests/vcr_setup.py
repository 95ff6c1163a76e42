"""One vcrpy configuration for every HTTP test: replay only, body matching, auth headers filtered.

``play`` fails the test when an interaction in the cassette was never played, so a test cannot pass while
silently skipping a request it was meant to make.
"""

from __future__ import annotations

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


@contextmanager
def play(recorder: vcr.VCR, name: str) -> Iterator[Any]:
    with recorder.use_cassette(name, allow_playback_repeats=False) as cassette:
        yield cassette
    assert cassette.all_played, f"{name}: {len(cassette.data) - cassette.play_count} interactions not played"
