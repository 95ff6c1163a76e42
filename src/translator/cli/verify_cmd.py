"""``translator verify SOURCE TRANSLATION``: check a plain-English text against its source criteria.

Exit code 0 when the verdict is pass, 1 when flagged, 2 on bad input or usage. ``--json`` prints exactly one
JSON object on stdout (the contract in the README).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, EXIT_FLAGGED, EXIT_OK, err, safe
from translator.domain import Study
from translator.errors import InputError
from translator.ingest import read_paths
from translator.segment import segment
from translator.verify import verify
from translator.verify.report import render


def _one_study(path: Path) -> Study:
    studies: list[Study] = []
    for result in read_paths([path]):
        if isinstance(result, InputError):
            err(f"error: {result}")
            raise typer.Exit(EXIT_BAD_INPUT)
        studies.append(result)
    if len(studies) != 1:
        err(f"error: {path}: expected one study, found {len(studies)} (verify takes one source and one translation)")
        raise typer.Exit(EXIT_BAD_INPUT)
    return studies[0]


def _translation(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        err(f"error: {path}: cannot read the translation ({exc.strerror or exc})")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if b"\x00" in raw[:8192]:
        err(f"error: {path}: this is a binary file, not a plain-text or Markdown translation")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        err(f"error: {path}: not valid UTF-8 (byte offset {exc.start}); save the translation as UTF-8")
        raise typer.Exit(EXIT_BAD_INPUT) from None


@app.command("verify")
def verify_command(
    source: Annotated[Path, typer.Argument(help="The source: a criteria text file or a study JSON.")],
    translation: Annotated[Path, typer.Argument(help="The plain-English translation: text or Markdown.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the verifier contract).")] = False,
) -> None:
    """Report what the translation dropped, altered, flipped between inclusion and exclusion, or added."""
    study = _one_study(source)
    text = _translation(translation)
    criteria = segment(study.criteria, study.default_section)
    verdict = verify(study.criteria, criteria, text)
    if as_json:
        typer.echo(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        typer.echo(safe(render(verdict, text, study.criteria)))
    raise typer.Exit(EXIT_OK if verdict.passed else EXIT_FLAGGED)
