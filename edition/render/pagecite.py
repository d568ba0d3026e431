"""The citations a text's web page offers, formatted by ``edition.citation`` with CSL styles.

In: the project and one of its texts. Out: ``PageCitations``: the whole text cited in Chicago,
MLA and APA (the CSL styles through citeproc-py), BibTeX and its link, for the page's
"Cite this text"; and the same styles for any paragraph, with ``{passage}`` where the
paragraph's id goes (``edition.citation.cite.citation_templates``), which the page's script
fills in for each paragraph's "cite" control. Both come from the one CSL-JSON item of
``edition.citation.item``, so the page, ``edition cite`` and the PDF agree.

citeproc-py takes a few hundredths of a second per text; the result depends only on the TEI
file, the project's settings and the citation code, so it is kept in ``build/.cache/`` under a
hash of those (``edition.citation.kept.CitationCache``) and an unchanged rebuild does not
format anything again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from edition.citation.kept import CACHE_FILE, CitationCache, code_version
from edition.diagnostics import EditionError, warning
from edition.project import Project
from edition.render.metadata import page_url
from edition.tei.document import Document

__all__ = ["CACHE_FILE", "CitationCache", "PageCitations", "code_version", "format_citations"]

STYLES = (("chicago", "Chicago"), ("mla", "MLA"), ("apa", "APA"))
PASSAGE = "{passage}"   # the placeholder of edition.citation.cite.citation_templates


@dataclass
class PageCitations:
    """The text's own citations and the templates of its paragraphs' (style → text)."""

    text: dict[str, str]
    passage: dict[str, str]


NO_CITATIONS = PageCitations({}, {})


def _format(project: Project, doc: Document) -> PageCitations:
    from edition.citation.bibformats import to_bibtex
    from edition.citation.cite import citation_templates, csl_reference
    from edition.citation.item import text_item
    from edition.citation.refs import load_text

    item = text_item(project, load_text(project, doc.id))
    text = {label: csl_reference(item, style) for style, label in STYLES}
    text["BibTeX"] = to_bibtex(item).rstrip("\n")
    text["Link"] = page_url(project, doc.id)
    passage = citation_templates(project, doc.id)
    passage["BibTeX"] = passage["BibTeX"].rstrip("\n")
    passage["Link"] = page_url(project, doc.id, PASSAGE)
    return PageCitations(text, passage)


def format_citations(project: Project, doc: Document, key: str,
                     found: dict | None) -> tuple[PageCitations, dict | None, list]:
    """(the text's citations, the cache entry that holds them, findings): ``found``, the entry
    the cache has, or the citations formatted now (a worker does this without the cache)."""
    if found is not None:
        return PageCitations(found["text"], found["passage"]), found, []
    try:
        cites = _format(project, doc)
    except EditionError as exc:   # e.g. a TEI file outside the project's tei/ folder
        problem = warning("W603", f"the citations of this text could not be formatted: "
                                  f"{exc.diagnostics[0].message}", doc.path)
        return (PageCitations({"Link": page_url(project, doc.id)}, {"Link": page_url(project, doc.id, PASSAGE)}),
                None, [problem])
    return cites, {"key": key, **asdict(cites)}, []
