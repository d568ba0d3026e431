"""Readings in ``@varSeq`` order, a unit nested in a reading, and ``witDetail`` with its witness's
reading, in the HTML and the PDF (issue 14). What each entry must say is read from the TEI with
lxml; the PDF with pdftotext, the HTML entries with lxml."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from test_pdf_whitespace import build

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
BODY = """
<p>The king went <app><lem wit="#A">home</lem><rdg wit="#B" varSeq="3">away</rdg><rdg wit="#C" varSeq="1">out</rdg><rdg wit="#D" varSeq="2">off</rdg></app> at night.</p>
<p>Then he <app><lem wit="#A #B">sang a <app><lem wit="#A">loud</lem><rdg wit="#B">soft</rdg></app> song</lem><rdg wit="#C">said a <app><lem wit="#C">long</lem><rdg wit="#D">short</rdg></app> word</rdg></app> alone.</p>
<p>She <app><lem wit="#A">wrote</lem><rdg wit="#C">wrot</rdg><rdg wit="#B" xml:id="rB">wrot</rdg><witDetail wit="#B" target="#rB">corrected in the margin</witDetail></app> it, and <app><lem wit="#A">he</lem><rdg wit="#D">she</rdg><witDetail wit="#D">over an erasure</witDetail></app> read it.</p>
"""


def fixture(path: Path) -> Path:
    wits = "".join(f'<witness xml:id="{w}">Codex {w}</witness>' for w in "ABCD")
    path.write_text(f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Nest</title></titleStmt>'
                    f'<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit>{wits}</listWit></sourceDesc>'
                    f'</fileDesc></teiHeader><text><body>{BODY}</body></text></TEI>', encoding="utf-8")
    return path


def words(el) -> str:
    """An element's words, a nested unit read by its lemma."""
    parts = [el.text or ""]
    for child in el:
        if etree.QName(child).localname == "app":
            parts.append(words(child.find("t:lem", NS)))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def wits(el) -> str:
    return " ".join(w.lstrip("#") for w in el.get("wit").split())


def reading_text(rdg, app) -> str:
    """``out C`` with what the TEI says of that reading: its witDetail (by @target, else by
    witness), the entries of a unit nested in it."""
    said = []
    for detail in app.iterfind("t:witDetail", NS):
        by_target = detail.get("target") and rdg.get(XML_ID) == detail.get("target")[1:]
        if by_target or (not detail.get("target") and set(wits(detail).split()) & set(wits(rdg).split())):
            said.append(f"{wits(detail)}: {words(detail)}")
    for inner in rdg.iterfind("t:app", NS):
        lem = inner.find("t:lem", NS)
        said.append(f"{words(lem)} {wits(lem)}] " + "; ".join(f"{words(r)} {wits(r)}" for r in inner.iterfind("t:rdg", NS)))
    return f"{words(rdg)} {wits(rdg)}" + (f" ({'; '.join(said)})" if said else "")


def expected(tei: Path) -> list[tuple[str, list[str]]]:
    """Each top-level unit: its lemma and its readings in @varSeq order (without: by their first
    witness in the listWit, the apparatus order of reledmac editions)."""
    root = etree.parse(str(tei)).getroot()
    listed = [w.get(XML_ID) for w in root.iterfind(".//t:listWit/t:witness", NS)]
    out = []
    for app in root.iterfind(".//t:p/t:app", NS):
        rdgs = list(app.iterfind("t:rdg", NS))
        ordered = sorted(rdgs, key=lambda r: int(r.get("varSeq"))) if all(r.get("varSeq") for r in rdgs) \
            else sorted(rdgs, key=lambda r: min(listed.index(w) for w in wits(r).split()))
        out.append((words(app.find("t:lem", NS)), [reading_text(r, app) for r in ordered]))
    return out


@pytest.fixture(scope="module")
def tei(tmp_path_factory):
    return fixture(tmp_path_factory.mktemp("seq") / "nested.xml")


def test_the_pdf_prints_readings_in_sequence_nested_units_and_details(tei, tmp_path):
    pdf = tmp_path / "nested.pdf"
    build(tei, pdf)
    printed = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
    units = expected(tei)
    assert any("(" in r for _, readings in units for r in readings)   # the fixture holds each case
    for lemma, readings in units:
        assert f"{lemma}] {'; '.join(readings)}" in printed, (lemma, readings)


def test_the_html_entries_say_the_same(tei):
    from edition.render.html import render_text
    from edition.tei.document import Document

    rendered = render_text(Document.load(tei))
    entries = [" ".join(li.text_content().split())
               for li in lxml_html.fragment_fromstring(rendered.apparatus_html, create_parent="ol")]
    for lemma, readings in expected(tei):
        # the web entry names the lemma's witnesses; a nested unit has an entry of its own
        flat = [re.sub(r" \((?![A-Z]: )[^)]*\]\s[^)]*\)", "", r) for r in readings]
        assert any(f"] {'; '.join(flat)}" in e and f"{lemma} " in e for e in entries), (lemma, flat, entries)
    root = etree.parse(str(tei)).getroot()
    for inner in root.iterfind(".//t:rdg/t:app", NS):
        lem = inner.find("t:lem", NS)
        rdgs = "; ".join(f"{words(r)} {wits(r)}" for r in inner.iterfind("t:rdg", NS))
        assert any(f"{words(lem)} {wits(lem)}] {rdgs}" in e and "in the reading of" in e for e in entries)
