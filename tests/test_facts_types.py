"""``quick_init``: a frozen dataclass built by it is what the dataclass's own ``__init__`` builds."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from translator.facts.frozen import quick_init
from translator.facts.types import Item, Origin, Span


@dataclasses.dataclass(frozen=True)
class _Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = dataclasses.field(default=())
    d: float = dataclasses.field(default=1.5, kw_only=True)
    e: bool = dataclasses.field(kw_only=True)


@quick_init
@dataclasses.dataclass(frozen=True)
class _Quick:
    a: int
    b: str = "x"
    c: tuple[int, ...] = dataclasses.field(default=())
    d: float = dataclasses.field(default=1.5, kw_only=True)
    e: bool = dataclasses.field(kw_only=True)


def test_same_signature_and_values_as_the_dataclass_init() -> None:
    assert str(inspect.signature(_Quick)) == str(inspect.signature(_Plain))
    pairs = [
        (_Quick(1, e=True), _Plain(1, e=True)),
        (_Quick(2, "y", (3,), d=2.0, e=False), _Plain(2, "y", (3,), d=2.0, e=False)),
    ]
    for quick, plain in pairs:
        assert vars(quick) == vars(plain) and list(vars(quick)) == list(vars(plain))
        assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
        assert dataclasses.replace(quick) == quick and hash(dataclasses.replace(quick)) == hash(quick)
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.a = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        _Quick(1)  # type: ignore[call-arg]


def test_facts_set_every_field_in_order() -> None:
    span = Span(3, 9)
    item = Item(span=span, origin=Origin(criterion="I1"), polarity="exclude", concept=None, key=("hiv",), text="HIV")
    for value in (span, item):
        assert list(vars(value)) == [field.name for field in dataclasses.fields(value)]
    assert (item.negated, item.exception, item.listed) == (False, False, False)
    assert repr(span) == "Span(start=3, end=9)"


def test_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(frozen=True)
    class Factory:
        items: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (Factory, Post):
        with pytest.raises(TypeError):
            quick_init(cls)
