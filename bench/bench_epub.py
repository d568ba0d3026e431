"""Benchmark of the EPUB output (``edition.render.epub.render_epubs``) of the whole edition.

In one run, on the TEI files in ``tei/``: (1) a cold build into an empty folder (every text's
EPUB and the edition's, citations formatted from nothing); (2) an unchanged rebuild through
``edition build``, which must write no file; (3) the baseline: the same texts rendered to the
web edition's HTML alone (``render_text``), the part the EPUB shares with the web pages.

Goals (issue 20): the edition's EPUBs in under 2 s cold; nothing rewritten on a no-op build.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition import build as builder  # noqa: E402
from edition.build import load_documents  # noqa: E402
from edition.diagnostics import Report  # noqa: E402
from edition.project import load_project  # noqa: E402
from edition.render.epub import render_epubs  # noqa: E402
from edition.render.html import render_text  # noqa: E402
from edition.tei.document import DocumentSet  # noqa: E402

GOAL_COLD = 2.0


def run() -> list[str]:
    """Measure and return the lines to print."""
    with tempfile.TemporaryDirectory(prefix="bench-epub-") as tmp:
        root = Path(tmp) / "ed"
        root.mkdir()
        for name in ("edition.toml", "tei", "rules"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
        project = load_project(root)
        documents = load_documents(project)
        start = time.perf_counter()
        written = render_epubs(project, DocumentSet(documents), Report())
        cold = time.perf_counter() - start
        start = time.perf_counter()
        for doc in documents:
            render_text(doc)
        html = time.perf_counter() - start
        builder.build(project, ["epub"])
        start = time.perf_counter()
        again = builder.build(load_project(root), ["epub"])
        noop = time.perf_counter() - start
        size = sum(p.stat().st_size for p in written)
    return [f"cold: {len(written)} EPUBs ({size / 1e6:.1f} MB) in {cold:.2f} s (goal < {GOAL_COLD:.0f} s: "
            f"{'met' if cold < GOAL_COLD else 'NOT met'}); the HTML they share alone {html:.2f} s "
            f"({cold / html:.1f}×)",
            f"no-op build: {noop:.3f} s, {len(again.written)} file(s) written (goal: none)"]
