"""The normaliser's code-point escapes: what an export wrote as "<U+XXXX>" is read as that character, and every
position still maps back into the original text."""

from __future__ import annotations

import pytest

from translator.facts.normalize import normalize

CASES = [
    # (original, normalised): from Chia's documents, where an upstream export wrote these characters out
    ("pain intensity (NRS<U+2267>4)", "pain intensity (NRS≥4)"),  # ≧, then its normal form ≥
    ("Hb <U+2266>11 g/dl", "Hb ≤11 g/dl"),
    ("temperature = 37<U+2103>", "temperature = 37°C"),  # ℃
    ("AST<U+3001>ALT", "AST,ALT"),  # the ideographic comma
    ("NYHA class <U+2162> or <U+2163>", "NYHA class III or IV"),
    ("grade <U+0399><U+0399>", "grade II"),  # Greek capital iota written for a Latin I
    ("an escaped <U+00e9>t<U+00E9>", "an escaped été"),  # any other printable character, either case of hex
    ("a control <U+0007> and a surrogate <U+D800>", "a control <U+0007> and a surrogate <U+D800>"),  # kept
    ("six hex digits <U+1F600A> are no escape", "six hex digits <U+1F600A> are no escape"),
]


@pytest.mark.parametrize(("original", "normalised"), CASES)
def test_code_point_escapes(original: str, normalised: str) -> None:
    assert normalize(original).text == normalised


@pytest.mark.parametrize(("original", "normalised"), CASES)
def test_positions_map_back_into_the_original(original: str, normalised: str) -> None:
    norm = normalize(original)
    start = norm.text.rfind(" ") + 1  # the last word, after any replaced piece
    assert norm.span(start, len(norm.text)) == (original.rfind(" ") + 1, len(original))
    assert norm.span(0, len(norm.text)) == (0, len(original))
