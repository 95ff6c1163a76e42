"""The word tables behind the verifier eval's mutations and paraphrases (rules as data).

Comparator phrases only count when a number follows (or, for "or more", precedes), so "more than one
of these" and "at least 6 months" are edited and "more than usual" is not.
"""

from __future__ import annotations

import re

from translator.domain import Section
from translator.evaluation.textedit import ANY_NUMBER


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


QUANTITY_UNITS = (
    "times the upper limit of normal",
    "years of age",
    "years old",
    "year old",
    "mL/min/1.73 m2",
    "mL per minute",
    "per microliter",
    "per liter",
    "percent",
    "kg/m2",
    "kg/m²",
    "mg/dL",
    "mg/dl",
    "g/dL",
    "g/dl",
    "mmol/L",
    "µmol/L",
    "umol/L",
    "mL/min",
    "ml/min",
    "IU/mL",
    "mm Hg",
    "mmHg",
    "points",
    "months",
    "month",
    "weeks",
    "week",
    "years",
    "year",
    "days",
    "day",
    "hours",
    "hour",
    "g/L",
    "kg",
    "mg",
    "ms",
    "cm",
    "mm",
    "%",
)
_UNITS = "|".join(re.escape(u) for u in QUANTITY_UNITS)
QUANTITY = rf"(?:{ANY_NUMBER})(?:\s?(?:{_UNITS})(?![\w/]))?"
"""A number with an optional unit right after it: "45%", "6 months", "18 years old", "3"."""
LEAD = r"(?:a |an |the age of |age )?"
"""Words allowed between a comparator and its number ("at least a 1-year history", "over the age of 18")."""

BOUNDARY_PREFIX: dict[str, str] = {
    "more than": "at least",
    "greater than": "at least",
    "at least": "more than",
    "less than": "no more than",
    "fewer than": "no more than",
    "no more than": "less than",
    "not more than": "less than",
    "no less than": "more than",
    "at most": "less than",
    "under": "up to",
    "up to": "under",
    "above": "at least",
    "below": "at most",
    "a minimum of": "more than",
    "a maximum of": "less than",
}
"""Moving a boundary in place: the same direction, the other side of the limit."""
BOUNDARY_TO_SUFFIX: dict[str, str] = {"over": "or more", "older than": "or older", "younger than": "or younger"}
"""Moving a boundary by rewording: "over 45%" -> "45% or more", "younger than 50" -> "50 or younger"."""
BOUNDARY_FROM_SUFFIX: dict[str, str] = {
    "or more": "over",
    "or older": "older than",
    "or younger": "younger than",
    "or higher": "higher than",
    "or lower": "lower than",
    "or less": "less than",
    "or fewer": "fewer than",
    "or above": "above",
    "or below": "below",
    "or greater": "greater than",
    "or over": "over",
}
""""18 or older" -> "older than 18": the number moves after the comparator."""
BOUNDARY_SYMBOLS: dict[str, str] = {"≥": ">", ">": "≥", "≤": "<", "<": "≤", ">=": ">", "<=": "<"}

FLIP_PREFIX: dict[str, str] = {
    "more than": "less than",
    "greater than": "less than",
    "fewer than": "more than",
    "less than": "more than",
    "at least": "at most",
    "at most": "at least",
    "no more than": "no less than",
    "not more than": "not less than",
    "no less than": "no more than",
    "no fewer than": "no more than",
    "over": "under",
    "under": "over",
    "above": "below",
    "below": "above",
    "higher than": "lower than",
    "lower than": "higher than",
    "older than": "younger than",
    "younger than": "older than",
    "up to": "at least",
    "a minimum of": "a maximum of",
    "a maximum of": "a minimum of",
}
FLIP_SUFFIX: dict[str, str] = {
    "or more": "or less",
    "or less": "or more",
    "or fewer": "or more",
    "or older": "or younger",
    "or younger": "or older",
    "or higher": "or lower",
    "or lower": "or higher",
    "or above": "or below",
    "or below": "or above",
    "or greater": "or less",
    "or over": "or under",
}
FLIP_SYMBOLS: dict[str, str] = {"≥": "≤", "≤": "≥", ">": "<", "<": ">", ">=": "<=", "<=": ">="}

TIME_UNIT_SWAPS: dict[str, str] = {
    "minute": "hour",
    "hour": "day",
    "day": "week",
    "week": "month",
    "month": "year",
    "year": "month",
}
"""After a number: "12 weeks" -> "12 months", "1-year history" -> "1-month history"."""
FREQUENCY_SWAPS: dict[str, str] = {"day": "week", "week": "day", "month": "week", "year": "month"}
"""After "per", "a", "each", "every": "4 to 14 migraine days each month" -> "… each week"."""
LAB_UNIT_SWAPS: dict[str, str] = {
    "mg/dL": "g/dL",
    "mg/dl": "g/dl",
    "g/dL": "mg/dL",
    "g/dl": "mg/dl",
    "g/L": "mg/L",
    "mg/L": "g/L",
    "mmol/L": "µmol/L",
    "mmol/l": "µmol/l",
    "µmol/L": "mmol/L",
    "umol/L": "mmol/L",
    "mL/min": "L/min",
    "ml/min": "l/min",
    "mL per minute": "L per minute",
    "IU/mL": "IU/L",
    "mg/kg": "g/kg",
    "per microliter": "per liter",
    "per liter": "per milliliter",
    "kg": "lb",
    "mg": "g",
    "cm": "mm",
    "mm": "cm",
    "ms": "s",
    "%": "",
    " percent": "",
}
"""After a number. "%" -> nothing leaves the bare number ("45%" -> "45")."""
SCALE_SWAPS: dict[str, str] = {
    "10⁹": "10⁶",
    "10^9": "10^6",
    "10⁶": "10⁹",
    "10^6": "10^9",
    "10¹²": "10⁹",
    "10^12": "10^9",
}

REFERENCE = (
    r"(?:the\s+)?(?:(?:institutional|site's|local)\s+)?(?:upper limit of (?:the )?normal(?: range)?|upper normal limit"
    r"|normal upper limit|lower limit of normal|ULN|LLN|highest normal (?:value|level)|normal (?:value|level|limit))"
    r"(?:\s*\((?:ULN|LLN|[^()]{1,40})\))?"
)
"""What a ×ULN factor is counted against ("3 times the upper limit of normal (ULN)", "5 times the normal value")."""
MULTIPLIER_WORDS: dict[str, int] = {"twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
ENZYME_WORDS = r"\b(?:ALT|AST|SGPT|SGOT|ALP|GGT|CK|aminotransferase|transaminase|enzyme|phosphatase|amylase|lipase)"
"""A ×ULN limit on these is replaced by U/L when the reference is dropped; anything else by mg/dL."""
PREDICTED = r"(?<=%)\s*(?:of (?:the )?)?predicted(?: values?| normal)?"

POLARITY_LEAD_INS: tuple[tuple[str, Section], ...] = (
    (
        r"You (?:also )?(?:cannot|can't|can not|may not|must not|should not) (?:join|take part|be part of this study)"
        r"(?: in (?:the|this) (?:study|screening phase|study phase))? if ",
        "exclusion",
    ),
    (
        r"(?:You (?:can|may) (?:also )?(?:be able to )?(?:join|take part)(?: in (?:the|this) (?:study|screening phase"
        r"|study phase))? if )",
        "inclusion",
    ),
)
"""A statement that opens with its own side; moving it across drops the lead-in and moves it under the other
heading ("You cannot join if you have HIV." -> "You have HIV." among the reasons to join)."""
POLARITY_CUES: dict[str, str] = {
    "cannot take part": "can take part",
    "cannot join": "can join",
    "can't join": "can join",
    "are not eligible": "are eligible",
    "can take part": "cannot take part",
    "can join": "cannot join",
    "are eligible": "are not eligible",
    "rules you out": "is required",
}
"""A side stated inside a statement ("Women … cannot take part."): swapped in place."""
SIDE_CUES: tuple[str, ...] = (*POLARITY_CUES, "rule you out", "rules you out", "keep you out", "keeps you out")
"""Every phrase that states a side inside a statement. A statement with two of them ("Abnormal results rule you
out if the doctor judges them a reason you cannot take part") has no single side to swap: no mutant."""
NOT_ITEM_START = _words(
    "with measured given in including included other show shows plan such for at on by from to within during "
    "after before except especially like not unless or and nor than because so then even e.g i.e based as if "
    "when where while whether who which that this these those it they we you your there but also only either "
    "both all each every is are was were be been has have had do does did can could may might must should will "
    "would according following using taken done confirmed defined same whichever"
)
"""A list item does not open with these ("…, measured within 2 weeks, …" is a phrase, not an item)."""
NOT_ITEM_END = _words("with that to of the a an and or in for by than as at on from who which if")
ITEM_VERBS = _words("is are was were be been has have had will can must should would could may")

MUST_REWORDS: tuple[tuple[str, str], ...] = (
    (r"^([Yy]ou) must (?:also )?be ", r"\1 are "),
    (r"^([Yy]ou) must (?:also )?have been ", r"\1 have been "),
    (r"^([Yy]ou) must (?:also )?have ", r"\1 have "),
    (r"^([Yy]our [^.;]{1,80}?) must (?:also )?be ", r"\1 is "),
    (r"^([Yy]ou) must (?:also )?(?!not\b)", r"\1 "),
)
"""A requirement moved among the reasons not to join is reworded to read as a fact about the reader."""
ANAPHORA = r"^(?:So |The same |This |These |That |It |Also |Or |And )"
"""Statements that lean on the one before; they are not moved or reordered."""

UPPER_AGE = (
    r"\d+\s*(?:-|–|~|to|and)\s*\d+\s*(?:years|yrs|year)",
    r"(?:≤|<=|=<|<|under|younger than|up to|no older than|not older than|below|less than|maximum of|at most)"
    r"\s*(?:the age of\s*)?\d+\s*(?:years|yrs)",
    r"\b(?:age[ds]?|old)\s*(?:≤|<=|=<|<)\s*\d+",
    r"\d+\s*(?:years|yrs)?(?: old| of age)?,? or younger",
    r"\b(?:age[ds]?|old)\b[^.;\n]{0,30}\b(?:to|and|-|–)\s*\d+",
)
"""Any of these in the source (or the translation) means it already has an upper age limit."""

INVENTED_LIMITS: tuple[tuple[str, str, str, str], ...] = (
    (
        "bmi",
        r"\bBMI\b|body mass index|weigh",
        "Your body mass index (BMI) is less than 35.",
        "Your body mass index (BMI) must be less than 35.",
    ),
    (
        "hemoglobin",
        r"h(?:a)?emoglobin|\bHb\b|\bHgb\b|anemi|anaemi",
        "Your hemoglobin is at least 10 g/dL.",
        "Your hemoglobin must be at least 10 g/dL.",
    ),
    (
        "platelets",
        r"platelet",
        "Your platelet count is at least 100,000 per microliter.",
        "Your platelet count must be at least 100,000 per microliter.",
    ),
    (
        "kidney",
        r"creatinine|kidney|renal|\be?GFR\b|\bCrCl\b|dialysis",
        "Your creatinine clearance (how well your kidneys filter) is at least 60 mL/min.",
        "Your creatinine clearance (how well your kidneys filter) must be at least 60 mL/min.",
    ),
    (
        "blood_pressure",
        r"blood pressure|\bBP\b|mm ?Hg|hypertension",
        "Your systolic blood pressure (the top number) is below 150 mm Hg.",
        "Your systolic blood pressure (the top number) must be below 150 mm Hg.",
    ),
    (
        "liver",
        r"\bALT\b|\bAST\b|transaminase|aminotransferase|liver|hepatic|bilirubin",
        "Your ALT (a liver test) is no more than 3 times the upper limit of normal.",
        "Your ALT (a liver test) must be no more than 3 times the upper limit of normal.",
    ),
    (
        "hba1c",
        r"HbA1c|\bA1c\b|glycated|glycosylated|diabet",
        "Your HbA1c (a measure of average blood sugar) is below 9%.",
        "Your HbA1c (a measure of average blood sugar) must be below 9%.",
    ),
)
"""(name, what in the source means it is already limited, bullet sentence, prose sentence)."""
UPPER_AGE_LIMIT = ("upper_age", "You are 75 years old or younger.", "You must be 75 years old or younger.")

INVENTED_EXCLUSIONS: tuple[tuple[str, str, str], ...] = (
    ("epilepsy", r"epilep|seizure|convuls", "have epilepsy (seizures)"),
    ("stroke", r"stroke|cerebrovascular|\bTIA\b|ischemic attack", "have had a stroke"),
    ("glaucoma", r"glaucoma|\beye", "have glaucoma (an eye disease)"),
    ("psoriasis", r"psoria|skin", "have psoriasis (a skin disease)"),
    ("penicillin", r"penicillin|allerg", "are allergic to penicillin"),
    ("tuberculosis", r"tubercul|\bTB\b", "have tuberculosis (TB)"),
    ("multiple_sclerosis", r"sclerosis|\bMS\b|demyelinat", "have multiple sclerosis"),
    ("kidney_stones", r"kidney stone|nephrolith|renal|kidney", "have kidney stones"),
    ("asthma", r"asthma|lung|pulmonary|respirat", "have asthma"),
    ("pacemaker", r"pacemaker|implant|device", "have a pacemaker"),
)
"""(name, what in the source means it already names it, what "You … ." says)."""

COMPARATOR_SYNONYMS: dict[str, str] = {
    "no more than": "no higher than",
    "not more than": "no higher than",
    "more than": "over",
    "less than": "under",
    "at least": "no less than",
    "at most": "no more than",
    "greater than": "more than",
    "above": "over",
    "below": "under",
}
"""Paraphrases that keep the boundary: each side of each pair means the same limit."""
NO_WORDS_AFTER = (
    r"(?:type|grade|stage|class|version|phase|step|level|cycle|day|week|month|visit|dose|part|group|cohort|arm|size)"
)
"""A number after these is a name, not a quantity: left as digits ("type 2 diabetes", "grade 3")."""
LAY_VERBS = _words(
    "attacks attacking stops stop is are has have had spread spreads spreading restore restores gets makes move "
    "moves pass passes blow breathe filter works work leaking expected live clot help agree give take"
)
"""A glossary lay name with one of these is a clause ("immune system attacks the body"), not a noun phrase."""
UNIT_WORDS = _words("mmol umol µmol mmhg pg/ml ng/ml mcg iu/ml kpa bpm")
"""Unit abbreviations a number keeps as digits when written out ("one g" is not how anyone writes it)."""
NAME_CONTINUES = _words(
    "class score grade stage criteria criterion scale index count level levels test value values status equation "
    "formula rules classification version type positive negative"
)
"""A word that continues a term's name: no explanation goes between "NYHA" and "class III"."""
NOT_MERGED_AFTER = r"\b(?:except|unless|other than|apart from|but not|excluding)\b"
"""A statement with an exception is not merged with the next one: the exception would seem to cover both."""
LINK_WORDS = _words("below above over under less more greater higher lower within of than since until")
"""Words after a term that start a new phrase ("eGFR below 15"), so the term can take its lay name."""
