"""``translator eval ...``: the eval suites, reading the shared corpus in place and writing reports/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translator.cli.app import app
from translator.cli.output import EXIT_BAD_INPUT, err
from translator.evaluation.corpus import CORPUS_ROOT, Corpus

eval_app = typer.Typer(help="Run an eval suite and write its report to reports/.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

ReportsDir = Annotated[Path, typer.Option("--reports", help="Where to write the reports.")]


def load_corpus(root: Path | None = None) -> Corpus:
    path = root or CORPUS_ROOT
    if not path.is_dir():
        err(
            f"error: the shared corpus is not at {path} (set TRANSLATOR_CORPUS to its location; it holds "
            "ctgov_v2/ and chia/)"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    return Corpus(path)


@eval_app.command("segmentation")
def segmentation_command(reports: ReportsDir = Path("reports")) -> None:
    """Criteria per study over all ClinicalTrials.gov studies and Chia documents."""
    from translator.evaluation import segmentation

    data = segmentation.run(load_corpus(), reports)
    ctgov = data["ctgov_v2"]
    assert isinstance(ctgov, dict)
    typer.echo(f"segmentation: {ctgov['records']} studies, {ctgov['criteria']} criteria -> {reports}/segmentation.md")


@eval_app.command("verifier")
def verifier_command(
    reports: ReportsDir = Path("reports"),
    data: Annotated[Path, typer.Option("--data", help="The eval data: faithful/ and wild/.")] = Path("evals/verifier"),
    thresholds: Annotated[Path, typer.Option("--thresholds", help="The committed minimums.")] = Path(
        "evals/thresholds.json"
    ),
) -> None:
    """Verifier recall on seeded mutants, false flags on faithful texts and paraphrases; fails below thresholds."""
    from translator.evaluation import verifier_report
    from translator.evaluation.verifier_eval import EvalDataError

    try:
        outcome = verifier_report.run(data, Path("examples"), load_corpus(), thresholds, reports)
    except EvalDataError as problem:
        err(f"error: {problem}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    counts = outcome.figures
    typer.echo(
        f"verifier: {counts.studies} studies, {sum(c.total for c in counts.mutations.values())} mutants, "
        f"{counts.paraphrases['all'].total} paraphrases -> {reports}/verifier.md"
    )
    for shortfall in outcome.shortfalls:
        err(f"below threshold: {shortfall}")
    if outcome.shortfalls:
        raise typer.Exit(1)


@eval_app.command("extraction")
def extraction_command(
    reports: ReportsDir = Path("reports"),
    judgments: Annotated[
        Path, typer.Option("--judgments", help="Hand judgments of sampled facts (JSON Lines).")
    ] = Path("evals/extraction/precision_judgments.jsonl"),
    unjudged: Annotated[
        bool, typer.Option("--unjudged", help="Print the sampled facts still unjudged, with a line to fill in each.")
    ] = False,
) -> None:
    """Fact extraction against Chia: recall of value and time-window spans, precision on judged samples."""
    from translator.cli.output import safe
    from translator.errors import InputError
    from translator.evaluation import extraction

    try:
        if unjudged:
            for block in extraction.unjudged_listing(load_corpus(), judgments):
                typer.echo(safe(block))
            return
        data = extraction.run(load_corpus(), reports, judgments)
    except InputError as problem:
        err(f"error: {problem}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"extraction: {extraction.headline(data)} -> {reports}/extraction.md")


@eval_app.command("renderer")
def renderer_command(
    reports: ReportsDir = Path("reports"),
    examples: Annotated[Path, typer.Option("--examples", help="The bundled example studies.")] = Path("examples"),
    thresholds: Annotated[Path, typer.Option("--thresholds", help="The committed minimums.")] = Path(
        "evals/thresholds.json"
    ),
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N studies of each source.")] = None,
) -> None:
    """The offline renderer on every corpus study and example: published, grades, renderings; fails below thresholds."""
    from translator.evaluation import renderer_eval
    from translator.evaluation.verifier_eval import EvalDataError

    try:
        outcome = renderer_eval.run(load_corpus(), examples, thresholds, reports, limit=limit)
    except EvalDataError as problem:
        err(f"error: {problem}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    median = renderer_eval.grade_figures(outcome.grades)["median"]
    typer.echo(
        f"renderer: {outcome.published} of {len(outcome.results)} studies published, median grade {median} "
        f"-> {reports}/renderer.md"
    )
    for shortfall in outcome.shortfalls:
        err(f"below threshold: {shortfall}")
    if outcome.shortfalls:
        raise typer.Exit(1)
