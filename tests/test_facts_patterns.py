"""``patterns.literal_first``: the grouped alternation finds exactly what the plain one finds; ``first_words`` gates."""

from __future__ import annotations

import random
import re

import pytest

from translator.facts.lexicon import lexicon
from translator.facts.numbers import may_have_number_words
from translator.facts.patterns import first_words, literal_first, start_pattern

_ALTERNATIVES = ["not", "no", "none", "never", "without", "nor", "n't", "negative", "non-reactive", "w/o"]


def _random_text(rng: random.Random) -> str:
    pieces = [*_ALTERNATIVES, " ", "  ", "a", "an", "x", "-", "'", "\n", "snot", "knot", "o"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


@pytest.mark.parametrize("not_after", ["", "a-z", "a-z'"])
def test_same_matches_as_the_plain_alternation(not_after: str) -> None:
    alternatives = [re.escape(a) for a in _ALTERNATIVES]
    guard = f"(?<![{not_after}])" if not_after else ""
    plain = re.compile(guard + "(?P<cue>" + "|".join(alternatives) + r")(?![a-z])")
    grouped = re.compile("(?P<cue>" + literal_first(alternatives, not_after) + r")(?![a-z])")
    rng = random.Random(7)
    for _ in range(2000):
        text = _random_text(rng)
        assert [m.span("cue") for m in plain.finditer(text)] == [m.span("cue") for m in grouped.finditer(text)]
        for position in range(len(text)):
            first, second = plain.match(text, position), grouped.match(text, position)
            assert (first and first.span()) == (second and second.span())


def test_an_alternative_must_open_with_a_literal() -> None:
    with pytest.raises(ValueError, match="literal"):
        literal_first([r"\s+no"])
    with pytest.raises(ValueError, match="literal"):
        literal_first(["s?no"])


def test_start_pattern_finds_every_position_a_phrase_may_start() -> None:
    phrases = ["no", "not", "none", "never", "without", "n't", "neither"]
    plain = re.compile("(?<![a-z'])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z])")
    starts = re.compile(start_pattern(phrases, "a-z'"))
    rng = random.Random(11)
    for _ in range(2000):
        text = _random_text(rng)
        found = {m.start() for m in starts.finditer(text)}
        for position in range(len(text) + 1):
            for end in range(position, len(text) + 1):
                if plain.match(text, position, end):
                    assert position in found


def test_start_pattern_needs_phrases_that_open_inside_the_class() -> None:
    with pytest.raises(ValueError, match="open with"):
        start_pattern(["'til"], "a-z")


def test_first_words_gate_every_match() -> None:
    """A text in which ``number_word_re`` or ``multiplier_re`` matches always passes ``may_have_number_words``."""
    lex = lexicon()
    phrases = [*lex.number_words, *lex.numbers.multipliers]
    pieces = [*phrases, " ", "-", "a", "x", "s", "ten", "often", "twice-", "(", "2", "\n", "\t"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if lex.number_word_re.search(text) or lex.multiplier_re.search(text):
            assert may_have_number_words(text, lex), text


def test_first_words_of_phrases() -> None:
    assert first_words(["one thousand", "twenty-five", "twice"]) == frozenset({"one", "twenty", "twice"})
    assert first_words(["one", "≥ 5"]) is None
