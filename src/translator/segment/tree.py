"""Build the criteria tree from classified lines: sections, nesting, continuation lines.

Nesting follows indentation first (Markdown), then two habits of real records that indentation misses:
a numbered list that restarts at 1 right after an item ending in ":" is a sub-list of that item
(NCT06010472: "6. Subjects meets one of the following:" / "1. ..." / "2. ..." / "7. ..."), and under a
qualified sub-heading ("Specific inclusion criteria:"), a short title line followed by lower-case items is a
group label whose items belong to it (NCT07193667's disease-specific sub-sections).

Text lines that introduce criteria rather than state one (sub-headings and lead-ins, see ``subheadings``) become
the ``heading`` of the criteria under them, joined to the section's own qualified heading with " › ". A sentence
that ends in a colon and is not a mere lead-in ("Patients who meet one or more of the following criteria:") is
the parent of the list items after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.domain import Section
from translator.segment.lines import Line, MarkerKind, as_roman
from translator.segment.subheadings import Role, heading_roles, label_text

_TERMINAL = ".;:!?"
HEADING_SEPARATOR = " › "
"""Joins the headings a criterion sits under: "Key Exclusion Criteria › Medical Conditions"."""
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 50, 120
WRAP_SLACK = 3
MIN_WRAPPED_LINES = 3
"""Hard-wrapped legacy text breaks lines at a fixed width in this range; shorter lines are one per criterion."""


@dataclass
class Node:
    start: int
    end: int
    section: Section
    heading: str | None
    indent: int
    marker: MarkerKind | None = None
    ordinal: int | None = None
    children: list[Node] = field(default_factory=list)


@dataclass
class _Scope:
    """Roots that sit under one qualified sub-heading, where group labels may occur."""

    first: int
    last: int = -1


class TreeBuilder:
    def __init__(self, text: str, default_section: Section) -> None:
        self.text = text
        self.default_section: Section = default_section
        self.section: Section = default_section
        self.section_heading: str | None = None
        self.labels: list[str] = []
        """Labels and lead-ins over the criteria to come; consecutive ones stack, one after a criterion replaces."""
        self.pending: list[Line] = []
        """Label lines that no criterion has followed yet (a label with nothing under it stays a criterion)."""
        self.roles: dict[int, Role] = {}
        self.roots: list[Node] = []
        self.stack: list[Node] = []
        self.current: Node | None = None
        self.previous: Line | None = None
        self.scopes: list[_Scope] = []
        self.wrap_width = 0
        self.wrapped_lines = 0
        """Lines that end within ``WRAP_SLACK`` of the longest: a hard-wrapped text has several."""

    def build(self, lines: list[Line]) -> list[Node]:
        widths = [ln.end - ln.line_start for ln in lines if ln.kind != "blank"]
        self.wrap_width = max(widths, default=0)
        self.wrapped_lines = sum(1 for width in widths if width >= self.wrap_width - WRAP_SLACK)
        self.roles = heading_roles(self.text, lines, self.default_section)
        for index, line in enumerate(lines):
            if line.kind == "heading":
                self._heading(line)
            elif line.kind == "item":
                self._item(line)
            elif line.kind == "text":
                self._text(line, index in self.roles)
            self.previous = line
        self._unused_labels()
        self._close_scope()
        for scope in self.scopes:
            self._group_labels(scope)
        return self.roots

    # -- headings -------------------------------------------------------------------------------------
    @property
    def heading(self) -> str | None:
        parts = [self.section_heading, *self.labels] if self.section_heading else self.labels
        return HEADING_SEPARATOR.join(parts) or None

    def _new_node(self, line: Line, section: Section, heading: str | None) -> Node:
        self.pending = []
        return Node(line.start, line.end, section, heading, line.indent, line.marker, line.ordinal)

    def _label(self, line: Line) -> None:
        """A sub-heading or lead-in: it heads the criteria that follow."""
        if not self.pending:  # a criterion came since the last label: this one replaces them
            self.labels = []
        self.labels.append(label_text(self.text, line))
        self.pending.append(line)
        self.stack = []
        self.current = None

    def _unused_labels(self) -> None:
        """Labels that head nothing (the section ended first) are criteria after all."""
        pending, self.labels = self.pending, []
        for line in pending:
            self.roots.append(self._new_node(line, self.section, self.heading))
        self.stack = []
        self.current = None

    def _heading(self, line: Line) -> None:
        self._unused_labels()
        self._close_scope()
        assert line.section is not None
        self.section = line.section
        self.section_heading = self.text[line.start : line.end].strip(" *_#:-–—") if line.subheading else None
        if line.subheading:
            self.scopes.append(_Scope(first=len(self.roots)))
        self.stack = []
        self.current = None

    def _close_scope(self) -> None:
        if self.scopes and self.scopes[-1].last < 0:
            self.scopes[-1].last = len(self.roots)

    # -- list items -----------------------------------------------------------------------------------
    def _item(self, line: Line) -> None:
        if self.stack and self.stack[-1].marker == "roman":
            line = as_roman(line) or line
        parent = self._place(line)
        node = self._new_node(line, self.section, self.heading)
        self._attach(node, parent)
        self.stack.append(node)
        self.current = node

    def _attach(self, node: Node, parent: Node | None) -> None:
        if parent is None:
            self.roots.append(node)
        else:
            parent.children.append(node)

    def _ends_with_colon(self, node: Node) -> bool:
        return self.text[node.start : node.end].rstrip().endswith(":")

    def _place(self, line: Line) -> Node | None:
        """Pop the stack to where this item belongs and return its parent (None for a top-level item)."""
        stack = self.stack
        while stack and stack[-1].indent > line.indent + 1:
            stack.pop()
        if not stack:
            return None
        top = stack[-1]
        if line.indent > top.indent + 1:
            return top
        restart = line.marker != "symbol" and line.ordinal == 1 and (top.ordinal or 0) >= 1
        if self._ends_with_colon(top) and (restart or line.marker != top.marker):
            return top
        ancestor = self._continued_ancestor(line)
        if ancestor is not None:
            del stack[ancestor:]
        else:
            stack.pop()
        return stack[-1] if stack else None

    def _continued_ancestor(self, line: Line) -> int | None:
        """Index of an open ancestor list (same indent and marker) that this item's number continues."""
        if line.ordinal is None:
            return None
        for index in range(len(self.stack) - 2, -1, -1):
            node = self.stack[index]
            if abs(node.indent - line.indent) > 1 or node.marker != line.marker or node.ordinal is None:
                continue
            if line.ordinal == node.ordinal + 1 and self.stack[-1].ordinal != line.ordinal - 1:
                return index
        return None

    # -- plain text lines -----------------------------------------------------------------------------
    def _text(self, line: Line, label: bool) -> None:
        previous = self.previous
        after_blank = previous is None or previous.kind in ("blank", "heading")
        if not after_blank and self.current is not None and self._continues(previous, line):
            self._extend(self.current, line)
            return
        if label:
            self._label(line)
            return
        if after_blank and line.indent > 0:
            owner = self._indented_owner(line)
            if owner is not None:
                if owner.children:
                    child = self._new_node(line, owner.section, owner.heading)
                    owner.children.append(child)
                    self.current = child
                else:
                    self._extend(owner, line)
                return
        node = self._new_node(line, self.section, self.heading)
        self.roots.append(node)
        # A sentence ending in a colon ("... one of the study groups, as follows:") owns the list after it.
        self.stack = [node] if self._ends_with_colon(node) else []
        self.current = node

    def _extend(self, node: Node, line: Line) -> None:
        node.end = line.end
        self.current = node

    def _indented_owner(self, line: Line) -> Node | None:
        for node in reversed(self.stack):
            if node.indent < line.indent:
                return node
        return None

    def _continues(self, previous: Line | None, line: Line) -> bool:
        """Is a text line the continuation of the line before it (no blank line between them)?"""
        if previous is None or previous.kind not in ("item", "text"):
            return False
        prev_text = self.text[previous.start : previous.end]
        starts_lower = self.text[line.start].islower()
        if previous.kind == "item" and (line.indent > previous.indent or starts_lower):
            return True
        if prev_text[-1:] in _TERMINAL:
            return False
        # A hard-wrapped line: the next word would not have fitted on the previous line.
        first_word = self.text[line.start : line.end].split(maxsplit=1)[0]
        width = previous.end - previous.line_start
        if not MIN_WRAP_WIDTH <= self.wrap_width <= MAX_WRAP_WIDTH or width < 0.6 * self.wrap_width:
            return False
        if starts_lower:
            return True
        # A capitalised word continues a line only in a text that looks hard-wrapped: lines of criteria written one
        # per line (Chia) end where their sentences end, and the longest stands alone.
        return self.wrapped_lines >= MIN_WRAPPED_LINES and width + 1 + len(first_word) > self.wrap_width - 2

    # -- disease-specific sub-sections ----------------------------------------------------------------
    def _title_like(self, node: Node) -> bool:
        text = self.text[node.start : node.end].strip()
        words = text.split()
        return (
            not node.children
            and 0 < len(words) <= 10
            and text[0].isupper()
            and not any(ch.isdigit() for ch in text)
            and ";" not in text
            and ":" not in text.rstrip(":")
        )

    def _group_labels(self, scope: _Scope) -> None:
        roots = self.roots[scope.first : scope.last]
        grouped: list[Node] = []
        label: Node | None = None
        for index, node in enumerate(roots):
            following = roots[index + 1] if index + 1 < len(roots) else None
            if following is not None and self._title_like(node) and self.text[following.start].islower():
                label = node
                grouped.append(node)
            elif label is not None:
                label.children.append(node)
            else:
                grouped.append(node)
        self.roots[scope.first : scope.last] = grouped
        shift = len(roots) - len(grouped)
        for later in self.scopes:
            if later.first > scope.first:
                later.first -= shift
                later.last -= shift
