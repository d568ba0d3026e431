"""The reading text: any TEI document → ``build/txt/<id>.txt``.

In: parsed TEI documents (ours or an editor's; made from the TEI alone). Out: one UTF-8 text
file per document: the title (and author) from the header, then the text in reading order —
headings, paragraphs, verse, lists, tables, dividers — and the notes at the end. Every
paragraph (``p``, ``ab``) and note that has an ``xml:id`` begins with its citation marker
``{#<xml:id>} ``, the plain-text form of the edition's passage ids. For a document with an
apparatus the reading text is the lemma text.

How each element renders is one table (``BEHAVIOURS``: element, optional predicate,
behaviour); the first matching row wins. An element with no row renders its content and
gives a warning (W610) naming the file and line, once per element name and file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from edition.diagnostics import Report, warning
from edition.fsutil import write_atomic
from edition.tei import vocabulary as V
from edition.tei.document import Document
from edition.tei.spacing import (
    app_spaces,
    base_reading,
    is_empty_marker,
    is_layout_space,
    joins_word,
)
from edition.tei.xmlio import XML_ID, local_name

Predicate = Callable[[etree._Element], bool]

# Behaviours: skip (nothing, tail kept) · content (children inline) · container (children as
# blocks) · paragraph (a citable block) · block (a block without marker) · heading · verse ·
# line · list · table · milestone · break · note · app · choice · gap.
# The reading text reads the lemma: readings, words not read, registers and annotations are skipped
# (the groups are the shared vocabulary's, ``edition.tei.vocabulary``).
_NOT_IN_READING_TEXT = (V.NEVER_TEXT | V.NOT_READ | {V.READING} | V.READING_GROUPS | V.WITNESS_DETAIL
                        | V.LISTS_OF_ENTITIES | V.INTERPRETATION | V.FIGURE_DATA | V.METAMARKS)


def _group(names) -> str:
    return " ".join(sorted(names))


BEHAVIOURS: list[tuple[str, Predicate | None, str]] = [
    (_group(_NOT_IN_READING_TEXT), None, "skip"),
    ("milestone", lambda el: el.get("unit") in ("section", "part", None) and el.get("rend") is not None,
     "milestone"),
    (_group(V.MARKERS | {"milestone", "ptr", "index", "cb"}), None, "skip"),
    (_group(V.BREAKS - {"cb"}), None, "break"),
    ("text group front body back div div1 div2 div3 div4 div5 div6 div7 argument opener closer "
     "titlePage docTitle sp figure quote cit floatingText epigraph postscript castList set "
     "prologue epilogue performance listBibl", None, "container"),
    ("p ab", None, "paragraph"),
    ("head", None, "heading"),
    ("byline dateline salute signed trailer docAuthor docDate docImprint docEdition titlePart "
     "speaker stage label bibl biblStruct castItem castGroup roleDesc", None, "block"),
    ("lg", None, "verse"),
    ("l", None, "line"),
    ("list", None, "list"),
    ("table", None, "table"),
    ("note", None, "note"),
    ("app", None, "app"),
    ("choice", None, "choice"),
    ("gap", None, "gap"),
    ("hi emph foreign term mentioned title ref add supplied unclear damage sic corr orig reg abbr "
     "expan subst restore q said soCalled distinct seg w pc c g rs name persName placeName orgName "
     "geogName roleName forename surname addName genName nameLink date time num measure unit "
     "author editor publisher pubPlace biblScope citedRange idno lem item cell row gloss desc "
     "address addrLine email affiliation settlement region country geo state trait event "
     "catchwords space handShift mod redo retrace undo origDate origPlace role analytic monogr "
     "imprint series location person place org birth death occupation sex residence", None, "content"),
]
_INDEX: dict[str, list[tuple[Predicate | None, str]]] = {}
for _names, _pred, _beh in BEHAVIOURS:
    for _name in _names.split():
        _INDEX.setdefault(_name, []).append((_pred, _beh))


def behaviour(element: etree._Element) -> str | None:
    """The behaviour of an element from the table, or None when it has no row."""
    for predicate, name in _INDEX.get(local_name(element), ()):
        if predicate is None or predicate(element):
            return name
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


class ReadingText:
    """Renders one document (see the module doc)."""

    def __init__(self, document: Document, report: Report):
        self.document = document
        self.report = report
        self.blocks: list[str] = []
        self.notes: list[str] = []
        self.warned: set[str] = set()
        self.in_verse = False  # the last block is verse lines, to which a further <l> belongs

    def emit(self, text: str, line: bool = False) -> None:
        """Add a block; consecutive verse lines (``<l>`` outside ``<lg>``) share one block."""
        if not text:
            return
        if line and self.in_verse:
            self.blocks[-1] += "\n" + text
        else:
            self.blocks.append(text)
        self.in_verse = line

    def render(self) -> str:
        """The reading text of the document."""
        title = _squash(self.document.title)
        out = [title, "=" * min(len(title), 72)]
        if self.document.author:
            out.append(f"by {self.document.author}")
        for text in self.document.xpath("tei:text"):
            self.container(text)
        if self.blocks and _squash(self.blocks[0]).lower() == title.lower():
            self.blocks.pop(0)  # the text's own first heading repeats the title
        body = "\n\n".join(b for b in self.blocks if b.strip())
        notes = ("\n\nNotes\n-----\n\n" + "\n\n".join(self.notes)) if self.notes else ""
        return "\n".join(out) + "\n\n" + body + notes + "\n"

    def _unknown(self, element: etree._Element) -> None:
        name = local_name(element)
        if name and name not in self.warned:
            self.warned.add(name)
            self.report.add(warning("W610", f"the text renderer has no rule for <{name}>; its content is "
                                    "rendered as it stands", self.document.path, element.sourceline))

    @staticmethod
    def marker(element: etree._Element) -> str:
        """The citation marker of a citable block: ``{#id} `` (empty without an id)."""
        ident = element.get(XML_ID)
        return f"{{#{ident}}} " if ident else ""

    # -- block mode -----------------------------------------------------------------------
    def container(self, element: etree._Element) -> None:
        """Render the children of ``element`` as blocks (stray text as a block of its own)."""
        if element.text and element.text.strip():
            self.emit(_squash(element.text))
        for child in element:
            if isinstance(child.tag, str):
                self.block(child)
            if child.tail and child.tail.strip():
                self.emit(_squash(child.tail))

    def block(self, element: etree._Element) -> None:
        """Render one element met between blocks."""
        kind = behaviour(element)
        if kind in ("skip", "break"):
            return
        if kind is None:
            self._unknown(element)
            kind = "container" if any(isinstance(c.tag, str) and behaviour(c) in ("paragraph", "container")
                                      for c in element) else "block"
        if kind == "container":
            self.container(element)
        elif kind == "note" and element.find("{*}p") is not None:
            self.note_paragraphs(element)
        elif kind in ("paragraph", "note"):
            text = _squash(self.inline(element))
            self.emit(self.marker(element) + text if text else "")
        elif kind == "milestone":
            self.emit(element.get("rend"))
        elif kind == "verse":
            self.emit(self.verse(element))
        elif kind == "list":
            self.emit(self.listing(element))
        elif kind == "table":
            self.emit(self.table(element))
        else:  # heading, block, line, content and the inline-only behaviours met as blocks
            self.emit(_squash(self.inline(element)), line=kind == "line")

    def note_paragraphs(self, element: etree._Element) -> None:
        """A note of several paragraphs met between blocks: the first carries the note's marker,
        each further one its own, so that ``n14.p2`` can be found in the text."""
        first = True
        for child in element:
            if not isinstance(child.tag, str) or behaviour(child) in ("skip", "break"):
                continue
            text = _squash(self.inline(child))
            if text:
                self.emit((self.marker(element) if first else self.marker(child)) + text)
                first = False

    def verse(self, element: etree._Element) -> str:
        """A verse group: one line per ``<l>`` (nested groups separated by a blank line)."""
        lines = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            kind = behaviour(child)
            if kind == "verse":
                lines.append("\n" + self.verse(child))
            elif kind in ("line", "heading"):
                lines.append(_squash(self.inline(child)))
        return "\n".join(lines).strip("\n")

    def listing(self, element: etree._Element) -> str:
        """A list: one ``- item`` per line (a label before its item)."""
        lines, label = [], ""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = local_name(child)
            if name == "label":
                label = _squash(self.inline(child)) + " "
            elif name == "head":
                lines.append(_squash(self.inline(child)))
            elif behaviour(child) not in ("skip", "break"):
                lines.append(f"- {label}{_squash(self.inline(child))}")
                label = ""
        return "\n".join(lines)

    def table(self, element: etree._Element) -> str:
        """A table: one line per row, cells separated by `` | ``."""
        rows = [self.marker(element).strip()] if element.get(XML_ID) else []
        rows += [_squash(self.inline(head)) for head in element.iterfind("{*}head")]
        for row in element.iter("{*}row"):
            rows.append(" | ".join(_squash(self.inline(cell)) for cell in row if local_name(cell) == "cell"))
        return "\n".join(r for r in rows if r)

    # -- inline mode ----------------------------------------------------------------------
    def inline(self, element: etree._Element) -> str:
        """The text of an element's content, in reading order; white space that is not text
        (``edition.tei.spacing``) is left out, and a break inside a word joins it."""
        parts = [element.text or ""] if not is_layout_space(element, element.text) else []
        joining = False   # after a break inside a word, up to the word's next letter
        for child in element:
            tail = child.tail or ""
            if isinstance(child.tag, str):
                if joins_word(child):
                    parts = ["".join(parts).rstrip()]
                joining = joins_word(child) or joining and is_empty_marker(child)
                if joining:
                    tail = tail.lstrip()
                    joining = not tail
                parts.append(self.inline_child(child))
            if not is_layout_space(element, tail):
                parts.append(tail)
        return "".join(parts)

    def inline_child(self, element: etree._Element) -> str:
        """The reading text of one element inside running text."""
        kind = behaviour(element)
        if kind is None:
            self._unknown(element)
            return self.inline(element)
        if kind in ("skip", "milestone"):
            return ""
        if kind == "break":
            # a line break ends a word unless break="no"; a page or column break alone does not
            # (as in the HTML: edition.render.html._break)
            return " " if local_name(element) == "lb" and element.get("break") != "no" else ""
        if kind == "gap":
            return "[…]"
        if kind == "note":
            return self.footnote(element)
        if kind == "app":
            # the reading the HTML shows too: the lemma, else the first reading
            shown = base_reading(element) if not (element.get("from") or element.get("loc")) else None
            if shown is None:
                return ""
            before, after = app_spaces(element)   # layout space that is a word boundary
            return f"{' ' if before else ''}{self.inline(shown)}{' ' if after else ''}"
        if kind == "choice":
            for name in V.CHOICE_READ:
                found = element.find(f"{{*}}{name}")
                if found is not None:
                    return self.inline(found)
            return ""
        if kind == "list":
            return " | ".join(_squash(self.inline(item)) for item in element if local_name(item) == "item")
        text = self.inline(element)
        return f" {text} " if kind in ("paragraph", "block", "heading", "line", "verse", "table") else text

    def footnote(self, element: etree._Element) -> str:
        """A note inside running text: a ``[n]`` mark here, the note at the end."""
        number = element.get("n") or str(len(self.notes) + 1)
        self.notes.append(f"{self.marker(element)}[{number}] {_squash(self.inline(element))}")
        return f"[{number}]"


def render_text(document: Document, report: Report) -> str:
    """The reading text of one document."""
    return ReadingText(document, report).render()


def render_texts(project, documents, report: Report) -> list[Path]:
    """Write ``build/txt/<id>.txt`` for each document; return the paths of the outputs."""
    out_dir = project.build_dir / "txt"
    paths = []
    for document in documents:
        path = out_dir / f"{document.id}.txt"
        write_atomic(path, render_text(document, report))
        paths.append(path)
    return paths


render_texts.incremental = True  # it writes one file per document and nothing shared
