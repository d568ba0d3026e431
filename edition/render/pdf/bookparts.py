"""Each text of the print volume as data: its HTML from the shared renderer and its facts.

In: the project, its TEI documents and the ``PdfOptions``. Out: ``BookParts`` — for each text
an entry (title, running title, authors, editors, licence, language, source, editorial
statement, the print HTML of its body with notes inline so that print CSS floats them to the
foot of the page, the witnesses' paratext set apart, uncalled notes as endnotes, margin notes
in line, the variant map), the contents, the characters each text prints and the faces that
draw them, and what rendering noticed. The book is made of them by
``edition.render.pdf.document.compose_book``; nothing here renders TEI itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from edition.diagnostics import Diagnostic
from edition.render.coverage import missing_glyphs, printed_chars
from edition.render.html import RenderContext, render_text
from edition.render.pdf.endnotes import unreferenced_notes
from edition.render.pdf.fonts import FONT_CACHE, font_faces
from edition.render.pdf.imprint import licence_text, unmapped_types
from edition.render.pdf.margins import margin_notes_in_line
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.paratext import set_paratext_apart
from edition.render.variantmap import variant_map
from edition.tei.pages import page_plan, page_starts
from edition.tei.witnesses import siglum_of


def running_title(title: str, limit: int = 48) -> str:
    """The title for the running head: whole if short, else cut at a word with an ellipsis."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _first_sentences(text: str, limit: int = 320) -> str:
    """The opening sentences of a statement, up to about ``limit`` characters (imprint size)."""
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) + len(sentence) > limit:
            break
        out += " " + sentence
    return out if len(out) <= limit + 80 else out[:limit].rsplit(" ", 1)[0] + " …"


_NOT_CITED = ("note", "idno", "ptr", "ref", "listWit", "extent", "abbr")
_TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def _bibl_text(bibl, *, title: bool = True) -> str:
    """A ``bibl`` as a short reference: ``Title. Author, publisher, date.`` (notes and ids left out)."""
    head = ""
    parts = [" ".join((bibl.text or "").split())]
    for child in bibl:
        if not isinstance(child.tag, str) or etree.QName(child).localname in _NOT_CITED:
            continue
        words = " ".join("".join(child.itertext()).split()).strip(" ,;")
        if etree.QName(child).localname == "title" and not head:
            head = words if title else ""
        else:
            parts.append(words)
    rest = ", ".join(p for p in parts if p.strip(" ,;"))
    if head and rest:
        head += "" if head[-1:] in ".!?" else "."
    text = " ".join(p for p in (head, rest) if p)
    return text + ("" if not text or text[-1:] in ".!?" else ".")


def _source(document) -> str:
    """The source as a short reference: the first ``bibl``, then each witness's (a collation)."""
    found = document.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:bibl[not(ancestor::tei:witness)]")
    text = _bibl_text(found[0]) if found else ""
    witnesses = []
    for witness in document.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:witness[tei:bibl]"):
        siglum = siglum_of(witness)
        # the witnesses share the work's title: name what tells them apart
        witnesses.append(f"{siglum}: {_bibl_text(witness.xpath('tei:bibl', namespaces=_TEI_NS)[0], title=False)}")
    if witnesses:
        text = f"{text} Witnesses: {' '.join(witnesses)}".strip()
    return _first_sentences(text, 320)


def _header(document, expr: str) -> str:
    found = document.xpath(expr)
    return " ".join(" ".join(found[0].itertext()).split()) if found else ""


def _text_entry_once(document, options: PdfOptions, starts: frozenset) -> tuple[dict, list, list[Diagnostic]]:
    """``_text_entry``, made once a build for a text, its options and web pages (``document.derived``):
    a text's own PDF and the volume print it alike (0.6 s for a 0.8 MB text). Copies: the caller
    adds to the entry."""
    memo = document.derived.setdefault("print-entry", {})
    key = (repr(options), starts)
    if key not in memo:
        memo.clear()   # one at a time: a text is printed with one set of options in a build
        memo[key] = _text_entry(document, options, starts)
    entry, toc, found = memo[key]
    return dict(entry), [dict(item) for item in toc], list(found)


def _text_entry(document, options: PdfOptions, starts: frozenset = frozenset()) -> tuple[dict, list, list[Diagnostic]]:
    rendered = render_text(document, RenderContext(notes="inline", cite_controls=False, page_starts=starts))
    toc = []

    def walk(entries, level):
        for entry in entries:
            toc.append({"id": entry.id, "label": entry.label, "level": level})
            walk(entry.children, level + 1)

    walk(rendered.toc, 2)
    lang = document.root.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    # the witnesses' own title page, issue lines, bylines and credits stand after the text,
    # so that its line 1 is the first line of its body; notes no call points to follow as endnotes
    body = margin_notes_in_line(set_paratext_apart(rendered.body, document.title)) + unreferenced_notes(rendered, document)
    entry = {
        "id": document.id, "title": document.title, "running": running_title(document.title), "author": "; ".join(document.authors) or None,
        "authors": document.authors, "editors": document.editors, "licence": licence_text(document.licence),
        "lang": lang,
        "source": _source(document),
        "statement": _first_sentences(_header(document, "tei:teiHeader/tei:encodingDesc/tei:editorialDecl")),
        # a text with margin notes is set with a wider margin (print.css, .with-margin-notes)
        "margin_notes": 'margin-note"' in body or "margin-note " in body,
        "body": body, "numbered": bool(rendered.app_count or rendered.placed_standoff)
        and bool(document.xpath("//tei:text//tei:app")),
        # the readers' map of where the witnesses differ, in the text's opening (outside its numbered lines)
        "variants": variant_map(document, rendered.body, document.title),
    }
    return entry, toc, rendered.diagnostics + unmapped_types(document, options)


@dataclass
class BookParts:
    """The volume's parts as data: each text's entry, the contents, what rendering noticed."""

    project: object
    documents: list
    options: PdfOptions
    texts: list[dict]
    toc: list[dict]
    diagnostics: list[Diagnostic]
    font_faces: str = ""
    chars: dict[str, frozenset[str]] = field(default_factory=dict)   # each text's characters, by id


def book_parts(project, documents, options: PdfOptions) -> BookParts:
    """Render each text's HTML once (``edition.render.html``) for a book or the volume's parts."""
    diagnostics: list[Diagnostic] = []
    texts, toc = [], []
    chars: dict[str, frozenset[str]] = {}
    for document in documents:
        plan = page_plan(document.root, document.id, project.html.get("split_above"))
        entry, text_toc, found = _text_entry_once(document, options, page_starts(plan))
        entry["chapters"] = options.chapters_open if plan.split else None   # print.css
        entry["lemma_witnesses"] = options.lemma_witnesses
        texts.append(entry)
        diagnostics.extend(found)
        toc.append({"id": entry["id"], "label": entry["title"], "level": 1})
        toc.extend(text_toc)
        chars[entry["id"]] = printed_chars(document)
        diagnostics.extend(missing_glyphs(document, chars[entry["id"]]))
    # a script's face only when a text uses that script, so an English text's PDF does not grow
    faces, problems = font_faces(project.build_dir / FONT_CACHE, set().union(*chars.values()))
    return BookParts(project, list(documents), options, texts, toc, diagnostics + problems, faces, chars)
