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

HEADING_LEVELS = ("0", "1", "2", "3")   # 0: not a heading; 1: a division of the part; 2: inside the last 1 …
PARAGRAPH_CHOICES = ("break", "continue")
PAGE_CHOICE_LINES = 4                   # a page break may be moved this many text lines either way


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


def overrule_pages(lines: list[Line], text_id: str, overruled: dict[str, dict],
                   rules_path) -> tuple[list[Line], dict[int, int]]:
    """The lines, with each page start an editor moved (``value``: the witness line where the page
    begins) moved there, and {line it begins at now: line the tool found it at}; the moved start's
    ``page_start`` is ``"rules"``, its decision keeps the id of the line where the tool found it."""
    starts = [ln.n for ln in lines if ln.page_start]
    moves = {}
    for k, n in enumerate(starts):
        entry = overruled.get(decision_id(text_id, "page-break", n))
        if entry is None:
            continue
        lo, hi = (starts[k - 1] if k else 0), (starts[k + 1] if k + 1 < len(starts) else lines[-1].n + 1)
        to = str(entry.get("value", ""))
        target = next((ln for ln in lines if str(ln.n) == to), None)
        if target is None or target.kind != "text" or not lo < target.n < hi:
            raise EditionError(error("E509", f"[[overrule]] of page break {entry['id']} moves it to line \"{to}\", "
                                     "which is not a text line between the page breaks before and after it",
                                     rules_path, hint=f"use a text line after {lo} and before {hi}"))
        moves[n] = target.n
    if not moves:
        return lines, {}
    targets = set(moves.values())
    return [dataclasses.replace(ln, page_start="rules") if ln.n in targets and ln.n not in moves else
            dataclasses.replace(ln, page_start=None) if ln.n in moves and ln.n not in targets else ln
            for ln in lines], {to: n for n, to in moves.items()}


def heading_levels(lines: list[Line], text_id: str, overruled: dict[str, dict], rules_path) -> dict[int, int]:
    """{witness line: level} of the headings an editor made, unmade (0) or moved to another level."""
    if not any(e.get("kind") == "heading" for e in overruled.values()):
        return {}
    levels = {}
    for line in lines:
        entry = overruled.get(decision_id(text_id, "heading", line.n, line.raw))
        if entry is None:
            continue
        value = str(entry.get("value", ""))
        if value not in HEADING_LEVELS:
            raise EditionError(error("E510", f"[[overrule]] of heading {entry['id']} must set value to a level "
                                     f"({', '.join(HEADING_LEVELS)}; 0: not a heading), not \"{value}\"", rules_path))
        levels[line.n] = int(value)
    return levels


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
                   marks: PageMarks, blocks: list[Block], overruled: dict[str, dict], rules,
                   origins: dict[int, int], repeats: list[tuple[int, str]] = ()) -> list[dict]:
    """Every decision of the ingest of one text, in witness order within each kind (``origins``:
    the page starts an editor moved, from ``overrule_pages``; ``repeats``: the paragraphs kept
    as ``<surplus>``, from ``encode.Encoder``)."""
    def around(n: int) -> list[tuple[int, str]]:
        return witness_lines(source_lines, n)

    paragraph_rules = rules.table("paragraphs")

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
    text_lines = [ln.n for ln in lines if ln.kind == "text"]
    for page in marks.pages.values():
        origin = origins.get(page.line, page.line)
        out.append(decision(text_id, "page-break", (origin,), value=str(page.line),
                            certainty=page.cert or "high", source=source, line=origin, rule="[pages]",
                            reason=f"page {page.n} begins at line {page.line} ({page.evidence})",
                            lines=around(page.line), target=f"lb:{page.line}",
                            choices=_page_choices(text_lines, page.line, marks), overruled=overruled))
    for block in blocks:
        out.extend(_paragraph_entries(text_id, block, source, around, overruled, paragraph_rules))
        level = block.attrs.get("level") if block.kind == "head" else block.attrs.get("heading")
        if block.lines and level is not None:
            shown = block.text[:60]
            rule = ("[[overrule]] in the text's rules" if _overruled(text_id, block, overruled) else
                    "doubled characters (bold)" if block.attrs.get("doubled") else
                    "the heading shape ([headings] shape)" if level else "[headings] shape")
            out.append(decision(text_id, "heading", (block.first, block.lines[0].raw), value=str(level),
                                certainty="high", source=source, line=block.first, rule=rule,
                                reason=f"line {block.first} \u00ab{shown}\u00bb " + (
                                    f"read as a heading of level {level}" if level else "read as text, not a heading"),
                                lines=around(block.first), target=f"lb:{block.first}", choices=HEADING_LEVELS,
                                overruled=overruled))
        elif block.kind == "head" and block.lines:      # a part's head, set by [[part]] head: the editor's
            out.append(decision(text_id, "heading", (block.first, block.lines[0].raw), value=block.text[:80],
                                certainty="high", source=source, line=block.first, rule="[[part]] head",
                                reason=f"line {block.first} read as a heading", lines=around(block.first),
                                target=f"lb:{block.first}", choices=(), overruled=overruled))
    out.extend(_surplus_entries(text_id, source, source_lines, repeats, around))
    return out


def _surplus_entries(text_id: str, source: str, source_lines: list[str], repeats, around) -> list[dict]:
    """A paragraph repeating an earlier one word for word, its repeat set aside (``<surplus>``):
    the tool's decision, which an editor accepts (no rule form overrules it yet)."""
    out = []
    for n, earlier in repeats:
        raw = source_lines[n - 1] if 0 < n <= len(source_lines) else ""
        out.append(decision(text_id, "surplus", (n, raw), value="repeated", certainty="high", source=source,
                            line=n, rule="a paragraph that repeats an earlier one word for word",
                            reason=f"line {n} begins with the words of paragraph {earlier}: they are kept as "
                                   "<surplus reason=\"repeated\">, read once", lines=around(n),
                            target=f"lb:{n}", choices=()))
    return out


def _overruled(text_id: str, block: Block, overruled: dict) -> bool:
    return decision_id(text_id, "heading", block.first, block.lines[0].raw) in overruled


def _page_choices(text_lines: list[int], line: int, marks: PageMarks) -> tuple[str, ...]:
    """The text lines a page break may be moved to: a few either way, not past another page break."""
    starts = sorted(marks.pages)
    k = starts.index(line)
    lo, hi = (starts[k - 1] if k else 0), (starts[k + 1] if k + 1 < len(starts) else 10 ** 9)
    near = [n for n in text_lines if lo < n < hi]
    at = near.index(line) if line in near else 0
    return tuple(str(n) for n in near[max(0, at - PAGE_CHOICE_LINES): at + PAGE_CHOICE_LINES + 1])


def _paragraph_entries(text_id: str, block: Block, source: str, around, overruled: dict, hints: dict) -> list[dict]:
    """The paragraph decisions at the page starts in ``block``: a break before it, runs on inside it.

    Overruled by the editor means decided by ``[paragraphs] break_before``/``continue_after``."""
    found = []
    if "page_start" in block.attrs:
        certain, reason = block.attrs["page_start"]
        found.append((block.first, block.attrs["after_line"], "break", certain, reason))
    found += [(n, after, "continue", True, reason) for n, after, reason in block.attrs.get("runs_on", [])]
    out = []
    for n, after, value, certain, reason in found:
        entry = decision(text_id, "paragraph", (n,), value=value, certainty="high" if certain else "low",
                         source=source, line=n, rule="[paragraphs] and the page's last line", reason=reason,
                         lines=around(n), target=f"lb:{n}", choices=PARAGRAPH_CHOICES, overruled=overruled)
        entry["after_line"] = after          # the line a continue_after entry names
        if n in hints.get("break_before", []) or after in hints.get("continue_after", []):
            entry["review"] = "overruled"
        out.append(entry)
    return out


def stale_overrules(overruled: dict[str, dict], made: list[dict], rules_path) -> list:
    """W500 for each overrule of a kind this stage decides that matches none of its decisions."""
    return unmatched(overruled, made, ("hyphen", "note-link", "page-break", "heading"), rules_path)
