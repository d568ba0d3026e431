"""Notes without a call (``listNote``, ``back``, inside ``listApp``) all print after the text as
endnotes, by the division they stand in, with no near-empty pages (issue 14: they were floated
as footnotes without a call, cut off after three, or spread one a page).

The notes are read from the TEI with lxml; the PDF with pdftotext, page by page."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lxml import etree
from test_pdf_whitespace import build

NS = {"t": "http://www.tei-c.org/ns/1.0"}
COUNT = 60


def _tei(path: Path) -> Path:
    notes = "".join(f'<note xml:id="c{i}">Comment number {i} on the passage, with a few words of '
                    f'explanation that run to about one printed line.</note>' for i in range(1, COUNT + 1))
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Endnotes'
                    '</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
                    '</sourceDesc></fileDesc></teiHeader><text><body><p>The text itself is short.</p>'
                    '<listApp><app><note>A note of the apparatus.</note></app></listApp></body>'
                    f'<back><div><head>Commentary</head><listNote>{notes}</listNote></div></back></text></TEI>',
                    encoding="utf-8")
    return path


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_every_uncalled_note_prints_once_on_few_pages(tmp_path):
    tei = _tei(tmp_path / "endnotes.xml")
    pdf = tmp_path / "endnotes.pdf"
    build(tei, pdf)
    texts = pages(pdf)
    words = " ".join(texts)
    root = etree.parse(str(tei)).getroot()
    notes = [" ".join("".join(n.itertext()).split()) for n in root.iterfind(".//t:note", NS)]
    assert len(notes) == COUNT + 1
    for note in notes:
        assert note in words, note
    for i in range(1, COUNT + 1):
        assert words.count(f"Comment number {i} on") == 1
    # the division's heading is printed over its notes
    assert "Commentary" in words.split("Notes", 1)[-1]
    # 60 two-line notes fill a few pages, not one page each: every page but the last holds
    # at least a tenth of them
    with_notes = [t for t in texts if "Comment number" in t]
    assert len(with_notes) <= 5, len(with_notes)
    for page in with_notes[:-1]:
        assert page.count("Comment number") >= COUNT // 10


def test_a_division_headed_notes_is_not_headed_again_under_notes(tmp_path):
    """The section is headed "Notes"; the division the notes stand in, headed "NOTES:" in the
    witness, says the same, so it is not printed again; another heading ("Commentary") is."""
    tei = tmp_path / "notes.xml"
    tei.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Headed'
                   '</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
                   '</sourceDesc></fileDesc></teiHeader><text><body><p>The text itself is short.</p></body>'
                   '<back><div><head>NOTES:</head><listNote><note xml:id="n1">First uncalled note.</note>'
                   '</listNote></div><div><head>Commentary</head><listNote><note xml:id="n2">Second uncalled '
                   'note.</note></listNote></div></back></text></TEI>', encoding="utf-8")
    pdf = tmp_path / "notes.pdf"
    build(tei, pdf)
    text = " ".join(pages(pdf))
    section = text[text.rindex("Notes Note."):]    # the endnotes, after the text
    assert section.startswith("Notes Note. First uncalled note. Commentary Note. Second uncalled note."), section
    assert "NOTES:" not in section


def test_a_division_whose_notes_all_print_as_endnotes_leaves_no_empty_heading(tmp_path):
    """A division of the back that holds only uncalled notes: its heading goes with its notes
    (over them in the endnotes), not alone where the division stood, nor in the contents. A
    division with words of its own keeps its heading; one with a heading only is left as it is."""
    tei = tmp_path / "back.xml"
    tei.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Backed'
                   '</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
                   '</sourceDesc></fileDesc></teiHeader><text><body><div><head>Chapter one</head>'
                   '<p>The text itself is short.</p></div></body><back>'
                   '<div xml:id="only-notes"><head>Zanzibar appendix</head><listNote>'
                   '<note xml:id="n1">An uncalled note about quince.</note>'
                   '<note xml:id="n2">Another uncalled note about walrus.</note></listNote></div>'
                   '<div><head>Worded appendix</head><p>Some words of the appendix.</p>'
                   '<listNote><note xml:id="n3">A note about a yak.</note></listNote></div>'
                   '<div><head>Heading alone</head></div></back></text></TEI>', encoding="utf-8")
    pdf = tmp_path / "back.pdf"
    build(tei, pdf)
    text = " ".join(pages(pdf))
    # once, over its notes in the endnotes: not alone in the back, not in the contents
    assert text.count("Zanzibar appendix") == 1, text
    assert "Zanzibar appendix Note. An uncalled note about quince. Note. Another uncalled note about walrus." in text
    # a division with words keeps its heading over them (and heads its note in the endnotes)
    assert "Worded appendix Some words of the appendix." in text
    assert "Worded appendix Note. A note about a yak." in text
    assert "Heading alone" in text.split("Some words of the appendix.", 1)[1]


def test_the_web_page_keeps_the_id_of_a_division_it_does_not_print(tmp_path):
    from lxml import html as lhtml

    from edition.render.html import render_text
    from edition.tei.document import Document

    tei = tmp_path / "back.xml"
    tei.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Backed'
                   '</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>'
                   '</sourceDesc></fileDesc></teiHeader><text><body><p>Short, with a <ref target="#only-notes">'
                   'link to the notes</ref>.</p></body><back><div xml:id="only-notes"><head>Zanzibar appendix</head>'
                   '<listNote><note xml:id="n1">An uncalled note about quince.</note></listNote></div></back>'
                   '</text></TEI>', encoding="utf-8")
    rendered = render_text(Document.load(tei))
    body = lhtml.fragment_fromstring(rendered.body, create_parent="div")
    assert "Zanzibar" not in body.text_content()
    assert body.get_element_by_id("only-notes") is not None        # the link still finds its place
    assert body.xpath("//a[@href='#only-notes']")
    assert [e.label for e in rendered.toc] == []
    notes = lhtml.fragment_fromstring(rendered.notes_html, create_parent="div")
    assert "An uncalled note about quince." in notes.text_content()
