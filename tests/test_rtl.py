"""Right-to-left text (issue 14): Hebrew (``xml:lang="he"``) and Arabic (no language declared:
found by its letters) are set right to left, their lines ending at the right edge, in the PDF
and the HTML (``dir="rtl"``); the apparatus entries of RTL words read lemma ``]`` reading
sigla in that order; every glyph is in a font. The text and its readings are read from the TEI
with lxml; the PDF with pdfplumber (where each character stands) and pdffonts."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from test_pdf_whitespace import build

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
BODY = """
<p xml:lang="he">בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת <app><lem wit="#A">הַשָּׁמַיִם</lem><rdg wit="#B">השמים</rdg></app> וְאֵת הָאָרֶץ. וְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ וְחֹשֶׁךְ עַל פְּנֵי תְהוֹם וְרוּחַ אֱלֹהִים מְרַחֶפֶת עַל פְּנֵי הַמָּיִם.</p>
<p>بسم الله الرحمن الرحيم الحمد لله رب <app><lem wit="#A">العالمين</lem><rdg wit="#B">العلمين</rdg></app> الرحمن الرحيم مالك يوم الدين.</p>
<p>An English paragraph closes the text, long enough to fill one line of the page from its left edge to its right edge and more.</p>
"""


def fixture(path: Path) -> Path:
    path.write_text(f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Right to left</title>'
                    '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit>'
                    '<witness xml:id="A">A</witness><witness xml:id="B">B</witness></listWit></sourceDesc>'
                    f'</fileDesc></teiHeader><text><body>{BODY}</body></text></TEI>', encoding="utf-8")
    return path


def rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "L" for ch in text)


def letters(text: str) -> set[str]:
    """The base letters of a text (no points or vowel signs; presentation forms as letters)."""
    return {ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch).startswith("L")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rtl")
    tei = fixture(folder / "rtl.xml")
    pdf = folder / "rtl.pdf"
    result = build(tei, pdf)
    return tei, pdf, result


def test_rtl_paragraphs_are_set_right_to_left_and_end_at_the_right_edge(built):
    import pdfplumber

    tei, pdf, result = built
    with pdfplumber.open(str(pdf)) as doc:
        page = next(p for p in doc.pages if any(rtl(c["text"]) for c in p.chars))
        chars = [c for c in page.chars if c["size"] > 9]   # the text, not the apparatus
    english = [c for c in chars if c["text"].isascii() and c["text"].isalpha()]
    left, right = min(c["x0"] for c in english), max(c["x1"] for c in english)
    # printed lines: characters whose baselines are within a few points (Arabic marks sit higher)
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["bottom"]):
        if rows and c["bottom"] - rows[-1][0]["bottom"] < 7:
            rows[-1].append(c)
        else:
            rows.append([c])
    lines = dict(enumerate(rows))
    rtl_lines = [ln for ln in lines.values()
                 if sum(rtl(c["text"]) for c in ln) > sum(ltr(c["text"]) for c in ln)]
    assert len(rtl_lines) >= 3   # the Hebrew paragraph runs over two lines, the Arabic one is one
    for line in rtl_lines:
        # every line of a right-to-left paragraph ends at the right edge, the short ones too (a
        # first line by its paragraph indent, 1.2em, less)
        assert abs(max(c["x1"] for c in line) - right) < 1.2 * 10.5 + 2, [c["text"] for c in line][:5]
    short = min(rtl_lines, key=lambda ln: max(c["x1"] for c in ln) - min(c["x0"] for c in ln))
    assert min(c["x0"] for c in short) > left + 40   # a short line is not set from the left
    # the English paragraph's last line starts at the left edge
    last = max((ln for ln in lines.values() if not any(rtl(c["text"]) for c in ln)
                and any(c["text"] == "." for c in ln)), key=lambda ln: ln[0]["top"])
    assert abs(min(c["x0"] for c in last) - left) < 2
    assert not [d for d in result.diagnostics if d.code in ("W660", "W661", "W702")]


def test_rtl_text_is_in_fonts_that_have_it(built):
    _, pdf, _ = built
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Hebrew" in fonts and "Arabic" in fonts or "Naskh" in fonts


def test_rtl_apparatus_entries_read_lemma_bracket_reading_sigla(built):
    import pdfplumber

    tei, pdf, _ = built
    root = etree.parse(str(tei)).getroot()
    with pdfplumber.open(str(pdf)) as doc:
        page = next(p for p in doc.pages if any(rtl(c["text"]) for c in p.chars))
        foot = [c for c in page.chars if c["size"] <= 9 and c["top"] > page.height / 2]
    # the foot as printed, left to right: "1 <lemma>] <reading> B 3 <lemma>] <reading> B"
    printed = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"]))
    entries = printed.split("]")
    apps = list(root.iterfind(".//t:app", NS))
    assert len(entries) == len(apps) + 1
    for k, app in enumerate(apps):
        lemma = "".join(app.find("t:lem", NS).itertext())
        rdg = app.find("t:rdg", NS)
        before = entries[k].rstrip()
        after = entries[k + 1]
        # before the bracket: the line number, then the lemma's letters and nothing else
        number = max(i for i, ch in enumerate(before) if ch.isdigit())
        assert letters(before[number + 1:]) == letters(lemma), (before, lemma)
        # after it: the reading's letters, then its siglum
        siglum = rdg.get("wit")[1:]
        assert letters(after[:after.index(siglum)]) == letters("".join(rdg.itertext())), after


def test_the_html_says_the_direction(built):
    from edition.render.html import render_text
    from edition.tei.document import Document

    tei, _, _ = built
    page = lxml_html.fragment_fromstring(render_text(Document.load(tei)).body, create_parent="div")
    paragraphs = page.xpath("//p")
    assert [p.get("dir") for p in paragraphs] == ["rtl", "rtl", None]
