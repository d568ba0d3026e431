"""Apparatus entries of four witnesses read as reledmac's: ``lemma A D] variant B C``, ``om. D``,
``add. … B C``, ``transp.`` for moved words, readings and sigla in the order of the witness list
whatever the TEI's order.

The TEI is the one ``edition collate`` writes for the generated novel of
``test_collate_four_witnesses``; a second copy has every unit's readings and every ``@wit``
written in reverse. The expected strings are made here from an lxml reading of the TEI
(``lem``/``rdg``, ``@wit``, the ``listWit``), and compared with the web edition's entries and
the PDF's (``[pdf] lemma_witnesses = true``) as pdfplumber reads them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml
from pdf_support import read_pdf
from test_collate_four_witnesses import SIGLA, edition, make_book, witness

from edition.build import load_documents
from edition.project import load_project
from edition.render.html import render_text
from edition.render.pdf import render_pdf
from edition.render.pdf.options import pdf_options
from edition.tei.document import Document

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def words(el) -> str:
    return " ".join("".join(el.itertext()).split())


def word_before(app) -> str:
    """The last word of the text before ``app`` in its paragraph (readings left out)."""
    block = app.xpath("ancestor::tei:p[1] | ancestor::tei:head[1]", namespaces=NS)[0]
    before = [t for t in app.xpath("preceding::text()[not(ancestor::tei:rdg)]", namespaces=NS)
              if block in t.getparent().iterancestors() or t.getparent() is block]
    return "".join(before).split()[-1]


def expected(tei: Path, shorten: bool = False) -> list[tuple[str, str]]:
    """(app id, ``lemma SIGLA] reading SIGLA; …``) of every unit of words, from the TEI."""
    root = etree.parse(str(tei)).getroot()
    rank = {w.get(XML_ID): k for k, w in enumerate(root.iterfind(".//tei:listWit/tei:witness", NS))}

    def sig(el) -> str:
        return " ".join(sorted((w.lstrip("#") for w in el.get("wit").split()), key=rank.__getitem__))

    out = []
    for app in root.iterfind(".//tei:app", NS):
        if app.get("type") == "punctuation":
            continue   # marks alone are printed with their word (issue 17's entries)
        lem = app.find("tei:lem", NS)
        lemma = words(lem) or word_before(app)
        if shorten:
            lemma = _short(lemma)
        rdgs = sorted(app.findall("tei:rdg", NS), key=lambda r: min(rank[w.lstrip('#')] for w in r.get("wit").split()))
        readings = []
        for rdg in rdgs:
            text = words(rdg)
            if rdg.get("cause") == "transposition":    # moved words: said so at both places
                shown = f"transp. {_short(text) if shorten else text}".strip()
            else:
                shown = "om." if not text else (f"add. {text}" if not words(lem) else text)
            readings.append(f"{shown} {sig(rdg)}")
        out.append((app.get(XML_ID), f"{lemma} {sig(lem)}] {'; '.join(readings)}"))
    return out


def _short(text: str) -> str:
    return f"{text.split()[0]} … {text.split()[-1]}" if len(text.split()) > 4 else text


def reverse_everything(tei: Path) -> None:
    """Write each unit's readings, and each reading's witnesses, in reverse order."""
    tree = etree.parse(str(tei))
    for app in tree.iterfind(".//tei:app", NS):
        rdgs = app.findall("tei:rdg", NS)
        for rdg in rdgs:
            app.remove(rdg)
        for rdg in reversed(rdgs):
            app.append(rdg)
        for reading in [app.find("tei:lem", NS), *rdgs]:
            reading.set("wit", " ".join(reversed(reading.get("wit").split())))
    tree.write(str(tei), encoding="UTF-8", xml_declaration=True)


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    root = tmp_path_factory.mktemp("fourapp") / "four"
    (root / "sources").mkdir(parents=True)
    book = make_book()
    config = ['[edition]\ntitle = "Four Witnesses"\n', '[pdf]\nlemma_witnesses = true\n',
              '[[text]]\nid = "four"\nbase = "A"\n']
    for siglum in SIGLA:
        (root / "sources" / f"{siglum}.txt").write_text(witness(book, siglum), encoding="utf-8")
        config.append(f'[[text.witness]]\nsiglum = "{siglum}"\nsource = "sources/{siglum}.txt"\n')
    (root / "edition.toml").write_text("\n".join(config), encoding="utf-8")
    run = edition(root, "collate")
    assert run.returncode == 0, run.stderr
    reversed_root = root.parent / "reversed"
    shutil.copytree(root, reversed_root)
    reverse_everything(reversed_root / "tei" / "four.xml")
    return root, reversed_root


def web_entries(tei: Path) -> dict[str, str]:
    rendered = render_text(Document.load(tei))
    out = {}
    for li in lhtml.fragments_fromstring(rendered.apparatus_html):
        for extra in li.find_class("ae-loc") + li.find_class("ae-type"):
            extra.drop_tree()
        out[li.get("data-app")] = " ".join(li.text_content().split())
    return out


@pytest.mark.parametrize("which", [0, 1], ids=["as-collated", "reversed"])
def test_web_entries_group_and_order_by_the_witness_list(projects, which):
    tei = projects[which] / "tei" / "four.xml"
    found = web_entries(tei)
    wanted = expected(tei)
    assert len(wanted) >= 8
    for app_id, entry in wanted:
        assert found[app_id] == entry


def test_both_orders_print_the_same_entries(projects):
    assert web_entries(projects[0] / "tei" / "four.xml") == web_entries(projects[1] / "tei" / "four.xml")


def test_pdf_entries_read_as_reledmac_with_the_lemma_witnesses(projects):
    root = projects[1]
    project = load_project(root)
    target = root / "build" / "pdf" / "four.pdf"
    render_pdf(project, load_documents(project), pdf_options(project.pdf), volume=False, target=target)
    printed = []
    for page in read_pdf(target):
        for _, text, _ in page.groups:
            # pdfplumber reads a gap after an italic siglum before the mark that follows it
            printed += [re.sub(r"\s+([;\]])", r"\1", part).strip() for part in text.split(" | ")]
    wanted = [entry for _, entry in expected(root / "tei" / "four.xml", shorten=True)]
    assert printed == wanted


def test_running_heads_read_the_heading_as_printed(projects):
    """A heading with a variant (D's "CHAPTER IV.") heads its pages as the text prints it."""
    import pdfplumber

    target = projects[1] / "build" / "pdf" / "four.pdf"
    if not target.is_file():
        test_pdf_entries_read_as_reledmac_with_the_lemma_witnesses(projects)
    root = etree.parse(str(projects[1] / "tei" / "four.xml")).getroot()
    heads = [" ".join("".join(h.xpath(".//text()[not(ancestor::tei:rdg)]", namespaces=NS)).split())
             for h in root.iterfind(".//tei:body//tei:head", NS)]
    seen = set()
    with pdfplumber.open(str(target)) as pdf:
        for page in pdf.pages:
            top = [w for w in page.extract_words() if w["top"] < 45]
            line = " ".join(w["text"] for w in top if not w["text"].isdigit())
            seen.add(line)
    assert any(line.startswith("CHAPTER") for line in seen)
    for line in seen:
        assert "°" not in line and (not line.startswith("CHAPTER") or line in heads), line
