"""The Markdown page of the extraction eval (reports/extraction.md), written from the eval's JSON data."""

from __future__ import annotations

from typing import Any

from translator.evaluation.extraction_precision import ERRORS
from translator.evaluation.reporting import md_table

_METHOD = """\
## Method

Every one of Chia's 2,000 documents (`chia/chia_without_scope`, read in place, decoded from bytes so the `\\r` of
CRLF files stays and the `.ann` offsets hold) is segmented (`_exc` files as exclusion) and its facts extracted,
exactly as `translator facts` does. Its `.ann` is parsed for text-bound entities (relations, `OR` groups and
attribute lines are skipped).

- **Numeric Value span**: a Chia `Value` whose text carries a digit or a number word (cardinals, "half",
  "twice", "triple"; not ordinals). Roman numerals alone ("III", "I-III") do not count; they are scored apart.
- **Found**: one of our thresholds, counts or time windows *overlaps* the span: the fact's span and one of the
  entity's fragments share at least one character (`fact.start < frag.end and frag.start < fact.end`). For a
  discontinuous span any fragment will do. Items never count.
- **Set aside** from the Value denominator (counted below, never silently): *code*, when every number of the span
  lies inside an alphanumeric code of the document (TNM `T2b`, `N0`, `M0`, fibrosis `F3`, spinal level `C3-T1`;
  Chia often tags only the `0` of `N0`), and *formula*, an arithmetic expression rather than a value.
- **Duration Temporal span**: a Chia `Temporal` whose text has a number followed by a time unit ("within 6
  months", "> 2 weeks", "two (2) years", "5-yr"); "on day 15", "at Visit 1", "history of" are not durations. Found
  when one of our time windows, or a threshold whose unit is a time (age, disease duration, life expectancy),
  overlaps it as above.
- **Precision**: a bottom-k hash sample (fixed seed) of our thresholds, windows and counts, judged by hand
  against the criterion (value, comparator or interval, unit, entity or event, polarity; comparators judged
  against the text as written, since Chia lost many `≥`). Judgments are keyed by (doc, span, signature) in
  `evals/extraction/precision_judgments.jsonl`; when the extractor changes a fact its old judgment no longer
  applies and the fact is listed by `translator eval extraction --unjudged` with a line to fill in.
- **Miss shapes**: the first matching rule of `extraction_gold.SHAPES`, so misses group by what the extractor
  would have to learn.
"""


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(str(value)):.1%}"


def _figures(data: dict[str, Any]) -> list[str]:
    value, roman, temporal, prec = (
        data[k] for k in ("value_recall", "roman_value_recall", "temporal_recall", "precision")
    )
    met = "met" if value["recall"] is not None and value["recall"] >= value["target"] else "not met"
    low, high = prec["wilson_95"]
    rows = [
        [
            "numeric Value spans",
            value["gold"],
            value["found"],
            _pct(value["recall"]),
            f"≥ {value['target']:.0%} ({met})",
        ],
        ["duration Temporal spans", temporal["gold"], temporal["found"], _pct(temporal["recall"]), ""],
        ["Roman-numeral Value spans (apart)", roman["gold"], roman["found"], _pct(roman["recall"]), ""],
    ]
    sections = ", ".join(f"{k} {_pct(v['recall'])} of {v['gold']}" for k, v in value["by_section"].items())
    aside = "; ".join(f"{k}: {v['spans']} (found anyway {v['found_anyway']})" for k, v in value["set_aside"].items())
    return [
        "## Figures",
        "",
        md_table(["measure", "gold spans", "found", "recall", "target"], rows),
        "",
        f"Numeric Value recall by section: {sections}. Set aside: {aside or 'none'}; "
        f"counting them, recall would be {_pct(value['recall_without_setting_aside'])}.",
        "",
        f"**Precision**: {_pct(prec['precision'])} ({prec['right']} right of {prec['judged']} judged; Wilson 95% "
        f"{low:.1%}–{high:.1%}) on a sample of {prec['sample']} of our {prec['population']} thresholds, windows and "
        f"counts. Unjudged in the current sample: {prec['unjudged']}. Stale judgments (fact no longer drawn): "
        f"{prec['stale_judgments']}.",
        "",
        md_table(
            ["kind", "judged", "right", "wrong"],
            [[k, v["judged"], v["right"], v["wrong"]] for k, v in prec["by_kind"].items()],
        ),
    ]


def _misses(title: str, recall: dict[str, Any], examples: list[dict[str, Any]]) -> list[str]:
    first: dict[str, str] = {}
    for example in examples:
        first.setdefault(example["shape"], f"`{example['text']}` ({example['doc']})")
    rows = [[shape, count, first.get(shape, "")] for shape, count in recall["miss_shapes"].items()]
    return [f"## Missed {title} by shape", "", md_table(["shape", "misses", "example"], rows)]


def _wrong(prec: dict[str, Any]) -> list[str]:
    title = ["## Wrong facts in the precision sample", ""]
    if not prec["wrong_facts"]:
        return [*title, "None among the judged facts."]
    errors = [[name, count, ERRORS[name]] for name, count in prec["errors"].items()]
    rows = [
        [f"{w['doc']} {w['criterion']}", f"`{w['text']}`", f"`{w['signature']}`", w["error"], w["reason"]]
        for w in prec["wrong_facts"]
    ]
    return [
        *title,
        "What the wrong facts got wrong (one error each, the first that applies):",
        "",
        md_table(["error", "facts", "meaning"], errors),
        "",
        md_table(["where", "span", "our fact", "error", "why wrong"], rows),
    ]


def _caveats(data: dict[str, Any]) -> list[str]:
    chia = data["chia"]
    lost_text = "; ".join(f"{k.removeprefix('text: ')}: {v}" for k, v in chia.items() if k.startswith("text: "))
    lost_values = "; ".join(
        f"{k.removeprefix('value spans: ')}: {v}" for k, v in chia.items() if k.startswith("value spans: ")
    )
    return [
        "## Caveats about Chia",
        "",
        f"- {chia['crlf_documents']} of {chia['documents']} documents use CRLF; offsets count the `\\r`. "
        f"{chia['discontinuous_entities']} of {chia['entities']} entities are discontinuous. On "
        f"{chia['stated_text_differs_from_slice']} entities the text the `.ann` states is not the document's slice "
        f"({chia['stated_text_differs_by_a_dropped_cr']} only drop a `\\r`, the others are mislabelled slices); "
        "the eval trusts the offsets.",
        "- Comparator direction is not gold: many `≥`/`≤` were lost or garbled upstream. In the documents: "
        f"{lost_text}. In numeric Value spans: {lost_values}. Such spans still say *where* a value is, so they stay "
        "in the denominator; a fact reading `Age = 18 years` as `= 18` is judged right as written.",
        '- Chia\'s `Multiplier` means counts and frequencies ("at least one", "daily"), not ×ULN factors, and '
        f"is not used here ({chia['numeric_multiplier_spans']} Multiplier spans carry a number). Chia is not "
        f"consistent about it: {chia['multiplier_spans_with_a_dose_or_lab_unit']} of them are doses or lab values "
        "with a unit (`80 mg/day`, `at least 2.5 mg/dl`, `1 mg or less`) of the kind other files tag `Value`; being "
        "outside the denominator, they neither help nor hurt the figure.",
        "- Sections are the file names': some `_inc` files list exclusions (NCT01944800_inc: \"history of any "
        'stroke", "active bleeding", ...). Polarity is judged against the section the file declares.',
        "- Chia's `Value` also holds categorical values (positive, negative, abnormal, stage I-III); only those with "
        "a number are counted. Codes and formulas are set aside by the stated rules above, not by hand.",
    ]


def markdown(data: dict[str, Any]) -> str:
    examples = data["miss_examples"]
    parts = [
        "# Fact extraction against the Chia corpus",
        "",
        f"Produced by `translator eval extraction` over {data['documents']} Chia documents in {data['seconds']} s "
        "(Chia: Kury et al., Scientific Data 7:281, 2020, CC BY 4.0; read in place from `../shared/data`). The JSON "
        f"twin holds up to 40 missed spans per measure with their criterion text.",
        "",
        *_figures(data),
        "",
        _METHOD,
        *_misses("numeric Value spans", data["value_recall"], examples["value"]),
        "",
        *_misses("duration Temporal spans", data["temporal_recall"], examples["temporal"]),
        "",
        *_wrong(data["precision"]),
        "",
        *_caveats(data),
    ]
    return "\n".join(parts)
