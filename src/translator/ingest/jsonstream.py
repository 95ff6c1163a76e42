"""Stream the records of one JSON document without loading the document whole.

A ClinicalTrials.gov page (``{"studies": [...], "nextPageToken": ...}``) or the site's download (a top-level
array of studies) can be tens of megabytes. This reader keeps one record at a time in memory: it walks the
top level by hand and hands each element to ``json.JSONDecoder.raw_decode``. Errors carry the line and column
in the file, so a message can point at the broken record. A record of a page or array that is larger than
the limit is stepped over without being held (``StreamItem.problem`` says so), and the records after it are
still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

_CHUNK = 1 << 18
_WS = " \t\r\n"
_STRUCTURE = re.compile(r'["\[\]{}]')
"""Outside a string, the only characters that change the nesting of a value being stepped over."""
_STRING_STOP = re.compile(r'["\\]')


class JsonStreamError(ValueError):
    """Malformed JSON at a known place in the file."""

    def __init__(self, message: str, *, line: int, column: int, record: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.record = record


class RecordTooLarge(JsonStreamError):
    """A record longer than the limit. The cursor is still at its start, so the caller may step over it."""


@dataclass(frozen=True)
class StreamItem:
    """One top-level record: its 1-based number and where it starts in the file."""

    record: int | None
    line: int
    value: object
    problem: str | None = None
    """Set (and ``value`` None) when the record was stepped over unread: it is larger than the limit."""


class _Cursor:
    """A sliding window over a text stream that knows the absolute line and column of its position."""

    def __init__(self, fh: TextIO, max_record_chars: int) -> None:
        self._fh = fh
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # line number of _buf[0]
        self._col0 = 1  # column of _buf[0]
        self.max_record_chars = max_record_chars

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._fh.read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._compact()
        self._buf += chunk
        return True

    def _compact(self) -> None:
        if self._pos == 0:
            return
        dropped = self._buf[: self._pos]
        newlines = dropped.count("\n")
        if newlines:
            self._line += newlines
            self._col0 = len(dropped) - dropped.rfind("\n")
        else:
            self._col0 += len(dropped)
        self._buf = self._buf[self._pos :]
        self._pos = 0

    def where(self, offset: int | None = None) -> tuple[int, int]:
        at = self._pos if offset is None else offset
        newlines = self._buf.count("\n", 0, at)
        if newlines:
            return self._line + newlines, at - self._buf.rfind("\n", 0, at)
        return self._line, self._col0 + at

    def peek(self) -> str:
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in _WS:
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def take(self, expected: str, record: int | None) -> None:
        char = self.peek()
        if char != expected:
            found = repr(char) if char else "the end of the file"
            raise self.error(f"expected {expected!r} but found {found}", record)
        self._pos += 1

    def value(self, decoder: json.JSONDecoder, record: int | None) -> object:
        self.peek()
        while True:
            try:
                value, end = decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if len(self._buf) - self._pos > self.max_record_chars:
                    raise self._too_large(record) from exc
                if self._fill():
                    continue
                raise self.error(exc.msg, record, offset=exc.pos) from exc
            if end - self._pos > self.max_record_chars:
                raise self._too_large(record)
            # A value that ends exactly at the buffer's end may be a number cut in two; read on to be sure.
            if end == len(self._buf) and not self._eof and self._fill():
                continue
            self._pos = end
            return value

    def error(self, message: str, record: int | None, offset: int | None = None) -> JsonStreamError:
        line, column = self.where(offset)
        return JsonStreamError(message, line=line, column=column, record=record)

    def _too_large(self, record: int | None) -> RecordTooLarge:
        line, column = self.where()
        message = f"the record is larger than {self.max_record_chars:,} characters"
        return RecordTooLarge(message, line=line, column=column, record=record)

    def skip_value(self, record: int | None) -> None:
        """Step over the object, array or string at the cursor, reading on in chunks and keeping none of it."""
        if self.peek() not in ("{", "[", '"'):
            raise self.error("a record this large must be an object, an array or a string", record)
        depth, in_string = 0, False
        while True:
            match = (_STRING_STOP if in_string else _STRUCTURE).search(self._buf, self._pos)
            if match is None:
                self._pos = len(self._buf)
                if not self._fill():
                    raise self.error("the file ends inside a record", record)
                continue
            self._pos = match.end()
            char = match.group()
            if char == "\\":  # the escaped character may be the first of the next chunk
                if self._pos >= len(self._buf) and not self._fill():
                    raise self.error("the file ends inside a record", record)
                self._pos += 1
                continue
            if char == '"':
                in_string = not in_string
            elif char in "{[":
                depth += 1
            else:
                depth -= 1
            if depth == 0 and not in_string:
                return


def iter_json_records(fh: TextIO, *, max_record_chars: int) -> Iterator[StreamItem]:
    """Yield the records of a JSON document.

    * a top-level array: each element is a record;
    * an object with a ``studies`` array (an API page): each element is a record, other keys are ignored;
    * any other object: the object itself is the one record.
    """
    cursor = _Cursor(fh, max_record_chars)
    decoder = json.JSONDecoder()
    first = cursor.peek()
    if first == "[":
        yield from _iter_array(cursor, decoder)
    elif first == "{":
        yield from _iter_object(cursor, decoder)
    elif first == "":
        raise cursor.error("the file is empty", None)
    else:
        raise cursor.error(f"a JSON document must start with '{{' or '[', not {first!r}", None)
    if cursor.peek() != "":
        raise cursor.error("unexpected text after the end of the JSON document", None)


def _iter_array(cursor: _Cursor, decoder: json.JSONDecoder) -> Iterator[StreamItem]:
    cursor.take("[", None)
    record = 0
    if cursor.peek() == "]":
        cursor.take("]", None)
        return
    while True:
        record += 1
        line, _ = cursor.where()
        try:
            value = cursor.value(decoder, record)
        except RecordTooLarge as exc:
            cursor.skip_value(record)
            yield StreamItem(record, line, None, problem=exc.message)
        else:
            yield StreamItem(record, line, value)
        if cursor.peek() == ",":
            cursor.take(",", record)
            continue
        cursor.take("]", record)
        return


def _iter_object(cursor: _Cursor, decoder: json.JSONDecoder) -> Iterator[StreamItem]:
    """Walk a top-level object key by key; stream a ``studies`` array, collect everything else."""
    start_line, _ = cursor.where()
    cursor.take("{", None)
    collected: dict[str, object] = {}
    saw_studies = False
    if cursor.peek() == "}":
        cursor.take("}", None)
    else:
        while True:
            key = cursor.value(decoder, None)
            if not isinstance(key, str):
                raise cursor.error("object keys must be strings", None)
            cursor.take(":", None)
            if key == "studies" and cursor.peek() == "[":
                saw_studies = True
                yield from _iter_array(cursor, decoder)
            else:
                collected[key] = cursor.value(decoder, None)
            if cursor.peek() == ",":
                cursor.take(",", None)
                continue
            cursor.take("}", None)
            break
    if not saw_studies:
        yield StreamItem(None, start_line, collected)
