"""Patterns that ``re`` can scan for: alternatives grouped by their first character, the look-behind after it.

``re`` finds where a search may start by the first characters of a pattern when every branch opens with a
literal. A pattern that opens with a look-behind (``(?<![a-z])(?:no|not|...)``) gives it none, so it tries the
whole alternation at every position of the text. ``literal_first`` writes the same alternation the other way
round: "n(?<![a-z]n)(?:o|ot)|w(?<![a-z]w)(?:ithout)". Alternatives that open with different characters never
match at the same position, and within a group the order stays, so every match is the one the plain pattern
finds, backtracking included. (Not for case-insensitive patterns, where "a" and "A" would match alike.)
"""

from __future__ import annotations

_SPECIAL = frozenset(".^$*+?{}[]|()\\")


def literal_first(alternatives: list[str], not_after: str = "") -> str:
    """``(?<![not_after])(?:a|b|...)`` (no look-behind when ``not_after`` is empty) as grouped branches; each
    alternative is regex source that opens with one literal character (plain, or a symbol escaped)."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        head = alternative[:2] if alternative.startswith("\\") else alternative[:1]
        rest = alternative[len(head) :]
        literal = len(head) == 2 and not head[1].isalnum() if head.startswith("\\") else bool(head)
        if not literal or head in _SPECIAL or rest[:1] in ("?", "*", "+", "{"):
            raise ValueError(f"alternative {alternative!r} must open with one literal character")
        groups.setdefault(head, []).append(rest)
    branches = []
    for head, rests in groups.items():
        guard = f"(?<![{not_after}]{head})" if not_after else ""
        branches.append(f"{head}{guard}(?:{'|'.join(rests)})")
    return "|".join(branches)
