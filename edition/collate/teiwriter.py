"""Writing the collation as TEI: the edited text with its apparatus inline (parallel segmentation).

In: the containers (common text, line starts, units), the copy-text's blocks, the witnesses'
paratext, the rules. Out: a ``<TEI>`` tree, as ``docs/tei-conventions.md`` describes:

- ``<listWit>`` in the ``sourceDesc``: one ``<witness xml:id="SIGLUM" n="SIGLUM">`` each, with
  its description, which one is the copy-text, its paratext, and its extent in lines
  (``<measure unit="line" quantity="…">``, a final line feed counting as an empty last line);
- the title page (``<front><titlePage>``): the collated title (``<docTitle><titlePart>``) and
  the paratext the rules put beside it (``<docImprint>``, ``<byline>``, ``<argument>`` …), in the
  order of each witness's lines;
- the body: sections (``<div type="section">`` opened by each heading), ``<p>``, ``<lg>``/``<l>``,
  ``<list>``/``<item>`` (with the number as ``<label>``);
- ``<app type="…">`` with ``<lem wit="#W">`` and ``<rdg wit="#P">`` (empty for an omission, an
  empty lemma for an addition; witnesses that agree share one reading); a phrase a witness
  has moved is a reading ``cause="transposition"`` at each of the two places, its
  ``@corresp`` naming the other ``<app>`` (a phrase moved within one unit: the reading alone); readings that differ
  in whitespace alone are ``<app type="spacing">`` with a ``<note type="spacing">`` saying so
  (recorded for the exact rebuild of each witness, not a variant); an emendation has ``<lem resp="#ed" cause="emendation">`` with
  the adopting witness and a ``<note type="emendation">`` giving the reason;
- every line of every witness begins with ``<lb edRef="#SIGLUM" n="LINE"/>`` (``rend="indent-…"``
  when the line is indented), so breaks, blank lines and paragraphing of each witness are kept;
- paratext with ``@source="#SIGLUM"``: on the title page, or as ``<div type="paratext"
  subtype="…">`` in ``<front>``/``<back>``.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy
from itertools import groupby

from lxml import etree

from edition.collate.model import SPACING, Container, LineStart, Unit
from edition.collate.structure import SHORT_LINE_LEVEL
from edition.collate.witness import Witness
from edition.tei.header import build_header
from edition.tei.maker import E, indent, set_id
from edition.tei.witnesses import indent_code
from edition.tei.xmlio import TEI_NS, XML_NS

SPACING_NOTE = "The witnesses differ here only in spacing; not a variant."


class TeiWriter:
    """Builds the TEI document of one collated text."""

    def __init__(self, text_id: str, prefix: str, witnesses: list[Witness]):
        self.text_id = text_id
        self.prefix = prefix
        self.witnesses = witnesses
        self.sigla = [w.siglum for w in witnesses]
        self.used: set[str] = set()
        self.links: list[tuple[etree._Element, Unit]] = []     # readings pointing at another unit

    def wit(self, indices) -> str:
        """``#W #P`` for witness indices."""
        return " ".join(f"#{self.sigla[i]}" for i in indices)

    def unique(self, value: str) -> str:
        """An id not used yet in this document (a letter appended on a clash), and an XML name
        (NCName): a value that cannot begin one (a heading "1818") is prefixed by ``id-``."""
        value = xml_name(value)
        candidate, n = value, 0
        while candidate in self.used:
            n += 1
            candidate = f"{value}{chr(ord('a') + n)}" if n < 26 else f"{value}-{n}"
        self.used.add(candidate)
        return candidate

    # -- text -------------------------------------------------------------------------------
    def body(self, blocks, containers: list[Container], units: list[Unit]) -> etree._Element:
        """The ``<body>``; its units are added to ``units`` in document order (ids set).

        Each heading opens a division of its type (``section`` for a short-line heading),
        inside the open divisions of a lower level (a chapter inside its volume); its id is
        the slug of the heading, after its parent's id when it is nested."""
        article = set_id(E.div(type="article"), self.unique(f"{self.prefix}text"))
        open_divs: list[tuple[int, etree._Element, dict]] = []     # (level, div, counters)
        by_block = {k: list(g) for k, g in groupby(containers, key=lambda c: c.block)}
        for index, block in enumerate(blocks):
            parts = by_block.get(index, [])
            if block.kind in ("title", "front"):
                continue                  # on the title page and in the front matter (``front``)
            if block.kind == "head":
                while open_divs and open_divs[-1][0] >= block.level:
                    open_divs.pop()
                parent = open_divs[-1][1] if open_divs else article
                stem = f"{parent.get(_XML_ID)}." if open_divs else self.prefix
                div = set_id(E.div(type=block.type or "section"), self.unique(stem + _slug(parts[0].base_text)))
                parent.append(div)
                open_divs.append((block.level, div, {}))
                div.append(self.container(E.head(), f"{div.get(_XML_ID)}.head", parts[0], units))
                continue
            if not open_divs:
                opening = set_id(E.div(type="section"), self.unique(f"{self.prefix}opening"))
                article.append(opening)
                open_divs.append((SHORT_LINE_LEVEL + 1, opening, {}))
            _, div, counters = open_divs[-1]
            div.append(self.block(block, parts, div.get(_XML_ID), counters, units))
        return E.body(article)

    def block(self, block, parts: list[Container], div_id: str, counters: dict, units: list[Unit]) -> etree._Element:
        """A paragraph, verse group or list of the body (numbered within its division)."""
        tag = {"p": "p", "lg": "lg", "list": "list"}[block.kind]
        counters[tag] = counters.get(tag, 0) + 1
        block_id = f"{div_id}.{tag}{counters[tag]}"
        if block.kind == "p":
            return self.container(E.p(), block_id, parts[0], units)
        if block.kind == "lg":
            group = set_id(E.lg(type="verse"), self.unique(block_id))
            for n, part in enumerate(parts, 1):
                group.append(self.container(E.l(n=str(n)), f"{block_id}.l{n}", part, units))
            return group
        group = set_id(E.list(type="ordered"), self.unique(block_id))
        for n, part in enumerate(parts, 1):
            group.append(self.container(E.item(), f"{block_id}.i{n}", part, units))
        return group

    def front_matter(self, blocks, containers: list[Container], units: list[Unit]) -> list[etree._Element]:
        """The blocks the structure rules found before the first heading, after the title: one
        ``<div type="front-matter">`` of paragraphs (one each, its lines kept by their ``<lb>``)."""
        by_block = {k: list(g) for k, g in groupby(containers, key=lambda c: c.block)}
        found = [(block, by_block.get(i, [])) for i, block in enumerate(blocks) if block.kind == "front"]
        if not found:
            return []
        div = set_id(E.div(type="front-matter"), self.unique(f"{self.prefix}front"))
        counters: dict[str, int] = {}
        for block, parts in found:
            as_body = copy(block)
            as_body.kind = "p"
            div.append(self.block(as_body, parts, div.get(_XML_ID), counters, units))
        return [div]

    def container(self, element: etree._Element, element_id: str, part: Container, units: list[Unit]) -> etree._Element:
        """Fill one element with its events; an item's leading number becomes its ``<label>``."""
        set_id(element, self.unique(element_id))
        target = element
        for event in part.events:
            if isinstance(event, str):
                _append_text(target, event)
            elif isinstance(event, LineStart):
                target.append(self.lb(event))
            else:
                event.id = self.unique(f"{element_id}.a{event.pos}")
                target.append(self.app(event))
                units.append(event)
        if element.tag == f"{{{TEI_NS}}}item":
            _label_number(element)
        return element

    def lb(self, start: LineStart) -> etree._Element:
        """The start of a witness's line."""
        lb = E.lb(edRef=f"#{self.sigla[start.wit]}", n=str(start.line))
        rend = [indent_code(start.indent)] if start.indent else []
        if start.join:
            rend.append(indent_code(start.join, "join"))
        if rend:
            lb.set("rend", " ".join(rend))
        return lb

    def app(self, unit: Unit) -> etree._Element:
        """``<app>`` with the lemma first, then the other readings."""
        app = set_id(E.app(type=unit.type), unit.id)
        order = [unit.lemma] + [i for i in range(len(unit.readings)) if i != unit.lemma]
        for position, index in enumerate(order):
            reading = unit.readings[index]
            element = E.lem() if position == 0 else E.rdg()
            element.set("wit", self.wit(reading.wits))
            if position == 0 and unit.emendation is not None:
                element.set("resp", unit.emendation.get("resp", "#ed"))
                element.set("cause", "emendation")
            elif reading.cause:
                element.set("cause", reading.cause)      # a transposition: @corresp names the other place
                if reading.partner is not None:
                    self.links.append((element, reading.partner))
            cursor = 0
            for offset, start in reading.starts:
                _append_text(element, reading.text[cursor:offset])
                element.append(self.lb(start))
                cursor = offset
            _append_text(element, reading.text[cursor:])
            app.append(element)
        if unit.emendation is not None:
            app.append(E.note(unit.emendation["reason"], type="emendation", resp=unit.emendation.get("resp", "#ed")))
        elif unit.type == SPACING:
            # Kept for the exact rebuild of each witness; the note says it is not a variant
            # (an <app> with a note is an entry kept for its note, so no "identical readings").
            app.append(E.note(SPACING_NOTE, type=SPACING))
        return app

    # -- title page and paratext ------------------------------------------------------------
    def front(self, blocks, containers: list[Container], units: list[Unit]) -> list[etree._Element]:
        """The title page (the title, and paratext that belongs beside it, in each witness's
        order of lines) and the front paratext divisions."""
        title = next((c for c in containers if blocks[c.block].kind == "title"), None)
        title_lines = _first_lines(title) if title is not None else {}
        parts = []
        for w, para in self._paratext("front"):
            if para.element == "div":
                continue
            line = para.lines[0][0] if para.lines else 0
            before = line < title_lines.get(w, 0)
            parts.append(((0 if before else 2, line, w), self._paratext_element(w, para)))
        if title is not None:
            element = E.titlePart(type="main")
            parts.append(((1, 0, 0), E.docTitle(self.container(element, f"{self.prefix}title", title, units))))
        parts.sort(key=lambda item: item[0])
        out = [E.titlePage(*(element for _, element in parts))] if parts else []
        out += self.front_matter(blocks, containers, units)
        out += [self._paratext_element(w, para) for w, para in self._paratext("front") if para.element == "div"]
        return out

    def back(self) -> list[etree._Element]:
        """The back paratext divisions."""
        return [self._paratext_element(w, para) for w, para in self._paratext("back")]

    def _paratext(self, place: str):
        for w, witness in enumerate(self.witnesses):
            for para in witness.paratext:
                if para.place == place:
                    yield w, para

    def _paratext_element(self, w: int, para) -> etree._Element:
        """One paratext: its element with ``@source``; its lines as they stand, each with its ``<lb>``."""
        siglum = self.sigla[w]
        attributes = {"source": f"#{siglum}"}
        if para.element == "div":
            attributes.update(type="paratext", subtype=para.type)
        element = set_id(E(para.element, **attributes), self.unique(f"{self.prefix}{siglum}-{_slug(para.type)}"))
        line_holder = para.element in ("docImprint", "byline", "docDate", "docEdition")
        for n, (number, line) in enumerate(para.lines, 1):
            body = line.lstrip()
            target = element if line_holder else set_id(E.p(), self.unique(f"{element.get(_XML_ID)}.p{n}"))
            target.append(self.lb(LineStart(w, number, line[: len(line) - len(body)])))
            _append_text(target, body)
            if target is not element:
                element.append(target)
        return element


def _first_lines(container: Container) -> dict[int, int]:
    """The first line number of each witness inside a container (in readings too)."""
    found: dict[int, int] = {}
    for event in container.events:
        starts = [event] if isinstance(event, LineStart) else \
            [start for reading in event.readings for _, start in reading.starts] if isinstance(event, Unit) else []
        for start in starts:
            found[start.wit] = min(found.get(start.wit, start.line), start.line)
    return found


_XML_ID = f"{{{XML_NS}}}id"


def _append_text(element: etree._Element, value: str) -> None:
    if not value:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + value
    else:
        element.text = (element.text or "") + value


def _label_number(item: etree._Element) -> None:
    """Wrap the leading list number (``1.``) of an item's text in ``<label>``."""
    holder = None
    if not item.text:
        for child in item:
            if child.tag != f"{{{TEI_NS}}}lb":
                return
            if child.tail:
                holder = child
                break
    value = holder.tail if holder is not None else item.text
    match = re.match(r"(\d+|[a-zA-Z]|[ivxlc]+)([.)])(?=\s)", value or "")
    if not match:
        return
    label = E.label(match.group(0))
    label.tail = value[match.end():]
    if holder is not None:
        holder.tail = None
        holder.addnext(label)
    else:
        item.text = None
        item.insert(0, label)
    item.set("n", match.group(1))


_NAME_START = re.compile(r"[^\W\d]")           # a letter or "_" (the first character of an NCName)
_NOT_NAME = re.compile(r"[^\w.\-]")              # what an NCName may not hold (the colon included)


def xml_name(value: str) -> str:
    """``value`` made an NCName: characters a name may not hold become ``-``; a value that does
    not begin with a letter or ``_`` is prefixed by ``id-``."""
    value = _NOT_NAME.sub("-", value)
    return value if _NAME_START.match(value) else f"id-{value}"


def xml_name_ok(value: str) -> bool:
    """True when ``value`` is an NCName (as ``xml_name`` makes them)."""
    return bool(value) and xml_name(value) == value


_STOPWORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def _slug(text: str, words: int = 4) -> str:
    """A readable id part from a heading: its first content words, ASCII, hyphenated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in _STOPWORDS][:words]
    return "-".join(parts) or "section"


def header(settings: dict, rules, witnesses: list[Witness], base: int, wit_settings: list[dict]) -> etree._Element:
    """The ``teiHeader``: metadata from the rules, and the ``listWit`` of the witnesses."""
    list_wit = E.listWit()
    for w, witness in enumerate(witnesses):
        info = {**wit_settings[w], **rules.witness(witness.siglum)}
        element = set_id(E.witness(E.abbr(witness.siglum, type="siglum"), n=witness.siglum), witness.siglum)
        bibl = E.bibl()
        if info.get("title"):
            bibl.append(E.title(info["title"]))
        if info.get("publication") or info.get("publisher"):
            bibl.append(E.publisher(info.get("publisher") or info["publication"]))
        if info.get("date"):
            bibl.append(E.date(info["date"], when=info["when"]) if info.get("when") else E.date(info["date"]))
        else:
            bibl.append(E.note("The witness gives no date of publication.", type="unknown"))
        if info.get("url"):
            bibl.append(E.ref(info["url"], target=info["url"]))
        bibl.append(E.idno(witness.path.name, type="file"))
        last_empty = witness.final_newline
        bibl.append(E.extent(E.measure(f"{witness.line_count} lines", unit="line", quantity=str(witness.line_count)),
                             "; the file ends with a line feed" if last_empty else "; the file ends without a line feed"))
        if info.get("kind"):
            bibl.append(E.note(info["kind"], type="kind"))
        element.append(bibl)
        if w == base:
            element.append(E.note("The copy-text (base text) of this edition.", type="copy-text"))
        if info.get("note"):
            element.append(E.note(info["note"], type="description"))
        for para in witness.paratext:
            where = "front matter" if para.place == "front" else "back matter"
            lines = f"line {para.lines[0][0]}" if len(para.lines) == 1 else f"lines {para.lines[0][0]}–{para.lines[-1][0]}"
            element.append(E.note(f"Paratext ({para.type}, {lines}), recorded in the {where}. {para.note}".strip(),
                                  type="paratext"))
        list_wit.append(element)
    meta = dict(rules.table("metadata"))
    meta.setdefault("language", settings.get("language", "en"))
    if "title" not in meta:       # no rules file: the copy-text's first line stands as title
        meta["title"] = witnesses[base].first_line or "Untitled"
    encoding = E.variantEncoding(method="parallel-segmentation", location="internal")
    return build_header(settings, meta, source=rules.table("source"), editorial=rules.table("editorial"),
                        changes=rules.tables("change"), source_extra=[list_wit], encoding_extra=[encoding])


def document(settings: dict, rules, witnesses: list[Witness], base: int, wit_settings: list[dict],
             writer: TeiWriter, blocks, containers: list[Container]) -> tuple[etree._Element, list[Unit]]:
    """The whole ``<TEI>`` document and its units in document order."""
    units: list[Unit] = []
    text = E.text()
    front = writer.front(blocks, containers, units)
    if front:
        text.append(E.front(*front))
    text.append(writer.body(blocks, containers, units))
    for element, partner in writer.links:         # every unit has its id now
        element.set("corresp", f"#{partner.id}")
    back = writer.back()
    if back:
        text.append(E.back(*back))
    root = E.TEI(header(settings, rules, witnesses, base, wit_settings), text)
    root.set(f"{{{XML_NS}}}lang", settings.get("language", "en"))
    indent(root)
    return root, units
