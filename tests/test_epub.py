"""The EPUB output: valid EPUB 3 (epubcheck), every word, note and apparatus entry of the TEI
in it, every link resolving inside the package, accessibility metadata, the page list of the
print edition, deterministic bytes, and ``edition resolve`` giving the EPUB location.

The expectations are read from the TEI with lxml here, not from the renderer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from test_corpora_build import FILES, words_of_text

from edition import build as builder
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.epub import render_epubs
from edition.scaffold import init_project
from edition.tei.document import Document, DocumentSet
from edition.tei.xmlio import NSMAP

ROOT = Path(__file__).resolve().parents[1]
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
needs_epubcheck = pytest.mark.skipif(not EPUBCHECK.is_file() or not shutil.which("java"),
                                     reason="epubcheck is not installed (tests/install-tools.sh)")


def epubcheck(path: Path) -> str:
    """epubcheck's messages for a file; '' when it reports 0 errors and 0 warnings."""
    done = subprocess.run(["java", "-jar", str(EPUBCHECK), "-q", str(path)], capture_output=True, text=True,
                          timeout=120)
    return "" if done.returncode == 0 and not done.stdout.strip() else (done.stdout + done.stderr)


class Epub:
    """An EPUB opened for reading: its content documents and package document, parsed."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as archive:
            self.names = archive.namelist()
            self.mimetype = archive.read("mimetype")
            self.first = archive.infolist()[0]
            self.opf = etree.fromstring(archive.read("OEBPS/content.opf"))
            self.docs = {name[len("OEBPS/"):]: etree.fromstring(archive.read(name))
                         for name in self.names if name.endswith(".xhtml")}

    def text(self) -> str:
        """Every character of every content document, NFC, without whitespace."""
        return "".join("".join(unicodedata.normalize("NFC", "".join(doc.itertext())).split())
                       for name, doc in sorted(self.docs.items()) if name != "nav.xhtml")

    def ids(self, name: str) -> set[str]:
        return set(self.docs[name].xpath("//@id"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """Our edition built with the EPUB output (and the text, for comparison), twice."""
    root = tmp_path_factory.mktemp("epub") / "ed"
    root.mkdir()
    for name in ("edition.toml", "tei", "rules"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        first = builder.build(load_project(root), ["epub"])
        again = builder.build(load_project(root), ["epub"])
    return root, first, again


# Marks the outputs add around the TEI's words: a witness's page number, a note's label, back links.
UI_CLASSES = {"pb", "note-label", "backrefs"}


def words_of(el) -> str:
    """An element's text without the marks in ``UI_CLASSES``, NFC, without whitespace."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not UI_CLASSES & set((child.get("class") or "").split()):
            parts.append(words_of(child))
        parts.append(child.tail or "")
    return "".join(unicodedata.normalize("NFC", "".join(parts)).split())


def tei_files(root: Path) -> list[Path]:
    return sorted((root / "tei").glob("*.xml"))


def test_one_epub_per_text_and_one_for_the_edition(edition):
    root, first, _ = edition
    made = sorted(p.name for p in (root / "build/epub").glob("*.epub"))
    assert made == sorted([f"{p.stem}.epub" for p in tei_files(root)] + ["edition.epub"])
    assert sorted(p.name for p in first.written) == made


def test_the_container_starts_with_an_uncompressed_mimetype(edition):
    root, _, _ = edition
    book = Epub(root / "build/epub/edition.epub")
    assert book.first.filename == "mimetype" and book.first.compress_type == zipfile.ZIP_STORED
    assert book.mimetype == b"application/epub+zip"


def test_a_second_build_writes_nothing_and_the_bytes_are_the_same(edition, tmp_path):
    root, first, again = edition
    assert again.written == []
    copy = tmp_path / "ed"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        builder.build(load_project(copy), ["epub"])
    for path in sorted((root / "build/epub").glob("*.epub")):
        assert (copy / "build/epub" / path.name).read_bytes() == path.read_bytes(), path.name


@needs_epubcheck
def test_epubcheck_finds_no_error_and_no_warning_in_the_editions_epubs(edition):
    root, _, _ = edition
    problems = {p.name: epubcheck(p) for p in sorted((root / "build/epub").glob("*.epub"))}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def test_every_word_note_and_apparatus_entry_of_the_tei_is_in_the_epub(edition):
    root, _, _ = edition
    for tei in tei_files(root):
        book = Epub(root / "build/epub" / f"{tei.stem}.epub")
        text = book.text()
        missing = sorted(w for w in words_of_text(tei) if w not in text)
        assert not missing, (tei.name, missing[:20])
        tree = etree.parse(str(tei))
        doc = book.docs[f"{tei.stem}.xhtml"]
        notes = tree.xpath("//tei:text//tei:note", namespaces=NSMAP)
        asides = doc.xpath("//x:aside[@epub:type='footnote'][contains(concat(' ', @class, ' '), ' note ')]",
                           namespaces=XHTML)
        assert len(asides) == len(notes), tei.name
        for note in notes:
            words = "".join(unicodedata.normalize("NFC", "".join(note.itertext())).split())
            assert words in "".join(words_of(a) for a in asides)
        apps = tree.xpath("//tei:text//tei:app", namespaces=NSMAP)
        entries = doc.xpath("//x:section[contains(@class,'apparatus')]//x:li[contains(@class,'app-entry')]",
                            namespaces=XHTML)
        # a quotation whose two marks vary is one entry, the closing mark's id kept inside it
        paired = doc.xpath("//x:section[contains(@class,'apparatus')]//x:li[contains(@class,'app-entry')]"
                           "//*[contains(@class,'ae-pair')]", namespaces=XHTML)
        assert len(entries) + len(paired) == len(apps), tei.name
        entry_of = {li.get("data-app"): li for li in entries}
        entry_of.update({span.get("data-app"): next(span.iterancestors("{*}li")) for span in paired})
        for app in apps:
            entry = entry_of[app.get("{http://www.w3.org/XML/1998/namespace}id")]
            shown = "".join("".join(entry.itertext()).split())
            for rdg in app.xpath("tei:rdg | tei:rdgGrp/tei:rdg", namespaces=NSMAP):
                words = "".join("".join(rdg.itertext()).split())
                assert words in shown, (tei.name, app.get("{http://www.w3.org/XML/1998/namespace}id"), words)
                for siglum in (rdg.get("wit") or "").split():
                    assert siglum.lstrip("#") in shown


def test_notes_are_footnotes_linked_from_their_calls_and_back(edition):
    root, _, _ = edition
    for name, doc in Epub(root / "build/epub/edition.epub").docs.items():
        notes = {a.get("id") for a in doc.xpath("//x:aside[@epub:type='footnote']", namespaces=XHTML)}
        calls = doc.xpath("//x:a[@epub:type='noteref']", namespaces=XHTML)
        assert {c.get("href")[1:] for c in calls} <= notes, name
        for aside in doc.xpath("//x:aside[@epub:type='footnote']", namespaces=XHTML):
            assert aside.get("role") == "doc-footnote"


def test_every_link_resolves_inside_the_package(edition):
    root, _, _ = edition
    for epub in sorted((root / "build/epub").glob("*.epub")):
        book = Epub(epub)
        manifest = {item.get("href") for item in book.opf.xpath("//opf:item", namespaces=OPF)}
        assert {n[len("OEBPS/"):] for n in book.names if n.startswith("OEBPS/") and n != "OEBPS/content.opf"} \
            == manifest, epub.name
        for name, doc in book.docs.items():
            for href in doc.xpath("//@href"):
                if re.match(r"^[a-z]+:", href):
                    continue
                target, _, fragment = href.partition("#")
                target = target or name
                assert target in manifest, (epub.name, name, href)
                if fragment and target.endswith(".xhtml"):
                    assert fragment in book.ids(target), (epub.name, name, href)


def test_passage_ids_are_kept_as_fragment_ids(edition):
    root, _, _ = edition
    for tei in tei_files(root):
        tree = etree.parse(str(tei))
        ids = set(tree.xpath("//tei:text//tei:p/@xml:id", namespaces=NSMAP))
        assert ids <= Epub(root / "build/epub" / f"{tei.stem}.epub").ids(f"{tei.stem}.xhtml")


def test_metadata_from_the_project_and_the_tei_and_accessibility(edition):
    root, _, _ = edition
    settings = load_project(root).settings
    for tei in tei_files(root):
        opf = Epub(root / "build/epub" / f"{tei.stem}.epub").opf
        title = " ".join("".join(etree.parse(str(tei)).xpath(
            "//tei:titleStmt/tei:title[@type='main'] | //tei:titleStmt/tei:title[not(@type)]",
            namespaces=NSMAP)[0].itertext()).split())
        assert opf.findtext("opf:metadata/dc:title", namespaces=OPF) == title
        rights = opf.findtext("opf:metadata/dc:rights", namespaces=OPF)
        licence = etree.parse(str(tei)).xpath("//tei:publicationStmt/tei:availability/tei:licence",
                                              namespaces=NSMAP)
        if licence:   # the TEI's own licence: its words and its URL
            assert " ".join("".join(licence[0].itertext()).split()) in rights
            assert (licence[0].get("target") or "") in rights
        else:         # none declared: the edition's
            assert rights == settings["licence"]
        assert opf.findtext("opf:metadata/dc:identifier", namespaces=OPF).startswith("urn:uuid:")
        properties = {m.get("property") for m in opf.xpath("//opf:meta", namespaces=OPF)}
        assert {"dcterms:modified", "schema:accessMode", "schema:accessModeSufficient",
                "schema:accessibilityFeature", "schema:accessibilityHazard",
                "schema:accessibilitySummary"} <= properties
        authors = etree.parse(str(tei)).xpath("//tei:titleStmt/tei:author", namespaces=NSMAP)
        creators = opf.xpath("//dc:creator/text()", namespaces=OPF)
        assert creators == [" ".join("".join(a.itertext()).split()) for a in authors]


def test_resolve_gives_the_epub_location(edition):
    from edition.citation.resolve import resolve

    root, _, _ = edition
    tei = next(p for p in tei_files(root) if etree.parse(str(p)).xpath("//tei:p[@xml:id]", namespaces=NSMAP))
    xml_id = etree.parse(str(tei)).xpath("//tei:p/@xml:id", namespaces=NSMAP)[0]
    answer = resolve(load_project(root), f"{tei.stem}:{xml_id}")
    assert answer["epub"]["location"] == f"{tei.stem}.xhtml#{xml_id}"
    assert answer["epub"]["found"] is True


@pytest.mark.slow
def test_the_page_list_points_at_each_page_of_the_print_edition(tmp_path):
    """Built with the PDF: each page-list entry is a passage whose PDF destination is that page."""
    pikepdf = pytest.importorskip("pikepdf")
    root = tmp_path / "ed"
    init_project(root)
    builder.build(load_project(root), ["pdf", "epub"])
    book = Epub(root / "build/epub/example.epub")
    entries = book.docs["nav.xhtml"].xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=XHTML)
    assert entries
    with pikepdf.open(root / "build/pdf/example.pdf") as pdf:
        # the page's label: the folio printed on it (the text numbered from 1 after the front matter)
        pages = {page.obj.objgen: str(page.label) for page in pdf.pages}
        dests = {str(k): pages[v[0].objgen] for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    for a in entries:
        target = a.get("href").partition("#")[2]
        assert dests[target] == a.text
    assert book.opf.findtext("opf:metadata/dc:source", namespaces=OPF).endswith("pdf/example.pdf")
    if EPUBCHECK.is_file() and shutil.which("java"):
        assert epubcheck(root / "build/epub/example.epub") == ""


@pytest.mark.slow
@needs_epubcheck
@pytest.mark.parametrize("source", FILES, ids=[f.name for f in FILES])
def test_an_epub_of_every_corpus_file_is_valid_and_holds_every_word(tmp_path, source):
    root = tmp_path / "ed"
    init_project(root)
    (root / "tei/example.xml").unlink()
    shutil.copyfile(source, root / "tei" / source.name)
    project = load_project(root)
    # some corpus files do not pass the schema: the EPUB renderer is checked on them as they are
    written = render_epubs(project, DocumentSet([Document.load(root / "tei" / source.name)]), Report())
    epub = root / "build/epub" / f"{source.stem}.epub"
    assert epub in written
    assert epubcheck(epub) == ""
    text = Epub(epub).text()
    missing = sorted(w for w in words_of_text(source) if w not in text)
    assert not missing, missing[:20]


@needs_epubcheck
def test_an_epub_carries_the_face_of_the_script_its_text_uses_and_no_other(tmp_path):
    root = tmp_path / "ed"
    init_project(root)
    (root / "tei/example.xml").unlink()
    sample = ROOT / "tests/fixtures/scripts/devanagari.xml"
    shutil.copyfile(sample, root / "tei" / sample.name)
    written = render_epubs(load_project(root), DocumentSet([Document.load(root / "tei" / sample.name)]), Report())
    epub = root / "build/epub/devanagari.epub"
    assert epub in written
    names = Epub(epub).names
    assert any("NotoSerifDevanagari-Regular" in n for n in names)
    assert not any("Naskh" in n or "Hebrew" in n for n in names)
    with zipfile.ZipFile(epub) as archive:
        assert '"Noto Serif Devanagari"' in archive.read("OEBPS/css/epub.css").decode("utf-8")
    assert epubcheck(epub) == ""


def test_the_page_list_follows_the_reading_order_even_where_the_print_edition_moves_paratext(tmp_path,
                                                                                             monkeypatch):
    """Woods' witness paratext stands after the text in the PDF and where the TEI has it in the
    EPUB: the page list keeps to the EPUB's reading order (epubcheck NAV-011)."""
    from edition.render.epub import EpubText, page_list

    class Rendered:
        body = '<div><p id="a">x</p><p id="b">y</p><p id="c">z</p></div>'

    text = EpubText("t.xhtml", None, Rendered(), "", "", Path("t.xml"), frozenset(), [])
    import edition.render.epub as epub
    pages = {"a": 3, "b": 1, "c": 2}     # a is printed last (moved after the text), b and c first
    monkeypatch.setattr(epub, "pdf_destinations", lambda path: pages)
    found = page_list(tmp_path / "x.pdf", [text])
    assert found == [("1", "t.xhtml#b"), ("2", "t.xhtml#c")]


@pytest.mark.slow
@needs_epubcheck
def test_our_editions_epubs_with_the_page_list_of_its_pdfs_are_valid(tmp_path):
    root = tmp_path / "ed"
    root.mkdir()
    for name in ("edition.toml", "tei", "rules"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    builder.build(load_project(root), ["pdf", "epub"])
    for epub in sorted((root / "build/epub").glob("*.epub")):
        pages = Epub(epub).docs["nav.xhtml"].xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=XHTML)
        assert pages, epub.name
        assert epubcheck(epub) == "", epub.name
