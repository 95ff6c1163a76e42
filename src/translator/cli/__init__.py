"""The command line. The only layer that prints or turns domain errors into messages and exit codes.

Exit codes: 0 success; 1 a verification flagged something (``verify``, ``translate``); 2 bad input or usage.
"""

from __future__ import annotations

from translator.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
