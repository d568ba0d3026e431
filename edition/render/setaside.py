"""Words of the source the editors set aside (``surplus``): out of the reading text, kept for the reader.

In: a ``surplus`` element met by ``edition.render.html.HtmlRenderer`` (passed as ``r``). Out:
in the running text only a discreet mark, ``<a class="surplus-mark" href="#ENTRY-ID"
id="REF-ID">[repeated in the witness]</a>`` (a ``<span id="REF-ID">`` inside a link and when
notes are printed inline, where the list may stand elsewhere; a bare ``<span>`` in a copy such
as an apparatus entry); after the text, ``RenderedText.setaside_html``: one ``<li class="setaside" id="ENTRY-ID">`` per
element, saying where it stands, why it is set aside and by whom, what it repeats
(``@corresp``) and the words themselves. ENTRY-ID is the element's ``xml:id`` or ``surplus:N``.

Mark and list carry ``data-pagefind-ignore``: the set-aside words are not part of the reading
text, so search finds words where the edition reads them, never twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from lxml import etree

from edition.render.rendered import Mode
from edition.tei.xmlio import local_name

# How a reason reads in the text's mark; other reasons read "[set aside: REASON]".
REASONS = {"repeated": "repeated in the witness", "": "set aside"}
EDITORS = {"ed", "editor", "editors"}


@dataclass
class _Item:
    element: etree._Element
    entry_id: str
    ref_id: str
    where: tuple[str, int] | None   # the numbered paragraph it stands in (id, number)


class SetAside:
    """The ``surplus`` elements of a text met in the running text, listed after it."""

    def __init__(self, r):
        self.r = r
        self.items: list[_Item] = []

    @staticmethod
    def label(el: etree._Element) -> str:
        """The mark's words: why the passage is not read."""
        reason = " ".join((el.get("reason") or "").split())
        return REASONS.get(reason, f"set aside: {reason}")

    def mark(self, el: etree._Element, out: list[str], mode: Mode) -> None:
        """The mark in the running text (the words themselves go to the list)."""
        r = self.r
        text = escape(f"[{self.label(el)}]")
        if not mode.ids:   # a copy (an apparatus entry …): the words are listed from the original
            if any(isinstance(a.tag, str) and local_name(a) in ("lem", "rdg") for a in el.iterancestors()):
                # in a reading they are what the witness reads: the entry shows them, marked
                out.append(f'<span class="surplus" title="{escape(self.label(el))}">')
                r.render_children(el, out, mode)
                out.append("</span>")
            out.append(f'<span class="surplus-mark" data-pagefind-ignore="">{text}</span>')
            return
        entry_id = r.claim_id(el, mode) or r.make_id("surplus")
        ref_id = r.make_id("surplusref")
        self.items.append(_Item(el, entry_id, ref_id, r.current_paragraph))
        if mode.in_link or r.ctx.notes != "end":   # print lists the words where it likes
            out.append(f'<span class="surplus-mark" id="{escape(ref_id)}" data-pagefind-ignore="">{text}</span>')
            return
        out.append(f'<a class="surplus-mark" href="#{escape(entry_id)}" id="{escape(ref_id)}" '
                   f'data-pagefind-ignore="" title="Words of the source the edition does not read; '
                   f'open to see them">{text}</a>')

    def render_list(self) -> str:
        """The set-aside words as ``<li>`` items, in text order."""
        r = self.r
        numbers = dict(r.paragraphs)
        out: list[str] = []
        for item in self.items:
            el = item.element
            loc = f"¶ {item.where[1]}" if item.where else "↑"
            why = self.label(el)
            resp = [p.lstrip("#") for p in (el.get("resp") or "").split()]
            if resp:
                who = "the editors" if set(resp) & EDITORS else ", ".join(resp)
                why += f"; set aside by {who}"
            repeats = ""
            target = next((p[1:] for p in (el.get("corresp") or "").split() if p.startswith("#")), None)
            if target and target in r.by_id:
                shown = f"¶ {numbers[target]}" if target in numbers else "the passage"
                repeats = f' (the words of <a href="#{escape(target)}">{escape(shown)}</a>)'
            words: list[str] = []
            r.render_children(el, words, Mode(phrasing=True, ids=False, numbered=False))
            out.append(f'<li class="setaside" id="{escape(item.entry_id)}">'
                       f'<a class="ae-loc" href="#{escape(item.ref_id)}" title="Go to the place in the text">'
                       f'{escape(loc)}</a> <span class="sa-why">{escape(why[:1].upper() + why[1:])}</span>'
                       f'{repeats}: <span class="sa-words">{"".join(words).strip()}</span></li>\n')
        return "".join(out)


def render_surplus(r, el, out, mode, rule) -> None:
    """A ``surplus`` in the text: a mark where it stands; its words listed after the text."""
    r.setaside.mark(el, out, mode)

