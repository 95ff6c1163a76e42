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
from functools import cache
from operator import attrgetter
from typing import Literal

from translator.facts.frozen import quick_init
from translator.facts.lexicon import Lexicon

NumberKind = Literal["digits", "word", "titer", "pair", "roman", "multiplier", "reference", "snellen"]
"""``reference`` is no number at all: the "ULN" of "≤ ULN", read as 1 × ULN."""

LOST_POWER_TAIL = r"[369][ \t]*/[ \t]*(?:l|kg)(?![a-z])"
"""After "10": the exponent of a power of ten whose superscript was lost, before "/L" or "/kg" ("109/l" is
10⁹/L, "106/kg" 10⁶/kg)."""
_DIGITS = re.compile(
    r"[\d.](?<![a-z0-9.,^/µ].)"
    r"(?:(?<=\d)(?:\d{0,2}(?:,\d{3}){1,4}(?:\.\d+)?(?![0-9])"
    r"|\d{0,2}(?:[ ](?!10" + LOST_POWER_TAIL + r")\d{3}){1,4}(?=[ \t]*(?:/|cells|per\b|x|×))"
    r"|\d*(?:\.\d+)?(?:,\d{1,2}(?![0-9]))?)"
    r"|(?<=\.)\d+)"
)
r"""``(?<![a-z0-9.,^/µ])(?:\d{1,3}(?:,\d{3}){1,4}... |\d{1,3}(?:[ ]\d{3}){1,4}... |\d+... |\.\d+)``,
written to open with a character class (the first digit or point, the look-behind after it), which ``re`` scans for
instead of trying the pattern at every position. A group "109" before "/L" (or "106" before "/kg") is no
thousands group but a power of ten whose superscript and × were lost: "> 100 109/l" is 100 × 10⁹/L."""
_TITER = re.compile(r"1(?<![0-9:.]1)[ \t]*:[ \t]*(\d{1,6})(?![0-9:])")
"""Patterns here that start with a literal check what precedes it after it, so that ``re`` scans for the literal."""
_PAIR = re.compile(r"(?<![0-9./])(\d{2,3})[ \t]*/[ \t]*(\d{2,3})(?=[ \t]*mm[ \t]*hg)")
_SNELLEN = re.compile(r"(?<![0-9./,])(20|6)[ \t]*/[ \t]*(\d{1,3})(?![0-9/]|[.,][0-9])")
"""A Snellen fraction: the test distance (20 feet, 6 metres) over the distance at which a normal eye reads the
same line."""
ACUITY_REACH = 60
"""How far from a Snellen fraction an acuity word ("visual acuity", "Snellen", "vision") may stand."""
_BARE_PAIR = re.compile(r"(?<![0-9./])(\d{2,3})[ \t]*/[ \t]*(\d{2,3})(?![0-9/]|\.[0-9])")
_PRESSURE_BEFORE = re.compile(r"(?<![a-z])blood[ \t]+pressure(?![a-z])")
"""A pair of numbers after "blood pressure" is systolic/diastolic even with no mmHg: "higher than 160/100"."""
LISTED_CLASSES = 6
"""The most numerals after the first in a list of classes before its scale ("I, II, III or IV NYHA"): bounded, so
that the look-ahead from each numeral of a long run of them reads a few, not the whole run."""
_ROMAN_CONTEXT = ("level", "nyha", "stage")
"""Words besides numbers.json class_words after which a roman numeral is a grade ("stage IIIb", "NYHA III")."""
_SUB_STAGED = re.compile(r"i(?<![a-z0-9-]i)(?P<rest>v|ii|i)[a-c](?![a-z0-9])")
"""A numeral with a sub-stage letter is a stage with no class word before it: "NSCLC (IIIb-IV)", "IVa disease";
"i", "v" and "vi" are left out ("Ia", "Va", "via" are also words and names)."""
_SUB_STAGE_LETTER = re.compile(r"[a-c](?![a-z0-9])")
_ITEM_NUMBER = re.compile(r"\.?[ \t]+[A-Z][a-z]|\.[A-Z][a-z]")
_GLUED_TIMES = re.compile(r"x[ \t]*(?:10\^?\d|10e\d|uln|iuln|lln|upper|lower|normal)|(?:uln|iuln|unl|lln)(?![a-z])")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![a-z])")
_WORD_BEFORE = re.compile(r"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)[ \t]*[.#:]?[ \t]*[-+]?$")
"""The word before a number, with its hyphenated parts ("dsm-iv 2", "dsm-5 2"), and a sign the number takes
after it ("Day -30", "Day +100": visit and transplant days counted from day 0)."""
_AMOUNT_BEFORE = re.compile(r"(?<![a-z0-9])\d+(?:\.\d+)?(?:h|hr|hrs|min|d|wk)-$")
"""An amount glued to the number after it by a hyphen: "2h-75gm"."""
_SAMPLE_SIZE_BEFORE = re.compile(r"(?<![a-z])n[ \t]*=[ \t]*$")
_PAREN_DIGIT = re.compile(r"[ \t]*\([ \t]*(\d+(?:\.\d+)?)[ \t]*\)")
_WORD_COMPOUND = re.compile(r"[ \t]*(?:-|[ \t])[ \t]*(?P<unit>one|two|three|four|five|six|seven|eight|nine)(?![a-z])")
_AND_A_HALF = re.compile(r"[ \t]+and[ \t]+a[ \t]+half(?![a-z])")
_ARTICLE = re.compile(r"[ \t]+an?(?=[ \t])")
"""The article of "half a year", "a quarter of an hour": the unit after it belongs to the fraction."""


_start = attrgetter("start")


@cache
def any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern found where any of ``words`` occurs in a text (as ``any(w in text for w in words)``, in one scan)."""
    return re.compile("|".join(re.escape(w) for w in words) if words else "(?!)")


@quick_init
@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    kind: NumberKind
    second: float | None = None
    """The diastolic value of a pressure pair."""


def _snellen(low: str, lex: Lexicon) -> list[Number]:
    """ "visual acuity worse than 20/200", "BCVA of 20/50 to 20/320": a Snellen fraction near an acuity word is
    one value, its decimal acuity (20/40 = 0.5), so that a changed denominator is a changed value."""
    if "/" not in low or lex.acuity_near.search(low) is None:
        return []
    found: list[Number] = []
    for match in _SNELLEN.finditer(low):
        denominator = int(match.group(2))
        near = lex.acuity_near.search(low, max(0, match.start() - ACUITY_REACH), match.end() + ACUITY_REACH)
        if denominator and near is not None:
            found.append(Number(match.start(), match.end(), int(match.group(1)) / denominator, "snellen"))
    return found


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
    found.extend(_snellen(low, lex))
    for match in _PAIR.finditer(low) if "hg" in low else ():  # "mm Hg": most texts have none
        found.append(Number(match.start(), match.end(), float(match.group(1)), "pair", float(match.group(2))))
    for match in _BARE_PAIR.finditer(low) if "pressure" in low else ():
        if _PRESSURE_BEFORE.search(low, max(0, match.start() - 48), match.start()) and not any(
            n.start == match.start() for n in found
        ):
            found.append(Number(match.start(), match.end(), float(match.group(1)), "pair", float(match.group(2))))
    found.extend(_romans(low, lex))
    taken = [(n.start, n.end) for n in found]
    for match in _DIGITS.finditer(low):
        start, end = match.span()
        if (taken and any(s <= start < e for s, e in taken)) or _not_a_value(low, original, start, end, lex):
            continue
        if end - start > 15:
            continue  # a run of digits, not a value anyone would write
        found.append(Number(start, end, parse_digits(match.group()), "digits"))
    found.extend(_words(low, lex, found))
    found.sort(key=_start)
    if any(word in low for word in _LIST_NOUNS):
        found = [n for n in found if not _list_reference(low, n)]
    return found


_LIST_NOUNS = ("points", "items", "criteria", "bullets")
_LIST_REFERENCE_BEFORE = re.compile(r"(?<![a-z])(?:last|first|previous|preceding|above|following|next)[ \t]+$")
_LIST_REFERENCE_AFTER = re.compile(r"[ \t]+(?:points|items|criteria|bullets)(?![a-z])")


def _list_reference(low: str, number: Number) -> bool:
    """ "one of the last two points", "the first 3 criteria": the number counts items of the list, it limits
    nothing ("points" there are list points, not a score)."""
    before = _LIST_REFERENCE_BEFORE.search(low, max(0, number.start - 16), number.start)
    return before is not None and _LIST_REFERENCE_AFTER.match(low, number.end) is not None


@dataclass(frozen=True)
class _RomanPatterns:
    after_class: re.Pattern[str]
    before_class: re.Pattern[str]
    """Translated records put the numeral first: "Ib stage NSCLC", "III grade", and so does a list of classes
    before its scale's name ("heart failure III or IV NYHA"): each numeral of the list is read."""
    continued: re.Pattern[str]
    context_words: re.Pattern[str]
    """Any of the first words of every class word and the words of ``before_class``, anywhere: neither pattern can
    match where none occurs. Both start with a look-behind, so ``re`` tries them at every position, and most texts
    have none."""


@cache
def _roman_patterns(
    class_words: tuple[str, ...], numerals: tuple[str, ...], comparator_words: tuple[str, ...]
) -> _RomanPatterns:
    """Patterns over the numerals of numbers.json ``roman`` after its ``class_words`` ("grades III or IV",
    "class VI", "class is below III", a comparator word of comparators.json between); "via" after a class word is
    a word, not VI with a sub-stage."""
    context = "|".join(
        re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted({*class_words, *_ROMAN_CONTEXT}, key=len, reverse=True)
    )
    compared = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(comparator_words, key=len, reverse=True))
    numeral = "|".join(sorted(numerals, key=len, reverse=True))
    roman = r"(?!via(?![a-z]))(?P<r>" + numeral + ")"
    listed = rf"(?:[ \t]*(?:/|-|~|or|to|and|,)[ \t]*(?:{numeral})[a-c]?){{0,{LISTED_CLASSES}}}"
    return _RomanPatterns(
        after_class=re.compile(
            rf"(?<![a-z])(?:{context})[ \t]*(?:[≥≤<>][ \t]*)?(?:of[ \t]+)?"
            rf"(?:(?:is|must[ \t]+be)[ \t]+)?(?:(?:{compared})[ \t]+)?{roman}(?P<sub>[a-c])?(?![a-z])"
        ),
        before_class=re.compile(
            rf"(?<![a-z0-9]){roman}[a-c]?(?={listed}[ \t]+(?:stage|grade|class|nyha)(?![a-z]))(?![a-z0-9])"
        ),
        continued=re.compile(rf"[ \t]*(?:/|-|~|or|to|and|,)[ \t]*{roman}(?P<sub>[a-c])?(?![a-z])"),
        context_words=any_of(
            tuple(sorted({*(w.split()[0] for w in {*class_words, *_ROMAN_CONTEXT}), "stage", "grade", "class"}))
        ),
    )


_PATTERNS_OF: dict[int, tuple[Lexicon, _RomanPatterns, re.Pattern[str]]] = {}


def _patterns_of(lex: Lexicon) -> tuple[_RomanPatterns, re.Pattern[str]]:
    """The roman-numeral patterns and the implicit-one unit pattern of ``lex``, built once per lexicon: building the
    cache keys (tuples of its word lists, hashed anew on every call) cost a few microseconds per text. The lexicon
    is kept with them, so that its id is never reused for another one."""
    kept = _PATTERNS_OF.get(id(lex))
    if kept is None:
        roman = _roman_patterns(lex.numbers.class_words, tuple(lex.numbers.roman), lex.pre_comparator_words)
        kept = _PATTERNS_OF[id(lex)] = (lex, roman, any_of(lex.numbers.implicit_one_units))
    return kept[1], kept[2]


def _romans(low: str, lex: Lexicon) -> list[Number]:
    found: list[Number] = []
    roman = lex.numbers.roman
    patterns = _patterns_of(lex)[0]
    if patterns.context_words.search(low) is None:
        return _sub_staged(low, lex, patterns, set())
    for match in patterns.after_class.finditer(low):
        found.append(Number(match.start("r"), match.end(), float(roman[match.group("r")]), "roman"))  # "IIIb"
        pos = match.end()
        while more := patterns.continued.match(low, pos):
            found.append(Number(more.start("r"), more.end(), float(roman[more.group("r")]), "roman"))
            pos = more.end()
    taken = {n.start for n in found}
    for match in patterns.before_class.finditer(low):
        if match.start("r") not in taken:
            found.append(Number(match.start("r"), match.end("r"), float(roman[match.group("r")]), "roman"))
    return found + _sub_staged(low, lex, patterns, {n.start for n in found})


def _sub_staged(low: str, lex: Lexicon, patterns: _RomanPatterns, taken: set[int]) -> list[Number]:
    """Sub-staged numerals not already read after a class word, with the numerals continuing them ("IIIb-IV")."""
    found: list[Number] = []
    for match in _SUB_STAGED.finditer(low):
        start = match.start()
        word = _WORD_BEFORE.search(low, _word_before_from(low, max(0, start - 24), start), start)
        if start in taken or (word and word.group(1) in lex.label_words):
            continue  # "phase IIb" is a label
        numeral = "i" + match.group("rest")
        found.append(Number(start, match.end(), float(lex.numbers.roman[numeral]), "roman"))
        pos = match.end()
        while more := patterns.continued.match(low, pos):
            found.append(Number(more.start("r"), more.end(), float(lex.numbers.roman[more.group("r")]), "roman"))
            pos = more.end()
    return found


STAGE_WORD_REACH = 12
"""How far before a number its stage word may start ("stages  3")."""


def after_stage_word(low: str, start: int, lex: Lexicon) -> bool:
    """Does a stage word ("stage", "stages") stand right before ``start``?"""
    return bool(lex.stage_words_rev.match(low[max(0, start - STAGE_WORD_REACH) : start][::-1]))


def is_stage_number(low: str, number: Number, lex: Lexicon) -> bool:
    """ "stage 3 CKD": a number in digits after a stage word is a stage, as "stage III" is."""
    return number.kind == "digits" and after_stage_word(low, number.start, lex)


def _sub_stage(low: str, start: int, end: int, lex: Lexicon) -> bool:
    """ "stage 3b": a sub-stage letter after the number of a stage."""
    return bool(_SUB_STAGE_LETTER.match(low, end)) and after_stage_word(low, start, lex)


def _amount_before(low: str, start: int) -> bool:
    return _AMOUNT_BEFORE.search(low, max(0, start - 10), start) is not None


def _not_a_value(low: str, original: str, start: int, end: int, lex: Lexicon) -> bool:
    after = low[end : end + 1]
    if (
        after.isalpha()
        and not _glued_unit(low, original, end, lex)
        and not _GLUED_TIMES.match(low, end)
        and not _sub_stage(low, start, end, lex)
    ):
        return True  # "2k", "1c", "3rd"; but "1.5x 10^9/L", "2.5xULN", "stage 3b" are values
    if _ORDINAL_SUFFIX.match(low, end) or lex.label_after_re.match(low, end):
        return True  # "2nd", "20 exon"
    if start >= 2 and low[start - 1] == "-" and low[start - 2].isalpha() and not _amount_before(low, start):
        return True  # COVID-19, SLEDAI-2K, BILAG-2004, PD-1; but "2h-75gm OGTT" is 75 g after 2 hours
    if _SAMPLE_SIZE_BEFORE.search(low, max(0, start - 6), start):
        return True  # "(n=12)": a cohort size, not a criterion
    word = _WORD_BEFORE.search(low, _word_before_from(low, max(0, start - 24), start), start)
    if word and any(w in lex.label_words or w in lex.versioned_names for w in _word_and_last_part(word.group(1))):
        return True
    if end - start == 4 and low[start:end].isdigit() and 1900 <= int(low[start:end]) <= 2099:
        return not _unit_follows(low, end, lex)
    return _bare_marker(low, start, end) or _numbered_item(original, start, end)


_WORD_BEFORE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-+ \t.#:"


def _word_before_from(low: str, start: int, end: int) -> int:
    """Where a ``_WORD_BEFORE`` match in ``low[start:end]`` can start at the earliest: every character of a match
    is one of ``_WORD_BEFORE_CHARS`` (up to a final newline, before which ``$`` also matches). Searching from there
    finds the same match; ``re`` would otherwise try the pattern, and backtrack over a word, at every position."""
    window = low[start:end].removesuffix("\n")
    return start + len(window.rstrip(_WORD_BEFORE_CHARS))


def _word_and_last_part(word: str) -> tuple[str, ...]:
    """ "dsm-iv" and "iv": a hyphenated name is a versioned name whole, a label word by its last part."""
    return (word, word.rpartition("-")[2]) if "-" in word else (word,)


def _fraction_article(low: str, end: int, word: str, lex: Lexicon) -> int | None:
    """Where the article after a fraction word ends when a unit follows it ("half a year", "half an hour")."""
    if word not in lex.numbers.fractions or (article := _ARTICLE.match(low, end)) is None:
        return None
    return article.end() if _unit_follows(low, article.end(), lex) else None


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
    """ "... and above. 2. Histology ...": a list number that lost its line break, not a value. Lists do not run
    to three digits: "200 Diabetic patients" is a number of people."""
    if end - start > 2 or not _ITEM_NUMBER.match(original, end):
        return False
    before = original[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in ".;:"


_LETTERS = re.compile(r"[a-z]+")


def may_have_number_words(low: str, lex: Lexicon) -> bool:
    """Could ``lex.number_word_re`` or ``lex.multiplier_re`` match in ``low``? Not when none of its words opens one
    of their phrases: one scan for words spares the two alternations, which ``re`` tries at nearly every letter."""
    starts = lex.number_word_starts
    return starts is None or not starts.isdisjoint(_LETTERS.findall(low))


def _words(low: str, lex: Lexicon, taken: list[Number]) -> list[Number]:
    found: list[Number] = []
    if may_have_number_words(low, lex):
        found += _number_words(low, lex, taken)
    if _patterns_of(lex)[1].search(low):
        spans = [(n.start, n.end) for n in taken]
        for match in lex.implicit_one_re.finditer(low):  # "within a week", "in the past year"
            start, end = match.span("word")
            overlaps = [(s, e) for s, e in spans if s < end and start < e]
            if not overlaps and not any(n.start < end and start < n.end for n in found):
                found.append(Number(start, end, 1.0, "word"))
    return found


def _number_words(low: str, lex: Lexicon, taken: list[Number]) -> list[Number]:
    """Number words ("three", "twenty-five", "two and a half") and multipliers ("twice") not inside ``taken``."""
    found: list[Number] = []
    spans = [(n.start, n.end) for n in taken]
    for match in lex.number_word_re.finditer(low):
        start, end = match.span()
        if spans and any(s <= start < e for s, e in spans):
            continue
        value = lex.number_words[" ".join(match.group("word").split())]
        if value >= 20 and (compound := _WORD_COMPOUND.match(low, end)):
            value += lex.number_words[compound.group("unit")]
            end = compound.end()
        if value < 1 and low[end : end + 1] == "-" and low[end + 1 : end + 2].isalpha():
            continue  # "a third-party laboratory", "a half-life": a fraction word in a compound, no amount
        if half := _AND_A_HALF.match(low, end):
            value += 0.5
            end = half.end()
        if (paren := _PAREN_DIGIT.match(low, end)) and float(paren.group(1)) == value:
            end = paren.end()  # "three (3) months"
        elif (article := _fraction_article(low, end, match.group("word"), lex)) is not None:
            end = article  # "half a year": the year is the unit of the half
        found.append(Number(start, end, value, "word"))
    for match in lex.multiplier_re.finditer(low):
        if not any(s <= match.start() < e for s, e in spans):
            value = lex.numbers.multipliers[match.group("word")]
            found.append(Number(match.start(), match.end(), value, "multiplier"))
    return found
