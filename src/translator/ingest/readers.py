"""Read studies from files and directories, one record at a time, never stopping on a bad one.

Every input yields either a ``Study`` or an ``InputError`` naming the file, record and position; the caller
counts both. Nothing is loaded whole: JSON documents are streamed record by record, JSON Lines line by line,
directories file by file.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from translator.domain import Origin, Section, Study
from translator.errors import InputError, Location, SkippedInput
from translator.ingest.jsonstream import JsonStreamError, RecordTooLarge, iter_json_records
from translator.ingest.records import NCT_RE, RecordProblem, study_from_object

JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".txt", ".text"}
DOCUMENTATION_STEMS = frozenset({"readme", "source", "license", "licence", "notice", "changes", "changelog", "authors"})
"""A ``SOURCE.txt`` or ``README.txt`` met in a directory describes the data beside it; it is not criteria."""
_SNIFF_BYTES = 8192
_TOO_LARGE_HINT = "a study is kilobytes, not megabytes"


@dataclass(frozen=True)
class Limits:
    """Size limits that keep a bad file from exhausting memory; each is reported by name when hit."""

    max_text_bytes: int = 2 * 1024 * 1024
    """A criteria text file is a few kilobytes; megabytes mean it is not one."""
    max_record_chars: int = 16 * 1024 * 1024
    """One study (a JSON record or a JSON Lines line)."""


ReadResult = Study | InputError


def read_paths(paths: Iterable[str | Path], limits: Limits | None = None) -> Iterator[ReadResult]:
    """Yield every study (or problem) found in the given files and directories, in a stable order."""
    limits = limits or Limits()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _read_directory(path, limits)
        elif path.exists():
            yield from read_file(path, limits, explicit=True)
        else:
            yield InputError("no such file or directory", location=Location(str(path)))


def _read_directory(root: Path, limits: Limits) -> Iterator[ReadResult]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                yield SkippedInput("hidden file", location=Location(str(path)))
                continue
            yield from read_file(path, limits, explicit=False)


def read_file(path: Path, limits: Limits, *, explicit: bool) -> Iterator[ReadResult]:
    """Read one file. Named files are sniffed; files met in a directory are read by their suffix."""
    location = Location(str(path))
    suffix = path.suffix.lower()
    known = suffix in JSON_SUFFIXES | JSONL_SUFFIXES | TEXT_SUFFIXES
    if not explicit and not known:
        yield SkippedInput(f"not a study file (suffix {suffix or 'none'!r})", location=location)
        return
    if not explicit and suffix in TEXT_SUFFIXES and path.stem.lower() in DOCUMENTATION_STEMS:
        yield SkippedInput("a documentation file, not criteria", location=location)
        return
    try:
        head = _sniff(path)
    except OSError as exc:
        yield InputError(f"cannot read the file: {exc.strerror or exc}", location=location)
        return
    if b"\x00" in head:
        yield InputError("this is a binary file, not JSON or text", location=location)
        return
    kind = _kind(suffix, head)
    if kind == "jsonl":
        yield from _read_jsonl(path, limits)
    elif kind == "json":
        yield from _read_json(path, limits)
    else:
        yield _read_text(path, limits)


def _sniff(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(_SNIFF_BYTES)


def _kind(suffix: str, head: bytes) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TEXT_SUFFIXES:
        return "text"
    first = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    if first in (b"{", b"["):
        lines = [ln for ln in head.splitlines() if ln.strip()]
        looks_jsonl = len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines[:3])
        return "jsonl" if looks_jsonl and first == b"{" else "json"
    return "text"


def _open_text(path: Path) -> io.TextIOWrapper:
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="strict", newline="")


def _decode_error(path: Path, exc: UnicodeDecodeError, record: int | None = None) -> InputError:
    """Locate the first undecodable byte in the file (only on this error path, so a rescan is cheap enough)."""
    offset, line = _first_bad_byte(path)
    byte = f"byte 0x{exc.object[exc.start]:02x}"
    return InputError(
        f"not valid UTF-8 ({byte} at byte offset {offset})",
        location=Location(str(path), record=record, line=line),
        hint="save the file as UTF-8",
    )


def _first_bad_byte(path: Path) -> tuple[int, int]:
    """Byte offset and line of the first invalid UTF-8 sequence, read in chunks."""
    base, line, carry = 0, 1, b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            data = carry + chunk
            carry = b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data" or exc.start < len(data) - 3:
                    return base + exc.start, line + data[: exc.start].count(b"\n")
                carry, data = data[exc.start :], data[: exc.start]
            base += len(data)
            line += data.count(b"\n")
    return base, line


def _read_json(path: Path, limits: Limits) -> Iterator[ReadResult]:
    origin_kind = "api-study"
    count = 0
    try:
        with _open_text(path) as fh:
            for item in iter_json_records(fh, max_record_chars=limits.max_record_chars):
                count += 1
                if item.record is not None:
                    origin_kind = "api-page"
                if item.problem is not None:
                    location = Location(str(path), record=item.record, line=item.line)
                    hint = f"{_TOO_LARGE_HINT}; skipped, the records after it are still read"
                    yield InputError(item.problem, location=location, hint=hint)
                    continue
                origin = Origin(str(path), item.record, origin_kind)  # type: ignore[arg-type]
                yield _to_study(item.value, origin, line=item.line)
    except JsonStreamError as exc:
        too_large = isinstance(exc, RecordTooLarge)
        yield InputError(
            exc.message if too_large else f"not valid JSON: {exc.message}",
            location=Location(str(path), record=exc.record, line=exc.line, column=exc.column),
            hint=_TOO_LARGE_HINT if too_large else None,
        )
    except UnicodeDecodeError as exc:
        yield _decode_error(path, exc)
    except OSError as exc:
        yield InputError(f"cannot read the file: {exc.strerror or exc}", location=Location(str(path)))
    else:
        if count == 0:
            yield SkippedInput("the JSON document holds no studies", location=Location(str(path)))


def _read_jsonl(path: Path, limits: Limits) -> Iterator[ReadResult]:
    try:
        with _open_text(path) as fh:
            number = 0
            while True:
                try:
                    line = fh.readline(limits.max_record_chars + 1)
                except UnicodeDecodeError as exc:
                    yield _decode_error(path, exc, record=number + 1)
                    return
                if not line:
                    return
                number += 1
                if len(line) > limits.max_record_chars:
                    yield InputError(
                        f"line is longer than {limits.max_record_chars:,} characters",
                        location=Location(str(path), record=number, line=number),
                    )
                    _skip_rest_of_line(fh)
                    continue
                if not line.strip():
                    continue
                yield _jsonl_record(path, number, line)
    except OSError as exc:
        yield InputError(f"cannot read the file: {exc.strerror or exc}", location=Location(str(path)))


def _skip_rest_of_line(fh: io.TextIOWrapper) -> None:
    while True:
        chunk = fh.readline(1 << 20)
        if not chunk or chunk.endswith("\n"):
            return


def _jsonl_record(path: Path, number: int, line: str) -> ReadResult:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(
            f"not valid JSON: {exc.msg}",
            location=Location(str(path), record=number, line=number, column=exc.colno),
        )
    kind = "merged-jsonl" if isinstance(value, dict) and "eligibilityModule" in value else "jsonl"
    return _to_study(value, Origin(str(path), number, kind), line=number)  # type: ignore[arg-type]


def _to_study(value: object, origin: Origin, *, line: int) -> ReadResult:
    try:
        return study_from_object(value, origin)
    except RecordProblem as exc:
        location = Location(origin.path, record=origin.record, line=line, nct_id=exc.nct_id)
        cls = SkippedInput if exc.skip else InputError
        return cls(exc.message, location=location, hint=exc.hint)


def _read_text(path: Path, limits: Limits) -> ReadResult:
    location = Location(str(path))
    size = path.stat().st_size
    if size > limits.max_text_bytes:
        return InputError(
            f"the file is {size / 2**20:.1f} MiB, more than the {limits.max_text_bytes / 2**20:.1f} MiB a "
            "criteria text file may have",
            location=location,
            hint="a criteria file holds one study's criteria; pass studies as JSON or JSON Lines",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
            location=Location(str(path), line=raw[: exc.start].count(b"\n") + 1),
            hint="save the file as UTF-8",
        )
    if not text.strip():
        return SkippedInput("the criteria text is empty", location=location)
    return study_from_text(text, path)


def study_from_text(text: str, path: Path) -> Study:
    """A plain-text criteria file: the NCT id and, for Chia-style ``_exc`` files, the section from the name."""
    match = NCT_RE.search(path.name)
    stem = path.stem.lower()
    section: Section = "exclusion" if stem.endswith(("_exc", "-exc", "_exclusion")) else "inclusion"
    return Study(
        nct_id=f"NCT{match.group(1)}" if match else None,
        title=None,
        criteria=text,
        origin=Origin(str(path), None, "text"),
        default_section=section,
    )
