"""The behaviours of the TEI → HTML renderer that are its own methods: blocks, inline
elements, divisions and their headings, paragraphs, links and anchors, breaks and milestones.

In: an element, the output list, the ``Mode`` and the element's ``Rule`` from the table in
``edition.render.behaviours``, called by ``edition.render.html.HtmlRenderer.render`` as
``_<behaviour>`` on the renderer (``ElementBehaviours`` is one of its bases; the ids, notes,
apparatus and contents it uses are the renderer's). Out: the element's HTML appended to the
output, as the contract in the docstring of ``edition.render.html`` describes; the contents
entries and numbered paragraphs met on the way are recorded on the renderer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from lxml import etree
from lxml import html as lxml_html

from edition.render import handlers
from edition.render.behaviours import Rule
from edition.render.pointers import in_reading, render_pointer
from edition.render.rendered import TocEntry
from edition.tei.text import plain_text, sigla
from edition.tei.xmlio import TEI_NS, XML_ID, local_name

RULE_REND = re.compile(r"[-\u2010-\u2015_=~]{3,}")   # a milestone's @rend that types a rule


class ElementBehaviours:
    """The behaviours with a method of their own on the renderer (``_block`` for "block" …)."""

    # ---- behaviours (handlers for app, note, table, choice, gap live in handlers.py and variation.py)
    def _content(self, el, out, mode, rule: Rule) -> None:
        self.render_children(el, out, mode)

    def _omit(self, el, out, mode, rule: Rule) -> None:
        return

    def _block(self, el, out, mode, rule: Rule) -> None:
        tag = "span" if mode.phrasing else "div"
        cls = " ".join(filter(None, [rule.cls, "block" if mode.phrasing else None])) or None
        source = self.witness_source(el)
        out.append(f"<{tag}{self.attrs(el, mode, cls, data_type=el.get('type'), data_source=source)}>")
        if source and not mode.phrasing:   # a part only some witnesses have: say whose
            name = {"argument": "summary"}.get(local_name(el), local_name(el))
            out.append(f'<p class="div-label" data-pagefind-ignore="">{escape(name)} of '
                       f'{escape(", ".join(source.split()))}</p>\n')
        self.render_children(el, out, mode)
        out.append(f"</{tag}>\n")

    def _inline(self, el, out, mode, rule: Rule) -> None:
        tag = rule.tag or "span"
        if not mode.phrasing and self.has_blocks(el):
            tag = "div"
        source = self.witness_source(el)
        title = rule.title or (f"Only in {', '.join(source.split())}" if source else None)
        out.append(f"<{tag}{self.attrs(el, mode, rule.cls if rule.cls != tag else None, title=title, data_source=source)}>")
        self.render_children(el, out, mode if tag == "div" else replace(mode, phrasing=True))
        if el.get("corresp") and not len(el) and not (el.text or "").strip():
            # an empty reference (<bibl corresp="#MS"/>) stands for what it names: say its siglum
            out.append(escape(" ".join(self.apparatus.sigla.all(el.get("corresp")))))
        out.append(f"</{tag}>")

    def _division(self, el, out, mode, rule: Rule) -> None:
        if (el.get("type") or "").lower() in handlers.NOTES_DIVS:
            return   # a division of notes renders nothing in place: its notes are listed after the text
        head = next((c for c in el if isinstance(c.tag, str) and local_name(c) == "head"), None)
        tag = "span" if mode.phrasing else ("section" if head is not None else "div")
        the_id = self.claim_id(el, mode)
        repeats = head is not None and mode.ids and self._repeats_title(el, head)
        if repeats:
            # the text's first division headed by the text's own title: the page's title says it
            # (no second heading, no contents entry); its sections are the text's top level
            self._title_head = head
            head = None
            mode = replace(mode, depth=mode.depth - 1)
        entry = None
        if head is not None and mode.ids:
            the_id = the_id or self.make_id("div")
            entry = TocEntry(the_id, plain_text(head))
            self._toc_stack[-1].append(entry)
            self._toc_stack.append(entry.children)
        start = len(out)
        source = " ".join(sigla(el.get("source"))) or None
        part = "" if el in self.ctx.page_starts else None   # a chapter of a long text (edition.tei.pages)
        out.append(f"<{tag}{self.attrs(el, mode, 'div', id_=the_id or '', data_type=el.get('type'), data_source=source, data_part=part)}>")
        if head is None and source and not mode.phrasing:
            # a part that only some witnesses have (paratext): say whose it is
            kind = " ".join(filter(None, [el.get("type"), f"({el.get('subtype')})" if el.get("subtype") else None]))
            out.append(f'<p class="div-label" data-pagefind-ignore="">{escape(kind or "part")} of '
                       f'{escape(", ".join(sigla(el.get("source"))))}</p>\n')
        self.render_children(el, out, replace(mode, depth=mode.depth + 1))
        out.append(f"</{tag}>\n")
        if head is not None and mode.ids:
            self._toc_stack.pop()
        if self._holds_notes_listed_elsewhere(el) and prints_only_headings("".join(out[start:])):
            # everything the division holds went elsewhere (its notes to the notes after the
            # text, where the print's endnotes head them by this heading): a heading with nothing
            # under it is not printed, nor listed in the contents; its ids stay, for links
            kept = ids_kept("".join(out[start:]))
            del out[start:]
            out.append(kept)
            if entry is not None:
                self._toc_stack[-1].remove(entry)

    def _holds_notes_listed_elsewhere(self, div: etree._Element) -> bool:
        """True when a note of the division is listed with the notes, not printed where it stands,
        and the division has no words outside its notes and headings (a quick look at the TEI
        before the HTML is read)."""
        return any(self.notes.id_of.get(note) in self.notes.detached for note in div.iter(f"{{{TEI_NS}}}note")) \
            and not div.xpath(_WORDS_OUTSIDE_NOTES, namespaces={"tei": TEI_NS})

    def _repeats_title(self, div: etree._Element, head: etree._Element) -> bool:
        """True for the body's first division when its heading is the text's title and no text
        of the edition stands before it (a foreword in the front keeps the heading that follows
        it; the title page and a witness's own paratext, set apart, do not count)."""
        body = div.getparent()
        if body is None or local_name(body) != "body" or heading_key(plain_text(head)) != self._title_key:
            return False
        before = list(div.itersiblings(preceding=True))
        for matter in body.itersiblings(preceding=True):
            if isinstance(matter.tag, str) and local_name(matter) == "front":
                before.extend(matter)
        return not any(isinstance(c.tag, str) and local_name(c) != "titlePage" and c.get("source") is None
                       and plain_text(c).strip() for c in before)

    def _heading(self, el, out, mode, rule: Rule) -> None:
        if el is self._title_head:   # said by the page's title: only its id stays, for links
            the_id = self.claim_id(el, mode)
            if the_id:
                out.append(f'<span id="{escape(the_id)}" class="anchor"></span>')
            return
        level = min(max(mode.depth, 1) + 1, 6)
        tag = "span" if mode.phrasing else f"h{level}"
        out.append(f"<{tag}{self.attrs(el, mode, 'head', dir_=self.block_direction(el))}>")
        self.render_children(el, out, replace(mode, phrasing=True))
        out.append(f"</{tag}>\n")

    def _paragraph(self, el, out, mode, rule: Rule) -> None:
        tag = "span" if mode.phrasing else ("div" if self.has_blocks(el) else "p")
        numbered = (mode.numbered and mode.ids and not mode.phrasing and self.ctx.paragraph_numbers
                    and el in self.numbers)
        the_id = self.claim_id(el, mode)
        n = None
        if numbered:
            n = self.numbers[el]
            the_id = the_id or f"p:{n}"
            self.paragraphs.append((the_id, n))
            self.current_paragraph = (the_id, n)
        cls = rule.cls if tag == "p" else f"{rule.cls} block"
        out.append(f"<{tag}{self.attrs(el, mode, cls, id_=the_id or '', data_n=n, dir_=self.block_direction(el))}>")
        if numbered:
            out.append(f'<a class="pn" href="#{escape(the_id)}" data-pagefind-ignore="" '
                       f'aria-label="Paragraph {n}, link to this paragraph">{n}</a> ')
            if self.ctx.cite_controls:
                out.append(f'<button type="button" class="cite" data-cite="{escape(the_id)}" data-n="{n}" '
                           f'data-pagefind-ignore="" aria-label="Cite paragraph {n}" hidden="">cite</button> ')
        inner = replace(mode, numbered=False, phrasing=mode.phrasing or tag == "p")
        self.render_children(el, out, inner)
        out.append(f"</{tag}>\n")

    def _link(self, el, out, mode, rule: Rule) -> None:
        target = (el.get("target") or "").split()
        first = target[0] if target else ""
        if first.startswith("#") and self.notes.is_note(first[1:]):
            self.notes.reference(el, first[1:], out, mode)
            return
        label_missing = not (el.text or len(el))
        if label_missing and first and (first.startswith("#") or in_reading(el)):
            render_pointer(self, el, first.removeprefix("#"), out, mode, rule)
            return
        href = None
        if first.startswith("#") and first[1:] in self.by_id:
            href = first
        elif re.match(r"^(https?:|mailto:)", first):
            href = first
        if href and not mode.in_link:
            out.append(f'<a{self.attrs(el, mode, rule.cls)} href="{escape(href)}">')
            self.render_children(el, out, replace(mode, in_link=True, phrasing=True))
            if label_missing:
                out.append(escape(first))
            out.append("</a>")
        else:
            out.append(f"<span{self.attrs(el, mode, rule.cls)}>")
            self.render_children(el, out, replace(mode, phrasing=True))
            if label_missing and first and not first.startswith("#"):
                out.append(escape(first))
            out.append("</span>")

    def _anchor(self, el, out, mode, rule: Rule) -> None:
        xid = el.get(XML_ID)
        if xid and self.notes.anchored(xid):
            self.notes.reference(el, self.notes.anchored(xid), out, mode)
            return
        the_id = self.claim_id(el, mode)
        if the_id:
            out.append(f'<span id="{escape(the_id)}" class="anchor"></span>')

    def _break(self, el, out, mode, rule: Rule) -> None:
        name = local_name(el)
        if name == "space":
            out.append(" ")
            return
        if el.get("break") == "no":
            self.join_word(out)
        elif name != "pb":
            out.append("\n")
        the_id = self.claim_id(el, mode)
        if name == "pb":
            label = " ".join(filter(None, [" ".join(self.apparatus.sigla.all(el.get("edRef"))), el.get("n")]))
            doubt = "?" if el.get("cert") in ("low", "unknown") else ""   # an inferred page number
            text = f"[p. {label}{doubt}]" if el.get("n") and not el.get("edRef") else f"[{label or 'page'}{doubt}]"
            title = "The page number is uncertain" if doubt else None
            out.append(f'<span{self.attrs(None, mode, "pb", id_=the_id or "", data_n=el.get("n"), title=title)} '
                       f'data-pagefind-ignore="">{escape(text)}</span>')
        elif the_id:
            out.append(f'<span id="{escape(the_id)}" class="{name}"></span>')

    def _milestone(self, el, out, mode, rule: Rule) -> None:
        rend = el.get("rend")
        if rend or el.get("unit") in ("section", "part") and not el.get("n"):
            tag = "span" if mode.phrasing else "div"
            if rend and RULE_REND.fullmatch(rend):
                # a rule typed as dashes ("---") is drawn as a rule; its characters stay for the text
                out.append(f'<{tag}{self.attrs(el, mode, "milestone rule")} role="separator">'
                           f'<span class="rule-text">{escape(rend)}</span></{tag}>')
                return
            out.append(f'<{tag}{self.attrs(el, mode, "milestone")} role="separator">'
                       f'{escape(rend or "* * *")}</{tag}>')
        elif el.get("n"):
            label = " ".join(filter(None, [" ".join(self.apparatus.sigla.all(el.get("edRef"))), el.get("unit"),
                                           el.get("n")]))
            out.append(f'<span{self.attrs(el, mode, "ms")} data-pagefind-ignore="">[{escape(label)}]</span>')


def heading_key(text: str) -> str:
    """A heading compared with the title: letters and digits only, case-folded."""
    return re.sub(r"\W+", "", text).casefold()


# What a division prints of its own beside its words: its heading (``h2`` …, a ``head`` block),
# whose part it is (``div-label``), and the witness's page and milestone marks, which mark where
# its words stand and mean nothing without them.
_NOT_CONTENT = ("h1", "h2", "h3", "h4", "h5", "h6", "head", "div-label", "pb", "ms")
# what prints with no words: a picture, a table, a formula, a rule
_PRINTS_WITHOUT_WORDS = ("img", "svg", "math", "table", "hr", "figure", "video", "audio", "object", "iframe")
# words of a division's own in the TEI: with any, it prints something (no need to read its HTML)
_WORDS_OUTSIDE_NOTES = "boolean(.//text()[normalize-space()][not(ancestor::tei:note or ancestor::tei:head)])"


def prints_only_headings(html: str) -> bool:
    """True when a division's HTML shows nothing but its headings, labels and page marks."""
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    if any(el.tag in _PRINTS_WITHOUT_WORDS for el in tree.iter()):
        return False
    for el in list(tree.iter()):
        name = el.tag if isinstance(el.tag, str) else ""
        if el.getparent() is not None and (name in _NOT_CONTENT or set((el.get("class") or "").split())
                                           & set(_NOT_CONTENT)):
            el.drop_tree()
    return not tree.text_content().strip()


def ids_kept(html: str) -> str:
    """Empty anchors for the ids of the TEI (not those the renderer made up, with a colon) in
    ``html``, so that a link to a division that is not printed still finds its place."""
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    return "".join(f'<span id="{escape(el.get("id"))}" class="anchor"></span>'
                   for el in tree.iter() if el.get("id") and ":" not in el.get("id"))
