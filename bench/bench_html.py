"""Benchmark of the HTML build (``edition.render.site.build_site``) of the whole edition.

In one run, on the TEI files in ``tei/`` (the three texts and the collated one):
(1) a full build into an empty folder: parse, render every page, the home and search pages,
the static assets and the Pagefind index; (2) an unchanged rebuild into the same folder, which
must rewrite nothing; (3) the parts: rendering the TEI to HTML alone, and the Pagefind index;
(4) the baseline: parsing the same files and serialising them as HTML with lxml, the least
any TEI → HTML step costs. Best of three runs each.

Goals (issue 6): the full build < 2 s; the unchanged rebuild < 0.5 s, writing no file.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from edition.build import load_documents  # noqa: E402
from edition.diagnostics import Report  # noqa: E402
from edition.project import load_project  # noqa: E402
from edition.render import search  # noqa: E402
from edition.render.html import render_text  # noqa: E402
from edition.render.site import build_site  # noqa: E402

GOAL_FULL, GOAL_NOOP = 2.0, 0.5


def _best(func, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def run() -> list[str]:
    """Measure and return the lines to print."""
    project = load_project(ROOT)
    files = project.tei_files()
    if not files:
        return ["no TEI files in tei/ yet: nothing to measure"]
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
        def full():
            folder = Path(tempfile.mkdtemp(dir=tmp))
            project.settings = dict(project.settings, build_dir=str(folder))
            return build_site(project, load_documents(project), Report())

        full_s, written = _best(full)
        noop_s, rewritten = _best(lambda: build_site(project, load_documents(project), Report()))
        documents = load_documents(project)
        render_s, _ = _best(lambda: [render_text(d) for d in documents])
        pages = {p.name: p.read_text(encoding="utf-8") for p in (project.build_dir / "html").glob("*.html")}
        index_s, _ = _best(lambda: search.index_pages(pages, Path(tempfile.mkdtemp(dir=tmp)) / "pagefind"))
        base_s, _ = _best(lambda: [etree.tostring(etree.parse(str(f)), method="html") for f in files])
    size = sum(f.stat().st_size for f in files) / 1024
    return [
        f"{len(files)} TEI files, {size:.0f} KiB; {len(written)} files written by a full build",
        f"full build      {full_s * 1000:7.0f} ms   goal < {GOAL_FULL * 1000:.0f} ms "
        f"({full_s / GOAL_FULL:.0%} of the goal)",
        f"no-op rebuild   {noop_s * 1000:7.0f} ms   goal < {GOAL_NOOP * 1000:.0f} ms "
        f"({noop_s / GOAL_NOOP:.0%} of the goal); files rewritten: {len(rewritten)}",
        f"  render TEI → HTML {render_s * 1000:5.0f} ms; Pagefind index {index_s * 1000:5.0f} ms",
        f"baseline (lxml parse + HTML serialisation) {base_s * 1000:.0f} ms; "
        f"render is {render_s / base_s:.1f}× the baseline",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
