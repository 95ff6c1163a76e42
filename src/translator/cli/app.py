"""The Typer application; each command lives in its own module and registers itself here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="translator",
    help="Turn clinical-trial eligibility criteria into plain English, and verify that nothing was lost.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Importing the command modules registers their commands on ``app``.
from translator.cli import criteria_cmd, eval_cmd, facts_cmd, fetch_cmd, translate_cmd, verify_cmd  # noqa: E402

__all__ = ["app", "criteria_cmd", "eval_cmd", "facts_cmd", "fetch_cmd", "translate_cmd", "verify_cmd"]
