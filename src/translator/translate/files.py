"""Writing a study's outcome into the output folder: safe names, atomic files, nothing stale left published.

File names come only from validated NCT ids (``^NCT\\d{8}$``); anything else gets a name made from the source
file's stem plus a hash, and every path is checked to resolve inside the output folder. Files are written to
a temporary name and renamed, so a killed run never leaves half a file. ``<name>.md`` exists only for a
published translation; a flagged one is written as ``<name>.review.md`` for a reviewer, and a ``<name>.md``
left by an earlier run is removed, so nothing unverified stays where published text is expected.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from translator.domain import Study
from translator.errors import ConfigError
from translator.translate.pipeline import Outcome

NCT_ID = re.compile(r"^NCT\d{8}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
FILE_MODE = 0o644
"""Outputs are meant to be read by others (reviewers, a publishing step); temporary files start as 0600."""


def output_name(study: Study) -> str:
    if study.nct_id and NCT_ID.match(study.nct_id):
        return study.nct_id
    stem = _UNSAFE.sub("-", Path(study.origin.path).stem).strip("-")[:48] or "study"
    digest = hashlib.sha256(study.origin.describe().encode()).hexdigest()[:10]
    return f"{stem}-{digest}"


class OutputDir:
    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the output folder {root} ({exc.strerror or exc})") from None
        self.root = root.resolve()

    def path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if path.parent != self.root:
            raise ConfigError(f"refusing to write {name!r} outside {self.root}")
        return path

    def write(self, study: Study, outcome: Outcome) -> list[Path]:
        """Write ``<name>.json`` and the Markdown; return the paths written."""
        name = output_name(study)
        published, review = self.path(f"{name}.md"), self.path(f"{name}.review.md")
        markdown_path: Path | None = None
        if outcome.markdown is not None:
            markdown_path = published if outcome.record.status == "published" else review
            _atomic_write(markdown_path, outcome.markdown)
        for stale in (published, review):
            if stale != markdown_path and stale.exists():
                stale.unlink()
        record = outcome.record.model_copy(update={"markdown_file": markdown_path.name if markdown_path else None})
        json_path = self.path(f"{name}.json")
        _atomic_write(json_path, record.model_dump_json(indent=2) + "\n")
        return [json_path, *([markdown_path] if markdown_path else [])]


def _atomic_write(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    try:
        temporary.chmod(FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
