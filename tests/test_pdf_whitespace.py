"""Notes set as footnotes whose TEI has a space before a line end, an ``<lb/>`` or a comment
print in full (WeasyPrint 70 failed on " \\n" inside a footnote: issue 14).

The note texts are read from the TEI with lxml; the PDF with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "realtei" / "note-space.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"


def build(tei: Path, target: Path, **options):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    return render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, **options), volume=False,
                      target=target)


def note_texts(tei: Path) -> list[str]:
    """Each note's words as the TEI has them (comments are not text; any white space is one)."""
    root = etree.parse(str(tei)).getroot()
    return [" ".join("".join(note.xpath(".//text()")).split()) for note in root.iter(f"{TEI}note")]


def pdf_words(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    target = tmp_path_factory.mktemp("ws") / "note-space.pdf"
    build(FIXTURE, target)
    return target


def test_fixture_holds_the_crash_cases():
    raw = FIXTURE.read_text(encoding="utf-8")
    assert "<note>one <lb/> two</note>" in raw          # the smallest case of the issue
    assert "<!-- c --> \n" in raw and "\t\n" in raw      # a comment, a tab before a line end


def test_every_note_prints_in_full(built):
    words = pdf_words(built)
    notes = note_texts(FIXTURE)
    assert len(notes) == 6
    for note in notes:
        assert note in words, f"note '{note}' is not printed"


def test_variations_of_the_smallest_case_build(tmp_path):
    body = ["one <lb/> two", "three \n four", "five <!-- c -->\n six", "seven \t<lb/>\n\teight",
            "nine<lb/> \nten", "eleven <lb/>\r\n twelve"]
    apps = "".join(f"<app><note>{note}</note></app>" for note in body)
    tei = tmp_path / "cases.xml"
    tei.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>C</title>'
                   '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>'
                   f'</fileDesc></teiHeader><text><body><p>Text.</p><listApp>{apps}</listApp></body></text></TEI>',
                   encoding="utf-8")
    pdf = tmp_path / "cases.pdf"
    build(tei, pdf)
    words = pdf_words(pdf)
    for expected in note_texts(tei):
        assert expected in words, expected
