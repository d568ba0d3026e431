"""A text's bibliographic facts for its web page: header metadata, URLs, machine tags.

In: a ``Document`` and the ``Project`` settings (``[edition]`` title, editors, publisher,
licence, ``base_url``). Out: a ``TextMeta`` (author, dates, source, editorial method, URLs),
Highwire ``citation_*`` meta tags and schema.org JSON-LD for reference managers. (The
citations themselves are formatted by ``edition.citation``, see ``edition.render.pagecite``.)
The editors' names as a sentence sets them (``edited_by``, ``name_in_sentence``) serve the web
pages' templates and the PDF's title page alike.

URL scheme: the published ``build/`` folder sits at ``base_url``; a text's page is
``{base_url}html/{id}.html``, a passage ``…/{id}.html#{xml:id}`` (``page_url``, the one function
that makes them), its PDF ``{base_url}pdf/{id}.pdf``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from edition.citation.item import base_url, text_url
from edition.project import Project
from edition.render.lang import html_lang
from edition.tei.document import Document
from edition.tei.text import plain_text
from edition.tei.witnesses import describe_bibl, describe_witness
from edition.tei.xmlio import NSMAP


@dataclass
class TextMeta:
    """What a text's page says about the text and the edition it belongs to."""

    id: str
    title: str
    subtitle: str | None
    authors: list[str]
    date: str | None            # the text's own date (ISO where known)
    date_text: str | None       # the date as written
    language: str
    source: str | None          # the witness the text is edited from, as prose
    source_notes: list[str]
    editorial: list[str]        # paragraphs of the editorial declaration
    responsibility: list[str]   # "Translated from the Spanish by X" …
    edition_title: str
    editors: list[str]
    publisher: str
    licence: str
    edition_date: str | None
    url: str
    pdf_url: str
    tei_url: str
    witness_sources: list[str] = field(default_factory=list)


# A name that opens with the article ("The edition developers", "The Hakluyt Society") is a body's
# name. Within a sentence a publisher sets that article in lower case ("edited by the Hakluyt
# Society", as the Chicago Manual of Style, 8.68, has it); the name itself stays as the settings or
# the TEI give it, and so it stands where it is alone on its line (the volume's title page).
_OPENING_ARTICLE = re.compile(r"The(?=\s)")


def name_in_sentence(name: str) -> str:
    """``name`` as set after words of a sentence ("edited by …"): an opening "The" in lower case."""
    return _OPENING_ARTICLE.sub("the", name, count=1) if _OPENING_ARTICLE.match(name) else name


def edited_by(names: list[str]) -> str:
    """``Edited by A, the B`` for a title page or a byline; '' when no one is named."""
    named = [name_in_sentence(n) for n in names if n]
    return f"Edited by {', '.join(named)}" if named else ""


def page_url(project: Project, text_id: str, passage: str | None = None) -> str:
    """The published URL of a text's page, or of a passage on it: ``{base_url}html/<id>.html#<passage>``.

    The one scheme of the edition: the citations (``edition.citation.item.text_url``, which this
    is), the DTS API, the page's canonical link and its "cite" control all use it.
    """
    return text_url(project, text_id, passage)


def _texts(doc: Document, expr: str) -> list[str]:
    return [t for t in (plain_text(el) for el in doc.xpath(expr)) if t]


def _licence(doc: Document) -> str:
    """The licence the TEI declares (its words, and its URL when the words are not the URL)."""
    found = doc.licence
    if found is None:
        return ""
    words, url = found
    return f"{words} ({url})" if url and url != words else words


def text_metadata(doc: Document, project: Project) -> TextMeta:
    """Collect the header facts and the edition's settings for one text."""
    settings = project.settings
    header = "tei:teiHeader/tei:fileDesc"
    date_el = doc.xpath("tei:teiHeader/tei:profileDesc/tei:creation/tei:date") \
        or doc.xpath("tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date") \
        or doc.xpath(f"{header}/tei:sourceDesc/tei:bibl/tei:date") \
        or doc.xpath(f"{header}/tei:sourceDesc//tei:date")
    date = date_text = None
    if date_el:
        date_text = plain_text(date_el[0]) or None
        date = date_el[0].get("when") or date_el[0].get("notBefore") or date_text
    bibl = doc.xpath(f"{header}/tei:sourceDesc/tei:bibl")
    source = None
    notes: list[str] = []
    if bibl:
        source = describe_bibl(bibl[0]) or None
        notes = [plain_text(n) for n in bibl[0].xpath("tei:note", namespaces=NSMAP)]
    elif doc.xpath(f"{header}/tei:sourceDesc"):
        source = plain_text(doc.xpath(f"{header}/tei:sourceDesc")[0])[:600] or None
    lang = html_lang(doc.root.get("{http://www.w3.org/XML/1998/namespace}lang")) \
        or html_lang(settings.get("language")) or "en"
    sub = _texts(doc, f"{header}/tei:titleStmt/tei:title[@type='sub']")
    return TextMeta(
        id=doc.id, title=doc.title, subtitle=sub[0] if sub else None,
        authors=_texts(doc, f"{header}/tei:titleStmt/tei:author"),
        date=date, date_text=date_text, language=lang, source=source, source_notes=notes,
        editorial=_texts(doc, "tei:teiHeader/tei:encodingDesc/tei:editorialDecl//tei:p")
        or _texts(doc, "tei:teiHeader/tei:encodingDesc/tei:projectDesc//tei:p"),
        responsibility=[" ".join(_texts(doc, f"{header}/tei:titleStmt/tei:respStmt[{i}]/*"))
                        for i in range(2, 1 + len(doc.xpath(f"{header}/tei:titleStmt/tei:respStmt")))],
        edition_title=settings.get("title", doc.title), editors=list(settings.get("editors", [])),
        publisher=settings.get("publisher", ""), licence=_licence(doc) or settings.get("licence", ""),
        edition_date=settings.get("date"), url=page_url(project, doc.id),
        pdf_url=f"{base_url(project)}pdf/{doc.id}.pdf", tei_url=f"{base_url(project)}html/tei/{doc.id}.xml",
        witness_sources=[describe_witness(w) for w in doc.xpath("//tei:listWit//tei:witness")],
    )


def highwire_tags(meta: TextMeta) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags (read by Zotero and Google Scholar)."""
    tags = [("citation_title", meta.title)]
    tags += [("citation_author", a) for a in meta.authors]
    tags += [("citation_editor", e) for e in meta.editors]
    if meta.date:
        tags.append(("citation_date", meta.date.replace("-", "/")))
    if meta.edition_date:
        tags.append(("citation_publication_date", meta.edition_date.replace("-", "/")))
    tags += [("citation_book_title", meta.edition_title), ("citation_publisher", meta.publisher),
             ("citation_language", meta.language), ("citation_public_url", meta.url),
             ("citation_fulltext_html_url", meta.url), ("citation_pdf_url", meta.pdf_url)]
    return [(name, value) for name, value in tags if value]


def json_ld(meta: TextMeta) -> str:
    """schema.org JSON-LD describing the text as a part of the edition."""
    data = {
        "@context": "https://schema.org", "@type": "CreativeWork", "@id": meta.url, "url": meta.url,
        "name": meta.title, "inLanguage": meta.language,
        "isPartOf": {"@type": "Book", "name": meta.edition_title, "bookFormat": "EBook",
                     "editor": [{"@type": "Person", "name": e} for e in meta.editors],
                     "publisher": {"@type": "Organization", "name": meta.publisher} if meta.publisher else None},
        "encoding": [{"@type": "MediaObject", "contentUrl": meta.pdf_url, "encodingFormat": "application/pdf"},
                     {"@type": "MediaObject", "contentUrl": meta.tei_url, "encodingFormat": "application/tei+xml"}],
    }
    if meta.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in meta.authors]
    if meta.date:
        data["dateCreated"] = meta.date
    if meta.edition_date:
        data["datePublished"] = meta.edition_date
    if meta.licence:
        data["license"] = meta.licence
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    # "</" must not end the script element early
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
