"""What a process keeps between layouts (``edition.render.pdf.layout.renderer``): the book's
stylesheet parsed once per version of the file, and what the process held before its first
layout left out of the cyclic collector's rounds (``memory.spare_the_settled``)."""

from __future__ import annotations

import gc
import os
import shutil
import weakref

import pdfplumber
import pytest

pytest.importorskip("weasyprint")

HTML = ("<!DOCTYPE html><html><head><title>t</title></head>"
        "<body><p>One line of text.</p></body></html>")


def _page_width_mm(data: bytes, tmp_path) -> float:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    with pdfplumber.open(path) as pdf:
        return round(float(pdf.pages[0].width) * 25.4 / 72)


def test_an_edited_stylesheet_is_read_again(tmp_path, monkeypatch):
    """The parsed stylesheet is kept by the file's version: a process that lives on (``edition
    serve``) lays out with the stylesheet as it is now, not as it was at its first layout."""
    from edition.render.pdf import layout
    from edition.render.pdf.document import stylesheet_path
    from edition.render.pdf.options import PdfOptions

    css = tmp_path / "print.css"
    shutil.copy(stylesheet_path(), css)
    monkeypatch.setattr(layout, "stylesheet_path", lambda: css)
    parsed = []
    real_css = layout.weasyprint.CSS
    monkeypatch.setattr(layout.weasyprint, "CSS", lambda **kw: parsed.append(kw["filename"]) or real_css(**kw))
    options = PdfOptions(variant="none")

    def width() -> float:
        return _page_width_mm(layout.renderer(options, tmp_path)(HTML, counted=False).write_pdf(), tmp_path)

    first = width()
    assert width() == first and parsed == [str(css)]   # the same file: parsed once, the same page
    css.write_text(css.read_text(encoding="utf-8") + "\n@page { size: 100mm 150mm; }\n", encoding="utf-8")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))   # a new version, whatever the clock
    assert first != 100 and width() == 100 and parsed == [str(css)] * 2


def test_settled_objects_are_set_aside_once():
    """The first layout of a process freezes what the process holds then; later layouts freeze
    nothing more (their garbage, cycles included, stays the collector's to free)."""
    from edition.render.pdf import memory

    memory.spare_the_settled()
    frozen = gc.get_freeze_count()
    assert frozen > 0

    class Node:
        pass

    node = Node()
    node.me = node   # a cycle, made after: only the collector can free it
    gone = weakref.ref(node)
    memory.spare_the_settled()
    assert gc.get_freeze_count() == frozen
    del node
    gc.collect()
    assert gone() is None
