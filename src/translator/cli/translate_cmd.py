"""``translator translate FILE...``: plain-English translations, verified, written to an output folder.

Per study: ``<out>/<NCT>.json`` (status, items, coverage, prompt, usage, cost, readability, every attempt with
its findings) and ``<out>/<NCT>.md`` when published (``<NCT>.review.md`` when flagged). Exit code 0 when every
study was published, 1 when any was flagged, deferred or failed, 2 on bad input, bad settings, or a batch
stopped by repeated 401/403 answers.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, EXIT_FLAGGED, EXIT_OK, Tally, err, safe
from translator.errors import ConfigError, InputError
from translator.ingest import read_paths
from translator.translate.cache import Cache
from translator.translate.errors import AuthFailed
from translator.translate.files import OutputDir, output_name
from translator.translate.pipeline import Backend, LLMBackend, Pipeline, RulesBackend
from translator.translate.record import Status
from translator.translate.settings import Settings, load_settings
from translator.translate.usage import PriceTable, UsageTotal, load_prices

STATUSES: tuple[Status, ...] = ("published", "flagged", "deferred", "failed")


def _settings(**flags: Any) -> Settings:
    try:
        return load_settings(**flags)
    except ConfigError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _pipeline(settings: Settings, out: Path, cache_path: Path | None, no_cache: bool) -> Pipeline:
    prices = load_prices(settings.price_table)
    if settings.backend == "rules":
        return Pipeline(settings, RulesBackend(), prices)
    from translator.translate.llm import LLMClient
    from translator.translate.prompts import load_prompt

    backend: Backend = LLMBackend(LLMClient(settings), load_prompt())
    cache = None if no_cache else Cache(cache_path or settings.cache_path or out / ".cache" / "translations.sqlite3")
    return Pipeline(settings, backend, prices, cache=cache)


def _summary(statuses: Counter[str], usage: UsageTotal, prices: PriceTable, model: str | None) -> str:
    counts = ", ".join(f"{statuses[s]} {s}" for s in STATUSES)
    cost = prices.cost_json(model, usage)
    money = cost if isinstance(cost, str) else f"{cost['amount']} {cost['currency']}"
    tokens = usage.prompt_tokens + usage.completion_tokens
    known = "" if usage.complete else f" (+{usage.unknown_calls} calls without usage)"
    return f"translations: {counts}; {usage.calls} calls, {tokens} tokens{known}, cost {money}"


@app.command("translate")
def translate_command(
    paths: Annotated[list[Path], typer.Argument(help="Study JSON, JSON Lines, criteria .txt files or directories.")],
    backend: Annotated[str | None, typer.Option(help="openai or rules (default: openai when a model is set).")] = None,
    model: Annotated[str | None, typer.Option(help="Model name (TRANSLATOR_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL (TRANSLATOR_BASE_URL).")] = None,
    mode: Annotated[str | None, typer.Option(help="tools or json_schema (default by endpoint).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out/translations"),
    cache: Annotated[Path | None, typer.Option(help="SQLite cache file (default <out>/.cache/).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    prices: Annotated[Path | None, typer.Option(help="Price table JSON replacing the packaged one.")] = None,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature (default 0).")] = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed (default 0).")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Most tokens in one answer (default 4096).")] = None,
    repairs: Annotated[int | None, typer.Option(help="Verifier-driven repair rounds (default 2).")] = None,
    reasks: Annotated[int | None, typer.Option(help="Re-asks after an invalid answer (default 2).")] = None,
) -> None:
    """Translate each study's criteria into plain English; publish only what the verifier passes."""
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # its ERROR lines repeat what we report
    settings = _settings(
        backend=backend,
        model=model,
        base_url=base_url,
        mode=mode,
        temperature=temperature,
        seed=seed,
        max_tokens=max_tokens,
        repairs=repairs,
        reasks=reasks,
        price_table=prices,
    )
    try:
        pipeline = _pipeline(settings, out, cache, no_cache)
        output = OutputDir(out)
    except ConfigError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    tally, statuses, stopped = Tally(), Counter[str](), False
    usage = UsageTotal()
    auth_failures = 0
    for result in read_paths(paths):
        if isinstance(result, InputError):
            tally.problem(result)
            continue
        tally.notes(result)
        try:
            outcome = pipeline.run(result)
            output.write(result, outcome)
        except AuthFailed as exc:
            err(f"error: {result.label}: {exc}")
            tally.failed += 1
            auth_failures += 1
            if auth_failures >= settings.auth_failures_to_stop:
                err(f"error: stopping the batch after {auth_failures} rejected requests in a row")
                stopped = True
                break
            continue
        except ConfigError as exc:
            err(f"error: {result.label}: {exc}")
            tally.failed += 1
            stopped = True
            break
        except OSError as exc:
            err(f"error: {result.label}: cannot write its output ({exc.strerror or exc})")
            tally.failed += 1
            continue
        auth_failures = 0
        record = outcome.record
        statuses[record.status] += 1
        usage += outcome.usage
        tally.processed += 1
        why = f"  ({record.reason}: {record.message})" if record.message else ""
        grade = (record.readability or {}).get("flesch_kincaid_grade")
        shown = f"  grade {grade}" if grade is not None else ""
        typer.echo(safe(f"{output_name(result)}  {record.status}{shown}{why}"))
    pipeline.close()
    err(tally.summary())
    err(_summary(statuses, usage, pipeline.prices, settings.model))
    if tally.failed or stopped:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_OK if statuses["published"] == tally.processed else EXIT_FLAGGED)
