"""The variant map in the PDF (issue 19): a collated text opens with the map of its variants.

The PDF of the three-witness fixture is read with pdfplumber: its opening page holds the map's
caption with the number of units, the legend with each type and its count, and the agreement
matrix's sigla, all as the TEI (read with lxml here) has them; the map stands before the text's
first line and takes no line number. A text without an apparatus has no map.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from test_pdf_whitespace import build

FIXTURES = Path(__file__).parent / "fixtures"
THREE = FIXTURES / "variantmap" / "three-witnesses.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"


def tei_types(path: Path) -> Counter:
    root = etree.parse(str(path)).getroot()
    return Counter(app.get("type") or "untyped" for app in root.find(f"{TEI}text").iter(f"{TEI}app"))


def tei_sigla(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return [w.get("n") or w.get("{http://www.w3.org/XML/1998/namespace}id") for w in root.iter(f"{TEI}witness")]


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(str(pdf)) as document:
        return [" ".join((page.extract_text() or "").split()) for page in document.pages]


@pytest.fixture(scope="module")
def three_pdf(tmp_path_factory):
    target = tmp_path_factory.mktemp("vmap") / "three.pdf"
    build(THREE, target)
    return target


def test_the_pdf_opens_the_text_with_its_variant_map(three_pdf):
    pages = page_texts(three_pdf)
    holding = [i for i, text in enumerate(pages) if "Where the witnesses differ" in text]
    assert len(holding) == 1
    text = pages[holding[0]]
    types = tei_types(THREE)
    assert f"{sum(types.values())} variation units" in text
    for kind, count in types.items():
        assert f"{kind} ({count})" in text
    # the agreement matrix (three witnesses or more): its row and column labels are the sigla
    assert "How often each pair of witnesses agrees" in text
    after = text.split("How often each pair of witnesses agrees", 1)[1]
    for siglum in tei_sigla(THREE):
        assert after.count(siglum) >= 2, siglum


def test_a_text_without_apparatus_has_no_map(tmp_path):
    plain = FIXTURES / "html" / "nested.xml"
    assert not tei_types(plain)
    target = tmp_path / "plain.pdf"
    build(plain, target)
    assert not any("Where the witnesses differ" in text for text in page_texts(target))
