"""A generated long text and its project (``[html] split_above`` set low), for the tests of
long texts on the web (``test_html_chapters``) and in print (``test_pdf_chapters``).

The text: a title page and a preface in its front; chapters of paragraphs with notes,
variation units, pointers to the chapter before and a call of an endnote; a division of
endnotes in its back. ``make`` writes the project; the tests read the TEI themselves.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

CHAPTERS = 5
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]
WORDS = ("the sea was calm and the ship went on through the night while they slept below deck "
         "and dreamed of home").split()


def _para(c: int, k: int) -> str:
    words = " ".join(WORDS[(c * 7 + k * 3 + j) % len(WORDS)] for j in range(40))
    pid = f"c{c}.p{k}"
    extra = ""
    if k == 1:
        extra = (f' It was <app xml:id="{pid}.a1" type="substantive"><lem wit="#A">cold</lem>'
                 f'<rdg wit="#B #C">bitter</rdg></app> that night.')
    if k == 2:
        extra = f' A note here<note xml:id="c{c}.n1" place="foot">Note of chapter {c}.</note> and more.'
    if k == 3 and c > 1:
        extra = f' As told before, <ref target="#c{c - 1}.p2">in the chapter before</ref>.'
    if k == 3 and c == 2:
        extra += ' See the end<ref target="#bn1">*</ref>.'
    return f'<p xml:id="{pid}">{words}.{extra}</p>'


PARATEXT_FRONT = ('<byline source="#B" xml:id="tp.by">Told by the second editor</byline>'
                  '<argument source="#C" xml:id="tp.arg"><p xml:id="tp.arg.p1">In which a ship sails on '
                  'and the third edition sums it up</p></argument>')
PARATEXT_BACK = ('<div type="paratext" subtype="credit" source="#B" xml:id="credit">'
                 '<p xml:id="credit.p1">Reprinted by kind leave of the harbour master</p></div>')


def long_tei(chapters: int = CHAPTERS, paragraphs: int = 4, wrapped: bool = False, paratext: bool = False) -> str:
    """The long text: a title page and a preface, ``chapters`` chapters, a division of endnotes;
    ``wrapped``: the chapters in one division with a head of its own, as ``collate`` writes them;
    ``paratext``: the witnesses' own paratext too (a byline and a summary on the title page, a
    credit after the endnotes), which the edition sets apart from the text."""
    chapters = "\n".join(
        f'<div type="chapter" xml:id="c{c}" n="{c}"><head>CHAPTER {ROMAN[c - 1]}</head>'
        + "".join(_para(c, k) for k in range(1, paragraphs + 1)) + "</div>"
        for c in range(1, chapters + 1))
    if wrapped:
        chapters = f'<div type="article" xml:id="whole"><head xml:id="whole.head">THE VOYAGE</head>{chapters}</div>'

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc>
    <titleStmt><title type="main">A Long Voyage</title><author>Ann Author</author></titleStmt>
    <publicationStmt><publisher>Test Press</publisher></publicationStmt>
    <sourceDesc><listWit><witness xml:id="A">First edition.</witness><witness xml:id="B">Second edition.</witness>
      <witness xml:id="C">Third edition.</witness></listWit></sourceDesc>
  </fileDesc></teiHeader>
  <text>
    <front>
      <titlePage xml:id="tp"><docTitle><titlePart>A LONG VOYAGE</titlePart></docTitle>{PARATEXT_FRONT if paratext else ""}</titlePage>
      <div type="preface" xml:id="pref"><head>Preface</head><p xml:id="pref.p1">This voyage is long. {" ".join(WORDS)}</p></div>
    </front>
    <body>
{chapters}
    </body>
    <back>
      <div type="notes" xml:id="endnotes"><head>Notes</head>
        <note xml:id="bn1" n="1">An endnote, called from chapter II.</note>
      </div>{PARATEXT_BACK if paratext else ""}
    </back>
  </text>
</TEI>
"""


PROJECT = """[edition]
title = "Long Texts"
base_url = "https://example.org/long/"
language = "en"
outputs = ["html"]

[html]
search = {search}
split_above = {limit}
"""


def make(root: Path, limit: int, search: bool = False, more: str = "", **shape) -> Path:
    (root / "tei").mkdir(parents=True)
    (root / "edition.toml").write_text(PROJECT.format(limit=limit, search=str(search).lower()) + more,
                                       encoding="utf-8")
    (root / "tei" / "voyage.xml").write_text(long_tei(**shape), encoding="utf-8")
    return root


NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def page_divisions(root) -> list:
    """The divisions that get a page each: those of front, body and back, read through a
    division that alone holds the chapters (the spec of ``[html] split_above``), but a
    witness's paratext."""
    found = []
    for container in root.xpath("//tei:text/tei:front | //tei:text/tei:body | //tei:text/tei:back", namespaces=NS):
        scope = container
        while len(scope.findall("tei:div", NS)) == 1 and len(scope.find("tei:div", NS).findall("tei:div", NS)) > 1:
            scope = scope.find("tei:div", NS)
        # a witness's own paratext in front or back (a @source) is listed apart: no page of its own
        found += [d for d in scope.findall("tei:div", NS)
                  if d.get("source") is None or etree.QName(container).localname == "body"]
    return found
