"""The offline renderer: a deterministic plain-English rendering of each criterion, no model needed."""

from translator.render.rules import render_translation

__all__ = ["render_translation"]
