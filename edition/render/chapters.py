"""A long text on the web: one page per top-level division, a contents page, links that follow.

In: a ``Document``, a ``RenderContext`` and its ``PagePlan`` (``edition.tei.pages``: which
part of the TEI goes on which page, the plan the citation tools read too). Out: a
``SplitText``: the ``RenderedText`` of the whole text (for the contents, the variant map and
the counts) and one ``PageText`` per part, with the part's body and the notes, apparatus
entries and set-aside words that belong on its page, and ``pages_of``: the page of every id.

The text is rendered once (numbers, notes and ids run through the whole text), one part at
a time. A list item (note, apparatus entry, set-aside words) goes on the page the plan gives
its TEI element; an item the renderer made up goes where the first link to it stands. After
the templates are filled in, ``rewrite_links`` points every ``href="#id"`` whose id is on
another page to that page (``<id>.<n>.html#id``), so the contents, the notes, the apparatus,
pointers and the variant map's cells lead to the right page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from lxml import etree

from edition.render.html import XML_LANG, HtmlRenderer
from edition.render.lang import html_lang
from edition.render.pdf.paratext import split_paratext
from edition.render.rendered import Mode, RenderContext, RenderedText
from edition.tei.document import Document
from edition.tei.pages import PagePlan, Part
from edition.tei.spacing import is_layout_space
from edition.tei.text import sigla
from edition.tei.vocabulary import DIVISIONS
from edition.tei.xmlio import TEI_NS, XML_ID

# Generated HTML escapes '<' in text and '"' in attribute values, so a tag is exactly '<' up to
# the next '>' and an attribute value exactly what stands between its quotes.
_TAG_ID = re.compile(r'<[A-Za-z][^>]*?\sid="([^"]*)"')
_LINK = re.compile(r'(<a\s[^>]*?href=")#([^"]*)(")')
_LI = re.compile(r"<li[\s>]|</li>")
_ATTR = {name: re.compile(rf'^<li[^>]*?\s{name}="([^"]*)"') for name in ("id", "data-app", "data-type")}


@dataclass
class PageText:
    """One page of a split text: its part, its body and the lists that belong on it."""

    part: Part
    body: str
    notes_html: str = ""
    apparatus_html: str = ""
    setaside_html: str = ""
    paratext_html: str = ""     # the witnesses' paratext, set apart: on the last page, after the text
    type_counts: dict[str, int] = field(default_factory=dict)
    witnesses: list[tuple[str, str]] = field(default_factory=list)    # as the whole text's
    witness_ids: dict[str, str] = field(default_factory=dict)

    @property
    def app_count(self) -> int:
        return sum(self.type_counts.values())


@dataclass
class SplitText:
    """A text rendered page by page."""

    whole: RenderedText
    pages: list[PageText]
    pages_of: dict[str, str]        # HTML id → file of the page that holds it


def ids_in(html: str) -> list[str]:
    """Every ``id`` the generated HTML defines."""
    return [unescape(found) for found in _TAG_ID.findall(html)]


def list_items(html: str) -> list[str]:
    """The top-level ``<li>…</li>`` items of a generated list (nested lists stay in their item)."""
    items, depth, start = [], 0, 0
    for match in _LI.finditer(html):
        if match.group() != "</li>":
            if depth == 0:
                start = match.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                items.append(html[start:match.end()] + ("\n" if html[match.end():match.end() + 1] == "\n" else ""))
    return items


def _attr(item: str, name: str) -> str | None:
    found = _ATTR[name].match(item)
    return unescape(found.group(1)) if found else None


def _render_elements(renderer: HtmlRenderer, elements, parent, out: list[str], mode: Mode) -> None:
    """Render some children of ``parent`` as ``render_children`` would, with their tails."""
    for el in elements:
        start = len(out)
        renderer.render(el, out, mode)
        xid = el.get(XML_ID)
        if xid and xid not in renderer.used_ids and renderer.claim_id(el, mode):
            # a part that renders nothing in place (a division of notes, listed below): its
            # id still leads to its page
            out.insert(start, f'<span id="{escape(xid)}" class="anchor"></span>')
        if el.tail and not is_layout_space(parent, el.tail):
            out.append(escape(el.tail, quote=False))


def _open_wrapper(renderer: HtmlRenderer, wrapper, mode: Mode, first: bool) -> str:
    """The start tag of a division that wraps the pages' divisions, as ``_division`` writes it
    (its id on the first page only)."""
    the_id = renderer.claim_id(wrapper, mode) if first else None
    source = " ".join(sigla(wrapper.get("source"))) or None
    tag = _wrapper_tag(wrapper)
    return f"<{tag}{renderer.attrs(wrapper, mode, 'div', id_=the_id or '', data_type=wrapper.get('type'), data_source=source)}>"


def _wrapper_tag(wrapper) -> str:
    return "section" if wrapper.find(f"{{{TEI_NS}}}head") is not None else "div"


def _render_parts(renderer: HtmlRenderer, plan: PagePlan) -> list[str]:
    """The body of each part, wrapped as the whole text's is (``div.tei-text`` › container ›
    the divisions that wrap the chapters, if any)."""
    lang = html_lang(renderer.doc.root.get(XML_LANG))
    opening = f'<div class="tei-text"{f" lang={chr(34)}{escape(lang)}{chr(34)}" if lang else ""}>'
    bodies = []
    for part in plan.parts:
        container, depth = part.container, 0
        # classed as the whole text's (front, body, back): the witnesses' paratext is found by it
        out = [opening, f"<div{renderer.attrs(container, Mode(), etree.QName(container).localname, id_=None if part.first_of_container else '', data_type=container.get('type'))}>"]
        parent = container
        for level in part.levels:
            if part.first_of_container:
                _render_elements(renderer, level.before, parent, out, Mode(depth=depth))
            out.append(_open_wrapper(renderer, level.wrapper, Mode(depth=depth), part.first_of_container))
            parent, depth = level.wrapper, depth + 1
        _render_elements(renderer, part.elements, parent, out, Mode(depth=depth))
        for level in reversed(part.levels):
            out.append(f"</{_wrapper_tag(level.wrapper)}>\n")
            depth -= 1
            if part.last_of_container:
                _render_elements(renderer, level.after, level.wrapper.getparent(), out, Mode(depth=depth))
        out.append("</div>\n</div>")
        bodies.append("".join(out))
    return bodies


def render_split(document: Document, plan: PagePlan, context: RenderContext | None = None) -> SplitText:
    """Render a text part by part and give each page its notes, entries and set-aside words."""
    renderer = HtmlRenderer(document, context)
    bodies = _render_parts(renderer, plan)
    whole = renderer.finish("".join(bodies))
    pages = [PageText(part, body, witnesses=whole.witnesses, witness_ids=whole.witness_ids)
             for part, body in zip(plan.parts, bodies)]
    by_file = {page.part.file: page for page in pages}
    pages_of = {found: page.part.file for page in pages for found in ids_in(page.body)}
    linked_from: dict[str, str] = {}      # id → the page of the first link to it
    for page in pages:
        for _, target, _ in _LINK.findall(page.body):
            linked_from.setdefault(unescape(target), page.part.file)

    def home(item: str) -> PageText:
        """The page a list item belongs on (the contents' lists go on the first page)."""
        for key in (_attr(item, "id"), _attr(item, "data-app")):
            if key and key in renderer.by_id:
                return by_file.get(plan.file_of(renderer.by_id[key]), pages[0])
        own = _attr(item, "id")
        return by_file.get(linked_from.get(own or ""), pages[0])

    for name in ("notes_html", "apparatus_html", "setaside_html"):
        for item in list_items(getattr(whole, name)):
            page = home(item)
            setattr(page, name, getattr(page, name) + item)
            if name == "apparatus_html":
                kind = _attr(item, "data-type") or "untyped"
                page.type_counts[kind] = page.type_counts.get(kind, 0) + 1
            for found in ids_in(item):
                pages_of.setdefault(found, page.part.file)
    for page in pages:
        page.type_counts = dict(sorted(page.type_counts.items()))
    return SplitText(whole, pages, pages_of)


def set_paratext_apart(split: SplitText, paratext_html: str, title: str) -> None:
    """Take the witnesses' paratext out of every page's text (``split_paratext``, as for a text
    on one page) and give its list, ``paratext_html`` (made from the whole text), to the last
    page, after the text, where a reader of the whole finds it; its ids go with it."""
    for page in split.pages:
        page.body = split_paratext(page.body, title)[0]
    if not split.pages or not paratext_html:
        return
    last = split.pages[-1]
    last.paratext_html = paratext_html
    for found in ids_in(paratext_html):
        split.pages_of[found] = last.part.file


def rewrite_links(html: str, here: str, pages_of: dict[str, str]) -> str:
    """Point each ``href="#id"`` whose id stands on another page to that page."""
    def repoint(match: re.Match) -> str:
        page = pages_of.get(unescape(match.group(2)))
        if page is None or page == here:
            return match.group(0)
        return f"{match.group(1)}{escape(page)}#{match.group(2)}{match.group(3)}"
    return _LINK.sub(repoint, html)


def write_split_pages(env, common: dict, doc: Document, meta, split: SplitText, plan: PagePlan,
                      page_url, cites, variants, downloads) -> dict[str, str]:
    """The contents page and one page per part of a split text: ``{file name: html}``.

    ``page_url(file)`` is a page's published address; ``cites`` the text's ``PageCitations``
    (their passage templates name the contents page: each page gets its own address).
    """
    parts = plan.parts
    whole_url = page_url(plan.contents_file)
    kinds = {el.get("type") for p in parts if etree.QName(p.container).localname == "body"
             for el in p.elements if etree.QName(el).localname in DIVISIONS}
    unit = kinds.pop() if len(kinds) == 1 and None not in kinds else "division"
    pages = {plan.contents_file: env.get_template("contents.html").render(
        **common, page_id=doc.id, meta=meta, text=split.whole, parts=parts, contents_file=plan.contents_file,
        unit=unit, variants=variants, downloads=downloads, cite_text=cites.text)}
    for k, page in enumerate(split.pages):
        own = page_url(page.part.file)
        passage = {style: text.replace(whole_url + "#", own + "#") for style, text in cites.passage.items()}
        pages[page.part.file] = env.get_template("chapter.html").render(
            **common, page_id=doc.id, meta=meta, text=page, part=page.part, count=len(parts),
            previous=parts[k - 1] if k else None, next=parts[k + 1] if k + 1 < len(parts) else None,
            contents_file=plan.contents_file, page_url=own,
            cite=passage)
    return {name: rewrite_links(html, name, split.pages_of) for name, html in pages.items()}
