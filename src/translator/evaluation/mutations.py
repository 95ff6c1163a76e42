"""Mutants of a faithful translation: each one breaks one criterion the way a bad translation would.

Generated deterministically (seeded by study and kind) from the stripped faithful text with the regexes and
word tables of ``edit_rules``; never with the extractor or the verifier. Each mutant records its kind, the
criterion it breaks (None for additions) and the edit. A mutant that leaves the text unchanged is dropped.
This module holds the edits of words and numbers; ``structural`` deletes, moves and adds statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from translator.domain import Criterion
from translator.evaluation import edit_rules as rules
from translator.evaluation import structural
from translator.evaluation.mutation_context import Candidate, Context, like_case, number_in, one_edit
from translator.evaluation.tagged import TaggedText
from translator.evaluation.textedit import (
    ANY_NUMBER,
    NUMBER_RE,
    WORD_NUMBER_RE,
    apply_edits,
    describe,
    format_like,
    from_words,
    paren_depth,
    parse_number,
    rng_for,
    sample,
    to_words,
)

MUTATION_KINDS = (
    "delete_criterion",
    "delete_item",
    "change_value",
    "change_unit",
    "move_boundary",
    "flip_comparator",
    "change_multiplier",
    "drop_reference",
    "move_section",
    "add_threshold",
    "add_exclusion",
)
ADDITIONS = frozenset({"add_threshold", "add_exclusion"})


@dataclass(frozen=True)
class Mutant:
    study: str
    kind: str
    criterion_id: str | None
    """The criterion the mutant breaks; None for an addition."""
    edit: str
    text: str


def mutants(tagged: TaggedText, source: str, criteria: Sequence[Criterion]) -> list[Mutant]:
    """All mutants of one faithful text, at most ``MAX_PER_KIND`` per kind, in a stable order."""
    context = Context(tagged, source, criteria)
    found: list[Mutant] = []
    seen = {tagged.text}
    for kind in MUTATION_KINDS:
        made: list[Mutant] = []
        for candidate in GENERATORS[kind](context):
            text = apply_edits(tagged.text, candidate.edits)
            if text not in seen:
                seen.add(text)
                made.append(
                    Mutant(tagged.name, kind, candidate.criterion_id, describe(tagged.text, candidate.edits), text)
                )
        found += sample(made, f"{tagged.name}:{kind}")
    return found


def _alternation(phrases: Sequence[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _prefix_re(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])({_alternation(list(table))})\s+(?={rules.LEAD}(?:{ANY_NUMBER}))", re.I)


def _suffix_re(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile(rf"({rules.QUANTITY})\s+({_alternation(list(table))})\b", re.I)


def _symbol_re(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile(rf"({_alternation(list(table))})(?=\s?\d)")


_BOUNDARY = _prefix_re(rules.BOUNDARY_PREFIX)
_TO_SUFFIX = re.compile(
    rf"(?<![\w-])({_alternation(list(rules.BOUNDARY_TO_SUFFIX))})\s+(the age of )?({rules.QUANTITY})", re.I
)
_FROM_SUFFIX = _suffix_re(rules.BOUNDARY_FROM_SUFFIX)
_BOUNDARY_SYMBOL = _symbol_re(rules.BOUNDARY_SYMBOLS)
_FLIP = _prefix_re(rules.FLIP_PREFIX)
_FLIP_SUFFIX = _suffix_re(rules.FLIP_SUFFIX)
_FLIP_SYMBOL = _symbol_re(rules.FLIP_SYMBOLS)
_TIME_UNIT = re.compile(rf"({ANY_NUMBER})([ -])({_alternation(list(rules.TIME_UNIT_SWAPS))})(s?)\b", re.I)
_FREQUENCY = re.compile(rf"\b(?:per|a|each|every) ({_alternation(list(rules.FREQUENCY_SWAPS))})\b", re.I)
_LAB_UNIT = re.compile(rf"({NUMBER_RE.pattern})(\s?)({_alternation(list(rules.LAB_UNIT_SWAPS))})(?![\w/²]| ?Hg)")
_SCALE = re.compile(rf"(?:×|x|X)\s?({_alternation(list(rules.SCALE_SWAPS))})")
_MULTIPLIER = re.compile(
    rf"({NUMBER_RE.pattern}|\b(?:{'|'.join(rules.MULTIPLIER_WORDS)})\b)(\s*(?:times|×|x|X|-fold)\s*|\s+)"
    rf"({rules.REFERENCE})",
)
_PREDICTED = re.compile(rules.PREDICTED)
_VALUE_NAME_BEFORE = re.compile(r"(?:type|version|phase|step|part|cohort|group|arm|exon|RECIST|v)\s*$", re.I)
_NAMED_YEAR = re.compile(r"(?:19|20)\d\d(?= [A-Z])")


# --- values, units, comparators -------------------------------------------------------------------------


def _new_value(token: str, key: str, low: float | None, high: float | None) -> str | None:
    """A different number, written like the old one (digits stay digits, words stay words), that keeps a
    range in order: in "40 to 70" the 40 stays below 70 and the 70 above 40."""
    rng = rng_for(key)
    word = bool(WORD_NUMBER_RE.fullmatch(token))
    value = float(from_words(token)) if word else parse_number(token)
    if not word and 1900 <= value < 2100 and "." not in token:
        return str(int(value) + 1)
    options = [value + 1, value * 2, value / 2 if value >= 2 else value + 3, value - 1 if value >= 2 else value + 2]
    fits = [v for v in options if (low is None or v > low) and (high is None or v < high) and v != value]
    if not fits:
        return None
    new = rng.choice(fits)
    if word:
        return like_case(to_words(int(new)) if new < 100 and new == int(new) else format_like(new, "1"), token)
    text = format_like(new, token)
    return text if text != token else None


_RANGE_AFTER = re.compile(rf"\s*(?:to|-|–|and)\s*({NUMBER_RE.pattern})")
_RANGE_BEFORE = re.compile(rf"({NUMBER_RE.pattern})\s*(?:to|-|–|and)\s*$")


def _range_partners(text: str, start: int, end: int) -> tuple[float | None, float | None]:
    """The other end of a range the number opens or closes ("4 to 14"), as (low, high)."""
    after = _RANGE_AFTER.match(text, end)
    before = _RANGE_BEFORE.search(text[max(0, start - 24) : start])
    high = parse_number(after.group(1)) if after else None
    low = parse_number(before.group(1)) if before else None
    return low, high


def _change_value(context: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for pattern in (NUMBER_RE, WORD_NUMBER_RE):
        for statement, match in context.matches(pattern):
            before = context.text[max(0, match.start() - 12) : match.start()]
            if _VALUE_NAME_BEFORE.search(before) or _NAMED_YEAR.match(context.text, match.start()):
                continue
            low, high = _range_partners(context.text, match.start(), match.end())
            new = _new_value(match.group(), f"{context.tagged.name}:value:{match.start()}", low, high)
            if new and new != match.group():
                found.append(one_edit(context, statement, match.start(), match.end(), new, match.group()))
    return sorted(found, key=lambda c: c.edits[0].start)


def _change_unit(context: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for statement, match in context.matches(_TIME_UNIT):
        new = like_case(rules.TIME_UNIT_SWAPS[match.group(3).lower()], match.group(3))
        found.append(one_edit(context, statement, match.start(3), match.end(3), new, match.group(1)))
    for statement, match in context.matches(_FREQUENCY):
        new = like_case(rules.FREQUENCY_SWAPS[match.group(1).lower()], match.group(1))
        found.append(one_edit(context, statement, match.start(1), match.end(1), new, match.group(1)))
    for statement, match in context.matches(_LAB_UNIT):
        new = rules.LAB_UNIT_SWAPS[match.group(3)]
        if not new and _range_repeats_unit(context.text, match.start(1), match.end(3), match.group(3)):
            continue  # "5.7% and 6.4%" without one of its "%" still says percent: no change to find
        start = match.start(2) if not new else match.start(3)
        found.append(one_edit(context, statement, start, match.end(3), new, match.group(1)))
    for statement, match in context.matches(_SCALE):
        found.append(
            one_edit(context, statement, match.start(1), match.end(1), rules.SCALE_SWAPS[match.group(1)], "10")
        )
    return sorted(found, key=lambda c: c.edits[0].start)


_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|and)\s*[0-9][0-9.,]*\s*")
_RANGE_JOIN_BEFORE = re.compile(r"\s*(?:-|–|to|and)\s*$")


def _range_repeats_unit(text: str, start: int, end: int, unit: str) -> bool:
    """Does a range state the unit of the value at ``start``..``end`` on its other end too ("5.7% and 6.4%")?"""
    join = _RANGE_JOIN.match(text, end)
    if join is not None and text.startswith(unit, join.end()):
        return True
    before = _RANGE_JOIN_BEFORE.search(text, max(0, start - 8), start)
    return before is not None and text[: before.start()].endswith(unit)


def _swap_group(context: Context, pattern: re.Pattern[str], table: dict[str, str], group: int) -> list[Candidate]:
    found: list[Candidate] = []
    for statement, match in context.matches(pattern):
        old = match.group(group)
        new = like_case(table.get(old.lower(), table.get(old, old)), old)
        after = context.text[match.end(group) : match.end(group) + 40]
        found.append(one_edit(context, statement, match.start(group), match.end(group), new, number_in(after)))
    return found


def _move_boundary(context: Context) -> list[Candidate]:
    found = _swap_group(context, _BOUNDARY, rules.BOUNDARY_PREFIX, 1)
    found += _swap_group(context, _BOUNDARY_SYMBOL, rules.BOUNDARY_SYMBOLS, 1)
    for statement, match in context.matches(_TO_SUFFIX):
        cmp, quantity = match.group(1).lower(), match.group(3)
        suffix = "or older" if match.group(2) else rules.BOUNDARY_TO_SUFFIX[cmp]
        new = like_case(f"{quantity} {suffix}", match.group(1))
        found.append(one_edit(context, statement, match.start(), match.end(), new, number_in(quantity)))
    for statement, match in context.matches(_FROM_SUFFIX):
        quantity, cmp = match.group(1), match.group(2).lower()
        new = like_case(f"{rules.BOUNDARY_FROM_SUFFIX[cmp]} {quantity}", quantity)
        found.append(one_edit(context, statement, match.start(), match.end(), new, number_in(quantity)))
    return sorted(found, key=lambda c: c.edits[0].start)


def _flip_comparator(context: Context) -> list[Candidate]:
    found = _swap_group(context, _FLIP, rules.FLIP_PREFIX, 1)
    found += _swap_group(context, _FLIP_SYMBOL, rules.FLIP_SYMBOLS, 1)
    for statement, match in context.matches(_FLIP_SUFFIX):
        new = rules.FLIP_SUFFIX[match.group(2).lower()]
        found.append(one_edit(context, statement, match.start(2), match.end(2), new, number_in(match.group(1))))
    return sorted(found, key=lambda c: c.edits[0].start)


def _multiplier_value(token: str, key: str) -> str:
    if token.lower() in rules.MULTIPLIER_WORDS:
        n = rules.MULTIPLIER_WORDS[token.lower()]
        return like_case(f"{to_words(n + 1)} times" if token.lower() == "twice" else to_words(n + 1), token)
    value = parse_number(token)
    if "." in token and value != int(value):
        return str(int(value))
    return format_like(rng_for(key).choice([value + 1, value + 2, value - 1 if value > 1 else value + 3]), token)


def _change_multiplier(context: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for statement, match in context.matches(_MULTIPLIER):
        token, times = match.group(1), match.group(2)
        if token.lower() != "twice" and not times.strip():
            continue
        new = _multiplier_value(token, f"{context.tagged.name}:multiplier:{match.start()}")
        low, _ = _range_partners(context.text, match.start(), match.end(1))
        if low is not None and not token.isalpha() and parse_number(new) <= low:
            new = format_like(parse_number(token) + 1, token)  # "1.0 to 1.5 times" keeps its order
        end = match.end(2) if token.lower() == "twice" else match.end(1)
        if token.lower() == "twice":
            new += " "
        found.append(one_edit(context, statement, match.start(1), end, new, token))
    return found


def _drop_reference(context: Context) -> list[Candidate]:
    found: list[Candidate] = []
    for statement, match in context.matches(_MULTIPLIER):
        token, times = match.group(1), match.group(2)
        if token.lower() != "twice" and not times.strip():
            continue
        line_start = context.tagged.lines[statement.line].start
        if paren_depth(context.text, match.start(), line_start):
            continue  # "no higher than the ULN (1 × ULN)": the words outside still say it
        number = str(rules.MULTIPLIER_WORDS[token.lower()]) if token.lower() in rules.MULTIPLIER_WORDS else token
        window = context.text[max(statement.start, match.start() - 80) : match.start()]
        unit = "U/L" if re.search(rules.ENZYME_WORDS, window, re.I) else "mg/dL"
        found.append(one_edit(context, statement, match.start(), match.end(), f"{number} {unit}", token))
    for statement, match in context.matches(_PREDICTED):
        before = context.text[max(statement.start, match.start() - 12) : match.start()]
        found.append(one_edit(context, statement, match.start(), match.end(), "", number_in(before)))
    return sorted(found, key=lambda c: c.edits[0].start)


GENERATORS: dict[str, Callable[[Context], list[Candidate]]] = {
    "delete_criterion": structural.delete_criterion,
    "delete_item": structural.delete_item,
    "change_value": _change_value,
    "change_unit": _change_unit,
    "move_boundary": _move_boundary,
    "flip_comparator": _flip_comparator,
    "change_multiplier": _change_multiplier,
    "drop_reference": _drop_reference,
    "move_section": structural.move_section,
    "add_threshold": structural.add_threshold,
    "add_exclusion": structural.add_exclusion,
}
