"""What stands apart from the printed text: witness paratext, and notes that no call points to.

In: a text's rendered HTML (``edition.render.html``: ``<div class="tei-text">`` with its
``front``, ``body`` and ``back``; a part only some witnesses have carries ``data-source``) and
the text's title. Out: the same HTML with the title page and every witness's own front and back
matter (an issue line, a standfirst, a byline, a publisher's boilerplate or credit: the
``front``/``back`` parts the TEI gives an ``@source``) taken out of the text and listed after it
under "Paratext of the witnesses" (``split_paratext`` gives the two apart, for the web page), each labelled with its witness, its place and what it is.

Nothing of the TEI is lost: the list is outside the numbered text (the line-keyed apparatus
numbers only ``.tei-text``), the title page's title is the text's heading already (it is
listed only when it reads otherwise), and parts of the front without ``@source`` (a foreword
that is part of the text) stay where they are.
"""

from __future__ import annotations

import re
from html import escape

from lxml import html as lxml_html

from edition.render.pdf.printhtml import classes

# What a title-page part is, in a reader's words (by the renderer's class: the TEI element).
KINDS = {"docImprint": "imprint", "byline": "byline", "argument": "summary", "docTitle": "title",
         "docAuthor": "author", "docDate": "date", "docEdition": "edition statement",
         "epigraph": "epigraph", "titlePart": "title"}
WHERE = {"front": "before the text", "back": "after the text"}


def _words(el) -> str:
    return " ".join(el.text_content().split())


def _lines(el) -> str:
    """The part's words, its paragraphs parted by " / " (as a title page is transcribed)."""
    blocks = [b for b in el if isinstance(b.tag, str) and b.tag in ("p", "div") and _words(b)]
    return " / ".join(_words(b) for b in blocks) if len(blocks) > 1 else _words(el)


def _kind(el) -> str:
    """What the part is: its label as the renderer gave it ("paratext (credit) of P"), else its element."""
    label = next((c for c in el if "div-label" in classes(c)), None)
    if label is not None:
        el.remove(label)
        words = _words(label)
        words = words.rsplit(" of ", 1)[0] if " of " in words else words
        match = re.fullmatch(r"paratext \((.+)\)", words)    # "paratext (credit)" → "credit"
        return match.group(1) if match else words
    return next((KINDS[c] for c in classes(el) if c in KINDS), "paratext")


def _parts(matter) -> list:
    """The parts of a front or back to set apart: sourced parts, and what a title page holds."""
    found = []
    for el in matter.iter():
        if not isinstance(el.tag, str) or el is matter:
            continue
        if any(a in found for a in el.iterancestors()):
            continue
        in_title_page = any("titlePage" in classes(a) for a in el.iterancestors())
        if el.get("data-source") is not None or (in_title_page and el.getparent() is not None
                                                  and "titlePage" in classes(el.getparent())):
            found.append(el)
    return found


def set_paratext_apart(body_html: str, title: str) -> str:
    """The text's HTML with its witness paratext listed after it (see the module docstring)."""
    body, listing = split_paratext(body_html, title)
    return body + listing


def split_paratext(body_html: str, title: str) -> tuple[str, str]:
    """(the text's HTML without its witness paratext, the list of it): the web page shows the
    list in a section of its own after the text, the PDF right after the text."""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    listed = []
    listed_ids: list[str] = []   # the ids of parts not listed (the title): kept as anchors
    for matter in root.xpath("//*[contains(concat(' ', @class, ' '), ' front ')"
                             " or contains(concat(' ', @class, ' '), ' back ')]"):
        where = WHERE["front" if "front" in classes(matter) else "back"]
        for part in _parts(matter):
            kind = _kind(part)
            words = _lines(part)
            # its ids go with it: links and the PDF's named destinations still find each passage
            ids = [el.get("id") for el in part.iter() if isinstance(el.tag, str) and el.get("id")]
            part.getparent().remove(part)
            if kind == "title" and words.casefold() == " ".join(title.split()).casefold():
                listed_ids.extend(ids)
                continue   # the text's heading says it
            sigla = (part.get("data-source") or "").split()
            place = "front" if "front" in classes(matter) else "back"
            listed.append((", ".join(sigla), where, kind, words, ids, " ".join(sigla), place))
        _drop_empty(matter)
    out = "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return (root.text or "") + out, _listing(listed, _anchors(listed_ids))


def _drop_empty(matter) -> None:
    """Remove title pages and front/back blocks left without any text; their ids stay where
    they stood, as empty anchors (a link or a citation of the title page still lands)."""
    for el in list(matter.iter()) + [matter]:
        if ("titlePage" in classes(el) or el is matter) and not _words(el) and el.getparent() is not None:
            ids = [d.get("id") for d in el.iter() if isinstance(d.tag, str) and d.get("id")]
            anchors = [lxml_html.fragment_fromstring(f'<span id="{escape(i)}"></span>') for i in ids]
            for anchor in anchors:
                el.addprevious(anchor)
            if anchors:
                anchors[-1].tail = (anchors[-1].tail or "") + (el.tail or "")
            elif el.tail and el.getprevious() is not None:
                el.getprevious().tail = (el.getprevious().tail or "") + el.tail
            elif el.tail:
                el.getparent().text = (el.getparent().text or "") + el.tail
            el.getparent().remove(el)


def _anchors(ids) -> str:
    return "".join(f'<span id="{escape(i)}"></span>' for i in ids)


def _listing(listed: list[tuple], anchors: str) -> str:
    """The list after the text; ``anchors`` hold the ids of what is not listed (the title)."""
    if not listed:
        return f'<div class="paratext-anchors">{anchors}</div>' if anchors else ""
    # data-source (the witnesses' ids), data-place and data-kind: the web page's side-by-side
    # view sets each part in its witness's column, before or after the text
    items = "".join(
        f'<li data-source="{escape(source)}" data-place="{place}" data-kind="{escape(kind)}">{_anchors(ids)}'
        f'<span class="paratext-where">{escape(siglum + ", " if siglum else "")}'
        f'{escape(where)}, {escape(kind)}:</span> <span class="paratext-words">{escape(words)}</span></li>'
        for siglum, where, kind, words, ids, source, place in listed)
    return (f'<section class="witness-paratext"><h2 class="paratext-head">{anchors}Paratext of the witnesses</h2>'
            '<p class="paratext-note">What a witness prints around the text (an issue line, a summary, '
            f'a byline, a credit) is not part of the edited text; it is given here.</p><ul>{items}</ul></section>')
