"""The print HTML as WeasyPrint's own parser would build it, built without that parser.

In: a print HTML string, as ``linekeys`` serializes the print HTML tree with lxml for every
layout pass. Out: the ``weasyprint.HTML`` that ``weasyprint.HTML(string=...)`` would give: the
same ElementTree, made with lxml's parser (in C: a few ms) instead of tinyhtml5 (an HTML5
parser in pure Python: ~0.25 s for a 12-page text, in every pass); or None where the two
parsers may build different trees, and the caller lets WeasyPrint parse the string.

The trees agree where the markup is already what HTML5's tree construction would build, which
is what a serializer writes from a tree nested as HTML allows: that is checked, not assumed.
The string must be lxml's serialization of the very tree lxml reads back from it (else lxml
mended something), with none of the markup HTML5 rebuilds or reads otherwise: a block in a
``<p>``, a link in a link, a heading in a heading, list items and definitions out of their
lists, tables, forms, raw or escapable text other than ``style`` and ``title``, comments,
carriage returns, namespaced attribute names. SVG (foreign content: namespaced tags, attribute
names in camel case) is parsed by tinyhtml5 itself, element by element; the white space before
``<head>`` and after ``</body>`` is placed where HTML5 places it. ``ParsedHTML`` sets what
``weasyprint.HTML.__init__`` sets after parsing, in the WeasyPrint version pinned (``footnotes``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import cssselect2
import tinyhtml5
import weasyprint
from lxml import etree
from lxml import html as lxml_html
from weasyprint.urls import URLFetcher, ensure_url

# Tags HTML5 builds as written when they are nested as HTML allows (checked below).
SAFE_TAGS = frozenset({
    "html", "head", "body", "meta", "link", "style", "title", "base",
    "div", "section", "nav", "header", "footer", "main", "article", "aside", "figure", "figcaption",
    "blockquote", "address", "hgroup", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
    "dd", "hr", "br", "wbr", "img", "span", "a", "b", "i", "em", "strong", "sup", "sub", "small", "abbr", "cite",
    "q", "dfn", "code", "kbd", "samp", "var", "mark", "s", "u", "bdi", "bdo", "data", "time", "del", "ins",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "svg",
})
# Start tags that close an open ``<p>`` in HTML5 (a ``<p>`` holding one is rebuilt).
CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section", "summary",
    "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "plaintext", "table", "hr", "xmp",
    "li", "dd", "dt",
})
HEAD_TAGS = frozenset({"meta", "link", "style", "title", "base"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARENTS = {"li": ("ul", "ol", "menu"), "dt": ("dl",), "dd": ("dl",), "caption": ("table",), "thead": ("table",),
            "tbody": ("table",), "tfoot": ("table",), "tr": ("thead", "tbody", "tfoot"), "td": ("tr",), "th": ("tr",)}
# A table is built as written when each part holds only the parts HTML5 expects there, and no
# text but white space between them (else HTML5 adds a ``<tbody>`` or moves the text out).
_TABLE_PARTS = {"table": ("caption", "thead", "tbody", "tfoot"), "thead": ("tr",), "tbody": ("tr",),
                "tfoot": ("tr",), "tr": ("td", "th")}


def _as_written(child, parent_tag: str, inside: frozenset) -> bool:
    """HTML5 reads the child's start tag where the serializer put it (``inside``: the tags of
    its ancestors that would close or move it)."""
    tag = child.tag
    # (an attribute named as its value may be one lxml writes bare and HTML5 reads as empty)
    if tag not in SAFE_TAGS or any(":" in name or name == value for name, value in child.attrib.items()):
        return False
    if parent_tag == "head" and (tag not in HEAD_TAGS or not _blank(child.tail)):
        return False   # HTML5 ends the head before anything else
    if tag in _PARENTS and parent_tag not in _PARENTS[tag]:
        return False
    return not (("p" in inside and tag in CLOSES_P) or ("a" in inside and tag == "a")
                or ("h" in inside and tag in HEADINGS))


def _svg(element) -> ET.Element | None:
    """An SVG element as tinyhtml5 builds it (foreign content), its tail left to the caller;
    None if HTML markup in it breaks out of it (it would not be one element)."""
    markup = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    body = tinyhtml5.parse(f"<!DOCTYPE html><html><head></head><body>{markup}</body></html>",
                           namespace_html_elements=False).find("body")
    return body[0] if len(body) == 1 and not body.text and not body[0].tail else None


def _table_part(element) -> bool:
    parts = _TABLE_PARTS[element.tag]
    return _blank(element.text) and all(child.tag in parts and _blank(child.tail) for child in element) \
        and all(child.tag != "caption" for child in element[1:])


def _convert(element, inside: frozenset = frozenset()) -> ET.Element | None:
    """The element and its descendants as ElementTree elements; None if HTML5 may differ."""
    if element.tag == "svg":
        return _svg(element)
    tag = element.tag
    if tag in _TABLE_PARTS and not _table_part(element):
        return None
    out = ET.Element(tag, dict(element.attrib))
    out.text = element.text
    mark = "h" if tag in HEADINGS else tag
    within = inside | {mark} if mark in ("p", "a", "h") and mark not in inside else inside
    for child in element:
        if not isinstance(child.tag, str) or not _as_written(child, tag, within):
            return None
        converted = _convert(child, within)
        if converted is None:
            return None
        converted.tail = child.tail
        out.append(converted)
    return out


def _blank(text: str | None) -> bool:
    return not text or not text.strip(" \t\n\f")


def html5_tree(html: str) -> ET.Element | None:
    """The ElementTree tinyhtml5 builds from ``html`` (module doc), or None if not sure."""
    if "\r" in html or "\x00" in html or "<!--" in html or not html.startswith("<!DOCTYPE html>"):
        return None
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    if lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") != html:
        return None   # lxml read it otherwise than it was written
    head, body = root.find("head"), root.find("body")
    if root.tag != "html" or len(root) != 2 or head is None or body is None or root[0] is not head \
            or not _blank(root.text) or not _blank(head.tail) or not _blank(body.tail) or not _blank(root.tail):
        return None
    tree = _convert(root) if _blank(head.text) else None
    if tree is None:
        return None
    tree.text = None   # HTML5 drops the white space before <head>
    # and adds the white space after </body> to the body's end
    after = (body.tail or "") + (root.tail or "")
    built = tree.find("body")
    built.tail = None
    if after:
        if len(built):
            built[-1].tail = (built[-1].tail or "") + after
        else:
            built.text = (built.text or "") + after
    return tree


class ParsedHTML(weasyprint.HTML):
    """``weasyprint.HTML(string=html, base_url=...)`` from a tree already built (``html5_tree``)."""

    def __init__(self, tree: ET.Element, base_url: str):
        self.base_url = weasyprint._find_base_url(tree, ensure_url(base_url))
        self.url_fetcher = URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def parsed_html(html: str, base_url: str) -> weasyprint.HTML:
    """WeasyPrint's document of the HTML string: from ``html5_tree`` when it is sure, else parsed."""
    tree = html5_tree(html)
    if tree is None:
        return weasyprint.HTML(string=html, base_url=base_url)
    return ParsedHTML(tree, base_url)
