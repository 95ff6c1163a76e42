"""Glossary paraphrases: a term's lay name in its place, or its plain explanation in brackets after it.

Reads rules/glossary.json directly (not through the extractor), keeping only the fields used here; the
file belongs to the extractor's owners and is validated strictly by their loader, so unknown fields are
ignored rather than refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from translator.evaluation import edit_rules as rules
from translator.evaluation.tagged import TaggedText
from translator.evaluation.textedit import Edit, capitalize, paren_depth


class _Term(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    kind: str
    name: str
    abbreviations: list[str]
    synonyms: list[str]
    lay: list[str]
    explain: str | None


class _Glossary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    terms: list[_Term]


@dataclass(frozen=True)
class Surface:
    """A way a term is written, with the term's replacement lay name and explanation."""

    lay: str | None
    explain: str | None
    """Both are set only on the term's own name and abbreviations: its synonyms include narrower and wider
    terms ("radiotherapy to the chest" for radiotherapy, "metabolic diseases" for endocrine disorders), for
    which the lay name would drop meaning and the explanation would be wrong."""


def _usable_lay(lay: str) -> bool:
    words = lay.lower().split()
    return (
        0 < len(words) <= 5
        and words[0] not in {"how", "or", "you"}
        and not {"you", "your"} & set(words)
        and not rules.LAY_VERBS & set(words)
        and words[-1] not in rules.NOT_ITEM_END
    )


@cache
def surfaces() -> tuple[dict[str, Surface], dict[str, Surface], re.Pattern[str], re.Pattern[str]]:
    """Names and synonyms (matched ignoring case) and abbreviations (matched exactly), with their regexes."""
    raw = resources.files("translator.rules").joinpath("glossary.json").read_text(encoding="utf-8")
    glossary = _Glossary.model_validate(json.loads(raw))
    names: dict[str, Surface] = {}
    abbreviations: dict[str, Surface] = {}
    for term in glossary.terms:
        lay = next((lay for lay in term.lay if _usable_lay(lay)), None)
        names.setdefault(term.name.lower(), Surface(lay, term.explain))
        for written in term.synonyms:
            names.setdefault(written.lower(), Surface(None, None))
        for written in term.abbreviations:
            abbreviations.setdefault(written, Surface(lay, term.explain))
    return names, abbreviations, _alternation(list(names), re.I), _alternation(list(abbreviations), 0)


def _alternation(words: list[str], flags: int) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])", flags)


def _occurrences(tagged: TaggedText) -> list[tuple[int, int, Surface]]:
    """Glossary terms in the statements, longest first at each place, in text order."""
    names, abbreviations, name_re, abbreviation_re = surfaces()
    found: dict[int, tuple[int, int, Surface]] = {}
    for statement in tagged.statements:
        for pattern, table, fold in ((name_re, names, True), (abbreviation_re, abbreviations, False)):
            for match in pattern.finditer(tagged.text, statement.start, statement.end):
                key = match.group().lower() if fold else match.group()
                if match.start() not in found or match.end() > found[match.start()][1]:
                    found[match.start()] = (match.start(), match.end(), table[key])
    return sorted(found.values())


def lay_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    """ "myocardial infarction" -> "heart attack": each term once, where its lay name is not already said."""
    found: list[tuple[Edit, ...]] = []
    for start, end, surface in _occurrences(tagged):
        edit = _lay_edit(tagged, start, end, surface.lay) if surface.lay else None
        if edit is not None:
            found.append((edit,))
    return found


def _lay_edit(tagged: TaggedText, start: int, end: int, lay: str) -> Edit | None:
    text = tagged.text
    term = text[start:end].lower()
    if lay.lower() in _statement_text(tagged, start).lower():
        return None
    if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", lay.lower()):
        return None  # "insulin" -> "insulin shots" is narrower, not the same
    following = re.match(r"\s+([\w-]+)", text[end : end + 30])
    if following and _compound(following.group(1)):
        return None  # "insulin sensitivity", "MDRD equation": the term is part of a longer name
    determiner = re.search(r"\b(a|an|the|your|their|his|her)\s+$", text[max(0, start - 8) : start], re.I)
    if determiner and lay.split()[0].endswith("ing"):
        return None  # "your last dose" -> not "your stopping the study drug"
    if text[start].isupper() and _starts_sentence(tagged, start):
        lay = capitalize(lay)
    if determiner is None:
        return Edit(start, end, lay)
    before = start - len(determiner.group())
    if re.match(r"(?:the|a|an) ", lay, re.I):
        return Edit(before, end, lay)  # "the study drug" -> "the drug being tested"
    if determiner.group(1).lower() in {"a", "an"}:
        article = "an" if lay[0].lower() in "aeiou" else "a"
        article = capitalize(article) if determiner.group(1)[0].isupper() else article
        return Edit(before, end, f"{article} {lay}")
    return Edit(start, end, lay)


def definition_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    """ "ALT" -> "ALT (a liver test)": the glossary's explanation after a term not already explained."""
    found: list[tuple[Edit, ...]] = []
    text = tagged.text
    for start, end, surface in _occurrences(tagged):
        if surface.explain is None or text[end : end + 2] == " (" or text[end : end + 1] == "(":
            continue
        line = tagged.lines[_line_of(tagged, start)]
        if paren_depth(text, start, line.start) or surface.explain.lower() in _statement_text(tagged, start).lower():
            continue
        if _in_name(tagged, start, end):
            continue
        found.append((Edit(end, end, f" ({surface.explain})"),))
    return found


def _in_name(tagged: TaggedText, start: int, end: int) -> bool:
    """The term is part of a longer name: "NYHA class III", "Canadian Diabetes Association"."""
    text = tagged.text
    following = re.match(r"\s+([\w-]+)", text[end : end + 30])
    nxt = following.group(1) if following else ""
    if nxt and (nxt.lower() in rules.NAME_CONTINUES or nxt[0].isdigit() or nxt[0].isupper()):
        return True
    term = text[start:end]
    return term[:1].isupper() and not term.isupper() and not _starts_sentence(tagged, start)


def _compound(word: str) -> bool:
    """The next word goes on the term's name (a lowercase content word), rather than starting a new phrase."""
    low = word.lower()
    return word.isalpha() and word == low and low not in rules.NOT_ITEM_START | rules.NOT_ITEM_END | rules.LINK_WORDS


def _line_of(tagged: TaggedText, position: int) -> int:
    return next(i for i, line in enumerate(tagged.lines) if line.start <= position <= line.end)


def _statement_text(tagged: TaggedText, position: int) -> str:
    for statement in tagged.statements:
        if statement.start <= position < statement.end:
            return tagged.text[statement.start : statement.end]
    return ""


def _starts_sentence(tagged: TaggedText, position: int) -> bool:
    before = tagged.text[max(0, position - 3) : position]
    return (
        position == 0
        or bool(re.search(r"(?:^|[.!?:]\s|\n)\s*$", before))
        or any(s.start == position for s in tagged.statements)
    )
