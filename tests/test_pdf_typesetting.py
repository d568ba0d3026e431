"""The print typography of a text (issue 17), measured on the PDF with pdfplumber and pikepdf:
margin line numbers in one column whatever the indent (lists, verse), verse indented, a spaced
dash never opening a line, apparatus numbers never stranded at a line's end, the source's page
markers clear of the trim, page labels (roman front matter, arabic text as printed).

The fixture (``fixtures/pdf/typesetting.xml``) is a small collated text with a list, a verse
quotation, many spaced dashes and page breaks; expectations come from the TEI read with lxml.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "typesetting.xml"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
MM = 72 / 25.4
BODY_SIZE = 10.5


def _words(el) -> list[str]:
    return " ".join("".join(t for t in el.xpath(".//text()[not(ancestor::tei:rdg)]", namespaces=NS)).split()).split()


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    import pdfplumber

    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    target = tmp_path_factory.mktemp("typesetting") / "typesetting.pdf"
    project = load_project(ROOT)
    info = render_pdf(project, [Document.load(FIXTURE)], pdf_options(project.pdf), volume=False, target=target)
    assert not [d for d in info.diagnostics if d.severity == "error"]
    pages = []
    with pdfplumber.open(str(target)) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["size", "fontname"], x_tolerance=1.2)
            pages.append((page.width, words))
    return target, pages, etree.parse(str(FIXTURE))


def _lines(words, size=BODY_SIZE):
    """Words of one size grouped into lines (by baseline), each sorted left to right."""
    lines: dict[int, list] = {}
    for w in words:
        if abs(w["size"] - size) < 0.3:
            lines.setdefault(round(w["bottom"]), []).append(w)
    return [sorted(ws, key=lambda w: w["x0"]) for _, ws in sorted(lines.items())]


def _text_pages(pages):
    return [(width, words) for width, words in pages if len(_lines(words)) > 5]


def _column_left(pages) -> float:
    return Counter(round(line[0]["x0"]) for _, words in _text_pages(pages) for line in _lines(words)).most_common(1)[0][0]


def _margin_numbers(words, left):
    return [w for w in words if w["text"].isdigit() and w["x1"] < left - 2 and w["size"] < BODY_SIZE - 1]


def test_margin_line_numbers_stand_in_one_column_beside_lists_and_verse(printed):
    _, pages, tei = printed
    left = _column_left(pages)
    numbers, beside_indent = [], 0
    for _, words in _text_pages(pages):
        lines = _lines(words)
        for number in _margin_numbers(words, left):
            numbers.append(number["x1"])
            line = next((ln for ln in lines if abs(ln[0]["bottom"] - number["bottom"]) < 2), None)
            if line is not None and line[0]["x0"] > left + 3 * MM:
                beside_indent += 1   # a list item's or a verse line's number
    assert len(numbers) >= 10 and beside_indent >= 2, (len(numbers), beside_indent)
    assert max(numbers) - min(numbers) < 1, "a margin number stands inside an indent"


def test_verse_is_indented_like_the_web_page(printed):
    _, pages, tei = printed
    left = _column_left(pages)
    verse = [_words(line)[:3] for line in tei.xpath("//tei:lg/tei:l", namespaces=NS)]
    lines = [line for _, words in _text_pages(pages) for line in _lines(words)]
    for first_words in verse:
        [line] = [ln for ln in lines if [w["text"] for w in ln[:3]] == first_words]
        assert line[0]["x0"] >= left + 4 * MM, f"verse flush with the prose: {first_words}"


def test_a_spaced_dash_never_opens_a_line(printed):
    _, pages, tei = printed
    spaced = [t for t in tei.xpath("//tei:lem/text()", namespaces=NS) if re.fullmatch(r" [–—] ", t)]
    assert len(spaced) > 10
    for _, words in _text_pages(pages):
        for line in _lines(words):
            assert line[0]["text"][:1] not in "–—", " ".join(w["text"] for w in line)


def test_an_apparatus_number_stays_with_its_lemma(printed):
    _, pages, _ = printed
    bold = 0
    for _, words in pages:
        foot = [w for w in words if w["size"] < BODY_SIZE - 1.5 and w["top"] > 300]
        for line in _lines(foot, size=Counter(round(w["size"], 1) for w in foot).most_common(1)[0][0] if foot else 0):
            numbers = [w for w in line if "Bold" in w["fontname"] and re.fullmatch(r"[\d–]+", w["text"])]
            bold += len(numbers)
            assert line[-1] not in numbers, " ".join(w["text"] for w in line)
    assert bold >= 20


def test_page_markers_stand_clear_of_the_trim_and_the_text(printed):
    _, pages, tei = printed
    expected = len(tei.xpath("//tei:pb", namespaces=NS))
    found = 0
    for width, words in pages:
        lines = _lines(words)
        right = max((w["x1"] for line in lines for w in line), default=0)
        for k, w in enumerate(words):
            if w["text"].startswith("[p."):
                end = next(x for x in words[k:] if x["text"].endswith("]"))
                assert width - end["x1"] >= 9 * MM, f"[p. …] {(width - end['x1']) / MM:.1f} mm from the trim"
                assert w["x0"] > right + 1 * MM
                found += 1
    assert found == expected


def test_page_labels_roman_for_the_front_matter_arabic_as_printed(printed):
    import pikepdf

    target, pages, tei = printed
    title = tei.xpath("string(//tei:titleStmt/tei:title)", namespaces=NS)
    first = next(i for i, (_, words) in enumerate(pages)
                 if any(w["text"] == title.split()[-1] and w["size"] > 14 for w in words)
                 and len(_lines(words)) > 5)   # the text's heading over its first lines
    assert first > 0, "the text opens after its front matter"
    with pikepdf.open(str(target)) as pdf:
        nums = list(pdf.Root.PageLabels.Nums)
    labels = dict(zip([int(n) for n in nums[0::2]], nums[1::2]))
    assert labels[0].S == "/r" and labels[first].S == "/D"
    printed_number = next(w["text"] for w in pages[first][1] if w["text"].isdigit() and w["top"] < 25 * MM)
    assert int(labels[first].St) == int(printed_number)
