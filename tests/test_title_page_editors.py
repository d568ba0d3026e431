"""Who edited the edition, as a publisher prints it: a body's name that opens with "The" (as
the project's settings or the TEI give it) is set with a lower-case article within a sentence
("Edited by the Hakluyt Society"), and as given where it stands alone (the volume's title page,
the PDF's and the page's metadata). Read back from the PDF with pdftotext and from the written
web pages with lxml; the expected lines are written out here, not made by the code."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

ROOT = Path(__file__).resolve().parents[1]
SITE_FIXTURE = ROOT / "tests" / "fixtures" / "html" / "project"
PROJECT = """[edition]
title = "The Imprint Edition"
editors = ["The Hakluyt Society", "Theodora Reader"]
publisher = "Test Press"
language = "en"
outputs = ["pdf"]
"""


def _tei(path: Path, editor: str = "") -> Path:
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
                    f'<title type="main">A short text</title>{editor}</titleStmt><publicationStmt><p>x</p>'
                    '</publicationStmt><sourceDesc><p>A source.</p></sourceDesc></fileDesc></teiHeader><text><body>'
                    '<p>The words of the text.</p></body></text></TEI>', encoding="utf-8")
    return path


def _title_page(project, tei: Path, target: Path, volume: bool) -> list[str]:
    """The lines of the PDF's first pages (the title page, the imprint)."""
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (tests/install-tools.sh)")
    render_pdf(project, [Document.load(tei)], pdf_options(project.pdf), volume=volume, target=target)
    text = subprocess.run(["pdftotext", "-l", "3", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from edition.project import load_project

    folder = tmp_path_factory.mktemp("imprint")
    (folder / "edition.toml").write_text(PROJECT, encoding="utf-8")
    return load_project(folder)


def test_a_texts_title_page_says_edited_by_the_body_in_lower_case(project, tmp_path):
    lines = _title_page(project, _tei(tmp_path / "t.xml"), tmp_path / "t.pdf", volume=False)
    assert "Edited by the Hakluyt Society, Theodora Reader" in lines, lines
    assert not any("Edited by The" in line for line in lines)


def test_the_teis_own_editor_is_set_the_same_way(project, tmp_path):
    tei = _tei(tmp_path / "t.xml", "<editor>The Zanzibar Circle</editor><editor>Thelma Ode</editor>")
    lines = _title_page(project, tei, tmp_path / "t.pdf", volume=False)
    assert "Edited by the Zanzibar Circle, Thelma Ode" in lines, lines


def test_the_volumes_title_page_names_the_editors_as_given(project, tmp_path):
    lines = _title_page(project, _tei(tmp_path / "t.xml"), tmp_path / "v.pdf", volume=True)
    assert "The Hakluyt Society, Theodora Reader" in lines, lines


def test_the_web_pages_say_edited_by_the_body_and_keep_the_name_in_their_metadata(tmp_path):
    from edition.build import load_documents
    from edition.diagnostics import Report
    from edition.project import load_project
    from edition.render.site import build_site

    root = tmp_path / "project"
    shutil.copytree(SITE_FIXTURE, root)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'editors = ["Ada Editor", "Ben Checker"]', 'editors = ["The Hakluyt Society", "Theodora Reader"]'),
        encoding="utf-8")
    project = load_project(root)
    build_site(project, load_documents(project), Report())
    html = root / "build" / "html"
    home = lhtml.parse(str(html / "index.html")).getroot()
    assert [" ".join(p.text_content().split()) for p in home.find_class("byline")] == \
        ["Edited by the Hakluyt Society, Theodora Reader"]
    text = lhtml.parse(str(html / "notes-sample.html")).getroot()
    facts = " ".join(text.find_class("facts")[0].text_content().split())
    assert "Sample Edition, edited by the Hakluyt Society, Theodora Reader" in facts, facts
    assert [m.get("content") for m in text.xpath("//meta[@name='citation_editor']")] == \
        ["The Hakluyt Society", "Theodora Reader"]
