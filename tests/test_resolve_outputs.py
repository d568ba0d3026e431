"""One passage id everywhere: for every paragraph id in the TEI, each built output has it.

The HTML page has the anchor, the PDF has the named destination on the page that holds the
paragraph's first words, the plain text has the ``{#id}`` marker, and ``edition resolve`` finds
all of them. Expected values come from the TEI, never from fixed lists. Runs on the small
fixture edition and, when its TEI is there, on the edition in this repository.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cite_fixture import build_outputs, make_project
from click.testing import CliRunner
from paths import ROOT

from edition.citation.refs import load_text, passage_text
from edition.cli import main
from edition.project import load_project
from edition.tei.xmlio import XML_ID


@pytest.fixture(scope="module", params=["fixture", pytest.param("repository", marks=pytest.mark.slow)])
def edition(request, tmp_path_factory):
    """A built copy of an edition: (root, outputs built)."""
    root = tmp_path_factory.mktemp(request.param) / "ed"
    if request.param == "fixture":
        make_project(root)
    else:
        if not list((ROOT / "tei").glob("*.xml")):
            pytest.skip("the repository's tei/ holds no TEI yet")
        root.mkdir()
        for name in ("edition.toml", "tei", "rules"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    outputs = ["txt", "html"]
    build_outputs(root, outputs, force=True)
    from edition.build import load_documents
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options

    # Each text's PDF, not the whole volume: the passages' pages are those of <id>.pdf.
    project = load_project(root)
    for document in load_documents(project):
        render_pdf(project, [document], pdf_options(project.pdf), volume=False,
                   target=project.build_dir / "pdf" / f"{document.id}.pdf")
    return root, outputs + ["pdf"]


def paragraph_ids(root: Path) -> dict[str, list[tuple[str, object]]]:
    """``{text id: [(xml:id, element)]}`` of every ``<p>`` with an id in each TEI file."""
    project = load_project(root)
    found = {}
    for path in project.tei_files():
        doc = load_text(project, path.stem)
        found[doc.id] = [(p.get(XML_ID), p) for p in doc.xpath("tei:text//tei:p[@xml:id]")]
    return found


def test_every_paragraph_has_its_html_anchor(edition):
    root, _ = edition
    from lxml import html

    for text_id, paragraphs in paragraph_ids(root).items():
        page = root / "build/html" / f"{text_id}.html"
        assert page.is_file(), f"no HTML page for {text_id}"
        ids = set(html.parse(str(page)).xpath("//@id"))
        missing = [pid for pid, _ in paragraphs if pid not in ids]
        assert not missing, f"{text_id}: paragraphs without an HTML anchor: {missing[:10]}"


def test_every_paragraph_has_its_text_marker(edition):
    root, _ = edition
    for text_id, paragraphs in paragraph_ids(root).items():
        lines = (root / "build/txt" / f"{text_id}.txt").read_text(encoding="utf-8").splitlines()
        markers = {m.group(1): n for n, line in enumerate(lines, 1) if (m := re.match(r"\{#([^}]+)\} ", line))}
        for pid, element in paragraphs:
            if element.xpath("ancestor::*[local-name()='note']"):
                continue  # a note's paragraphs are part of the note's block
            assert pid in markers, f"{text_id}: no marker {{#{pid}}} in the plain text"
            line = lines[markers[pid] - 1].split("} ", 1)[1]
            assert _words(line)[:3] == _words(passage_text(element))[:3], (pid, line[:80])


def _words(text: str) -> list[str]:
    """Lower-case alphanumeric words (NFKC, so ligatures compare equal); numbers dropped."""
    out = []
    for token in unicodedata.normalize("NFKC", text).replace("\u00ad", "").split():
        word = "".join(ch for ch in token.lower() if ch.isalnum())
        if word and not word.isdigit():
            out.append(word)
    return out


def _letters(text: str) -> str:
    """Only the letters, lower-case (NFKC: ligatures as letters). Spaces, punctuation, hyphens
    at line ends and figures (paragraph and line numbers, note marks) all drop out, so a PDF's
    extracted text and the TEI's text compare however the PDF broke and spaced the words."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalpha())


def _pdf_pages_letters(path: Path) -> list[str]:
    """Each page's letters: poppler's pdftotext (fast) when installed, else pdfplumber."""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
        return [_letters(page) for page in text.split("\f")]
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(path) as pdf:
        return [_letters(page.extract_text() or "") for page in pdf.pages]


def test_every_paragraph_is_a_pdf_destination_on_the_page_of_its_first_words(edition):
    root, outputs = edition
    if "pdf" not in outputs:
        pytest.skip("the PDF renderer (edition.render.pdf) is not there yet")
    from edition.citation.outputs import pdf_destinations

    for text_id, paragraphs in paragraph_ids(root).items():
        pdf = root / "build/pdf" / f"{text_id}.pdf"
        dests = pdf_destinations(pdf)
        pages = _pdf_pages_letters(pdf)
        problems = []
        for pid, element in paragraphs:
            if pid not in dests:
                problems.append(f"{pid}: no named destination")
                continue
            start = _letters(passage_text(element))[:30]
            if len(start) < 8:
                continue  # too short to be found by its letters alone
            # the longest beginning found (a paragraph may start at the foot of a page)
            holding = []
            for size in range(len(start), 9, -1):
                holding = [number for number, letters in enumerate(pages, 1) if start[:size] in letters]
                if holding:
                    break
            if dests[pid] not in holding:
                problems.append(f"{pid}: destination on page {dests[pid]}, first words "
                                f"({start!r}) on pages {holding}")
        assert not problems, f"{text_id}: " + "; ".join(problems[:8])


def test_resolve_finds_every_paragraph_in_every_output(edition):
    root, outputs = edition
    runner = CliRunner()
    for text_id, paragraphs in paragraph_ids(root).items():
        for pid, element in paragraphs:
            result = runner.invoke(main, ["-C", str(root), "resolve", f"{text_id}:{pid}", "--format", "json"])
            assert result.exit_code == 0, result.output
            answer = json.loads(result.output)
            assert answer["tei"]["line"] == element.sourceline
            assert answer["html"]["found"] is True and answer["html"]["url"].endswith(f"/html/{text_id}.html#{pid}")
            if not element.xpath("ancestor::*[local-name()='note']"):
                assert answer["txt"]["found"] is True, (pid, answer["txt"])
            if "pdf" in outputs:
                assert isinstance(answer["pdf"]["page"], int), (pid, answer["pdf"])
            assert answer["text"] == passage_text(element)


def test_resolve_text_output_for_a_person(edition):
    root, outputs = edition
    text_id, paragraphs = next(iter(paragraph_ids(root).items()))
    pid, element = paragraphs[len(paragraphs) // 2]
    result = CliRunner().invoke(main, ["-C", str(root), "resolve", f"{text_id}:{pid}"])
    assert result.exit_code == 0, result.output
    assert f"tei/{text_id}.xml:{element.sourceline}" in result.output
    assert f"html/{text_id}.html#{pid}" in result.output
    assert re.search(rf"build/txt/{re.escape(text_id)}\.txt:\d+", result.output)
    if "pdf" in outputs:
        assert re.search(rf"build/pdf/{re.escape(text_id)}\.pdf, page \d+", result.output)
    assert passage_text(element)[:40] in result.output


def test_resolve_unknown_passage_lists_close_matches(tmp_path):
    runner = CliRunner()
    root = make_project(tmp_path / "ed")
    result = runner.invoke(main, ["-C", str(root), "resolve", "alpha-letter:q1.p7"])
    assert result.exit_code == 1
    assert "error[E803]" in result.output and "alpha-letter:q1.p1" in result.output
    result = runner.invoke(main, ["-C", str(root), "resolve", "alpha:q1.p1"])
    assert result.exit_code == 1 and "did you mean alpha-letter" in result.output


def test_both_pdf_readers_find_the_same_destinations(edition):
    """pikepdf and, without it, pdfminer (pdfplumber's reader) give the same pages."""
    root, outputs = edition
    if "pdf" not in outputs:
        pytest.skip("the PDF renderer (edition.render.pdf) is not there yet")
    pytest.importorskip("pikepdf")
    pytest.importorskip("pdfminer")
    from edition.citation import outputs as readers

    for pdf in sorted((root / "build/pdf").glob("*.pdf"))[:2]:
        with_pikepdf = readers.pdf_destinations(pdf)
        assert with_pikepdf and with_pikepdf == readers._pdfminer_destinations(str(pdf))


def test_cite_gives_the_pdf_page_where_the_passage_stands(edition):
    root, outputs = edition
    if "pdf" not in outputs:
        pytest.skip("the PDF renderer (edition.render.pdf) is not there yet")
    from edition.citation.outputs import pdf_destinations

    text_id, paragraphs = next(iter(paragraph_ids(root).items()))
    pid, _ = paragraphs[-1]
    pdf = root / "build/pdf" / f"{text_id}.pdf"
    # the folio printed on the page (its running head), not the page's place in the file
    at = pdf_destinations(pdf)[pid]
    head = subprocess.run(["pdftotext", "-f", str(at), "-l", str(at), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = next(line.split() for line in head.splitlines() if line.strip())
    page = next(int(word) for word in (words[0], words[-1]) if word.isdigit())
    runner = CliRunner()
    chicago = runner.invoke(main, ["-C", str(root), "cite", f"{text_id}:{pid}"]).output
    assert f"PDF: page {page}, " in chicago and f"pdf/{text_id}.pdf#nameddest={pid}" in chicago
    ris = runner.invoke(main, ["-C", str(root), "cite", f"{text_id}:{pid}", "--style", "ris"]).output
    assert f"SP  - {page}\n" in ris
    item = json.loads(runner.invoke(main, ["-C", str(root), "cite", f"{text_id}:{pid}", "-s", "csl-json"]).output)[0]
    assert item["page"] == str(page)
