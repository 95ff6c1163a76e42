"""Numbers a criterion states outside its limits, windows and counts ("data from May 2021 to November 2021",
"more than one of the conditions in groups 1-3") must stand in the sentences that state it.

The extractor reads values as limits; a number that names a period, a group or a version is in no fact, so a
changed one went unseen. Each such number of a criterion is looked for, as often as the criterion gives it, in
the translation's sentences that state the criterion (``ownership``): as digits anywhere in them ("SGLT2" keeps
the 2 of "cotransporter 2") or as a number word. Not looked for: numbers glued to a name ("mRNA-1273", "F2"),
list markers ("2)"), points in time a window counts from ("Study Day 1"), references cited in a bracket
("(Franklyn et al., 2016)"), a bracket's repetition of a number just given ("1.73 meter square (mL/min/1.73
m^2)"), and criteria no sentence is found to state.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from translator.domain import Criterion
from translator.facts.lexicon import lexicon
from translator.facts.patterns import ASIDE
from translator.facts.plain import BULLET, Sentence
from translator.facts.types import Fact, Facts
from translator.verify.messages import Messages
from translator.verify.ownership import Ownership
from translator.verify.types import Finding

_STANDALONE = re.compile(r"(?<![A-Za-z][-‐‑⁃–])(?<![\w.,^/])\d+(?:\.\d+)?(?![\w)]|\.\d|\.[ ]?[A-Z])")
"""A number of its own: not glued to a name, not a list marker ("2)", "1.Age")."""
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CITATION = re.compile(r"\([^()]*\bet al\b[^()]*\)")
_WORD_BEFORE = re.compile(r"([a-z]{3,})\s*$")
_MARKER = re.compile(r"(?:^|\n)[ \t]*(\d+(?:\.\d+)+|\d+(?=\\?[.)]))")
"""A number that opens a line is its list or section number ("1\\. Male or female", "10.2 Participants ...")."""


def _time_point(text: str, start: int) -> bool:
    """ "Study Day 1", "Week 52": a point in time after a time unit's name, which its time window counts from."""
    word = _WORD_BEFORE.search(text[max(0, start - 16) : start].lower())
    unit = lexicon().unit_by_alias.get(word.group(1)) if word else None
    return unit is not None and unit.dimension == "time"


def loose_numbers(criterion: Criterion, facts: Sequence[Fact]) -> dict[float, list[tuple[int, int]]]:
    """The criterion's numbers in none of its ``facts`` (limits, windows, counts), by value, with their spans in
    the criterion's text."""
    skip = [(f.span.start - criterion.start, f.span.end - criterion.start) for f in facts]
    skip += [m.span() for m in _CITATION.finditer(criterion.text)]
    skip += [m.span(1) for m in _MARKER.finditer(criterion.text)]
    found: dict[float, list[tuple[int, int]]] = {}
    for match in _STANDALONE.finditer(criterion.text):
        if not any(start <= match.start() < end for start, end in skip) and not _time_point(
            criterion.text, match.start()
        ):
            found.setdefault(float(match.group()), []).append(match.span())
    for bracket in ASIDE.finditer(criterion.text):  # "(mL/min/1.73 m^2)" after "1.73 meter square"
        for value, spans in found.items():
            inside = [s for s in spans if bracket.start() <= s[0] < bracket.end()]
            if inside and len(spans) > len(inside) and any(s[0] < bracket.start() for s in spans):
                found[value] = [s for s in spans if s not in inside]
    return found


def _carries_on(sentences: Sequence[Sentence], index: int, translation: str) -> bool:
    """Does the sentence after ``index`` go on in the same paragraph, on the same line or the next one? An easy-read
    text gives a rule a line and explains it on the next ("Your doctor used the WHO rules (1999 to 2013) to say
    you have diabetes."), in words that need not share the rule's gist; a blank line or a list marker ends it."""
    if index + 1 >= len(sentences):
        return False
    after = sentences[index + 1]
    between = translation[sentences[index].end : after.start]
    if "\n" not in between:
        return True
    line_start = sentences[index].end + between.rfind("\n") + 1
    return between.count("\n") == 1 and not BULLET.match(translation, line_start)  # a list item is a new rule


def said_numbers(text: str) -> Counter[float]:
    """Every number in a plain text, as digits or as a word ("twelve")."""
    said: Counter[float] = Counter(float(m.group()) for m in _DIGITS.finditer(text))
    lex = lexicon()
    for match in lex.number_word_re.finditer(text.lower()):
        said[lex.number_words[" ".join(match.group("word").split())]] += 1
    return said


def unkept_numbers(
    criteria: Sequence[Criterion],
    source: Facts,
    say: Messages,
    sentences: Sequence[Sentence],
    translation: str,
    ownership: Ownership,
) -> list[Finding]:
    """A finding per number of a criterion that the sentences stating it (``sentences``, by index, with the
    sentence that carries on each of them in its paragraph) do not give."""
    texts = [s.text for s in sentences]
    findings: list[Finding] = []
    valued: dict[str | None, list[Fact]] = {}
    for fact in (*source.thresholds, *source.windows, *source.counts):
        valued.setdefault(fact.origin.criterion, []).append(fact)
    sentence_numbers: dict[int, Counter[float]] = {}  # a sentence may state several criteria: read it once
    for criterion in criteria:
        loose = loose_numbers(criterion, valued.get(criterion.id, []))
        if not loose:
            continue
        where = ownership.stating(criterion.id)
        if not where:
            continue
        where = sorted({*where, *(i + 1 for i in where if _carries_on(sentences, i, translation))})
        said: Counter[float] = Counter()
        for index in where:
            if index not in sentence_numbers:
                sentence_numbers[index] = said_numbers(texts[index])
            said += sentence_numbers[index]
        for value, spans in loose.items():
            if len(spans) > said[value]:
                start, end = spans[said[value]] if said[value] < len(spans) else spans[0]
                findings.append(say.unkept_number(criterion, start, end))
    return findings
