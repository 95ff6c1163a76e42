"""Patterns that ``re`` can scan for: alternatives grouped by their first characters, the look-behind after them.

``re`` finds where a search may start by the first characters of a pattern when every branch opens with a
literal. A pattern that opens with a look-behind (``(?<![a-z])(?:no|not|...)``) gives it none, so it tries the
whole alternation at every position of the text. ``literal_first`` writes the same alternation the other way
round, "n(?:o(?<![a-z]no)(?:t|)|e(?<![a-z]ne)(?:ver))": the first character is scanned for, the second tested
before anything else, and the look-behind runs only where both are there.

The matches are the plain pattern's, backtracking included. Alternatives that open with different characters
never match at the same position, so grouping them by their first character changes nothing; below it, only
alternatives next to each other are merged by their second character, so every alternative is tried in its
place. (Not for case-insensitive patterns, where "a" and "A" would match alike.)
"""

from __future__ import annotations

import re

_SPECIAL = frozenset(".^$*+?{}[]|()\\")
_QUANTIFIERS = ("?", "*", "+", "{")


def literal_first(alternatives: list[str], not_after: str = "") -> str:
    """``(?<![not_after])(?:a|b|...)`` (no look-behind when ``not_after`` is empty) as grouped branches; each
    alternative is regex source that opens with one literal character (plain, or a symbol escaped)."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        head = _literal_head(alternative)
        if head is None:
            raise ValueError(f"alternative {alternative!r} must open with one literal character")
        groups.setdefault(head, []).append(alternative[len(head) :])
    return "|".join(head + _second(head, rests, not_after) for head, rests in groups.items())


def _second(head: str, rests: list[str], not_after: str) -> str:
    """The rests of the alternatives opening with ``head``, runs of them merged by their next literal."""
    runs: list[tuple[str | None, list[str]]] = []
    for rest in rests:
        second = _literal_head(rest)
        if second is not None and runs and runs[-1][0] == second:
            runs[-1][1].append(rest[len(second) :])
        elif second is not None:
            runs.append((second, [rest[len(second) :]]))
        else:
            runs.append((None, [rest]))
    branches = []
    for second, tails in runs:
        if second is None:
            branches.append(_guard(head, not_after) + tails[0])
        else:
            branches.append(f"{second}{_guard(head + second, not_after)}(?:{'|'.join(tails)})")
    return f"(?:{'|'.join(branches)})"


def _guard(consumed: str, not_after: str) -> str:
    """A look-behind on the character before the literals just consumed."""
    return f"(?<![{not_after}]{consumed})" if not_after else ""


def _literal_head(source: str) -> str | None:
    """The one literal character ``source`` opens with (as written: "a", "\\+"), if nothing quantifies it."""
    head = source[:2] if source.startswith("\\") else source[:1]
    literal = len(head) == 2 and not head[1].isalnum() if head.startswith("\\") else bool(head)
    if not literal or head in _SPECIAL or head.isspace() or source[len(head) : len(head) + 1] in _QUANTIFIERS:
        return None
    return head


_LEADING_WORD = re.compile(r"[a-z]+")


def first_words(phrases: list[str]) -> frozenset[str] | None:
    """The leading run of letters of every phrase, for a pattern ``(?<![a-z])(?:phrase|...)`` over lower-cased
    text: a match's first word is then a whole run of letters of the text (no letter before it, and none after it,
    since what follows it in the phrase is no letter), so a text none of whose runs of letters is one of these has
    no match. None when some phrase does not open with a letter (then no such test holds)."""
    found = [_LEADING_WORD.match(phrase) for phrase in phrases]
    if not all(found):
        return None
    return frozenset(match.group() for match in found if match is not None)


def start_pattern(phrases: list[str], not_after: str) -> str:
    """A pattern found where a phrase of ``(?<![not_after])(?:phrase|...)`` may start: its first two characters
    (one when the second is a space), after the same look-behind. Its matches never overlap, for every phrase opens
    with a character the look-behind excludes before a match, so ``finditer`` finds every such position."""
    prefixes = sorted({p[:1] if len(p) < 2 or p[1].isspace() else p[:2] for p in phrases})
    if not_after and not all(_in_class(p[0], not_after) for p in prefixes):
        raise ValueError(f"every phrase must open with one of [{not_after}]")
    return literal_first([re.escape(p) for p in prefixes], not_after)


def _in_class(char: str, members: str) -> bool:
    """Is ``char`` in the character class ``[members]`` (single characters and ranges such as ``a-z``)?"""
    index = 0
    while index < len(members):
        if index + 2 < len(members) and members[index + 1] == "-":
            if members[index] <= char <= members[index + 2]:
                return True
            index += 3
        else:
            if members[index] == char:
                return True
            index += 1
    return False


ASIDE = re.compile(r"\([^()]*\)")
WORD = re.compile(r"[a-z][a-z0-9'µ-]*")
"""A word of lower-cased text, as the readers of a unit count them ("hba1c", "anti-tnf", "µg")."""
WITHIN_REV = re.compile(r"[ \t]*nihtiw(?![a-z])")
"""Reversed "within" right before an amount (read on the reversed text before it)."""
"""A bracketed aside with no bracket inside it, for readers that step over asides."""
