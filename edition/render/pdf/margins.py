"""Margin notes in print: each beside its line, notes close to each other in one box.

In: the HTML of a text (the shared renderer's; a margin note is ``.margin-note``, a ``<div>``
between blocks, a ``<span>`` in a line: ``edition.render.handlers``). Out: the same HTML where
each ``div.margin-note`` is moved, as a ``span``, to the start of the first line of text after
it (its place: beside that line), and a margin note that follows another within ``NEAR``
characters of text is moved into it. The print CSS sets a margin note in the margin with
``position: absolute`` at the height of its line; boxes set so never push each other down, so
two notes on one line (or on lines next to each other) would be printed over each other.
"""

from __future__ import annotations

from lxml import html as lxml_html

from edition.render.pdf.printhtml import classes, is_hidden

NEAR = 80   # characters of text: about a printed line
_LINE_HOLDERS = frozenset({"p", "li", "td", "th", "dd", "dt", "h2", "h3", "h4", "h5", "h6"})
_NOTES = "//*[contains(concat(' ', @class, ' '), ' margin-note ')]"


def margin_notes_in_line(body_html: str) -> str:
    """``body_html`` with the margin notes placed and gathered (module doc)."""
    if "margin-note" not in body_html:
        return body_html
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for note in root.xpath(_NOTES):
        if note.tag == "div":
            target = _first_line_after(note)
            if target is not None:
                _take_out(note)
                note.tag = "span"
                note.tail, target.text = target.text, None
                target.insert(0, note)
    _gather(root)
    return (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _gather(root) -> None:
    """Move each margin note that stands within ``NEAR`` characters after the previous one (in
    the same block) into it."""
    previous, since, block = None, 0, None
    for event, el in list(_text_events(root)):   # read first: notes are moved on the way
        if event == "note":
            here = _block_of(el)
            if previous is not None and here is block and since < NEAR:
                _take_out(el)
                el.tail = None
                previous.append(el)
            else:
                previous, block = el, here
            since = 0
        else:
            since += len(el)


def _text_events(root):
    """("note", element) for each top-level margin note and ("text", string) for the printed text
    between them, in document order."""
    def walk(el):
        for child in el:
            if not isinstance(child.tag, str):
                yield "text", child.tail or ""
                continue
            if "margin-note" in classes(child):
                yield "note", child
            elif not is_hidden(child):
                yield "text", child.text or ""
                yield from walk(child)
            yield "text", child.tail or ""
    yield from walk(root)


def _block_of(el):
    while el is not None and not (el.tag in _LINE_HOLDERS or {"l", "p"} & classes(el)):
        el = el.getparent()
    return el


def _first_line_after(note):
    """The first block after ``note`` that holds a line of text (a paragraph, a verse line …)."""
    following = note.getnext()
    while following is not None:
        for el in following.iter():
            if isinstance(el.tag, str) and (el.tag in _LINE_HOLDERS or {"l", "p"} & classes(el)) \
                    and "margin-note" not in classes(el):
                return el
        following = following.getnext()
    return None


def _take_out(el) -> None:
    parent, previous, tail = el.getparent(), el.getprevious(), el.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    el.tail = None
    parent.remove(el)
