"""``translator facts FILE``: the facts of a criteria file, or of a plain-English text, with spans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import Tally, safe
from translator.errors import InputError, Location
from translator.facts import Facts, extract_criteria, extract_plain
from translator.facts.serialize import describe, fact_json
from translator.ingest import Limits, read_paths
from translator.segment import segment


def _print(facts: Facts, text: str, label: str, as_json: bool, extra: dict[str, object]) -> None:
    if as_json:
        payload = {**extra, "facts": [fact_json(f, text) for f in facts.all()]}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    typer.echo(safe(label))
    for fact in sorted(facts.all(), key=lambda f: f.span.start):
        where = fact.origin.criterion or f"s{fact.origin.sentence}"
        kind = type(fact).__name__
        snippet = " ".join(text[fact.span.start : fact.span.end].split())
        typer.echo(
            safe(
                f"  {where:<8} {kind:<10} {fact.polarity:<7} [{fact.span.start}:{fact.span.end}] "
                f"{describe(fact)}   «{snippet}»"
            )
        )


def _read_plain(path: Path) -> str | InputError:
    """A plain-English text, whole (it is one translation: kilobytes, like a criteria file)."""
    location = Location(str(path))
    limit = Limits().max_text_bytes
    try:
        if path.stat().st_size > limit:
            return InputError(
                f"the file is larger than {limit / 2**20:.1f} MiB, too large for a plain text", location=location
            )
        raw = path.read_bytes()
    except OSError as exc:
        return InputError(f"cannot read the file: {exc.strerror or exc}", location=location)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
            location=Location(str(path), line=raw[: exc.start].count(b"\n") + 1),
            hint="save the file as UTF-8",
        )


def _plain_file(path: Path, as_json: bool, tally: Tally) -> None:
    text = _read_plain(path)
    if isinstance(text, InputError):
        tally.problem(text)
        return
    _, facts = extract_plain(text)
    _print(facts, text, f"{path} (plain text)", as_json, {"source": str(path), "kind": "plain"})
    tally.processed += 1


@app.command("facts")
def facts_command(
    paths: Annotated[list[Path], typer.Argument(help="Criteria files (study JSON, JSON Lines, .txt) or plain texts.")],
    plain: Annotated[bool, typer.Option("--plain", help="Read the files as plain-English text.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per study or text.")] = False,
) -> None:
    """Print every threshold, time window, count and item, with its span. Markdown files are read as plain."""
    plain_paths = [p for p in paths if plain or p.suffix.lower() in (".md", ".markdown")]
    criteria_paths = [p for p in paths if p not in plain_paths]
    tally = Tally(noun="studies" if not plain_paths else "texts" if not criteria_paths else "inputs")
    for path in plain_paths:
        _plain_file(path, as_json, tally)
    for result in read_paths(criteria_paths):
        if isinstance(result, InputError):
            tally.problem(result)
            continue
        criteria = segment(result.criteria, result.default_section)
        facts = extract_criteria(criteria)
        extra: dict[str, object] = {"nct_id": result.nct_id, "source": result.origin.describe(), "kind": "criteria"}
        _print(facts, result.criteria, f"{result.label}  {result.origin.describe()}", as_json, extra)
        tally.processed += 1
    tally.finish()
