"""Offline rendering of criteria into a PlainTranslation.

FIRST CUT (being replaced): each criterion becomes a lightly cleaned copy of its own text under the right
heading. The fact-driven rendering (comparators in words, units spelled out, terms explained) replaces this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translator.domain import Criterion
from translator.translate.schema import PlainItem, PlainTranslation, criterion_ids

_ESCAPE = re.compile(r"\\(?=[<>\[\]*\-^~_#+.()|!=])")


def _clean(text: str) -> str:
    return " ".join(_ESCAPE.sub("", text).split())


def render_translation(criteria: Sequence[Criterion]) -> PlainTranslation:
    wanted = set(criterion_ids(criteria))
    inclusion: list[PlainItem] = []
    exclusion: list[PlainItem] = []
    for criterion in criteria:
        if criterion.id not in wanted:
            continue
        item = PlainItem(text=_clean(criterion.text), covers=[criterion.id])
        (inclusion if criterion.section == "inclusion" else exclusion).append(item)
    return PlainTranslation(inclusion=inclusion, exclusion=exclusion)
