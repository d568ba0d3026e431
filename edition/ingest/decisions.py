"""The decisions of an ingest, for the ledger, and an editor's overrules of them.

In: what the steps decided on one text (the lines with their hyphen decisions, the note links,
the page marks, the paragraphs inferred at page starts, the headings) and the text's
``[[overrule]]`` entries. Out: ledger entries (``edition.ledger.decision``), and the lines and
note links with the overruled decisions replaced, each then marked as decided by the rules.

The ids hash where a decision stands and the witness words there, not its outcome:
a hyphen by its line and the two halves, a note reference by its line, column and the
reference as printed, so overruling a decision keeps its id.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from edition.diagnostics import EditionError, error
from edition.ingest.model import Block, Line
from edition.ingest.notes import NoteLinks, unreferenced
from edition.ingest.pages import PageMarks
from edition.ledger import decision, decision_id, unmatched, witness_lines


def hyphen_id(text_id: str, line: Line) -> str:
    """The id of the hyphen decision at the end of ``line``."""
    h = line.hyphen
    return decision_id(text_id, "hyphen", h.line, h.left, h.right)


def note_id(text_id: str, line: int, col: int, printed: str) -> str:
    """The id of the note link of the reference ``printed`` at (line, 0-based column)."""
    return decision_id(text_id, "note-link", line, col, printed)


def overrule_hyphens(lines: list[Line], text_id: str, overruled: dict[str, dict], rules_path) -> list[Line]:
    """The lines, with each overruled hyphen decision replaced by the editor's (keep or join)."""
    if not overruled:
        return lines
    out = []
    for line in lines:
        entry = overruled.get(hyphen_id(text_id, line)) if line.hyphen is not None else None
        if entry is not None:
            value = entry.get("value")
            if value not in ("join", "keep"):
                raise EditionError(error("E500", f"[[overrule]] of hyphen {entry['id']} must set value "
                                         f"\"join\" or \"keep\", not \"{value}\"", rules_path))
            was = f"{line.hyphen.action} by {line.hyphen.evidence}"
            line = dataclasses.replace(line, hyphen=dataclasses.replace(
                line.hyphen, action=value, evidence="rules", certain=True,
                reason=f"[[overrule]] {entry['id']} in the text's rules (the tool had: {was})"))
        out.append(line)
    return out


def overrule_notes(links: NoteLinks, texts: dict[int, str], text_id: str, prefix: str,
                   overruled: dict[str, dict], rules_path, path=None) -> NoteLinks:
    """The note links, with each overruled reference linked to the note the editor named."""
    changed = False
    refs = {}
    for key, ref in links.refs.items():
        entry = overruled.get(note_id(text_id, ref.line, ref.col, _printed(texts, ref)))
        if entry is not None:
            n = str(entry.get("value", ""))
            if n not in links.notes:
                raise EditionError(error("E501", f"[[overrule]] of note link {entry['id']} names note "
                                         f"\"{n}\", which the text does not have", rules_path,
                                         hint=f"the notes are {', '.join(links.notes)}"))
            ref = dataclasses.replace(ref, n=n, target=f"#{prefix}n{n}", certain=True,
                                      reason=f"[[overrule]] {entry['id']} in the text's rules (the tool had: note {ref.n})")
            changed = True
        refs[key] = ref
    if not changed:
        return links
    decided = {(r.line, r.col + 1) for key, r in refs.items() if r is not links.refs[key]}
    cited = {r.n for r in refs.values()}
    # the warnings on the references the editor decided, and on notes no longer cited, made again
    before = {d.format() for d in unreferenced(links.notes, {r.n for r in links.refs.values()}, path)}
    kept = [d for d in links.diagnostics if (d.line, d.col) not in decided and d.format() not in before]
    kept += unreferenced(links.notes, cited, path)
    counts: Counter = Counter()
    for key in sorted(refs):            # the reference ids count again: n3.r1, n3.r2 … in text order
        counts[refs[key].n] += 1
        refs[key] = dataclasses.replace(refs[key], id=f"{prefix}n{refs[key].n}.r{counts[refs[key].n]}")
    return NoteLinks(refs, links.notes, kept)


def _printed(texts: dict[int, str], ref) -> str:
    # The reference as the witness prints it, from its column in the (normalised) line: "(19)".
    text = texts.get(ref.line, "")
    end = text.find(")", ref.col)
    return text[ref.col:end + 1] if end >= 0 else f"({ref.n})"


def ledger_entries(text_id: str, source: str, source_lines: list[str], lines: list[Line], links: NoteLinks,
                   marks: PageMarks, blocks: list[Block], overruled: dict[str, dict]) -> list[dict]:
    """Every decision of the ingest of one text, in witness order within each kind."""
    def around(n: int) -> list[tuple[int, str]]:
        return witness_lines(source_lines, n)

    texts = {line.n: line.text for line in lines}
    out = []
    for line in lines:
        h = line.hyphen
        if h is None or h.action == "dash":
            continue
        out.append(decision(text_id, "hyphen", (h.line, h.left, h.right), value=h.action,
                            certainty="high" if h.certain else "low", source=source, line=h.line,
                            rule=h.evidence, reason=f"{h.left}-|{h.right} → {h.result}: {h.reason}",
                            lines=around(h.line), target=f"lb:{h.next_line}",
                            choices=("join", "keep"), overruled=overruled))
    notes = sorted(links.notes, key=lambda n: int(n) if n.isdigit() else 0)
    for ref in sorted(links.refs.values(), key=lambda r: (r.line, r.col)):
        out.append(decision(text_id, "note-link", (ref.line, ref.col, _printed(texts, ref)), value=ref.n,
                            certainty="high" if ref.certain else "low", source=source, line=ref.line,
                            rule="[notes] ref, in sequence" if ref.certain else "[notes] ref, out of sequence",
                            reason=ref.reason or f"reference ({ref.n}) cites the next note in order, or one already cited",
                            lines=around(ref.line), target=ref.id, choices=tuple(notes), overruled=overruled))
    for page in marks.pages.values():
        out.append(decision(text_id, "page-break", (page.line,), value=page.n,
                            certainty=page.cert or "high", source=source, line=page.line, rule="[pages]",
                            reason=page.evidence, lines=around(page.line), target=f"lb:{page.line}",
                            choices=(), overruled=overruled))
    for block in blocks:
        if "page_start" in block.attrs:
            certain, reason = block.attrs["page_start"]
            out.append(decision(text_id, "paragraph", (block.first,), value="break",
                                certainty="high" if certain else "low", source=source, line=block.first,
                                rule="[paragraphs] and the page's last line", reason=reason,
                                lines=around(block.first), target=f"lb:{block.first}", choices=(),
                                overruled=overruled))
        elif block.kind == "head" and block.lines:
            rule = "doubled characters (bold)" if block.attrs.get("doubled") else "[[part]] head, [[heading]] or the heading shape"
            out.append(decision(text_id, "heading", (block.first, block.lines[0].raw), value=block.text[:80],
                                certainty="high", source=source, line=block.first, rule=rule,
                                reason=f"line {block.first} read as a heading", lines=around(block.first),
                                target=f"lb:{block.first}", choices=(), overruled=overruled))
    return out


def stale_overrules(overruled: dict[str, dict], made: list[dict], rules_path) -> list:
    """W500 for each overrule of a kind this stage decides that matches none of its decisions."""
    return unmatched(overruled, made, ("hyphen", "note-link"), rules_path)
