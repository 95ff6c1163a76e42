"""Value expressions in words: "\\<5 x ULN" -> "less than 5 times the upper limit of normal (ULN)".

Comparators become words, numbers stay exactly as written, units are spelled out as their rule's ``say``
(which the extractor reads back as the same unit), ranges read "18 to 65", lost superscripts are restored
("×109/L" -> "× 10⁹ per liter"). The rewrite works on the normalised text of one value span.
"""

from __future__ import annotations

import re

from translator.facts.lexicon import lexicon
from translator.facts.normalize import normalize

_WORDS = {"≥": "at least", ">": "more than", "≤": "no more than", "<": "less than"}
_COMPARATOR = re.compile(r"[ \t]*(?P<op>[≥≤<>])[ \t]*")
_EQUALS = re.compile(r"(?<![0-9])=[ \t]*(?=[0-9])")
_RANGE = re.compile(r"(?<=[0-9])[ \t]*(?:-|~)[ \t]*(?=[0-9])")
_SCALE = re.compile(r"[ \t]*[x×*][ \t]*10[ \t]*(?:\^[ \t]*)?(?P<exp>[0-9]{1,2})(?![0-9])")
_ULN = re.compile(r"[ \t]*(?:[x×*][ \t]*)?(?<![A-Za-wyz(])(?P<ref>ULN|IULN|UNL|LLN)(?![A-Za-z])")
_TIMES = re.compile(r"(?<=[0-9])[ \t]*[x×*][ \t]*(?=[A-Za-z])")
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_UPPER = "the upper limit of normal (ULN)"
_SAID = {"ULN": _UPPER, "IULN": _UPPER, "UNL": _UPPER, "LLN": "the lower limit of normal (LLN)"}


def in_words(span_text: str) -> str:
    """The plain-English form of one value expression as written in a criterion."""
    text = normalize(span_text).text
    text = _ULN.sub(lambda m: " times " + _SAID[m.group("ref")], text)
    text = _TIMES.sub(" times ", text)
    text = _SCALE.sub(lambda m: " × 10" + m.group("exp").translate(_SUPER), text)
    text = _RANGE.sub(" to ", text)
    text = _EQUALS.sub("", text)
    text = _COMPARATOR.sub(lambda m: f" {_WORDS[m.group('op')]} ", text)
    text = _spell_units(text)
    return " ".join(text.split()).replace("( ", "(").replace(" )", ")")


def _spell_units(text: str) -> str:
    """Each unit alias after a number becomes its spelled-out name ("mL/min" -> "milliliters per minute")."""
    lex = lexicon()
    low = text.lower()
    pieces: list[str] = []
    last = 0
    for number in re.finditer(r"[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[.,][0-9]+)?", text):
        match = lex.unit_re.match(low, number.end())
        if match is None or match.start("unit") < last:
            continue
        rule = lex.unit(match.group("unit"))
        if rule.dimension in ("percent", "time", "grade") or match.group("unit") == rule.say.lower():
            continue
        before = text[last : match.start("unit")].rstrip(" \t-")
        pieces.append(before + " " + rule.say)
        last = match.end("unit")
    pieces.append(text[last:])
    return "".join(pieces)
