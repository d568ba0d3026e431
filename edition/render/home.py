"""The home page's list of texts: ordered and grouped as the editor chose, in pages.

In: the ``[html]`` settings (``texts_by``: ``edition`` — the order of the texts in the edition,
``title``, ``date``, ``author``, or an XPath into each text's TEI such as
``tei:teiHeader//tei:correspAction[@type='received']/tei:persName``; ``texts_per_page``) and
the texts as the site renders them (``(document, metadata, rendered)``). Out: ``HomePage``s:
the file name (``index.html``, then ``index-2.html`` …), the texts on that page in their groups
(a year, an author, a value of the field; a group cut by a page break is headed again), and
the links to every page. A correspondence of thousands of letters is then a few dozen pages of
100, each as light as an edition of 100 texts.

Order: by the key (text compared case-blind, dates as ISO strings so 1893-08 sorts before
1893-09), then by the edition's own order; a text without a date, author or value comes last,
in a group of its own ("Undated", "Anonymous", "Without a value").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from edition.diagnostics import EditionError, error
from edition.project import PROJECT_FILE
from edition.tei.xmlio import NSMAP
from edition.tomlcheck import _line_in

ORDERS = ("edition", "title", "date", "author")
TEXTS_PER_PAGE = 100
MISSING = {"date": "Undated", "author": "Anonymous"}


@dataclass
class HomePage:
    """One page of the list of texts."""

    number: int
    name: str                                   # index.html, index-2.html …
    groups: list[tuple[str, list]] = field(default_factory=list)   # (heading, [(doc, meta, rendered)])
    links: list[tuple[int, str]] = field(default_factory=list)     # (page number, file name) of every page

    @property
    def texts(self) -> list:
        return [entry for _, entries in self.groups for entry in entries]


def page_name(number: int) -> str:
    return "index.html" if number == 1 else f"index-{number}.html"


def check_settings(project) -> None:
    """``[html] texts_by`` and ``texts_per_page`` (E175, with the line of edition.toml)."""
    settings = project.html
    problems = []
    by = settings.get("texts_by", "edition")
    if by not in ORDERS:
        try:
            etree.XPath(by, namespaces=NSMAP)
        except etree.XPathSyntaxError as exc:
            problems.append(("texts_by", f"texts_by '{by}' is neither one of {', '.join(ORDERS)} nor an XPath "
                                         f"({exc})"))
    if settings.get("texts_per_page", TEXTS_PER_PAGE) < 1:
        problems.append(("texts_per_page", "texts_per_page must be 1 or more"))
    if problems:
        path = project.root / PROJECT_FILE
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        raise EditionError(*(error("E175", message, path, _line_in(text, "html", key) if text else None,
                                   hint="see the [html] table of edition.toml") for key, message in problems))


def home_pages(project, texts: list) -> list[HomePage]:
    """The texts ordered, grouped and cut into pages (module docstring)."""
    by = project.html.get("texts_by", "edition")
    per_page = project.html.get("texts_per_page", TEXTS_PER_PAGE)
    keyed = [(_key(by, doc, meta), position, (doc, meta, rendered))
             for position, (doc, meta, rendered) in enumerate(texts)]
    keyed.sort(key=lambda item: (item[0][0] is None, (item[0][0] or "").casefold(), item[1]))
    count = max(1, math.ceil(len(keyed) / per_page))
    links = [(number, page_name(number)) for number in range(1, count + 1)]
    pages = []
    for number in range(1, count + 1):
        page = HomePage(number, page_name(number), links=links)
        for (sort, heading), _, entry in keyed[(number - 1) * per_page:number * per_page]:
            if not page.groups or page.groups[-1][0] != heading:
                page.groups.append((heading, []))
            page.groups[-1][1].append(entry)
        pages.append(page)
    return pages


def _key(by: str, doc, meta) -> tuple[str | None, str]:
    """(what the text sorts by, or None; the heading of its group) for one text."""
    if by == "edition":
        return "", ""
    if by == "title":
        return meta.title, (meta.title[:1].upper() or "")
    if by == "date":
        date = meta.date if meta.date and meta.date[:4].isdigit() else None
        return date, date[:4] if date else MISSING["date"]
    if by == "author":
        author = meta.authors[0] if meta.authors else None
        return author, author or MISSING["author"]
    found = doc.root.xpath(by, namespaces=NSMAP)
    value = _string(found)
    return value, value or "Without a value"


def _string(found) -> str | None:
    """The first result of an XPath as one line of text (None when it found nothing)."""
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None or found is False:
        return None
    if isinstance(found, etree._Element):
        found = "".join(found.itertext())
    text = " ".join(str(found).split())
    return text or None
