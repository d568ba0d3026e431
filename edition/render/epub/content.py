"""The EPUB's content documents: the web edition's HTML of a text, made XHTML for e-readers.

In: a ``RenderedText`` (the one TEI → HTML renderer's output, ``edition.render.html``), the text's
``TextMeta`` and the Jinja2 environment. Out: the XHTML of the text's content document
(``text.xhtml`` template): its title block, the text, its notes as EPUB footnotes, the words
set aside and its apparatus, every entry linked from its lemma and back.

What changes from the web page, and why:

- Notes become ``<aside epub:type="footnote" role="doc-footnote">`` and note calls
  ``epub:type="noteref" role="doc-noteref"``, so readers that can show a note in place do;
  back links are ``role="doc-backlink"``.
- Ids the renderer makes up contain a colon (``note:4``, ``apparatus:q1.p2.a3``), which the
  EPUB's XHTML forbids in an ``id``: they become ``ed-note-4`` … (an ``xml:id`` of the TEI, the
  passage id a citation names, is kept as it is, so ``text.xhtml#q12.p3`` is the passage).
- No script, no cite buttons, no search: an e-reader shows the text, the notes and the
  apparatus; the readings of a variation unit stay in the markup, shown in the apparatus.

``epub:type`` is written through a placeholder data attribute (lxml cannot hold a prefixed
attribute on an element parsed as HTML) that ``to_xhtml`` turns into the real one.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree
from lxml import html as lxml_html

EPUB_TYPE = "data-epub-type"          # the placeholder, see the module docstring
EPUB_NS = "http://www.idpf.org/2007/ops"
_PLACEHOLDER = re.compile(r'\bdata-epub-type="')
_BOOLEAN = ("hidden",)


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def xhtml_id(value: str) -> str:
    """An id the EPUB's XHTML accepts: a renderer's made-up ``kind:n`` becomes ``ed-kind-n``."""
    if ":" not in value:
        return value
    return "ed-" + re.sub(r"[^\w.-]", "-", value)


def _fix_ids(root) -> None:
    """Rename colon ids and the fragment links to them, everywhere in the fragment."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id"):
            el.set("id", xhtml_id(el.get("id")))
        href = el.get("href")
        if href and href.startswith("#"):
            el.set("href", "#" + xhtml_id(href[1:]))
        for name in _BOOLEAN:
            if el.get(name) is not None:
                el.set(name, name)


def _mark_notes(root) -> None:
    """Note calls, notes and back links with their EPUB semantics."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cls = _classes(el)
        if el.tag == "a" and "noteref" in cls:
            el.set(EPUB_TYPE, "noteref")
            el.set("role", "doc-noteref")
        elif el.tag == "a" and ({"backref", "ae-loc"} & cls):
            el.set("role", "doc-backlink")


def _notes_as_asides(root) -> None:
    """Each ``<li class="note">`` of the notes list becomes an ``<aside>`` footnote."""
    for li in list(root.iter("li")):
        if "note" not in _classes(li):
            continue
        li.tag = "aside"
        li.set(EPUB_TYPE, "footnote")
        li.set("role", "doc-footnote")
        for attr in ("data-n",):
            li.attrib.pop(attr, None)


def _append_text(el, text: str) -> None:
    """Add ``text`` just before ``el``: to its previous sibling's tail, or its parent's text."""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def _pagebreaks_after_words(root) -> None:
    """A witness's page marker inside a word (``revo[p. 71]lutionary``) moves to the word's end.

    On the web it stands in the margin; an e-reader has no margin, and a marker inside a word
    would split it for a reader and for a screen reader alike.
    """
    for marker in list(root.iter("span")):
        if "pb" not in _classes(marker) or not marker.tail or marker.tail[:1].isspace():
            continue
        rest = re.match(r"\S+", marker.tail)
        _append_text(marker, rest.group())
        marker.tail = marker.tail[rest.end():]
        if not marker.tail[:1].isspace():
            marker.tail = " " + marker.tail if marker.tail else marker.tail


def _gaps_as_notes(root, found: list[tuple[str, str]]) -> None:
    """A gap's description, a hover title on the web, becomes a footnote: e-readers show no titles."""
    for gap in list(root.iter("abbr")):
        if "gap" not in _classes(gap) or not gap.get("title"):
            continue
        note_id = f"ed-gap-{len(found) + 1}"
        found.append((note_id, gap.attrib.pop("title")))
        call = lxml_html.Element("a", {"href": f"#{note_id}", "class": "noteref gap-ref", "role": "doc-noteref",
                                       EPUB_TYPE: "noteref", "id": f"{note_id}-ref"})
        call.text = "*"
        call.tail, gap.tail = gap.tail, None
        gap.addnext(call)


def gap_notes(found: list[tuple[str, str]]) -> str:
    """The footnotes made from gaps' descriptions (``_gaps_as_notes``)."""
    return "".join(f'<aside class="gap-note" id="{escape(note_id)}" epub:type="footnote" role="doc-footnote">'
                   f'<p>{escape(text, quote=False)} <a href="#{escape(note_id)}-ref" role="doc-backlink">↑</a></p>'
                   f'</aside>' for note_id, text in found)


def fragment(html: str, *, notes: bool = False, gaps: list[tuple[str, str]] | None = None) -> str:
    """An HTML fragment of the renderer made XHTML-ready (ids, note semantics; notes as asides;
    gaps' descriptions gathered into ``gaps`` when it is given)."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    _fix_ids(root)
    _pagebreaks_after_words(root)
    if gaps is not None:
        _gaps_as_notes(root, gaps)
    _mark_notes(root)
    if notes:
        _notes_as_asides(root)
    return "".join(_serialise(child) for child in root) if len(root) else escape(root.text or "", quote=False)


def _serialise(el) -> str:
    text = etree.tostring(el, method="xml", encoding="unicode", with_tail=True)
    return _PLACEHOLDER.sub('epub:type="', text)


def render_text_document(env, meta, rendered, *, edition: dict) -> str:
    """The XHTML content document of one text (template ``epub/text.xhtml``)."""
    gaps: list[tuple[str, str]] = []
    body = fragment(rendered.body, gaps=gaps)
    xhtml = env.get_template("epub/text.xhtml").render(
        meta=meta, text=rendered, edition=edition, body=body,
        notes=fragment(rendered.notes_html, notes=True) + gap_notes(gaps),
        apparatus=fragment(rendered.apparatus_html), setaside=fragment(rendered.setaside_html))
    return without_dangling_links(xhtml)


XHTML_NS = "http://www.w3.org/1999/xhtml"


def without_dangling_links(xhtml: str) -> str:
    """A link to an id the document does not hold (an element of the TEI header, a second copy
    of an id) keeps its words but is no link: a reading system could not follow it."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    ids = set(root.xpath("//@id"))
    changed = False
    for link in root.iter(f"{{{XHTML_NS}}}a"):
        href = link.get("href") or ""
        if href.startswith("#") and href[1:] not in ids:
            link.tag = f"{{{XHTML_NS}}}span"
            for name in ("href", "role", f"{{{EPUB_NS}}}type"):
                link.attrib.pop(name, None)
            changed = True
    if not changed:
        return xhtml
    head, _, _ = xhtml.partition("<html")
    return head + etree.tostring(root, encoding="unicode")


def check_well_formed(name: str, data: str) -> None:
    """Raise ``ValueError`` naming the document when the XHTML is not well-formed XML."""
    try:
        etree.fromstring(data.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{name}: {exc}") from None
