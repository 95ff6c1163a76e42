"""Structural mutations: delete a criterion or a list item, move a statement across sides, add a limit.

Placement follows the text's own layout: a new or moved statement goes after the last line of the target
side's section, as a bullet when that line is one and as a sentence in the paragraph when it is prose; a
missing exclusion section is added under its own heading.
"""

from __future__ import annotations

import re

from translator.domain import Section
from translator.evaluation import edit_rules as rules
from translator.evaluation.mutation_context import Candidate, Context
from translator.evaluation.tagged import Statement, TaggedText
from translator.evaluation.textedit import Edit, capitalize, decapitalize

_LIST_STOP = re.compile(r"[.;:]\s|[.;:]$")
_LEAD_INS = [(re.compile(pattern, re.I), side) for pattern, side in rules.POLARITY_LEAD_INS]
_CUES = re.compile(r"\b(" + "|".join(re.escape(c) for c in sorted(rules.POLARITY_CUES, key=len, reverse=True)) + r")\b")
_ANAPHORA = re.compile(rules.ANAPHORA)
_SIDE_CUES = re.compile(
    r"\b(?:" + "|".join(re.escape(c) for c in sorted(rules.SIDE_CUES, key=len, reverse=True)) + r")\b"
)
_INTRO = re.compile(r"\b(?:all|any|each) of the following\b", re.I)
_OTHER: dict[Section, Section] = {"inclusion": "exclusion", "exclusion": "inclusion"}
EXCLUSION_HEADING = "## You cannot join if:"
_MUST = [(re.compile(pattern), replacement) for pattern, replacement in rules.MUST_REWORDS]


# --- deletions ------------------------------------------------------------------------------------------


def delete_statement(tagged: TaggedText, statement: Statement) -> Edit:
    """Remove a statement: its whole line when it is the line's only content, else its span and one gap."""
    text, line = tagged.text, tagged.lines[statement.line]
    if tagged.whole_line(statement):
        return Edit(line.start, min(line.end + 1, len(text)), "")
    end = statement.end
    while end < line.end and text[end] == " ":
        end += 1
    if end == line.end:
        start = statement.start
        while start > line.content_start and text[start - 1] == " ":
            start -= 1
        return Edit(start, statement.end, "")
    return Edit(statement.start, end, "")


def delete_criterion(context: Context) -> list[Candidate]:
    """Delete every statement of one criterion, when they state only that criterion. Not a parent (its
    sub-items carry its content) nor an intro that only repeats its heading ("… all of the following …")."""
    found: list[Candidate] = []
    for cid, statements in context.statements_by_id.items():
        if cid in context.parents or any(s.ids != (cid,) for s in statements):
            continue
        if all(_INTRO.search(context.tagged.statement_text(s)) for s in statements):
            continue
        found.append(Candidate(cid, tuple(delete_statement(context.tagged, s) for s in statements)))
    return found


def delete_item(context: Context) -> list[Candidate]:
    """Drop a middle item of a list of three or more ("HIV, hepatitis B or hepatitis C" -> "HIV or hepatitis C")."""
    found: list[Candidate] = []
    for statement in context.tagged.statements:
        for first, last in _clauses(context.text, statement):
            for start, end in list_items(context.text, first, last):
                item = context.text[start:end]
                word = max(re.findall(r"[A-Za-z]{3,}", item), key=len, default=item)
                found.append(Candidate(context.owner(statement, word), (Edit(start - 2, end, ""),)))
    return found


def _clauses(text: str, statement: Statement) -> list[tuple[int, int]]:
    masked = _mask_brackets(text[statement.start : statement.end])
    spans: list[tuple[int, int]] = []
    start = 0
    for stop in _LIST_STOP.finditer(masked):
        spans.append((statement.start + start, statement.start + stop.start()))
        start = stop.end()
    spans.append((statement.start + start, statement.end))
    return spans


def _mask_brackets(text: str) -> str:
    out: list[str] = []
    depth = 0
    for char in text:
        depth += char == "("
        out.append("\x00" if depth else char)
        depth -= char == ")" and depth > 0
    return "".join(out)


def list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the middle items of a list "A, B, C(,) or D" in text[start:end], brackets not split.

    Only a clause whose every part looks like a list item counts: "measured within 2 weeks, …" or
    "…, or any other condition that …" are phrases of a sentence, not items of a list."""
    masked = _mask_brackets(text[start:end])
    parts = masked.split(", ")
    if len(parts) < 2:
        return []
    last = parts[-1]
    conj = re.match(r"(?:and/or|or|and|nor) ", last)
    inner = parts[1:-1]
    if conj:
        tail = last[conj.end() :]
    else:
        split = max(last.rfind(" or "), last.rfind(" and "))
        if split <= 0:
            return []
        inner, tail = [*inner, last[:split]], last[split:].split(" ", 2)[-1]
    if not inner or not all(_item_like(part) for part in [*inner, tail]) or not _ends_item(parts[0]):
        return []
    spans: list[tuple[int, int]] = []
    offset = start + len(parts[0]) + 2
    for part in inner:
        spans.append((offset, offset + len(part)))
        offset += len(part) + 2
    return spans


def _words(part: str) -> list[str]:
    return re.findall(r"[\w'’/-]+", part.replace("\x00", " ").lower())


def _item_like(part: str) -> bool:
    words = _words(part)
    if not words or len(words) > 6 or not re.match(r"[A-Za-z\x00]", part):
        return False
    return (
        words[0] not in rules.NOT_ITEM_START
        and words[-1] not in rules.NOT_ITEM_END
        and not any(w in rules.ITEM_VERBS for w in words)
    )


def _ends_item(part: str) -> bool:
    words = _words(part)
    return bool(words) and words[-1] not in rules.NOT_ITEM_END


# --- moving a statement to the other side ----------------------------------------------------------------


def move_section(context: Context) -> list[Candidate]:
    """Put a criterion on the other side: swap its own lead-in or cue, or move it under the other heading."""
    found: list[Candidate] = []
    tagged = context.tagged
    for statement in tagged.statements:
        body = tagged.statement_text(statement)
        if len(statement.ids) != 1 or statement.ids[0] in context.parents or _ANAPHORA.match(body):
            continue
        if body.rstrip().endswith(":") or re.search(r"\b(?:the following|these)\b", body, re.I):
            continue
        if re.match(r"(?:If|When|For) ", body):
            continue  # a conditional rule ("If you are Japanese, …") does not read as a reason either way
        edits = _flip_in_place(context, statement, body)
        edits = _move(context, statement, body) if edits is None else edits
        if edits:
            found.append(Candidate(statement.ids[0], edits))
    return found


def _flip_in_place(context: Context, statement: Statement, body: str) -> tuple[Edit, ...] | None:
    """The edits that swap the side a statement states itself; None when it states none (move it instead),
    empty when it states two."""
    for pattern, side in _LEAD_INS:
        lead = pattern.match(body)
        if lead:
            edits = _relocate(context, statement, capitalize(body[lead.end() :]), _OTHER[side])
            return edits if edits else None
    cue = _CUES.search(body)
    if cue and len(_SIDE_CUES.findall(body)) > 1:
        return ()  # "... rule you out if ... a reason you cannot take part": swapping one cue contradicts the other
    if cue:
        start = statement.start + cue.start()
        return (Edit(start, start + len(cue.group()), rules.POLARITY_CUES[cue.group()]),)
    return None


def _move(context: Context, statement: Statement, body: str) -> tuple[Edit, ...] | None:
    side = context.tagged.side_of(statement)
    if side is None:
        return None
    return _relocate(context, statement, body, _OTHER[side])


_OWN_SIDE = re.compile(r"^(?:(?!\b(?:if|that|who|whom|which|whose|when|unless|because|and)\b)[^.;:])*?\bmust\b", re.I)
"""A statement whose main clause says "must" (or "must not") after the move states its own side: a requirement
or a prohibition under either heading ("At least 4 weeks must have passed ..."). Moving it changes nothing a
reader sees, so it is no mutant. A "must" in a subordinate clause ("a reason that you must not be given ...")
does not fix the side."""


def _relocate(context: Context, statement: Statement, body: str, side: Section) -> tuple[Edit, ...] | None:
    """Delete the statement and add it to ``side``: as a bullet in the list's own style, or as a sentence.
    None when the moved statement would still read the same."""
    sentence = capitalize(re.sub(r"[;,]\s*$", "", body))
    sentence = sentence if sentence.endswith((".", "?", "!", ")")) else sentence + "."
    if side == "exclusion":
        for pattern, replacement in _MUST:
            sentence = pattern.sub(replacement, sentence, count=1)
            body = pattern.sub(replacement, body, count=1)
    if _OWN_SIDE.search(sentence):
        return None  # an equivalent mutant: "Your HbA1c must be below 6.5%" reads the same under either heading
    prose: str | None = sentence
    if side == "exclusion":
        # "You cannot join if …" reads only with the reader as subject and no requirement left in it
        plain = re.match(r"You(?:r)?\b", sentence) and not re.search(r"\bmust\b", sentence)
        prose = f"You cannot join if {decapitalize(sentence)}" if plain else None
    insert = insertion(context.tagged, side, body, prose)
    if insert is None:
        return None
    return (delete_statement(context.tagged, statement), insert)


def insertion(tagged: TaggedText, side: Section, bullet: str, prose: str | None) -> Edit | None:
    """Where a new statement on ``side`` goes: after the section's last line, in that line's form (None
    when that form is prose and the statement has no prose form)."""
    index = tagged.section_end(side)
    text = tagged.text
    if index is None:
        if side == "inclusion":
            return None
        gap = "\n" if text.endswith("\n") else "\n\n"
        return Edit(len(text), len(text), f"{gap}{EXCLUSION_HEADING}\n\n- {bullet}\n")
    end = tagged.lines[index].end
    marker = _list_marker(tagged, index)
    if marker:
        return Edit(end, end, f"\n{marker}{bullet}")
    return Edit(end, end, f" {prose}") if prose else None


def _list_marker(tagged: TaggedText, index: int) -> str | None:
    """The marker of the next top-level bullet after line ``index``, or None when that line is prose."""
    while index >= 0:
        line = tagged.lines[index]
        if line.heading or not tagged.text[line.start : line.end].strip():
            return None
        if line.marker and not line.indent:
            number = re.match(r"(\d+)([.)] )", line.marker)
            return f"{int(number.group(1)) + 1}{number.group(2)}" if number else line.marker
        if not line.marker and not line.indent:
            return None
        index -= 1
    return None


# --- additions ----------------------------------------------------------------------------------------


def _has_upper_age(context: Context) -> bool:
    return any(context.mentions(pattern) for pattern in rules.UPPER_AGE)


def add_threshold(context: Context) -> list[Candidate]:
    """A limit on something the source never names, or an upper age where there is none."""
    found: list[Candidate] = []
    for _, pattern, bullet, prose in rules.INVENTED_LIMITS:
        if not context.mentions(pattern):
            edit = insertion(context.tagged, "inclusion", bullet, prose)
            found += [Candidate(None, (edit,))] if edit else []
    if not _has_upper_age(context):
        _, bullet, prose = rules.UPPER_AGE_LIMIT
        edit = insertion(context.tagged, "inclusion", bullet, prose)
        found += [Candidate(None, (edit,))] if edit else []
    return found


def add_exclusion(context: Context) -> list[Candidate]:
    """A reason not to join that the source never names."""
    found: list[Candidate] = []
    for _, pattern, phrase in rules.INVENTED_EXCLUSIONS:
        if not context.mentions(pattern):
            edit = insertion(context.tagged, "exclusion", f"You {phrase}.", f"You cannot join if you {phrase}.")
            found += [Candidate(None, (edit,))] if edit else []
    return found
