"""``translator facts FILE``: the facts of a criteria file, or of a plain-English text, with spans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, Tally, err, safe
from translator.errors import InputError
from translator.facts import Facts, extract_criteria, extract_plain
from translator.facts.serialize import describe, fact_json
from translator.ingest import read_paths
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


def _plain_file(path: Path, as_json: bool) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err(f"error: {path}: cannot read as UTF-8 text ({exc})")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    _, facts = extract_plain(text)
    _print(facts, text, f"{path} (plain text)", as_json, {"source": str(path), "kind": "plain"})


@app.command("facts")
def facts_command(
    paths: Annotated[list[Path], typer.Argument(help="Criteria files (study JSON, JSON Lines, .txt) or plain texts.")],
    plain: Annotated[bool, typer.Option("--plain", help="Read the files as plain-English text.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per study or text.")] = False,
) -> None:
    """Print every threshold, time window, count and item, with its span. Markdown files are read as plain."""
    plain_paths = [p for p in paths if plain or p.suffix.lower() in (".md", ".markdown")]
    for path in plain_paths:
        _plain_file(path, as_json)
    criteria_paths = [p for p in paths if p not in plain_paths]
    if not criteria_paths:
        return
    tally = Tally()
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
