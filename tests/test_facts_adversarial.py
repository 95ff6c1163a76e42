"""Hostile input for the extractor: it must not crash, its spans stay inside the text, and it stays linear.

Criteria text comes from registries and plain text from models and third parties, so the extractor meets
megabytes of digits, runs of one symbol, stray control characters and unbalanced brackets. For each shape:

- ``extract_criteria`` (one criterion holding the whole text, and the segmented text) and ``extract_plain``
  return facts whose spans lie inside the text (plain sentences are exact slices);
- calls grow linearly: cProfile's call count of every function (Python functions, generator expressions and
  the regex methods they call) at n and 4n characters, for one criterion and for plain text. Counts are exact,
  so this catches a quadratic loop long before it dominates the time, and names it. Nothing here times
  anything (the machines are shared and noisy): evals/benchmarks.py measures speed, and its ``scaling`` rows
  report time(4n) / time(n) for these same generators.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable

import pytest

from translator.domain import Criterion
from translator.facts import Facts, Threshold, extract_criteria, extract_plain
from translator.facts.glossary import default_finder
from translator.segment import segment

MAX_CALL_RATIO = 8.0
"""Bound on one function's calls(4n) / calls(n): linear is 4, quadratic 16; counts are exact, not noisy."""
MIN_CALLS = 100
"""Functions called fewer times than this at n are too rare for their ratio to mean anything."""

Extract = Callable[[str], Facts]


def _one_criterion(text: str) -> Facts:
    return extract_criteria((Criterion("I1", "inclusion", text, 0, len(text)),))


def _segmented(text: str) -> Facts:
    criteria = segment(text)
    assert all(c.text == text[c.start : c.end] for c in criteria)
    return extract_criteria(criteria)


def _plain(text: str) -> Facts:
    document, facts = extract_plain(text)
    for sentence in document.sentences:
        assert 0 <= sentence.start <= sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end]
    return facts


EXTRACTORS: dict[str, Extract] = {"criterion": _one_criterion, "segmented": _segmented, "plain": _plain}


def repeated(unit: str) -> Callable[[int], str]:
    """A text of exactly n characters made of ``unit`` over and over."""
    return lambda n: (unit * (n // len(unit) + 1))[:n]


CRITERION = (
    "Adults ≥ 18 years with ANC ≥ 1.5 × 10^9/L, ALT \\<= 2.5 × ULN (≤ 5 × ULN if liver metastases), no HIV, "
    "hepatitis B or C, no chemotherapy within 28 days prior to enrollment, and at least 2 prior lines; "
)
# (name, generator, n for the linearity test). n is chosen so time(n) is a few milliseconds at least.
GENERATORS: list[tuple[str, Callable[[int], str], int]] = [
    ("digits", repeated("0123456789"), 16_000),
    ("spaced digits", repeated("12 345 6.7 89, "), 3_000),
    ("open parens", repeated("("), 4_000),
    ("close parens", repeated(")"), 4_000),
    ("brackets", repeated("([{<"), 4_000),
    ("comparators", repeated("≥"), 4_000),
    ("ratios", repeated("1:"), 750),
    ("dashes", repeated("- "), 8_000),
    ("powers", repeated("10^"), 2_000),
    ("emoji and controls", repeated("😀\x00\x07\x1b\u200b\ufeff\r\x0b\x0c\x1c\x85\u2028🧬 "), 8_000),
    ("case-changing unicode", repeated("İ ≥ ５ mg/dL ﬃ 10⁹/L ß "), 2_000),
    ("less than", repeated("less than "), 8_000),
    ("values with units", repeated("5 mg/dL "), 1_500),
    ("listed terms", repeated("HIV, hepatitis B, asthma, "), 1_500),
    ("shared-lead lists", repeated("medications for diabetes, BP or lipids, hepatitis caused by drugs, "), 1_500),
    ("shared-head lists", repeated("drug-induced, viral or autoimmune hepatitis, "), 1_500),
    ("bare multiples", repeated("ALT > 2 times, "), 1_500),
    ("long criterion", repeated(CRITERION), 2_000),
    ("many lines", repeated("- Age ≥ 18\n"), 2_000),
    ("wrapped lines", repeated("age over eighteen years and\n"), 2_000),
]
KNOWN_SUPERLINEAR: dict[str, str] = {}
"""Quadratic pair scans found by test_calls_grow_linearly, reported to the extractor's author. Strict: counts are
exact, so a fix turns the case into an XPASS failure that asks for its entry to go."""


def cases(known: dict[str, str], *, strict: bool) -> list[object]:
    found: list[object] = []
    for name, make, n in GENERATORS:
        marks = [pytest.mark.xfail(reason=known[name], strict=strict)] if name in known else []
        found.append(pytest.param(name, make, n, id=name, marks=marks))
    return found


SIZED = [
    ("empty", ""),
    ("whitespace only", " \n\t\r\n  "),
    ("1 MB of digits", repeated("0123456789")(1_000_000)),
    ("10,000-character criterion", repeated(CRITERION)(10_000)),
    ("100 KB of 'less than'", repeated("less than ")(100_000)),
    ("100 KB of class numerals", "grade " + repeated("I, ")(100_000)),
]
"""The class numerals run is one list a look-ahead could read to its end from each numeral (quadratic inside one
regex call, which call counts do not see; bounded by ``numbers.LISTED_CLASSES``)."""


def assert_spans_inside(facts: Facts, length: int) -> None:
    for fact in facts.all():
        spans = [fact.span]
        if isinstance(fact, Threshold) and fact.entity_span is not None:
            spans.append(fact.entity_span)
        for span in spans:
            assert 0 <= span.start <= span.end <= length, f"{type(fact).__name__} span {span} outside 0..{length}"


@pytest.fixture(scope="module", autouse=True)
def _rules_loaded() -> None:
    """Load the rule files first, so the calls that load them are not counted against the first size."""
    _one_criterion(CRITERION)
    _plain(CRITERION)


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@pytest.mark.parametrize(("name", "text"), SIZED, ids=[name for name, _ in SIZED])
def test_sized_inputs(name: str, text: str, extractor: str) -> None:
    if name == "1 MB of digits" and extractor == "segmented":
        pytest.skip("one criterion and plain already read the megabyte; segmenting it adds only time")
    facts = EXTRACTORS[extractor](text)
    assert_spans_inside(facts, len(text))
    if not text.strip():
        assert not facts.all()


def test_no_criteria() -> None:
    assert not extract_criteria(()).all()


def calls_per_function(extract: Extract, text: str) -> dict[str, int]:
    """Calls per function for one extraction, the glossary finder's cache of recent texts emptied first, so that
    neither run reuses what an earlier test (or the other run) left in it."""
    default_finder().clear_cache()
    profile = cProfile.Profile()
    profile.enable()
    extract(text)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    return {f"{path.rsplit('src/', 1)[-1]}:{line}({name})": counts[1] for (path, line, name), counts in stats.items()}


@pytest.mark.parametrize("extractor", ["criterion", "plain"])
@pytest.mark.parametrize(("name", "make", "n"), cases(KNOWN_SUPERLINEAR, strict=True))
def test_calls_grow_linearly(name: str, make: Callable[[int], str], n: int, extractor: str) -> None:
    extract = EXTRACTORS[extractor]
    small = calls_per_function(extract, make(n))
    large = calls_per_function(extract, make(4 * n))
    grown = {
        where: large[where] / small[where]
        for where in large
        if small.get(where, 0) >= MIN_CALLS and large[where] / small[where] >= MAX_CALL_RATIO
    }
    assert not grown, f"{name}: calls grow faster than the text (4x the text): " + ", ".join(
        f"{where} x{ratio:.1f}" for where, ratio in sorted(grown.items(), key=lambda kv: -kv[1])
    )


def test_wrapped_lines_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining a paragraph's wrapped lines reads each line once: the characters the heading test reads grow with
    the text (they grew with its square when the whole logical line so far was tested before each line)."""
    import translator.facts.plain as plain

    read: list[int] = []
    real = plain.heading_polarity

    def counted(line: str) -> object:
        read.append(len(line))
        return real(line)

    monkeypatch.setattr(plain, "heading_polarity", counted)
    sizes = []
    for n in (500, 2_000):
        read.clear()
        plain.read_plain(repeated("age over eighteen years and\n")(n))
        sizes.append(sum(read))
    assert sizes[1] <= 5 * sizes[0]
