"""The glossary file's model: each term's names, its broader terms and its scale, validated on load.

``translator.facts.glossary`` reads the file through it and builds the finder.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from translator.rules import RuleFile

TermKind = Literal[
    "measure", "condition", "drug", "procedure", "status", "event", "reference_point", "test", "device", "other"
]

WORD = re.compile(r"[a-z0-9]+|[α-ω]+")


def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens; apostrophes and hyphens split words ("heart's" -> heart, s)."""
    return tuple(WORD.findall(text.lower().replace("’", "'")))


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: TermKind
    name: str
    """The preferred clinical name."""
    abbreviations: tuple[str, ...] = ()
    """Matched case-sensitively as whole words ("ALT", "LVEF"); short ones must not collide with English words."""
    value_abbreviations: tuple[str, ...] = ()
    """Abbreviations that name the term only right before its value ("HR < 90", "RR ≥ 20"): elsewhere they name
    other things ("HR-positive" breast cancer is hormone receptor positive)."""
    synonyms: tuple[str, ...] = ()
    """Other clinical spellings, matched case-insensitively."""
    lay: tuple[str, ...] = ()
    """Plain-English names a patient-facing text may use ("heart's pumping strength"), case-insensitive."""
    explain: str | None = None
    """A short lay explanation for parentheses: "ALT (a liver test)"."""
    parent: str | None = None
    """A broader term's id (hepatitis_b -> hepatitis)."""
    also_under: tuple[str, ...] = ()
    """Further broader terms, for a concept that sits under two heads: hepatitis is a liver disease and a viral
    infection, so "active infection (hepatitis B, C)" lists it too."""
    disease: str | None = None
    """For an organ: the id of its disease term, so that "a disease of the brain and spinal cord" or "problems
    with your kidneys" name it as "CNS disease" and "kidney disease" do."""
    graded_by: str | None = None
    """The scale a class or grade of this term is stated on: "heart failure of class III" is NYHA class III."""
    impairment: str | None = None
    """For an organ or its function: the id of its impairment term, named by "impairment of renal or hepatic
    function"."""
    scale_start: float | None = None
    """For a score of whole steps (ECOG 0-5, ASA class 1-6): its lowest score, so that "ECOG ≤ 2" allows 0, 1 and
    2 and reads as "below 3" and as "0, 1 or 2" do (``translator.verify.scores``)."""
    units: tuple[str, ...] = ()
    """For a measure stated in one unit only: that unit (BMI in kg/m2). A source value in another ("BMI > 35%") is
    a writing error, which a translation need not repeat."""
    members: tuple[tuple[tuple[str, ...], ...], ...] = ()
    """For a term that stands for a closed set ("first-degree relative": a parent, a sibling or a child): each
    member, as the ways of naming it (``[["sibling"], ["brother", "sister"]]``: a sibling is named by "sibling", or
    by "brother" and "sister" together). A translation that spells the term out must name every member
    (``translator.verify.definitions``)."""

    @field_validator("members")
    @classmethod
    def _members_are_words(cls, members: tuple[tuple[tuple[str, ...], ...], ...]) -> object:
        for member in members:
            if not member or not all(way and all(re.fullmatch(r"[a-z]+", w) for w in way) for way in member):
                raise ValueError(f"each member needs ways of naming it, each of lower-case words: {member!r}")
        return members

    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms, *self.lay)


class Glossary(RuleFile):
    terms: tuple[GlossaryTerm, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        ids = [t.id for t in self.terms]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate term ids: {duplicates}")
        known = set(ids)
        for term in self.terms:
            _check_references(term, known)
        owners: dict[tuple[str, ...], str] = {}
        for term in self.terms:
            for surface in term.surfaces():
                key = words(surface)
                if not key:
                    raise ValueError(f"term {term.id!r} has an empty surface form {surface!r}")
                if owners.setdefault(key, term.id) != term.id:
                    raise ValueError(f"{surface!r} belongs to both {owners[key]!r} and {term.id!r}")
        abbreviations: dict[str, str] = {}
        for term in self.terms:
            for abbr in term.abbreviations:
                if abbreviations.setdefault(abbr, term.id) != term.id:
                    raise ValueError(f"abbreviation {abbr!r} belongs to both {abbreviations[abbr]!r} and {term.id!r}")
        return self


def _check_references(term: GlossaryTerm, known: set[str]) -> None:
    """A term's id is snake_case and every id it names (parent, heads, disease, impairment, scale) exists."""
    if not re.fullmatch(r"[a-z0-9_]+", term.id):
        raise ValueError(f"term id {term.id!r} must be snake_case")
    named = {
        "parent": [term.parent] if term.parent else [],
        "also_under": list(term.also_under),
        "disease": [term.disease] if term.disease else [],
        "impairment": [term.impairment] if term.impairment else [],
        "scale": [term.graded_by] if term.graded_by else [],
    }
    for role, ids in named.items():
        unknown = [i for i in ids if i not in known or i == term.id]
        if unknown:
            raise ValueError(f"term {term.id!r} has unknown {role} {unknown[0]!r}")
