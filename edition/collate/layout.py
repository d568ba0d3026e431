"""Laying out one container: its events in document order, from the typed pieces of its slots.

In: the pieces (slot ranges with a type) that ``units`` found in a container, the tokens of
each column (one per witness, or None) and the number of witnesses. Out: the container's
events: common text (joined), ``LineStart``s of each witness, and a ``Unit`` for each piece
whose readings differ as a whole (readings grouped by text; whitespace they all share at the
edges moved out; whitespace-only differences typed ``spacing``).
"""

from __future__ import annotations

from edition.collate.model import (
    SPACING,
    LineStart,
    Reading,
    Unit,
    column_of,
    is_space_slot,
    token_columns,
)


def emit(container, pieces, toks, count, nslots, content) -> None:
    """The container's events: common text, line starts, and a ``Unit`` for each piece."""
    out = _Events()
    base_seen = 0           # copy-text tokens before the current slot
    s = 0
    for a, b, kind in pieces + [(nslots, nslots, "")]:
        for slot in range(s, a):
            base_seen += _emit_common_slot(out, slot, toks)
        if a < b:
            _emit_piece(out, a, b, kind, base_seen + 1, toks, count, content)
            base_seen += sum(1 for c in token_columns(a, b) if toks[c][0] is not None)
        s = b
    container.events = _line_breaks_for_spaces(out.finished())


class _Events:
    """A container's events being laid out: runs of text are joined once at the end (linear,
    not quadratic), line starts and units stand between them."""

    def __init__(self):
        self.items: list = []

    def text(self, value: str) -> None:
        if value:
            if self.items and isinstance(self.items[-1], list):
                self.items[-1].append(value)
            else:
                self.items.append([value])

    def add(self, *events) -> None:
        self.items.extend(events)

    def finished(self) -> list:
        return ["".join(e) if isinstance(e, list) else e for e in self.items]


def _emit_common_slot(out: _Events, slot: int, toks) -> int:
    """A slot where every witness agrees: the copy-text's token (after the line starts there)
    or the space after it. Returns the copy-text tokens it holds (0 or 1)."""
    column = toks[column_of(slot)]
    base = column[0]
    if is_space_slot(slot):
        out.text(base.ws if base is not None else "")
        return 0
    out.add(*_line_starts(column))
    out.text(base.t if base is not None else "")
    return base is not None


def _line_starts(column) -> list[LineStart]:
    """The line starts of the witnesses whose line begins with their token in this column
    (whitespace-only lines just before such a line start there too, in order)."""
    found = []
    for w, tok in enumerate(column):
        if tok is not None and tok.line:
            found.extend(LineStart(w, line, value) for line, value in tok.blank_before)
            found.append(LineStart(w, tok.line, tok.indent))
    return found


def _emit_piece(out: _Events, a: int, b: int, kind: str, pos: int, toks, count: int, content) -> None:
    """One piece of differing slots: the whitespace all readings share at its edges as common
    text, its line starts before the first character as events, and a ``Unit`` of the
    readings grouped by text (none when they read the same as a whole)."""
    readings = [_reading_of(w, a, b, toks, content) for w in range(count)]
    lead, trail = _common_space([text for text, _ in readings])
    out.text(lead)
    groups, hoisted = _group_readings(readings, len(lead), len(trail))
    out.add(*sorted(hoisted, key=lambda start: start.wit))
    if len(groups) == 1:
        _emit_as_common(out, groups[0])
    else:
        out.add(Unit(SPACING if _only_spacing(groups) else kind, groups, pos, slot=a))
    out.text(trail)


def _reading_of(w: int, a: int, b: int, toks, content) -> tuple[str, list[tuple[int, LineStart]]]:
    """Witness ``w``'s text in slots ``a``–``b`` and its line starts (offset in that text, start)."""
    parts: list[str] = []
    starts = []
    length = 0
    for slot in range(a, b):
        if not is_space_slot(slot):
            starts.extend((length, start) for start in _line_starts(toks[column_of(slot)]) if start.wit == w)
        value = content(slot, w)
        parts.append(value)
        length += len(value)
    return "".join(parts), starts


def _group_readings(readings, lead: int, trail: int) -> tuple[list[Reading], list[LineStart]]:
    """The readings without the shared edges, one per distinct text with its witnesses; the
    line starts that fall at or before the first character are returned apart (hoisted)."""
    groups: dict[str, Reading] = {}
    hoisted = []
    for w, (value, starts) in enumerate(readings):
        value = value[lead: len(value) - trail]
        group = groups.setdefault(value, Reading(value, []))
        group.wits.append(w)
        for offset, start in starts:
            offset -= lead
            if offset <= 0:
                hoisted.append(start)
            else:
                group.starts.append((offset, start))
    for group in groups.values():
        group.starts.sort(key=lambda item: (item[0], item[1].wit))
    return list(groups.values()), hoisted


def _emit_as_common(out: _Events, only: Reading) -> None:
    """Slots that differed one by one but read the same as a whole: common text, no unit."""
    cursor = 0
    for offset, start in only.starts:
        out.text(only.text[cursor:offset])
        out.add(start)
        cursor = offset
    out.text(only.text[cursor:])


def _only_spacing(groups: list[Reading]) -> bool:
    """The readings differ in their whitespace alone (a double space, a space against a line
    break): a ``spacing`` unit, kept so each witness is rebuilt exactly, never a variant."""
    first = groups[0].text.split()
    return all(group.text.split() == first for group in groups[1:])


def _line_breaks_for_spaces(events: list) -> list:
    """A text wrapped differently in two witnesses: where one has a space between two words and
    the other ends its line there instead, the space is common text and the other witness's
    line start says it stands for that space (``LineStart.join``), instead of a ``spacing``
    unit on each side of every line end that differs."""
    out: list = []
    for index, event in enumerate(events):
        if isinstance(event, Unit) and event.type == SPACING:
            starts = _starts_after(events, index + 1)
            space = _space_a_line_break_stands_for(event, starts)
            if space:
                for wit in event.readings[0].wits if not event.readings[0].text else event.readings[1].wits:
                    next(start for start in starts if start.wit == wit).join = space
                if out and isinstance(out[-1], str):
                    out[-1] += space
                else:
                    out.append(space)
                continue
        if isinstance(event, str) and out and isinstance(out[-1], str):
            out[-1] += event
        else:
            out.append(event)
    return out


def _starts_after(events: list, index: int) -> list[LineStart]:
    """The line starts that follow an event, up to the next text or unit."""
    starts = []
    while index < len(events) and isinstance(events[index], LineStart):
        starts.append(events[index])
        index += 1
    return starts


def _space_a_line_break_stands_for(unit: Unit, starts: list[LineStart]) -> str:
    """The whitespace of a spacing unit whose one reading is that whitespace and whose other is
    nothing, every witness of the empty reading (and none of the other) beginning a line right
    after it; else ''."""
    if len(unit.readings) != 2 or any(r.starts for r in unit.readings):
        return ""
    empty, spaced = sorted(unit.readings, key=lambda r: bool(r.text))
    breaking = {start.wit for start in starts}
    if empty.text or not spaced.text or spaced.text.strip():
        return ""
    if set(empty.wits) <= breaking and not set(spaced.wits) & breaking:
        return spaced.text
    return ""


def _common_space(values: list[str]) -> tuple[str, str]:
    """Leading and trailing whitespace that every reading shares."""
    def lead(v: str) -> str:
        return v[: len(v) - len(v.lstrip())]

    def trail(v: str) -> str:
        return v[len(v.rstrip()):]

    head = min((lead(v) for v in values), key=len)
    if not all(lead(v).startswith(head) for v in values) or not all(v.startswith(head) for v in values):
        head = ""
    tail = min((trail(v) for v in values), key=len)
    if not all(v.endswith(tail) for v in values):
        tail = ""
    if any(len(v) < len(head) + len(tail) for v in values):
        tail = ""
    return head, tail
