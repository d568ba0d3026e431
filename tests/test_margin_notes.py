"""Notes the TEI places in a margin (``@place`` margin, margin-left, margin-right …) print in the
page's margin beside their text, inline ones in the line, all of them (issue 14); the HTML shows
margin notes as side notes. The notes and their places are read from the TEI with lxml; the PDF
with pdfplumber (where each word stands), the HTML with lxml."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from test_pdf_whitespace import build

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
BODY = """
<p>The king went <app><lem>home</lem><rdg wit="#B">away</rdg></app> at night, and the whole court followed him
along the road that led to the river, where the boats were waiting.<note place="margin">Gloss upon roads</note>
Nobody spoke while the torches burned.</p>
<note place="margin-left">Marginal heading between blocks</note>
<p>Then he sang a loud song alone in the dark garden <note place="margin-right">Rightward remark</note> while
the stars turned slowly above the walls of the palace and the guards listened.</p>
<p>She wrote it down <note place="inline">an inline aside</note> and sealed the letter with wax, <note
place="margin">first of two</note><note place="margin">second of two</note> then slept.</p>
"""


def fixture(path: Path) -> Path:
    path.write_text(f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Margins</title></titleStmt>'
                    '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="B">B</witness>'
                    f'</listWit></sourceDesc></fileDesc></teiHeader><text><body>{BODY}</body></text></TEI>',
                    encoding="utf-8")
    return path


def notes(tei: Path) -> list[tuple[str, str]]:
    """(place, words) of every note of the TEI."""
    root = etree.parse(str(tei)).getroot()
    return [(n.get("place"), " ".join("".join(n.itertext()).split())) for n in root.iterfind(".//t:note", NS)]


@pytest.fixture(scope="module")
def tei(tmp_path_factory):
    return fixture(tmp_path_factory.mktemp("margin") / "margins.xml")


def test_margin_notes_print_in_the_margin_and_inline_notes_in_the_line(tei, tmp_path):
    import pdfplumber

    pdf = tmp_path / "margins.pdf"
    build(tei, pdf)
    with pdfplumber.open(str(pdf)) as doc:
        page = next(p for p in doc.pages if "torches" in (p.extract_text() or ""))
        # small type: its word spaces are narrow
        words = page.extract_words(x_tolerance=1, extra_attrs=["size"])
    body = [w for w in words if w["text"] in ("king", "Nobody", "Then", "She", "stars", "listened.")]
    left, right = min(w["x0"] for w in body), max(w["x1"] for w in body)
    found = notes(tei)
    assert {p for p, _ in found} == {"margin", "margin-left", "margin-right", "inline"}
    for place, text in found:
        # an inline note is set apart in the line by parentheses
        # the words of the text's size for an inline note, the small ones for a margin note
        size = max(w["size"] for w in body)
        hits = [w for w in words if w["text"].strip("()") in text.split()
                and (abs(w["size"] - size) < 0.5) == (place == "inline")]
        assert {w["text"].strip("()") for w in hits} >= set(text.split()), (place, text)   # every note printed
        if place == "inline":
            assert all(left <= w["x0"] and w["x1"] <= right for w in hits), text
        else:   # in the margin, outside the text's measure, beside the text's lines
            assert all(w["x1"] < left - 2 for w in hits), (text, [(w["text"], w["x1"]) for w in hits], left)
    # notes at one place, or beside lines next to each other, are not printed over each other
    inked = [w for w in words if w["x1"] < left - 2]
    for a in inked:
        for b in inked:
            if a is not b:
                overlap = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5 and \
                    min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
                assert not overlap, (a["text"], b["text"])
    # each beside its own line: the first word of the margin note at the height of the line
    # that holds the word the TEI has just before it
    for before, note_word in (("waiting.", "Gloss"), ("Then", "Marginal"), ("wax,", "first")):
        line = next(w for w in words if w["text"] == before)
        mark = next(w for w in words if w["text"] == note_word)
        assert abs(mark["top"] - line["top"]) < line["bottom"] - line["top"], (before, note_word)


def test_the_html_shows_margin_notes_as_side_notes(tei):
    from edition.render.html import render_text
    from edition.tei.document import Document

    page = lxml_html.fragment_fromstring(render_text(Document.load(tei)).body, create_parent="div")
    side = {" ".join(el.text_content().split()): el.get("data-side")
            for el in page.xpath("//*[contains(concat(' ', @class, ' '), ' margin-note ')]")}
    for place, text in notes(tei):
        if place == "inline":
            assert text not in side and text in " ".join(page.text_content().split())
        else:
            assert side.get(text) == ("right" if "right" in place else "left"), (place, text, side)
