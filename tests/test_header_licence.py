"""A licence the project does not declare is not invented (issue 14): the header ingest and
collate write has no ``availability/licence`` then, and no output (HTML, PDF imprint, EPUB
rights) states one; a declared licence is written and shown as declared. The TEI is read with
lxml, the settings with tomllib."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def tei_with(header: etree._Element, path: Path) -> Path:
    root = etree.Element("{http://www.tei-c.org/ns/1.0}TEI", nsmap={None: NS["t"]})
    root.append(header)
    text = etree.SubElement(etree.SubElement(root, "{%s}text" % NS["t"]), "{%s}body" % NS["t"])
    etree.SubElement(text, "{%s}p" % NS["t"]).text = "Words."
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return path


@pytest.mark.parametrize("licence", [None, "CC BY-SA 4.0", "https://creativecommons.org/licenses/by/4.0/"])
def test_the_header_states_only_the_declared_licence(licence, tmp_path):
    from edition.render.pdf.imprint import licence_text, licences
    from edition.tei.document import Document
    from edition.tei.header import build_header

    settings = {"title": "An edition", "editors": ["A. Editor"]} | ({"licence": licence} if licence else {})
    tei = tei_with(build_header(settings, {"title": "A text"}), tmp_path / "t.xml")
    stated = etree.parse(str(tei)).xpath("//t:availability/t:licence", namespaces=NS)
    document = Document.load(tei)
    text = {"title": "A text", "licence": licence_text(document.licence)}
    if licence is None:
        assert stated == [] and document.licence is None
        assert licences(settings, [text], volume=False) == []
        assert "rights reserved" not in tei.read_text(encoding="utf-8")
    else:
        assert ["".join(stated[0].itertext())] == [licence]
        if licence.startswith("https://"):
            assert stated[0].get("target") == licence
        assert licences(settings, [text], volume=False) == [licence]


def test_the_web_and_epub_metadata_say_nothing_of_an_undeclared_licence(tmp_path):
    from edition.project import load_project
    from edition.render.metadata import text_metadata
    from edition.tei.document import Document
    from edition.tei.header import build_header

    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "T"\n', encoding="utf-8")
    project = load_project(tmp_path)
    tei = tei_with(build_header(project.settings, {"title": "A text"}), tmp_path / "tei" / "t.xml")
    # the HTML pages and the EPUB (its dc:rights) take the licence from this metadata
    assert text_metadata(Document.load(tei), project).licence == ""


def test_our_texts_declare_the_editions_licence():
    declared = tomllib.loads((ROOT / "edition.toml").read_text(encoding="utf-8"))["edition"]["licence"]
    for tei in sorted((ROOT / "tei").glob("*.xml")):
        stated = etree.parse(str(tei)).xpath("//t:publicationStmt/t:availability/t:licence", namespaces=NS)
        assert ["".join(s.itertext()) for s in stated] == [declared], tei.name
