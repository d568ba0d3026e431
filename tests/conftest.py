"""Shared test fixtures: paths, and the TEI schema compiled once per test session."""

from __future__ import annotations

import os

import pytest
from paths import CORPORA, ROOT, SHARED  # noqa: F401  (re-exported for fixtures)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


_SESSION_DATE: list[str] = []


@pytest.fixture(autouse=True)
def _one_build_date(monkeypatch):
    """Every PDF this test session makes in its own process prints the date the session began
    (``document.build_date``, unless SOURCE_DATE_EPOCH says otherwise): tests compare two
    builds page by page, and two builds a second apart across midnight print two dates."""
    from edition.render.pdf import document

    real = document.build_date
    if not _SESSION_DATE:
        _SESSION_DATE.append(real())
    monkeypatch.setattr(document, "build_date",
                        lambda: real() if os.environ.get("SOURCE_DATE_EPOCH") else _SESSION_DATE[0])


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    """True when the run was asked to rewrite golden files."""
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def tei_all():
    """The TEI P5 tei_all RELAX NG schema, compiled once (it takes ~10 s)."""
    from lxml import etree

    from edition.resources import TEI_ALL_RNG

    return etree.RelaxNG(etree.parse(str(TEI_ALL_RNG)))


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, one for the whole session.

    Playwright's sync API runs an event loop while it is open, so a second ``sync_playwright()``
    in the same process fails: every test that needs a browser takes this fixture.
    """
    import shutil

    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (tests/install-tools.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
