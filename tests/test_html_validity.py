"""The web edition's pages are valid HTML: the Nu HTML checker (vnu-jar from npm) finds 0 errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from edition.build import load_documents
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.site import build_site

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "html" / "project"

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed (needed by the Nu HTML checker)"),
    pytest.mark.skipif(not VNU.is_file(), reason="vnu-jar is not installed (run 'make assets')"),
]


def _build(project) -> list[Path]:
    project.html["search"] = False   # the search index is not HTML
    build_site(project, load_documents(project), Report())
    return sorted((project.build_dir / "html").glob("*.html"))


def test_every_page_is_valid_html(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    pages = _build(load_project(root))
    if any((ROOT / "tei").glob("*.xml")):
        real = load_project(ROOT)
        real.settings = dict(real.settings, build_dir=str(tmp_path / "real"))
        pages += _build(real)
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error"]
    assert len(pages) >= 4
    assert errors == []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not there")
def test_pages_of_third_party_tei_are_valid_html(tmp_path):
    root = tmp_path / "corpora"
    (root / "tei").mkdir(parents=True)
    shutil.copy(FIXTURE_PROJECT / "edition.toml", root)
    for path in CORPORA.glob("*/*.xml"):
        shutil.copy(path, root / "tei" / path.name)
    pages = [p for p in _build(load_project(root)) if p.name not in ("index.html", "search.html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error"]
    assert len(pages) == len(list(CORPORA.glob("*/*.xml")))
    assert errors == []
