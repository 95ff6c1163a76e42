"""Whole-criterion templates for the common fact shapes, written from the facts rather than edited in place.

- an age limit: "Aged between ≥ 18 to ≤ 65 years" -> "You are 18 to 65 years old";
- one limit on a measure, or one limit shared by several ("AST and ALT ≤ 3 × ULN"): "Your AST and ALT must be no
  more than 3 times the upper limit of normal (ULN)" (inclusion), "Your QTc is more than 470 milliseconds"
  (exclusion).

A template applies only when every word of the criterion outside the measure and its value is filler ("Serum",
"level", "of", "Aged", "between"): a criterion that says anything more keeps its own wording. Like every
rendering, a template is read back before it is used.
"""

from __future__ import annotations

import re

from translator.domain import Criterion
from translator.facts import Facts, Threshold
from translator.render.compose import Draft, lay_names
from translator.render.values import in_words

_AGE_FILLER = frozenset(
    {"age", "aged", "ages", "between", "years", "year", "old", "of", "is", "are", "be", "must", "should", "from"}
    | {"patients", "patient", "subjects", "subject", "participants", "participant", "people", "persons", "adults"}
    | {"adult", "inclusive", "and"}
)
_MEASURE_LEAD = frozenset({"serum", "blood", "plasma", "a", "an", "the"})
_MEASURE_TAIL = re.compile(
    r"(?:\s*(?:[:=(,]|\bof\b|\bis\b|\bare\b|\bmust\s+be\b|\bshould\s+be\b|\bwas\b|\blevels?\b\s+(?=[≥≤<>\\]|$)))+\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
_RANGE_ENDS = re.compile(r"^at least (\S+) (?:to|and) no more than ")
_AGE_UNIT = re.compile(r"\b(?:years?|months?|weeks?|days?)\s*$")


def template(criterion: Criterion, facts: Facts) -> Draft | None:
    """The criterion as templated sentences (values kept), or None when no template fits its facts and words."""
    if facts.windows or facts.counts or not facts.thresholds:
        return None
    if len(facts.thresholds) == 1 and facts.thresholds[0].entity == "age":
        return _age(criterion, facts.thresholds[0])
    if any(t.entity_span is None or t.condition or t.entity == "age" for t in facts.thresholds):
        return None
    return _measures(criterion, facts.thresholds)


def _local(criterion: Criterion, start: int, end: int) -> str:
    return criterion.text[start - criterion.start : end - criterion.start]


def value_words(written: str) -> str:
    """A value in words, a closed range as "18 to 65" (not "at least 18 to no more than 65")."""
    return _RANGE_ENDS.sub(r"\1 to ", in_words(written))


def _age(criterion: Criterion, limit: Threshold) -> Draft | None:
    before = criterion.text[: limit.span.start - criterion.start]
    after = criterion.text[limit.span.end - criterion.start :]
    if any(w.lower() not in _AGE_FILLER for w in _WORD.findall(before + " " + after)):
        return None
    value = value_words(_local(criterion, limit.span.start, limit.span.end).replace("\\", ""))
    unit = "" if _AGE_UNIT.search(value) else " years"
    if re.search(r"\bolder\b|\byounger\b|\bold\b", value):
        return None
    return _sentence("You are ", value, f"{unit} old.")


def _measures(criterion: Criterion, limits: tuple[Threshold, ...]) -> Draft | None:
    """ "Adequate liver function: ALT ≤ 3 × ULN, bilirubin ≤ 1.5 × ULN" -> "Adequate liver function: Your ALT
    must be ... Your bilirubin must be ...", one sentence per value.

    Separate sentences say "all of these" under the inclusion heading and "any of these" under the exclusion
    one, so an inclusion list is split only where nothing says "or", and an exclusion list only where it ends
    in "or" (or is cut by semicolons alone)."""
    groups = _groups(criterion, limits)
    if groups is None:
        return None
    text = criterion.text.replace("\\", " ")  # escapes as spaces: offsets stay valid
    lead = text[: groups[0][0]]
    if not _lead_ok(lead):
        return None
    if _WORD.search(text[groups[-1][2] :]) or re.search(r"[0-9]", text[groups[-1][2] :]):
        return None
    joins = [text[groups[i - 1][2] : groups[i][0]] for i in range(1, len(groups))]
    if not all(_JOIN.fullmatch(j) for j in joins) or not _splittable(criterion, joins):
        return None
    verb = "must be" if criterion.section == "inclusion" else "is"
    draft = Draft(_lead_sentence(lead))
    for entity_start, value_start, value_end in groups:
        subject = lay_names(_MEASURE_TAIL.sub("", text[entity_start:value_start]).strip())
        if not subject or re.search(r"[0-9;]", subject) or subject.count("(") != subject.count(")"):
            return None
        subject = subject[:1].lower() + subject[1:] if subject[1:2].islower() else subject
        before = f"{' ' if draft.text else ''}Your {subject} {verb} "
        draft.replace(len(draft.text), len(draft.text), before)
        draft.replace(len(draft.text), len(draft.text), value_words(text[value_start:value_end]), keep=True)
        draft.replace(len(draft.text), len(draft.text), ".")
    return draft


_JOIN = re.compile(r"\s*(?:[,;]|,?\s*\b(?:and|or)\b)\s*", re.IGNORECASE)


def _groups(criterion: Criterion, limits: tuple[Threshold, ...]) -> list[tuple[int, int, int]] | None:
    """(entity start, value start, value end) per value, in order, offsets in the criterion's text; None when
    an entity does not stand before its value or values overlap."""
    by_value: dict[tuple[int, int], int] = {}
    for limit in limits:
        if limit.entity_span is None:
            return None
        key = (limit.span.start - criterion.start, limit.span.end - criterion.start)
        entity = limit.entity_span.start - criterion.start
        by_value[key] = min(entity, by_value.get(key, entity))
    groups = sorted((entity, start, end) for (start, end), entity in by_value.items())
    for index, (entity, start, _) in enumerate(groups):
        if entity >= start or (index and entity < groups[index - 1][2]):
            return None
    return groups


def _lead_ok(lead: str) -> bool:
    """Filler before the first measure ("Serum"), or a label ending in a colon ("Liver function:")."""
    if re.search(r"[0-9]", lead):
        return False
    if lead.rstrip().endswith(":"):
        return len(lead.split()) <= 8 and "(" not in lead
    return all(w.lower() in _MEASURE_LEAD for w in _WORD.findall(lead))


def _lead_sentence(lead: str) -> str:
    return lead.strip() if lead.rstrip().endswith(":") else ""


def _splittable(criterion: Criterion, joins: list[str]) -> bool:
    if not joins:
        return True
    ors = [bool(re.search(r"\bor\b", j, re.IGNORECASE)) for j in joins]
    if criterion.section == "inclusion":
        return not any(ors) and not re.search(r"\b(?:or|either)\b", criterion.text, re.IGNORECASE)
    ands = [bool(re.search(r"\band\b", j, re.IGNORECASE)) for j in joins]
    return not any(ands) and (ors[-1] or all(";" in j for j in joins))


def _sentence(before: str, value: str, after: str) -> Draft:
    draft = Draft(before + after)
    draft.replace(len(before), len(before), value, keep=True)
    return draft
