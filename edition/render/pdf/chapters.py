"""A book-length text's chapters: where its PDF starts a new page, and so where it is cut in pieces.

In: the print HTML tree of a book (``document.compose_book``) and the ``PdfOptions``. Out: the
text's top-level divisions (``chapters``), and, for a text longer than ``[pdf] chapters_from``
pages (estimated from its characters; 0: any text with chapters), those divisions marked to
start on a new page (``CHAPTER``, ``print.css``). The text's own PDF is then laid out in pieces
(``pieces``), and the volume's layout of the text breaks its pages alike.
"""

from __future__ import annotations

from edition.render.pdf.options import PdfOptions
from edition.render.pdf.printhtml import classes
from edition.tei.xmlio import TEI_NS

CHAPTER = "lk-chapter"     # a top-level division that starts a new page (and a piece)
CHARS_PER_PAGE = 2400      # a page of the book trim, roughly: to tell a book-length text


def _divisions(node) -> list:
    return [c for c in node if isinstance(c.tag, str) and c.tag in ("div", "section") and "div" in classes(c)]


def chapters(tree) -> list:
    """The text's top-level divisions: the first level, under single wrappers, with two or more."""
    texts = tree.xpath("//section[@data-text]")
    if len(texts) != 1:
        return []
    body = texts[0].xpath("./div[contains(concat(' ', @class, ' '), ' tei-text ')]"
                          "/div[contains(concat(' ', @class, ' '), ' body ')]")
    node = body[0] if body else None
    while node is not None:
        found = _divisions(node)
        if len(found) >= 2:
            return found
        node = found[0] if found else None
    return []


def mark_chapters(tree, options: PdfOptions) -> list:
    """Start each chapter of a book-length text on a new page; return the chapters (none: whole)."""
    found = chapters(tree)
    if not found:
        return []
    text = tree.xpath("//section[@data-text]")[0]
    if options.chapters_from and len(text.text_content()) / CHARS_PER_PAGE < options.chapters_from:
        return []
    for division in found[1:]:
        division.set("class", f"{division.get('class')} {CHAPTER}")
    return found


def is_chaptered(tree) -> bool:
    """True when ``mark_chapters`` marked the book's text (it is laid out in pieces)."""
    return bool(tree.xpath(f"//*[contains(concat(' ', @class, ' '), ' {CHAPTER} ')]"))


def likely_chaptered(document, options: PdfOptions) -> bool:
    """Whether ``mark_chapters`` will lay the text out in pieces, judged from its TEI alone (its
    body's top-level divisions, its length), before it is rendered: the build lays such a text
    out itself, its chapters in parallel and kept in the build's piece cache, rather than send it
    whole to one worker (``edition.render.pdf.render_pdfs``). A wrong guess costs time, not a page."""
    text = document.tree.find(f".//{{{TEI_NS}}}text")
    node, found = text.find(f"{{{TEI_NS}}}body") if text is not None else None, []
    while node is not None:
        divisions = [child for child in node if child.tag in (f"{{{TEI_NS}}}div", f"{{{TEI_NS}}}div1")]
        if len(divisions) >= 2:
            found = divisions
            break
        node = divisions[0] if divisions else None
    if not found:
        return False
    return not options.chapters_from or len("".join(text.itertext())) / CHARS_PER_PAGE >= options.chapters_from
