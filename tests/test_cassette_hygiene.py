"""No cassette may carry a credential: no Authorization or api-key header, no key-shaped ``sk-…`` string.

The cassette README promises this test. It reads every file under tests/cassettes/ except the builder scripts
(which name the forbidden strings to check for them) and fails on the first hit, naming file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.vcr_setup import CASSETTES

FORBIDDEN = re.compile(r"authorization|api-key|(?<![A-Za-z])sk-", re.IGNORECASE)
"""``sk-`` not preceded by a letter, so criteria words like "risk-" or "task-" are not mistaken for keys."""
CASSETTE_FILES = sorted(p for p in CASSETTES.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))


def hits(text: str) -> list[str]:
    return [f"line {n}: {m.group()!r}" for n, line in enumerate(text.splitlines(), 1) for m in FORBIDDEN.finditer(line)]


def test_there_are_cassettes_to_check() -> None:
    folders = {p.parent.name for p in CASSETTE_FILES}
    assert {"fetch", "openai"} <= folders


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_no_cassette_holds_a_credential(path: Path) -> None:
    assert hits(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("headers: {Authorization: [Bearer x]}", True),
        ("api-key: abc", True),
        ('"content": "key sk-proj-abc"', True),
        ("SK-ABC", True),
        ("high-risk-patients, task-based", False),
        ("the api key was wrong", False),
    ],
)
def test_the_check_finds_credentials_and_not_ordinary_words(text: str, found: bool) -> None:
    assert bool(hits(text)) is found
