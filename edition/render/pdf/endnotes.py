"""Notes that no reference calls, printed after their text as endnotes.

In: a text's ``RenderedText`` (its notes list, ``edition.render.html``) and its ``Document``.
Out: the HTML of a "Notes" section holding every note without a call (``listNote``, a note
between blocks, in a ``listApp``), grouped by the division of the TEI it stands in (its
heading), in the flow of the page: a footnote float would need a call and overflow the foot of
the page (they were cut off after a few, or spread one a page).
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree
from lxml import html as lxml_html

from edition.tei.text import plain_text

_TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}
SECTION_HEAD = "Notes"


def _says(heading: str, other: str) -> bool:
    """The two headings are the same words (case and punctuation aside)."""
    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.casefold())
    return words(heading) == words(other)


def unreferenced_notes(rendered, document) -> str:
    """Notes that no reference calls (so no footnote holds them), printed after the text as
    endnotes: all of them, grouped by the division of the TEI they stand in (its heading), in
    the flow of the page (a footnote float would need a call and overflow the foot)."""
    if not rendered.notes_html.strip():
        return ""
    listed = lxml_html.fragment_fromstring(rendered.notes_html, create_parent="div")
    # a note called from the text has a link back to its reference; these have none
    items = [li for li in listed.iter("li") if "note" in (li.get("class") or "").split()
             and not li.xpath(".//a[contains(concat(' ', @class, ' '), ' backref ')]")]
    if not items:
        return ""
    sections: dict[str, list[str]] = {}
    where = _note_sections(document)
    for li in items:
        named = "named" in (li.get("class") or "").split()
        li.set("class", "endnote")
        label = li.find("span")
        if label is not None and "note-label" in (label.get("class") or ""):
            if named and label.text:
                # a note named by what it is ("Translator’s note") heads its own words, run in
                label.set("class", "endnote-label")
                label.text = label.text.rstrip(".") + "."
                li.set("class", "endnote named")
            else:
                label.set("class", "en-label")
        sections.setdefault(where.get(li.get("id") or "", ""), []).append(
            lxml_html.tostring(li, encoding="unicode"))
    parts = [f'<section class="div endnotes"><h2>{SECTION_HEAD}</h2>']
    for heading, notes in sections.items():
        if heading and not _says(heading, SECTION_HEAD):   # "NOTES:" under "Notes": said once
            parts.append(f'<h3 class="endnotes-head">{escape(heading)}</h3>')
        parts.append(f'<ol class="endnotes-list">{"".join(notes)}</ol>')
    parts.append("</section>")
    return "".join(parts)


def _note_sections(document) -> dict[str, str]:
    """Note id (as the renderer names it: the xml:id, else ``note:N``) → the heading of the
    division it stands in (or of the part: front, body, back)."""
    found: dict[str, str] = {}
    parts = {"front": "Front matter", "body": "", "back": "Back matter"}
    for n, note in enumerate(document.xpath("//tei:text//tei:note"), 1):
        heading = ""
        for ancestor in note.iterancestors():
            name = etree.QName(ancestor).localname if isinstance(ancestor.tag, str) else ""
            head = ancestor.xpath("tei:head", namespaces=_TEI_NS) if name.startswith("div") else []
            if head:
                heading = plain_text(head[0])
                break
            if name in parts:
                heading = parts[name]
                break
        found[note.get("{http://www.w3.org/XML/1998/namespace}id") or f"note:{n}"] = heading
    return found
