"""A content-addressed SQLite cache of model outcomes: a rerun of an unchanged study makes no call.

The key is the sha256 of canonical JSON of everything that shapes the model's answer: the normalized criteria,
the prompt id and the hash of every prompt file, the schema version, model, endpoint, mode, sampling settings
and the re-ask/repair bounds. Any change is a miss. WAL mode and a busy timeout let several processes share
one file; each write is one transaction (``INSERT OR REPLACE``), so a killed run leaves no half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from translator.domain import Criterion
from translator.errors import ConfigError
from translator.translate.prompts import Prompt, plain_text
from translator.translate.record import CachedOutcome
from translator.translate.schema import PlainTranslation
from translator.translate.settings import Settings, public_endpoint

KEY_FORMAT = 1
BUSY_TIMEOUT_MS = 10_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    key TEXT PRIMARY KEY,
    prompt TEXT NOT NULL,
    model TEXT,
    created TEXT NOT NULL,
    value TEXT NOT NULL
)
"""


@cache
def schema_version() -> str:
    """A hash of the translation schema the model is asked to fill: a changed contract is a new version."""
    schema = json.dumps(PlainTranslation.model_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def cache_key(criteria: Sequence[Criterion], *, prompt: Prompt, settings: Settings) -> str:
    payload = {
        "format": KEY_FORMAT,
        "criteria": [[c.id, c.section, c.parent, plain_text(c.text)] for c in criteria],
        "prompt": [prompt.prompt_id, prompt.sha256],
        "schema": schema_version(),
        "model": settings.model,
        "endpoint": public_endpoint(settings.base_url),
        "mode": settings.mode,
        "sampling": settings.sampling(),
        "bounds": {"reasks": settings.reasks, "repairs": settings.repairs},
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Cache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the translation cache {path} ({exc})", hint="use --cache or --no-cache"
            ) from None

    def close(self) -> None:
        self._db.close()

    def get(self, key: str) -> CachedOutcome | None:
        try:
            row = self._db.execute("SELECT value FROM outcomes WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot read the translation cache {self.path} ({exc})") from None
        if row is None:
            return None
        try:
            return CachedOutcome.model_validate_json(row[0])
        except ValidationError:
            return None  # written by an incompatible version: a miss, overwritten by the next put

    def put(self, key: str, outcome: CachedOutcome, *, prompt_id: str, model: str | None) -> None:
        value = outcome.model_dump_json()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "INSERT OR REPLACE INTO outcomes (key, prompt, model, created, value) VALUES (?, ?, ?, ?, ?)",
                    (key, prompt_id, model, created, value),
                )
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot write the translation cache {self.path} ({exc})") from None

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0])
