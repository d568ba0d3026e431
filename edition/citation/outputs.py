"""Where passage ids stand in the built outputs: HTML anchors, PDF named destinations, text markers.

In: the build folder (``build/html/<id>.html``, ``build/pdf/<id>.pdf``, ``build/txt/<id>.txt``,
``build/epub/<id>.epub``). Out: for one text, the ids its HTML page defines, the page of the PDF
each named destination points to (and the folio printed on each page: its label), the line of the plain text where each ``{#<passage id>} ``
marker stands, and the ids of its EPUB content document. A
missing output gives ``None`` (not built yet), never an error: ``resolve`` reports it as such.

The PDF is read with pikepdf, or else pdfminer (pdfplumber's reader), whichever is installed;
with neither, PDF pages are reported as unknown and say why.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from edition.project import Project

_MARKER = re.compile(r"^\s*\{#([^}\s]+)\}")


def html_path(project: Project, text_id: str, page: str | None = None) -> Path:
    """The text's web page in the build folder (or ``page``, one of its pages, ``edition.tei.pages``)."""
    return project.build_dir / "html" / (page or f"{text_id}.html")


def pdf_path(project: Project, text_id: str) -> Path:
    """The text's PDF in the build folder."""
    return project.build_dir / "pdf" / f"{text_id}.pdf"


def epub_path(project: Project, text_id: str) -> Path:
    """The text's EPUB in the build folder."""
    return project.build_dir / "epub" / f"{text_id}.epub"


def epub_document(text_id: str) -> str:
    """The text's content document inside its EPUB (``edition.render.epub``)."""
    return f"{text_id}.xhtml"


def epub_ids(path: Path, text_id: str) -> set[str] | None:
    """Every ``id`` of the text's content document in an EPUB (``None`` when the file does not exist)."""
    stamp = _stamp(path)
    return None if stamp is None else _epub_ids(stamp, text_id)


@functools.lru_cache(maxsize=16)
def _epub_ids(stamp, text_id: str) -> set[str]:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(stamp[0]) as archive:
        try:
            data = archive.read(f"OEBPS/{epub_document(text_id)}")
        except KeyError:
            return set()
    return set(etree.fromstring(data).xpath("//@id"))


def txt_path(project: Project, text_id: str) -> Path:
    """The text's plain text in the build folder."""
    return project.build_dir / "txt" / f"{text_id}.txt"


def _stamp(path: Path):
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_mtime_ns, stat.st_size)


def html_ids(path: Path) -> set[str] | None:
    """Every ``id`` defined in an HTML file (``None`` when the file does not exist)."""
    stamp = _stamp(path)
    return None if stamp is None else _html_ids(stamp)


@functools.lru_cache(maxsize=16)
def _html_ids(stamp) -> set[str]:
    import lxml.html

    tree = lxml.html.parse(stamp[0])
    return {value for value in tree.xpath("//@id")}


def text_markers(path: Path) -> dict[str, int] | None:
    """``{passage id: line number}`` of the markers in a plain-text output (``None`` when absent)."""
    stamp = _stamp(path)
    return None if stamp is None else _text_markers(stamp)


@functools.lru_cache(maxsize=16)
def _text_markers(stamp) -> dict[str, int]:
    found: dict[str, int] = {}
    with open(stamp[0], encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            match = _MARKER.match(line)
            if match:
                found.setdefault(match.group(1), number)
    return found


class PdfUnreadable(Exception):
    """No PDF reader (pikepdf or pdfminer) is installed."""


def pdf_destinations(path: Path) -> dict[str, int] | None:
    """``{named destination: 1-based page}`` of a PDF (``None`` when the file does not exist).

    Raises ``PdfUnreadable`` when neither pikepdf nor pdfminer is installed.
    """
    stamp = _stamp(path)
    return None if stamp is None else _pdf_destinations(stamp)


@functools.lru_cache(maxsize=16)
def _pdf_destinations(stamp) -> dict[str, int]:
    try:
        import pikepdf
    except ImportError:
        return _pdfminer_destinations(stamp[0])
    with pikepdf.open(stamp[0]) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        found: dict[str, int] = {}
        root = pdf.Root
        entries = []
        if "/Names" in root and "/Dests" in root.Names:
            entries.extend(pikepdf.NameTree(root.Names.Dests).items())
        if "/Dests" in root:  # the PDF 1.1 form: a dictionary of names
            entries.extend((str(k)[1:], v) for k, v in root.Dests.items())
        for name, dest in entries:
            if isinstance(dest, pikepdf.Dictionary) and "/D" in dest:
                dest = dest.D
            if isinstance(dest, pikepdf.Array) and len(dest):
                page = pages.get(dest[0].objgen)
                if page:
                    found.setdefault(str(name), page)
        return found


def pdf_page_labels(path: Path) -> list[str] | None:
    """Each page's label (its printed folio: "i", "ii" … for the front matter, "1", "2" … from the
    text on), in page order; ``None`` when the file does not exist. A PDF without page labels:
    the pages' numbers, "1", "2" …"""
    stamp = _stamp(path)
    return None if stamp is None else _pdf_page_labels(stamp)


@functools.lru_cache(maxsize=16)
def _pdf_page_labels(stamp) -> list[str]:
    try:
        import pikepdf
    except ImportError:
        return _pdfminer_page_labels(stamp[0])
    with pikepdf.open(stamp[0]) as pdf:
        return [str(page.label) for page in pdf.pages]


def _pdfminer_page_labels(path: str) -> list[str]:
    try:
        from pdfminer.pdfdocument import PDFDocument, PDFNoPageLabels
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:
        raise PdfUnreadable("install pikepdf (or pdfplumber) to read PDF pages") from None
    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        count = sum(1 for _ in PDFPage.create_pages(document))
        try:
            labels = document.get_page_labels()
            return [next(labels) for _ in range(count)]
        except PDFNoPageLabels:
            return [str(number) for number in range(1, count + 1)]


def printed_page(labels: list[str], page: int) -> int | str:
    """The folio printed on the 1-based ``page``, from its label: a number when it is arabic."""
    label = labels[page - 1] if 0 < page <= len(labels) else str(page)
    return int(label) if label.isdigit() else label


def _pdfminer_destinations(path: str) -> dict[str, int]:
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1
    except ImportError:
        raise PdfUnreadable("install pikepdf (or pdfplumber) to read PDF pages") from None
    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        pages = {page.pageid: number for number, page in enumerate(PDFPage.create_pages(document), 1)}
        found: dict[str, int] = {}
        for name, dest in _name_tree(document):
            dest = resolve1(dest)
            if isinstance(dest, dict) and "D" in dest:
                dest = resolve1(dest["D"])
            if isinstance(dest, list) and dest and hasattr(dest[0], "objid"):
                key = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
                if dest[0].objid in pages:
                    found.setdefault(key, pages[dest[0].objid])
        return found


def _name_tree(document):
    from pdfminer.pdftypes import resolve1

    names = resolve1(document.catalog.get("Names", {}))
    root = resolve1(names.get("Dests")) if isinstance(names, dict) else None
    stack = [root] if root else []
    while stack:
        node = resolve1(stack.pop())
        pairs = resolve1(node.get("Names", []))
        for i in range(0, len(pairs) - 1, 2):
            yield resolve1(pairs[i]), pairs[i + 1]
        stack.extend(resolve1(node.get("Kids", [])))
