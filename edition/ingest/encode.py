"""Encode the structure as TEI: divisions and blocks → ``<text>`` with lines, pages and links.

In: the divisions (``structure``), the note links (``notes``), the page marks (``pages``) and
the rules. Out: a TEI ``<text>`` element, following docs/tei-conventions.md:

- each witness line starts with ``<lb n="L"/>`` (L = line of the source file); a soft hyphen
  is removed and the next ``<lb>`` gets ``break="no"``; a real compound keeps its hyphen and
  the ``<lb break="no"/>``; a decision on weak evidence adds ``cert="low"`` to that ``<lb>``; a page start is a ``<pb n="…"/>`` before the line's ``<lb>``;
- a reference ``(n)`` is a ``<ref type="noteref">`` (``cert="low"`` when uncertain); square
  brackets of the translator are ``<add type="gloss" resp="#translator">[…]</add>``;
- a paragraph whose break from the one before is uncertain (inferred at a page start) has
  ``cert="low"``; a decision of the tool that carries ``cert`` has ``resp="#tool.edition"`` (an
  editor's review makes it ``resp="#ed"``: ``edition.tei.reviewed``);
- lost text is a ``<gap>``: ``resp="#ed"`` when the rules' ``[[gap]]`` confirms it, else
  ``cert="low" resp="#tool.edition"``;
- a paragraph that repeats an earlier one keeps the repeated words in ``<surplus>`` (the
  tool's decision: ``resp="#ed"`` once an editor accepts it);
- every division, head, paragraph, note, table and list gets an ``xml:id``.

Inline content is assembled as an XML fragment string (escaped text plus empty milestone
tags), then patterns that may cross a line break (brackets) are applied, then it is parsed.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from lxml import etree

from edition.diagnostics import EditionError, error
from edition.ingest.model import Block, Division, Line
from edition.ingest.notes import NoteLinks
from edition.ingest.pages import PageMarks
from edition.ingest.rules import TextRules
from edition.tei.maker import E, set_id
from edition.tei.reviewed import TOOL
from edition.tei.xmlio import TEI_NS

REPEAT_MIN = 40   # a repeated paragraph counts from this many characters (shorter ones recur by chance)


class Encoder:
    """Turns the divisions of one text into TEI (see the module doc)."""

    def __init__(self, rules: TextRules, links: NoteLinks, marks: PageMarks, doubled_ref: str | None):
        self.rules = rules
        self.links = links
        self.marks = marks
        self.doubled_ref = doubled_ref
        self.brackets = rules.table("brackets")
        # (text, id) of earlier paragraphs of 40+ characters by their first 40, to find repetitions
        self.said: dict[str, list[tuple[str, str]]] = {}
        self.outside: set[int] = set()          # page breaks already written before a block
        self.findings: list[tuple[int, str]] = []  # (witness line, what was noticed) for the report
        # (witness line of the paragraph, id of the paragraph it repeats): the surplus decisions
        self.repeats: list[tuple[int, str]] = []

    # -- inline ---------------------------------------------------------------------------
    def _line_text(self, line: Line, text: str) -> str:
        refs = sorted((col, ref) for (ln, col), ref in self.links.refs.items() if ln == line.n)
        out, pos = [], 0
        for col, ref in refs:
            end = text.index(")", col) + 1
            attrs = f'type="noteref" target="{ref.target}" xml:id="{ref.id}"'
            if not ref.certain:
                attrs += f' cert="low" resp="{TOOL}"'
            out.append(escape(text[pos:col]) + f"<ref {attrs}>{escape(text[col:end])}</ref>")
            pos = end
        return "".join(out) + escape(text[pos:])

    def fragment(self, lines: list[Line], skip_first_pb: bool = False) -> str:
        """The inline XML of a run of lines (see the module doc)."""
        parts: list[str] = []
        prev: Line | None = None  # the previous *text* line: its hyphen decides the break
        for index, line in enumerate(lines):
            if line.kind not in ("text", "fw"):
                continue
            joined = prev is not None and prev.hyphen is not None and prev.hyphen.action in ("join", "keep")
            brk = ' break="no"' if joined else ""
            unsure = f' cert="low" resp="{TOOL}"' if joined and not prev.hyphen.certain else ""
            if parts and not joined:
                parts.append("\n")
            page = self.marks.pages.get(line.n)
            if page and not (skip_first_pb and index == 0) and line.n not in self.outside:
                cert = f' cert="{page.cert}" resp="{TOOL}"' if page.cert else ""
                parts.append(f'<pb n="{page.n}"{brk}{cert}/>')
            parts.append(f'<lb n="{line.n}"{brk}{unsure}/>')
            if line.kind == "fw":
                parts.append(f'<fw type="footer" place="bottom">{escape(line.text)}</fw>')
                continue
            text = line.text
            if line.hyphen is not None and line.hyphen.action == "join":
                text = text[:-1]
            parts.append(self._line_text(line, text))
            gap = self.marks.gaps.get(line.n)
            if gap:
                # certain only when the editor's [[gap]] says so; else the tool's inference
                who = ' resp="#ed"' if gap.certain else f' cert="low" resp="{TOOL}"'
                parts.append(f'<gap reason="{gap.reason}"{who}><desc>{escape(gap.description)}</desc></gap>')
            prev = line
        xml = "".join(parts)
        if self.brackets:
            xml = self._brackets(xml)
        return xml

    def _brackets(self, xml: str) -> str:
        pattern = self.rules.pattern("brackets", "pattern", r"\[([^\[\]]+)\]")
        skip = self.rules.pattern("brackets", "skip", r"^[.…\s]*$")
        kind, resp = self.brackets.get("type", "gloss"), self.brackets.get("resp", "#translator")

        def wrap(match: re.Match) -> str:
            inner = re.sub(r"<[^>]+>", "", match.group(1))
            if skip.search(inner):
                return match.group(0)
            return f'<add type="{kind}" resp="{resp}">{match.group(0)}</add>'

        return pattern.sub(wrap, xml)

    def element(self, tag: str, lines: list[Line], ident: str | None = None, **attrs) -> etree._Element:
        """A TEI element whose content is the inline XML of ``lines``."""
        xml = self.fragment(lines)
        try:
            element = etree.fromstring(f'<{tag} xmlns="{TEI_NS}">{xml}</{tag}>')
        except etree.XMLSyntaxError as exc:  # a pattern in the rules made bad markup
            raise EditionError(error("E220", f"markup of witness line {lines[0].n} is not well-formed: {exc}",
                                     self.rules.path, hint="check the patterns of the rules")) from None
        for key, value in attrs.items():
            if value is not None:
                element.set(key, value)
        if ident:
            set_id(element, ident)
        return element

    # -- blocks ---------------------------------------------------------------------------
    def _pb_before(self, parent: etree._Element, block: Block) -> None:
        first = next((ln for ln in block.lines if ln.kind in ("text", "fw")), None)
        page = self.marks.pages.get(first.n) if first else None
        if page and first.n not in self.outside:
            pb = E.pb(n=page.n)
            if page.cert:
                pb.set("cert", page.cert)
                pb.set("resp", TOOL)
            parent.append(pb)
            self.outside.add(first.n)

    def _repetition(self, element: etree._Element, text: str) -> None:
        for earlier, ident in self.said.get(text[:REPEAT_MIN], ()):
            if text.startswith(earlier) and len(element) == 1 and element[0].tail:
                tail = element[0].tail
                # the tool's decision, sure (word for word): no @resp until an editor accepts it
                surplus = E.surplus(tail[:len(earlier)], reason="repeated", corresp=f"#{ident}")
                surplus.tail = tail[len(earlier):]
                element[0].tail = None
                element.append(surplus)
                self.repeats.append((int(element[0].get("n", 0)), ident))
                self.findings.append((int(element[0].get("n", 0)), (
                    f"the paragraph repeats paragraph {ident} word for word; the repeated words are "
                    "kept as <surplus reason=\"repeated\">, read once")))
                return

    def paragraph(self, block: Block, ident: str, **attrs) -> etree._Element:
        """A ``<p>`` of a block, its repeated part (if any) marked as surplus; a block of doubled
        lines (a heading an editor unmade) keeps the bold of the source (``rendition``, as its head had)."""
        text_lines = [ln for ln in block.lines if ln.kind == "text"]
        if self.doubled_ref and text_lines and all(ln.doubled for ln in text_lines):
            attrs.setdefault("rendition", self.doubled_ref)
        element = self.element("p", block.lines, ident, **attrs)
        self._repetition(element, block.text)
        if len(block.text) >= REPEAT_MIN:
            self.said.setdefault(block.text[:REPEAT_MIN], []).append((block.text, ident))
        return element

    def table(self, block: Block, ident: str) -> etree._Element:
        """A ``<table>`` from rows split by the patterns of the rules' ``[[table]]``."""
        rule = block.attrs["rule"]
        table = set_id(E.table(), ident)
        rows = [ln for ln in block.lines if ln.kind == "text"]
        for line in rows:
            header = line.n == rule.get("header")
            key = "header_cells" if header else "row_cells"
            match = self.rules.pattern("table", key, r"^(.*)$", rule).match(line.text)
            if not match:
                raise EditionError(error("E217", f"table row at witness line {line.n} does not match '{key}'",
                                         self.rules.path, self.rules.line_of(key), hint=line.text))
            row = E.row(role="label") if header else E.row()
            for k, cell_text in enumerate(match.groups()):
                cell = E.cell()
                if k == 0:
                    cell.append(E.lb(n=str(line.n)))
                    cell[0].tail = cell_text or None
                else:
                    cell.text = cell_text or None
                row.append(cell)
            table.append(row)
        table.set("rows", str(len(rows)))
        table.set("cols", str(max(len(r) for r in table)))
        return table

    def navigation(self, block: Block, ident: str, list_id: str) -> etree._Element:
        """A line of links (``(See Part One…)``) as a ``<p>`` holding a ``<list>`` of ``<ref>``s."""
        rule, line = block.attrs["rule"], block.lines[0]
        match = self.rules.pattern("navigation", "pattern", r"^()(.*)()$", rule).match(line.text)
        items = self.rules.pattern("navigation", "item", r"\S+", rule).findall(match.group(2)) if match else []
        if not match or "".join(items) != match.group(2):
            raise EditionError(error("E218", f"navigation line {line.n} does not split into items",
                                     self.rules.path, self.rules.line_of("item"), hint=line.text))
        lb = E.lb(n=str(line.n))
        lb.tail = match.group(1)
        links = set_id(E.list(*[E.item(E.ref(item, type="link")) for item in items],
                              type=rule.get("type", "links"), rend="inline"), list_id)
        links.tail = match.group(3)
        return set_id(E.p(lb, links), ident)

    # -- divisions ------------------------------------------------------------------------
    def division(self, division: Division) -> etree._Element:
        """A ``<div>`` with its head, top matter, content, subdivisions and closer."""
        div = set_id(E.div(type=division.type), division.id)
        for key, value in division.attrs.items():
            div.set(key, value)
        content = list(division.content)
        while content and isinstance(content[0], Block) and content[0].kind in ("divider", "fw"):
            self._block(div, content.pop(0), division.id, {})  # dividers that open the division
        if division.head is not None:
            self._pb_before(div, division.head)
            rendition = self.doubled_ref if division.head.attrs.get("doubled") else None
            div.append(self.element("head", division.head.lines, f"{division.id}.head", rendition=rendition))
        counters: dict[str, int] = {}
        # A division with a salutation is a letter: its byline, dateline and salutation are its opener.
        opener = E.opener() if any(b.kind == "salute" for b in division.top) else None
        for block in division.top:
            if block.kind == "argument":
                self._pb_before(div, block)
                ident = f"{division.id}.p{self._next(counters, 'p')}"
                div.append(E.argument(self.paragraph(block, ident)))
                continue
            target = div if opener is None else opener
            if opener is not None and opener.getparent() is None:
                div.append(opener)
            self._pb_before(target, block)
            target.append(self._dated(block))
        for item in content:
            if isinstance(item, Division):
                div.append(self.division(item))
            else:
                self._block(div, item, division.id, counters)
        if division.bottom:
            closer = E.closer()
            for block in division.bottom:
                self._pb_before(closer, block)
                closer.append(self._dated(block))
            div.append(closer)
        return div

    @staticmethod
    def _next(counters: dict[str, int], kind: str) -> int:
        counters[kind] = counters.get(kind, 0) + 1
        return counters[kind]

    def _dated(self, block: Block) -> etree._Element:
        if block.kind != "dateline":
            return self.element(block.kind, block.lines)
        dateline = self.element("dateline", block.lines)
        when = block.attrs.get("when")
        if when and len(dateline) and dateline[-1].tail:
            date = E.date(dateline[-1].tail, when=when)
            dateline[-1].tail = None
            dateline.append(date)
        return dateline

    def _block(self, parent: etree._Element, block: Block, div_id: str, counters: dict[str, int]) -> None:
        self._pb_before(parent, block)
        if block.kind in ("divider", "fw"):
            parent.append(E.lb(n=str(block.lines[0].n)))
            if block.kind == "divider":
                parent.append(E.milestone(unit="section", rend=block.attrs["rend"]))
            else:
                parent.append(E.fw(block.lines[0].text, type="footer", place="bottom"))
        elif block.kind == "table":
            parent.append(self.table(block, f"{div_id}.table{self._next(counters, 'table')}"))
        elif block.kind == "nav":
            parent.append(self.navigation(block, f"{div_id}.p{self._next(counters, 'p')}",
                                          f"{div_id}.list{self._next(counters, 'list')}"))
        elif block.kind == "note":
            parent.append(self.note(block))
        else:
            cert = block.attrs.get("cert")   # an uncertain paragraph break before this paragraph
            parent.append(self.paragraph(block, f"{div_id}.p{self._next(counters, 'p')}",
                                         cert=cert, resp=TOOL if cert else None))

    def note(self, block: Block) -> etree._Element:
        """An endnote: its text inline when it is one paragraph, else ``<p>``s."""
        ident = block.attrs["id"]
        paras = [p for p in block.attrs["paras"] if p.kind == "p"]
        if len(paras) <= 1:
            note = self.element("note", block.lines, ident)
        else:
            note = set_id(E.note(), ident)
            counters: dict[str, int] = {}
            for para in block.attrs["paras"]:
                self._block(note, para, ident, counters)
        note.set("type", block.attrs["type"] if block.attrs.get("n") is None else "endnote")
        note.set("place", "end")
        if block.attrs.get("n"):
            note.set("n", block.attrs["n"])
        else:
            # An unnumbered note heads the notes: the text has no marker that could point to it.
            note.set("subtype", "unreferenced")
        return note


def encode_text(divisions: list[Division], encoder: Encoder, language: str) -> etree._Element:
    """The ``<text>`` element: front, body and back from the divisions' places."""
    text = E.text()
    text.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    for place in ("front", "body", "back"):
        members = [d for d in divisions if d.place == place]
        if members:
            container = E(place)
            for division in members:
                container.append(encoder.division(division))
            text.append(container)
    if not len(text.xpath("*[local-name()='body']")):
        raise EditionError(error("E219", "the text has no part in the body", encoder.rules.path,
                                 hint="give one [[part]] place = \"body\""))
    return text
