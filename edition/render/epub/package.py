"""An EPUB 3 file: content documents, navigation, package document, fonts → one ZIP container.

In: the content documents (name → XHTML) and the facts of the package (title, identifier,
people, licence, the page list of the print edition). Out: the bytes of the ``.epub``: the
``mimetype`` entry first and stored, ``META-INF/container.xml``, then ``OEBPS/`` with the
package document, the navigation document, the front matter, the texts, the style sheet and
the book face. Every entry has the same fixed timestamp and the entries are in a fixed order,
so the same inputs give the same bytes; the package's ``dcterms:modified`` is the newest input's
date, no later than ``SOURCE_DATE_EPOCH`` when that is set (as the PDFs' attachment dates).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
# The ZIP format's earliest date: an entry's time says nothing about the edition.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class Package:
    """Everything one EPUB holds, before it is zipped."""

    documents: dict[str, str]                      # OEBPS-relative name → XHTML (front, nav, texts)
    opf: str = ""
    css: bytes = b""
    fonts: dict[str, bytes] = field(default_factory=dict)   # OEBPS-relative name → WOFF2 bytes

    def bytes(self) -> bytes:
        """The ``.epub`` file."""
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            _add(archive, "mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
            _add(archive, "META-INF/container.xml", CONTAINER.encode("utf-8"))
            _add(archive, "OEBPS/content.opf", self.opf.encode("utf-8"))
            for name in sorted(self.documents):
                _add(archive, f"OEBPS/{name}", self.documents[name].encode("utf-8"))
            _add(archive, "OEBPS/css/epub.css", self.css)
            for name in sorted(self.fonts):
                # fonts are compressed already: stored, not deflated again
                _add(archive, f"OEBPS/{name}", self.fonts[name], zipfile.ZIP_STORED)
        return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def identifier(base_url: str, edition_title: str, key: str) -> str:
    """A stable ``urn:uuid`` for the EPUB of ``key`` (a text id, or the whole edition)."""
    seed = f"{base_url or edition_title}#{key}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def modified(paths: list[Path]) -> str:
    """``dcterms:modified``: the newest input's time, clamped to ``SOURCE_DATE_EPOCH`` if set."""
    times = [p.stat().st_mtime for p in paths if p.is_file()]
    when = max(times) if times else 0
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        when = min(when, int(epoch)) if times else int(epoch)
    return dt.datetime.fromtimestamp(int(when), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
