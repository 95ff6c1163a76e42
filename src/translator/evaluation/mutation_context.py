"""What the mutation rules share: the faithful text with its source, and a candidate edit."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from translator.domain import Criterion
from translator.evaluation.tagged import Statement, TaggedText
from translator.evaluation.textedit import NUMBER_RE, WORD_NUMBER_RE, Edit, capitalize, from_words, paren_depth


@dataclass(frozen=True)
class Candidate:
    """One possible mutant: the criterion it breaks (None for an addition) and its edits."""

    criterion_id: str | None
    edits: tuple[Edit, ...]


class Context:
    """A faithful text with its source: what the rules read to pick and place their edits."""

    def __init__(self, tagged: TaggedText, source: str, criteria: Sequence[Criterion]) -> None:
        self.tagged = tagged
        self.text = tagged.text
        self.source = source
        self.by_id = {c.id: c for c in criteria}
        self.parents = {c.parent for c in criteria if c.parent}

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[Statement, re.Match[str]]]:
        """Matches inside statements, skipping numbers in brackets the writer added (not in the source)."""
        for statement in self.tagged.statements:
            for match in pattern.finditer(self.text, statement.start, statement.end):
                line = self.tagged.lines[statement.line]
                if paren_depth(self.text, match.start(), line.start) and not self._in_source(statement, match):
                    continue
                yield statement, match

    def _in_source(self, statement: Statement, match: re.Match[str]) -> bool:
        numbers = [m.group() for m in NUMBER_RE.finditer(match.group())]
        texts = " ".join(self.by_id[cid].text for cid in statement.ids if cid in self.by_id)
        return any(re.search(rf"(?<![\d.]){re.escape(n)}(?!\d)", texts) for n in numbers)

    def owner(self, statement: Statement, token: str) -> str:
        """The statement's criterion whose source text has ``token`` (a number or a word), else its first."""
        tokens = [token, str(from_words(token))] if WORD_NUMBER_RE.fullmatch(token) else [token]
        for cid in statement.ids:
            criterion = self.by_id.get(cid)
            if criterion and any(re.search(rf"(?<![\w.]){re.escape(t)}(?![\w])", criterion.text, re.I) for t in tokens):
                return cid
        return statement.ids[0]

    @cached_property
    def statements_by_id(self) -> dict[str, list[Statement]]:
        found: dict[str, list[Statement]] = {}
        for statement in self.tagged.statements:
            for cid in statement.ids:
                found.setdefault(cid, []).append(statement)
        return found

    def mentions(self, pattern: str) -> bool:
        return bool(re.search(pattern, self.source, re.I) or re.search(pattern, self.text, re.I))


def like_case(new: str, old: str) -> str:
    return capitalize(new) if old[:1].isupper() else new


def one_edit(context: Context, statement: Statement, start: int, end: int, new: str, token: str) -> Candidate:
    return Candidate(context.owner(statement, token), (Edit(start, end, new),))


def number_in(text: str) -> str:
    """The first number in ``text`` (the token a comparator or unit belongs to), else the text itself."""
    found = NUMBER_RE.search(text) or WORD_NUMBER_RE.search(text)
    return found.group() if found else text
