"""``translator fetch``: download studies from ClinicalTrials.gov API v2 as JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, Tally, err
from translator.errors import FetchError
from translator.fetch import CtGovClient, normalize_nct_id


def _write(out: TextIO, study: dict[str, object]) -> None:
    out.write(json.dumps(study, ensure_ascii=False) + "\n")
    out.flush()


@app.command("fetch")
def fetch_command(
    nct_ids: Annotated[list[str] | None, typer.Argument(help="NCT numbers, e.g. NCT06710717.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Full-text search (query.term).")] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="Condition search (query.cond).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most studies a search returns (pages are followed).")] = 100,
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, max=1000, help="Studies per API page (pageSize, at most 1000).")
    ] = 100,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="JSON Lines file to write (default stdout).")] = None,
    base_url: Annotated[str, typer.Option(help="API base URL.", envvar="TRANSLATOR_CTGOV_URL")] = (
        "https://clinicaltrials.gov/api/v2"
    ),
) -> None:
    """Fetch studies by NCT number and/or by search, writing one API v2 study object per line."""
    if not nct_ids and not query and not condition:
        err("error: give NCT numbers, --query or --condition")
        raise typer.Exit(EXIT_BAD_INPUT)
    tally = Tally()
    handle = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        with CtGovClient(base_url=base_url) as client:
            for raw in nct_ids or []:
                try:
                    _write(handle, client.study(normalize_nct_id(raw)))
                    tally.processed += 1
                except ValueError as exc:
                    tally.fail(FetchError(str(exc), target=raw))
                except FetchError as exc:
                    tally.fail(exc)
            if query or condition:
                try:
                    for study in client.search(query=query, condition=condition, limit=limit, page_size=page_size):
                        _write(handle, study)
                        tally.processed += 1
                except FetchError as exc:
                    tally.fail(exc)
    finally:
        if out:
            handle.close()
    tally.finish()
