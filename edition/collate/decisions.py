"""The decisions of a collation, for the ledger, and an editor's overrules of unit types.

In: the units of one collated text (after typing, emendation and transposition marking), the
witnesses with their texts, and the text's ``[[overrule]]`` entries. Out: ledger entries
(``edition.ledger.decision``) of three kinds for each unit: ``unit`` (where the unit begins and
ends: its readings), ``variant-type`` (its type) and, where the rules adopt another reading,
``emendation``, and a ``heading`` for each heading of the copy-text; and the units with each
overruled type replaced.

A unit's ids hash its place (the copy-text token where it begins) and its readings with their
witnesses, never its type, so retyping a unit keeps its id.
"""

from __future__ import annotations

from edition.collate.model import Container, LineStart, Unit
from edition.collate.rules import TYPES
from edition.collate.witness import Witness
from edition.diagnostics import EditionError, error
from edition.ledger import decision, decision_id, unmatched, witness_lines
from edition.tei.xmlio import TEI_NS, XML_NS


def place_units(containers: list[Container]) -> None:
    """Set each unit's ``line``: the copy-text line it begins on (its last line start before it)."""
    line = 0
    for container in containers:
        for event in container.events:
            if isinstance(event, LineStart) and event.wit == 0:
                line = event.line
            elif isinstance(event, Unit):
                base = next((r for r in event.readings if 0 in r.wits), None)
                starts = [s.line for offset, s in (base.starts if base else []) if s.wit == 0]
                event.line = starts[0] if starts and base.starts[0][0] == 0 else line
                line = starts[-1] if starts else line


def _where(unit: Unit, sigla: list[str]) -> tuple:
    # The line and the unit's token index inside its element (unique within a line), and its readings.
    return (unit.line, unit.pos, *(f"{r.text}@{' '.join(sigla[w] for w in sorted(r.wits))}" for r in unit.readings))


def type_id(text_id: str, unit: Unit, sigla: list[str]) -> str:
    """The id of the type decision of ``unit``."""
    return decision_id(text_id, "variant-type", *_where(unit, sigla))


def overrule_types(units: list[Unit], text_id: str, sigla: list[str], overruled: dict[str, dict], rules_path) -> None:
    """Retype each unit whose type an editor overruled (in place, as the other collate steps do)."""
    if not overruled:
        return
    for unit in units:
        entry = overruled.get(type_id(text_id, unit, sigla))
        if entry is None:
            continue
        if entry.get("value") not in TYPES:
            raise EditionError(error("E502", f"[[overrule]] of variant type {entry['id']} must set value to one "
                                     f"of {', '.join(TYPES)}, not \"{entry.get('value')}\"", rules_path))
        unit.type = entry["value"]


def unit_id(text_id: str, unit: Unit, sigla: list[str]) -> str:
    """The id of the boundary decision of ``unit`` (where it begins and ends)."""
    return decision_id(text_id, "unit", *_where(unit, sigla))


def forced_units(units: list[Unit], text_id: str, sigla: list[str], overruled: dict[str, dict],
                 rules_path) -> dict[tuple[int, int], tuple[str, str]]:
    """{(container, first slot): (action, id)} of the units an editor split or merged (E512 when the
    unit cannot be: split one [merge] did not join, merge the last of its paragraph or heading)."""
    if not any(e.get("kind") == "unit" for e in overruled.values()):
        return {}
    forced = {}
    for k, unit in enumerate(units):
        entry = overruled.get(unit_id(text_id, unit, sigla))
        if entry is None:
            continue
        action = entry.get("value")
        if action not in unit_choices(units, k):
            raise EditionError(error("E512", f"[[overrule]] of unit {entry['id']} cannot \"{action}\" it: "
                                     f"use one of {', '.join(unit_choices(units, k)) or '(none)'}", rules_path,
                                     hint="split: a unit the [merge] rules joined; merge: with the next unit "
                                          "of the same paragraph or heading"))
        forced[(unit.container, unit.slot)] = (action, entry["id"])
    return forced


def unit_choices(units: list[Unit], k: int) -> tuple[str, ...]:
    """What an editor may do with the k-th unit: split it into the pieces [merge] joined, merge it
    with the next unit of its container."""
    unit = units[k]
    if unit.emendation is not None:     # an [[emendation]] names this unit's reading: it stays as it is
        return ()
    following = k + 1 < len(units) and units[k + 1].container == unit.container \
        and units[k + 1].emendation is None
    return (*(("split",) if unit.pieces > 1 else ()), *(("merge",) if following else ()))


def ledger_entries(text_id: str, units: list[Unit], witnesses: list[Witness], texts: list[str],
                   source: str, overruled: dict[str, dict], kept: dict[tuple[int, int], str] | None = None) -> list[dict]:
    """Every decision of the collation of one text, in text order (``kept``: the ids of the units
    an editor split or merged, by (container, first slot), from ``forced_units``)."""
    sigla = [w.siglum for w in witnesses]
    base_lines = texts[0].split("\n")
    out = []
    for k, unit in enumerate(units):
        where = _where(unit, sigla)
        line = unit.line
        readings = " | ".join(f"{r.text.strip() or '∅'} [{' '.join(sigla[w] for w in sorted(r.wits))}]"
                              for r in unit.readings)
        lines = witness_lines(base_lines, line, 1, 1)
        common = dict(source=source, line=line, lines=lines, target=unit.id, overruled=overruled)
        moved = any(r.cause for r in unit.readings)
        ident = (kept or {}).get((unit.container, unit.slot), "")
        out.append(decision(text_id, "unit", where, value=readings, certainty="medium" if moved else "high",
                            rule="[[overrule]] in the text's rules" if ident else "alignment of the witnesses' tokens",
                            reason="the witnesses differ here" + (" (a phrase moved: transposition)" if moved else "")
                            + (f"; {unit.pieces} pieces joined by [merge]" if unit.pieces > 1 else ""),
                            choices=unit_choices(units, k), ident=ident, **common))
        out.append(decision(text_id, "variant-type", where, value=unit.type, certainty="high",
                            rule="[types] order of the collation rules",
                            reason=f"{readings}: the first level of likeness at which the readings agree is "
                                   f"'{unit.type}'", choices=TYPES, **common))
        if unit.emendation is not None:
            out.append(decision(text_id, "emendation", where, value=sigla[unit.readings[unit.lemma].wits[0]],
                                certainty="high", rule="[[emendation]] in the text's rules",
                                reason=unit.emendation.get("reason", ""), choices=(), **common))
    return out


def heading_entries(text_id: str, root, blocks: list, base_lines: list[str], source: str) -> list[dict]:
    """The headings the ``[structure]`` rules found in the copy-text (by a pattern, or a short line),
    one ``heading`` decision each: its level in the TEI (1: a division of the text, 2: inside one of
    level 1 …), the rule that decided it (``Block.why``), the ``<head>`` as its target. Collate
    has no rule form to unmake or move a heading, so an editor accepts them (no choices)."""
    body = root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
    heads = list(body.iter(f"{{{TEI_NS}}}head")) if body is not None else []
    found = [b for b in blocks if b.kind == "head" and b.lines]
    if len(heads) != len(found):        # the writer made one <head> per heading block, in order
        return []
    out = []
    for block, head in zip(found, heads):
        line = block.lines[0][0]
        raw = base_lines[line - 1] if 0 < line <= len(base_lines) else ""
        level = len(head.xpath("ancestor::t:div", namespaces={"t": TEI_NS})) - 1    # in the article's <div>
        by_pattern = block.why.startswith("pattern")
        out.append(decision(text_id, "heading", (line, raw), value=str(level),
                            certainty="high" if by_pattern else "medium", source=source, line=line,
                            rule=f"[structure] {block.why}", reason=f"line {line} \u00ab{block.text[:60]}\u00bb "
                            f"read as a heading of level {level}", lines=witness_lines(base_lines, line, 1, 1),
                            target=head.get(f"{{{XML_NS}}}id", ""), choices=()))
    return out


def stale_overrules(overruled: dict[str, dict], made: list[dict], rules_path) -> list:
    """W500 for each overrule of a kind this stage decides that matches none of its decisions."""
    return unmatched(overruled, made, ("variant-type", "unit"), rules_path)
