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
the few unchanged tokens between them. Laying out the events is ``layout``; the data types
are in ``model`` (and re-exported here).
"""

from __future__ import annotations

from edition.collate.classify import classify
from edition.collate.layout import emit
from edition.collate.model import (
    SPACING,
    Container,
    LineStart,
    Reading,
    Unit,
    column_of,
    is_space_slot,
    token_columns,
)
from edition.collate.normalise import Normaliser
from edition.collate.rules import CollationRules
from edition.collate.witness import Witness

CONTAINER_KIND = {"title": "head", "front": "p", "head": "head", "p": "p", "lg": "l", "list": "item"}


def build_containers(witnesses: list[Witness], cols: list[list[int]], rules: CollationRules,
                     normaliser: Normaliser, forced: dict[tuple[int, int], str] | None = None) -> list[Container]:
    """Cut the columns into the copy-text's containers and find the units in each; ``forced``: an
    editor's ``split``/``merge`` of units, by (container, first slot) (``Unit.container``, ``Unit.slot``)."""
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
        mine = {slot: action for (at, slot), action in (forced or {}).items() if at == index}
        _fill(container, per_container[index], witnesses, rules, normaliser, mine)
        for event in container.events:
            if isinstance(event, Unit):
                event.container = index
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


def _fill(container: Container, cols: list[list[int]], witnesses, rules, normaliser, forced: dict[int, str]) -> None:
    """Find, type and merge the units of one container (then split or merge them where an
    editor said so), and lay out its events."""
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
    if forced:
        merged = _overruled(merged, forced, lambda a, b: _typed((a, b), toks, count, normaliser, rules)[2])
    container.base_text = "".join((t.t + t.ws) for t in (c[0] for c in toks) if t is not None)
    emit(container, [(a, b, kind) for a, b, kind, _ in merged], toks, count, nslots, content)
    parts = {a: len(joined) for a, _, _, joined in merged}
    for event in container.events:
        if isinstance(event, Unit):
            event.pieces = parts.get(event.slot, 1)


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


def _merge(pieces, toks, rules) -> list[tuple[int, int, str, list]]:
    """Join neighbouring pieces of one type when the rules' [merge] allows what lies between;
    each unit as (first slot, end slot, type, the pieces joined in it)."""
    merged: list[tuple[int, int, str, list]] = []
    for a, b, kind in pieces:
        if merged and merged[-1][2] == kind:
            pa, pb, _, joined = merged[-1]
            gap, across = rules.merge(kind)
            between = [c for c in token_columns(pb, a) if toks[c][0] is not None]
            kinds = {"word" if toks[c][0].word else "punct" for c in between}
            if len(between) <= gap and kinds <= across:
                merged[-1] = (pa, b, kind, [*joined, (a, b, kind)])
                continue
        merged.append((a, b, kind, [(a, b, kind)]))
    return merged


def _overruled(merged: list, forced: dict[int, str], typed) -> list:
    """The units with an editor's overrules applied: ``split`` gives back the pieces [merge] joined,
    ``merge`` joins a unit with the next one of its container (the text between them included,
    the whole typed again by ``typed(first slot, end slot)``)."""
    out: list = []
    i = 0
    while i < len(merged):
        a, b, kind, joined = merged[i]
        action = forced.get(a)
        if action == "split":
            out.extend((pa, pb, pkind, [(pa, pb, pkind)]) for pa, pb, pkind in joined)
        elif action == "merge" and i + 1 < len(merged):
            _, nb, _, following = merged[i + 1]
            out.append((a, nb, typed(a, nb), [*joined, *following]))
            i += 1
        else:
            out.append(merged[i])
        i += 1
    return out


def _place_blank_lines(witnesses, containers, per_container) -> None:
    """Whitespace-only lines after a witness's last token go at the end of its container."""
    for w, witness in enumerate(witnesses):
        if not witness.blank_ws:
            continue
        last = max((index for index, cols in enumerate(per_container) if any(col[w] != -1 for col in cols)),
                   default=0)
        containers[last].events.extend(LineStart(w, number, value) for number, value in witness.blank_ws)


__all__ = ["SPACING", "Container", "LineStart", "Reading", "Unit", "build_containers"]
