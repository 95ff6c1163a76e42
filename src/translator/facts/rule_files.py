"""The rule files the lexicon is built from (comparators, units, numbers, cues), as pydantic models: each file is
validated on load (``extra="forbid"``, cross-list checks), so a broken rule file fails with where it broke."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from translator.rules import RuleFile

Op = Literal[">", "≥", "<", "≤", "="]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _within(entries: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """A list that narrows another holds only the other's entries: the loader says which ones it does not."""
    unknown = sorted(set(entries) - set(allowed))
    if unknown:
        raise ValueError(f"{what}: {unknown}")


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
    acuity_comparators: tuple[ComparatorRule, ...]
    """Comparators of a Snellen visual acuity, read as its decimal, where better is higher ("20/40 or better")."""

    @model_validator(mode="after")
    def _references_are_known(self) -> ComparatorFile:
        phrases = {p for group in self.references.values() for p in group}
        _within(self.direct_references, phrases, "direct_references that are not references")
        _within(self.range_references, self.bare_references, "range_references that are not bare_references")
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
    rate_after_name: dict[str, Literal["day", "week"]]
    """A period said after what a dose is of ("5 mg of prednisone (or equivalent) daily"): the dose unit's rate
    per that period, where the file has one (mg → mg/day)."""
    in_capitals: dict[str, str | None] = Field(default_factory=dict)
    """Aliases that are another unit (or none: null) when written in capitals in text that has lower-case
    letters: there "MS" is multiple sclerosis ("≥2 MS relapses") and "D" diopters ("≥1.00D of cylinder"), while
    milliseconds and days are written "ms" and "d" (in an all-capitals criterion the alias keeps its unit)."""

    @model_validator(mode="after")
    def _capitals_are_aliases(self) -> UnitFile:
        _within(self.in_capitals, [a for u in self.units for a in u.aliases], "in_capitals that are no alias")
        ids = [u.id for u in self.units]
        _within([i for i in self.in_capitals.values() if i is not None], ids, "in_capitals units that are unknown")
        return self


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
    """Measures whose value is a length of time ("life expectancy > 3 months"): a time amount after them is a
    limit on them, not a time window."""
    label_after: tuple[str, ...]
    """Words that make the number before them a label: "T790M mutation at 20 exon"."""
    timed_test_units: tuple[str, ...]
    timed_test_names: tuple[str, ...]
    """A time amount that names a test: one of ``timed_test_units`` (after a space, a hyphen or nothing) and then
    one of ``timed_test_names``: "24-hour urine protein", "2h post glucose", "10 yr probability"."""
    implicit_one_after: tuple[str, ...]
    implicit_one_words: tuple[str, ...]
    implicit_one_units: tuple[str, ...]
    """ "within a week", "in the past year", "in the week before": after one of ``implicit_one_after``, one of
    ``implicit_one_words`` (with the "the" before it) right before a singular time unit stands for the number 1."""
    acuity_words: tuple[str, ...]
    """Words near which "20/40" is a Snellen visual acuity (its decimal, 0.5), not a ratio."""
    scale_range_nouns: tuple[str, ...]
    scale_ranges: tuple[str, ...]
    """Ranges ("0-10") that, right before a scale noun of ``scale_range_nouns`` (after a unit and up to three words
    of the scale's name), state a rating scale's range ("pain > 5 (0-10 scale)"), not a limit."""


class CueFile(RuleFile):
    negation_before: tuple[str, ...]
    negation_after: tuple[str, ...]
    exception: tuple[str, ...]
    name_exceptions: tuple[str, ...]
    """Exception cues that except a name ("malignant tumors except NSCLC within 5 years"): the time window after
    the name is the rule's, not the exception's. Each is an ``exception`` cue."""
    exception_clause_openers: tuple[str, ...]
    """Words that, right after a name exception, make it a clause ("except if ...", "other than those who ..."),
    as a noun for people does ("except patients free of disease for 5 years"): a window in it is the exception's."""
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
    length_comparators: tuple[str, ...]
    """Comparator phrases that measure how long something lasts ("longer than 6 weeks" is a duration); a look-back
    between one and its amount keeps the comparator ("longer than the prior 6 months"), as after no other one
    ("over the past 6 months" is a look-back)."""
    phase_nouns: tuple[str, ...]
    """Nouns of a study or regimen phase whose length a time amount before them gives ("28-day treatment cycle")."""
    negating_name_prefixes: tuple[str, ...]
    """Negation words that are a prefix of a glossary name ("non-ST-elevation myocardial infarction"): inside a name
    they negate nothing after it."""
    instrument_nouns: tuple[str, ...]
    """Nouns that make a condition named before them part of a rating instrument's name ("Hospital Anxiety and
    Depression Scale", "pain score"): the name measures the condition, it does not require or exclude it."""
    kind_nouns: tuple[str, ...]
    """Nouns after which a name says what kind of thing is meant ("investigational drug of chemical or biologic
    nature"): the name describes, it is no item."""
    recovery_verbs: tuple[str, ...]
    """Verbs of coming back to a level ("resolved", "recovered"): after "not" and one, a limit after "to" is the level
    not yet reached, and is negated ("toxicities that have not resolved to grade ≤ 1" leave grade ≤ 1 eligible)."""
    within_phrases: tuple[str, ...]
    """Phrases before a time amount that make it a look-back window ("in the previous 6 months")."""
    age_subjects: tuple[str, ...]
    age_alone_words: tuple[str, ...]
    """Words besides the people of ``age_subjects`` that a criterion holding only an amount of years may have, for
    the amount still to be their age ("Healthy male and female subjects, 18 - 45 years")."""
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
    cause_openers: tuple[str, ...]
    """Words that give a cause ("cannot comply because of a psychiatric illness"): a negation before one does not
    reach the cause, which is itself the reason the rule names."""
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
    element_qualifiers: tuple[str, ...]
    """Words that may qualify an element of a list of timed events after its separator ("myocardial infarction,
    severe arrhythmia ... within 6 months"), without being an element of their own."""
    elision_links: tuple[str, ...]
    """Words a term's shared lead may end on when conjuncts after it stand for its last words ("hepatitis caused
    by drugs, viruses or the immune system", "medications for diabetes, BP or lipids"); see ``coordination``."""
    measure_qualifiers: tuple[str, ...]
    """Words after a limit's measure that say where it comes from ("adverse events from prior anticancer therapy of
    grade > 1"): a term named after one, before the value, describes the measure; it is no item of its own."""

    @model_validator(mode="after")
    def _narrowing_lists_are_within_theirs(self) -> CueFile:
        _within(self.name_exceptions, self.exception, "name_exceptions that are not exception cues")
        _within(self.prohibitions, self.negation_before, "prohibitions that are not negation_before cues")
        _within(self.exclusion_after, self.negation_after, "exclusion_after cues that are not negation_after cues")
        return self
