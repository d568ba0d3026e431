"""The decisions of a collation, for the ledger, and an editor's overrules of unit types.

In: the units of one collated text (after typing, emendation and transposition marking), the
witnesses with their texts, and the text's ``[[overrule]]`` entries. Out: ledger entries
(``edition.ledger.decision``) of three kinds for each unit: ``unit`` (where the unit begins and
ends: its readings), ``variant-type`` (its type) and, where the rules adopt another reading,
``emendation``; and the units with each overruled type replaced.

A unit's ids hash its place (the copy-text token where it begins) and its readings with their
witnesses, never its type, so retyping a unit keeps its id.
"""

from __future__ import annotations

from edition.collate.model import Container, LineStart, Unit
from edition.collate.rules import TYPES
from edition.collate.witness import Witness
from edition.diagnostics import EditionError, error
from edition.ledger import decision, decision_id, unmatched, witness_lines


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


def ledger_entries(text_id: str, units: list[Unit], witnesses: list[Witness], texts: list[str],
                   source: str, overruled: dict[str, dict]) -> list[dict]:
    """Every decision of the collation of one text, in text order."""
    sigla = [w.siglum for w in witnesses]
    base_lines = texts[0].split("\n")
    out = []
    for unit in units:
        where = _where(unit, sigla)
        line = unit.line
        readings = " | ".join(f"{r.text.strip() or '∅'} [{' '.join(sigla[w] for w in sorted(r.wits))}]"
                              for r in unit.readings)
        lines = witness_lines(base_lines, line, 1, 1)
        common = dict(source=source, line=line, lines=lines, target=unit.id, overruled=overruled)
        moved = any(r.cause for r in unit.readings)
        out.append(decision(text_id, "unit", where, value=readings, certainty="medium" if moved else "high",
                            rule="alignment of the witnesses' tokens",
                            reason="the witnesses differ here" + (" (a phrase moved: transposition)" if moved else ""),
                            choices=(), **common))
        out.append(decision(text_id, "variant-type", where, value=unit.type, certainty="high",
                            rule="[types] order of the collation rules",
                            reason=f"{readings}: the first level of likeness at which the readings agree is "
                                   f"'{unit.type}'", choices=TYPES, **common))
        if unit.emendation is not None:
            out.append(decision(text_id, "emendation", where, value=sigla[unit.readings[unit.lemma].wits[0]],
                                certainty="high", rule="[[emendation]] in the text's rules",
                                reason=unit.emendation.get("reason", ""), choices=(), **common))
    return out


def stale_overrules(overruled: dict[str, dict], made: list[dict], rules_path) -> list:
    """W500 for each overrule of a kind this stage decides that matches none of its decisions."""
    return unmatched(overruled, made, ("variant-type",), rules_path)
