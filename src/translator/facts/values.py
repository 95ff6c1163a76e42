"""Value expressions: a number with its comparator, unit, scale, reference and range partner.

The grammar is phrase-level and anchored on numbers (found by ``numbers.scan_numbers``):

    [between|from] [CMP] NUM [×10^E] [UNIT] [(-|to|~|and|or|,) [CMP] NUM [×10^E] [UNIT]]
                                           [× REF] [POST-CMP] [(inclusive)|(exclusive)]
    NUM CMP words CMP NUM                   ("18 ≤ age < 65")
    [CMP] class-word [CMP] ROMAN/NUM ...    ("NYHA class III/IV", "≥ Grade 2", "grade 3 or higher")

Left context is matched on reversed text (one anchored match per number), right context by anchored
matches after the number, so the cost is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from operator import attrgetter

from translator.facts.numbers import Number
from translator.facts.patterns import WITHIN_REV
from translator.facts.rule_files import Op, UnitRule
from translator.facts.types import Interval
from translator.facts.value_context import Side, ValueContext, ValueExpr, share_units

_RESTATED_BOUNDS = re.compile(r"\([ \t]*(?:both[ \t]+)?(?:inclusive|exclusive)[ \t]+of[^()]{0,40}\)")
_COUNT_OR_LESS = re.compile(r"(?:[ \t]+[a-z][a-z-]*){1,3}[ \t]+or[ \t]+(?:less|fewer|more|greater)(?![a-z])")
_BARE_TIMES = re.compile(r"[ \t]*(?:times|[x×]|-?folds?)(?![a-z0-9])(?![ \t]*(?:10|\d))")
_RANGE_SEP = re.compile(
    r"[ \t]*(?P<sep>-|~|up[ \t]+to|to|through|and|or|/|,)[ \t]*"
    r"(?:(?P<cmp>[≥≤<>=])[ \t]*|(?P<below>less[ \t]+than|under|below|younger[ \t]+than|but[ \t]+not[ \t]+including"
    r"|but[ \t]+excluding)[ \t]+)?"
)
"""Between a range's ends, with a comparator before the second: "18 - ≤ 65", "5 years to less than 12 years",
"from 18.5 up to but not including 25.0"."""
_LIST_OR = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:or|and)(?![a-z])[ \t]*)?|(?:or|and)(?![a-z])[ \t]*)")
"""Between the members of a list after its first two: "0, 1, 2 or 3", "grades 1, 2, and 3"."""
_NEXT_NUMBER = re.compile(r"[ \t]*(?:than[ \t]*)?")
_ABOVE_THE_REFERENCE = re.compile(r"(?:higher|greater|more)[ \t]+than|above")
"""A comparator between a multiple and its reference ("3 times above the ULN"; ``lexicon.reference_re``)."""
_AGE_WORDS = re.compile(r"(?:[ \t]+(?:of[ \t]+age|old))?")
"""Skipped before a comparator after the number: "18 years of age or older"."""
"""Reversed "within" right before a time amount."""
_OF_NUMBER = re.compile(r"[ \t]+of[ \t]+(?=[0-9])")
_BETWEEN_REV = re.compile(r"[ \t]*(?:(?:fo[ \t]+)?(?:sega|ega)[ \t]+eht[ \t]+)?(?P<w>neewteb|morf)(?![a-z])")
_MIXED = re.compile(r"[ \t]*(?P<c1>[≤<])[ \t]*(?P<words>[a-z][a-z0-9 ]{0,30}?)[ \t]*(?P<c2>[≤<])[ \t]*")
_INCLUSIVE = re.compile(
    r"[ \t]*,?[ \t]*\(?[ \t]*(?:both[ \t]+)?(?:inclusive|including[ \t]+(?:the[ \t]+)?thresholds?|"
    r"inclusive[ \t]+of[ \t]+both|limits[ \t]+included)[ \t]*\)?"
)
_EXCLUSIVE = re.compile(r"[ \t]*,?[ \t]*\(?[ \t]*(?:both[ \t]+)?(?:exclusive|not[ \t]+inclusive)[ \t]*\)?")
_AGO = re.compile(r"[ \t]+ago(?=[ \t]+or[ \t])")
"""Skipped before a comparator after a time amount: "3 months ago or more" is at least 3 months ago."""
_TOLERANCE = re.compile(r"[ \t]*\(?[ \t]*(?:±|\+/-|\+-)[ \t]*\d+(?:\.\d+)?")
"""The tolerance after a value ("the 24 h ± 4 h follow-up", "5 +/- 2 mg") is part of it, no value of its own."""
_REFERENCE_TAIL = re.compile(r"(?:[ \t]*\([^()]{1,30}\))?[ \t]+(?:levels?|values?)(?![a-z])|[ \t]*\([^()]{1,30}\)")
"""Between a reference and the comparator after it: "1.5 times the baseline (usual) level or more"."""
_LIST_COLON = re.compile(r":(?<![0-9]:)(?![0-9])")
_LIST_LEAD_REV = re.compile(r"[ \t]*(?:[a-z]+[ \t]+){0,2}?(?:eseht|gniwollof[ \t]+eht|siht)(?![a-z])")
_ACUITY_ASIDE = re.compile(r"[ \t]*\([^()]{1,30}\)")
"""A bracket between an acuity and its comparator, restating it on another scale: "20/30 (0.18 logMAR) or better"."""
_SENTENCE_STOP = re.compile(r"\.(?=\s|$)|\n")


_start = attrgetter("start")


class ExpressionParser(ValueContext):
    def parse(self) -> list[ValueExpr]:
        found: list[ValueExpr] = []
        consumed = -1
        restating = [m.span() for m in _RESTATED_BOUNDS.finditer(self.low)]
        for number in sorted([*self.numbers, *self._bare_references()], key=_start):
            if number.start < consumed or any(s <= number.start < e for s, e in restating):
                continue  # "(inclusive of 18 and 75 years)" restates the bounds before it
            expr = self._bare_reference(number) if number.kind == "reference" else self._expression(number)
            if expr is not None and self._aside_word(expr):
                continue  # "ALT and AST (two liver enzymes)": a number word in an aside describes, it limits nothing
            if expr is not None:
                if any(s <= expr.start < e for s, e in self._restating):
                    expr = replace(expr, restates=True)
                expr, restatement = self._restated(expr)
                found.append(expr)
                if restatement is not None:
                    found.append(restatement)
                tolerance = _TOLERANCE.match(self.low, expr.end)
                consumed = max(expr.end, number.end, tolerance.end() if tolerance else 0)
        return share_units(self.low, self._distributed(found))

    def _distributed(self, found: list[ValueExpr]) -> list[ValueExpr]:
        """ "at no more than these doses: hydroxychloroquine 400 mg a day, chloroquine 500 mg a day": a
        comparator before a list applies to each bare value of the list, up to the end of the sentence."""
        for colon in _LIST_COLON.finditer(self.low):
            lead = _LIST_LEAD_REV.match(self.low[max(0, colon.start() - 40) : colon.start()][::-1])
            if lead is None:
                continue
            pre = self._pre_comparator(colon.start() - lead.end())
            if pre is None:
                continue
            stop = _SENTENCE_STOP.search(self.low, colon.end())
            end = stop.start() if stop else len(self.low)
            for index, expr in enumerate(found):
                if colon.end() <= expr.start < end and not expr.has_comparator and not expr.is_range:
                    value = expr.number.value * 10**expr.scale_exponent
                    found[index] = replace(expr, interval=Interval.from_op(pre[0], value), has_comparator=True)
        return found

    def _aside_word(self, expr: ValueExpr) -> bool:
        if expr.number.kind != "word" or expr.has_comparator or expr.unit is not None or expr.reference:
            return False
        before = self.low.rfind("(", 0, expr.start)
        if _COUNT_OR_LESS.match(self.low, expr.end):
            return False  # "(five metastatic lesions or less ...)" states a limit
        return before >= 0 and self.low.find(")", before, expr.start) < 0 and expr.start - before < 4

    def _bare_references(self) -> list[Number]:
        """ "ALT ≤ ULN", "above the upper limit of normal": a limit of 1 × the reference, with no number."""
        found: list[Number] = []
        for match in self.lex.bare_reference_re.finditer(self.low):
            if self._pre_comparator(match.start()) is not None and not _OF_NUMBER.match(self.low, match.end()):
                found.append(Number(match.start(), match.end(), 1.0, "reference"))
        return found

    def _bare_reference(self, number: Number) -> ValueExpr | None:
        pre = self._pre_comparator(number.start)
        if pre is None:
            return None
        op, start, _ = pre
        phrase = " ".join(self.low[number.start : number.end].split())
        phrase = phrase.removeprefix("the ")
        reference = self.lex.reference_by_phrase.get(phrase, "uln")
        if phrase in self.lex.range_references and op in ("<", "≤"):
            reference = "lln"  # "below the normal range" is below its lower end
        return ValueExpr(start, number.end, number, Interval.from_op(op, 1.0), None, 0, reference, True)

    def _partner(self, first: Side, between: bool, class_value: bool) -> tuple[Side, str, Op | None] | None:
        sep = _RANGE_SEP.match(self.low, first.end)
        if not sep:
            return None
        word = " ".join(sep.group("sep").split())
        if word == "and" and not (between or class_value):
            return None  # "grades 4 and 5", "class III and IV": a set of grades, unlike "≥ 18 and ≤ 65"
        if word in ("or", ",") and (first.unit is not None or first.exponent or sep.group("cmp")):
            return None  # "< 7 or > 10%": two limits, each with its comparator (outside the two), no range
        if word == "/" and not class_value:
            return None
        nxt = self.by_start.get(sep.end())
        if nxt is None or nxt.kind in ("titer", "pair", "multiplier"):
            return None
        cmp2: Op | None = sep.group("cmp")  # type: ignore[assignment]
        if sep.group("below"):
            if word not in ("to", "up to", "-", "through"):
                return None
            cmp2 = "<"  # "5 years to less than 12 years": the upper end is excluded
        second = self._side(nxt)
        if first.unit is not None and second.unit is not None and first.unit.dimension != second.unit.dimension:
            return None  # "2h-75gm OGTT": 75 g after 2 hours, no range
        return second, word, cmp2

    # -- the expression -------------------------------------------------------------------------------
    def _expression(self, number: Number) -> ValueExpr | None:
        if number.kind == "multiplier":
            return self._multiplier(number)
        if number.kind == "pair":
            return self._pair(number)
        if number.kind == "snellen":
            return self._acuity(number)
        mixed = self._mixed(number)
        if mixed is not None:
            return mixed
        start = number.start
        op: Op | None = None
        implies_age = False
        class_value = number.kind == "roman" or self._staged(number)
        if (klass := self._class_word(number.start)) is not None:
            class_value = True
            op, start = klass
        elif (pre := self._pre_comparator(number.start)) is not None:
            op, start, implies_age = pre
        between = bool(_BETWEEN_REV.match(self._reversed_left(start)))
        first = self._side(number)
        if number.kind == "titer":
            end = first.end
            if op is None and (post := self.lex.post_comparator.match(self.low, end)):
                op, end = self.lex.op_of_post(post.group("cmp")), post.end()  # "1:80 or higher"
            return self._simple(number, start, end, op, None, 0, None, implies_age, class_value, titer=True)
        partner = self._partner(first, between, class_value)
        if partner is not None:
            return self._range(number, start, first, partner, op, class_value)
        end = first.end
        reference = self._reference(end, first.unit, multiple=self._fraction_word(number))
        relative = False
        if reference is not None:
            if op is None and _ABOVE_THE_REFERENCE.search(self.low, first.end, reference[1]):
                op = ">"  # "2 times higher than the upper limit of normal" is > 2 × ULN
            end = reference[1]
        elif first.unit is None and (times := _BARE_TIMES.match(self.low, end)):
            end, relative = times.end(), True
        after = (
            (_REFERENCE_TAIL.match(self.low, end) if reference else None)
            or (_AGO.match(self.low, end) if first.unit is not None and first.unit.window else None)
            or _AGE_WORDS.match(self.low, end)
        )
        post_op, end, post_age = self._post_comparator(after.end() if after else end, end, op)
        if op is None:  # "18 or older"; "3+ months" (a "+" before the unit)
            op, implies_age = post_op or ("≥" if first.plus else None), implies_age or post_age
        simple = self._simple(
            number,
            start,
            end,
            op,
            first.unit,
            first.exponent,
            reference[0] if reference else None,
            implies_age,
            class_value,
        )
        if op is None and first.unit is not None and first.unit.window and WITHIN_REV.match(self._reversed_left(start)):
            # "disease duration within 6 years": at most 6 years, for a duration limit as for a time window
            simple = replace(simple, interval=Interval(None, True, simple.interval.high, True))
        return replace(simple, relative=True) if relative else simple

    def _post_comparator(self, position: int, end: int, op: Op | None) -> tuple[Op | None, int, bool]:
        """A comparator after the value ("18 or older"): its op, where the value ends, whether it says an age.
        Not one that opens the next limit ("below 45 or above 100": "or above" is the 100's)."""
        post = self.lex.post_comparator.match(self.low, position)
        if post is None or (op is not None and self._number_at(post.end())):
            return None, end, False
        words = post.group("cmp")
        return self.lex.op_of_post(words), post.end(), any(w in words for w in ("older", "younger"))

    def _number_at(self, position: int) -> bool:
        """Does a number start at ``position``, after any spaces and a "than" ("greater than 35 or less than 20":
        the "or less" opens the next limit)?"""
        return _NEXT_NUMBER.match(self.low, position).end() in self.by_start  # type: ignore[union-attr]

    def _acuity(self, number: Number) -> ValueExpr:
        """A Snellen acuity: "< 20/200", "at least 20/200 or better", "worse than 20/70", "20/50 to 20/320" (a range
        of acuities, whichever end is written first)."""
        start, end = number.start, number.end
        op: Op | None = None
        if (pre := self._pre_comparator(start)) is not None:
            op, start, _ = pre
        elif (acuity_pre := self.lex.acuity_pre_rev.match(self._reversed_left(start))) is not None:
            op, start = self.lex.op_of_acuity(acuity_pre.group("cmp")[::-1]), start - acuity_pre.end()
        unit = self.lex.unit_by_id.get("snellen")
        sep = _RANGE_SEP.match(self.low, end)
        other = self.by_start.get(sep.end()) if sep is not None and sep.group("sep") in ("-", "to") else None
        if op is None and other is not None and other.kind == "snellen":
            low, high = sorted((number.value, other.value))
            interval = Interval(low, True, high, True)
            return ValueExpr(start, other.end, number, interval, unit, 0, None, True, is_range=True)
        named = self.lex.unit_re.match(self.low, end)
        if named is not None and self.lex.unit(named.group("unit")) is unit:
            end = named.end()  # "20/40 Snellen equivalent"
        aside = _ACUITY_ASIDE.match(self.low, end)  # "20/30 (0.18 logMAR) or better"
        post = self.lex.acuity_post.match(self.low, aside.end() if aside else end)
        if post is not None:
            op, end = op or self.lex.op_of_acuity(post.group("cmp")), post.end()
        interval = Interval.from_op(op or "=", number.value)
        return ValueExpr(start, end, number, interval, unit, 0, None, op is not None)

    def _simple(
        self,
        number: Number,
        start: int,
        end: int,
        op: Op | None,
        unit: UnitRule | None,
        exponent: int,
        reference: str | None,
        implies_age: bool,
        class_value: bool,
        titer: bool = False,
    ) -> ValueExpr:
        value = number.value * (10**exponent)
        interval = Interval.from_op(op or "=", value)
        if titer:
            unit = self.lex.unit_by_id.get("titer")
        return ValueExpr(
            start, end, number, interval, unit, exponent, reference, op is not None, implies_age, class_value
        )

    def _range(
        self,
        number: Number,
        start: int,
        first: Side,
        partner: tuple[Side, str, Op | None],
        op: Op | None,
        class_value: bool,
    ) -> ValueExpr:
        second, word, cmp2 = partner
        values = [first.value * 10**first.exponent, second.value * 10 ** (second.exponent or first.exponent)]
        if first.unit is not None and second.unit is not None and first.unit.id != second.unit.id:
            values[0] *= first.unit.factor / second.unit.factor  # "between 6 months and 5 years": 0.5 to 5 years
        end = second.end
        listed = [first.number, second.number]
        if word in ("or", ","):
            while (more := _LIST_OR.match(self.low, end)) and (nxt := self.by_start.get(more.end())) is not None:
                values.append(nxt.value)
                listed.append(nxt)
                end = nxt.end
        unit = second.unit or first.unit
        members = self._gapped_set(listed, end) if word in ("or", ",") and unit is None else None
        low_inclusive = op not in (">", "<")
        high_inclusive = cmp2 not in ("<", ">")
        if _EXCLUSIVE.match(self.low, end):
            low_inclusive = high_inclusive = False
            end = _EXCLUSIVE.match(self.low, end).end()  # type: ignore[union-attr]
        elif inclusive := _INCLUSIVE.match(self.low, end):
            end = inclusive.end()
        interval = Interval(min(values), low_inclusive, max(values), high_inclusive)
        reference = self._reference(end, unit)
        if reference is not None:
            end = reference[1]
        return ValueExpr(
            start,
            end,
            number,
            interval,
            unit,
            first.exponent,
            reference[0] if reference else None,
            True,
            False,
            class_value,
            True,
            members=members,
        )

    def _gapped_set(self, listed: list[Number], end: int) -> tuple[float, ...] | None:
        """The members of a set of scores listed with "or" that is not the whole run between its ends ("0, 2 or
        3", "BIRADS 0, 4 or 5"); None when it is ("0, 1 or 2" is 0 to 2). Only bare whole numbers are scores:
        "1000 or 1250 mg/m2" are doses, "IIIA or IIIB" sub-stages."""
        before_last = self.low[max(0, listed[-1].start - 8) : listed[-1].start]
        if self.lex.unit_re.match(self.low, end) or not before_last.rstrip().endswith("or"):
            return None
        if any(n.kind != "digits" or not n.value.is_integer() for n in listed):
            return None
        members = sorted({n.value for n in listed})
        whole_run = len(members) == len(listed) and members == [members[0] + i for i in range(len(members))]
        return None if whole_run else tuple(members)

    def _mixed(self, number: Number) -> ValueExpr | None:
        """ "18 ≤ age < 65", "7%≤HbA1c≤9.0%": bounds on both sides of the measured thing."""
        unit = self.lex.unit_re.match(self.low, number.end)
        match = _MIXED.match(self.low, unit.end() if unit else number.end)
        if not match:
            return None
        nxt = self.by_start.get(match.end())
        if nxt is None:
            return None
        second = self._side(nxt)
        interval = Interval(number.value, match.group("c1") == "≤", nxt.value, match.group("c2") == "≤")
        return ValueExpr(
            number.start,
            second.end,
            number,
            interval,
            second.unit,
            0,
            None,
            True,
            False,
            False,
            True,
            entity_words=match.group("words").strip(),
        )

    def _multiplier(self, number: Number) -> ValueExpr | None:
        reference = self._reference(number.end, None) or self._reference_after_word(number.end)
        if reference is None:
            return self._frequency(number)
        pre = self._pre_comparator(number.start)
        op = pre[0] if pre else None
        start = pre[1] if pre else number.start
        interval = Interval.from_op(op or "=", number.value)
        return ValueExpr(start, reference[1], number, interval, None, 0, reference[0], op is not None)

    def _frequency(self, number: Number) -> ValueExpr | None:
        """ "more than twice a week": a multiplier word before a frequency unit is a number of times."""
        unit = self.lex.unit_re.match(self.low, number.end)
        if unit is None or self.lex.unit(unit.group("unit")).dimension != "frequency":
            return None
        pre = self._pre_comparator(number.start)
        op = pre[0] if pre else None
        start = pre[1] if pre else number.start
        interval = Interval.from_op(op or "=", number.value)
        return ValueExpr(
            start, unit.end(), number, interval, self.lex.unit(unit.group("unit")), 0, None, op is not None
        )

    def _pair(self, number: Number) -> ValueExpr:
        pre = self._pre_comparator(number.start)
        op = pre[0] if pre else None
        start = pre[1] if pre else number.start
        unit = self.lex.unit_re.match(self.low, number.end)
        end = unit.end() if unit else number.end
        return ValueExpr(
            start,
            end,
            number,
            Interval.from_op(op or "=", number.value),
            self.lex.unit(unit.group("unit")) if unit else None,
            0,
            None,
            op is not None,
        )
