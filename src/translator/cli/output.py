"""Terminal output: safe printing of untrusted text, error messages, and the batch summary line."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import typer

from translator.domain import Study
from translator.errors import InputError, SkippedInput, TranslatorError

EXIT_OK = 0
EXIT_FLAGGED = 1
EXIT_BAD_INPUT = 2

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Criteria are third-party text: never let them drive the terminal (escape sequences, bidi overrides)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", text)


def err(message: str) -> None:
    typer.echo(safe(message), err=True)


@dataclass
class Tally:
    """Counts what a batch did, so nothing is skipped silently; prints one summary line at the end."""

    processed: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    noun: str = "studies"

    def problem(self, problem: InputError) -> None:
        if isinstance(problem, SkippedInput):
            self.skipped[problem.message] += 1
            err(f"skipped: {problem}")
        else:
            self.failed += 1
            err(f"error: {problem}")

    def notes(self, study: Study) -> None:
        for note in study.notes:
            err(f"note: {study.origin.describe()}: {study.label}: {note}")

    def fail(self, error: TranslatorError) -> None:
        self.failed += 1
        err(f"error: {error}")

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        text = f"{self.processed} {self.noun} processed, {skipped} skipped, {self.failed} failed"
        if skipped:
            reasons = "; ".join(f"{count} × {reason}" for reason, count in self.skipped.most_common())
            text += f" (skipped: {reasons})"
        return text

    def finish(self) -> None:
        err(self.summary())
        raise typer.Exit(EXIT_BAD_INPUT if self.failed else EXIT_OK)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
