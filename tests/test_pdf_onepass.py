"""A cold keyed layout in one full pass: the texts laid out alone first, as an estimate (``estimate``).

Cold (no seed), a numbered text is read from its blocks laid out on tall pages, and the one full
pass is laid out from that reading and checked as a seed is (``seed``): one pass when it holds,
the same pages as the layout without the estimate (two passes or more), every entry on its
lemma's page under its printed line (read from the PDF, against the TEI). A wrong estimate costs
passes, never a wrong page. Lines numbered per page are not estimated (their numbers depend on
the pages): they take the passes they took.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pdf_support import read_pdf
from test_pdf_apparatus import _covers, norm, norm_text, placed_apps

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"


def _build(target: Path, build_dir: Path, **options):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    project.settings["build_dir"] = str(build_dir)
    return render_pdf(project, [Document.load(FIXTURE)], pdf_options(project.pdf, **options), volume=False,
                      target=target)


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


def _misplaced(pdf: Path) -> list[str]:
    """The apps whose entry is not at the foot of their lemma's page under its printed line."""
    pages = read_pdf(pdf)
    wrong = []
    for app_id, (page, line, word) in placed_apps(FIXTURE, pages).items():
        groups = [text for label, text, _ in pages[page].groups if int(label.split("–")[0]) == line
                  or (norm(word) == "" and _covers(label, line))]
        token = word if norm(word) == "" else norm(word)
        if not any((token in text if norm(word) == "" else token in norm_text(text)) for text in groups):
            wrong.append(f"{app_id}: page {page + 1}, line {line}")
    return wrong


@pytest.fixture(scope="module")
def without_estimate(tmp_path_factory):
    """The cold layout as it was before the estimate: passes from a layout without numbers."""
    import edition.render.pdf.seed as seed

    folder = tmp_path_factory.mktemp("old")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seed, "estimated_seed", lambda *args, **kwargs: None)
        info = _build(folder / "old.pdf", folder / "build")
    return folder / "old.pdf", info


def test_a_cold_numbered_text_takes_one_full_pass(tmp_path, without_estimate):
    old_pdf, old = without_estimate
    info = _build(tmp_path / "cold.pdf", tmp_path / "build")
    assert old.passes >= 2
    assert info.passes == 1
    assert not [d for d in info.diagnostics if d.code in ("W701", "W702")]
    assert _pages(tmp_path / "cold.pdf") == _pages(old_pdf)
    assert info.entries == old.entries > 0
    assert not _misplaced(tmp_path / "cold.pdf")


def test_a_warm_build_starts_from_its_seed_not_an_estimate(tmp_path, monkeypatch):
    import edition.render.pdf.seed as seed

    _build(tmp_path / "cold.pdf", tmp_path / "build")
    estimates = []
    real = seed.estimated_seed
    monkeypatch.setattr(seed, "estimated_seed", lambda *a, **k: estimates.append(1) or real(*a, **k))
    warm = _build(tmp_path / "warm.pdf", tmp_path / "build")
    assert warm.passes == 1 and not estimates
    assert _pages(tmp_path / "warm.pdf") == _pages(tmp_path / "cold.pdf")


def _wrong(estimate):
    """An estimate off by a few characters a line and by a line a lemma (the layout would not
    break so): numbers, markers and entries made from it stand elsewhere than the pass reads."""
    def wrong(*args, **kwargs):
        found = estimate(*args, **kwargs)
        reading, fixes = found
        for line in reading.lines:
            if line.start:
                line.start = max(1, line.start - 3)
        last = len(reading.lines) - 1
        for place in reading.lemmas.values():
            place.first_index = min(place.first_index + 1, last)
            place.last_index = min(max(place.last_index + 1, place.first_index), last)
        return reading, fixes
    return wrong


def test_a_wrong_estimate_ends_on_the_right_pages(tmp_path, monkeypatch, without_estimate):
    import edition.render.pdf.seed as seed

    old_pdf, old = without_estimate
    monkeypatch.setattr(seed, "estimated_seed", _wrong(seed.estimated_seed))
    info = _build(tmp_path / "wrong.pdf", tmp_path / "build")
    assert info.passes >= 2   # the pass made from the estimate was read, found wrong, and laid out again
    assert not [d for d in info.diagnostics if d.code in ("W701", "W702")]
    assert _pages(tmp_path / "wrong.pdf") == _pages(old_pdf)
    assert not _misplaced(tmp_path / "wrong.pdf")


def test_lines_numbered_per_page_are_not_estimated(tmp_path, monkeypatch):
    import edition.render.pdf.seed as seed

    calls = []
    real = seed.estimated_seed
    monkeypatch.setattr(seed, "estimated_seed", lambda *a, **k: calls.append(real(*a, **k)) or calls[-1])
    info = _build(tmp_path / "per-page.pdf", tmp_path / "build", line_numbers="page")
    assert calls == [None]   # asked, and declined: the numbers depend on the pages
    assert info.passes >= 2
    numbered = [page for page in read_pdf(tmp_path / "per-page.pdf") if page.margin]
    assert len(numbered) > 1
    for page in numbered:
        margin = [n for n, _ in page.margin]
        assert margin == list(range(5, 5 * len(margin) + 1, 5)), f"page {page.number + 1}: {margin}"


def test_the_estimate_lays_out_the_texts_alone_on_tall_pages():
    from edition.render.pdf.estimate import TALL, texts_alone
    from edition.render.pdf.printhtml import KEY, key_blocks

    page = """<html><head><style>@page { size: A4; }</style></head><body>
      <div class="front"><p>Title page</p></div>
      <section class="text lk-text" data-text="t"><h1 class="text-title">T</h1>
        <figure class="variant-map"><svg></svg></figure>
        <div class="tei-text"><div class="body"><p>One <span class="app" id="a1">two</span></p><p>three</p></div></div>
        <section class="witness-paratext"><p>about the witness</p></section>
        <ol class="endnotes-list"><li>an endnote</li></ol></section></body></html>"""
    tree = lxml_html.document_fromstring(page)
    key_blocks(tree)
    alone = lxml_html.document_fromstring(texts_alone(tree))
    assert [" ".join(el.text_content().split()) for el in alone.find("body").iter("p", "li", "h1", "svg")] \
        == ["One two", "three", "an endnote"]   # no front matter, title, variant map, paratext
    assert [el.get(KEY) for el in alone.iter() if el.get(KEY)] == [el.get(KEY) for el in tree.iter() if el.get(KEY)]
    assert f"@page {{ size: 210mm {TALL}; }}" in alone.find("head")[-1].text   # A4's width
    styled = lxml_html.document_fromstring(page.replace("<p>three", '<p style="float: left">three'))
    key_blocks(styled)
    assert texts_alone(styled) is None   # its lines could break by the page


def test_blocks_are_keyed_the_same_when_keyed_again():
    """A seed that does not fit, then the layout without it, key the same tree twice."""
    from edition.render.pdf.printhtml import KEY, key_blocks

    page = """<html><body>
      <section class="text lk-text" data-text="a"><div class="tei-text"><p>one</p><p>two</p></div>
        <ol class="endnotes-list"><li>n1</li><li>n2</li></ol></section>
      <section class="text lk-text" data-text="b"><div class="tei-text"><p>three</p></div>
        <ol class="endnotes-list"><li>n3</li></ol></section></body></html>"""
    tree = lxml_html.document_fromstring(page)
    first = key_blocks(tree), [el.get(KEY) for el in tree.iter() if el.get(KEY)]
    again = key_blocks(tree), [el.get(KEY) for el in tree.iter() if el.get(KEY)]
    assert again == first
    assert len(set(first[1])) == len(first[1]) == 8   # the texts, their paragraphs, the endnotes
