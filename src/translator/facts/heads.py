"""A name and the object it governs ("radical radiation therapy of the target lesions"): a negation cue after the
object ("... is not an option") negates the name, the head of the phrase, not the object right before the cue."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from translator.facts.context import COPULA, skip_space

if TYPE_CHECKING:
    from translator.facts.extract import Reader

OBJECT_WORDS = 5
"""Words of the object between a name and a negation cue that negates the name."""
HEAD_REACH = 80
"""Characters before "of the" in which the head name must end."""
_OBJECT_AFTER = re.compile(r"[ \t]+(?:of|for)[ \t]+(?:(?:the|your|a|an|all|any)[ \t]+)?")
_OBJECT_BEFORE = re.compile(r"[a-z0-9)][ \t]+(?:of|for)[ \t]+(?:(?:the|your|a|an|all|any)[ \t]+)?$")
_NEXT_WORD = re.compile(r"[ \t]*[a-z0-9][a-z0-9'-]*")
_OBJECT_STOPS = frozenset(
    {"with", "without", "in", "on", "at", "by", "from", "to", "who", "that", "which", "and", "or"}
)
"""Words that end the object of a phrase: what follows them is a phrase of its own."""


def negation_after_object(reader: Reader, end: int) -> str | None:
    """The negation cue after the object the name ending at ``end`` governs, after a copula ("... of the target
    lesions is not an option"); None for none, or for a cue that excludes ("treatment of HIV is not allowed"),
    which the object keeps (``Context.negation_after``)."""
    low = reader.low
    attached = _OBJECT_AFTER.match(low, end)
    if attached is None:
        return None
    position = attached.end()
    for _ in range(OBJECT_WORDS):
        word = _NEXT_WORD.match(low, position)
        if word is None or word.group().strip() in _OBJECT_STOPS:
            return None  # "therapy for Gram negative organisms": no copula, "negative" is a name's
        position = word.end()
        copula = COPULA.match(low, skip_space(low, position))
        cue = reader.lex.negation_after.match(low, copula.end()) if copula is not None else None
        if cue is not None:
            said = " ".join(cue.group("cue").split())
            return None if said in reader.lex.cues.exclusion_after else said
    return None


def object_of_a_name(reader: Reader, start: int) -> bool:
    """Is the mention at ``start`` the object of a glossary name right before it ("radiation therapy of the target
    lesions"; not "your test for HIV", whose head is no name)?"""
    found = _OBJECT_BEFORE.search(reader.low, max(0, start - 16), start)
    if found is None:
        return False
    head_end = found.start() + 1
    return any(hit.end == head_end for hit in reader.hits_between(max(0, head_end - HEAD_REACH), head_end))
