"""A cold keyed layout's first reading, estimated: the texts alone, on pages as tall as need be.

In: the print HTML tree of a book (its blocks keyed: ``printhtml.key_blocks``) and WeasyPrint's
``render``. Out: a seed for ``seed.seeded_layout`` (a ``Reading`` of the numbered lines and the
words to keep whole, ``hyphenruns``), or None where no estimate is to be trusted.

Without a seed, the keyed layout's first pass lays out the whole book (front matter, pages,
footnote areas, the variant map, running heads) only to read where its lines break. With line
numbers restarting per text, a lemma's number depends on line breaking alone, not on
pagination: so the texts alone (the same blocks, CSS, fonts, measure, hyphenation) are laid out
on pages of the book's width and a height no page needs, and read as the first pass would
read them. That reading is a seed like any other: the one full pass laid out from it is read
and checked (``seed``), so an estimate that is wrong costs a pass, never a wrong page.

What is laid out: the print HTML less what is neither a text's block nor around one (the front
matter, a text's title and variant map, a witness's paratext), which no selector of the print
stylesheet relates to a text's lines, and one ``@page`` size more: the book's width, ``TALL``
high. A word the layout would break into a third hyphenated line in a row is kept whole as in
the keyed layout (``hyphenruns``), and the texts laid out again, so that the seed carries the
words kept whole and its lines are the ones they make (``MAX_ROUNDS``, else no estimate).

Not estimated: lines numbered per page (their numbers depend on the pages), and texts whose
blocks carry their own style (a float, a width: lines beside it could break by the page).
"""

from __future__ import annotations

import re

import tinycss2
from lxml import etree
from lxml import html as lxml_html
from weasyprint.css.validation.properties import size as page_size

from edition.render.pdf.hyphenruns import ladder_fixes
from edition.render.pdf.linekeys import _apply_fixes, _serialize, read_layout
from edition.render.pdf.printhtml import KEY, classes, streams
from edition.tei.xmlio import remove_keeping_tail

TALL = "20000mm"        # a page no text fills: lines are broken as on the book's pages
MAX_ROUNDS = 3          # layouts of the estimate, each with the words kept whole found before
_SIZE = re.compile(r"@page\s*\{\s*size:\s*([^;}]+)")
# what a block's own style may say that makes its lines depend on the page
_PAGED = re.compile(r"\b(float|position|width|columns?|page|break-[a-z]+)\s*:")


def estimated_seed(tree, render, owners: dict[str, str], restart: str, first_line: int = 1):
    """The seed a cold layout starts from (module doc): ``(reading, fixes)``, or None.

    ``owners``: the numbered blocks (key → text id); ``restart`` and ``first_line`` as for
    ``linekeys.read_layout``; ``render`` takes ``counted=False`` (``layout.renderer``: these
    layouts are no pass of the book's progress). The layouts made here are let go before it returns."""
    if not owners or restart == "page":
        return None
    base = texts_alone(tree)
    if base is None:
        return None
    fixes: dict[str, str] = {}
    for _round in range(MAX_ROUNDS):
        current = lxml_html.document_fromstring(base)
        if fixes:
            _apply_fixes(current, fixes)
        found = streams(current)
        document = render(_serialize(current), counted=False)
        every = read_layout(document, {key: key for key in found}, found)   # every block: hyphen runs
        added = ladder_fixes(every, fixes)
        if not added:
            reading = read_layout(document, owners, found, restart, first_line)
            return reading, fixes
        fixes.update(added)
    return None


def texts_alone(tree) -> str | None:
    """The HTML of the book's texts alone on tall pages (module doc), or None when it cannot
    be made (no page size found, a block styled in the HTML)."""
    root = lxml_html.document_fromstring(lxml_html.tostring(tree, encoding="unicode"))
    width = _page_width(root)
    body = root.find("body")
    if width is None or body is None:
        return None
    keep: set = {body}
    for el in body.iter():
        if isinstance(el.tag, str) and ("tei-text" in classes(el) or el.get(KEY)):
            if el in keep:
                continue
            keep.update(el.iter())
            keep.update(el.iterancestors())
    if any(_PAGED.search(el.get("style") or "") for el in keep if isinstance(el.tag, str)):
        return None   # a float or a width of its own: lines beside it may break by the page
    for el in list(body.iter()):
        if el not in keep and el.getparent() is not None and el.getparent() in keep:
            remove_keeping_tail(el)
    style = etree.SubElement(root.find("head"), "style")
    style.text = f"@page {{ size: {width} {TALL}; }}"
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _page_width(root) -> str | None:
    """The width of the book's page, from the ``@page`` size the print HTML sets (CSS units)."""
    sizes = [m.group(1) for style in root.iter("style") for m in _SIZE.finditer(style.text or "")]
    if not sizes:
        return None
    tokens = [t for t in tinycss2.parse_component_value_list(sizes[-1]) if t.type != "whitespace"]
    try:
        width = page_size(tokens)
    except Exception:   # noqa: BLE001 (WeasyPrint's validator raises its own kinds)
        return None
    if not width:
        return None
    return f"{width[0].value}{width[0].unit}"
