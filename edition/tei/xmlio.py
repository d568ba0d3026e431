"""Reading and writing XML safely and deterministically.

In: a path to an XML file (ours or an editor's). Out: an lxml tree, or an
``EditionError`` with a diagnostic naming file, line and column.
Writing: an lxml tree → UTF-8 bytes with a fixed declaration and a final newline,
so that the same tree always gives the same bytes.

Parsing is safe on hostile files: no DTD loading, no entity expansion, no network.
A document that declares entities (XXE, "billion laughs") is refused outright.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from edition.diagnostics import EditionError, error

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def safe_parser(**overrides) -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and reaches no network."""
    # collect_ids stays on: with it off, libxml2 tries to load an external DTD subset.
    options = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                   huge_tree=False, remove_comments=False, remove_blank_text=False)
    options.update(overrides)
    return etree.XMLParser(**options)


def parse_bytes(data: bytes, path: str | Path = "<bytes>") -> etree._ElementTree:
    """Parse XML bytes safely; raise ``EditionError`` with file/line/col on any fault."""
    if not data.strip():
        raise EditionError(error("E001", "the file is empty", path, 1, 1,
                                 hint="a TEI file starts with <TEI xmlns=\"http://www.tei-c.org/ns/1.0\">"))
    match = _ENTITY_DECL.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        col = match.start() - (data.rfind(b"\n", 0, match.start()) + 1) + 1
        raise EditionError(error(
            "E003", "the document declares entities in a DTD; entity declarations are refused "
            "(external entities and entity expansion are a security risk)", path, line, col,
            hint="replace the entities by the characters they stand for and remove the DOCTYPE"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        if not re.match(rb"<\?xml[^>]*encoding=[\"'](?!utf-?8)", data[:200], re.IGNORECASE):
            raise EditionError(error(
                "E002", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", path, line, col,
                hint="save the file as UTF-8")) from None
    try:
        return etree.ElementTree(etree.fromstring(data, safe_parser(), base_url=str(path)))
    except etree.XMLSyntaxError as exc:
        if "already defined" in (exc.msg or ""):
            tree, exc = _with_duplicate_ids(data, path, exc)
            if tree is not None:
                return tree
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        message = exc.msg.split(", line ")[0] if exc.msg else str(exc)
        raise EditionError(error("E001", f"not well-formed XML: {message}", path, line, col,
                                 hint="fix the markup at this place", detail=str(exc))) from None


def _with_duplicate_ids(data: bytes, path, exc: etree.XMLSyntaxError):
    """(tree, None) when an xml:id used twice is the file's only fault, else (None, its real fault).

    libxml2 refuses an ID defined twice while parsing; that is a validation finding (E304 of
    ``edition validate``, with its own position and words), not bad XML. Recover mode keeps both
    ids and loads no DTD (``collect_ids=False`` would make libxml2 read an external DTD subset).
    """
    parser = safe_parser(recover=True)
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError:
        return None, exc
    faults = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    other = next((e for e in faults if e.type_name != "DTD_ID_REDEFINED"), None)
    if root is not None and other is None:
        return etree.ElementTree(root), None
    if other is None:
        return None, exc
    return None, etree.XMLSyntaxError(other.message, other.type, other.line, other.column, str(path))


def parse_file(path: str | Path) -> etree._ElementTree:
    """Read and parse one XML file safely (see ``parse_bytes``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EditionError(error("E000", f"cannot read the file: {exc.strerror}", path,
                                 hint="check the path and its permissions")) from None
    return parse_bytes(data, path)


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """Serialise a tree the same way every time: UTF-8, declaration, final newline."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    body = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def tei(tag: str) -> str:
    """The Clark name of a TEI element: ``tei('p')`` → ``{http://www.tei-c.org/ns/1.0}p``."""
    return f"{{{TEI_NS}}}{tag}"


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace ('' for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]   # as etree.QName(element).localname, without making a QName


def attributes(element: etree._Element) -> list[tuple[str, str]]:
    """Every (name, value) of an element's attributes (names in ``{ns}local`` form), in linear time.

    lxml's ``element.items()`` and ``.values()`` fetch each value by walking the attribute list
    again: quadratic, minutes for an element with 100,000 attributes. An XPath ``@*`` walks it
    once; each result knows its attribute's name.
    """
    return [(str(value.attrname), str(value)) for value in element.xpath("@*")]


def attributes_named(element: etree._Element, local: str) -> list[tuple[str, str]]:
    """The (name, value) of each attribute whose local name is ``local`` (any namespace), in one
    scan made by libxml2 (linear, where a Python loop over 100,000 attributes takes seconds)."""
    return [(str(value.attrname), str(value)) for value in element.xpath("@*[local-name() = $n]", n=local)]


def remove_keeping_tail(element: etree._Element) -> None:
    """Remove ``element`` from its parent, keeping the text that follows it (its tail: the space
    between its neighbours); nothing when it has no parent. lxml and lxml.html trees alike."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
