"""``translator verify SOURCE TRANSLATION``: check a plain-English text against its source criteria.

Exit code 0 when the verdict is pass, 1 when flagged, 2 on bad input or usage. ``--json`` prints exactly one
JSON object on stdout (the contract in the README; its schema ships as ``translator/verify/verdict.schema.json``).
Everything else (errors, notes) goes to stderr, and every domain error becomes one message naming the file and
what to do, never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, EXIT_FLAGGED, EXIT_OK, err, safe
from translator.domain import Study
from translator.errors import InputError, TranslatorError
from translator.ingest import Limits, read_paths
from translator.segment import segment
from translator.verify import verify
from translator.verify.report import render

SOURCE_HINT = "SOURCE must be a criteria text file or the JSON of one study"
MAX_TRANSLATION_BYTES = 8 * Limits().max_text_bytes
"""A translation is a few kilobytes, at most a few times its source; megabytes mean a wrong file."""
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters ``json.dumps(ensure_ascii=False)`` leaves raw that a terminal acts on (C1 controls, bidi
overrides) or a JavaScript reader chokes on (line separators); escaped, the JSON decodes to the same text."""


def _bad_input(message: str) -> typer.Exit:
    """One line on stderr (a rule file's validation error spans several), exit code 2."""
    err("error: " + " ".join(message.split()))
    return typer.Exit(EXIT_BAD_INPUT)


def _json_line(payload: dict[str, object]) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _one_study(path: Path) -> Study:
    studies: list[Study] = []
    for result in read_paths([path]):
        if isinstance(result, InputError):
            raise _bad_input(str(result) if result.hint else f"{result} ({SOURCE_HINT})")
        studies.append(result)
    if len(studies) != 1:
        raise _bad_input(f"{path}: expected one study, found {len(studies)} ({SOURCE_HINT})")
    for note in studies[0].notes:
        err(f"note: {studies[0].origin.describe()}: {note}")
    return studies[0]


def _translation(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_TRANSLATION_BYTES:
            raise _bad_input(
                f"{path}: the translation is {size / 2**20:.1f} MiB, more than the "
                f"{MAX_TRANSLATION_BYTES / 2**20:.0f} MiB a translation of one study may have (is it the right file?)"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad_input(f"{path}: cannot read the translation ({exc.strerror or exc})") from None
    if b"\x00" in raw[:8192]:
        raise _bad_input(f"{path}: this is a binary file, not a plain-text or Markdown translation")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _bad_input(
            f"{path}: line {line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start}) "
            "(save the translation as UTF-8)"
        ) from None


@app.command("verify")
def verify_command(
    source: Annotated[Path, typer.Argument(help="The source: a criteria text file or a study JSON.")],
    translation: Annotated[Path, typer.Argument(help="The plain-English translation: text or Markdown.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the verifier contract).")] = False,
) -> None:
    """Report what the translation dropped, altered, flipped between inclusion and exclusion, or added."""
    study = _one_study(source)
    text = _translation(translation)
    try:
        criteria = segment(study.criteria, study.default_section)
        verdict = verify(study.criteria, criteria, text)
        output = _json_line(verdict.to_json()) if as_json else safe(render(verdict, text, study.criteria))
    except TranslatorError as exc:  # a broken rule file, found when the verifier first loads it
        raise _bad_input(f"cannot verify {translation} against {source}: {exc}") from None
    typer.echo(output)
    raise typer.Exit(EXIT_OK if verdict.passed else EXIT_FLAGGED)
