"""Where a stand-off apparatus entry stands in the text: the start and end of its lemma.

In: a ``Document``. Out: ``StandoffPlaces``: for each location-referenced (``@loc``) or
double-end-point (``@from``/``@to``) ``<app>`` its id (its ``xml:id``, else one of the renderer's
own), the element its lemma starts at and the one it ends at, and W630 for each unit whose
place is not in the text. The HTML renderer writes where the lemma starts
``<span class="so-start" id="at:ID" data-so-start="ID">`` and where it ends
``<a class="app-mark so-end" href="#ID" data-so-end="ID">`` (the print layout keys the entry to
the printed lines between them; ``edition.render.pdf.entries``): before an empty marker
(``anchor``, ``lb``), else inside the element, at the start of its content and at its end, so
that both stand in the printed line, not between blocks. The entry itself is rendered where
it stands (``edition.render.variation``), and a unit that cannot be placed is still printed
there.

A ``@loc`` is resolved as a canonical reference (TEI P5 §3.11.3): a passage of the header's
``citeStructure``, else an ``xml:id`` of the text, else the ``@n`` of a line, verse group,
paragraph, division … (``12``), or a path of ``@n``s from the outermost (``2.12``: line 12 of
the unit numbered 2). A ``@loc`` of two references (``12 14``) spans from the first to the last.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree

from edition.citation.refs import citation_tree
from edition.diagnostics import Diagnostic, warning
from edition.tei.vocabulary import DIVISIONS, PARAGRAPHS
from edition.tei.xmlio import XML_ID, local_name

# Elements a reference by @n may name: the units of a text's structure (not pages, not notes).
NUMBERED = DIVISIONS | PARAGRAPHS | frozenset({"lg", "l", "lb", "seg", "s", "sp", "milestone", "head", "item"})
_PATH_SEPARATORS = re.compile(r"[.:,]")
_RANGE = re.compile(r"\s*[-–—]\s*")
_BLOCKS = frozenset({"p", "ab", "l", "head", "div", "lg", "item", "cell"})
TEI_NS = "http://www.tei-c.org/ns/1.0"
# Where an element is no place of the running text.
_NOT_TEXT = frozenset({"teiHeader", "listApp", "note", "listNote", "standOff"})


class StandoffPlaces:
    """The places of a document's stand-off apparatus units, found once per rendering."""

    def __init__(self, document, path=None):
        self.path = path if path is not None else document.path
        self.ids: dict[etree._Element, str] = {}
        self.starts: dict[etree._Element, list[str]] = {}   # element → ids of the lemmas it starts
        self.ends: dict[etree._Element, list[str]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.placed: set[etree._Element] = set()
        self._by_id: dict[str, etree._Element] | None = None
        self._orders: dict[etree._Element, int] | None = None
        self._document = document
        apps = document.xpath("//tei:text//tei:app[@from or @loc]")
        for n, app in enumerate(apps, 1):
            self.ids[app] = app.get(XML_ID) or f"app:so{n}"
            span = self._place(app)
            if span is not None:
                self.starts.setdefault(span[0], []).append(self.ids[app])
                self.ends.setdefault(span[1], []).append(self.ids[app])
                self.placed.add(app)

    def marks(self, el: etree._Element, at_start: bool, in_link: bool) -> str:
        """The HTML marks of the lemmas that start (``at_start``) or end at ``el``."""
        if at_start:
            return "".join(f'<span class="so-start" id="at:{escape(i)}" data-so-start="{escape(i)}"></span>'
                           for i in self.starts.get(el, ()))
        if in_link:   # no link inside a link
            return "".join(f'<span class="so-end" data-so-end="{escape(i)}"></span>' for i in self.ends.get(el, ()))
        return "".join(f'<a class="app-mark so-end" href="#{escape(i)}" data-so-end="{escape(i)}" '
                       f'data-pagefind-ignore="" aria-label="Variant"><sup>°</sup></a>' for i in self.ends.get(el, ()))

    # ---- finding the place ------------------------------------------------------------
    def _place(self, app: etree._Element) -> tuple[etree._Element, etree._Element] | None:
        if app.get("from"):
            start = self._id(app.get("from"))
            end = self._id(app.get("to")) if app.get("to") else start
            what = f'@from="{app.get("from")}"' + (f' @to="{app.get("to")}"' if app.get("to") else "")
        else:
            refs = app.get("loc").split()
            if len(refs) == 1 and self._loc(refs[0]) is None and _RANGE.search(refs[0]):
                refs = _RANGE.split(refs[0], maxsplit=1)   # "1-3": from line 1 to line 3
            start = self._loc(refs[0])
            end = self._loc(refs[-1]) if len(refs) > 1 else start
            what = f'@loc="{app.get("loc")}"'
        if start is None or end is None or not _in_text(start) or not _in_text(end):
            self._unplaced(app, f"{what} names no place of the text")
            return None
        if end is not start and self._order(end) < self._order(start):
            self._unplaced(app, f"{what}: the end comes before the start")
            return None
        return start, _line_end(end)

    def _unplaced(self, app: etree._Element, why: str) -> None:
        self.diagnostics.append(warning(
            "W630", f"the place of an apparatus entry is not found: {why}", self.path, app.sourceline,
            hint="the entry is printed where it stands, without a line number; point @from/@to at "
                 "xml:ids of the text, or @loc at a reference the text declares"))

    def _order(self, el: etree._Element) -> int:
        """The element's position in document order."""
        if self._orders is None:
            self._orders = {e: i for i, e in enumerate(self._document.root.iter())}
        return self._orders.get(el, 0)

    def _id(self, pointer: str) -> etree._Element | None:
        if self._by_id is None:
            self._by_id = {}
            for el in self._document.root.iter():
                if isinstance(el.tag, str) and el.get(XML_ID):
                    self._by_id.setdefault(el.get(XML_ID), el)
        token = pointer.split()[0] if pointer.split() else ""
        return self._by_id.get(token.removeprefix("#")) if token else None

    def _loc(self, ref: str) -> etree._Element | None:
        tree = citation_tree(self._document)
        if tree.declared:
            found = next((p.element for p in tree.passages() if p.ref == ref), None)
            if found is not None:
                return found
        found = self._id(ref)
        if found is not None:
            return found
        texts = self._document.xpath("tei:text")
        whole = _numbered(texts, ref)
        if whole is not None:
            return whole
        scope = texts
        for part in _PATH_SEPARATORS.split(ref):
            hit = _numbered(scope, part)
            if hit is None:
                return None
            scope = [hit]
        return scope[0]


def _line_end(end: etree._Element) -> etree._Element:
    """Where a lemma that ends on the line ``end`` begins (an ``lb``) ends: at the next line
    beginning in the same block, else at the end of the block."""
    if local_name(end) != "lb":
        return end
    block = next((a for a in end.iterancestors() if local_name(a) in _BLOCKS), None)
    following = end.xpath("following::tei:lb[1]", namespaces={"tei": TEI_NS})
    if following and block is not None and any(a is block for a in following[0].iterancestors()):
        return following[0]
    return block if block is not None else end


def _numbered(scopes: list[etree._Element], n: str) -> etree._Element | None:
    """The first element of the text's structure inside ``scopes`` whose ``@n`` is ``n``."""
    for scope in scopes:
        for el in scope.iter():
            if isinstance(el.tag, str) and el is not scope and el.get("n") == n \
                    and local_name(el) in NUMBERED and _in_text(el):
                return el
    return None


def _in_text(el: etree._Element) -> bool:
    node = el
    while node is not None:
        name = local_name(node) if isinstance(node.tag, str) else ""
        if name in _NOT_TEXT:
            return False
        if name == "text":
            return True
        node = node.getparent()
    return False


def is_point(el: etree._Element) -> bool:
    """True for an empty marker (``anchor``, ``lb``): the marks stand before it, not inside."""
    return not len(el) and not (el.text or "").strip()


