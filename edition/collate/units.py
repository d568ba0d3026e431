"""From aligned columns to the parts of the edition: containers, common text, variation units.

In: the tokenised witnesses (copy-text first, with its blocks), the alignment columns and the
rules. Out: one ``Container`` per element that holds text (a title, heading, paragraph, verse
line or list item of the copy-text), each a list of events in document order: common text,
line starts of a witness (``LineStart``) and variation units (``Unit``).

A column holds, for each witness, a token's text and the whitespace after it: two *slots*.
A slot where the witnesses differ belongs to a unit; neighbouring differing slots form one run
(slots empty in every witness neither join nor split). A run is cut where aligned tokens turn
into unaligned ones (a gloss added beside a changed dash is two units), each piece is typed,
and neighbouring pieces of the same type are joined again when the rules' ``[merge]`` allows
the few unchanged tokens between them. Whitespace that all readings share at a unit's edges is
moved out of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.collate.classify import classify
from edition.collate.normalise import Normaliser
from edition.collate.rules import CollationRules
from edition.collate.witness import Witness

CONTAINER_KIND = {"title": "head", "front": "p", "head": "head", "p": "p", "lg": "l", "list": "item"}
# The type of a unit whose readings differ in whitespace only (not one of the rules' types:
# such a unit is recorded for the exact rebuild of each witness, never printed as a variant).
SPACING = "spacing"


# Column c of the alignment has two slots: 2c, its token, and 2c + 1, the whitespace after it.
def column_of(slot: int) -> int:
    """The column a slot belongs to."""
    return slot >> 1


def is_space_slot(slot: int) -> bool:
    """True for the slot of the whitespace after a token (odd), False for the token's own."""
    return bool(slot & 1)


def token_columns(a: int, b: int) -> range:
    """The columns whose token slot lies in the slots ``a``–``b`` (``b`` excluded)."""
    return range((a + 1) >> 1, (b + 1) >> 1)


@dataclass
class LineStart:
    """Witness ``wit`` (index) begins its line ``line`` here, after ``indent``."""

    wit: int
    line: int
    indent: str


@dataclass
class Reading:
    """One reading of a unit: its text, the witnesses that have it, their line starts inside."""

    text: str
    wits: list[int]
    starts: list[tuple[int, LineStart]] = field(default_factory=list)   # (offset in text, start)
    cause: str = ""                # "transposition": the phrase stands elsewhere in these witnesses
    partner: "Unit | None" = None  # … in this unit


@dataclass
class Unit:
    """A variation unit."""

    type: str
    readings: list[Reading]
    pos: int                       # 1-based index of the copy-text token where it starts
    lemma: int = 0                 # index of the reading adopted as lemma (0: the copy-text's)
    emendation: dict | None = None
    id: str = ""


@dataclass
class Container:
    """An element of the edited text holding text: kind, block index, events."""

    kind: str
    block: int
    events: list = field(default_factory=list)
    base_text: str = ""


def build_containers(witnesses: list[Witness], cols: list[list[int]], rules: CollationRules,
                     normaliser: Normaliser) -> list[Container]:
    """Cut the columns into the copy-text's containers and find the units in each."""
    base = witnesses[0]
    owner = [0] * len(base.tokens)     # container index of each copy-text token
    containers: list[Container] = []
    for b, block in enumerate(base.blocks):
        kind = CONTAINER_KIND[block.kind]
        if block.kind in ("lg", "list"):
            for _, first, end in block.lines:
                owner[first:end] = [len(containers)] * (end - first)
                containers.append(Container(kind, b))
        else:
            for _, first, end in block.lines:
                owner[first:end] = [len(containers)] * (end - first)
            containers.append(Container(kind, b))
    per_container = _assign_columns(witnesses, cols, owner, len(containers))
    for index, container in enumerate(containers):
        _fill(container, per_container[index], witnesses, rules, normaliser)
    _place_blank_lines(witnesses, containers, per_container)
    return containers


def _assign_columns(witnesses, cols, owner, count) -> list[list[list[int]]]:
    """Columns per container; additions at a boundary go where their witness's line is."""
    result: list[list[list[int]]] = [[] for _ in range(max(count, 1))]
    pending: list[list[int]] = []
    current = 0
    for col in cols:
        if col[0] == -1:
            pending.append(col)
            continue
        target = owner[col[0]]
        if pending:
            if target != current:
                split = next((k for k, c in enumerate(pending)
                              if any(i != -1 and witnesses[w].tokens[i].line for w, i in enumerate(c))), len(pending))
                result[current].extend(pending[:split])
                result[target].extend(pending[split:])
            else:
                result[current].extend(pending)
            pending = []
        current = target
        result[current].append(col)
    result[current].extend(pending)
    return result


def _slots(cols, witnesses):
    """Per column: the tokens of each witness (or None)."""
    return [[witnesses[w].tokens[i] if i != -1 else None for w, i in enumerate(col)] for col in cols]


def _fill(container: Container, cols: list[list[int]], witnesses, rules, normaliser) -> None:
    """Find, type and merge the units of one container, and lay out its events."""
    toks = _slots(cols, witnesses)
    count = len(witnesses)
    nslots = 2 * len(cols)

    def content(s: int, w: int) -> str:
        tok = toks[column_of(s)][w]
        if tok is None:
            return ""
        return tok.ws if is_space_slot(s) else tok.t

    differs = []
    empty = []
    for col in toks:
        first = col[0]
        if first is not None and all(tok is not None and tok.t == first.t and tok.ws == first.ws for tok in col):
            differs += (False, False)            # the common case: every witness has the same token
            empty += (False, not first.ws)
            continue
        for values in ([tok.t if tok else "" for tok in col], [tok.ws if tok else "" for tok in col]):
            same = values.count(values[0]) == count
            differs.append(not same)
            empty.append(same and not values[0])
    runs = _runs(differs, empty, cols)
    pieces = [_typed(run, toks, count, normaliser, rules) for run in runs]
    merged = _merge(pieces, toks, rules)
    container.base_text = "".join((t.t + t.ws) for t in (c[0] for c in toks) if t is not None)
    _emit(container, merged, toks, count, nslots, content)


def _runs(differs, empty, cols) -> list[tuple[int, int]]:
    """Maximal runs of differing slots, cut where aligned columns meet unaligned ones."""
    runs: list[list[tuple[int, int]]] = []
    start = None
    last = None
    for s, diff in enumerate(differs):
        if diff:
            if start is None:
                start = s
                runs.append([])
            elif _aligned(cols[column_of(s)]) != _aligned(cols[column_of(last)]) and column_of(s) != column_of(last):
                runs[-1].append((start, last + 1))
                start = s
            last = s
        elif not empty[s] and start is not None:
            runs[-1].append((start, last + 1))
            start = None
    if start is not None:
        runs[-1].append((start, last + 1))
    return [piece for run in runs for piece in _absorb_spacing(run)]


def _absorb_spacing(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece that is only the space after an aligned token joins the next piece of its run
    (the space before an added gloss belongs to the addition), or the previous one at the end."""
    if len(pieces) < 2:
        return pieces
    out: list[tuple[int, int]] = []
    carry = None
    for a, b in pieces:
        start = carry if carry is not None else a
        carry = None
        if b - a == 1 and is_space_slot(a):
            carry = start
            continue
        out.append((start, b))
    if carry is not None:
        first = out.pop()[0] if out else carry
        out.append((first, pieces[-1][1]))
    return out


def _aligned(col: list[int]) -> bool:
    """Every witness has a token in this column."""
    return all(i != -1 for i in col)


def _words(run, toks, w) -> list[str]:
    """The words witness ``w`` has in the run (a run may start at the space after a token)."""
    a, b = run
    return [tok.t for tok in (toks[c][w] for c in token_columns(a, b)) if tok is not None and tok.word]


def _typed(run, toks, count, normaliser, rules) -> tuple[int, int, str]:
    """The piece with its type, decided on the words each witness has in it."""
    a, b = run
    readings = [_words(run, toks, w) for w in range(count)]
    return a, b, classify(readings, normaliser, rules.type_order)


def _merge(pieces, toks, rules) -> list[tuple[int, int, str]]:
    """Join neighbouring pieces of one type when the rules' [merge] allows what lies between."""
    merged: list[tuple[int, int, str]] = []
    for a, b, kind in pieces:
        if merged and merged[-1][2] == kind:
            pa, pb, _ = merged[-1]
            gap, across = rules.merge(kind)
            between = [c for c in token_columns(pb, a) if toks[c][0] is not None]
            kinds = {"word" if toks[c][0].word else "punct" for c in between}
            if len(between) <= gap and kinds <= across:
                merged[-1] = (pa, b, kind)
                continue
        merged.append((a, b, kind))
    return merged


def _emit(container, pieces, toks, count, nslots, content) -> None:
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
    container.events = out.finished()


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
        out.add(Unit(SPACING if _only_spacing(groups) else kind, groups, pos))
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


def _place_blank_lines(witnesses, containers, per_container) -> None:
    """Whitespace-only lines after a witness's last token go at the end of its container."""
    for w, witness in enumerate(witnesses):
        if not witness.blank_ws:
            continue
        last = max((index for index, cols in enumerate(per_container) if any(col[w] != -1 for col in cols)),
                   default=0)
        containers[last].events.extend(LineStart(w, number, value) for number, value in witness.blank_ws)
