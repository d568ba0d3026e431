"""The PDF's book face: EB Garamond from the files ``make assets`` vendors into the package
(the web edition's faces), every font embedded, and nothing looked up in ``node_modules``.

The PDF is built for a project folder that has no ``node_modules`` (as for an editor who
installed the wheel), and its fonts are read back with ``pdffonts``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
VENDORED = ROOT / "edition" / "static" / "vendor" / "fonts"
PROJECT = """[edition]
title = "Font Test"
editors = ["A. Editor"]
language = "en"
outputs = ["pdf"]
"""


def pdffonts(path: Path) -> list[dict]:
    """The rows of ``pdffonts``: name, type and whether the font is embedded."""
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts is not installed (tests/install-tools.sh)")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        # name type [encoding] emb sub uni object ID: the last six columns are fixed
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


@pytest.fixture(scope="module")
def lonely_pdf(tmp_path_factory):
    """A text's PDF built in a project folder without ``node_modules``."""
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    assert (VENDORED / "EBGaramond-Regular.woff2").is_file(), "run 'make assets' to vendor the fonts"
    folder = tmp_path_factory.mktemp("project")
    (folder / "edition.toml").write_text(PROJECT, encoding="utf-8")
    project = load_project(folder)
    assert not (project.root / "node_modules").exists()
    target = folder / "build" / "pdf" / "collated.pdf"
    info = render_pdf(project, [Document.load(FIXTURE)], pdf_options(project.pdf), volume=False, target=target)
    return target, info


def test_every_font_is_eb_garamond_and_embedded(lonely_pdf):
    target, info = lonely_pdf
    rows = pdffonts(target)
    assert rows, "no fonts listed"
    for row in rows:
        assert row["emb"] == "yes", row["line"]
        # subset prefix ABCDEF+, then the face's name as WeasyPrint writes it (EB-Garamond-Italic)
        assert row["name"].split("+")[-1].replace("-", "").startswith("EBGaramond"), row["line"]
    styles = {row["name"].split("+")[-1] for row in rows}
    assert any("Italic" in s for s in styles) and any("Italic" not in s for s in styles), styles


def test_no_fallback_warning(lonely_pdf):
    _, info = lonely_pdf
    assert not [d for d in info.diagnostics if d.code == "W703"], [d.format() for d in info.diagnostics]


def test_faces_are_the_vendored_files_the_web_css_names():
    from edition.render.pdf.fonts import font_faces
    from edition.render.site import font_css

    rules, problems = font_faces()
    assert not problems
    urls = [part.split('")')[0] for part in rules.split('url("file://')[1:]]
    web = sorted(part.split("')")[0].rsplit("/", 1)[-1] for part in font_css().split("url('")[1:])
    assert web, "the web CSS names no font files"
    assert sorted(Path(u).name for u in urls) == web
    assert all(Path(u).parent == VENDORED.resolve() for u in urls), urls
    assert not any("node_modules" in u for u in urls)
