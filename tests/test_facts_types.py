"""The facts' hand-written constructors build what the dataclasses' own would."""

from __future__ import annotations

import dataclasses

from translator.facts.types import Item, Origin, Span


def test_hand_written_inits_set_every_field_in_order() -> None:
    span = Span(3, 9)
    item = Item(span=span, origin=Origin(criterion="I1"), polarity="exclude", concept=None, key=("hiv",), text="HIV")
    for value in (span, item):
        names = [field.name for field in dataclasses.fields(value)]
        assert list(vars(value)) == names
        assert dataclasses.replace(value) == value
    assert (item.negated, item.exception, item.listed) == (False, False, False)
    assert dataclasses.astuple(span) == (3, 9)
