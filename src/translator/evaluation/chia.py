"""The Chia corpus's BRAT standoff annotations (``.ann``), read against their ``.txt`` documents.

Only text-bound lines (``T1<TAB>Value 10 12;20 25<TAB>text``) are entities; relations (``R``), equivalence
groups (``*``), attributes (``A``/``M``), events (``E``), normalisations (``N``) and notes (``#``) are skipped.
Offsets are character offsets into the document *as stored*: 1,603 of Chia's 2,000 files use CRLF and the
offsets count the ``\\r``, so the text must be decoded from bytes without newline translation (``ChiaDoc.text``
is). A discontinuous span lists several fragments; BRAT writes its text as the fragments joined by one space.
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.errors import InputError, Location
from translator.evaluation.corpus import ChiaDoc


@dataclass(frozen=True)
class Entity:
    """One text-bound annotation; ``fragments`` are ``(start, end)`` pairs, end exclusive, in file order."""

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str
    """The text the ``.ann`` line states (not always the document's slice: 14 lines of Chia drop a ``\\r``)."""

    @property
    def start(self) -> int:
        return min(start for start, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(end for _, end in self.fragments)

    @property
    def discontinuous(self) -> bool:
        return len(self.fragments) > 1

    def source_text(self, document: str) -> str:
        """The document's text under the fragments, joined by a space as BRAT does."""
        return " ".join(document[start:end] for start, end in self.fragments)


def parse_ann(content: str, *, path: str = "<ann>") -> tuple[Entity, ...]:
    """Entities of one ``.ann`` file's content, in file order. A malformed ``T`` line raises InputError."""
    entities: list[Entity] = []
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if line.startswith("T"):
            entities.append(_entity(line, Location(path, line=number)))
    return tuple(entities)


def _entity(line: str, where: Location) -> Entity:
    parts = line.split("\t")
    if len(parts) != 3:
        raise InputError(f"a text-bound annotation needs 3 tab-separated fields, found {len(parts)}", location=where)
    entity_id, middle, text = parts
    entity_type, _, offsets = middle.partition(" ")
    try:
        fragments = tuple(_fragment(piece) for piece in offsets.split(";"))
    except ValueError as problem:
        raise InputError(f"bad offsets {offsets!r} ({problem})", location=where) from None
    return Entity(entity_id, entity_type, fragments, text)


def _fragment(piece: str) -> tuple[int, int]:
    start_text, end_text = piece.split()
    start, end = int(start_text), int(end_text)
    if not 0 <= start <= end:
        raise ValueError(f"fragment {start}-{end} is not ordered")
    return start, end


def read_annotations(doc: ChiaDoc) -> tuple[Entity, ...]:
    """The entities of a Chia document, from the ``.ann`` beside its ``.txt``; offsets index ``doc.text``."""
    path = doc.path.with_suffix(".ann")
    return parse_ann(path.read_bytes().decode("utf-8"), path=str(path))
