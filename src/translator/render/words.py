"""The renderer's plain-word rules: clinical phrasing and their everyday replacements, as data.

``render/plain_words.json`` is versioned and validated on load; every rule has a test case. Rules only touch
words that are not part of a value or a glossary term, and every rendered criterion is read back by the
extractor before it is used, so a replacement can never change a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from translator.rules import RuleFile, load_rules


class WordRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinical: str
    plain: str
    example: str
    """A sentence the rule rewrites (tested)."""


class PlainWords(RuleFile):
    rules: tuple[WordRule, ...]


@dataclass(frozen=True)
class Simplifier:
    pattern: re.Pattern[str]
    plain: dict[str, str]

    def apply(self, text: str, keep: list[tuple[int, int]]) -> str:
        """Replace clinical phrases outside the ``keep`` spans, keeping an initial capital."""

        def replace(match: re.Match[str]) -> str:
            if any(s < match.end() and match.start() < e for s, e in keep):
                return match.group()
            plain = self.plain[" ".join(match.group().lower().split())]
            return plain[:1].upper() + plain[1:] if match.group()[:1].isupper() else plain

        return self.pattern.sub(replace, text)


@cache
def simplifier() -> Simplifier:
    data = load_rules("plain_words.json", PlainWords)
    table = {rule.clinical.lower(): rule.plain for rule in data.rules}
    ordered = sorted(table, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return Simplifier(re.compile(rf"(?<![A-Za-z])(?:{alternation})(?![A-Za-z])", re.IGNORECASE), table)
