"""Where a piece of a book laid out apart starts: its first page number and side, the blank verso.

In: a ``PrintBook`` (one piece: the volume's front matter or a text, a text's chapter) and the
page number it starts on. Out: the book's HTML numbering its pages from there, its first page a
left-hand page when the number is even; and the book whose second page is the blank verso put
before a piece that must open on a recto (``assemble``), which carries the TEI files to attach.
"""

from __future__ import annotations

from lxml import html as lxml_html

from edition.render.pdf.bookparts import BookParts
from edition.render.pdf.document import PrintBook, compose_book

TEXT_FIRST = 1   # the first text's first page: arabic 1, after front matter numbered in roman (print.css)


def recto(page: int) -> int:
    """The first odd page number from ``page`` on: where a text opens."""
    return page if page % 2 else page + 1


def number_from(book: PrintBook, first: int) -> None:
    """Number the book's pages from ``first``; an even ``first`` is a left-hand page (a chapter
    that opens on a verso), whatever breaks the book's HTML asks for on its first page."""
    style = next(iter(book.tree.xpath("//style[@data-first-page]")), None)
    if style is None:
        style = lxml_html.Element("style")
        style.set("data-first-page", "")
        book.tree.head.append(style)
    style.text = f"@page :first {{ counter-reset: page {first}; }}"
    if not first % 2:
        style.text += " html { break-before: left; }"   # WeasyPrint: the root's break sets the first side


def blank_book(parts: BookParts) -> PrintBook:
    """Three pages whose second is the pieces' blank verso (same page size, press marks); it
    carries the TEI files to attach (``assemble``)."""
    book = compose_book(parts, volume=True, front=False, texts=[])
    for k in range(2):
        leaf = lxml_html.Element("div")
        if k:
            leaf.set("style", "break-before: right")
        book.tree.body.append(leaf)
    return book
