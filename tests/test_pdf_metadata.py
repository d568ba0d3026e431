"""The PDF's document information: a text's PDF names the text's author (none when the TEI
names none) and title; the volume names the edition's editors and title; the language is set.
Read back with ``pdfinfo`` and pikepdf, expected values taken from the TEI and the project file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
PROJECT = """[edition]
title = "The Metadata Edition"
editors = ["Ann Editor", "Ben Editor"]
language = "en"
outputs = ["pdf"]
"""


def header(xpath: str) -> str:
    found = etree.parse(str(FIXTURE)).getroot().xpath(xpath, namespaces=NS)
    return " ".join("".join(found[0].itertext()).split()) if found else ""


def info(path: Path) -> dict:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo is not installed (tests/install-tools.sh)")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from edition.project import load_project

    folder = tmp_path_factory.mktemp("meta")
    (folder / "edition.toml").write_text(PROJECT, encoding="utf-8")
    return load_project(folder)


def build(project, tei: Path, target: Path, volume: bool):
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    render_pdf(project, [Document.load(tei)], pdf_options(project.pdf), volume=volume, target=target)
    return target


def test_text_pdf_has_the_texts_author_title_and_language(project, tmp_path):
    fields = info(build(project, FIXTURE, tmp_path / "text.pdf", volume=False))
    author = header("//t:titleStmt/t:author")
    assert author == "Alan Test"
    assert fields.get("Author") == author
    assert fields["Title"] == header("//t:titleStmt/t:title[@type='main']")
    with pikepdf.open(tmp_path / "text.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_text_without_author_has_no_author(project, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("<author>Alan Test</author>", "", 1)
    assert "<author>" not in text
    tei = tmp_path / "anonymous.xml"
    tei.write_text(text, encoding="utf-8")
    fields = info(build(project, tei, tmp_path / "anonymous.pdf", volume=False))
    assert not fields.get("Author"), fields
    assert "Editor" not in fields.get("Author", "")


def test_volume_has_the_editions_editors_and_title(project, tmp_path):
    fields = info(build(project, FIXTURE, tmp_path / "volume.pdf", volume=True))
    assert fields["Title"] == "The Metadata Edition"
    assert fields.get("Author") == "Ann Editor, Ben Editor"
    with pikepdf.open(tmp_path / "volume.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_incremental_build_redoes_only_the_changed_texts_pdf_and_the_volume(project, tmp_path):
    from edition.build import DocumentSet
    from edition.diagnostics import Report
    from edition.render.pdf import render_pdfs
    from edition.tei.document import Document

    assert getattr(render_pdfs, "incremental", False) is True
    small = FIXTURE.read_text(encoding="utf-8")
    for name in ("alpha", "beta"):
        (tmp_path / f"{name}.xml").write_text(small, encoding="utf-8")
    alpha, beta = Document.load(tmp_path / "alpha.xml"), Document.load(tmp_path / "beta.xml")
    written = render_pdfs(project, DocumentSet([beta], [alpha, beta]), Report())
    assert sorted(p.name for p in written) == ["beta.pdf", "edition.pdf"]
    out = project.build_dir / "pdf"
    assert not (out / "alpha.pdf").exists()
    with pikepdf.open(out / "edition.pdf") as pdf:   # the volume still holds every text
        with pdf.open_outline() as outline:
            texts = [item.title for item in outline.root]
    assert texts.count(header("//t:titleStmt/t:title[@type='main']")) == 2, texts
