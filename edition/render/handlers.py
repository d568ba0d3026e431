"""The elements that need code to render: ``note``, ``table``, ``choice``, ``gap`` (and, in their
own modules, ``app`` in ``edition.render.variation`` and ``surplus`` in ``edition.render.setaside``).

In: a TEI element met by ``edition.render.html.HtmlRenderer`` (passed as ``r``) with the
renderer's current mode. Out: HTML appended to ``out``; notes and apparatus entries are
gathered on the way (``NoteIndex``, ``Apparatus``) and listed after the text. The HTML each
produces is described in the docstring of ``edition.render.html``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from lxml import etree

from edition.render.rendered import Mode
from edition.tei.numbering import (
    NOTES_DIVS,  # one list, shared with the paragraph numbering
)
from edition.tei.text import plain_text, sigla
from edition.tei.vocabulary import (
    CHOICE_SHOWN,
    LISTS_OF_ENTITIES,
    NOTE_FREE_PARENTS,
    NOTE_PLACES_IN_TEXT,
)
from edition.tei.xmlio import XML_ID, local_name


def _opens_with_label(note: etree._Element, label: str) -> bool:
    """True when the note's text starts with its number as the source wrote it: ``(8)``, ``8.``, ``[8]``."""
    text = "".join(note.itertext()).lstrip()
    return bool(label) and re.match(rf"[(\[]?{re.escape(label)}[)\].]", text) is not None


class NoteIndex:
    """The notes of a text: which are referenced from where, in what order to list them."""

    def __init__(self, r):
        self.r = r
        self.id_of: dict[etree._Element, str] = {}
        self.by_id: dict[str, etree._Element] = {}
        self.refs: dict[str, list[tuple[str, bool]]] = {}   # note id → [(ref id, uncertain)]
        self.listed: list[str] = []
        self.shown_in_place: list[str] = []   # notes printed where they stand (``in_place``)
        self.detached: set[str] = set()
        self.anchors: dict[str, str] = {}
        self._auto = 0
        self._auto_labels: dict[str, str] = {}
        for n, note in enumerate(r.doc.xpath("//tei:text//tei:note"), 1):
            nid = note.get(XML_ID) or f"note:{n}"
            self.id_of[note] = nid
            self.by_id[nid] = note
            parent = note.getparent()
            if local_name(parent) in ("div", "listNote") and (parent.get("type") or "").lower() in NOTES_DIVS:
                self.detached.add(nid)
            elif local_name(parent) in NOTE_FREE_PARENTS and not in_place(note):
                # a note between blocks or in a list of notes has no sentence to call it from:
                # it is listed with the notes (an endnote), not called from a lone mark
                self.detached.add(nid)
            for pointer in sigla(note.get("corresp")) + sigla(note.get("target")):
                target = r.by_id.get(pointer)
                if target is not None and local_name(target) == "anchor":
                    self.anchors[pointer] = nid
                    self.detached.add(nid)
        self.calls: dict[str, list[etree._Element]] = {}   # note id → the refs that call it, in order
        for ref in r.doc.xpath("//tei:text//tei:ref[@target] | //tei:text//tei:ptr[@target]"):
            first = (ref.get("target") or "").split()
            if first and first[0].startswith("#") and first[0][1:] in self.by_id:
                self.detached.add(first[0][1:])
                self.calls.setdefault(first[0][1:], []).append(ref)

    def is_note(self, xid: str) -> bool:
        """True when ``xid`` names a note of the text."""
        return xid in self.by_id

    def anchored(self, anchor_id: str) -> str | None:
        """The note attached to this anchor (``note/@corresp`` or ``@target``), if any."""
        return self.anchors.get(anchor_id)

    def _label(self, nid: str) -> str:
        note = self.by_id[nid]
        if note.get("n"):
            return note.get("n")
        if nid in self.detached and not self.calls.get(nid) and nid not in self.anchors.values():
            # called from nowhere: named by what it is, never numbered like a called note
            return uncalled_label(note)
        if nid not in self._auto_labels:
            self._auto += 1
            self._auto_labels[nid] = str(self._auto)
        return self._auto_labels[nid]

    def reference(self, el: etree._Element, nid: str, out: list[str], mode, label_html: str | None = None) -> None:
        """A link to note ``nid`` from ``el`` (a ``ref``, ``ptr``, ``anchor`` or the note itself)."""
        r = self.r
        uncertain = el.get("cert") in ("low", "unknown") and local_name(el) != "note"
        cls = "noteref uncertain" if uncertain else "noteref"
        title = ("The link between this reference and the note is uncertain"
                 + (f" ({el.get('cert')} certainty)" if el.get("cert") else "")) if uncertain else None
        ref_id = None
        if mode.ids:
            ref_id = (r.claim_id(el, mode) if local_name(el) != "note" else None) or r.make_id("ref")
            self.refs.setdefault(nid, []).append((ref_id, uncertain))
            if nid not in self.listed:
                self.listed.append(nid)
        tag = "span" if mode.in_link else "a"
        href = "" if mode.in_link else f' href="#{escape(nid)}"'
        out.append(f"<{tag}{r.attrs(None, mode, cls, id_=ref_id or '', title=title)}{href}>")
        if label_html is not None:
            out.append(label_html)
        elif local_name(el) == "ref" and (el.text or len(el)):
            r.render_children(el, out, replace(mode, phrasing=True, in_link=True))
        else:
            out.append(f'<sup data-pagefind-ignore="">{escape(self._label(nid))}</sup>')
        out.append(f"</{tag}>")
        if r.ctx.notes == "inline" and mode.ids:
            # every call has its note at the foot of its own page; the note's id goes with the
            # first call whose link is sure (the note is that call's), the others are copies
            note = self.by_id[nid]
            primary = self._primary_call(nid)
            own = el is primary or (primary is None and len(self.refs[nid]) == 1)
            copy_mode = replace(mode, phrasing=True, numbered=False, ids=own)
            out.append(f'<span class="note{"" if own else " repeat"}"{f" id={chr(34)}{escape(nid)}{chr(34)}" if own else ""}'
                       f' data-n="{escape(self._label(nid))}">')
            r.render_children(note, out, copy_mode)
            out.append("</span>")

    def _primary_call(self, nid: str) -> etree._Element | None:
        """The call a note belongs to: the first whose link is not uncertain, else the first."""
        calls = self.calls.get(nid, [])
        sure = [c for c in calls if c.get("cert") not in ("low", "unknown")]
        return (sure or calls or [None])[0]

    def list_from(self, note: etree._Element, place_id: str | None) -> None:
        """List a note read elsewhere (in an apparatus entry), linking back to ``place_id``."""
        nid = self.id_of.get(note)
        if nid is not None and nid not in self.listed:
            self.listed.append(nid)
            if place_id:
                self.refs.setdefault(nid, []).append((place_id, False))

    def render_list(self) -> str:
        """The notes as ``<li>`` items in order of first reference, then unreferenced ones."""
        for nid in self.by_id:
            if nid in self.detached and nid not in self.listed:
                self.listed.append(nid)
        if self.listed and all(nid in self.detached for nid in self.listed):
            # the source's own endnotes (a notes division …) keep its order, not that of first reference
            order = {nid: k for k, nid in enumerate(self.by_id)}
            self.listed.sort(key=order.__getitem__)
        out: list[str] = []
        i = 0
        while i < len(self.listed):   # rendering a note may list further (nested) notes
            nid = self.listed[i]
            i += 1
            note = self.by_id[nid]
            refs = self.refs.get(nid, [])
            inline_copy = self.r.ctx.notes == "inline" and refs
            label = self._label(nid)
            # a note that opens with its own number, "(8) …" as the source printed it, shows that
            # number once: the label column stays (empty) so the notes line up
            shown = "" if _opens_with_label(note, label) else escape(label)
            named = not label.isdigit() and label == uncalled_label(note)   # "Translator’s note"
            out.append(f'<li class="note{" named" if named else ""}"{"" if inline_copy else f" id={chr(34)}{escape(nid)}{chr(34)}"}'
                       f' data-n="{escape(label)}"><span class="note-label">{shown}</span> '
                       f'<div class="note-body">')
            self.r.render_children(note, out, Mode(numbered=False, ids=not inline_copy))
            out.append("</div>")
            if refs and all(uncertain for _, uncertain in refs):
                out.append('<span class="cert-low">The link of this note to the text is uncertain.</span>')
            out.append('<span class="backrefs">')
            for k, (ref_id, uncertain) in enumerate(refs, 1):
                doubt = " (an uncertain link)" if uncertain else ""
                out.append(f'<a class="backref{" uncertain" if uncertain else ""}" href="#{escape(ref_id)}" '
                           f'aria-label="Back to reference {k} in the text{doubt}">↑{"?" if uncertain else ""}</a>')
            out.append("</span>")
            out.append("</li>\n")
        return "".join(out)


def margin_side(note: etree._Element) -> str | None:
    """``left`` or ``right`` for a note the TEI places in a margin (``@place`` ``margin``,
    ``margin-left``, ``margin-right``, ``left``, ``right``, ``margin-outer`` …), else None."""
    place = (note.get("place") or "").lower()
    words = set(place.replace("_", "-").replace("-", " ").split())
    if words & {"top", "bottom", "foot", "head", "end"}:
        return None   # the head or foot of the page (bottom_outer …): a footnote, not a side note
    if not (place.startswith("margin") or words & {"left", "right", "outer", "inner"}):
        return None
    return "right" if "right" in words else "left"


def in_place(note: etree._Element) -> bool:
    """True for a note printed where it stands: ``@place`` inline or display, a margin note
    (beside its line), or a note that is part of a register's entry (a person's, a witness's
    description), where a book prints it."""
    if (note.get("place") or "") in NOTE_PLACES_IN_TEXT or margin_side(note):
        return True
    return any(isinstance(a.tag, str) and local_name(a) in LISTS_OF_ENTITIES - {"listApp"}
               for a in note.iterancestors())


NOTE_KINDS = {"translator": "Translator’s note", "editorial": "Editors’ note", "editor": "Editors’ note",
              "author": "Author’s note", "publisher": "Publisher’s note"}


def uncalled_label(note: etree._Element) -> str:
    """What a note that no call points to is, by its ``@type`` (``translator`` → "Translator’s note")."""
    kind = (note.get("type") or "").lower()
    return NOTE_KINDS.get(kind, f"{kind[:1].upper()}{kind[1:]} note" if kind and kind != "endnote" else "Note")


def render_note(r, el, out, mode, rule) -> None:
    """A note met in the text: nothing if listed elsewhere, its text where it stands (``in_place``),
    else a numbered reference to it."""
    nid = r.notes.id_of.get(el)
    if nid is None:   # a note outside <text> (never walked) or made on the fly
        return
    if nid in r.notes.detached:
        return
    side = margin_side(el)
    if side:   # beside its line: in the margin of the page (print), a side note (web)
        tag = "span" if mode.phrasing else "div"
        out.append(f"<{tag}{r.attrs(el, mode, 'note-in-place margin-note', data_place=el.get('place'), data_side=side)}>")
        # spaces inside: its words never run into the line's in a copy or a search index
        out.append(" ")
        r.render_children(el, out, replace(mode, phrasing=True, numbered=False))
        out.append(f" </{tag}>")
        if mode.ids:
            r.notes.shown_in_place.append(nid)
        return
    if in_place(el):
        block = el.get("place") == "display" and not mode.phrasing
        tag = "div" if block else "span"
        out.append(f"<{tag}{r.attrs(el, mode, 'note-in-place', data_place=el.get('place'))}>")
        if not block and el.get("place") == "inline":
            out.append(" (")   # a note in the line is not the line's words: set it apart, as TEI XSL does
        r.render_children(el, out, replace(mode, phrasing=not block, numbered=False))
        if not block and el.get("place") == "inline":
            out.append(")")
        out.append(f"</{tag}>")
        if mode.ids:
            r.notes.shown_in_place.append(nid)
        return
    r.notes.reference(el, nid, out, mode)


def render_table(r, el, out, mode, rule) -> None:
    """``table``/``row``/``cell`` → an HTML table (spans with table display inside a phrase)."""
    inline = mode.phrasing
    t, tr, cap = ("span", "span", "span") if inline else ("table", "tr", "caption")
    out.append(f"<{t}{r.attrs(el, mode, 'table')}>")
    inner = replace(mode, numbered=False, phrasing=inline)
    for head in (c for c in el if isinstance(c.tag, str) and local_name(c) == "head"):
        out.append(f"<{cap}{r.attrs(head, mode, 'caption')}>")
        r.render_children(head, out, replace(inner, phrasing=True))
        out.append(f"</{cap}>\n")
    if not inline:
        out.append("<tbody>")
    for row in el:
        if not isinstance(row.tag, str) or local_name(row) == "head":
            continue
        if local_name(row) != "row":
            r.render(row, out, replace(inner, phrasing=True)) if inline else None
            continue
        out.append(f"<{tr}{r.attrs(row, mode, 'row')}>")
        for cell in row:
            if not isinstance(cell.tag, str):
                continue
            label = "label" in (cell.get("role"), row.get("role"))
            td = "span" if inline else ("th" if label else "td")
            out.append(f"<{td}{r.attrs(cell, mode, 'cell', colspan=None if inline else cell.get('cols'), rowspan=None if inline else cell.get('rows'))}>")
            r.render_children(cell, out, inner)
            out.append(f"</{td}>\n")
        out.append(f"</{tr}>\n")
    if not inline:
        out.append("</tbody>")
    out.append(f"</{t}>")




def render_choice(r, el, out, mode, rule) -> None:
    """Show the editorial form (corr, reg, expan); keep the other in the title and, hidden, in the text."""
    options = [c for c in el if isinstance(c.tag, str)]
    if not options:
        r.render_children(el, out, mode)
        return
    shown = next((c for c in options if local_name(c) in CHOICE_SHOWN), options[0])
    others = [c for c in options if c is not shown]
    title = "; ".join(f"{local_name(o)}: {plain_text(o)}" for o in others) or None
    out.append(f"<span{r.attrs(el, mode, 'choice', title=title)}>")
    inner = replace(mode, phrasing=True)
    out.append(f"<span{r.attrs(shown, mode, local_name(shown) + ' ' + _resp_class(shown))}>")
    r.render_children(shown, out, inner)
    out.append("</span>")
    for other in others:
        out.append(f"<span{r.attrs(other, mode, 'alt ' + local_name(other), data_pagefind_ignore='')}>")
        r.render_children(other, out, inner)
        out.append("</span>")
    out.append("</span>")


def _resp_class(el: etree._Element) -> str:
    resp = (el.get("resp") or "").lstrip("#")
    return {"ed": "editorial", "translator": "translator"}.get(resp, "")


def render_gap(r, el, out, mode, rule) -> None:
    """A gap as ``[…]``, its reason and extent in the title."""
    bits = [f"reason: {el.get('reason')}" if el.get("reason") else None,
            " ".join(filter(None, [el.get("quantity"), el.get("unit")])) or el.get("extent"),
            plain_text(el) or None]
    title = "Gap in the source" + (f" ({'; '.join(b for b in bits if b)})" if any(bits) else "")
    out.append(f"<abbr{r.attrs(el, mode, 'gap', title=title)}>[…]</abbr>")
