"""The web page a reader meets (issue 17): witness paratext apart from the numbered text, variant
marks bound to their words and saying the readings, quotation-mark pairs as one entry.

Every expectation is read from the TEI with lxml, independently of the renderer.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lhtml

from edition.build import load_documents
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.html import render_text
from edition.render.site import build_site
from edition.tei.document import Document
from edition.tei.text import sigla
from edition.tei.xmlio import XML_ID

ROOT = Path(__file__).resolve().parents[1]
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
WOODS = ROOT / "tei" / "woods-2005-bolivia.xml"
QUOTES = {"“": "”", "‘": "’"}
PARATEXT = "ancestor-or-self::*[@source][ancestor::tei:front or ancestor::tei:back]"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _fragment(text: str):
    return lhtml.fragment_fromstring(text, create_parent="div")


def _tei(tmp_path, body: str, front: str = "") -> Document:
    path = tmp_path / "t.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A Title</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="W"/><witness xml:id="P"/>'
        f'</listWit></sourceDesc></fileDesc></teiHeader><text>{front}<body>{body}</body></text></TEI>',
        encoding="utf-8")
    return Document.load(path)


@pytest.fixture(scope="module")
def woods_page(tmp_path_factory):
    """Our Woods text built as a web page (a project holding that one TEI file)."""
    if not WOODS.is_file():
        pytest.skip("tei/woods-2005-bolivia.xml is not there")
    root = tmp_path_factory.mktemp("woods") / "project"
    (root / "tei").mkdir(parents=True)
    shutil.copy(WOODS, root / "tei")
    (root / "edition.toml").write_text('[edition]\ntitle = "E"\nbase_url = "https://e.example/"\n'
                                       'outputs = ["html"]\n[html]\nsearch = false\n', encoding="utf-8")
    project = load_project(root)
    [doc] = load_documents(project)
    build_site(project, [doc], Report())
    return doc, lhtml.parse(str(root / "build" / "html" / f"{doc.id}.html")).getroot()


def test_witness_paratext_stands_after_the_text_and_numbering_starts_at_the_body(woods_page):
    doc, tree = woods_page
    [reading] = tree.xpath("//*[@id='ed:reading']")
    first_body_p = doc.xpath("//tei:body//tei:p[not(ancestor::tei:note)]")[0].get(XML_ID)
    numbered = reading.xpath(".//*[@data-n]")
    assert numbered[0].get("id") == first_body_p and numbered[0].get("data-n") == "1"
    paratext_ids = doc.xpath(f"//tei:text//*[{PARATEXT}]/@xml:id")
    assert paratext_ids, "the Woods TEI records its witnesses' paratext"
    [listing] = tree.xpath("//section[@class='witness-paratext']")
    for xid in paratext_ids:
        assert not reading.xpath(f".//*[@id='{xid}']"), f"{xid} is in the numbered text"
        assert listing.xpath(f".//*[@id='{xid}']"), f"{xid} is not in the list of paratext"
    # every word of each part is there, with its witness's siglum
    for part in doc.xpath("//tei:text//*[@source][ancestor::tei:front or ancestor::tei:back]"
                          "[not(ancestor::*[@source])]"):
        words = _norm("".join(part.itertext()))
        items = [li for li in listing.iter("li") if li.get("data-source") == " ".join(sigla(part.get("source")))]
        shown = " ".join(_norm(li.find_class("paratext-words")[0].text_content()).replace(" / ", " ") for li in items)
        if words.casefold() != _norm(doc.title).casefold():   # the title is the page's heading
            assert words in shown, words


def test_paratext_is_set_apart_for_any_text_with_a_sourced_front(tmp_path):
    from edition.render.pdf.paratext import split_paratext
    doc = _tei(tmp_path, '<p xml:id="t.p1">The text.</p>',
               front='<front><argument source="#W" xml:id="t.arg"><p>A summary.</p></argument></front>')
    body, listing = split_paratext(render_text(doc).body, doc.title)
    assert "A summary." not in _fragment(body).text_content()
    item = _fragment(listing).xpath("//li")[0]
    assert (item.get("data-source"), item.get("data-place")) == ("W", "front")
    assert item.find_class("paratext-words")[0].text == "A summary."


def test_variant_marks_say_the_readings_and_stay_on_their_word(woods_page):
    doc, tree = woods_page
    for app in doc.xpath("//tei:body//tei:app[@xml:id]"):
        span = tree.get_element_by_id(app.get(XML_ID))
        [mark] = span.find_class("app-mark")
        label = mark.get("aria-label")
        for rdg in app.xpath("tei:lem | tei:rdg", namespaces=NS):
            who = " ".join(sigla(rdg.get("wit")))
            text = _norm("".join(rdg.itertext()))
            assert (f"{who} reads: " in label and text in _norm(label)) if text else f"{who} " in label, label
        # nothing but the mark's own element stands between the lemma's last letter and the mark:
        # no space that a line could break at ("– °" opening the next line)
        [lem] = span.find_class("lem")
        if _norm(lem.text_content()):
            assert not lem.text_content()[-1].isspace(), app.get(XML_ID)
        # what the witnesses read is all still there: the lemma's own space follows the mark
        tei_lem = "".join(app.find("tei:lem", NS).itertext())
        tails = [t.text for t in span.find_class("lem-tail")]
        assert (lem.text_content() + "".join(tails)).replace("\u00a0", " ") == tei_lem


def test_a_spaced_dash_is_bound_to_the_word_before_it(woods_page):
    doc, tree = woods_page
    spaced = [a for a in doc.xpath("//tei:body//tei:app[@xml:id]")
              if re.fullmatch(r" [–—] ?", "".join(a.find("tei:lem", NS).itertext()))]
    assert spaced
    for app in spaced:
        lem = tree.get_element_by_id(app.get(XML_ID)).find_class("lem")[0]
        assert lem.text_content().startswith("\u00a0"), app.get(XML_ID)


def test_quotation_mark_pairs_are_one_entry_located_by_paragraph_and_word(woods_page):
    doc, tree = woods_page
    apps = doc.xpath("//tei:body//tei:app[@xml:id]")
    pairs = []
    for a, b in zip(apps, apps[1:]):
        la, lb = ("".join(x.find("tei:lem", NS).itertext()).strip() for x in (a, b))
        same_block = a.xpath("ancestor::tei:p[1]", namespaces=NS) == b.xpath("ancestor::tei:p[1]", namespaces=NS)
        if QUOTES.get(la) == lb and same_block and a.get("type") == b.get("type"):
            pairs.append((a, b))
    assert pairs, "Woods has quotations whose two marks vary"
    for a, b in pairs:
        entry = tree.get_element_by_id(f"apparatus:{a.get(XML_ID)}")
        closing = tree.get_element_by_id(f"apparatus:{b.get(XML_ID)}")
        assert next(closing.iterancestors("li")) is entry
        lemma = _norm(entry.find_class("ae-lem")[0].text_content())
        assert lemma[0] in QUOTES and lemma[-1] == QUOTES[lemma[0]] and any(ch.isalpha() for ch in lemma)
        # the marks of both lead to the one entry
        for app in (a, b):
            mark = tree.get_element_by_id(app.get(XML_ID)).find_class("app-mark")[0]
            assert mark.get("href") == f"#apparatus:{a.get(XML_ID)}"
    entries = tree.xpath("//ol[contains(@class, 'apparatus-list')]/li") or tree.find_class("app-entry")
    assert len(entries) == len(apps) - len(pairs)
    # paragraph and word: no two entries share a location and a lemma ("¶ 13 – W] — P" twice)
    located = [(_norm(e.find_class("ae-loc")[0].text_content()), _norm(e.find_class("ae-lem")[0].text_content()))
               for e in entries]
    assert all(re.fullmatch(r"¶ \d+, word \d+", loc) for loc, _ in located)
    assert len(set(located)) == len(located)


def test_an_emendation_has_its_own_mark(tmp_path):
    doc = _tei(tmp_path, '<p xml:id="e.p1">bring it <app type="substantive" xml:id="e.a1"><lem wit="#P" resp="#ed" '
                         'cause="emendation">down</lem><rdg wit="#W">dawn</rdg></app> now <app type="orthographic" '
                         'xml:id="e.a2"><lem wit="#W">colour</lem><rdg wit="#P">color</rdg></app>.</p>')
    body = _fragment(render_text(doc).body)
    emended, plain = (body.get_element_by_id(i).find_class("app-mark")[0] for i in ("e.a1", "e.a2"))
    assert "emended" in emended.get("class").split() and "emended" not in plain.get("class").split()
    assert emended.text_content() != plain.text_content()
    assert "P reads: down; W reads: dawn" in emended.get("aria-label")
    assert "W reads: colour; P reads: color" in plain.get("aria-label")


def test_a_mark_alone_is_said_with_its_word_and_its_own_spacing(tmp_path):
    doc = _tei(tmp_path, '<p xml:id="e.p1">organisational forms<app type="punctuation" xml:id="e.a1">'
                         '<lem wit="#W"> – </lem><rdg wit="#P">—</rdg></app>action committees.</p>')
    mark = _fragment(render_text(doc).body).get_element_by_id("e.a1").find_class("app-mark")[0]
    assert "W reads: forms –; P reads: forms—" in mark.get("aria-label").replace("\u00a0", " ")
