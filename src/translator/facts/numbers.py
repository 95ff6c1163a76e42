"""Number lexing: every number in lower-cased normalised text that may be a value, and nothing that is not.

Values: decimals, decimal commas ("9,5"), thousands separators ("100,000", "100 000"), number words ("three",
"twenty-five", "two and a half", "three (3)"), multipliers ("twice"), titers ("1:80" keeps 80), pressure pairs
("140/90 mmHg") and roman numerals after class words ("NYHA class III/IV").

Not values, and skipped here: digits glued to a name (CD19, HbA1c, SpO2), a name joined by a hyphen
(COVID-19, SLEDAI-2K, BILAG-2004), ordinals ("2nd", "second-line"), labels ("Appendix 3", "type 2", "Day 1"),
versions ("RECIST 1.1"), years ("2019 EULAR/ACR", "et al., 2019") and bare list markers ("(1)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from translator.facts.lexicon import Lexicon

NumberKind = Literal["digits", "word", "titer", "pair", "roman", "multiplier", "reference"]
"""``reference`` is no number at all: the "ULN" of "≤ ULN", read as 1 × ULN."""

_DIGITS = re.compile(
    r"(?<![a-z0-9.,^/µ])"
    r"(?:\d{1,3}(?:,\d{3}){1,4}(?:\.\d+)?(?![0-9])"
    r"|\d{1,3}(?:[ ]\d{3}){1,4}(?=[ \t]*(?:/|cells|per\b|x|×))"
    r"|\d+(?:\.\d+)?(?:,\d{1,2}(?![0-9]))?"
    r"|\.\d+)"
)
_TITER = re.compile(r"(?<![0-9:.])1[ \t]*:[ \t]*(\d{1,6})(?![0-9:])")
_PAIR = re.compile(r"(?<![0-9./])(\d{2,3})[ \t]*/[ \t]*(\d{2,3})(?=[ \t]*mm[ \t]*hg)")
_ROMAN_AFTER_CLASS = re.compile(
    r"(?<![a-z])(?:class|grade|level|degree|category|nyha|stage)[ \t]*(?:[≥≤<>][ \t]*)?(?:of[ \t]+)?"
    r"(?P<r>iv|v|i{1,3})(?P<sub>[a-c])?(?![a-z])"
)
_ROMAN_BEFORE_CLASS = re.compile(r"(?<![a-z0-9])(?P<r>iv|v|i{1,3})[a-c]?[ \t]+(?:stage|grade|class)(?![a-z])")
"""Translated records put the numeral first: "Ib stage NSCLC", "III grade"."""
_ROMAN_CONTINUED = re.compile(r"[ \t]*(?:/|-|~|or|to|and|,)[ \t]*(?P<r>iv|v|i{1,3})(?P<sub>[a-c])?(?![a-z])")
_ITEM_NUMBER = re.compile(r"\.?[ \t]+[A-Z][a-z]|\.[A-Z][a-z]")
_GLUED_TIMES = re.compile(r"x[ \t]*(?:10\^?\d|10e\d|uln|iuln|lln|upper|lower|normal)|(?:uln|iuln|unl|lln)(?![a-z])")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![a-z])")
_WORD_BEFORE = re.compile(r"([a-z][a-z0-9]*)[ \t]*[.#:]?[ \t]*$")
_SAMPLE_SIZE_BEFORE = re.compile(r"(?<![a-z])n[ \t]*=[ \t]*$")
_PAREN_DIGIT = re.compile(r"[ \t]*\([ \t]*(\d+(?:\.\d+)?)[ \t]*\)")
_WORD_COMPOUND = re.compile(r"[ \t]*(?:-|[ \t])[ \t]*(?P<unit>one|two|three|four|five|six|seven|eight|nine)(?![a-z])")
_AND_A_HALF = re.compile(r"[ \t]+and[ \t]+a[ \t]+half(?![a-z])")


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    kind: NumberKind
    second: float | None = None
    """The diastolic value of a pressure pair."""


def parse_digits(raw: str) -> float:
    text = raw.replace(" ", "")
    if "," in text:
        head, _, tail = text.rpartition(",")
        text = text.replace(",", "") if len(tail) == 3 and "." not in tail else head.replace(",", "") + "." + tail
    return float(text)


def scan_numbers(low: str, original: str, lex: Lexicon) -> list[Number]:
    """All value candidates in ``low`` (lower-cased normalised text), in order, never overlapping.

    ``original`` is the normalised text before lower-casing (same length), used where case matters.
    """
    found: list[Number] = []
    for match in _TITER.finditer(low):
        found.append(Number(match.start(), match.end(), float(match.group(1)), "titer"))
    for match in _PAIR.finditer(low):
        found.append(Number(match.start(), match.end(), float(match.group(1)), "pair", float(match.group(2))))
    found.extend(_romans(low, lex))
    taken = [(n.start, n.end) for n in found]
    for match in _DIGITS.finditer(low):
        start, end = match.span()
        if any(s <= start < e for s, e in taken) or _not_a_value(low, original, start, end, lex):
            continue
        if end - start > 15:
            continue  # a run of digits, not a value anyone would write
        found.append(Number(start, end, parse_digits(match.group()), "digits"))
    found.extend(_words(low, lex, found))
    found.sort(key=lambda n: n.start)
    return found


def _romans(low: str, lex: Lexicon) -> list[Number]:
    found: list[Number] = []
    roman = lex.numbers.roman
    for match in _ROMAN_AFTER_CLASS.finditer(low):
        found.append(Number(match.start("r"), match.end(), float(roman[match.group("r")]), "roman"))  # "IIIb"
        pos = match.end()
        while more := _ROMAN_CONTINUED.match(low, pos):
            found.append(Number(more.start("r"), more.end(), float(roman[more.group("r")]), "roman"))
            pos = more.end()
    for match in _ROMAN_BEFORE_CLASS.finditer(low):
        found.append(Number(match.start("r"), match.end("r"), float(roman[match.group("r")]), "roman"))
    return found


def _not_a_value(low: str, original: str, start: int, end: int, lex: Lexicon) -> bool:
    after = low[end : end + 1]
    if after.isalpha() and not _glued_unit(low, original, end, lex) and not _GLUED_TIMES.match(low, end):
        return True  # "2k", "1c", "3rd"; but "1.5x 10^9/L", "2.5xULN" are values
    if _ORDINAL_SUFFIX.match(low, end) or lex.label_after_re.match(low, end):
        return True  # "2nd", "20 exon"
    if start >= 2 and low[start - 1] == "-" and low[start - 2].isalpha():
        return True  # COVID-19, SLEDAI-2K, BILAG-2004, PD-1
    if _SAMPLE_SIZE_BEFORE.search(low, max(0, start - 6), start):
        return True  # "(n=12)": a cohort size, not a criterion
    word = _WORD_BEFORE.search(low, max(0, start - 24), start)
    if word and (word.group(1) in lex.label_words or word.group(1) in lex.versioned_names):
        return True
    if end - start == 4 and low[start:end].isdigit() and 1900 <= int(low[start:end]) <= 2099:
        return not _unit_follows(low, end, lex)
    return _bare_marker(low, start, end) or _numbered_item(original, start, end)


def _glued_unit(low: str, original: str, end: int, lex: Lexicon) -> bool:
    if original[end : end + 1] == "M" and not original[end + 1 : end + 2].isalpha():
        return True  # "≥3M" is three months
    match = lex.unit_re.match(low, end)
    return match is not None and match.start("unit") == end


def _unit_follows(low: str, end: int, lex: Lexicon) -> bool:
    return lex.unit_re.match(low, end) is not None


def _bare_marker(low: str, start: int, end: int) -> bool:
    """ "(1)" or "1)" opening an inline enumeration is a marker, not a value."""
    if low[end : end + 1] != ")":
        return False
    before = low[max(0, start - 8) : start].rstrip(" \t(")
    return (not before and start < 8) or (bool(before) and before[-1] in ":;,.")


def _numbered_item(original: str, start: int, end: int) -> bool:
    """ "... and above. 2. Histology ...": a list number that lost its line break, not a value."""
    if not _ITEM_NUMBER.match(original, end):
        return False
    before = original[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in ".;:"


def _words(low: str, lex: Lexicon, taken: list[Number]) -> list[Number]:
    found: list[Number] = []
    spans = [(n.start, n.end) for n in taken]
    for match in lex.number_word_re.finditer(low):
        start, end = match.span()
        if any(s <= start < e for s, e in spans):
            continue
        value = lex.number_words[" ".join(match.group("word").split())]
        if value >= 20 and (compound := _WORD_COMPOUND.match(low, end)):
            value += lex.number_words[compound.group("unit")]
            end = compound.end()
        if half := _AND_A_HALF.match(low, end):
            value += 0.5
            end = half.end()
        if (paren := _PAREN_DIGIT.match(low, end)) and float(paren.group(1)) == value:
            end = paren.end()  # "three (3) months"
        found.append(Number(start, end, value, "word"))
    for match in lex.multiplier_re.finditer(low):
        if not any(s <= match.start() < e for s, e in spans):
            value = lex.numbers.multipliers[match.group("word")]
            found.append(Number(match.start(), match.end(), value, "multiplier"))
    return found
