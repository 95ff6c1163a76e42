"""Rules as data: versioned JSON files inside the package, validated on load (pydantic, extra="forbid").

Each file carries a ``version``; a file that fails validation raises RuleFileError naming the resource, so a
broken rule never degrades silently into a missed finding.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from translator.errors import RuleFileError


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str


_R = TypeVar("_R", bound=RuleFile)


@cache
def _raw(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def load_rules(name: str, model: type[_R]) -> _R:
    """Load and validate ``translator/rules/<name>`` as ``model``."""
    try:
        return model.model_validate(json.loads(_raw(name)))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise RuleFileError(str(exc).splitlines()[0] + f" ({exc})", resource=name) from exc
    except FileNotFoundError as exc:
        raise RuleFileError("missing from the package", resource=name) from exc
