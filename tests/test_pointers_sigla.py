"""No false statements (issue 14): a reading given by pointer is its target's text or says it is
given elsewhere, never *om.*; sigla are what the witnesses declare; a pointer to a witness
prints its siglum, never ``#ID``; licence, authors and editors come from the TEI header.

Expectations are read from the TEI with lxml in this file (sigla, targets, licence); the HTML
from ``render_text``, the PDF with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml
from test_pdf_whitespace import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "realtei" / "pointers.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def words(el) -> str:
    return " ".join("".join(el.itertext()).split())


def declared_sigla(root) -> dict[str, str]:
    """xml:id → siglum, by the TEI's own declarations (idno, @n, abbr), else the id."""
    out = {}
    for w in root.iterfind(".//t:witness", NS):
        idno = w.find("t:idno[@type='siglum']", NS)
        abbr = w.find("t:abbr", NS)
        out[w.get(XML_ID)] = (words(idno) if idno is not None else w.get("n")
                              or (words(abbr) if abbr is not None else w.get(XML_ID)))
    return out


def expected_entries(tei: Path) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Each app: its lemma, and each reading as it must read (text, or what stands for it)."""
    root = etree.parse(str(tei)).getroot()
    ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    sig = declared_sigla(root)
    # the readings print in the order of the witness list (reledmac's), whatever the TEI's order
    rank = {w.get(XML_ID): k for k, w in enumerate(root.iterfind(".//t:listWit/t:witness", NS))}
    out = []
    for app in root.iterfind(".//t:app", NS):
        lem = app.find("t:lem", NS)
        readings = []
        for rdg in app.iterfind("t:rdg", NS):
            ptr = rdg.find("t:ptr", NS)
            if ptr is not None:
                target = ptr.get("target")
                local = ids.get(target[1:]) if target.startswith("#") else None
                text = words(local) if local is not None else f"reading given elsewhere (→ {target.lstrip('#')})"
            else:
                text = words(rdg) or "om."
            readings.append((rank[rdg.get("wit").split()[0][1:]], text, [sig[w[1:]] for w in rdg.get("wit", "").split()]))
        out.append((words(lem), [(text, sigla) for _, text, sigla in sorted(readings, key=lambda r: r[0])]))
    return out


def test_fixture_has_every_case():
    entries = expected_entries(FIXTURE)
    texts = [text for _, readings in entries for text, _ in readings]
    assert "the tall tree" in texts and "om." in texts
    assert sum(t.startswith("reading given elsewhere") for t in texts) == 2
    assert set(declared_sigla(etree.parse(str(FIXTURE)).getroot()).values()) == {"K", "Q", "R2", "Z"}


def test_html_entries_state_what_the_tei_states():
    from edition.render.html import render_text
    from edition.tei.document import Document

    rendered = render_text(Document.load(FIXTURE))
    page = lhtml.fragment_fromstring(rendered.body + rendered.notes_html + rendered.apparatus_html,
                                     create_parent="div")
    entries = page.find_class("app-entry")
    expected = expected_entries(FIXTURE)
    shown = [" ".join(e.text_content().split()) for e in entries]
    for lemma, readings in expected:
        entry = next(s for s in shown if f"{lemma} " in s or f"{lemma}]" in s)
        for text, sigla in readings:
            assert f"{text} {' '.join(sigla)}" in entry, (entry, text)
        assert entry.count("om.") == sum(text == "om." for text, _ in readings)
    visible = " ".join(page.text_content().split())
    for raw in ("#MSK", "MSK", "v_qyn_vrv_m5b", "#s1"):
        assert raw not in visible, raw
    assert "So K and Q" in visible   # <ptr target="#MSK"/> is the witness's siglum
    assert [s for s, _ in rendered.witnesses] == ["K", "Q", "R2", "Z"]


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory):
    target = tmp_path_factory.mktemp("ptr") / "pointers.pdf"
    build(FIXTURE, target)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_pdf_entries_state_what_the_tei_states(pdf_text):
    for lemma, readings in expected_entries(FIXTURE):
        printed = "; ".join(f"{text} {' '.join(sigla)}" for text, sigla in readings)
        assert f"{lemma}] {printed}" in pdf_text, printed
    for raw in ("#MSK", "MSK", "v_qyn_vrv_m5b"):
        assert raw not in pdf_text, raw


def test_pdf_colophon_says_what_the_header_says(pdf_text):
    root = etree.parse(str(FIXTURE)).getroot()
    licence = root.find(".//t:availability/t:licence", NS)
    # compared without spaces: a URL may break over a line end
    stated = f"Licence {words(licence)} ({licence.get('target')})"
    assert stated.replace(" ", "") in pdf_text.replace(" ", "")
    assert "All rights reserved" not in pdf_text and "not named" not in pdf_text
    for who in root.iterfind(".//t:titleStmt/t:author", NS):
        assert words(who) in pdf_text
    editors = ", ".join(words(e) for e in root.iterfind(".//t:titleStmt/t:editor", NS))
    assert f"Edited by {editors}" in pdf_text
