"""Other projects' TEI (``../shared/corpora/``), each in a project of its own made by ``init``.

For every file: ``edition init``, copy the file into ``tei/``, build. No file may crash the
build; every word of the file's ``<text>`` must appear in its HTML page; a warning about an
element the renderer does not handle names that element, the file and a line where it is.
Only the web and text outputs are built here (the PDF of a 1 MB file takes minutes; the PDF
renderer has tests of its own), and without the search index, to keep the suite fast.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from lxml import etree, html

from edition import build as builder
from edition.diagnostics import EditionError, Report, Severity
from edition.project import load_project
from edition.scaffold import init_project
from edition.tei.xmlio import NSMAP

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FILES = sorted(CORPORA.rglob("*.xml")) if CORPORA.is_dir() else []
WORD = re.compile(r"\w+")
BREAKS = "//tei:text//*[@break='no'][self::tei:lb or self::tei:pb or self::tei:cb]"

pytestmark = pytest.mark.slow


def words_of_text(path: Path) -> set[str]:
    """The words of the file's ``<text>``, with words split by ``break="no"`` joined again."""
    tree = etree.parse(str(path))
    for br in tree.xpath(BREAKS, namespaces=NSMAP):
        previous = br.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip()
        else:
            br.getparent().text = (br.getparent().text or "").rstrip()
        br.tail = (br.tail or "").lstrip()
    text = tree.find(".//tei:text", NSMAP)
    return set(WORD.findall(unicodedata.normalize("NFC", " ".join(text.itertext()))))


def words_of_page(path: Path) -> str:
    """The text of an HTML page (hidden readings included), NFC, without whitespace."""
    page = html.parse(str(path)).getroot()
    for script in page.xpath("//script | //style"):
        script.drop_tree()
    return "".join(unicodedata.normalize("NFC", page.text_content()).split())


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "ed"
    init_project(root)
    (root / "tei/example.xml").unlink()
    toml = root / "edition.toml"
    toml.write_text(toml.read_text().replace("# search = true", "search = false"))
    return root


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
@pytest.mark.parametrize("source", FILES, ids=[f.name for f in FILES])
def test_corpus_file_builds_and_every_word_is_in_the_html(project, source, monkeypatch):
    shutil.copyfile(source, project / "tei" / source.name)
    outputs = ["txt", "html"]
    try:
        result = builder.build(load_project(project), outputs)
    except EditionError as exc:
        # Invalid TEI stops the build with messages naming the file and the line …
        errors = [d for d in exc.diagnostics if d.severity is Severity.ERROR]
        assert errors and all(d.path and d.path.endswith(source.name) and d.line for d in errors), exc
        assert not list((project / "build").rglob("*.html"))
        # … and the renderers must still cope with it: render it with validation switched off.
        monkeypatch.setattr(builder, "validate_documents", lambda project, documents: Report())
        result = builder.build(load_project(project), outputs)

    page = project / "build/html" / f"{source.stem}.html"
    assert page.is_file(), sorted(p.name for p in (project / "build/html").iterdir())
    text = words_of_page(page)
    missing = sorted(w for w in words_of_text(source) if w not in text)
    assert not missing, f"{len(missing)} words of <text> not in the HTML, e.g. {missing[:15]}"

    lines = source.read_text(encoding="utf-8").splitlines()
    for warning in result.report.warnings:
        named = re.search(r"<([\w:]+)>", warning.message)
        if warning.code != "W601":
            continue
        assert named, warning.format()
        assert warning.path.endswith(source.name) and warning.line, warning.format()
        assert f"<{named.group(1)}" in lines[warning.line - 1], warning.format()
