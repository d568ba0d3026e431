"""The keyed layout started from the previous build's line numbers: one pass, the same PDF.

A text is laid out cold (several passes), then again with what the first layout read kept in
``build/.cache/pdf-lines``: one pass, and the same text on every page with every apparatus
entry of the TEI (read with lxml) on the same page. A seed from another version of the text
costs a pass or two but never a wrong page: the PDF equals a cold layout of that version.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def _build(tei: Path, target: Path, build_dir: Path):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    project.settings["build_dir"] = str(build_dir)
    return render_pdf(project, [Document.load(tei)], pdf_options(project.pdf), volume=False, target=target)


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


def _entry_pages(tei: Path, pages: list[str]) -> list[int]:
    """The page of each one-word entry of the TEI (``lemma] reading``), in TEI order."""
    found, cursor = [], 0
    for app in etree.parse(str(tei)).getroot().xpath("//t:text//t:app", namespaces=NS):
        lem = " ".join(app.xpath("string(t:lem)", namespaces=NS).split())
        rdg = " ".join(app.xpath("string(t:rdg)", namespaces=NS).split())
        if not (re.fullmatch(r"\w+", lem) and re.fullmatch(r"\S+", rdg)):
            continue
        pattern = re.compile(re.escape(lem) + r"[\u00b9\u00b2\u00b3\u2070-\u2079]*\] " + re.escape(rdg) + " ")
        page = next((i for i in range(cursor, len(pages)) if pattern.search(pages[i])), None)
        assert page is not None, f"{lem}] {rdg} not printed"
        found.append(page)
        cursor = page
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    cold = _build(FIXTURE, folder / "cold.pdf", folder / "build")
    warm = _build(FIXTURE, folder / "warm.pdf", folder / "build")
    return folder, cold, warm


def test_the_second_layout_takes_one_pass(builds):
    folder, cold, warm = builds
    assert cold.passes == 1   # from the estimate of its lines (test_pdf_onepass), then checked
    assert warm.passes == 1
    assert not [d for d in warm.diagnostics if d.code == "W701"]


def test_the_seeded_layout_prints_what_the_cold_one_did(builds):
    folder, cold, warm = builds
    before, after = _pages(folder / "cold.pdf"), _pages(folder / "warm.pdf")
    assert before == after
    pages = _entry_pages(FIXTURE, after)
    assert len(pages) >= 8
    assert pages == _entry_pages(FIXTURE, before)


def test_a_stale_seed_never_moves_an_entry(builds, tmp_path):
    """The text changed since the seed was kept: the PDF is a cold layout's of the new text."""
    folder = builds[0]
    changed = tmp_path / "collated.xml"
    text = FIXTURE.read_text(encoding="utf-8")
    # a longer first paragraph: every later line moves
    changed.write_text(text.replace("It is necessary to pass from words to deeds.",
                                    "It is necessary to pass from words to deeds, " * 6 + "at once."),
                       encoding="utf-8")
    seeded = _build(changed, tmp_path / "seeded.pdf", folder / "build")   # the seed of the old text
    _build(changed, tmp_path / "cold.pdf", tmp_path / "fresh")   # the cold layout to compare with
    assert _pages(tmp_path / "seeded.pdf") == _pages(tmp_path / "cold.pdf")
    assert _entry_pages(changed, _pages(tmp_path / "seeded.pdf")) == _entry_pages(changed, _pages(tmp_path / "cold.pdf"))
    assert not [d for d in seeded.diagnostics if d.code == "W701"]


def test_the_volume_lays_out_a_text_in_one_pass_after_its_own_pdf(tmp_path):
    """A text's own PDF and its piece of the volume break lines and pages alike: the piece
    starts from the text's seed and takes one pass, and prints every entry as the text's PDF."""
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    own = _build(FIXTURE, tmp_path / "own.pdf", tmp_path / "build")
    assert own.passes == 1   # from the estimate of its lines (test_pdf_onepass)
    project = load_project(ROOT)
    project.settings["build_dir"] = str(tmp_path / "build")
    volume = render_pdf(project, [Document.load(FIXTURE)], pdf_options(project.pdf), volume=True,
                        target=tmp_path / "volume.pdf")
    # the passes of the text's piece and of the front matter (no apparatus: one)
    assert volume.passes == 2
    in_own, in_volume = _entry_pages(FIXTURE, _pages(tmp_path / "own.pdf")), _entry_pages(FIXTURE, _pages(tmp_path / "volume.pdf"))
    assert [p - in_own[0] for p in in_own] == [p - in_volume[0] for p in in_volume]


def test_the_seeds_of_texts_gone_are_forgotten(tmp_path):
    from edition.render.pdf.seed import prune_seeds, seed_path

    kept, gone = seed_path(tmp_path, "text-kept"), seed_path(tmp_path, "text-gone")
    for path in (kept, gone):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    prune_seeds(tmp_path, ["kept"])
    assert kept.is_file() and not gone.exists()
