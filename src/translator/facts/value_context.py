"""What a value expression reads around its number: the comparator or class word before it (matched on reversed
text, one anchored match per number), and after it its scale, unit and reference, and a bracket that restates it.
The grammar that joins them into expressions is ``translator.facts.values``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from translator.facts.frozen import quick_init
from translator.facts.lexicon import Lexicon
from translator.facts.numbers import LOST_POWER_TAIL, Number, is_stage_number
from translator.facts.rule_files import Op, UnitRule
from translator.facts.types import Interval

_SCIENTIFIC = re.compile(
    r"(?:[ \t]*[x×*][ \t]*10(?:\^[ \t]*|e)?|[ \t]+10(?:\^[ \t]*)?(?=" + LOST_POWER_TAIL + r"))"
    r"(?P<exp>\d{1,2})(?![0-9])"
)
"""A power of ten after a number: "× 10^9", "x109" (the superscript lost), and with the × lost too, only before
"/L" or "/kg" ("> 1.5 109/l")."""
_POWER = re.compile(r"\^(?P<exp>\d{1,2})(?![0-9])")
CLASS_WORD_REACH = 72
_ARTICLE_REV = re.compile(r"[ \t]+(?:n?a|rof)[ \t]+")
"""An article or "for" between a comparator and its number, reversed: "at least a 1-year history", "at least
for 3 years"."""
_MIN_MAX_OF_REV = re.compile(
    r"[ \t]*(?:fo[ \t]+(?:[a-z]+[ \t]+){1,5}?"
    r"|(?:(?!(?:nihtiw|ni|rof|ot|ta|no|yb|morf|retfa|erofeb|eht|a|na)[ \t])[a-z]+[ \t]+){1,2})"
    r"(?P<w>muminim|mumixam|laminim|lamixam|\.nim|\.xam)(?![a-z])"
)
"""Reversed "minimum weight of", "a maximum dose to the spinal cord of", "maximum tumor size", "minimal diameter": a
limit named before its measure (without "of", no preposition between: "maximal TURBT within 90 days" is a kind of
resection, "maximum to 30 December" a date)."""
_SCORE_OF_REV = re.compile(r"[ \t]*fo[ \t]+(?:erocs|eulav|level|latot)(?:[ \t]+(?:a|eht))?(?![a-z])")
"""Reversed "(a) score of", "value of", "level of", "total of" between a comparator and its number: "less than
(a) score of 6" is below 6."""
_NORMAL_OF_REV = re.compile(r"[ \t]*fo[ \t]+(?:eulav[ \t]+)?lamron[ \t]+(?:eht[ \t]+)?")
"""Reversed "the normal value of": "≤ the normal value of 1.5 times the ULN" limits the 1.5 × ULN."""
_AGE_OF_REV = re.compile(r"[ \t]*(?:fo[ \t]+)?s?ega[ \t]+(?:eht[ \t]+)?")
"""Reversed "the age of": "over the age of 18", "under the age of 16"."""
_MULTIPLIER_WORD = re.compile(r"[x×*]|times|folds?")
_CMP_SYMBOL = re.compile(r"[≥≤<>=]")
_LOOK_BACK_WORD = re.compile(r"[ \t]+(?:previous|prior|past|last|preceding)(?=[ \t])")
"""Between a number and its time unit: "within the 6 previous months", "in the 3 last months"."""
_BRACKET_VALUE = re.compile(r"[ \t]*\((?P<inner>[^()]{1,48})\)")
_LETTERS = re.compile(r"[a-zµ]+")


def _op_of(interval: Interval) -> Op | None:
    """The comparator of a one-sided interval ("≥ 7.0"), None for a range or a point."""
    if interval.low is not None and interval.high is None:
        return "≥" if interval.low_inclusive else ">"
    if interval.high is not None and interval.low is None:
        return "≤" if interval.high_inclusive else "<"
    return None


@quick_init
@dataclass(frozen=True)
class ValueExpr:
    start: int
    end: int
    number: Number
    interval: Interval
    """In the stated unit, with any ×10^E scale already applied."""
    unit: UnitRule | None
    scale_exponent: int = 0
    reference: str | None = None
    has_comparator: bool = False
    implies_age: bool = False
    class_value: bool = False
    is_range: bool = False
    entity_words: str | None = None
    """The measured thing named between two comparators ("18 ≤ age < 65")."""
    relative: bool = False
    """A multiple with no reference of its own ("or up to 5 times if ..."): relative to the reference before it."""
    restates: bool = False
    """The bracketed restatement of the limit before it in a unit of another dimension ("(126 mg/dL)")."""
    members: tuple[float, ...] | None = None
    """The members of a listed set of scores with a gap ("0, 4 or 5"), which the interval spans."""


@dataclass
class Side:
    """One end of an expression as read so far: its number, where it ends, and the scale and unit after it."""

    value: float
    number: Number
    end: int
    unit: UnitRule | None = None
    exponent: int = 0
    plus: bool = False
    """A "+" stood between the number and its unit ("3+ months"): at least the number."""


class ValueContext:
    """The text and the numbers an expression parser reads, and readers of what stands around a number."""

    def __init__(self, low: str, original: str, numbers: list[Number], lex: Lexicon) -> None:
        self.low = low
        self.original = original
        self.numbers = numbers
        self.lex = lex
        self.by_start = {n.start: n for n in numbers}
        self._restating: list[tuple[int, int]] = []
        """Brackets that restate a limit in a unit of another dimension: their values are limits that restate."""

    # -- a bracket that restates the value --------------------------------------------------------------
    def _restated(self, expr: ValueExpr) -> tuple[ValueExpr, ValueExpr | None]:
        """A value restated in brackets ("nine grams per deciliter (9 g/dL)", "0.3 mg/dL (26.5 µmol/L) or more")
        is the same limit: the bracket joins the expression, and a comparator after it applies to it. Restated in
        a unit of another dimension, which no table converts, the bracket is also a limit of its own that
        restates (a translation may leave it out, but what it gives must be right): for a range it is read as
        the bracket's own range, for one value it is returned with the limit's comparator."""
        match = _BRACKET_VALUE.match(self.low, expr.end)
        if match is None or not self._only_value_words(match.group("inner")):
            return expr, None
        other = self._other_dimension(expr, match)
        if other and expr.is_range:
            self._restating.append(match.span())
            return expr, None
        end = match.end()
        if not (expr.is_range or expr.has_comparator) and (post := self.lex.post_comparator.match(self.low, end)):
            op = self.lex.op_of_post(post.group("cmp"))
            value = expr.number.value * 10**expr.scale_exponent
            expr = replace(expr, end=post.end(), interval=Interval.from_op(op, value), has_comparator=True)
        else:
            expr = replace(expr, end=end)
        return expr, (self._restatement(expr, match) if other and expr.has_comparator else None)

    def _restatement(self, expr: ValueExpr, match: re.Match[str]) -> ValueExpr | None:
        """The bracket's value as a limit with the comparator of ``expr`` ("≥ 7.0 mmol/L (126 mg/dL)": ≥ 126)."""
        inner = next((n for n in self.numbers if match.start("inner") <= n.start < match.end("inner")), None)
        if inner is None or inner.kind != "digits":
            return None
        side = self._side(inner)
        if side.unit is None or side.end > match.end("inner"):
            return None
        op = _op_of(expr.interval)
        if op is None:
            return None
        value = side.value * 10**side.exponent
        return ValueExpr(
            inner.start,
            side.end,
            inner,
            Interval.from_op(op, value),
            side.unit,
            side.exponent,
            has_comparator=True,
            restates=True,
        )

    def _other_dimension(self, expr: ValueExpr, match: re.Match[str]) -> bool:
        """ "7.0-10.0 percent (53-86 millimoles per mole)", "7.0 mmol/L (126 mg/dl)": restated in a unit of
        another dimension."""
        found = self.lex.unit_re.search(match.group("inner"))
        if expr.unit is None or found is None:
            return False
        return self.lex.unit(found.group("unit")).dimension != expr.unit.dimension

    def _only_unit_words(self, inner: str) -> bool:
        return not any(ch.isdigit() for ch in inner.replace("^2", "").replace("1.73", "")) and all(
            w in self.lex.value_words for w in _LETTERS.findall(inner)
        )

    def _only_value_words(self, inner: str) -> bool:
        return any(ch.isdigit() for ch in inner) and all(w in self.lex.value_words for w in _LETTERS.findall(inner))

    # -- left context ---------------------------------------------------------------------------------
    def _reversed_left(self, position: int, width: int = 48) -> str:
        return self.low[max(0, position - width) : position][::-1]

    def _pre_comparator(self, position: int) -> tuple[Op, int, bool] | None:
        rev = self._reversed_left(position)
        match = self.lex.pre_comparator_rev.match(rev)
        if not match:
            if restating := _NORMAL_OF_REV.match(rev) or _AGE_OF_REV.match(rev):
                return self._pre_comparator(position - restating.end())  # "over the age of 18"
            if (filler := _SCORE_OF_REV.match(rev)) and self.lex.pre_comparator_rev.match(rev, filler.end()):
                return self._pre_comparator(position - filler.end())  # "BSFS less than score of 6"
            if look_back := self.lex.length_look_back_rev.match(rev):
                return self._pre_comparator(position - look_back.end())  # "longer than the prior 6 months"
            if (article := _ARTICLE_REV.match(rev)) and self.lex.pre_comparator_rev.match(rev, article.end()):
                return self._pre_comparator(position - article.end())  # "at least a 1-year history"
            named = _MIN_MAX_OF_REV.match(rev)  # "a minimum weight of 50", "maximum age of 65", "minimal diameter 3 cm"
            if named is None:
                return None
            op: Op = "≥" if named.group("w") in ("muminim", "laminim", ".nim") else "≤"
            return op, position - named.end(), False
        phrase = match.group("cmp")[::-1]
        op = self.lex.op_of_pre(phrase)
        return op, position - match.end(), any(w in phrase for w in ("older", "younger"))

    def _class_word(self, position: int) -> tuple[Op | None, int] | None:
        """A class word just before the number ("grade 3", "class ≥ II", "≥ Grade 2", "> Common Terminology Criteria
        for Adverse Events (CTCAE) grade 1": the width fits the longest class word)."""
        rev = self._reversed_left(position, CLASS_WORD_REACH)
        match = self.lex.class_words_rev.match(rev)
        if not match:
            return None
        start = position - match.end()
        before = self._pre_comparator(start)
        inner = _CMP_SYMBOL.search(self.low, start, position)
        op: Op | None = inner.group() if inner else (before[0] if before else None)  # type: ignore[assignment]
        return op, (before[1] if before else start)

    # -- right context --------------------------------------------------------------------------------
    def _side(self, number: Number) -> Side:
        side = Side(number.value, number, number.end)
        if scientific := _SCIENTIFIC.match(self.low, side.end):
            side.exponent = int(scientific.group("exp"))
            side.end = scientific.end()
        elif number.value == 10 and (power := _POWER.match(self.low, side.end)):
            side.exponent = int(power.group("exp")) - 1  # "≥ 10^3 copies/mL" is 1000
            side.end = power.end()
        if (
            self.original[number.end : number.end + 1] == "M"
            and not self.original[number.end + 1 : number.end + 2].isalpha()
        ):
            side.unit = self.lex.unit_by_id["months"]
            side.end = number.end + 1
        elif (unit := self._unit_at(side)) and (rule := self._unit_read(unit)) is not None:
            side.unit = self._per_period(rule, unit.end())
            side.plus = self.low.startswith("+", side.end)
            side.end = unit.end()
            if (spelled := _BRACKET_VALUE.match(self.low, side.end)) and self._only_unit_words(spelled.group("inner")):
                side.end = spelled.end()  # "23.0 kilogram per meter square (kg/m^2) and 39.9"
        elif (later := self._time_unit_after_look_back(side.end)) is not None:
            side.unit, side.end = later  # "within the 6 previous months": 6 months back
        return side

    def _unit_at(self, side: Side) -> re.Match[str] | None:
        """The unit right after the number, or after a "+" that follows it ("3+ mo", "18+ years")."""
        position = side.end + 1 if self.low.startswith("+", side.end) else side.end
        return self.lex.unit_re.match(self.low, position)

    def _unit_read(self, unit: re.Match[str]) -> UnitRule | None:
        """The unit an alias is read as: in capitals in mixed-case text, the one units.json ``in_capitals`` gives
        (none for "≥2 MS relapses", diopters for "≥1.00D of cylinder")."""
        alias = unit.group("unit")
        if alias in self.lex.units.in_capitals:
            written = self.original[unit.start("unit") : unit.end("unit")]
            if written.isupper() and not self.original.isupper():
                instead = self.lex.units.in_capitals[alias]
                return None if instead is None else self.lex.unit_by_id[instead]
        return self.lex.unit(alias)

    def _per_period(self, unit: UnitRule, position: int) -> UnitRule:
        """A dose unit whose period comes after what the dose is of: "5 mg of prednisone (or equivalent) daily" is
        5 mg/day. The value still ends at its unit, for what follows it names the measure."""
        if (said := self.lex.rate_after_name_re.match(self.low, position)) is None:
            return unit
        period = self.lex.units.rate_after_name[" ".join(said.group("rate").split())]
        return self.lex.unit_by_id.get(f"{unit.id}/{period}", unit)

    def _time_unit_after_look_back(self, position: int) -> tuple[UnitRule, int] | None:
        back = _LOOK_BACK_WORD.match(self.low, position)
        found = self.lex.unit_re.match(self.low, back.end()) if back else None
        if found is None:
            return None
        unit = self.lex.unit(found.group("unit"))
        return (unit, found.end()) if unit.window else None

    def _reference(self, position: int, unit: UnitRule | None, *, multiple: bool = False) -> tuple[str, int] | None:
        """The reference a value is a multiple of: "3 × ULN", "≥ 50% of predicted"; ``multiple``: the number is
        one by itself ("half of baseline", "half the lower limit of normal")."""
        match = self.lex.reference_re.match(self.low, position)
        if not match:
            return None
        phrase = " ".join(match.group("ref").split())
        reference = self.lex.reference_by_phrase[phrase]
        lead = self.low[position : match.start("ref")]
        if reference in ("predicted", "baseline"):
            relative = multiple or (unit is not None and unit.id == "%") or _MULTIPLIER_WORD.search(lead)
            return (reference, match.end()) if relative else None  # "≥ 50% of predicted", "1.5 times baseline"
        if phrase in self.lex.direct_references or multiple or _MULTIPLIER_WORD.search(lead):
            return reference, match.end()
        return None

    def _fraction_word(self, number: Number) -> bool:
        """ "half", "a third": a number word that is a multiple of what follows it."""
        return (
            number.kind == "word"
            and " ".join(self.low[number.start : number.end].split()) in self.lex.numbers.fractions
        )

    def _staged(self, number: Number) -> bool:
        return is_stage_number(self.low, number, self.lex)

    def _reference_after_word(self, position: int) -> tuple[str, int] | None:
        match = self.lex.reference_re.match(self.low, position)
        if not match:
            return None
        return self.lex.reference_by_phrase[" ".join(match.group("ref").split())], match.end()


def scale_range_spans(low: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where a rating scale's range is written ("0-10" of "pain > 5 (0-10 scale)"; ``numbers.json scale_ranges``)."""
    if lex.scale_range is None:
        return []
    return [(m.start(), m.end()) for m in lex.scale_range.finditer(low)]


def states_a_scale(expr: ValueExpr, scales: list[tuple[int, int]]) -> bool:
    """Does the expression start inside a scale's range (so no comparator stands before it): is it what the scale
    runs from and to, not a limit on it?"""
    return any(start <= expr.start < end for start, end in scales)


_BARE_LIMIT_ENDS = re.compile(r"[ \t]*(?:$|[,;.:)\n]|(?:or|and)(?![a-z]))")
_JOINED_LIMITS = re.compile(r"[ \t]*,?[ \t]*(?:and/or|or|and)[ \t]+")
"""All that stands between two limits that share the unit written once: "below 45 or above 100 beats per minute"."""


def share_units(low: str, found: list[ValueExpr]) -> list[ValueExpr]:
    """Two limits joined by "or" / "and", each with its own comparator, where only one writes the unit ("a resting
    heart rate below 45 or above 100 beats per minute", "< 45 bpm or > 100"): the unit is both limits'."""
    shared = list(found)
    for index in range(len(shared) - 1):
        first, second = shared[index], shared[index + 1]
        if not (first.has_comparator and second.has_comparator) or (first.unit is None) == (second.unit is None):
            continue
        if first.reference or second.reference or first.class_value or second.class_value:
            continue
        if first.is_range or second.is_range or any(e.unit is not None and e.unit.window for e in (first, second)):
            continue  # a time amount is an age or a window, read from its own words ("at least 18 and under 65 years")
        joiner = _JOINED_LIMITS.match(low, first.end)
        if joiner is None or joiner.end() != second.start:
            continue
        if any(_MIN_MAX_OF_REV.match(low[e.start : e.number.start][::-1]) for e in (first, second)):
            continue  # "MLD ≤ 20 and maximum cord dose 50 Gy": the second names a measure of its own
        bare, written = (index, second) if first.unit is None else (index + 1, first)
        if shared[bare].scale_exponent or shared[bare].start == shared[bare].number.start:
            continue  # the bare limit's comparator stands before it ("above 100"), not after ("2 or more")
        if not _BARE_LIMIT_ENDS.match(low, shared[bare].end):
            continue  # "> 5000 pg/ml or more than 15 oocytes": the bare number counts something of its own
        shared[bare] = replace(
            shared[bare],
            unit=written.unit,
            scale_exponent=written.scale_exponent,
            interval=shared[bare].interval.scaled(10**written.scale_exponent),
        )  # "< 50 or > 600 × 10^9/L": both are × 10^9/L
    return shared
