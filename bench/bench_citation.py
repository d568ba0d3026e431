"""Benchmark of the citation layer on the edition's own TEI (issue 8 sets no speed goal).

Measured in one run, in a temporary build folder: reading every text's citation tree; the
static DTS API written from nothing, rewritten with nothing changed (the files are compared,
not written), and rewritten after one text changed (an incremental build hands the writer that
text only); one ``edition cite`` (Chicago, through citeproc-py and the CSL style) and one
``edition resolve`` as a function call. The DTS writer runs inside the HTML build, so its
time adds to the HTML goal of issue 6 (< 2 s for the whole edition).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.build import DocumentSet, load_documents  # noqa: E402
from edition.citation import refs  # noqa: E402
from edition.citation.cite import run_cite  # noqa: E402
from edition.citation.dts import write_dts  # noqa: E402
from edition.citation.resolve import run_resolve  # noqa: E402
from edition.project import load_project  # noqa: E402


def _timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - start, value


def run() -> list[str]:
    """Return the lines to print."""
    project = load_project(ROOT)
    documents = load_documents(project)
    if not documents:
        return ["no TEI in tei/: nothing to measure"]
    lines = []
    seconds, trees = _timed(lambda: [refs.citation_tree(d) for d in documents])
    count = sum(len(t.passages()) for t in trees)
    lines.append(f"citation trees of {len(documents)} texts ({count} passages): {seconds * 1000:.0f} ms")
    folder = Path(tempfile.mkdtemp(prefix="bench-citation-"))
    try:
        project.settings["build_dir"] = str(folder)
        fresh = load_documents(project)
        seconds, written = _timed(write_dts, project, fresh, None)
        lines.append(f"DTS from nothing: {len(written)} files in {seconds:.2f} s")
        seconds, written = _timed(write_dts, project, fresh, None)
        lines.append(f"DTS, nothing changed: {len(written)} files rewritten in {seconds:.2f} s")
        one = max(fresh, key=lambda d: len(refs.passages(d)))
        seconds, written = _timed(write_dts, project, DocumentSet([one], fresh), None)
        lines.append(f"DTS, one text changed ({one.id}): {seconds:.2f} s")
        passage = refs.passages(one)[len(refs.passages(one)) // 2]
        ref = f"{one.id}:{passage.ref}"
        run_cite(project, ref, "chicago")  # the first call parses the CSL style
        seconds, _ = _timed(run_cite, project, ref, "chicago")
        lines.append(f"cite {ref} (chicago, style parsed): {seconds * 1000:.0f} ms")
        seconds, _ = _timed(run_resolve, project, ref)
        lines.append(f"resolve {ref}: {seconds * 1000:.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return lines
