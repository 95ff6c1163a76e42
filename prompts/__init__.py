"""Versioned prompt files, installed as the package ``translator.prompts`` (see pyproject.toml's package-dir).

Each folder ``<id>-v<version>/`` holds one prompt: ``manifest.json``, the Jinja2 templates it names, and the
few-shot examples. ``translator.translate.prompts`` loads them with ``importlib.resources``, so they work from a
source checkout, an editable install and a wheel alike. Changing any file changes the prompt hash, which is part
of every cache key: an edited prompt is never answered from the cache of the old one.
"""
