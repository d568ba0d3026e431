"""The CSL-JSON item of the edition, of one text, or of one passage: the one source of citations.

In: the project settings (``[edition]`` title, editors, publisher, ``base_url``, ``date``), a
text's ``teiHeader`` (title, author, translator, dates, language) and, for a passage, its
reference and PDF page. Out: a CSL-JSON item (a ``dict``), from which every style and format
(CSL styles through citeproc-py, BibTeX, RIS) is made.

A text is cited as a ``chapter`` of the edition (a ``book`` edited by the edition's editors);
a passage is located as a reader finds it on the page, never by its ``xml:id``: the number of
its paragraph ("para. 21", ``edition.tei.numbering``, the numbers the web page shows), a note
by its ``@n``, a division by its ``@n`` (``passage_locator``: the citation's locator and, in
words, the item's ``section``); its URL is the passage's anchor on the text's page (without a
``base_url`` there is no URL: a relative path is no citation), its ``page`` the page of the PDF
where it stands. ``issued`` is the
edition's date (``[edition] date``, or the header's ``publicationStmt/date``); the text's own
date is ``original-date``. Without an edition date the styles print "n.d.", never the text's
date as if it were the edition's.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.citation.refs import Passage
from edition.project import Project
from edition.tei.document import Document
from edition.tei.numbering import paragraph_numbers, reader_locator
from edition.tei.pages import page_plan
from edition.tei.vocabulary import DIVISIONS

_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_YEAR = re.compile(r"\b(\d{4})\b")


def base_url(project: Project) -> str:
    """The edition's published address with a final slash ('' when not set)."""
    base = project.settings.get("base_url", "")
    return base if not base or base.endswith("/") else base + "/"


def text_url(project: Project, text_id: str, anchor: str | None = None,
             element: etree._Element | None = None, page: str | None = None) -> str:
    """The published URL of a text's page (``<base_url>html/<id>.html``), or of a passage on it.

    With the passage's ``element``, a long text published one page per division
    (``[html] split_above``, ``edition.tei.pages``) is located on the page that holds it;
    ``page`` names one of those pages (``<id>.<n>.html``) outright.
    """
    page = page or f"{text_id}.html"
    if element is not None:
        page = page_plan(element.getroottree().getroot(), text_id, split_above(project)).file_of(element)
    url = f"{base_url(project)}html/{page}"
    return f"{url}#{anchor}" if anchor else url


def split_above(project: Project) -> int | None:
    """``[html] split_above``: the size (characters) above which a text gets a page per division."""
    return getattr(project, "html", {}).get("split_above")


def csl_date(value: str | None) -> dict | None:
    """A CSL date from ISO (``1968``, ``1968-05``, ``1968-05-03``) or from prose with a year."""
    if not value:
        return None
    match = _ISO.match(value.strip())
    if match:
        return {"date-parts": [[int(part) for part in match.groups() if part]]}
    year = _YEAR.search(value)
    if year:
        return {"date-parts": [[int(year.group(1))]]}
    return {"literal": value.strip()}


def csl_name(name: str) -> dict:
    """A CSL name: ``Family, Given`` or ``Given Family`` for a person; one word or an organisation as a literal."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    words = name.split(" ")
    if len(words) < 2 or len(words) > 4 or any(w[:1].islower() for w in words):
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _first(doc: Document, *exprs: str) -> tuple[str | None, str | None]:
    """(``@when``-like value, text) of the first element found by these XPaths."""
    for expr in exprs:
        found = doc.xpath(expr)
        if found:
            el = found[0]
            text = " ".join("".join(el.itertext()).split()) or None
            return el.get("when") or el.get("notBefore") or el.get("from") or text, text
    return None, None


def text_facts(doc: Document) -> dict:
    """Title, authors, translators, the text's date and language, from the ``teiHeader``."""
    title_stmt = "tei:teiHeader/tei:fileDesc/tei:titleStmt"
    authors = [" ".join("".join(a.itertext()).split()) for a in doc.xpath(f"{title_stmt}/tei:author")]
    translators = [" ".join("".join(n.itertext()).split())
                   for n in doc.xpath(f"{title_stmt}/tei:respStmt[@xml:id='translator']/tei:name"
                                      f" | {title_stmt}/tei:editor[@role='translator']")]
    date, date_text = _first(doc, "tei:teiHeader/tei:profileDesc/tei:creation//tei:date",
                             "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date",
                             "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:date")
    edition_date, _ = _first(doc, "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date")
    lang = doc.root.get("{http://www.w3.org/XML/1998/namespace}lang")
    subtitle = doc.xpath(f"{title_stmt}/tei:title[@type='sub']")
    return {"title": doc.title, "subtitle": " ".join("".join(subtitle[0].itertext()).split()) if subtitle else None,
            # a "name" in lower case is a description ("an unnamed translator"), not a name
            "authors": [a for a in authors if a], "translators": [t for t in translators if t[:1].isupper()],
            "date": date, "date_text": date_text, "edition_date": edition_date, "language": lang}


def edition_item(project: Project) -> dict:
    """The CSL-JSON item of the whole edition (a ``book``)."""
    settings = project.settings
    item = {"id": "edition", "type": "book", "title": settings.get("title", "Untitled edition")}
    if settings.get("editors"):
        item["editor"] = [csl_name(e) for e in settings["editors"]]
    if settings.get("publisher"):
        item["publisher"] = settings["publisher"]
    date = csl_date(settings.get("date"))
    if date:
        item["issued"] = date
    if base_url(project):
        item["URL"] = base_url(project)
    if settings.get("language"):
        item["language"] = settings["language"]
    return item


def text_item(project: Project, doc: Document, passage: Passage | None = None,
              pdf_page: int | None = None) -> dict:
    """The CSL-JSON item of a text (a ``chapter`` of the edition) or of one of its passages."""
    facts = text_facts(doc)
    edition = edition_item(project)
    item = {"id": f"{doc.id}:{passage.ref}" if passage else doc.id, "type": "chapter",
            "title": facts["title"], "container-title": edition["title"]}
    if facts["authors"]:
        item["author"] = [csl_name(a) for a in facts["authors"]]
    if facts["translators"]:
        item["translator"] = [csl_name(t) for t in facts["translators"]]
    for key in ("editor", "publisher"):
        if key in edition:
            item[key] = edition[key]
    # The edition's date is when it was published; the text's own date is the original's.
    # With no edition date the styles say "n.d." rather than date the edition by the text.
    own = csl_date(facts["date"])
    published = edition.get("issued") or csl_date(facts["edition_date"])
    if published:
        item["issued"] = published
    if own and own != published:
        item["original-date"] = own
    if base_url(project):   # without a published address a relative path is no citation
        item["URL"] = text_url(project, doc.id, passage.anchor if passage else None,
                               passage.element if passage else None)
    if facts["language"] or edition.get("language"):
        item["language"] = facts["language"] or edition["language"]
    if passage:
        located = passage_locator(doc, passage)
        if located:
            item["section"] = locator_text(*located)
    if pdf_page:
        item["page"] = str(pdf_page)
    return item


# How a CSL locator label reads in words (for BibTeX and RIS, which have no locator).
_LOCATOR_WORDS = {"paragraph": "paragraph", "note": "note", "section": "section"}


def passage_locator(doc: Document, passage: Passage) -> tuple[str, str] | None:
    """The CSL locator (label, value) of a passage as a reader finds it, never an ``xml:id``.

    A passage in a numbered paragraph is located by that paragraph's number as the pages show it
    (``("paragraph", "21")``, ``edition.tei.numbering``); a note by its ``@n``; a division by
    its ``@n``. ``None`` when nothing a reader sees locates it: the URL alone does.
    """
    element = passage.element
    name = etree.QName(element).localname
    if name == "note":
        # by the number the source gives it; a note without one (a translator's note) is found
        # by its URL, never by a count the pages do not show
        return ("note", element.get("n")) if element.get("n") else None
    if name not in DIVISIONS:
        located = reader_locator(element, paragraph_numbers(doc.root))
        if located:
            return located
    # a division by its own number (``@n``); its heading is no locator (a style would read a
    # hyphen in it as a range), so an unnumbered division is located by its URL alone
    number = element.get("n") if name in DIVISIONS else None
    return ("section", number) if number else None


def locator_text(label: str, value: str) -> str:
    """``("paragraph", "21")`` → ``paragraph 21`` (for BibTeX and RIS)."""
    return f"{_LOCATOR_WORDS.get(label, label)} {value}"
