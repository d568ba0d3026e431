"""Passage references: parse ``text:passage``, list a text's citable passages, find one.

In: a reference string and the edition's TEI. Out: a ``Ref`` (text id, passage) and, for a
document, its citation tree: every citable passage (``Passage``: its reference, unit, element,
parent and depth) in document order.

The tree comes from the header's ``refsDecl/citeStructure`` when there is one (TEI P5
§16.2.5: ``@match`` selects the units, ``@use`` gives each its part of the reference, ``@delim``
joins it to its parent's). XPath names without a prefix are read in the TEI namespace, as the
Guidelines intend. A TEI file without a ``citeStructure`` (an editor's own) is cited by its
``xml:id``s: every structural element that has one is a passage, nested as in the document.
Any other ``xml:id`` in the text (a note's paragraph, a note reference) still resolves.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, error
from edition.tei.document import Document
from edition.tei.xmlio import NSMAP, XML_ID, local_name

_REF = re.compile(r"^(?P<text>[A-Za-z0-9_][\w.-]*)(?::#?(?P<passage>[^\s:#/]+))?$")

# Elements that are passages of a text that declares no citeStructure, by unit name.
FALLBACK_UNITS = {
    "div": "division", "div1": "division", "div2": "division", "div3": "division",
    "div4": "division", "div5": "division", "div6": "division", "div7": "division",
    "p": "paragraph", "ab": "paragraph", "head": "head", "lg": "verse group", "l": "line",
    "list": "list", "table": "table", "sp": "speech", "note": "note", "app": "app",
}
# What a passage's plain text leaves out: other readings, notes, print furniture.
_SKIP_IN_TEXT = {"rdg", "rdgGrp", "witDetail", "note", "fw", "del", "surplus", "teiHeader"}
_SKIP_IN_CHOICE = {"sic", "orig", "abbr"}
# Elements that stand apart from their neighbours: their words never run into the next ones.
_SEPARATE = {"p", "ab", "head", "item", "l", "lg", "list", "table", "row", "cell", "label", "div",
             "sp", "speaker", "stage", "note", "quote", "salute", "signed", "dateline", "opener", "closer"}


@dataclass(frozen=True)
class Ref:
    """A parsed reference: a text id and, optionally, a passage of it."""

    text: str
    passage: str | None = None

    def __str__(self) -> str:
        return f"{self.text}:{self.passage}" if self.passage else self.text


@dataclass
class Passage:
    """One citable unit of a text."""

    ref: str                      # the passage part of the reference (``q12.p3``)
    unit: str                     # the citeStructure unit (division, paragraph, app, note …)
    element: etree._Element
    parent: str | None = None     # the ref of the unit above it in the tree
    level: int = 1
    children: list["Passage"] = field(default_factory=list, repr=False)

    @property
    def xml_id(self) -> str | None:
        """The element's ``xml:id`` (the HTML anchor and PDF destination), if it has one."""
        return self.element.get(XML_ID)

    @property
    def line(self) -> int | None:
        """The line of the element's start tag in the TEI file."""
        return self.element.sourceline

    @property
    def anchor(self) -> str:
        """The id the outputs use for this passage: its ``xml:id``, else its reference."""
        return self.xml_id or self.ref


@dataclass
class CitationTree:
    """A text's citable passages: the declared structure and the units found by it."""

    structure: list[dict]          # [{"unit": …, "children": [...]}] as declared (or inferred)
    roots: list[Passage]
    declared: bool                 # True when read from a citeStructure

    def passages(self) -> list[Passage]:
        """Every passage, depth first, in document order."""
        out: list[Passage] = []

        def visit(nodes):
            for node in nodes:
                out.append(node)
                visit(node.children)
        visit(self.roots)
        return out


def parse_ref(value: str) -> Ref:
    """Parse ``text`` or ``text:passage`` (``text:#passage`` is accepted too)."""
    match = _REF.match(value.strip())
    if not match:
        raise EditionError(error("E801", f"'{value}' is not a passage reference", hint=(
            "write TEXT or TEXT:PASSAGE, e.g. my-text:q12.p3 (the text id from edition.toml, "
            "then the passage id)")))
    return Ref(match.group("text"), match.group("passage"))


@functools.lru_cache(maxsize=256)
def tei_xpath(expr: str) -> str:
    """Put unprefixed element names of an XPath 1.0 expression in the TEI namespace (``tei:``)."""
    out, prev = [], None
    tokens = list(_tokens(expr))
    for i, (kind, text) in enumerate(tokens):
        if kind == "ws":
            out.append(text)
            continue
        nxt = next((t for k, t in tokens[i + 1:] if k != "ws"), None)
        if kind == "name" and ":" not in text and text != "*" and nxt != "(" \
                and _name_test_position(prev) and prev not in ("@", "$", "attribute::", "namespace::"):
            text = "tei:" + text
        out.append(text)
        prev = re.sub(r"\s+", "", text) if kind == "axis" else text
    return "".join(out)


_TOKEN = re.compile(r"""(?P<str>"[^"]*"|'[^']*')|(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<axis>[A-Za-z_][\w.-]*\s*::)
    |(?P<name>(?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*))|(?P<op>//|\.\.|!=|<=|>=|[/()\[\]@,|=<>+\-*.$])
    |(?P<ws>\s+)""", re.VERBOSE)
_OPERATOR_NAMES = {"and", "or", "div", "mod"}


def _tokens(expr: str):
    pos = 0
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if not match:
            raise ValueError(f"cannot read the XPath {expr!r} at {pos}")
        yield match.lastgroup, match.group()
        pos = match.end()


def _name_test_position(prev: str | None) -> bool:
    """XPath 1.0 §3.7: after these tokens a name is a name test, not an operator."""
    return prev is None or prev.endswith("::") or prev in {
        "@", "(", "[", ",", "/", "//", "|", "+", "-", "=", "!=", "<", "<=", ">", ">=", "$",
        *_OPERATOR_NAMES}


def citation_tree(doc: Document) -> CitationTree:
    """The text's citation tree, from its ``citeStructure`` or, failing that, its ``xml:id``s."""
    cached = getattr(doc, "_citation_tree", None)
    if cached is not None:
        return cached
    declared = doc.xpath("tei:teiHeader/tei:encodingDesc/tei:refsDecl[tei:citeStructure][1]/tei:citeStructure")
    tree = _declared_tree(doc, declared) if declared else _id_tree(doc)
    doc._citation_tree = tree  # parsed once per loaded document
    return tree


def _declared_tree(doc: Document, structures: list[etree._Element]) -> CitationTree:
    order = {el: i for i, el in enumerate(doc.root.iter())}
    seen: set[str] = set()
    path = str(doc.path)

    def evaluate(structure, context, parent: Passage | None, level: int) -> list[Passage]:
        try:
            nodes = _compiled(structure.get("match", ""))(context)
            use = _compiled(structure.get("use", "@xml:id"))
        except (etree.XPathError, ValueError) as exc:
            raise EditionError(error("E804", f"a citeStructure's XPath cannot be read: {exc}", path,
                                     structure.sourceline, hint="fix @match or @use in the header's refsDecl")) from None
        found = []
        for node in nodes if isinstance(nodes, list) else []:
            if not isinstance(node, etree._Element):
                continue
            try:
                value = _string(use(node))
            except etree.XPathError as exc:
                raise EditionError(error("E804", f"citeStructure/@use cannot be evaluated: {exc}", path,
                                         structure.sourceline, hint="fix @use in the header's refsDecl")) from None
            if not value:
                continue
            ref = (parent.ref + (structure.get("delim") or "") + value) if parent else value
            if ref in seen:
                continue
            seen.add(ref)
            passage = Passage(ref, structure.get("unit") or local_name(node), node,
                              parent.ref if parent else None, level)
            for child in _children(structure):
                passage.children.extend(evaluate(child, node, passage, level + 1))
            passage.children.sort(key=lambda p: order.get(p.element, 0))
            found.append(passage)
        return found

    roots = [p for s in structures for p in evaluate(s, doc.tree, None, 1)]
    roots.sort(key=lambda p: order.get(p.element, 0))
    return CitationTree([_shape(s) for s in structures], roots, True)


@functools.lru_cache(maxsize=256)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(tei_xpath(expr), namespaces=NSMAP)


def _children(structure: etree._Element) -> list[etree._Element]:
    return [c for c in structure if isinstance(c.tag, str) and local_name(c) == "citeStructure"]


def _shape(structure: etree._Element) -> dict:
    return {"unit": structure.get("unit") or "unit", "children": [_shape(c) for c in _children(structure)]}


def _string(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
        if isinstance(value, etree._Element):
            value = "".join(value.itertext())
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else str(value)
    return str(value).strip() if value is not None else ""


def _id_tree(doc: Document) -> CitationTree:
    """No citeStructure: every structural element with an ``xml:id`` in ``<text>`` is a passage."""
    roots: list[Passage] = []
    shapes: dict[tuple, dict] = {}
    structure: list[dict] = []

    def visit(element, parent: Passage | None, level: int, shape: list[dict]):
        for child in element:
            if not isinstance(child.tag, str):
                continue
            unit = FALLBACK_UNITS.get(local_name(child))
            if unit and child.get(XML_ID):
                passage = Passage(child.get(XML_ID), unit, child, parent.ref if parent else None, level)
                (parent.children if parent else roots).append(passage)
                key = (id(shape), unit)
                if key not in shapes:
                    shapes[key] = {"unit": unit, "children": []}
                    shape.append(shapes[key])
                visit(child, passage, level + 1, shapes[key]["children"])
            else:
                visit(child, parent, level, shape)

    for text in doc.xpath("tei:text"):
        visit(text, None, 1, structure)
    return CitationTree(structure, roots, False)


def passages(doc: Document) -> list[Passage]:
    """Every citable passage of a text, depth first in document order."""
    return citation_tree(doc).passages()


def find_passage(doc: Document, passage: str) -> Passage:
    """The passage with this reference (or, failing that, the element with this ``xml:id``)."""
    listed = passages(doc)
    for candidate in listed:
        if candidate.ref == passage:
            return candidate
    for candidate in listed:
        if candidate.xml_id == passage:
            return candidate
    hits = doc.root.xpath("tei:text//*[@xml:id=$id]", namespaces=NSMAP, id=passage)
    if hits:
        return Passage(passage, local_name(hits[0]), hits[0], None, 0)
    refs = [p.ref for p in listed]
    close = difflib.get_close_matches(passage, refs, n=5, cutoff=0.5)
    hint = (f"did you mean {', '.join(f'{doc.id}:{c}' for c in close)}?" if close else
            f"{doc.id} has {len(refs)} passages, e.g. " + ", ".join(f"{doc.id}:{r}" for r in refs[:4])
            if refs else f"{doc.id} declares no citable passages")
    raise EditionError(error("E803", f"'{doc.id}' has no passage '{passage}'", doc.path, hint=hint))


def text_ids(project) -> list[str]:
    """The ids of every text whose TEI is in the edition."""
    return [p.stem for p in project.tei_files()]


def load_text(project, text_id: str) -> Document:
    """The TEI of one text of the edition, or an error listing close text ids."""
    path = Path(project.tei_dir) / f"{text_id}.xml"
    if path.is_file():
        stat = path.stat()
        return _load(str(path), stat.st_mtime_ns, stat.st_size)
    ids = sorted(set(text_ids(project)) | {t.id for t in project.texts})
    close = difflib.get_close_matches(text_id, ids, n=3, cutoff=0.5)
    hint = (f"did you mean {', '.join(close)}?" if close else
            f"texts with TEI: {', '.join(text_ids(project)) or 'none yet (run edition ingest)'}")
    raise EditionError(error("E802", f"no text '{text_id}' in the edition (no {path.name} in "
                                     f"{project.tei_dir.name}/)", project.tei_dir, hint=hint))


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Document:
    """Parse a TEI file once while it is unchanged (resolving many refs reads it once)."""
    return Document.load(path)


def passage_text(element: etree._Element) -> str:
    """The reading text of a passage: lemmata, not other readings; no notes or page furniture."""
    parts: list[str] = []

    def visit(el, top: bool):
        if not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        name = local_name(el)
        parent = el.getparent()
        if not top and (name in _SKIP_IN_TEXT or (name in _SKIP_IN_CHOICE and parent is not None
                                                  and local_name(parent) == "choice")):
            pass
        else:
            apart = " " if name in _SEPARATE else ""
            parts.append(apart + (el.text or ""))
            for child in el:
                visit(child, False)
            parts.append(apart)
        if not top and el.tail:
            parts.append(el.tail)

    visit(element, True)
    return " ".join("".join(parts).split())
