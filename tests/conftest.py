"""Shared fixtures. The real corpus lives beside the project in ../shared/data (not in a user's clone).

Tests that need it use the ``corpus`` fixture: without the corpus they are skipped with a clear reason,
unless TRANSLATOR_REQUIRE_CORPUS=1 (CI sets it), in which case a missing corpus is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from translator.evaluation.corpus import CORPUS_ROOT, Corpus

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT / "examples"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    if not CORPUS_ROOT.is_dir():
        message = (
            f"the shared corpus is not at {CORPUS_ROOT} (it sits beside the project in the team's workspace, "
            "not in a clone); corpus tests are skipped"
        )
        if os.environ.get("TRANSLATOR_REQUIRE_CORPUS") == "1":
            pytest.fail(message + " -- but TRANSLATOR_REQUIRE_CORPUS=1 says it must be there")
        pytest.skip(message)
    return Corpus(CORPUS_ROOT)


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
