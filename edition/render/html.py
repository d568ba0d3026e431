"""TEI → HTML: the one renderer of a text's content, shared by the web edition and the PDF.

In: a ``Document`` (any TEI P5 file) and a ``RenderContext``. Out: a ``RenderedText`` with the
HTML of the text (``body``), its notes and apparatus, its table of contents and the
diagnostics. Which element renders how is the table in ``edition.render.behaviours``; the
few elements needing code (``app``, ``note``, ``table``, ``choice``, ``gap``) are handled in
``edition.render.handlers``; the behaviours that are the renderer's own methods (blocks,
divisions, headings, paragraphs, links, breaks) are in ``edition.render.elements``. An unknown
element renders its content and warns (W601).

Stable API::

    render_text(document, context=None) -> RenderedText   # body + notes + apparatus + toc …

The HTML contract (the PDF's print CSS and the citation tools rely on it):

- Every TEI element with an ``xml:id`` keeps it as ``id`` (``<p id="q12.p3" …>``); ids the
  renderer makes up itself contain a colon (``note:4``, ``apparatus:q1.p2.a3``), which an
  ``xml:id`` cannot, so they never clash.
- The fragment is ``<div class="tei-text" lang="…">`` holding the text's front, body and back.
- Divisions are ``<section class="div" data-type="…">`` (``<div>`` when headless); their heads
  are ``<h2>`` (top level), ``<h3>``, ``<h4>`` …; a division that opens a page of a long text
  (``context.page_starts``, ``edition.tei.pages``) has ``data-part`` (the print sets it as a chapter);
  the body's first division whose head is the text's title (the page's own title) gets no heading
  and no contents entry (its head's id stays on an empty anchor) and its sections are the top level.
- Paragraphs of the running text are ``<p class="p" id="…" data-n="N">`` (``<div class="p">``
  when they hold blocks such as verse or lists); N counts them through the text, and the
  paragraph starts with ``<a class="pn" href="#id">N</a>`` (the margin number/permalink) and,
  if ``context.cite_controls``, a ``<button class="cite" data-cite="id">``.
- A note reference is ``<a class="noteref" href="#NOTE-ID" id="REF-ID">``, with class
  ``uncertain`` and a ``title`` when the TEI marks it ``cert="low"``. With
  ``context.notes == "end"`` the notes are in ``RenderedText.notes_html`` as
  ``<li class="note" id="NOTE-ID" data-n="…">`` (its ``<span class="note-label">`` is empty when the
  note opens with its own number, ``(8) …``) with back links ``<a class="backref">``; with
  ``"inline"`` each note's text also follows its first reference as
  ``<span class="note" id="NOTE-ID" data-n="…">`` (for print footnotes).
- Each ``<app>`` of the running text is ``<span class="app" id="…" data-type="…">`` holding the
  lemma ``<span class="lem" data-wit="W">`` (with ``data-cause="emendation"`` and
  ``data-resp="ed"`` from the lemma's ``@cause``/``@resp`` when the editors emended) and each
  reading ``<span class="rdg" data-wit="P Q" data-sigla="P Q">`` (``data-cause="transposition"``
  for words the witness has elsewhere; ``data-wit``: the witness ids
  without ``#``; ``data-sigla``: the sigla the witnesses declare, a siglum's own spaces as
  U+00A0; readings are hidden by the CSS),
  then ``<a class="app-mark" href="#apparatus:ID">``. An ``<app>`` without a lemma shows its first
  reading (class ``rdg base``). Its entry (lemma, readings, sigla, type)
  is ``<li class="app-entry" id="apparatus:ID" data-app="ID" data-type="…">`` in
  ``RenderedText.apparatus_html``. A stand-off ``<app>`` (``@from``, ``@loc``, in a
  ``listApp``) renders as such an entry where it stands, located by ``@loc`` or by the words
  its ``@from``/``@to`` span (never the raw ids).
- An empty ``<ptr>``/``<ref>`` shows what it points to (``edition.render.pointers``): a witness's
  siglum, a reading's text, or a link labelled with the target's first words.
- A list whose items carry their own numbers (``<item><label>1.</label>…`` or "1." opening the
  item's text) is ``<ol class="list source-numbered" style="list-style-type: none">``: the
  source's numbers are printed once, with no automatic one beside them.
- A spaced dash is bound to the word before it: the space before " – " or " — " is U+00A0.
- ``<pb>`` is ``<span class="pb" data-n="12">[p. 12]</span>`` (a margin marker);
  ``<lb>`` renders nothing visible, and ``break="no"`` on ``lb``/``pb`` joins the word.
- ``<gap>`` is ``<abbr class="gap" title="…reason…">[…]</abbr>``; ``<choice>`` shows the
  editorial form, the other as ``<span class="alt">`` (hidden by CSS, in the title).
- ``<surplus>`` is not read: the text has only ``<a class="surplus-mark" href="#ENTRY-ID">``
  (``[repeated in the witness]``; a ``<span>`` when notes are inline), the words are in
  ``RenderedText.setaside_html`` as ``<li class="setaside" id="ENTRY-ID">`` (see ``setaside``).
- UI-only elements (``pn``, ``cite``, ``app-mark``, ``surplus-mark``, ``pb``, made-up note labels) carry
  ``data-pagefind-ignore``, and so do the readings in the running text and the hidden form of a
  ``choice``: search finds the readings through the apparatus list, where words stand apart.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree

from edition.diagnostics import Diagnostic, warning
from edition.render import handlers, lists
from edition.render.apparatus import Apparatus
from edition.render.behaviours import BLOCK_CHILDREN, rule_for
from edition.render.elements import ElementBehaviours, heading_key
from edition.render.lang import direction, has_rtl, html_lang, text_direction
from edition.render.rendered import Mode, RenderContext, RenderedText, TocEntry
from edition.render.setaside import SetAside, render_surplus
from edition.render.standoff import StandoffPlaces, is_point
from edition.render.variation import render_app, render_app_entry
from edition.tei.document import Document
from edition.tei.numbering import paragraph_numbers
from edition.tei.spacing import is_empty_marker, is_layout_space, joins_word
from edition.tei.text import plain_text, sigla
from edition.tei.xmlio import XML_ID, XML_NS, local_name

XML_LANG = f"{{{XML_NS}}}lang"
_WS_END = re.compile(r"\s+$")
# a spaced dash (" – ", " — "): the space before it, even across tags, is the word's, so the
# dash never opens a line (in the web page and in print alike)
SPACED_DASH = re.compile(r"(?<=[^\s>])((?:<[^<>]*>)*) ((?:<[^<>]*>)*[\u2013\u2014](?=[ \n<]))")


def bind_dashes(html: str) -> str:
    """The HTML with a no-break space before each spaced en or em dash of the text."""
    return SPACED_DASH.sub("\\1\u00a0\\2", html)


# The behaviours that need code (see ``edition.render.behaviours``): behaviour → handler.
HANDLERS = {
    "list": lists.render_list,
    "item": lists.render_item,
    "verse": lists.render_verse,
    "line": lists.render_line,
    "note": handlers.render_note,
    "alternate": render_app,
    "apparatus-entry": render_app_entry,
    "table": handlers.render_table,
    "choice": handlers.render_choice,
    "gap": handlers.render_gap,
    "set-aside": render_surplus,
}


class HtmlRenderer(ElementBehaviours):
    """One rendering of one document; holds the ids, notes and apparatus found on the way."""

    def __init__(self, document: Document, context: RenderContext | None = None):
        self.doc = document
        self.ctx = context or RenderContext()
        self.path = document.path
        self.diagnostics: list[Diagnostic] = []
        self.used_ids: set[str] = set()
        self.by_id: dict[str, etree._Element] = {}
        for el in document.root.iter():
            xid = el.get(XML_ID) if isinstance(el.tag, str) else None
            if xid:
                self.by_id.setdefault(xid, el)
        self.witness_ids = {w.get(XML_ID) for w in document.xpath("//tei:listWit//tei:witness[@xml:id]")}
        self.notes = handlers.NoteIndex(self)
        self.apparatus = Apparatus(self)
        self.standoff = StandoffPlaces(document)   # where @loc and @from/@to units stand
        # a text with right-to-left letters: its blocks and languages say their direction (dir)
        self.bidi = has_rtl("".join(document.root.itertext()))
        self.diagnostics.extend(self.standoff.diagnostics)
        self.setaside = SetAside(self)
        self.toc: list[TocEntry] = []
        self._toc_stack: list[list[TocEntry]] = [self.toc]
        self.paragraphs: list[tuple[str, int]] = []
        # the reader's numbers, shared with the citations (edition.tei.numbering)
        self.numbers = paragraph_numbers(document.root)
        self.current_paragraph: tuple[str, int] | None = None
        self._unknown: dict[str, list[int]] = {}
        self._made = 0
        self._title_key = heading_key(document.title)
        self._title_head: etree._Element | None = None   # a first heading that repeats the title

    # ---- ids and attributes -------------------------------------------------------------
    def make_id(self, kind: str) -> str:
        """A fresh id of the renderer's own (contains ':' so it cannot clash with an xml:id)."""
        self._made += 1
        return f"{kind}:{self._made}"

    def claim_id(self, el: etree._Element, mode: Mode) -> str | None:
        """The element's xml:id as an HTML id, once per page; None in a second copy."""
        xid = el.get(XML_ID)
        if not xid or not mode.ids:
            return None
        if xid in self.used_ids:
            self.diagnostics.append(warning("W602", f"the id '{xid}' is used twice; the second is dropped",
                                            self.path, el.sourceline))
            return None
        self.used_ids.add(xid)
        return xid

    def attrs(self, el: etree._Element | None, mode: Mode, cls: str | None = None,
              id_: str | None = None, **extra: str | None) -> str:
        """Render id, class, lang and extra attributes (None values are skipped)."""
        parts = []
        the_id = id_ if id_ is not None else (self.claim_id(el, mode) if el is not None else None)
        if the_id:
            parts.append(f' id="{escape(the_id)}"')
        if cls:
            parts.append(f' class="{escape(cls)}"')
        if el is not None and el.get(XML_LANG):
            lang = html_lang(el.get(XML_LANG))
            parts.append(f' lang="{escape(lang)}"' if lang else f' data-lang="{escape(el.get(XML_LANG))}"')
            way = direction(el.get(XML_LANG))
            if extra.get("dir_") is None and (way == "rtl" or way == "ltr" and self.bidi):
                extra["dir_"] = way
        for key, value in extra.items():
            if value is not None:
                parts.append(f' {key.rstrip("_").replace("_", "-")}="{escape(str(value))}"')
        return "".join(parts)

    # ---- the walk -----------------------------------------------------------------------
    def render_children(self, el: etree._Element, out: list[str], mode: Mode) -> None:
        """Render an element's text and children (with their tails); white space that is not
        text (``edition.tei.spacing``) is left out."""
        marked = mode.ids and (el in self.standoff.starts or el in self.standoff.ends) and not is_point(el)
        if marked:   # a stand-off lemma starts here: its mark stands in the line, not between blocks
            out.append(self.standoff.marks(el, True, mode.in_link))
        if el.text and not is_layout_space(el, el.text):
            out.append(escape(el.text, quote=False))
        joining = False   # after a break inside a word, up to the word's next letter
        for child in el:
            self.render(child, out, mode)
            tail = child.tail
            joining = joins_word(child) or joining and is_empty_marker(child)
            if tail and joining:
                tail = tail.lstrip()   # the word goes on after a break inside it (and a mark beside it)
                joining = not tail
            if tail and not is_layout_space(el, tail):
                out.append(escape(tail, quote=False))
        if marked:
            out.append(self.standoff.marks(el, False, mode.in_link))

    def render(self, el: etree._Element, out: list[str], mode: Mode) -> None:
        """Render one element (not its tail) by its rule in the behaviour table."""
        if not isinstance(el.tag, str):
            return  # comments and processing instructions
        if mode.ids and (el in self.standoff.starts or el in self.standoff.ends) and is_point(el):
            # a stand-off lemma starts or ends at an empty marker: the marks stand where it does
            out.append(self.standoff.marks(el, True, mode.in_link) + self.standoff.marks(el, False, mode.in_link))
        rule = rule_for(el)
        if rule is None:
            self._unknown.setdefault(local_name(el), []).append(el.sourceline or 0)
            self.render_children(el, out, mode)
            return
        handler = HANDLERS.get(rule.behaviour)
        if handler is not None:
            handler(self, el, out, mode, rule)
        else:
            getattr(self, "_" + rule.behaviour)(el, out, mode, rule)

    def join_word(self, out: list[str]) -> None:
        """Remove whitespace at the end of the output (a word continues after a break)."""
        while out:
            last = out[-1]
            if last.startswith("<") and last.endswith(">"):
                return
            stripped = _WS_END.sub("", last)
            if stripped:
                out[-1] = stripped
                return
            out.pop()

    def witness_source(self, el: etree._Element) -> str | None:
        """The sigla of ``@source`` when it names witnesses (a part only they have), else None."""
        found = sigla(el.get("source"))
        return " ".join(found) if found and set(found) <= self.witness_ids else None

    def block_direction(self, el: etree._Element) -> str | None:
        """``rtl``/``ltr`` for a block with no ``xml:lang`` of its own whose words run the other
        way than the language it is in (a Hebrew paragraph in a text declared English), as HTML's
        ``dir="auto"`` would find (which the print layout does not know); None otherwise."""
        if not self.bidi or el.get(XML_LANG):
            return None
        found = text_direction(plain_text(el))
        # the language the HTML around it declares (<text> and <group> render no element of their own)
        declared = el.xpath("ancestor::*[@xml:lang][not(self::tei:text or self::tei:group)][1]/@xml:lang",
                            namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
        inherited = direction(declared[0]) if declared else None
        if found == "rtl" and inherited != "rtl" or found == "ltr" and inherited == "rtl":
            return found
        return None

    @staticmethod
    def has_blocks(el: etree._Element) -> bool:
        """True when the element has children HTML does not allow inside a ``<p>``."""
        return any(isinstance(c.tag, str) and local_name(c) in BLOCK_CHILDREN
                   and not (local_name(c) == "list" and "inline" in (c.get("rend") or "").split()) for c in el)

    # ---- the whole text -----------------------------------------------------------------
    def run(self) -> RenderedText:
        """Render the document's ``<text>`` and gather notes, apparatus and table of contents."""
        out: list[str] = []
        texts = self.doc.xpath("tei:text")
        lang = html_lang(self.doc.root.get(XML_LANG))
        way = direction(self.doc.root.get(XML_LANG)) if self.bidi else None
        out.append(f'<div class="tei-text"{f" lang={chr(34)}{escape(lang)}{chr(34)}" if lang else ""}'
                   f'{f" dir={chr(34)}{way}{chr(34)}" if way else ""}>')
        for text in texts:
            self.render(text, out, Mode())
        out.append("</div>")
        return self.finish("".join(out))

    def finish(self, body: str) -> RenderedText:
        """The rendered text of ``body`` with the notes, apparatus and warnings gathered on the way."""
        body = bind_dashes(body)
        notes_html = self.notes.render_list()
        apparatus_html = self.apparatus.render_list()
        for name, lines in sorted(self._unknown.items()):
            more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
            self.diagnostics.append(warning(
                "W601", f"the HTML renderer has no rule for <{name}>; its content is shown as plain text{more}",
                self.path, lines[0] or None,
                hint="its words stand where they are; what the element marks is not shown, and a project "
                     "cannot give it a rendering of its own"))
        return RenderedText(
            body=body, notes_html=notes_html, apparatus_html=apparatus_html, toc=self.toc,
            witnesses=self.apparatus.witnesses(), type_counts=self.apparatus.type_counts(),
            paragraphs=self.paragraphs, note_count=len(self.notes.listed) + len(self.notes.shown_in_place),
            app_count=len(self.apparatus.entries), diagnostics=self.diagnostics,
            setaside_html=self.setaside.render_list(), witness_ids=self.apparatus.witness_ids(),
            placed_standoff=len(self.standoff.placed))



def render_text(document: Document, context: RenderContext | None = None) -> RenderedText:
    """Render one TEI document: body, notes, apparatus, table of contents, diagnostics."""
    return HtmlRenderer(document, context).run()
