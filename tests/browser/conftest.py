"""Browser test fixtures: the web edition built once, served on 127.0.0.1, and headless Chromium.

Chromium is Debian's (``tests/install-tools.sh``), driven by Playwright with
``executable_path``; the tests skip with a reason when it is absent. The site is served over
HTTP because the search index is loaded with ``fetch``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from edition.build import load_documents
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.site import build_site

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURE_PROJECT = TESTS / "fixtures" / "html" / "project"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory):
    """{name: build/html folder}: the fixture edition, and ours when tei/ has files."""
    base = tmp_path_factory.mktemp("browser")
    sites = {}
    root = base / "fixture"
    shutil.copytree(FIXTURE_PROJECT, root)
    project = load_project(root)
    build_site(project, load_documents(project), Report())
    sites["fixture"] = project
    if any((ROOT / "tei").glob("*.xml")):
        real = load_project(ROOT)
        real.settings = dict(real.settings, build_dir=str(base / "real" / "build"))
        build_site(real, load_documents(real), Report())
        sites["real"] = real
    return sites


@pytest.fixture(scope="session")
def server(built_sites, tmp_path_factory):
    """Serve every built site under /<name>/html/ on a free port of 127.0.0.1."""
    top = tmp_path_factory.mktemp("served")
    for name, project in built_sites.items():
        (top / name).symlink_to(project.build_dir, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(top))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def open_page(browser, server):
    """Open a page of a served site; fail the test on any script error."""
    pages = []

    def go(path: str, width: int = 1280, height: int = 900):
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{server}/{path}")
        page.wait_for_load_state("load")
        page.script_errors = errors
        pages.append(page)
        return page

    yield go
    for page in pages:
        assert page.script_errors == [], page.script_errors
        page.close()
