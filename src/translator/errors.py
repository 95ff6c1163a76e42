"""Domain exceptions.

Every error carries the fields a caller needs (file, record, position, what to do); only the CLI turns
them into messages for people. Library code never prints.
"""

from __future__ import annotations

from dataclasses import dataclass


class TranslatorError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


@dataclass(frozen=True)
class Location:
    """Where in the input something happened: a file, optionally a record, line and column."""

    path: str
    record: int | None = None
    """1-based index of the record within the file (study number in a page, line in JSON Lines)."""
    line: int | None = None
    column: int | None = None
    nct_id: str | None = None

    def describe(self) -> str:
        parts = [self.path]
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.nct_id:
            parts.append(self.nct_id)
        if self.line is not None:
            pos = f"line {self.line}"
            if self.column is not None:
                pos += f", column {self.column}"
            parts.append(pos)
        return ": ".join(parts)


class InputError(TranslatorError):
    """An input file or record that cannot be read as what it claims to be."""

    def __init__(self, message: str, *, location: Location, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.location = location

    def __str__(self) -> str:
        text = f"{self.location.describe()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SkippedInput(InputError):
    """A well-formed input with nothing to do (a study without criteria, a file of an unknown kind)."""


class ConfigError(TranslatorError):
    """Settings that cannot work (an unknown backend, a model that rejects the chosen mode, ...)."""


class FetchError(TranslatorError):
    """ClinicalTrials.gov could not give a record (not found, rejected, or gave up after retries)."""

    def __init__(self, message: str, *, target: str, status: int | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.target = target
        self.status = status

    def __str__(self) -> str:
        text = f"{self.target}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class RuleFileError(TranslatorError):
    """A packaged rule file (comparators, units, glossary) failed validation on load."""

    def __init__(self, message: str, *, resource: str) -> None:
        super().__init__(f"{resource}: {message}", hint="the package data is broken; reinstall or fix the file")
        self.resource = resource
