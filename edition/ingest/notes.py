"""Step 5, link notes: references ``(n)`` in the text → the endnotes they point to.

In: the divisions (the notes are blocks of kind ``note`` with their number ``n``) and the
rules' ``[notes] ref`` pattern. Out: a ``NoteLinks`` table: for each reference, where it is
(witness line and column), which note, its ``xml:id`` (``n3.r1``, ``n3.r2`` …) and whether the
link is certain; plus warnings (``I301`` uncertain reference, ``I302`` unreferenced note).

Only ``(n)`` where ``n`` is the number of an existing note is a reference (``(1968)`` is not).
Endnote references run in order, so a reference is in sequence when it cites the next note
not yet cited, or a note already cited (a second reference, as to notes 3 and 13). A
reference that jumps ahead (a ``(19)`` between ``(12)`` and ``(13)``) or back to a note not
yet cited is still linked, but marked uncertain and reported with its line: the number
may be a misprint, or the link may be right and the order wrong; an editor decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edition.diagnostics import Diagnostic, warning
from edition.ingest.model import Block, Division
from edition.ingest.rules import TextRules
from edition.ingest.structure import walk_blocks


@dataclass(frozen=True)
class NoteRef:
    """One reference in the text to an endnote."""

    line: int
    col: int
    n: str
    id: str
    target: str
    certain: bool
    reason: str = ""


@dataclass
class NoteLinks:
    """Every reference, keyed by (line, column), and what was noticed."""

    refs: dict[tuple[int, int], NoteRef] = field(default_factory=dict)
    notes: dict[str, Block] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _lead_term(note: Block) -> str | None:
    # The term a note explains: its first words before a dash or colon ("UGTA – General …").
    text = re.sub(r"^\(\d+\)\s*", "", note.text)
    match = re.match(r"([^–:,.(]{2,40}?)\s*[–:]", text)
    return match.group(1).strip() if match else None


def link_notes(divisions: list[Division], rules: TextRules, path) -> NoteLinks:
    """Find the references and check their order (see the module doc)."""
    links = NoteLinks()
    blocks = list(walk_blocks(divisions))
    for block in blocks:
        if block.kind == "note" and block.attrs.get("n"):
            links.notes[block.attrs["n"]] = block
    if not links.notes:
        return links
    pattern = rules.pattern("notes", "ref", r"\((\d{1,3})\)")
    prefix = rules.prefix
    cited: list[str] = []
    highest = 0
    counts: dict[str, int] = {}
    texts = {line.n: line.text for block in blocks if block.kind != "note" for line in block.lines}
    for block in blocks:
        if block.kind == "note":
            continue
        for line in block.lines:
            if line.kind != "text":
                continue
            for match in pattern.finditer(line.text):
                n = match.group(1)
                if n not in links.notes:
                    continue
                number = int(n)
                counts[n] = counts.get(n, 0) + 1
                certain, reason = True, ""
                if number == highest + 1 or n in cited:
                    if number == highest + 1:
                        highest = number
                else:
                    certain = False
                    expected = highest + 1
                    reason = (f"reference ({n}) is out of sequence: the notes cited so far run to "
                              f"({highest}), so ({expected}) was expected next")
                    term = _lead_term(links.notes[n])
                    if term:
                        nearby = " ".join(texts.get(k, "") for k in range(line.n - 2, line.n + 3))
                        if term.lower() not in nearby.lower():
                            reason += f"; note {n} is about '{term}', which is not mentioned here"
                    links.diagnostics.append(warning(
                        "I301", f"uncertain note link: {reason}; linked with cert=\"low\"",
                        path, line.n, match.start() + 1,
                        hint="check the printed book; correct the TEI or the rules if it is a misprint"))
                cited.append(n)
                ref = NoteRef(line.n, match.start(), n, f"{prefix}n{n}.r{counts[n]}",
                              f"#{prefix}n{n}", certain, reason)
                links.refs[(line.n, match.start())] = ref
    links.diagnostics.extend(unreferenced(links.notes, set(cited), path))
    return links


def unreferenced(notes: dict[str, Block], cited: set[str], path) -> list[Diagnostic]:
    """I302 for each note no reference cites."""
    return [warning("I302", f"note ({n}) is not referenced anywhere in the text", path, note.first, 1)
            for n, note in notes.items() if n not in cited]
