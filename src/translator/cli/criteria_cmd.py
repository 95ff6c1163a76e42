"""``translator criteria FILE...``: the numbered criteria of each study, with exact offsets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import Tally, safe
from translator.domain import Criterion, Study
from translator.errors import InputError
from translator.ingest import read_paths
from translator.segment import segment


def study_json(study: Study, criteria: tuple[Criterion, ...]) -> dict[str, object]:
    return {
        "nct_id": study.nct_id,
        "title": study.title,
        "source": {"path": study.origin.path, "record": study.origin.record},
        "criteria": [c.to_json() for c in criteria],
    }


def _listing(study: Study, criteria: tuple[Criterion, ...]) -> str:
    inclusion = sum(c.section == "inclusion" for c in criteria)
    head = f"{study.label}  {study.origin.describe()}" if study.nct_id else study.label
    lines = [safe(f"{head}  ({inclusion} inclusion, {len(criteria) - inclusion} exclusion criteria)")]
    heading: str | None = None
    for criterion in criteria:
        if criterion.heading != heading and criterion.heading:
            lines.append(safe(f"  -- {criterion.heading}"))
        heading = criterion.heading
        depth = criterion.id.count(".")
        text = " ".join(criterion.text.split())
        lines.append(safe(f"  {'  ' * depth}{criterion.id:<8} [{criterion.start}:{criterion.end}]  {text}"))
    return "\n".join(lines) + "\n"


@app.command("criteria")
def criteria_command(
    paths: Annotated[list[Path], typer.Argument(help="Study JSON, JSON Lines, criteria .txt files or directories.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per study (JSON Lines).")] = False,
) -> None:
    """Split each study's eligibility text into numbered inclusion/exclusion criteria with exact offsets."""
    tally = Tally()
    for result in read_paths(paths):
        if isinstance(result, InputError):
            tally.problem(result)
            continue
        tally.notes(result)
        criteria = segment(result.criteria, result.default_section)
        if as_json:
            typer.echo(json.dumps(study_json(result, criteria), ensure_ascii=False))
        else:
            typer.echo(_listing(result, criteria))
        tally.processed += 1
    tally.finish()
