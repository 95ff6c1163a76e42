"""The verifier's policy, in one place: what counts as equal, and how bad each kind of difference is.

Equality
- "between X and Y", "X to Y", "X-Y" are inclusive at both ends (the extractor reads them so).
- Values are compared in canonical units after conversion (g/dL = 10 g/L; ×10⁹/L = 1,000/µL; lb = 0.4536 kg).
- Times are compared in days (week = 7, month = 30.4375, year = 365.25) and are equal only within
  ``TIME_TOLERANCE`` (2 %): 3 months = 90 days = 13 weeks, but 12 weeks ≠ 3 months and 4 weeks ≠ 1 month.
- A time window's relation may be reworded between "within" and "for" ("in the past 6 months" / "for the past 6
  months") and between "at least" and "for" ("cough > 2 weeks" / "a cough that has lasted more than 2 weeks");
  its amount and comparator are still compared. Other relation changes are blockers.
- Titers compare denominators ("1:80" is 80). Ordinals ("second-line") are never counts.
- A Snellen visual acuity compares as its decimal (20/40 = 6/12 = 0.5), where better is higher: "20/40 or
  better" is >= 0.5, "worse than 20/200" is < 0.1. logMAR values are a scale of their own, never converted.
- A limit is compared by the eligible region it leaves: exclusion "creatinine clearance < 30" equals the
  requirement "creatinine clearance ≥ 30"; the same words under the opposite heading are a polarity flip.

Items
- Only named things whose loss or flip changes who may join are checked: the glossary kinds in the rule file's
  ``item_kinds`` (conditions, drugs, procedures, statuses, events), except its ``context_concepts`` ("female" in
  "pregnant or nursing female"). Measures and tests are checked through their limits.
- A criterion with nothing else to check ("Male or female") is kept when one sentence of the translation on its
  side, or two neighbouring ones, carries a third of its gist (its glossary concepts and the stems of its other
  words); found only on the other side with 60 % of its gist (or a third, there by a heading or a cue rather
  than a negation), it was moved (``statements``, ``by_gist``). A glossary term of such a criterion that no
  sentence names (by concept, or by half its written words) was dropped from it.
- A parent criterion is a heading when it ends with a colon or its sub-items state limits ("Adequate
  hematological, renal and hepatic functions" over the lab limits): its sub-items are checked, it is not. The
  items of a heading of at most four words that only names its sub-items ("Concomitant medications:") need not
  be named.
- A number a criterion gives outside its limits, windows and counts ("data from May 2021 to November 2021",
  "groups 1-3") must stand in the sentences that state it, as often as the criterion gives it (``numbers_kept``):
  else the number was changed (major).
- A criterion that only names things is also dropped when no sentence states it: each sentence's words go to
  the criteria that explain it best (``ownership``), so mentions in other criteria's sentences do not count.
- An item is covered by a mention of it, a broader or a narrower glossary concept on the same side, each mention
  serving one criterion; it is flipped when the item itself is named only on the other side. A sentence that
  names a thing twice outside brackets ("MAS at the start, or MAS in the last 8 weeks") mentions it twice; a name
  restated in brackets ("macrophage activation syndrome (MAS)") is one mention.
- A closed set the source names (a glossary term with ``members``: "first-degree relative") that the translation
  spells out must be spelled out whole: "a parent, sister or child (a first-degree relative)" leaves out brothers,
  a set shrunk (``definitions``). Examples ("such as a parent") spell nothing out.

Severity (the verdict is ``flag`` when any blocker or major finding exists)
- blocker: a limit, time window or exclusion item dropped; a value, unit, scale or reference changed;
  inclusion and exclusion swapped.
- major: a boundary moved (> vs ≥), a set shrunk or widened, a count or inclusion item dropped, a
  conditional alternative or exception clause dropped, a reference point changed, a whole criterion
  without numbers dropped, a limit or exclusion added.
- major also: a unit the source gives left out, even where the number is unchanged ("45%" -> "45").
- minor: a bare count (no comparator: "one of these", "three stages") with no counterpart, a unit the translation
  gives where the source gives none, a source unit the measure is never stated in left out ("BMI > 35%"), a
  reference point the glossary does not name
  ("treatment starts" for "first dose"), a named thing narrower than one the source names ("heart attack" where
  the source says "heart disease"), a reference point left out, an item the glossary
  does not know that was only paraphrased, an added inclusion item, a limit's restatement in a unit of another
  dimension left out or added ("≥ 7.0 mmol/L (126 mg/dL)"; a restatement given on both sides is compared as a limit).
"""

from __future__ import annotations

from translator.verify.types import Severity

TIME_TOLERANCE = 0.02
VALUE_TOLERANCE = 1e-6
"""Relative tolerance for values after unit conversion (rounding in conversion tables only)."""

SEVERITY: dict[str, Severity] = {
    "dropped.threshold": "blocker",
    "dropped.threshold.alternative": "major",
    "dropped.threshold.restated": "minor",
    "dropped.window": "blocker",
    "dropped.count": "major",
    "dropped.count_bare": "minor",
    "dropped.item.exclusion": "blocker",
    "dropped.item.inclusion": "major",
    "dropped.item.unknown": "major",
    "dropped.item.exception": "major",
    "dropped.criterion": "major",
    "dropped.criterion_part": "major",
    "altered.value": "blocker",
    "altered.unit": "blocker",
    "altered.reference": "blocker",
    "altered.boundary": "major",
    "altered.set": "major",
    "altered.condition": "major",
    "altered.exception": "major",
    "altered.relation": "blocker",
    "altered.reference_point": "major",
    "altered.reference_point_unclear": "minor",
    "altered.count": "major",
    "altered.number": "major",
    "altered.unit_dropped": "major",
    "altered.unit_impossible": "minor",
    "altered.unit_added": "minor",
    "altered.reference_point_omitted": "minor",
    "polarity": "blocker",
    "added.threshold": "major",
    "added.threshold.restated": "minor",
    "added.window": "major",
    "added.count": "major",
    "added.count_bare": "minor",
    "added.item.exclusion": "major",
    "added.item.inclusion": "minor",
    "added.item.narrower": "minor",
}


def severity(key: str) -> Severity:
    return SEVERITY[key]


def flags(severities: list[Severity]) -> bool:
    return any(s in ("blocker", "major") for s in severities)
