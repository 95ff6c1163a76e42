"""Which Chia spans are gold for the extraction eval, which are set aside (and why), and the shape of a miss.

Chia is gold for *where* values and time windows are, not for their comparator direction (many ``≥`` were lost
upstream). The rules here decide:

- a **numeric Value**: a ``Value`` span whose text carries a number: a digit, or a number word from
  ``NUMBER_WORDS`` (cardinals, fractions, "twice"-style multiples; not ordinals such as "first"). Upstream
  escapes such as ``<U+2267>`` (a lost ``≧``) are not numbers.
- **set aside** from the Value denominator, counted and reported, by two stated rules: *code*, when every
  number of the span sits inside an alphanumeric code in the document (TNM ``T2b``/``N0``/``M0``, fibrosis
  ``F3``, spinal level ``C3-T1``: names, not quantities; Chia sometimes tags only the ``0`` of ``N0``), and
  *formula*, when the span is an arithmetic expression (``(0.006012 x H3) + (14.6 x W) + 604 =``), not a value.
- a **Roman-numeral Value** ("III", "I-III", "class IV") has no digit or number word; it is scored beside the
  numeric Values and reported apart, so the headline follows the stated rule.
- a **duration Temporal**: a ``Temporal`` span with a number followed by a time unit ("within 6 months",
  "> 2 weeks", "5-yr"); "day 15", "at screening" and "history of" are not durations.
- the **shape** of a missed span: the first rule of ``SHAPES`` that matches, so misses group by what the
  extractor would have to learn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from translator.evaluation.chia import Entity

NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    "thousand|dozen|half|quarter|twice|thrice|double|triple"
)
TIME_UNITS = (
    "years?|yrs?|y|months?|mos?|mths?|mo|weeks?|wks?|wk|w|days?|d|hours?|hrs?|hr|h|minutes?|mins?|min|"
    r"half[- ]lives|half[- ]life"
)

_NUMBER_WORD = r"\b(?:" + NUMBER_WORDS + r")\b"
_NUMBER = re.compile(r"\d|" + _NUMBER_WORD, re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"(?<![A-Za-z])(?:I{1,3}|IV|VI{0,3}|IX|X)[ABC]?(?![A-Za-z])")
_ESCAPE = re.compile(r"<U\+[0-9A-Fa-f]{4,6}>")
_AMOUNT = r"(?:\d+(?:[.,]\d+)?|" + _NUMBER_WORD + r")"
_RESTATED = r"(?:\s*\(\s*\d+\s*\))?"
"""A number restated in digits: "two (2) years"."""
_DURATION = re.compile(
    _AMOUNT
    + _RESTATED
    + r"(?:\s*(?:-|–|to|or|and)\s*"
    + _AMOUNT
    + _RESTATED
    + r")?\s*-?\s*(?:(?:consecutive|previous|preceding|full|calendar)\s+)?(?:"
    + TIME_UNITS
    + r")(?![a-z])",
    re.IGNORECASE,
)
_CODE_PART = r"(?:[A-Za-z]{1,2})?\d+[A-Za-z]?"
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?![xX]\d)[A-Za-z]{1,2}\d+[A-Za-z]?(?:\s?[-/]\s?" + _CODE_PART + r")*(?![A-Za-z0-9])"
)
_FORMULA = re.compile(r"\)\s*[-+*/×]\s*\(|[-+*/×]\s*\d+(?:\.\d+)?\s*=\s*$")

Aside = Literal["code", "formula"]


def blank_escapes(text: str) -> str:
    """``<U+2267>``-style escapes replaced by spaces of the same length, so offsets still hold."""
    return _ESCAPE.sub(lambda m: " " * len(m.group()), text)


def carries_number(text: str) -> bool:
    return bool(_NUMBER.search(blank_escapes(text)))


def carries_roman(text: str) -> bool:
    """A Roman numeral and no other number ("III", "I-III", "class IV"): reported beside, not in, Value recall."""
    clean = blank_escapes(text)
    return not _NUMBER.search(clean) and bool(_ROMAN.search(clean))


_MEASURED = re.compile(r"\d\s*(?:mg|g|mcg|µg|ml|%|kg|mmhg|mmol|iu|units?)(?![a-z])", re.IGNORECASE)


def carries_measured_amount(text: str) -> bool:
    """A number with a dose or lab unit ("80 mg/day", "at least 2.5 mg/dl"): a value, whatever Chia tagged it."""
    return bool(_MEASURED.search(text))


def carries_duration(text: str) -> bool:
    return bool(_DURATION.search(blank_escapes(text)))


def code_ranges(document: str) -> list[tuple[int, int]]:
    """Character ranges of alphanumeric codes (``T2b``, ``cN0-1``, ``C3-T1``) in a document."""
    return [m.span() for m in _CODE.finditer(blank_escapes(document))]


def set_aside(entity: Entity, document: str, codes: list[tuple[int, int]]) -> Aside | None:
    """Why a numeric Value span is not a quantity to find, or None when it is one."""
    text = blank_escapes(entity.source_text(document))
    if _FORMULA.search(text):
        return "formula"
    if re.search(_NUMBER_WORD, text, re.IGNORECASE):
        return None
    clean = blank_escapes(document)
    numbers = [m.span() for start, end in entity.fragments for m in _DIGITS.finditer(clean, start, end)]
    if numbers and all(any(lo <= a and b <= hi for lo, hi in codes) for a, b in numbers):
        return "code"
    return None


@dataclass(frozen=True)
class Shape:
    """One kind of missed span: matched against the span's text, or against the text just before it."""

    name: str
    description: str
    pattern: re.Pattern[str]
    where: Literal["span", "before"] = "span"

    def matches(self, text: str, before: str) -> bool:
        return bool(self.pattern.search(text if self.where == "span" else before))


def _shape(name: str, description: str, pattern: str, where: Literal["span", "before"] = "span") -> Shape:
    return Shape(name, description, re.compile(pattern, re.IGNORECASE), where)


SCALE_WORDS = (
    "stage|grade|class|group|groups|gold|nyha|asa|who|tanner|score|type|genotype|level|etdrs|mhai|"
    "bi-rads®|bi-rads|classification|ideation"
)

SHAPES = (
    _shape(
        "relative to a normal limit",
        "×ULN, ×N, 'times normal', a bare '3x'",
        r"\buln\b|upper|normal|\d\s*n\b|\d\s*[x×]\s*$",
    ),
    _shape("ratio or fraction", "20/50 visual acuity, 5/10 pain score, 150/95 blood pressure", r"\d\s*/\s*\d"),
    _shape("percentile or ordinal", "5th percentile, 95th percentile", r"percentile|\d(?:st|nd|rd|th)\b"),
    _shape("lost or garbled comparator", "'?', '³', '£', '<U+2267>' or a bare '=' where ≥/≤ was", r"[?³£]|<U\+|^\s*="),
    _shape(
        "signed number",
        "a negative or explicitly signed value: -2.5, between 0 and -4, + 2.25",
        r"(?:^|[<>=(]|\b(?:and|than|to|between)\s)\s*[-−+]\s?\d",
    ),
    _shape("decimal comma", "36,0 °C", r"\d,\d(?!\d\d)"),
    _shape("unit glued to the number or unusual unit", "50m, 38C, 30mUI/ml, 750K, 10000UI/mL", r"\d[a-zµº°]"),
    _shape("hyphenated number and unit", "2-year, 12-months, 3-min test", r"\d\s?-\s?[a-z]"),
    _shape(
        "word between number and unit",
        "3 consecutive days, the 5 previous years",
        r"(?:\d|" + _NUMBER_WORD + r")\s*(?:\(\s*\d+\s*\)\s*)?(?:consecutive|previous|preceding|full|calendar)\s",
    ),
    _shape("rate per time", "3 stools/24 hours", r"/\s*$", "before"),
    _shape(
        "stage, class or score label",
        "NYHA 4, ASA 2, stage 5, GOLD 1, Tanner stage 1",
        r"\b(?:" + SCALE_WORDS + r")\W*$",
        "before",
    ),
    _shape(
        "stage, class or score label",
        "a label word inside the span: 'stage 5', 'Groups 2-5'",
        r"\b(?:stage|grade|class|groups?|score|type|severity)\b",
    ),
    _shape("range", "18-65, 40-120, 2 to 3", r"\d\s*(?:-|–|to)\s*[-+]?\d"),
    _shape("number word", "zero, four-fold", r"^\D*$"),
    _shape("bare number", "a number with no comparator or unit", r"^\W*\d+(?:[.,]\d+)?\W*$"),
    _shape("comparator and unit", "< 30 mL/min, Less than 70%: an ordinary value", r"."),
)


def shape_of(text: str, before: str) -> str:
    """The first shape whose rule matches; ``before`` is the document text just before the span."""
    for shape in SHAPES:
        if shape.matches(text, before):
            return shape.name
    return "other"


_LOST = (
    ("bare '=' before a number", re.compile(r"(?<![<>≤≥=!])=\s?\d")),
    ("'?' before a number", re.compile(r"\?\s?\d")),
    ("'³' or '£' (≥/≤ in a symbol font)", re.compile(r"[³£]\s?\d")),
    ("'<U+…>' escape", _ESCAPE),
)


def lost_comparators(text: str) -> dict[str, int]:
    """How often the text shows each sign of a lost or garbled comparator (Chia's text, not our reading)."""
    found = {name: len(pattern.findall(text)) for name, pattern in _LOST}
    return {name: count for name, count in found.items() if count}
