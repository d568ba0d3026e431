"""Step 4, structure: decided lines → divisions, heads, paragraphs, dividers, tables, notes.

In: the lines (normalised, undoubled, dehyphenated) and the text's rules. Out: a list of
top-level ``Division`` records (each placed in ``front``, ``body`` or ``back``) whose content is
``Block`` records in witness order. Nothing is dropped: every text line lands in some block.

What comes from the rules (data, by witness line): the parts of the text (``[[part]]``: its
lines, its head, letter parts such as byline, dateline, salutation, closer), divisions that
start without a heading (``[[division]]``), ids of headed divisions (``[[heading]]``), tables,
navigation lines, and paragraph exceptions. What is found in the text: doubled headings
(each starts a division), headings by shape (``[headings] shape``: a short line alone,
without final punctuation), dividers (``* * *``, ``***``, ``---``), notes (``(n) …`` lines in
a part of type ``notes``) and paragraph breaks (blank lines; at a page break, a sentence
that ends with the page and a capital that opens the next; see ``paragraph_break``; how sure
such a break is follows from the page's last line, see ``Layout`` and ``page_paragraph``).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from edition.diagnostics import EditionError, error
from edition.ingest.model import Block, Division, Line
from edition.ingest.rules import TextRules

DIVIDER = re.compile(r"^(\* \* \*|\*\*\*|---+)$")
SENTENCE_END = re.compile(r"[.!?…:;][’”'\")\]]*$")
FULL = 0.94   # a line at least this share of the measure filled it (see ``Layout``)


def slug(text: str) -> str:
    """A readable id fragment: ``Peru and Ecuador – a heading`` → ``peru-and-ecuador-a-heading``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].rstrip("-") or "div"


def _in(line: int, span: list | None) -> bool:
    return bool(span) and span[0] <= line <= span[-1]


def paragraph_break(prev: Line, nxt: Line, blanks: int, rules: TextRules) -> bool:
    """Does a new paragraph start at ``nxt``? (``blanks``: empty lines between the two)."""
    hints = rules.table("paragraphs")
    if nxt.n in hints.get("break_before", []):
        return True
    if prev.n in hints.get("continue_after", []):
        return False
    if prev.hyphen is not None and prev.hyphen.action in ("join", "keep"):
        return False
    if prev.hyphen is not None and prev.hyphen.action == "gap":
        return True
    if not blanks and not nxt.page_start:
        return False
    first = nxt.text.lstrip("‘“\"'([")[:1]
    if first.islower():
        return False
    if nxt.page_start and not SENTENCE_END.search(prev.text):
        return False  # the sentence runs on over the page break
    return True


@dataclass(frozen=True)
class Layout:
    """How full lines are in a part of the witness, to judge a line that ends a page.

    ``measure``: the median length of lines inside paragraphs; a line shorter than ``full``
    did not fill the measure, so it ends a paragraph. ``trailing_ends``: in this witness a space
    at the end of a raw line (almost) only follows the last line of a paragraph.
    """

    measure: int = 0
    full: int = 0
    trailing_ends: bool = False

    @classmethod
    def of(cls, lines: list[Line]) -> "Layout":
        """Measure the lines inside paragraphs (a text line followed by one on the same page)."""
        inside = [a for a, b in zip(lines, lines[1:])
                  if a.kind == "text" and b.kind == "text" and not b.page_start]
        if len(inside) < 20:   # too little text to know the measure
            return cls()
        measure = int(statistics.median(len(ln.text) for ln in inside))
        trailing = sum(1 for ln in inside if ln.raw != ln.raw.rstrip())
        return cls(measure, int(FULL * measure), trailing <= len(inside) // 100)


def page_paragraph(prev: Line, nxt: Line, layout: Layout) -> tuple[bool, str]:
    """(certain, reason) for a paragraph taken to begin at a page start with no blank line of its own.

    The extraction drops the blank line at a page break, so such a break rests on the shape of
    the page's last line: short, or ending in a telltale space → the paragraph ended there; a
    full line that ends a sentence may as well run on (in the witness this was written for, 59%
    of such lines inside a page do), so the break is uncertain.
    """
    size = len(prev.text)
    if layout.trailing_ends and prev.raw != prev.raw.rstrip():
        return True, "the page's last line ends in a space, as the witness's paragraph-final lines do"
    if layout.full and size < layout.full:
        return True, f"the page's last line is short ({size} of about {layout.measure} characters)"
    if not layout.full:
        return False, "a sentence ends with the page (too little text to judge the line's length)"
    return False, (f"the page's last line is full ({size} of about {layout.measure} characters) and ends "
                   "a sentence: the paragraph may run on over the page break")


def paragraphs(lines: list[Line], rules: TextRules, kind: str = "p", layout: Layout = Layout()) -> list[Block]:
    """Group text and forme-work lines into paragraph blocks.

    A paragraph begun at a page start without a blank line of its own carries the evidence
    (``attrs["page_start"]`` = (certain, reason)) and, when uncertain, ``attrs["cert"]``.
    """
    blocks: list[Block] = []
    prev: Line | None = None
    blanks = 0
    for line in lines:
        if line.blank:
            blanks += 1
            continue
        if line.kind == "fw":
            if blocks:
                blocks[-1].lines.append(line)
            else:
                blocks.append(Block("fw", [line]))
            continue
        if prev is None or paragraph_break(prev, line, blanks, rules):
            blocks.append(Block(kind, [line]))
            if prev is not None and line.page_start and (not blanks or line.page_start != "leading-space"):
                blocks[-1].attrs["page_start"] = _page_start_evidence(prev, line, rules, layout)
                blocks[-1].attrs["after_line"] = prev.n
                if not blocks[-1].attrs["page_start"][0]:
                    blocks[-1].attrs["cert"] = "low"
        else:
            if line.page_start and (prev.hyphen is None or prev.hyphen.action == "dash"):
                # no break where a page begins: a decision too (the editor may add one)
                blocks[-1].attrs.setdefault("runs_on", []).append((line.n, prev.n, _run_on_reason(prev, line, rules)))
            blocks[-1].lines.append(line)
        prev, blanks = line, 0
    # Forme work that ends a paragraph (the next text opened a new one) stands on its own.
    out: list[Block] = []
    for block in blocks:
        trailing: list[Line] = []
        while block.kind == kind and len(block.lines) > 1 and block.lines[-1].kind == "fw":
            trailing.insert(0, block.lines.pop())
        out.append(block)
        out.extend(Block("fw", [line]) for line in trailing)
    return out


def _run_on_reason(prev: Line, nxt: Line, rules: TextRules) -> str:
    """Why the paragraph runs on over the page break before ``nxt`` (the reverse of ``paragraph_break``)."""
    if prev.n in rules.table("paragraphs").get("continue_after", []):
        return "[paragraphs] continue_after in the text's rules"
    if nxt.text.lstrip("‘“\"'([")[:1].islower():
        return "the new page begins with a lower-case letter"
    return "the page's last line ends no sentence: the sentence runs on over the page break"


def _page_start_evidence(prev: Line, nxt: Line, rules: TextRules, layout: Layout) -> tuple[bool, str]:
    hints = rules.table("paragraphs")
    if nxt.n in hints.get("break_before", []):
        return True, "[paragraphs] break_before in the text's rules"
    if prev.hyphen is not None and prev.hyphen.action == "gap":
        return True, "text is lost before it"
    return page_paragraph(prev, nxt, layout)


class _Builder:
    """Builds the divisions of one part; keeps the id counters and the rule lookups."""

    def __init__(self, rules: TextRules, lines: list[Line], levels: dict[int, int] | None = None):
        self.rules = rules
        self.levels = levels or {}   # an editor's heading levels by witness line (0: not a heading)
        self.candidates: set[int] = set()   # lines shaped like a heading that were not made one
        self.lines = lines
        self.prefix = rules.prefix
        self.starts = {d["start"]: d for d in rules.tables("division")}
        self.tables = {t["lines"][0]: t for t in rules.tables("table")}
        self.navs = {n["line"]: n for n in rules.tables("navigation")}
        heads = rules.table("headings")
        self.shape = heads.get("shape", False)
        self.max_chars = heads.get("max_chars", 60)
        self.layout = Layout()   # of the part being built (set by ``structure``)

    def heading_id(self, text: str, used: set[str]) -> tuple[str, dict]:
        for entry in self.rules.tables("heading"):
            match = self.rules.pattern("heading", "match", "", entry).search(text)
            if match:
                fill = lambda s: re.sub(r"\{(\d)\}", lambda m: match.group(int(m.group(1))), s)  # noqa: E731
                attrs = {"type": entry.get("type", "section")}
                if entry.get("n"):
                    attrs["n"] = fill(entry["n"])
                return self.prefix + fill(entry["id"]), attrs
        base = self.prefix + slug(text)
        ident, k = base, 2
        while ident in used:
            ident, k = f"{base}-{k}", k + 1
        return ident, {"type": "section"}

    def is_shape_head(self, i: int, lines: list[Line], shape: bool | None = None) -> bool:
        line = lines[i]
        if not (self.shape if shape is None else shape) or line.kind != "text" or len(line.text) > self.max_chars:
            return False
        if SENTENCE_END.search(line.text) or line.text.endswith(",") or DIVIDER.match(line.text):
            return False
        before = lines[i - 1].blank if i else True
        after = lines[i + 1].blank if i + 1 < len(lines) else True
        return before and after

    def blocks(self, lines: list[Line]) -> list[Block]:
        """Dividers, tables, navigation, headings and paragraphs of a run of lines."""
        out: list[Block] = []
        run: list[Line] = []
        i = 0

        def flush(not_heading: bool = False):
            made = paragraphs(run, self.rules, layout=self.layout)
            for block in made:
                if not_heading or (len(block.lines) == 1 and block.lines[0].n in self.candidates):
                    block.attrs["heading"] = 0   # a heading decision: this line is not one
            out.extend(made)
            run.clear()

        while i < len(lines):
            line = lines[i]
            if line.n in self.tables:
                flush()
                span = self.tables[line.n]["lines"]
                rows = [ln for ln in lines[i:] if ln.n <= span[-1]]
                out.append(Block("table", rows, {"rule": self.tables[line.n]}))
                i += len(rows)
                continue
            if line.n in self.starts:
                flush()
                out.append(Block("start", [], {"rule": self.starts[line.n]}))
            if line.n in self.navs:
                flush()
                out.append(Block("nav", [line], {"rule": self.navs[line.n]}))
            elif line.kind == "text" and DIVIDER.match(line.text):
                flush()
                out.append(Block("divider", [line], {"rend": line.text}))
            elif line.doubled:
                flush()
                group = [line]
                while i + 1 < len(lines) and lines[i + 1].doubled:
                    i += 1
                    group.append(lines[i])
                self._head(out, group, self.levels.get(line.n, 1), run, flush, doubled=True)
            elif line.kind == "text" and (line.n in self.levels or self.is_shape_head(i, lines)):
                flush()
                self._head(out, [line], self.levels.get(line.n, 1), run, flush)
            else:
                if self.is_shape_head(i, lines, shape=True):
                    self.candidates.add(line.n)
                run.append(line)
            i += 1
        flush()
        return out

    @staticmethod
    def _head(out: list[Block], group: list[Line], level: int, run: list[Line], flush, doubled=False) -> None:
        """A heading of ``level``; level 0 (an editor's overrule): its lines are a paragraph of their own."""
        if level:
            out.append(Block("head", group, {"doubled": True, "level": level} if doubled else {"level": level}))
        else:
            run.extend(group)
            flush(not_heading=True)

    def divide(self, division: Division, blocks: list[Block], used: set[str]) -> None:
        """Put blocks into ``division``; each heading or rules start opens a subdivision, inside the
        last division of the level above (a heading of level 2 inside the last of level 1 …)."""
        stack = [division]
        for block in blocks:
            current = stack[-1]
            if block.kind in ("head", "start"):
                if block.kind == "head":
                    ident, attrs = self.heading_id(block.text, used)
                else:
                    rule = block.attrs["rule"]
                    ident, attrs = self.prefix + rule["id"], {"type": rule.get("type", "section")}
                sub = Division(ident, attrs.pop("type"), division.place, attrs=attrs)
                used.add(ident)
                if block.kind == "head":
                    sub.head = block
                # Dividers just before a heading open the new division rather than close the old.
                while current.content and isinstance(current.content[-1], Block) \
                        and current.content[-1].kind == "divider":
                    sub.content.insert(0, current.content.pop())
                del stack[max(1, block.attrs.get("level", 1)):]
                stack[-1].content.append(sub)
                stack.append(sub)
            else:
                current.content.append(block)


def _notes(builder: _Builder, division: Division, lines: list[Line]) -> None:
    """Split a notes part into notes: ``(n) …`` starts note n; text before the first is unnumbered."""
    rules = builder.rules
    start = rules.pattern("notes", "note", r"^\((\d{1,3})\)\s")
    groups: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in lines:
        match = start.match(line.text) if line.kind == "text" else None
        if match:
            groups.append((match.group(1), []))
        groups[-1][1].append(line)
    for number, group in groups:
        if not any(ln.kind == "text" for ln in group):
            division.content.extend(Block("fw", [ln]) for ln in group if ln.kind == "fw")
            continue
        notes = rules.table("notes")
        ident = f"{builder.prefix}n{number}" if number else builder.prefix + notes.get("unnumbered_id", "n0")
        kind = "note" if number else notes.get("unnumbered_type", "unnumbered")
        division.content.append(Block("note", group, {"n": number, "id": ident, "type": kind,
                                                      "paras": paragraphs(group, rules, layout=builder.layout)}))


def structure(lines: list[Line], rules: TextRules, levels: dict[int, int] | None = None) -> list[Division]:
    """The divisions of a text, in witness order (see the module doc); ``levels``: an editor's
    heading levels by witness line (0: the line is not a heading)."""
    parts = rules.tables("part") or [{"id": rules.table("ids").get("main", "text"), "type": "text",
                                      "lines": [1, lines[-1].n]}]
    builder = _Builder(rules, lines, levels)
    used: set[str] = set()
    divisions = []
    covered: set[int] = set()
    for part in parts:
        span = part.get("lines", [1, lines[-1].n])
        if len(span) != 2 or span[0] > span[1]:
            raise EditionError(error("E215", f"'lines' of part '{part.get('id')}' must be [first, last]",
                                     rules.path, rules.line_of("lines")))
        own = [ln for ln in lines if span[0] <= ln.n <= span[1]]
        covered.update(ln.n for ln in own)
        builder.layout = Layout.of(own)
        division = Division(builder.prefix + part["id"], part.get("type", "text"), part.get("place", "body"))
        used.add(division.id)
        special = {"head": part.get("head"), "argument": part.get("argument")}
        rest = []
        for line in own:
            if _in(line.n, special["head"]):
                division.head = division.head or Block("head", [])
                division.head.lines.append(line)
            elif line.n == part.get("byline"):
                division.top.append(Block("byline", [line]))
            elif _in(line.n, part.get("dateline")):
                division.top.append(Block("dateline", [line], {"when": part.get("date")}))
            elif _in(line.n, special["argument"]):
                division.top.append(Block("argument", [line]))
            elif _in(line.n, part.get("salute")):
                division.top.append(Block("salute", [line]))
            elif _in(line.n, part.get("closer_salute")) or _in(line.n, part.get("signed")) \
                    or _in(line.n, part.get("closer_dateline")):
                kind = ("salute" if _in(line.n, part.get("closer_salute")) else
                        "signed" if _in(line.n, part.get("signed")) else "dateline")
                if division.bottom and division.bottom[-1].kind == kind:
                    division.bottom[-1].lines.append(line)
                else:
                    division.bottom.append(Block(kind, [line], {"when": part.get("date")}))
            else:
                rest.append(line)
        if division.type == "notes":
            _notes(builder, division, rest)
        else:
            builder.divide(division, builder.blocks(rest), used)
        divisions.append(division)
    missing = [ln.n for ln in lines if ln.n not in covered and not ln.blank]
    if missing:
        raise EditionError(error("E216", f"witness line {missing[0]} lies in no [[part]] of the rules "
                                 f"({len(missing)} line(s) uncovered)", rules.path, rules.line_of("lines"),
                                 hint="make the parts' 'lines' ranges cover the whole witness"))
    return divisions


def walk_blocks(divisions: list[Division]):
    """Every block of the divisions (heads, top, content, bottom), in witness order."""
    for division in divisions:
        yield from _walk(division)


def _walk(division: Division):
    blocks = ([division.head] if division.head else []) + division.top
    for item in division.content:
        if isinstance(item, Division):
            blocks.append(item)
        else:
            blocks.append(item)
    blocks += division.bottom
    for item in blocks:
        if isinstance(item, Division):
            yield from _walk(item)
        else:
            yield item
