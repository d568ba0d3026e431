"""``edition resolve REF``: where one passage stands in every output, and its text.

In: a reference (``text`` or ``text:passage``), the project and its built outputs.
Out: a ``dict`` (the ``--format json`` answer) and its text rendering: the TEI file and line,
the HTML URL (``<base_url>html/<id>.html#<passage>``) and whether the built page has that
anchor, the PDF page holding the named destination, the line of ``build/txt/<id>.txt`` with
the marker ``{#<passage>}``, and the passage's reading text. An unknown text or passage is an
error with close matches; an output not built yet is reported, not an error.
"""

from __future__ import annotations

import json
from pathlib import Path

from edition.citation import outputs
from edition.citation.item import split_above, text_url
from edition.citation.refs import (
    Passage,
    find_passage,
    load_text,
    parse_ref,
    passage_text,
)
from edition.project import Project
from edition.tei.document import Document
from edition.tei.pages import page_plan


def _shown(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def pdf_page(project: Project, text_id: str, anchor: str) -> tuple[int | str | None, str | None]:
    """The page of the PDF where a passage's named destination is, as printed on it (its folio, the
    page's label: the text is numbered from 1 after front matter in roman numerals), or ``None``
    and the reason."""
    path = outputs.pdf_path(project, text_id)
    try:
        dests = outputs.pdf_destinations(path)
        labels = outputs.pdf_page_labels(path) if dests else None
    except outputs.PdfUnreadable as exc:
        return None, str(exc)
    if dests is None:
        return None, f"{_shown(project, path)} is not built yet (run edition build)"
    if anchor not in dests:
        return None, f"{_shown(project, path)} has no named destination '{anchor}' (rebuild the PDF)"
    return outputs.printed_page(labels or [], dests[anchor]), None


def locate(project: Project, doc: Document, passage: Passage | None) -> dict:
    """Where a passage (or, with ``None``, the whole text) is in each output."""
    anchor = passage.anchor if passage else None
    tei = {"file": _shown(project, doc.path), "line": passage.line if passage else 1}
    element = passage.element if passage else None
    page = page_plan(doc.root, doc.id, split_above(project)).file_of(element) if element is not None else None
    html_file = outputs.html_path(project, doc.id, page)
    ids = outputs.html_ids(html_file)
    html = {"url": text_url(project, doc.id, anchor, element), "file": _shown(project, html_file),
            "found": None if ids is None else (anchor in ids if anchor else True)}
    if ids is None:
        html["note"] = "not built yet (run edition build)"
    elif anchor and anchor not in ids:
        html["note"] = f"the page has no anchor '{anchor}' (rebuild the HTML)"
    pdf_file = outputs.pdf_path(project, doc.id)
    pdf = {"file": _shown(project, pdf_file), "page": None, "found": None}
    if anchor:
        pdf["page"], reason = pdf_page(project, doc.id, anchor)
        pdf["found"] = pdf["page"] is not None if pdf_file.is_file() else None
        if reason:
            pdf["note"] = reason
    elif pdf_file.is_file():
        pdf["page"], pdf["found"] = 1, True
    txt_file = outputs.txt_path(project, doc.id)
    markers = outputs.text_markers(txt_file)
    txt = {"file": _shown(project, txt_file), "line": None, "found": None}
    if markers is None:
        txt["note"] = "not built yet (run edition build)"
    elif anchor:
        txt["line"] = markers.get(anchor) or (markers.get(passage.ref) if passage else None)
        txt["found"] = txt["line"] is not None
        if not txt["found"]:
            txt["note"] = f"no marker {{#{anchor}}} (only paragraphs are marked)"
    else:
        txt["line"], txt["found"] = 1, True
    return {"tei": tei, "html": html, "pdf": pdf, "txt": txt, "epub": _epub(project, doc, anchor)}


def _epub(project: Project, doc: Document, anchor: str | None) -> dict:
    """Where the passage is in the text's EPUB: its content document and fragment id."""
    path = outputs.epub_path(project, doc.id)
    location = outputs.epub_document(doc.id) + (f"#{anchor}" if anchor else "")
    ids = outputs.epub_ids(path, doc.id)
    epub = {"file": _shown(project, path), "location": location,
            "found": None if ids is None else (anchor in ids if anchor else True)}
    if ids is None:
        epub["note"] = "not built (add \"epub\" to the outputs in edition.toml)"
    elif anchor and anchor not in ids:
        epub["note"] = f"the EPUB has no anchor '{anchor}' (rebuild the EPUB)"
    return epub


def resolve(project: Project, ref_string: str) -> dict:
    """Resolve a reference; raise ``EditionError`` (with close matches) when it names nothing."""
    ref = parse_ref(ref_string)
    doc = load_text(project, ref.text)
    passage = find_passage(doc, ref.passage) if ref.passage else None
    answer = {"ref": f"{doc.id}:{passage.ref}" if passage else doc.id, "text_id": doc.id,
              "passage": passage.ref if passage else None, "unit": passage.unit if passage else "text",
              "xml_id": passage.xml_id if passage else None, "title": doc.title}
    answer.update(locate(project, doc, passage))
    answer["text"] = passage_text(passage.element) if passage else None
    return answer


def format_resolution(answer: dict, fmt: str = "text") -> str:
    """The answer as JSON or as lines for a person."""
    if fmt == "json":
        return json.dumps(answer, ensure_ascii=False, indent=2)
    lines = [f"{answer['ref']}  ({answer['unit']} of “{answer['title']}”)"]
    tei = answer["tei"]
    lines.append(f"  TEI   {tei['file']}:{tei['line']}")
    html = answer["html"]
    lines.append(f"  HTML  {html['url']}" + (f"  [{html['note']}]" if html.get("note") else ""))
    pdf = answer["pdf"]
    where = f"{pdf['file']}, page {pdf['page']}" if pdf["page"] else pdf["file"]
    lines.append(f"  PDF   {where}" + (f"  [{pdf['note']}]" if pdf.get("note") else ""))
    txt = answer["txt"]
    where = f"{txt['file']}:{txt['line']}" if txt["line"] else txt["file"]
    lines.append(f"  text  {where}" + (f"  [{txt['note']}]" if txt.get("note") else ""))
    epub = answer.get("epub")
    if epub:
        lines.append(f"  EPUB  {epub['file']}: {epub['location']}" + (f"  [{epub['note']}]" if epub.get("note") else ""))
    if answer.get("text"):
        text = answer["text"]
        lines.append(f"  “{text if len(text) <= 400 else text[:400].rsplit(' ', 1)[0] + ' …'}”")
    return "\n".join(lines)


def run_resolve(project: Project, ref_string: str, fmt: str = "text") -> str:
    """``edition resolve``: the printed answer for one reference."""
    return format_resolution(resolve(project, ref_string), fmt)
