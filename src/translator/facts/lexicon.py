"""The extractor's lexicon: rule files loaded once, validated, and compiled into anchored patterns.

Left context (comparators before a number, "between", the measured thing) is matched on the reversed text
so that every lookup is one anchored match, never a scan; right context (units, "or more", "× ULN") is an
anchored match at the position after the number. Nothing here builds a pattern per call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from translator.facts.patterns import first_words, literal_first, start_pattern
from translator.rules import RuleFile, load_rules

Op = Literal[">", "≥", "<", "≤", "="]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComparatorRule(_Frozen):
    phrase: str
    op: Op
    position: Literal["pre", "post"]


class ComparatorFile(RuleFile):
    comparators: tuple[ComparatorRule, ...]
    references: dict[str, tuple[str, ...]]
    bare_references: tuple[str, ...]
    direct_references: tuple[str, ...]
    """References that make a relative limit right after the number, with no multiplier word ("3.0 ULN")."""
    range_references: tuple[str, ...]
    """Bare references to the whole normal range: a limit below one is below its lower end."""

    @model_validator(mode="after")
    def _references_are_known(self) -> ComparatorFile:
        phrases = {p for group in self.references.values() for p in group}
        unknown = sorted(set(self.direct_references) - phrases)
        if unknown:
            raise ValueError(f"direct_references that are not references: {unknown}")
        unknown = sorted(set(self.range_references) - set(self.bare_references))
        if unknown:
            raise ValueError(f"range_references that are not bare_references: {unknown}")
        return self


class UnitRule(_Frozen):
    id: str
    dimension: str
    factor: float
    aliases: tuple[str, ...]
    say: str
    window: bool = False
    entity: str | None = None
    """The measure this unit almost always belongs to (mL/min: creatinine clearance), for a limit whose
    subject is a pronoun or missing ("... and you cannot join if it is under 60 mL/min")."""


class UnitFile(RuleFile):
    units: tuple[UnitRule, ...]


class NumberFile(RuleFile):
    cardinals: dict[str, float]
    fractions: dict[str, float]
    multipliers: dict[str, float]
    label_words: tuple[str, ...]
    versioned_names: tuple[str, ...]
    age_cues: tuple[str, ...]
    class_words: tuple[str, ...]
    counted_synonyms: dict[str, str]
    """A word of a counted thing → the word the count is read with ("earlier lines" counts "prior lines")."""
    stage_words: tuple[str, ...]
    """Words after which a number is a stage, a class value ("stage 3 CKD", as "stage III CKD")."""
    roman: dict[str, int]
    duration_entities: tuple[str, ...]
    label_after: tuple[str, ...]
    """Words that make the number before them a label: "T790M mutation at 20 exon"."""
    implicit_one_after: tuple[str, ...]
    implicit_one_words: tuple[str, ...]
    implicit_one_units: tuple[str, ...]
    """ "within a week", "in the past year", "in the week before": after one of ``implicit_one_after``, one of
    ``implicit_one_words`` (with the "the" before it) right before a singular time unit stands for the number 1."""
    """Measures whose value is a length of time ("life expectancy > 3 months"): a time amount after them is a
    limit on them, not a time window."""


class CueFile(RuleFile):
    negation_before: tuple[str, ...]
    negation_after: tuple[str, ...]
    exception: tuple[str, ...]
    condition: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    include_headings: tuple[str, ...]
    exclude_headings: tuple[str, ...]
    exclude_sentence_cues: tuple[str, ...]
    include_sentence_cues: tuple[str, ...]
    heading_join_words: tuple[str, ...]
    """A heading with one of these (word starts) is about who can join; with a negation word, who cannot."""
    heading_negation_words: tuple[str, ...]
    generic_words: tuple[str, ...]
    item_kinds: tuple[str, ...]
    """Glossary kinds that are items when named: conditions, drugs, procedures, statuses, events. Measures and
    tests are stated by their limits, organs and reference points are context."""
    context_concepts: tuple[str, ...]
    """Concepts that say who a criterion is about ("female" in "pregnant female"), not a reason to join or not."""
    weak_conditions: tuple[str, ...]
    """Condition cues that only count inside a limit's own bracket ("when", "where")."""
    negative_condition: tuple[str, ...]
    """Cues of a negative circumstance: "< 2.5 × ULN in patients without liver metastases"."""
    within_phrases: tuple[str, ...]
    """Phrases before a time amount that make it a look-back window ("in the previous 6 months")."""
    age_subjects: tuple[str, ...]
    """People words that make a time limit right after them an age ("in patients < 18 years")."""
    pseudo_negations: tuple[str, ...]
    """Phrases that contain a negation word but negate nothing named after them (NegEx's pseudo-triggers):
    "not limited to", "not under control", "has not recovered from"."""
    include_cue_obstacles: tuple[str, ...]
    """Words that turn a bare "to join" / "to take part" into an obstacle ("makes it unwise for you to take
    part"): such a cue says nothing about the sentence's side."""
    study_objects: tuple[str, ...]
    """What a pseudo-negation is not about: "not eligible for curative surgery" negates nothing, "not eligible for
    the study" excludes."""
    subject_openers: tuple[str, ...]
    """A new subject or a new condition ("... and can't quit, or patients with mental disorders", "... and cannot
    stop, or if you have a mental disorder"): a negation before it does not reach what follows it."""
    required_limit_words: tuple[str, ...]
    """Words after "must" that make a sentence a requirement whatever its heading: "your LVEF must be at least
    50%", "4 weeks must have passed since"."""
    exclusion_after: tuple[str, ...]
    """Negation cues after a mention that say it excludes ("HIV is excluded", "Prior chemotherapy is not
    allowed"): they set the side to exclusion, whichever section they stand in; the others ("HBsAg negative")
    flip it."""
    prohibitions: tuple[str, ...]
    """Negation cues that state a reason not to join on either side ("must not"): they set the side, not flip it."""
    requirement_endings: tuple[str, ...]
    """A plain sentence that ends on one of these ("... is required.") states a requirement, even under a "cannot
    join" title; under a lead-in it completes ("You cannot join if: ... antibiotics are required") it stays a reason."""
    allow_sentence_cues: tuple[str, ...]
    """A plain sentence that says something is allowed ("These are allowed: ...") is a reason one may join."""
    source_exclude_cues: tuple[str, ...]
    """A criterion that says it excludes ("... will be excluded") is an exclusion, whatever its heading."""
    event_stop_words: tuple[str, ...]
    """Function words left out of a raw event name ("within the last 6 months of" -> nothing)."""
    count_stop_words: tuple[str, ...]
    """Words that end the name of a counted thing ("2 prior lines of therapy" -> "prior lines")."""
    count_classifiers: tuple[str, ...]
    """Counted nouns that name what they count after "of": "2 methods of contraception", "two kinds of birth
    control" (the name reads on past the "of")."""
    people_nouns: tuple[str, ...]
    """Nouns for people: a count of them ("this study will enroll 9 to 12 patients") is a claim about the study,
    never a criterion, so the verifier does not report one as added."""
    reference_stop_words: tuple[str, ...]
    """Words that end a reference point the glossary does not name ("within 4 weeks of dosing or longer if
    required" -> "dosing")."""
    list_fillers: tuple[str, ...]
    """Words a list of names may hold besides the names and commas ("a parent, brother, sister or child"): a list
    that spells out a closed set is read through them (``translator.verify.definitions``)."""
    elision_links: tuple[str, ...]
    """Words a term's shared lead may end on when conjuncts after it stand for its last words ("hepatitis caused
    by drugs, viruses or the immune system", "medications for diabetes, BP or lipids"); see ``coordination``."""
    measure_qualifiers: tuple[str, ...]
    """Words after a limit's measure that say where it comes from ("adverse events from prior anticancer therapy of
    grade > 1"): a term named after one, before the value, describes the measure; it is no item of its own."""

    @model_validator(mode="after")
    def _prohibitions_are_negations(self) -> CueFile:
        unknown = sorted(set(self.prohibitions) - set(self.negation_before))
        if unknown:
            raise ValueError(f"prohibitions that are not negation_before cues: {unknown}")
        unknown = sorted(set(self.exclusion_after) - set(self.negation_after))
        if unknown:
            raise ValueError(f"exclusion_after cues that are not negation_after cues: {unknown}")
        return self


def _alternation(phrases: list[str]) -> str:
    """Longest first, spaces matching any run of whitespace."""
    return "|".join(_alternatives(phrases))


def _alternatives(phrases: list[str]) -> list[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return [re.escape(p).replace(r"\ ", r"\s+") for p in ordered]


def _word_alternation(phrases: list[str], not_after: str = "") -> str:
    """``(?<![not_after])(?:`` + ``_alternation(phrases)`` + ``)``, matching the same text, written so that ``re``
    scans for the phrases' first characters (see ``patterns.literal_first``)."""
    return literal_first(_alternatives(phrases), not_after)


@dataclass(frozen=True)
class Lexicon:
    comparators: ComparatorFile
    units: UnitFile
    numbers: NumberFile
    cues: CueFile
    pre_comparator_rev: re.Pattern[str]
    post_comparator: re.Pattern[str]
    pre_ops: dict[str, Op]
    pre_comparator_words: tuple[str, ...]
    """The comparator phrases before a number that are words ("below", "at most"), for patterns that skip one."""
    post_ops: dict[str, Op]
    unit_re: re.Pattern[str]
    unit_by_alias: dict[str, UnitRule]
    unit_by_id: dict[str, UnitRule]
    canonical_units: dict[str, str]
    """Per dimension, the first unit of units.json of that dimension with factor 1, which its values are given in."""
    reference_re: re.Pattern[str]
    reference_by_phrase: dict[str, str]
    bare_reference_re: re.Pattern[str]
    """References that are a limit on their own after a comparator ("≤ ULN", "below the lower limit of normal")."""
    direct_references: frozenset[str]
    range_references: frozenset[str]
    value_words: frozenset[str]
    """Every word of a unit, reference or comparator phrase: a bracket holding only these and a number restates
    a value ("(26.5 µmol/L)"), where a bracket with other words says something new ("(≤ 5 × ULN if ...)")."""
    number_word_re: re.Pattern[str]
    number_words: dict[str, float]
    multiplier_re: re.Pattern[str]
    number_word_starts: frozenset[str] | None
    """The first words of ``number_word_re``'s and ``multiplier_re``'s phrases (``patterns.first_words``): a text
    with none of them as a word has no number word, and most criteria have none."""
    implicit_one_re: re.Pattern[str]
    label_words: frozenset[str]
    versioned_names: frozenset[str]
    age_cues: frozenset[str]
    duration_entities: frozenset[str]
    label_after_re: re.Pattern[str]
    within_rev: re.Pattern[str]
    age_subject_rev: re.Pattern[str]
    class_words_rev: re.Pattern[str]
    stage_words_rev: re.Pattern[str]
    """A stage word right before a number, reversed."""
    negation_before: re.Pattern[str]
    negation_starts: re.Pattern[str]
    """Where a ``negation_before`` cue may start (``patterns.start_pattern``)."""
    negation_after: re.Pattern[str]
    exception_re: re.Pattern[str]
    exception_starts: re.Pattern[str]
    """Where an ``exception_re`` cue may start."""
    condition_re: re.Pattern[str]
    negative_condition_re: re.Pattern[str]
    weak_conditions: frozenset[str]
    item_kinds: frozenset[str]
    context_concepts: frozenset[str]
    generic_words: frozenset[str]
    pseudo_negation_re: re.Pattern[str]
    prohibition_re: re.Pattern[str]
    subject_opener_re: re.Pattern[str]
    clause_join_re: re.Pattern[str]
    """A comma before a coordinated opener of a clause of its own (", or you are ...", ", and if ..."): where a
    sentence that states two criteria joins them."""
    source_exclude_re: re.Pattern[str]
    event_stop_words: frozenset[str]
    count_stop_words: frozenset[str]
    count_classifiers: frozenset[str]
    people_nouns: frozenset[str]
    reference_stop_words: frozenset[str]
    list_fillers: frozenset[str]
    elision_links: frozenset[str]
    measure_qualifier_re: re.Pattern[str]

    def op_of_pre(self, phrase: str) -> Op:
        return self.pre_ops[" ".join(phrase.split())]

    def op_of_post(self, phrase: str) -> Op:
        return self.post_ops[" ".join(phrase.split())]

    def unit(self, alias: str) -> UnitRule:
        return self.unit_by_alias[" ".join(alias.split())]


_RESTATING = ("x", "times", "10", "that is", "ie", "i e", "about", "approximately", "around", "roughly", "or", "equal")
"""Words a bracket that restates a value may hold besides units and comparators: "(that is, 6.6% to 9.9%)"."""


def _canonical_units(units: UnitFile) -> dict[str, str]:
    canonical: dict[str, str] = {}
    for unit in units.units:
        if unit.factor == 1:
            canonical.setdefault(unit.dimension, unit.id)
    return canonical


@cache
def lexicon() -> Lexicon:
    comparators = load_rules("comparators.json", ComparatorFile)
    units = load_rules("units.json", UnitFile)
    numbers = load_rules("numbers.json", NumberFile)
    cues = load_rules("cues.json", CueFile)
    pre = [c for c in comparators.comparators if c.position == "pre"]
    post = [c for c in comparators.comparators if c.position == "post"]
    word_end = r"(?![a-z0-9])"
    aliases = {alias: unit for unit in units.units for alias in unit.aliases}
    for unit in units.units:  # what the renderer writes ("milliliters per minute") must read back as the unit
        aliases.setdefault(unit.say.lower(), unit)
    references = {phrase: ref for ref, phrases in comparators.references.items() for phrase in phrases}
    words = {**numbers.cardinals, **numbers.fractions}
    return Lexicon(
        comparators=comparators,
        units=units,
        numbers=numbers,
        cues=cues,
        pre_comparator_rev=re.compile(
            r"[ \t]*(?P<cmp>"
            + _word_alternation([c.phrase[::-1] for c in pre if not c.phrase[-1].isalpha()])
            + "|(?:"
            + _word_alternation([c.phrase[::-1] for c in pre if c.phrase[-1].isalpha()])
            + r")(?![a-z]))"
        ),
        post_comparator=re.compile(
            r"[ \t]*(?P<cmp>"
            + _word_alternation([c.phrase for c in post if not c.phrase[-1].isalpha()])
            + "|(?:"
            + _word_alternation([c.phrase for c in post if c.phrase[-1].isalpha()])
            + r")"
            + word_end
            + ")"
        ),
        pre_ops={c.phrase: c.op for c in pre},
        pre_comparator_words=tuple(sorted(c.phrase for c in pre if c.phrase[-1].isalpha())),
        post_ops={c.phrase: c.op for c in post},
        unit_re=re.compile(r"(?:[ \t]*|-)(?P<unit>" + _word_alternation(list(aliases)) + r")(?![a-z0-9µ])"),
        unit_by_alias=aliases,
        unit_by_id={unit.id: unit for unit in units.units},
        canonical_units=_canonical_units(units),
        reference_re=re.compile(
            r"[ \t]*(?:(?:[x×*]|times|folds?|-folds?)(?:[ \t]+as[ \t]+(?:high|much|great)[ \t]+as)?[ \t]*)?"
            r"(?:of[ \t]+)?(?:the[ \t]+)?(?P<ref>" + _word_alternation(list(references)) + r")" + word_end
        ),
        reference_by_phrase=references,
        direct_references=frozenset(comparators.direct_references),
        range_references=frozenset(comparators.range_references),
        bare_reference_re=re.compile(
            r"(?:t(?<![a-z]t)he[ \t]+(?:"  # "(?<![a-z])(?:the[ \t]+)?(?:...)", written to open with literals
            + _alternation(list(comparators.bare_references))
            + r")|"
            + _word_alternation(list(comparators.bare_references), "a-z")
            + r")"
            + word_end
        ),
        value_words=frozenset(
            word
            for phrase in [*aliases, *references, *(c.phrase for c in comparators.comparators), *_RESTATING]
            for word in re.findall(r"[a-zµ]+", phrase)
        ),
        number_word_re=re.compile(r"(?P<word>" + _word_alternation(list(words), "a-z") + r")(?![a-z])"),
        number_words=words,
        multiplier_re=re.compile(r"(?P<word>" + _word_alternation(list(numbers.multipliers), "a-z") + r")(?![a-z])"),
        number_word_starts=first_words([*words, *numbers.multipliers]),
        implicit_one_re=re.compile(
            r"(?:" + _word_alternation(list(numbers.implicit_one_after), "a-z") + r")[ \t]+"
            r"(?P<word>(?:the[ \t]+)?(?:" + _alternation(list(numbers.implicit_one_words)) + r"))[ \t]+"
            r"(?=(?:" + _alternation(list(numbers.implicit_one_units)) + r")(?![a-z]))"
        ),
        label_words=frozenset(numbers.label_words),
        versioned_names=frozenset(numbers.versioned_names),
        age_cues=frozenset(numbers.age_cues),
        duration_entities=frozenset(numbers.duration_entities),
        label_after_re=re.compile(r"[ \t]*(?:" + _word_alternation(list(numbers.label_after)) + r")(?![a-z])"),
        within_rev=re.compile(
            r"[ \t]*(?:[≥≤<>=][ \t]*)*(?:" + _word_alternation([p[::-1] for p in cues.within_phrases]) + r")(?![a-z])"
        ),
        age_subject_rev=re.compile(
            r"[ \t]*(?:[≥≤<>=][ \t]*)?(?:(?:" + _word_alternation([p[::-1] for p in cues.age_subjects]) + r")(?![a-z]))"
        ),
        class_words_rev=re.compile(
            r"[ \t]*(?:[≥≤><=][ \t]*)?(?:(?:of|is|:)[ \t]*)?(?P<word>"
            + _word_alternation([p[::-1] for p in numbers.class_words])
            + r")(?![a-z])"
        ),
        stage_words_rev=re.compile(
            r"[ \t]*(?:" + _word_alternation([p[::-1] for p in numbers.stage_words]) + r")(?![a-z])"
        ),
        negation_before=re.compile(r"(?P<cue>" + _word_alternation(list(cues.negation_before), "a-z'") + r")(?![a-z])"),
        negation_starts=re.compile(start_pattern(list(cues.negation_before), "a-z'")),
        exception_starts=re.compile(start_pattern(list(cues.exception), "a-z")),
        negation_after=re.compile(r"(?P<cue>" + _word_alternation(list(cues.negation_after), "a-z") + r")(?![a-z])"),
        exception_re=re.compile(r"(?P<cue>" + _word_alternation(list(cues.exception), "a-z") + r")(?![a-z])"),
        condition_re=re.compile(r"(?P<cue>" + _word_alternation(list(cues.condition), "a-z") + r")(?![a-z])"),
        negative_condition_re=re.compile(
            r"(?P<cue>" + _word_alternation(list(cues.negative_condition), "a-z") + r")(?![a-z])"
        ),
        weak_conditions=frozenset(cues.weak_conditions),
        item_kinds=frozenset(cues.item_kinds),
        context_concepts=frozenset(cues.context_concepts),
        generic_words=frozenset(cues.generic_words),
        pseudo_negation_re=re.compile(
            r"(?P<cue>" + _word_alternation(list(cues.pseudo_negations)) + r")(?![a-z])"
            r"(?![ \t]+(?:" + _alternation(list(cues.study_objects)) + r")(?![a-z]))"
        ),
        subject_opener_re=re.compile(r"(?:" + _word_alternation(list(cues.subject_openers), "a-z") + r")(?![a-z])"),
        clause_join_re=re.compile(
            r"[,;][ \t]*(?="
            + _alternation([o for o in cues.subject_openers if o.split()[0] in ("and", "or")])
            + r"(?![a-z]))"
        ),
        prohibition_re=re.compile(r"(?:" + _word_alternation(list(cues.prohibitions)) + r")(?![a-z])"),
        source_exclude_re=re.compile(r"(?:" + _word_alternation(list(cues.source_exclude_cues), "a-z") + r")(?![a-z])"),
        event_stop_words=frozenset(cues.event_stop_words),
        count_stop_words=frozenset(cues.count_stop_words),
        count_classifiers=frozenset(cues.count_classifiers),
        people_nouns=frozenset(cues.people_nouns),
        reference_stop_words=frozenset(cues.reference_stop_words),
        list_fillers=frozenset(cues.list_fillers),
        elision_links=frozenset(cues.elision_links),
        measure_qualifier_re=re.compile(
            r"[ \t]*(?:" + _alternation(list(cues.measure_qualifiers)) + r")(?:[ \t]+[a-z]+){0,3}?[ \t]+$"
        ),
    )
