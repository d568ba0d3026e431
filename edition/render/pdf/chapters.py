"""A book-length text's chapters: where its PDF starts a new page, and so where it is cut in pieces.

In: the print HTML tree of a book (``document.compose_book``) and the ``PdfOptions``. Out: the
text's top-level divisions (``chapters``), and, for a text longer than ``[pdf] chapters_from``
pages (estimated from its characters; 0: any text with chapters), those divisions marked to
start on a new page (``CHAPTER``, ``print.css``). The text's own PDF is then laid out in pieces
(``pieces``), and the volume's layout of the text breaks its pages alike; ``estimated_pages``
guesses how many pages a chapter not laid out yet will take, from its first pass; ``piece_trees``
cuts the book's tree into one tree a chapter, each the book's shells around that chapter alone.
"""

from __future__ import annotations

import copy
import math
import statistics

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


def _lines_per_page(results) -> float:
    """The numbered lines of a full page: the median of the pages between a piece's first and last."""
    middle = [n for result in results for n in result.page_lines[1:-1] if n]
    return statistics.median(middle) if middle else 0.0


def estimated_pages(read, readings, pairs) -> int:
    """How many pages a chapter will take once laid out, from its first pass ``read`` (a
    ``PdfResult``, which prints no apparatus), the first passes of the others (``readings``) and
    ``pairs`` (first pass or None, layout) of the chapters laid out so far: the pages its lines
    fill at the laid-out chapters' lines per page (the apparatus at the foot takes the rest of
    each page), e.g. 97 lines read at 33 a page, 30 a page laid out: 3.3, so 4 pages, where its
    first pass took 3; else the first pass's pages grown as the laid-out chapters grew from
    theirs. Never fewer than the first pass took. A wrong guess costs a layout again, not a wrong
    page (``pieces``)."""
    before = _lines_per_page([read, *readings])
    after = _lines_per_page([laid for _, laid in pairs])
    if before and after and read.page_lines:
        filled = len(read.page_lines) - 1 + read.page_lines[-1] / before
        return max(read.pages, math.ceil(filled * before / after))
    grown = [(first.pages, laid.pages) for first, laid in pairs if first is not None]
    ratio = sum(laid for _, laid in grown) / sum(first for first, _ in grown) if grown else 1.0
    return max(read.pages, round(read.pages * ratio))


def _drop_around(keep, section, *, before: bool, after: bool) -> None:
    """Remove what precedes (``before``) or follows (``after``) ``keep`` up to the text's section."""
    node = keep
    while node is not section:
        parent = node.getparent()
        if before:
            for sibling in list(node.itersiblings(preceding=True)):
                parent.remove(sibling)
            if not (parent.text or "").strip():
                parent.text = None
        if after:
            for sibling in list(node.itersiblings()):
                parent.remove(sibling)
        node = parent


def piece_tree(tree, index: int):
    """The book's tree holding only chapter ``index`` (the first: with what precedes it; the
    last: with what follows it), in its ancestors' shells (no id, bookmark or page break)."""
    return _cut(copy.deepcopy(tree), index)


def _cut(piece, index: int):
    """``piece_tree`` of a copy of the book, cut in place: all but chapter ``index`` taken away."""
    found = chapters(piece)
    keep, section = found[index], piece.xpath("//section[@data-text]")[0]
    if index + 1 < len(found):   # what stands between two chapters goes with the one before
        following = found[index + 1]
        for sibling in [following, *following.itersiblings()]:
            sibling.getparent().remove(sibling)
        _drop_around(keep.getparent(), section, before=False, after=True)
    if index:
        _drop_around(keep, section, before=True, after=False)
        for shell in keep.iterancestors():
            if shell is section.getparent():
                break
            shell.attrib.pop("id", None)
            shell.set("style", "bookmark-level: none; break-before: auto")
    return piece


def piece_trees(tree) -> list:
    """``piece_tree`` of each chapter, each a copy of the book's skeleton (its chapters empty, made
    once) with its chapter: not of the whole book (150 copies of a 150-chapter book took ~20 s
    before its first chapter was laid out, in its own PDF and again in the volume)."""
    found = chapters(tree)
    held = []
    for div in found:
        shell = div.makeelement(div.tag, div.attrib)
        shell.tail = div.tail
        div.getparent().replace(div, shell)
        held.append((shell, div))
    try:
        skeleton = copy.deepcopy(tree)
    finally:
        for shell, div in held:
            shell.getparent().replace(shell, div)
    pieces = []
    for index, chapter in enumerate(found):
        piece = copy.deepcopy(skeleton)
        shell = chapters(piece)[index]
        shell.getparent().replace(shell, copy.deepcopy(chapter))   # the chapter with its tail, as the shell had
        pieces.append(_cut(piece, index))
    return pieces
