"""The prompt files ship as the package ``translator.prompts`` (top-level prompts/, mapped in pyproject.toml).

pyproject.toml lists the packages explicitly (discovery cannot map a subpackage to another folder), so a new
subpackage under src/ that is not listed would be missing from the wheel while working in a checkout. This
test catches that.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_pyproject_lists_every_package_under_src_plus_the_prompts() -> None:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    under_src = {
        ".".join(init.parent.relative_to(PROJECT / "src").parts) for init in (PROJECT / "src").rglob("__init__.py")
    }
    assert set(config["packages"]) == under_src | {"translator.prompts"}
    assert config["package-dir"]["translator.prompts"] == "prompts"


def test_the_prompts_are_importable_resources_with_a_manifest() -> None:
    folder = resources.files("translator.prompts").joinpath("translate-v1")
    assert folder.joinpath("manifest.json").is_file()
    names = {entry.name for entry in (PROJECT / "prompts" / "translate-v1").iterdir()}
    assert {entry.name for entry in folder.iterdir()} == names
