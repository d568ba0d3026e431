"""Shared test fixtures: paths, and the TEI schema compiled once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import CORPORA, ROOT, SHARED  # noqa: F401  (re-exported for fixtures)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


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
