"""Segmentation: criteria text -> numbered inclusion/exclusion criteria with exact offsets.

``segment(text)`` returns criteria in reading order. Each criterion's ``text`` equals
``source[start:end]``; criteria never overlap (a parent's span stops where its first sub-item starts).
Ids are readable and stable for the same text: ``I1``, ``I2``, ``I3.a``, ``I3.a.i``, ``E1`` ...
Sub-headings and lead-in sentences ("Medical Conditions", "Participants are eligible ... if all of the following
criteria apply:") are not criteria: they are the ``heading`` of the criteria under them.
"""

from __future__ import annotations

from translator.domain import Criterion, Section
from translator.segment.lines import ROMAN_NUMERALS, scan_lines
from translator.segment.split import looks_run_together, split_inline_list, split_run_together
from translator.segment.tree import Node, TreeBuilder

__all__ = ["segment"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
LOST_BULLETS_SHARE = 4
"""A record lost its bullets when at least one block in this many looks run-together."""


def segment(text: str, default_section: Section = "inclusion") -> tuple[Criterion, ...]:
    """Split criteria text into criteria. Text before any heading belongs to ``default_section``."""
    roots = TreeBuilder(text, default_section).build(scan_lines(text))
    blocks = _walk(roots)
    run_together = sum(looks_run_together(text, node.start, node.end) for node in blocks)
    lost_bullets = run_together >= max(1, len(blocks) / LOST_BULLETS_SHARE)
    roots = _split_nodes(text, roots, lost_bullets)
    return tuple(_number(text, roots))


def _walk(nodes: list[Node]) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node.children))
    return found


def _split_nodes(text: str, nodes: list[Node], lost_bullets: bool) -> list[Node]:
    """Apply run-together (in a record that lost its bullets) and inline-list splitting, depth first."""
    result: list[Node] = []
    for index, node in enumerate(nodes):
        node.children = _split_nodes(text, node.children, lost_bullets)
        following = nodes[index + 1] if index + 1 < len(nodes) else None
        next_ordinal = following.ordinal if following is not None and following.marker == "number" else None
        numbered_below = next_ordinal is None and bool(node.children) and node.children[0].marker == "number"
        if numbered_below:
            next_ordinal = node.children[0].ordinal  # the list goes on indented under this bullet
        pieces = _split_inline(text, node, next_ordinal)
        if numbered_below and len(pieces) > 1:
            # "... present 3. 12-lead ECG ..." over an indented "4.": the lost "3." and the items after it are the
            # list's next items, siblings of this bullet, not its sub-items
            lifted, pieces[-1].children = pieces[-1].children, []
            pieces.extend(lifted)
        for piece in pieces:
            result.extend(_split_run_together(text, piece, lost_bullets))
    return result


def _copy(node: Node, start: int, end: int, children: list[Node] | None = None) -> Node:
    return Node(start, end, node.section, node.heading, node.indent, None, None, children or [])


def _split_run_together(text: str, node: Node, lost_bullets: bool) -> list[Node]:
    spans = split_run_together(text, node.start, node.end, lost_bullets=lost_bullets)
    if len(spans) == 1:
        return [node]
    pieces = [_copy(node, start, end) for start, end in spans]
    pieces[0].marker, pieces[0].ordinal = node.marker, node.ordinal
    pieces[-1].children = node.children
    return pieces


def _split_inline(text: str, node: Node, next_ordinal: int | None = None) -> list[Node]:
    continues = (node.marker, node.ordinal) if node.marker and node.ordinal else None
    found = split_inline_list(text, node.start, node.end, continues=continues, next_ordinal=next_ordinal)
    if found is None:
        return [node]
    head, items = found
    if head[0] == head[1]:  # "1) X; 2) Y": the items are siblings of this one
        siblings = [_copy(node, start, end) for start, end in items if end > start]
        siblings[-1].children = node.children
        return siblings
    children = [_copy(node, start, end) for start, end in items if end > start]
    node.start, node.end = head
    node.children = children + node.children
    return [node]


def _label(depth: int, index: int) -> str:
    if depth == 1:
        return _LETTERS[index] if index < 26 else _LETTERS[index // 26 - 1] + _LETTERS[index % 26]
    if depth == 2:
        return ROMAN_NUMERALS[index] if index < len(ROMAN_NUMERALS) else str(index + 1)
    return str(index + 1)


def _number(text: str, roots: list[Node]) -> list[Criterion]:
    counters: dict[Section, int] = {"inclusion": 0, "exclusion": 0}
    out: list[Criterion] = []
    for node in roots:
        counters[node.section] += 1
        prefix = "I" if node.section == "inclusion" else "E"
        _emit(text, node, f"{prefix}{counters[node.section]}", None, 0, out)
    return out


def _emit(text: str, node: Node, ident: str, parent: str | None, depth: int, out: list[Criterion]) -> None:
    if node.end > node.start:
        out.append(
            Criterion(ident, node.section, text[node.start : node.end], node.start, node.end, parent, node.heading)
        )
    for index, child in enumerate(node.children):
        _emit(text, child, f"{ident}.{_label(depth + 1, index)}", ident, depth + 1, out)
