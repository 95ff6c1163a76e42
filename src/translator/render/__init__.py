"""The offline renderer: a deterministic plain-English rendering of each criterion, no model needed."""

from translator.render.rules import METHODS, Method, Rendered, render_criteria, render_translation, to_translation

__all__ = ["METHODS", "Method", "Rendered", "render_criteria", "render_translation", "to_translation"]
