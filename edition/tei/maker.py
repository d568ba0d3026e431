"""Building TEI trees: an element maker bound to the TEI namespace, and indentation.

In: Python calls. Out: lxml elements in the TEI namespace, and trees indented only where
whitespace does not matter (element-only content), so mixed content such as ``<p>`` text
with ``<lb/>`` is never changed by pretty-printing.
"""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from edition.tei.xmlio import NSMAP, TEI_NS, XML_ID, local_name

E = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})

# Elements whose content is text (mixed); their inside is never re-indented.
MIXED = {
    "p", "head", "note", "l", "item", "cell", "title", "author", "editor", "resp", "name",
    "persName", "date", "publisher", "pubPlace", "idno", "bibl", "licence", "change", "label",
    "lem", "rdg", "ab", "quote", "q", "hi", "ref", "add", "del", "sic", "corr", "orig", "reg",
    "abbr", "expan", "seg", "salute", "signed", "dateline", "trailer", "byline", "docTitle",
    "titlePart", "docAuthor", "docDate", "docImprint", "docEdition", "edition", "distributor", "authority", "availability",
    "language", "witness", "catDesc", "desc", "num", "foreign", "emph", "term", "w", "pc",
    "closer", "opener", "span", "interp", "addrLine", "measure", "orgName", "placeName",
}


def set_id(element: etree._Element, value: str) -> etree._Element:
    """Set ``xml:id`` and return the element (for chaining in builders)."""
    element.set(XML_ID, value)
    return element


def indent(root: etree._Element, space: str = "  ") -> etree._Element:
    """Indent element-only content in place; leave mixed content exactly as it is."""

    def visit(element: etree._Element, level: int) -> None:
        children = list(element)
        if not children or local_name(element) in MIXED or _has_text(element):
            return
        pad = "\n" + space * (level + 1)
        element.text = pad
        for child in children:
            visit(child, level + 1)
            child.tail = pad
        children[-1].tail = "\n" + space * level

    visit(root, 0)
    return root


def _has_text(element: etree._Element) -> bool:
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def xpath(node: etree._Element, expr: str):
    """XPath with the ``tei:`` prefix bound."""
    return node.xpath(expr, namespaces=NSMAP)
