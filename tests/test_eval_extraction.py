"""The extraction eval against Chia: the .ann parser, the gold-span rules, the recall arithmetic, the precision sample.

Documents here are written for the tests (not copied from Chia); facts are built by hand, so the arithmetic is
checked independently of what the extractor currently finds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translator.domain import Criterion, Section
from translator.errors import InputError
from translator.evaluation import extraction, extraction_gold, extraction_precision
from translator.evaluation.chia import Entity, parse_ann, read_annotations
from translator.evaluation.corpus import Corpus
from translator.evaluation.extraction_precision import SampledFact
from translator.facts import Count, Facts, Interval, Item, Origin, Span, Threshold, TimeWindow

# --- the .ann parser -----------------------------------------------------------------------------------------

PARSED = [
    ("T1\tValue 4 14\t≥ 18 years", [("T1", "Value", ((4, 14),), "≥ 18 years")]),
    ("T2\tValue 751 763;770 771\tgreater than 1", [("T2", "Value", ((751, 763), (770, 771)), "greater than 1")]),
    ("T3\tTemporal 0 5;7 9;12 20\ta b c", [("T3", "Temporal", ((0, 5), (7, 9), (12, 20)), "a b c")]),
    ("T4\tCondition 0 9\tdiabetes\r\n", [("T4", "Condition", ((0, 9),), "diabetes")]),
    ("R1\tHas_value Arg1:T1 Arg2:T2\t", []),
    ("*\tOR T1 T2", []),
    ("A1\tOptional T1", []),
    ("M1\tNegated T1", []),
    ("#1\tAnnotatorNotes T1\tunsure", []),
    ("E1\tEvent:T1 Arg:T2", []),
    ("N1\tReference T1 UMLS:C0011849\tdiabetes", []),
    ("", []),
    ("R1\tAND Arg1:T1 Arg2:T2\t\nT1\tDrug 0 7\twarfarin\n*\tOR T1 T5\n", [("T1", "Drug", ((0, 7),), "warfarin")]),
]


@pytest.mark.parametrize(("content", "expected"), PARSED)
def test_parse_ann(content: str, expected: list[tuple[str, str, tuple[tuple[int, int], ...], str]]) -> None:
    assert [(e.id, e.type, e.fragments, e.text) for e in parse_ann(content)] == expected


MALFORMED = [
    ("T1\tValue 0 5", "3 tab-separated fields"),
    ("T1\tValue 5\tx", "bad offsets"),
    ("T1\tValue 5 x\tx", "bad offsets"),
    ("T1\tValue 9 3\tx", "not ordered"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_parse_ann_rejects_malformed_lines(content: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_ann("R1\tAND Arg1:T1 Arg2:T2\t\n" + content, path="x.ann")
    assert caught.value.location.line == 2


def _chia_root(tmp_path: Path, files: dict[str, bytes]) -> Corpus:
    folder = tmp_path / "chia" / "chia_without_scope"
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return Corpus(tmp_path)


def test_crlf_offsets_count_the_carriage_return(tmp_path: Path) -> None:
    text = "Age ≥ 18 years\r\nHbA1c < 7%\r\nNo MI within 6 months\r\n"
    ann = "T1\tValue 4 14\t≥ 18 years\r\nT2\tValue 22 26\t< 7%\r\nT3\tTemporal 34 49\twithin 6 months\r\n"
    corpus = _chia_root(tmp_path, {"NCT00000001_inc.txt": text.encode(), "NCT00000001_inc.ann": ann.encode()})
    (doc,) = corpus.chia_docs()
    entities = read_annotations(doc)
    assert [e.source_text(doc.text) for e in entities] == ["≥ 18 years", "< 7%", "within 6 months"]
    assert all(e.text == e.source_text(doc.text) for e in entities)
    without_cr = doc.text.replace("\r", "")
    assert entities[2].source_text(without_cr) != "within 6 months"


def test_discontinuous_text_joins_fragments_with_a_space() -> None:
    document = "diarrhea greater than Grade 1"
    (entity,) = parse_ann("T1\tValue 9 21;28 29\tgreater than 1")
    assert entity.discontinuous and (entity.start, entity.end) == (9, 29)
    assert entity.source_text(document) == entity.text == "greater than 1"


# --- which spans are gold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥ 18 years", True),
        ("two or more", True),
        ("> twice the upper limit of normal", True),
        ("four-fold increase", True),
        ("0.5", True),
        ("positive", False),
        ("III or IV", False),
        ("first", False),
        ("within normal limits", False),
        ("<U+2267>", False),
        ("someone", False),
    ],
)
def test_carries_number(text: str, expected: bool) -> None:
    assert extraction_gold.carries_number(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("III", True), ("I-III", True), ("class IV", True), ("Grade II or greater", True), ("2", False), ("low", False)],
)
def test_carries_roman(text: str, expected: bool) -> None:
    assert extraction_gold.carries_roman(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("within 6 months", True),
        ("> 2 weeks", True),
        ("for at least two (2) years", True),
        ("during 5-yr period", True),
        ("3 consecutive days", True),
        ("within 48h", True),
        ("6-12 months", True),
        ("5 half-lives", True),
        ("on day 15", False),
        ("at Visit 1", False),
        ("history of", False),
        ("currently", False),
        ("at screening", False),
        ("in 2017", False),
    ],
)
def test_carries_duration(text: str, expected: bool) -> None:
    assert extraction_gold.carries_duration(text) is expected


def _entity(document: str, *pieces: str, kind: str = "Value") -> Entity:
    """An entity over the first occurrence of each piece (in order) in the document."""
    fragments, cursor = [], 0
    for piece in pieces:
        start = document.index(piece, cursor)
        fragments.append((start, start + len(piece)))
        cursor = start + len(piece)
    return Entity(f"T{cursor}", kind, tuple(fragments), " ".join(pieces))


@pytest.mark.parametrize(
    ("document", "piece", "expected"),
    [
        ("T1-3 N0 M0 adenocarcinoma of the prostate", "0", "code"),
        ("Clinical Stage T1b-T2a, Nx or N0", "T1b-T2a", "code"),
        ("Level of SCI C3-T1, AIS A & B", "C3-T1", "code"),
        ("fibrosis F2 or greater", "F2 or greater", "code"),
        ("Men: (0.006012 x H3) + (14.6 x W) + 604 = TBV", "(0.006012 x H3) + (14.6 x W) + 604 =", "formula"),
        ("ductal carcinoma in situ (stage 0 cancer)", "0", None),
        ("FL Grade 3B", "3B", None),
        ("ALT ≤ 1.5 x ULN", "≤ 1.5 x ULN", None),
        ("platelets <80x106/mL", "<80x106/mL", None),
        ("at least one (1) prior line", "one (1)", None),
    ],
)
def test_set_aside(document: str, piece: str, expected: str | None) -> None:
    entity = _entity(document, piece)
    assert extraction_gold.set_aside(entity, document, extraction_gold.code_ranges(document)) == expected


@pytest.mark.parametrize(
    ("text", "before", "expected"),
    [
        ("<2.5X ULN", "ALT", "relative to a normal limit"),
        ("<3x", "AST ", "relative to a normal limit"),
        ("20/50 to 20/320", "acuity of ", "ratio or fraction"),
        ("5th-85th percentile", "range ", "percentile or ordinal"),
        ("? 3", "reading ", "lost or garbled comparator"),
        ("<-2.5", "T-score: ", "signed number"),
        ("<36,0 °C", "Temp ", "decimal comma"),
        (">5.5mmol/L", "potassium ", "unit glued to the number or unusual unit"),
        ("2-year", "Recent (", "hyphenated number and unit"),
        ("24 hours", ">3 unformed stools/", "rate per time"),
        ("for more than five consecutive days", "illness ", "word between number and unit"),
        ("in the 5 previous years", "disease ", "word between number and unit"),
        ("4", "classified as NYHA ", "stage, class or score label"),
        ("stage 5", "Hoehn & Yahr ", "stage, class or score label"),
        ("18-65", "Age", "range"),
        ("zero", "level of ", "number word"),
        ("35", "to ", "bare number"),
        ("< 30 mL/min", "clearance ", "comparator and unit"),
    ],
)
def test_shape_of_a_miss(text: str, before: str, expected: str) -> None:
    assert extraction_gold.shape_of(text, before) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Age = 18 years", {"bare '=' before a number": 1}),
        ("HbA1c >= 7% and <= 10%", {}),
        ("reading ? 3", {"'?' before a number": 1}),
        ("leucocytes ³ 2000, ALP £ 1.5", {"'³' or '£' (≥/≤ in a symbol font)": 2}),
        ("NRS<U+2267>4", {"'<U+…>' escape": 1}),
    ],
)
def test_lost_comparators(text: str, expected: dict[str, int]) -> None:
    assert extraction_gold.lost_comparators(text) == expected


# --- the recall arithmetic -----------------------------------------------------------------------------------

_ORIGIN = Origin(criterion="I1")


def _threshold(start: int, end: int, unit: str | None = None) -> Threshold:
    return Threshold(
        span=Span(start, end), origin=_ORIGIN, polarity="include", entity="x", interval=Interval.point(1), unit=unit
    )


def _window(start: int, end: int) -> TimeWindow:
    return TimeWindow(
        span=Span(start, end),
        origin=_ORIGIN,
        polarity="exclude",
        event="x",
        relation="within",
        interval=Interval.point(6),
        unit="months",
        days=None,
    )


def _count(start: int, end: int) -> Count:
    return Count(span=Span(start, end), origin=_ORIGIN, polarity="include", what="x", interval=Interval.point(2))


def _item(start: int, end: int) -> Item:
    return Item(span=Span(start, end), origin=_ORIGIN, polarity="include", concept=None, key=("x",), text="x")


@pytest.mark.parametrize(
    ("fragments", "span", "expected"),
    [
        (((10, 15),), Span(12, 13), True),
        (((10, 15),), Span(14, 20), True),
        (((10, 15),), Span(5, 11), True),
        (((10, 15),), Span(15, 20), False),
        (((10, 15),), Span(5, 10), False),
        (((10, 12), (20, 25)), Span(21, 22), True),
        (((10, 12), (20, 25)), Span(12, 20), False),
        (((10, 12), (20, 25)), Span(0, 30), True),
    ],
)
def test_overlap_is_one_shared_character_with_any_fragment(
    fragments: tuple[tuple[int, int], ...], span: Span, expected: bool
) -> None:
    assert extraction.overlaps(Entity("T1", "Value", fragments, ""), [span]) is expected


DOC = (
    "Age ≥ 18 years\n"
    "HbA1c 7-10%\n"
    "At least two prior lines\n"
    "Life expectancy of at least 3 months\n"
    "No MI within 6 months\n"
    "Hepatitis B positive\n"
    "Stage T2b N0\n"
    "ECOG score 0-1 for 2 weeks\n"
)


def _doc_entities() -> list[Entity]:
    return [
        _entity(DOC, "≥ 18 years"),
        _entity(DOC, "7-10%"),
        _entity(DOC, "two"),
        _entity(DOC, "at least 3 months", kind="Temporal"),
        _entity(DOC, "within 6 months", kind="Temporal"),
        _entity(DOC, "positive"),
        _entity(DOC, "No", kind="Negation"),
        _entity(DOC, "T2b"),
        _entity(DOC, "0-1"),
        _entity(DOC, "for 2 weeks", kind="Temporal"),
    ]


def _at(piece: str, length: int | None = None) -> tuple[int, int]:
    start = DOC.index(piece)
    return start, start + (length or len(piece))


def _score(facts: Facts, section: Section = "inclusion") -> list[extraction.Scored]:
    return extraction.score_document("NCT1_inc", section, DOC, _doc_entities(), facts)


def test_recall_arithmetic_on_a_small_document() -> None:
    facts = Facts(
        thresholds=(_threshold(*_at("18 years")), _threshold(*_at("at least 3 months"), unit="days")),
        windows=(_window(*_at("6 months")),),
        counts=(_count(*_at("two")),),
        items=(_item(*_at("0-1")),),
    )
    scored = _score(facts)
    value = extraction.recall(scored, "value")
    temporal = extraction.recall(scored, "temporal")
    # Values: ≥ 18 years (threshold), 7-10% (missed: a range), two (count), 0-1 (only an item, so missed: a score
    # label after "ECOG score"); T2b is set aside as a code; "positive" carries no number.
    assert (value["gold"], value["found"], value["recall"]) == (4, 2, 0.5)
    assert value["set_aside"] == {"code": {"spans": 1, "found_anyway": 0}}
    assert value["recall_without_setting_aside"] == 0.4
    assert value["miss_shapes"] == {"range": 1, "stage, class or score label": 1}
    # Durations: at least 3 months (a threshold in days), within 6 months (window), for 2 weeks (missed).
    assert (temporal["gold"], temporal["found"]) == (3, 2)
    assert temporal["miss_shapes"] == {"comparator and unit": 1}


def test_only_time_thresholds_find_a_duration() -> None:
    entities = [_entity(DOC, "at least 3 months", kind="Temporal")]
    span = _at("at least 3 months")
    for facts, found in [
        (Facts(thresholds=(_threshold(*span, unit="days"),)), True),
        (Facts(thresholds=(_threshold(*span, unit="%"),)), False),
        (Facts(thresholds=(_threshold(*span),)), False),
        (Facts(counts=(_count(*span),)), False),
        (Facts(windows=(_window(*span),)), True),
    ]:
        (scored,) = extraction.score_document("d", "inclusion", DOC, entities, facts)
        assert scored.found is found, facts


def _miss(piece: str, shape: str) -> extraction.Scored:
    entity = _entity(DOC, piece)
    return extraction.Scored("NCT1_inc", "inclusion", "value", entity, piece, False, None, shape)


def test_examples_take_turns_across_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    misses = [_miss("≥ 18 years", "a"), _miss("7-10%", "b"), _miss("two", "a"), _miss("0-1", "c"), _miss("T2b", "a")]
    line = DOC.index("HbA1c")
    criteria = {"NCT1_inc": (Criterion("I2", "inclusion", "HbA1c 7-10%", line, line + 11),)}
    examples = extraction.examples(misses, {"NCT1_inc": DOC}, criteria)
    assert [(e["text"], e["shape"]) for e in examples] == [
        ("≥ 18 years", "a"),
        ("7-10%", "b"),
        ("0-1", "c"),
        ("two", "a"),
        ("T2b", "a"),
    ]
    hba1c = examples[1]
    assert (hba1c["criterion"], hba1c["context"]) == ("I2", "HbA1c ⟦7-10%⟧")
    monkeypatch.setattr(extraction, "EXAMPLES", 2)
    assert len(extraction.examples(misses, {"NCT1_inc": DOC}, criteria)) == 2


def test_examples_mark_each_fragment() -> None:
    document = "diarrhea greater than Grade 1, fever"
    entity = _entity(document, "greater than", "1")
    miss = extraction.Scored("d", "exclusion", "value", entity, entity.text, False, None, "x")
    (example,) = extraction.examples([miss], {"d": document}, {"d": ()})
    assert example["context"] == "diarrhea ⟦greater than⟧ Grade ⟦1⟧, fever"


# --- the precision sample ------------------------------------------------------------------------------------


def _sampled(doc: str, start: int, signature: str = "+T age >=18 years") -> SampledFact:
    return SampledFact(doc, "I1", "threshold", start, start + 8, signature, "18 years", "Age ⟦18 years⟧")


def _population(n: int) -> list[SampledFact]:
    return [_sampled(f"NCT{i:08d}_inc", i) for i in range(n)]


def test_the_sample_is_stable_when_other_facts_change() -> None:
    population = _population(1000)
    drawn = extraction_precision.draw(population, size=50)
    assert len(drawn) == 50 and len({f.key for f in drawn}) == 50
    outside = [f for f in population if f not in drawn]
    assert extraction_precision.draw(outside[100:] + drawn, size=50) == drawn
    changed = extraction_precision.draw([*population, _sampled("NCT99999999_exc", 7)], size=50)
    assert len(set(changed) & set(drawn)) >= 49


def test_the_sample_is_uniform_enough() -> None:
    drawn = extraction_precision.draw(_population(2000), size=200)
    first_half = sum(f.start < 1000 for f in drawn)
    assert 70 < first_half < 130


def test_duplicate_keys_are_drawn_once() -> None:
    fact = _sampled("NCT00000001_inc", 3)
    assert extraction_precision.draw([fact, fact, fact], size=5) == [fact]


def _judgment_line(fact: SampledFact, **changes: object) -> str:
    data = json.loads(extraction_precision.skeleton(fact))
    data.update({"verdict": "right", "error": None, "reason": "age ≥ 18"}, **changes)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"verdict": "right|wrong"}, "verdict"),
        ({"verdict": "wrong"}, "needs an error"),
        ({"error": "comparator"}, "needs an error"),
        ({"verdict": "wrong", "error": "spelling"}, "error"),
        ({"reason": ""}, "reason"),
        ({"judge": "me"}, "judge"),
    ],
)
def test_bad_judgments_are_refused_with_their_line(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    path = tmp_path / "judgments.jsonl"
    fact = _sampled("NCT00000001_inc", 3)
    path.write_text(_judgment_line(fact) + "\n" + _judgment_line(_sampled("x", 9), **changes) + "\n")
    with pytest.raises(InputError, match=message) as caught:
        extraction_precision.load_judgments(path)
    assert caught.value.location.line == 2


def test_a_repeated_judgment_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "judgments.jsonl"
    fact = _sampled("NCT00000001_inc", 3)
    path.write_text(_judgment_line(fact) + "\n\n" + _judgment_line(fact, reason="again") + "\n")
    with pytest.raises(InputError, match="a second judgment") as caught:
        extraction_precision.load_judgments(path)
    assert caught.value.location.line == 3


def test_no_judgments_file_means_all_unjudged(tmp_path: Path) -> None:
    assert extraction_precision.load_judgments(tmp_path / "absent.jsonl") == {}


def test_precision_counts_judged_unjudged_and_stale(tmp_path: Path) -> None:
    a, b, c, gone = (_sampled("NCT00000001_inc", i) for i in (1, 2, 3, 4))
    path = tmp_path / "judgments.jsonl"
    lines = [
        _judgment_line(a),
        _judgment_line(b, verdict="wrong", error="comparator", reason="or older is ≥"),
        _judgment_line(gone),
        _judgment_line(c, signature="+T age =18 years", verdict="wrong", error="comparator", reason="stale reading"),
    ]
    path.write_text("\n".join(lines) + "\n")
    judgments = extraction_precision.load_judgments(path)
    result = extraction_precision.precision([a, b, c], judgments, population=10)
    assert {k: result[k] for k in ("sample", "judged", "unjudged", "right", "wrong", "precision")} == {
        "sample": 3,
        "judged": 2,
        "unjudged": 1,
        "right": 1,
        "wrong": 1,
        "precision": 0.5,
    }
    assert result["stale_judgments"] == 2
    assert result["errors"] == {"comparator": 1}
    assert extraction_precision.unjudged([a, b, c], judgments) == [c]


def test_wilson_interval() -> None:
    low, high = extraction_precision.wilson(50, 100)
    assert (round(low, 4), round(high, 4)) == (0.4038, 0.5962)
    assert extraction_precision.wilson(0, 0) == (0.0, 1.0)


def test_listing_gives_a_line_to_fill_in_and_the_criterion() -> None:
    fact = _sampled("NCT00000001_inc", 3)
    block, key = extraction_precision.listing([fact])
    assert json.loads(block.splitlines()[0])["verdict"] == "right|wrong"
    assert "Age ⟦18 years⟧" in block and "comparator:" in key
    assert extraction_precision.listing([]) == []


# --- the shared corpus ---------------------------------------------------------------------------------------

JUDGMENTS = Path(__file__).resolve().parent.parent / "evals" / "extraction" / "precision_judgments.jsonl"


def test_the_judgments_file_is_valid_and_covers_a_full_sample() -> None:
    judgments = extraction_precision.load_judgments(JUDGMENTS)
    assert len(judgments) >= extraction_precision.SAMPLE_SIZE
    assert all((j.verdict == "wrong") == (j.error is not None) for j in judgments.values())


@pytest.mark.corpus
def test_judgments_point_at_real_spans(corpus: Corpus) -> None:
    texts = {doc.name: doc.text for doc in corpus.chia_docs()}
    for judgment in extraction_precision.load_judgments(JUDGMENTS).values():
        assert texts[judgment.doc][judgment.start : judgment.end] == judgment.text, judgment


@pytest.mark.corpus
def test_every_chia_annotation_parses_and_offsets_hold(corpus: Corpus) -> None:
    entities = differs = 0
    for doc in corpus.chia_docs():
        for entity in read_annotations(doc):
            entities += 1
            assert entity.end <= len(doc.text), (doc.name, entity)
            differs += entity.text != entity.source_text(doc.text)
    assert entities > 40_000
    assert differs <= entities // 1000


def test_run_writes_both_reports(tmp_path: Path) -> None:
    inc = "Age ≥ 18 years\r\nHbA1c 7-10%\r\n"
    exc = "Myocardial infarction within 6 months\nHIV positive\n"
    corpus = _chia_root(
        tmp_path,
        {
            "NCT00000001_inc.txt": inc.encode(),
            "NCT00000001_inc.ann": b"T1\tValue 4 14\t\xe2\x89\xa5 18 years\nT2\tValue 22 27\t7-10%\n",
            "NCT00000001_exc.txt": exc.encode(),
            "NCT00000001_exc.ann": b"T1\tTemporal 22 37\twithin 6 months\nT2\tValue 42 50\tpositive\n",
        },
    )
    data = extraction.run(corpus, tmp_path / "reports", tmp_path / "none.jsonl")
    assert data["documents"] == 2
    value, temporal, prec = data["value_recall"], data["temporal_recall"], data["precision"]
    assert isinstance(value, dict) and isinstance(temporal, dict) and isinstance(prec, dict)
    assert (value["gold"], temporal["gold"]) == (2, 1)
    assert prec["judged"] == 0 and prec["unjudged"] == prec["sample"] == prec["population"]
    written = json.loads((tmp_path / "reports" / "extraction.json").read_text(encoding="utf-8"))
    assert written["value_recall"] == value
    assert "## Figures" in (tmp_path / "reports" / "extraction.md").read_text(encoding="utf-8")
