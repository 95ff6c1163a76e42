"""Context around a position: clauses, brackets, negation, exception and condition clauses.

All functions work on lower-cased normalised text of one criterion or one plain sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from translator.facts.frozen import quick_init
from translator.facts.lexicon import Lexicon
from translator.facts.negation_scope import prefix_ends, scope_ends

if TYPE_CHECKING:
    from translator.facts.glossary import TermHit

_DOT = r"\.(?<![ \t.(\[][a-z]\.)(?<!\bvs\.)(?<!\betc\.)(?<!\bal\.)(?=\s|$)"
"""A full stop that ends a clause: not a decimal point, nor the dots of "e.g.", "i.e.", "vs.", "et al.".

Every alternative of the break patterns starts with a literal character, the look-behinds coming after it, so
that ``re`` scans for those characters instead of trying the whole pattern at every position (10x faster). The
"but" of "including but not limited to" opens a list of examples, not a new clause."""
_PUNCTUATION_BREAKS = {";": ";", ".": _DOT, "?": r"\?", "!": "!"}
_NOT_A_BREAK_AFTER = {"but": r"(?![ \t]+not[ \t]+limited)"}


@cache
def _clause_breaks(breaks: tuple[str, ...]) -> re.Pattern[str]:
    """The clause-break pattern of the rule file's ``clause_breaks``: punctuation, and words such as "but",
    "although" ("No HIV infection, although hepatitis B" negates only HIV). A colon is listed for completeness;
    its own rule (it ends a negation's reach but not a subject's) lives in ``Context.negated``."""
    parts = [r"\n"]
    for token in breaks:
        if token in _PUNCTUATION_BREAKS:
            parts.append(_PUNCTUATION_BREAKS[token])
        elif token.isalpha():
            head, rest = re.escape(token[0]), re.escape(token[1:])
            parts.append(rf"{head}(?<![a-z]{head}){rest}(?![a-z])" + _NOT_A_BREAK_AFTER.get(token, ""))
    return re.compile("|".join(parts))


_COLON = re.compile(r":(?<![0-9]:)(?![0-9])")
"""A colon ends a negation's reach ("without enough benefit: cyclophosphamide, ...") but not a subject's
("Age: 18-59")."""
_BRACKET = re.compile(r"[()\[\]]")
_SENTENCE_BREAK = re.compile(r";|\n|" + _DOT + r"|\?|!")


NEGATION_REACH = 80
"""Characters a negation cue reaches forward ("no history of ..."); also bounds the work per fact."""
LIST_NEGATION_REACH = 200
"""An item's negation reaches further, over a list ("No evidence of drivers including KRAS, HER2, ALK or ROS1
rearrangements, MET or BRAF mutations"); it still stops at a clause break."""
EXCEPTION_REACH = 160
CUE_LEAD = 24
"""Characters before a negation cue where a longer phrase holding it may start ("medical reason not to")."""
BRACKET_LEAD = 30
"""Characters before a bracket in which an exception cue still covers the bracket ("unless low-risk (...)")."""
_LEAD_BREAK = re.compile(r"[,;)\]]")


_SAME_PREDICATE = re.compile(
    r"[ \t]*(?:or|and|nor)[ \t]+(?:have|has|had|be|been|take|taken|use|used|receive|received)(?![a-z])"
)
"""After a comma, a second verb of the predicate before it: "must not take, or have taken ..."."""


@quick_init
@dataclass(frozen=True)
class Context:
    """Precomputed positions for one text: clause breaks and bracket spans."""

    low: str
    lex: Lexicon
    breaks: tuple[int, ...]
    colons: tuple[int, ...]
    sentence_breaks: tuple[int, ...]
    brackets: tuple[tuple[int, int], ...]
    """(open, close) positions of (...) and [...] pairs, sorted by opening position."""
    bracket_opens: tuple[int, ...]
    break_ends: tuple[int, ...]
    """Where each clause break ends: after its character, or after its word ("but", "however")."""
    names: tuple[TermHit, ...] = ()
    """The glossary names of the text, in order (a negation inside one reaches no further than its list
    element)."""

    @staticmethod
    def of(low: str, lex: Lexicon, names: tuple[TermHit, ...] = ()) -> Context:
        found = list(_clause_breaks(lex.cues.clause_breaks).finditer(low))
        breaks, ends = tuple([m.start() for m in found]), tuple([m.end() for m in found])
        colons = tuple([m.start() for m in _COLON.finditer(low)]) if ":" in low else ()
        sentences = tuple([m.start() for m in _SENTENCE_BREAK.finditer(low)])
        brackets = brackets_of(low)
        opens = tuple([b[0] for b in brackets])
        return Context(low, lex, breaks, colons, sentences, brackets, opens, ends, names)

    def _negation_starts(self) -> list[int]:
        """Where a negation cue may start, found on first use and kept (``cached_property`` takes a lock on every
        read, which cost more than the look-ups it spared)."""
        starts: list[int] | None = self.__dict__.get("_negation_at")
        if starts is None:
            starts = self.__dict__["_negation_at"] = [m.start() for m in self.lex.negation_starts.finditer(self.low)]
        return starts

    def _exception_starts(self) -> list[int]:
        """Where an exception cue may start, found on first use and kept (as ``_negation_starts``)."""
        starts: list[int] | None = self.__dict__.get("_exception_at")
        if starts is None:
            starts = self.__dict__["_exception_at"] = [m.start() for m in self.lex.exception_starts.finditer(self.low)]
        return starts

    def _tried_at(self, pattern: re.Pattern[str], starts: list[int], start: int, end: int) -> Iterator[re.Match[str]]:
        """What ``pattern.finditer(self.low, start, end)`` yields, tried only at ``starts``, the positions where a
        match may start (found once per text): negation and exception cues are looked for in a window before every
        value and item, and scanning each window was most of the work."""
        index = bisect_left(starts, start)
        position = start
        while index < len(starts) and starts[index] < end:
            at = starts[index]
            index += 1
            if at < position:
                continue
            match = pattern.match(self.low, at, end)
            if match is not None:
                yield match
                position = match.end()

    def clause_start(self, position: int) -> int:
        index = bisect_right(self.breaks, position - 1) - 1
        return min(self.break_ends[index], position) if index >= 0 else 0  # after "but", not inside it

    def clause_end(self, position: int) -> int:
        index = bisect_left(self.breaks, position)
        return self.breaks[index] if index < len(self.breaks) else len(self.low)

    def sentence_start(self, position: int) -> int:
        index = bisect_right(self.sentence_breaks, position - 1) - 1
        return self.sentence_breaks[index] + 1 if index >= 0 else 0

    def sentence_end(self, position: int) -> int:
        index = bisect_left(self.sentence_breaks, position)
        return self.sentence_breaks[index] if index < len(self.sentence_breaks) else len(self.low)

    def enclosing_bracket(self, position: int) -> tuple[int, int] | None:
        """The innermost bracket pair around ``position`` (brackets are sorted by their opening)."""
        index = bisect_left(self.bracket_opens, position) - 1
        while index >= 0:
            open_, close = self.brackets[index]
            if position < close:
                return open_, close
            index -= 1
            if position - open_ > EXCEPTION_REACH * 4:
                return None
        return None

    def negated(self, position: int, window_start: int, *, across_commas: bool = True) -> bool:
        return self.negation_cue(position, window_start, across_commas=across_commas) is not None

    def negation_cue(self, position: int, window_start: int, *, across_commas: bool = True) -> int | None:
        """Where the negation cue between the clause start (or ``window_start``) and ``position`` starts, if any.

        Items distribute a negation over a list ("no HIV, hepatitis B or C"); a limit does not inherit one
        from an earlier list element ("no serious lung lesions, SpO2 ≥ 92%"), so it stops at a comma.
        """
        starts = self._negation_starts()
        if not starts:
            return None  # no cue anywhere in the text (a fifth of the look-ups)
        lowest = max(self.clause_start(position), window_start)
        if not _any_between(starts, lowest, position):
            return None  # no cue can start in the clause before ``position`` (a third of the rest)
        reach = (LIST_NEGATION_REACH if across_commas else NEGATION_REACH) + self._aside_length(
            position - NEGATION_REACH - EXCEPTION_REACH, position
        )
        start = max(lowest, position - reach, self._after_colon(position))
        if not across_commas:
            start = self._after_last_comma(start, position)
        for match in self._tried_at(self.lex.negation_before, starts, start, position):
            cue = match.start()
            if _COMPARATOR_NEGATIONS.match(self.low, cue) or self._pseudo(cue, match.end()):
                continue
            if self._within(self.lex.exception_re, cue, match.end()) and not self._opens_sentence(cue):
                continue  # "excluding", "not including", "but not": an exception, read as one (not a double flip)
            opener = self.lex.subject_opener_re.search(self.low, match.end(), position)
            if opener is not None and not self._defined_after(cue, opener.start(), position):
                continue  # "... can't quit or patients with mental disorders": a new subject, a new clause
            if self.lex.cause_opener_re.search(self.low, match.end(), position):
                continue  # "you cannot follow the study procedures because of a psychiatric diagnosis"
            if self._closed_before(cue, position) or (
                not across_commas and self._opened_after(cue, position) and not self.prohibits(cue)
            ):
                continue  # a prohibition reaches into the bracket: "must not have heart failure (LVEF < 35%)"
            if scope_ends(self, cue, match.end(), position):
                continue  # a leading condition, a name, a second predicate or what a treatment was for ends it
            if match.group("cue") == "non" and prefix_ends(
                self.low, match.end(), position, across_commas=across_commas
            ):
                continue  # "non-infectious ILD", "non-smoker and no more than 2", "non-fasting glucose < 200"
            return cue
        return None

    def _after_last_comma(self, start: int, position: int) -> int:
        """Where a limit's negation may start: after the last comma before it, but for a comma that joins a
        second verb of the same predicate ("must not take, or have taken in the 4 weeks before consent, ...")."""
        comma = self.low.rfind(",", start, position)
        while comma >= start and _SAME_PREDICATE.match(self.low, comma + 1):
            comma = self.low.rfind(",", start, comma)
        return max(start, comma + 1)

    def _pseudo(self, cue: int, cue_end: int) -> bool:
        """A pseudo-negation at the cue, at the "not" inside it ("do not get effective treatment of"), or one that
        starts before the cue and holds it ("a reason not to take aspirin")."""
        pseudo = self.lex.pseudo_negation_re
        inner = self.low.find("not", cue + 1, cue_end)
        if pseudo.match(self.low, cue) is not None or (inner > 0 and pseudo.match(self.low, inner) is not None):
            return True
        return holds(pseudo, self.low, cue, cue_end)

    def _within(self, pattern: re.Pattern[str], cue: int, cue_end: int) -> bool:
        return holds(pattern, self.low, cue, cue_end)

    def prohibits(self, cue: int) -> bool:
        """A prohibition ("must not", "should not") states a reason not to join whatever the side it is written
        on: "Exclusion: must not be pregnant" and "You cannot join if: you must not have used ..." exclude."""
        return self.lex.prohibition_re.match(self.low, cue) is not None

    def _defined_after(self, cue: int, opener: int, position: int) -> bool:
        """Are an opener and ``position`` inside a bracket opened after the cue, that spells out what is negated ("No
        active CNS metastases (i.e., progressing or requiring anticonvulsants ...)")? There the opener continues the
        definition, it opens no clause."""
        bracket = self.enclosing_bracket(position)
        return (
            bracket is not None and cue < bracket[0] < opener and _DEFINING.match(self.low, bracket[0] + 1) is not None
        )

    def _opened_after(self, cue: int, position: int) -> bool:
        """A limit inside a bracket that opens after the cue spells out the negated phrase, it is not negated by
        it: "your blood does not clot normally (INR more than 1.5 times the ULN)". (Not after a prohibition, whose
        bracket spells out what is prohibited: "you must not have heart failure (LVEF below 35%)".)"""
        bracket = self.enclosing_bracket(position)
        return bracket is not None and bracket[0] > cue

    def _closed_before(self, cue: int, position: int) -> bool:
        """A cue inside a bracket that closes before ``position`` does not reach it: "heart failure (symptoms
        with little or no activity), arrhythmia" does not negate arrhythmia."""
        bracket = self.enclosing_bracket(cue)
        return bracket is not None and bracket[1] < position

    def _aside_length(self, start: int, position: int) -> int:
        """Characters in closed brackets between ``start`` and ``position``: a cue reaches over an aside ("not had
        a colony-stimulating factor (a drug that boosts white blood cell counts) in the 2 weeks")."""
        total = 0
        if not self.brackets:
            return total
        for open_, close in self.brackets[bisect_left(self.bracket_opens, max(0, start)) :]:
            if open_ >= position:
                break
            if close < position:
                total += close - open_
        return total

    def _after_colon(self, position: int) -> int:
        index = bisect_right(self.colons, position - 1) - 1
        return self.colons[index] + 1 if index >= 0 else 0

    def negated_after(self, end: int) -> bool:
        """A negation cue right after a mention: "HBsAg negative", "... is not allowed"."""
        return self.negation_after(end) is not None

    def negation_after(self, end: int) -> str | None:
        """The negation cue right after a mention, if any, or after its copula ("your pregnancy test must be
        negative")."""
        position = skip_space(self.low, end)
        match = self.lex.negation_after.match(self.low, position)
        if match is None and (copula := COPULA.match(self.low, position)) is not None:
            match = self.lex.negation_after.match(self.low, copula.end())
        return " ".join(match.group("cue").split()) if match is not None and position - end <= 3 else None

    def exception_before(self, position: int) -> bool:
        """Is ``position`` inside an exception clause ("except for ...", "unless ...")? Within a bracket, only a cue in
        it, or one whose words the bracket completes ("unless low-risk (5-year survival > 90%)"); never the "but not"
        of "including but not limited to"."""
        starts = self._exception_starts()
        if not _any_between(starts, position - EXCEPTION_REACH, position):
            return False  # no cue within reach before ``position`` (none in the text: a third of the look-ups)
        clause = max(self._exception_clause_start(position), position - EXCEPTION_REACH)
        bracket = self.enclosing_bracket(position)
        if bracket is not None:
            if self._exception_cue(max(clause, bracket[0]), position):
                return True
            lead = max(clause, bracket[0] - BRACKET_LEAD)
            return self._exception_cue(lead, bracket[0]) and not _LEAD_BREAK.search(self.low, lead, bracket[0])
        return self._exception_cue(clause, position)

    def names_excepted(self, position: int) -> int | None:
        """Where the exception cue before ``position`` starts, when it excepts a name that ``position`` follows
        ("malignant tumors except NSCLC within 5 years", "NSAIDs other than aspirin within 72 hours"): a time window
        there is the rule's. None when the exception is a clause ("except if ... no menses for at least 24 months"),
        a bracket opened after the cue, or an amount right after the cue ("except 3 months after a corneal
        transplant"): a window there is the exception's."""
        clause = max(self._exception_clause_start(position), position - EXCEPTION_REACH)
        cues = list(self._tried_at(self.lex.exception_re, self._exception_starts(), clause, position))
        if not cues:
            return None
        cue = cues[-1]
        if " ".join(cue.group("cue").split()) not in self.lex.name_exceptions or self._opened_after(
            cue.start(), position
        ):
            return None
        words = _WORDS.findall(self.low, cue.end(), position)
        gap = self.low[cue.end() : position]
        first = words[0] if words else ""
        opens_clause = not first or first in self.lex.exception_clause_openers or first in self.lex.people_nouns
        named = len(words) <= NAME_WORDS and ":" not in gap and not opens_clause  # "except patients free of ..."
        return cue.start() if named else None

    def _exception_clause_start(self, position: int) -> int:
        """The clause start, or the break word before it when that word opens an exception ("however", "but
        not"): a clause broken at "but" still belongs to the "but not" that breaks it."""
        index = bisect_right(self.breaks, position - 1) - 1
        if index < 0:
            return 0
        if self.lex.exception_re.match(self.low, self.breaks[index]):
            return self.breaks[index]
        return self.clause_start(position)

    def _exception_cue(self, start: int, end: int) -> bool:
        """An exception cue in [start, end); one inside a bracket closed before ``end`` excepts only in it: "History
        of malignancy (but not basal cell skin carcinoma) within the past five years" excepts no window."""
        for match in self._tried_at(self.lex.exception_re, self._exception_starts(), start, end):
            if self.lex.pseudo_negation_re.match(self.low, match.start()) or self._negation_opening(match.start()):
                continue
            if self._closed_before(match.start(), end):
                continue
            return True
        return False

    def _negation_opening(self, cue: int) -> bool:
        """An exception cue that is also a negation cue ("excluding") and opens its sentence negates."""
        return self._opens_sentence(cue) and self.lex.negation_before.match(self.low, cue) is not None

    def _opens_sentence(self, cue: int) -> bool:
        """Does the cue open its sentence? "Excluding hepatitis B infection" excepts from no rule before it: it
        is a negation, as "no" is; "malignancy, excluding basal cell carcinoma" is an exception."""
        return _LETTER.search(self.low, self.sentence_start(cue), cue) is None


_LETTER = re.compile(r"[a-z]")
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
NAME_WORDS = 6
"""The most words a name exception's name takes before a window that is the rule's."""
_DEFINING = re.compile(r"[ \t]*(?:i\.?e\.?|that[ \t]+is|meaning|defined[ \t]+as)(?![a-z])")
"""What opens a bracket that spells out the phrase before it: "(i.e., progressing or requiring ...)"."""
COPULA = re.compile(r"(?:(?:must|should|will|has[ \t]+to|needs[ \t]+to)[ \t]+)?(?:be|is|are|was|were)[ \t]+")


def _any_between(starts: list[int], start: int, end: int) -> bool:
    """Is some position of sorted ``starts`` in [start, end)? Every cue search before a position looks only there,
    so none can find anything when this is false."""
    index = bisect_left(starts, start)
    return index < len(starts) and starts[index] < end


def holds(pattern: re.Pattern[str], low: str, cue: int, cue_end: int) -> bool:
    """Does a match of ``pattern`` starting at most ``CUE_LEAD`` characters before the cue hold all of it?"""
    for match in pattern.finditer(low, max(0, cue - CUE_LEAD), cue_end + CUE_LEAD * 2):
        if match.start() > cue:
            break
        if match.start() <= cue and match.end() >= cue_end:
            return True
    return False


def skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t-":
        position += 1
    return position


# "no more than", "not less than", "not exceeding" are comparators, never negations.
_COMPARATOR_NEGATIONS = re.compile(
    r"(?:no|not)[ \t]+(?:more|less|greater|fewer|higher|lower|older|younger|longer|exceeding|exceed|to[ \t]+exceed|"
    r"above|over|below|under)(?![a-z])|does[ \t]+not[ \t]+exceed|do[ \t]+not[ \t]+exceed"
)


def brackets_of(low: str) -> tuple[tuple[int, int], ...]:
    """``Context.of(low, lex).brackets``, for a reader that needs nothing else of the text (the verifier, of a whole
    translation)."""
    return _brackets(low) if "(" in low or "[" in low else ()  # a closing bracket alone makes no pair


def _brackets(text: str) -> tuple[tuple[int, int], ...]:
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    closing = {")": "(", "]": "["}
    for match in _BRACKET.finditer(text):
        index, char = match.start(), match.group()
        if char in "([":
            stack.append((char, index))
        elif char in closing and stack and stack[-1][0] == closing[char]:
            _, open_ = stack.pop()
            pairs.append((open_, index))
    for _, open_ in stack:  # unbalanced: the bracket runs to the end of the text
        pairs.append((open_, len(text)))
    return tuple(sorted(pairs))
