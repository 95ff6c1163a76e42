"""Small text-editing tools for the verifier eval: edits at offsets, numbers in plain text, seeded sampling.

The eval mutates and paraphrases plain-English text with its own regexes; it never calls the extractor or
the verifier, so what it measures stays independent of what it generates.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MAX_PER_KIND = 5
"""At most this many mutants (or paraphrases) of one kind per study."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``new`` (an insertion when start == end, a deletion when new is empty)."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits; later edits first so earlier offsets stay valid."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.new + out[edit.end :]
    return out


def describe(text: str, edits: Sequence[Edit]) -> str:
    """One line a reviewer reads: "'is more than 45%' → 'is at least 45%'", "inserted '…'", "deleted '…'".

    A replacement shows a few words around it, so "'1.5' → '3.0'" reads "'below 1.5 times' → 'below 3.0 times'"."""
    parts: list[str] = []
    for edit in sorted(edits, key=lambda e: e.start):
        old = _flat(text[edit.start : edit.end])
        new = _flat(edit.new)
        if not old:
            before, _ = _context(text, edit)
            where = f" after {_flat(before)!r}" if before.strip() and not edit.new.startswith("\n") else ""
            parts.append(f"inserted {new!r}{where}")
        elif not new:
            parts.append(f"deleted {old!r}" if len(old) > 12 else f"deleted {old!r} from {_around(text, edit)!r}")
        else:
            before, after = _context(text, edit)
            parts.append(
                f"{_flat(before + text[edit.start : edit.end] + after)!r} → {_flat(before + edit.new + after)!r}"
            )
    return "; ".join(parts)


_CONTEXT_WORDS = 2


def _context(text: str, edit: Edit) -> tuple[str, str]:
    """Up to two words on each side of an edit, within its line."""
    line_start = text.rfind("\n", 0, edit.start) + 1
    line_end = text.find("\n", edit.end)
    line_end = len(text) if line_end < 0 else line_end
    before_words = text[line_start : edit.start].split(" ")
    after_words = text[edit.end : line_end].split(" ")
    return " ".join(before_words[-_CONTEXT_WORDS - 1 :]), " ".join(after_words[: _CONTEXT_WORDS + 1])


def _around(text: str, edit: Edit) -> str:
    before, after = _context(text, edit)
    return _flat(before + text[edit.start : edit.end] + after)


def _flat(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def sample(items: Sequence[T], key: str, limit: int = MAX_PER_KIND) -> list[T]:
    """A deterministic sample (seeded by ``key``, e.g. "NCT01234567:change_value"), kept in input order."""
    if len(items) <= limit:
        return list(items)
    rng = random.Random(key)
    chosen = sorted(rng.sample(range(len(items)), limit))
    return [items[i] for i in chosen]


def rng_for(key: str) -> random.Random:
    return random.Random(key)


# --- numbers in plain text ------------------------------------------------------------------------------

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER_RE = re.compile(
    rf"(?<![\w.^/,:])(?<![A-Za-z]-)(?:{_DIGITS})(?![\w^]|[.,:]\d)",
)
"""A number standing alone: not inside a drug name or id ("mRNA-1273", "COVID-19", "CD19"), not an
exponent ("10^9"), not the second half of a pair or titer ("140/90", "1:80")."""

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
]
_ONES += ["seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_NUMBER_RE = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight"
    r"|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen)\b",
    re.IGNORECASE,
)
"""Number words from two to ninety-nine ("one" is left out: "no one", "one of your parents")."""
ANY_NUMBER = rf"(?:{NUMBER_RE.pattern}|{WORD_NUMBER_RE.pattern}|\bone\b)"
"""Digits or words, for regexes compiled with re.IGNORECASE."""


def to_words(n: int) -> str:
    """0..99 as English words ("twenty-five")."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("-" + _ONES[ones] if ones else "")


def from_words(word: str) -> int:
    low = word.lower()
    if "-" in low:
        tens, ones = low.split("-")
        return _TENS.index(tens) * 10 + _ONES.index(ones)
    return _TENS.index(low) * 10 if low in _TENS[2:] else _ONES.index(low)


def parse_number(token: str) -> float:
    return float(token.replace(",", ""))


def format_like(value: float, like: str) -> str:
    """Write ``value`` the way ``like`` is written: same decimals, thousands separators when it had them."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    text = f"{value:,.{decimals}f}" if "," in like else f"{value:.{decimals}f}"
    return text


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def decapitalize(text: str) -> str:
    """ "You have" -> "you have", "Your ALT" -> "your ALT"; an acronym ("HIV", "ECOG") is left alone."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:] if text else text


def paren_depth(text: str, position: int, line_start: int) -> int:
    """How many brackets are open at ``position``, counted from the start of its line."""
    depth = 0
    for char in text[line_start:position]:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
    return depth
