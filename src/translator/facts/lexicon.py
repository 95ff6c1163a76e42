"""The extractor's lexicon: rule files loaded once, validated, and compiled into anchored patterns.

Left context (comparators before a number, "between", the measured thing) is matched on the reversed text
so that every lookup is one anchored match, never a scan; right context (units, "or more", "× ULN") is an
anchored match at the position after the number. Nothing here builds a pattern per call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from translator.facts.patterns import first_words, literal_first, start_pattern
from translator.facts.rule_files import ComparatorFile, CueFile, NumberFile, Op, UnitFile, UnitRule
from translator.rules import load_rules


def _alternation(phrases: list[str]) -> str:
    """Longest first, spaces matching any run of whitespace."""
    return "|".join(_alternatives(phrases))


def _alternatives(phrases: list[str]) -> list[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return [re.escape(p).replace(r"\ ", r"\s+") for p in ordered]


def _scale_range(ranges: tuple[str, ...], nouns: tuple[str, ...]) -> re.Pattern[str] | None:
    """``numbers.json scale_ranges`` written with any range dash or "to", then an optional length unit or
    "points", up to three words of a scale's name, and a scale noun."""
    if not ranges or not nouns:
        return None
    ends = [low_high.split("-") for low_high in ranges]
    written = "|".join(rf"{re.escape(low)}[ \t]*(?:-|–|to|-to-)[ \t]*{re.escape(high)}" for low, high in ends)
    return re.compile(
        rf"(?<![0-9.,])(?:{written})(?![0-9.,])(?:[ \t]*(?:mm|cm|points?))?[ \t]*-?[ \t]*(?:[a-z'-]+[ \t]+){{0,3}}"
        rf"(?:{_alternation(list(nouns))})(?![a-z])"
    )


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
    rate_after_name_re: re.Pattern[str]
    """After a dose's unit, what the dose is of (a few words, an aside) and then a period ("mg of prednisone (or
    equivalent) daily"); the period group is ``rate``. Frequency words ("twice daily") are not what a dose is of."""
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
    length_look_back_rev: re.Pattern[str]
    """Reversed: a look-back ("the prior") right after a length comparator ("longer than"), the look-back matched."""
    phase_after: re.Pattern[str]
    """Right after a time amount, a phase noun ("-day treatment cycle", " week observation period"): the phase
    whose length the amount gives."""
    instrument_after: re.Pattern[str]
    """Right after a condition's name, an instrument noun, perhaps after "and" and one more word ("[Anxiety] and
    Depression Scale"): the condition names an instrument."""
    kind_after: re.Pattern[str]
    recovery_target: re.Pattern[str]
    """ "not resolved to grade", "unresolved toxicities from prior therapy to", searched ending where a limit
    starts (``recovery_verbs``)."""
    """Right after a name, a kind noun ("biologic] nature"): the name says what kind of thing, it is no item."""
    name_prefix_re: re.Pattern[str] | None
    """A negating prefix of a name ("non" of "non-ST-elevation"), before a hyphen or a space."""
    acuity_pre_rev: re.Pattern[str]
    """Reversed, anchored: a comparator of a Snellen acuity right before it ("worse than 20/200")."""
    acuity_post: re.Pattern[str]
    acuity_ops: dict[str, Op]
    acuity_near: re.Pattern[str]
    scale_range: re.Pattern[str] | None
    """A rating scale's range and the scale noun after it ("0-to-10 numerical pain rating scale"); None when the rule
    lists are empty."""
    age_subject_rev: re.Pattern[str]
    class_words_rev: re.Pattern[str]
    stage_words_rev: re.Pattern[str]
    """A stage word right before a number, reversed."""
    stage_word_after: re.Pattern[str]
    """A stage word written after its number and any sub-stage letter ("Ib stage NSCLC")."""
    negation_before: re.Pattern[str]
    negation_starts: re.Pattern[str]
    """Where a ``negation_before`` cue may start (``patterns.start_pattern``)."""
    negation_after: re.Pattern[str]
    exception_re: re.Pattern[str]
    name_exceptions: frozenset[str]
    exception_clause_openers: frozenset[str]
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
    cause_opener_re: re.Pattern[str]
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
    element_qualifiers: frozenset[str]
    elision_links: frozenset[str]
    measure_qualifier_re: re.Pattern[str]

    def op_of_pre(self, phrase: str) -> Op:
        return self.pre_ops[" ".join(phrase.split())]

    def op_of_post(self, phrase: str) -> Op:
        return self.post_ops[" ".join(phrase.split())]

    def op_of_acuity(self, phrase: str) -> Op:
        return self.acuity_ops[" ".join(phrase.split())]

    def unit(self, alias: str) -> UnitRule:
        return self.unit_by_alias[" ".join(alias.split())]


_RESTATING = (
    *("x", "times", "10", "that is", "ie", "i e", "about", "approximately", "around", "roughly", "or", "equal"),
    "equivalent",
)
"""Words a bracket that restates a value may hold besides units and comparators: "(that is, 6.6% to 9.9%)",
"0.5 mL/min (equivalent of 25-30 mL/h)"."""


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
        rate_after_name_re=re.compile(
            r"(?:[ \t]+of(?:[ \t]+(?!(?:once|twice|thrice|times)(?![a-z]))[a-z][a-z'-]*){1,4})?"
            r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*(?P<rate>"
            + _word_alternation(list(units.rate_after_name))
            + r")(?![a-z])"
        ),
        canonical_units=_canonical_units(units),
        reference_re=re.compile(
            r"[ \t]*(?:(?:[x×*]|times|folds?|-folds?)"
            r"(?:[ \t]+as[ \t]+(?:high|much|great)[ \t]+as|[ \t]+(?:higher|greater|more)[ \t]+than|[ \t]+above)?"
            r"[ \t]*)?"
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
        label_after_re=re.compile(
            r"[ \t]*(?:"
            + _word_alternation(list(numbers.label_after))
            + r"|-?[ \t]*(?:"
            + _word_alternation(list(numbers.timed_test_units))
            + r")[ \t]*-?[ \t]*(?:"
            + _word_alternation(list(numbers.timed_test_names))
            + r"))(?![a-z])"
        ),
        name_prefix_re=(
            re.compile(r"(?<![a-z])(?:" + _alternation(list(cues.negating_name_prefixes)) + r")(?=[ \t-])")
            if cues.negating_name_prefixes
            else None
        ),
        instrument_after=re.compile(
            r"[ \t-]+(?:(?:and|&)[ \t]+[a-z'-]+[ \t]+)?(?:"
            + _word_alternation(list(cues.instrument_nouns))
            + r")(?![a-z])"
        ),
        recovery_target=re.compile(
            r"(?:n(?<![a-z]n)ot[ \t]+(?:(?:yet|fully|completely|entirely|been)[ \t]+){0,3}(?:"
            + _word_alternation(list(cues.recovery_verbs))
            + r")(?:[ \t]+back)?|u(?<![a-z]u)n(?:"
            + _word_alternation([verb for verb in cues.recovery_verbs if " " not in verb])
            + r")(?:[ \t]+[a-z0-9/-]+){0,8}?)[ \t]+to(?![a-z])(?:[^,;()\n.]|\.(?=\S)){0,30}$"
        ),
        kind_after=re.compile(r"[ \t]+(?:" + _word_alternation(list(cues.kind_nouns)) + r")(?![a-z])"),
        phase_after=re.compile(r"[ \t]+(?P<phase>" + _word_alternation(list(cues.phase_nouns)) + r")(?![a-z-])"),
        acuity_pre_rev=re.compile(
            r"[ \t]*(?P<cmp>"
            + _word_alternation([c.phrase[::-1] for c in comparators.acuity_comparators if c.position == "pre"])
            + r")(?![a-z])"
        ),
        acuity_post=re.compile(
            r"[ \t]*(?P<cmp>"
            + _word_alternation([c.phrase for c in comparators.acuity_comparators if c.position == "post"])
            + r")(?![a-z])"
        ),
        acuity_ops={c.phrase: c.op for c in comparators.acuity_comparators},
        scale_range=_scale_range(numbers.scale_ranges, numbers.scale_range_nouns),
        acuity_near=re.compile(r"(?<![a-z])(?:" + _word_alternation(list(numbers.acuity_words)) + r")(?![a-z])"),
        length_look_back_rev=re.compile(
            r"[ \t]+(?:roirp|tsap|tsal|suoiverp|gnideceerp)[ \t]+eht[ \t]+(?=(?:"
            + _word_alternation([p[::-1] for p in cues.length_comparators])
            + r")(?![a-z]))"
        ),
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
        stage_word_after=re.compile(r"[a-c]?[ \t]+(?:" + _word_alternation(list(numbers.stage_words)) + r")(?![a-z])"),
        negation_before=re.compile(r"(?P<cue>" + _word_alternation(list(cues.negation_before), "a-z'") + r")(?![a-z])"),
        negation_starts=re.compile(start_pattern(list(cues.negation_before), "a-z'")),
        exception_starts=re.compile(start_pattern(list(cues.exception), "a-z")),
        negation_after=re.compile(r"(?P<cue>" + _word_alternation(list(cues.negation_after), "a-z") + r")(?![a-z])"),
        exception_re=re.compile(r"(?P<cue>" + _word_alternation(list(cues.exception), "a-z") + r")(?![a-z])"),
        name_exceptions=frozenset(" ".join(c.split()) for c in cues.name_exceptions),
        exception_clause_openers=frozenset(cues.exception_clause_openers),
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
        cause_opener_re=re.compile(r"(?<![a-z])(?:" + _word_alternation(list(cues.cause_openers)) + r")(?![a-z])"),
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
        element_qualifiers=frozenset(cues.element_qualifiers),
        elision_links=frozenset(cues.elision_links),
        measure_qualifier_re=re.compile(
            r"[ \t]*(?:" + _alternation(list(cues.measure_qualifiers)) + r")(?:[ \t]+[a-z]+){0,3}?[ \t]+$"
        ),
    )
