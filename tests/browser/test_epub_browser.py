"""The EPUB's pages as a reading system's web view shows them: axe-core finds no WCAG 2.1 AA
violation in any content document (DAISY Ace, which runs axe-core the same way, needs a
browser download that cannot be made here), and a screenshot of each to be looked at."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from edition import build as builder
from edition.project import load_project

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
AXE_RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """Our edition's whole-edition EPUB, built and unpacked, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("epub-pages") / "ed"
    root.mkdir()
    for name in ("edition.toml", "tei", "rules"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    builder.build(load_project(root), ["epub"])
    folder = root / "unpacked"
    with zipfile.ZipFile(root / "build/epub/edition.epub") as archive:
        archive.extractall(folder)
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (run 'make assets')")
def test_no_content_document_has_a_wcag21aa_violation(browser, unpacked):
    folder, base = unpacked
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for page_file in sorted((folder / "OEBPS").glob("*.xhtml")):
        page = browser.new_page()
        page.goto(f"{base}/OEBPS/{page_file.name}")
        assert page.locator("h1").first.inner_text().strip()
        page.add_script_tag(content=axe)
        result = page.evaluate(AXE_RUN)
        if result:
            found[page_file.name] = result
        page.close()
    assert not found, found


def test_screenshots_of_the_epub_pages(browser, unpacked):
    """Writes build/screenshots/epub-*.png at a phone's width, to be looked at."""
    folder, base = unpacked
    SHOTS.mkdir(parents=True, exist_ok=True)
    made = []
    for page_file in sorted((folder / "OEBPS").glob("*.xhtml")):
        page = browser.new_page(viewport={"width": 420, "height": 860})
        page.goto(f"{base}/OEBPS/{page_file.name}")
        target = SHOTS / f"epub-{page_file.stem}.png"
        page.screenshot(path=str(target))
        page.close()
        made.append(target)
    assert made and all(p.stat().st_size > 3000 for p in made)
