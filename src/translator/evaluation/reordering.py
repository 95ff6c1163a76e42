"""Paraphrases that move text around: reorder statements in a section, split or merge sentences.

Every requirement must hold, so reasons to join may be split and merged freely; reasons not to join each
exclude on their own, so they are merged with "or" and split at "or you". A list introduced as "one of
these" is a set of alternatives and is left as it is.
"""

from __future__ import annotations

import itertools
import re

from translator.domain import Section
from translator.evaluation import edit_rules as rules
from translator.evaluation.tagged import Statement, TaggedText
from translator.evaluation.textedit import Edit, capitalize, decapitalize

_ANAPHORA = re.compile(rules.ANAPHORA)
_ALTERNATIVES = re.compile(r"\b(?:one of|any of|either|at least one|all of)\b", re.I)
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)])(?<!e\.g)(?<!i\.e)(?<!\bvs)(?<!\bno)(?<!approx)\. (?=[A-Z])")
_EXCLUSION_LEAD = re.compile(rules.POLARITY_LEAD_INS[0][0])
_AND_YOU = re.compile(r", and you ")
_OR_YOU = re.compile(r", or (?:if )?you ")


def sibling_lists(tagged: TaggedText) -> list[list[int]]:
    """Runs of sibling bullet lines (indices of each block's first line); deeper lines belong to a block."""
    lists: list[list[int]] = []
    current: list[int] = []
    indent = -1
    for index, line in enumerate(tagged.lines):
        blank = not tagged.text[line.start : line.end].strip()
        if blank or (current and line.indent > indent):
            continue
        if line.marker and not line.heading and (not current or line.indent == indent):
            if not current:
                indent = line.indent
            current.append(index)
            continue
        if current:
            lists.append(current)
        current = [index] if line.marker and not line.heading else []
        indent = line.indent if current else -1
    if current:
        lists.append(current)
    return [run for run in lists if len(run) > 1]


def _block(tagged: TaggedText, index: int) -> tuple[int, int]:
    """Span of a block's content: after its marker to the end of its last line."""
    end = tagged.block_end(index)
    return tagged.lines[index].content_start, tagged.lines[end - 1].end


def _movable(tagged: TaggedText, index: int) -> bool:
    line = tagged.lines[index]
    content = tagged.text[line.content_start : line.end].strip()
    has_children = tagged.block_end(index) > index + 1
    statements = [s for s in tagged.statements if s.line == index]
    return bool(statements) and not _ANAPHORA.match(content) and (has_children or not content.endswith(":"))


def reorder_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    """Swap neighbouring blocks of a list (markers stay put), reverse a whole list, swap prose sentences."""
    return _list_swaps(tagged) + _sentence_swaps(tagged)


def _list_swaps(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    found: list[tuple[Edit, ...]] = []
    text = tagged.text
    for run in sibling_lists(tagged):
        if not all(_movable(tagged, index) for index in run):
            continue
        spans = [_block(tagged, index) for index in run]
        for a, b in itertools.pairwise(spans):
            found.append((Edit(a[0], a[1], text[b[0] : b[1]]), Edit(b[0], b[1], text[a[0] : a[1]])))
        if len(spans) > 2:
            mirrored = zip(spans, reversed(spans), strict=True)
            found.append(tuple(Edit(s[0], s[1], text[m[0] : m[1]]) for s, m in mirrored))
    return found


def _sentence_swaps(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    found: list[tuple[Edit, ...]] = []
    text = tagged.text
    for index in range(len(tagged.lines)):
        for a, b in itertools.pairwise(tagged.on_line(index)):
            first, second = text[a.start : a.end], text[b.start : b.end]
            if all(s.endswith((".", "!", "?")) and not _ANAPHORA.match(s) for s in (first, second)):
                found.append((Edit(a.start, a.end, second), Edit(b.start, b.end, first)))
    return found


def _context_of(tagged: TaggedText, index: int) -> str:
    """The heading or intro line a line sits under (what says "one of these" or "all of these")."""
    indent = tagged.lines[index].indent
    for back in range(index - 1, -1, -1):
        line = tagged.lines[back]
        if line.heading or (line.indent < indent and tagged.text[line.start : line.end].strip()):
            return tagged.text[line.start : line.end]
    return ""


def split_merge_edits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    return _merges(tagged) + _splits(tagged)


def _single(tagged: TaggedText, index: int) -> bool:
    statements = tagged.on_line(index)
    return tagged.block_end(index) == index + 1 and len(statements) == 1 and tagged.whole_line(statements[0])


def _merges(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    found: list[tuple[Edit, ...]] = []
    text = tagged.text
    for run in sibling_lists(tagged):
        if _ALTERNATIVES.search(_context_of(tagged, run[0])):
            continue
        for a, b in itertools.pairwise(run):
            if not (_single(tagged, a) and _single(tagged, b)) or tagged.lines[a].side != tagged.lines[b].side:
                continue
            first = text[tagged.lines[a].content_start : tagged.lines[a].end].rstrip()
            second = text[tagged.lines[b].content_start : tagged.lines[b].end].rstrip()
            merged = _merge(first, second, tagged.lines[a].side == "exclusion")
            if merged:
                found.append((Edit(tagged.lines[a].content_start, tagged.lines[b].end, merged),))
    return found


def _merge(first: str, second: str, exclusion: bool) -> str | None:
    head = first.rstrip(";,.")
    if not exclusion:
        return f"{head}. {capitalize(second)}" if not head.endswith(":") else None
    single = not _SENTENCE_BREAK.search(first) and not _SENTENCE_BREAK.search(second)
    if not single or not re.match(r"[Yy]ou\b|[Yy]our\b", second) or _EXCLUSION_LEAD.match(second):
        return None
    if re.search(rules.NOT_MERGED_AFTER, first, re.I):
        return None
    return f"{head}, or {decapitalize(second)}"


def _splits(tagged: TaggedText) -> list[tuple[Edit, ...]]:
    found: list[tuple[Edit, ...]] = []
    for statement in tagged.statements:
        line = tagged.lines[statement.line]
        if line.side is None or _ALTERNATIVES.search(_context_of(tagged, statement.line)):
            continue
        edit = _split(tagged, statement, line.side)
        if edit is not None:
            found.append((edit,))
    return found


def _split(tagged: TaggedText, statement: Statement, side: Section) -> Edit | None:
    """Requirements split at a sentence break (or ", and you"); exclusions at ", or you"."""
    line = tagged.lines[statement.line]
    body = tagged.text[statement.start : statement.end]
    bullet = bool(line.marker) and not line.marker[0].isdigit() and tagged.whole_line(statement)
    new_bullet = "\n" + " " * line.indent + line.marker
    if side == "inclusion":
        cut = (_SENTENCE_BREAK if bullet else _AND_YOU).search(body)
        new = "." + new_bullet if bullet else ". You "
    else:
        cut = _OR_YOU.search(body)
        lead = _EXCLUSION_LEAD.match(body)
        if cut and bullet and not lead:
            new = "." + new_bullet + "You "
        elif cut and not line.marker and lead:
            new = ". You also cannot join if you "
        else:
            return None
    if cut is None:
        return None
    return Edit(statement.start + cut.start(), statement.start + cut.end(), new)
