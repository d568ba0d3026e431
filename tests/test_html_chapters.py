"""A long text on the web: one page per chapter, a contents page, ids that resolve to their page.

The fixture is generated: a text with a title page and a preface in its front, chapters with
paragraphs, notes, variation units, pointers to other chapters, and endnotes in its back; its
project sets ``[html] split_above`` low enough for it to be "long". Every expectation is read
from the TEI (lxml) and the written pages (lxml.html), never from the code under test.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from long_fixture import CHAPTERS, make, page_divisions
from lxml import etree
from lxml import html as lhtml

from edition.build import load_documents
from edition.citation.dts import write_dts
from edition.citation.refs import passages
from edition.citation.resolve import resolve
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.site import build_site

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
@pytest.fixture(scope="module", params=[False, True], ids=["chapters", "chapters-in-one-div"])
def built(tmp_path_factory, request):
    root = make(tmp_path_factory.mktemp("long") / "ed", 2000, search=True, wrapped=request.param)
    project = load_project(root)
    documents = load_documents(project)
    report = Report()
    build_site(project, documents, report)
    write_dts(project, documents, report)
    assert not [d for d in report.diagnostics if d.code.startswith("W6")]   # no id dropped or lost
    return project, documents[0], root / "build" / "html"


def html_pages(folder: Path) -> dict[str, lhtml.HtmlElement]:
    return {p.name: lhtml.parse(str(p)).getroot() for p in folder.glob("voyage*.html")}


def tei_ids(doc) -> set[str]:
    return {el.get(XML_ID) for el in doc.root.find("tei:text", NS).iter() if el.get(XML_ID)}


def chapter_of(doc, xml_id: str) -> str | None:
    """The top-level division (or front/back part) holding an id, read from the TEI."""
    el = doc.root.xpath("//*[@xml:id=$i]", i=xml_id)[0]
    divisions = page_divisions(doc.root)
    top = [a for a in [el, *el.iterancestors()] if a in divisions]
    if top:
        return top[0].get(XML_ID)
    # what stands outside the chapters (a title page, the head of the division holding them)
    # goes with the first chapter of its part of the text
    return next(d for d in divisions if d.getparent() in [el, *el.iterancestors()]
).get(XML_ID)


def test_a_page_per_chapter_and_a_contents_page(built):
    _, doc, folder = built
    pages = html_pages(folder)
    tops = page_divisions(doc.root)
    # the title page joins the preface's page: front 1 page, body 5, back 1 (its notes division)
    assert len(tops) == CHAPTERS + 2
    assert sorted(pages) == sorted(["voyage.html"] + [f"voyage.{n}.html" for n in range(1, len(tops) + 1)])
    for n, div in enumerate(tops, 1):
        page = pages[f"voyage.{n}.html"]
        head = div.find("tei:head", NS)
        crumbs = [a.text_content() for a in page.xpath("//nav[@class='breadcrumb']//a")]
        assert crumbs == ["Long Texts", "A Long Voyage", head.text]
        if div.get("type") == "notes":   # a division of notes is its notes, listed on its page
            notes = div.xpath("tei:note/@xml:id", namespaces=NS)
            assert page.xpath("//ul[@class='notes-list']/li/@id") == notes
            continue
        # the division's heading is the page's heading and its id stands on that page
        assert page.get_element_by_id(div.get(XML_ID)) is not None
        shown = page.get_element_by_id(div.get(XML_ID)).xpath("./h2 | ./h3")[0]
        assert " ".join(shown.text_content().split()) == head.text
    contents = pages["voyage.html"]
    listed = [(a.get("href"), a.text_content()) for a in contents.xpath("//ol[@class='parts-list']//a")]
    assert listed == [(f"voyage.{n}.html", div.find("tei:head", NS).text) for n, div in enumerate(tops, 1)]
    assert not contents.xpath("//*[@id='ed:reading']")


def test_previous_next_chain_covers_every_chapter_in_order(built):
    _, doc, folder = built
    pages = html_pages(folder)
    count = len(page_divisions(doc.root))
    seen, name = [], "voyage.1.html"
    while name:
        seen.append(name)
        page = pages[name]
        nxt = page.xpath("(//nav[@class='pagenav'])[1]//a[@rel='next']/@href")
        prev = page.xpath("(//nav[@class='pagenav'])[1]//a[@rel='prev']/@href")
        assert prev == ([seen[-2]] if len(seen) > 1 else [])
        name = nxt[0] if nxt else None
    assert seen == [f"voyage.{n}.html" for n in range(1, count + 1)]


def test_every_tei_id_on_exactly_one_page_the_one_of_its_chapter(built):
    _, doc, folder = built
    pages = html_pages(folder)
    where: dict[str, list[str]] = {}
    for name, page in pages.items():
        for found in page.xpath("//@id"):
            where.setdefault(found, []).append(name)
    tops = page_divisions(doc.root)
    page_of_top = {div.get(XML_ID): f"voyage.{n}.html" for n, div in enumerate(tops, 1)}
    rendered = {i for i in tei_ids(doc) if i in where}
    assert {f"c{c}.p{k}" for c in range(1, CHAPTERS + 1) for k in range(1, 5)} <= rendered
    assert {f"c{c}.n1" for c in range(1, CHAPTERS + 1)} | {"bn1", "pref.p1", "tp"} <= rendered
    for xml_id in rendered:
        assert where[xml_id] == [page_of_top[chapter_of(doc, xml_id)]], xml_id
    # no id on two pages, made-up ones (notes' references, apparatus entries) included
    repeated = {i: p for i, p in where.items() if len(p) > 1 and not i.startswith("ed:")}
    assert not repeated


def test_every_passage_resolves_to_the_page_that_holds_it(built):
    project, doc, folder = built
    pages = html_pages(folder)
    checked = 0
    for passage in passages(doc):
        answer = resolve(project, f"voyage:{passage.ref}")
        url = answer["html"]["url"]
        assert url.startswith("https://example.org/long/html/voyage")
        name, _, anchor = url.removeprefix("https://example.org/long/html/").partition("#")
        if passage.xml_id is None or not any(p.xpath("//*[@id=$i]", i=passage.xml_id) for p in pages.values()):
            continue
        assert pages[name].xpath("//*[@id=$i]", i=anchor), url
        assert answer["html"]["found"] is True
        assert answer["html"]["file"] == f"build/html/{name}"
        checked += 1
    assert checked >= CHAPTERS * 4


def test_dts_passage_ids_name_the_page_that_holds_them(built):
    project, doc, folder = built
    pages = html_pages(folder)
    navigation = (folder / "dts" / "navigation" / "voyage;down=-1.json").read_text(encoding="utf-8")
    urls = re.findall(r'https://example.org/long/html/voyage[^"]*#[^"]*', navigation)
    assert len(urls) >= CHAPTERS * 4
    for url in urls:
        name, _, anchor = url.removeprefix("https://example.org/long/html/").partition("#")
        if anchor:
            assert pages[name].xpath("//*[@id=$i]", i=anchor), url


def test_the_search_index_finds_each_passage_on_its_page(built):
    _, doc, folder = built
    pages = html_pages(folder)
    ids = tei_ids(doc)
    found = 0
    for fragment in (folder / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        name = record["url"].lstrip("/")
        assert name in pages and name != "voyage.html"     # chapter pages are indexed, not the contents
        for anchor in record["anchors"]:
            if anchor["id"] in ids:
                assert pages[name].xpath("//*[@id=$i]", i=anchor["id"]), (name, anchor["id"])
                found += 1
    assert found >= CHAPTERS * 4


def test_no_broken_internal_link(built):
    _, _, folder = built
    pages = html_pages(folder)
    checked = 0
    for name, page in pages.items():
        for href in page.xpath("//a/@href"):
            if "#" not in href or "://" in href:
                continue
            target_page, _, anchor = href.partition("#")
            target = pages.get(target_page or name)
            assert target is not None, (name, href)
            assert target.xpath("//*[@id=$i]", i=anchor), (name, href)
            checked += 1
    assert checked > 50
    # a pointer to the chapter before leads to that page; a call of an endnote to the notes' page
    ch3 = pages["voyage.4.html"]     # the preface's page is 1: chapter 3 is page 4
    assert ch3.xpath("//*[@id='c3.p3']//a[@href='voyage.3.html#c2.p2']")
    ch2 = pages["voyage.3.html"]
    assert ch2.xpath(f"//a[@href='voyage.{CHAPTERS + 2}.html#bn1']")


def test_each_page_has_the_notes_and_apparatus_of_its_chapter(built):
    _, doc, folder = built
    pages = html_pages(folder)
    for c in range(1, CHAPTERS + 1):
        page = pages[f"voyage.{c + 1}.html"]
        assert [li.get("id") for li in page.xpath("//ul[@class='notes-list']/li")] == [f"c{c}.n1"]
        apps = doc.root.xpath("//tei:div[@xml:id=$c]//tei:app/@xml:id", namespaces=NS, c=f"c{c}")
        assert [li.get("data-app") for li in page.xpath("//ol[@class='apparatus-list']/li")] == apps
        # the cite control's address is this page's
        data = json.loads(page.get_element_by_id("ed:cite-data").text)
        assert data["Link"] == f"https://example.org/long/html/voyage.{c + 1}.html#{{passage}}"


def test_a_short_text_stays_one_page(tmp_path):
    root = make(tmp_path / "ed", 10_000_000)
    project = load_project(root)
    report = Report()
    build_site(project, load_documents(project), report)
    assert sorted(p.name for p in (root / "build" / "html").glob("voyage*.html")) == ["voyage.html"]
    answer = resolve(project, "voyage:c3.p2")
    assert answer["html"]["url"] == "https://example.org/long/html/voyage.html#c3.p2"
    assert answer["html"]["found"] is True


def test_split_above_must_be_a_positive_whole_number(tmp_path):
    from edition.diagnostics import EditionError

    root = make(tmp_path / "ed", 0)
    with pytest.raises(EditionError) as caught:
        load_project(root)
    assert "split_above" in str(caught.value.diagnostics[0].message)


def test_cite_gives_the_address_of_the_passage_page(built):
    from edition.citation.cite import cite

    project, doc, folder = built
    pages = html_pages(folder)
    for c in (1, CHAPTERS):
        answer = cite(project, f"voyage:c{c}.p2", "chicago", html=False)
        found = re.findall(r"https://example.org/long/html/(voyage[^#\s]*)#c\d\.p2", answer["reference"])
        assert found and pages[found[0]].xpath("//*[@id=$i]", i=f"c{c}.p2"), answer["reference"]


def test_a_long_text_without_divisions_is_one_page_and_said_so(tmp_path):
    root = make(tmp_path / "ed", 2000)
    tei = root / "tei" / "voyage.xml"
    tree = etree.parse(str(tei))
    body = tree.find(".//tei:body", NS)
    paragraphs = body.findall(".//tei:p", NS)
    for child in list(body):
        body.remove(child)
    body.extend(paragraphs)
    for matter in tree.findall(".//tei:front", NS) + tree.findall(".//tei:back", NS):
        matter.getparent().remove(matter)
    tree.write(str(tei), encoding="UTF-8")
    project = load_project(root)
    report = Report()
    build_site(project, load_documents(project), report)
    assert sorted(p.name for p in (root / "build" / "html").glob("voyage*.html")) == ["voyage.html"]
    assert [d.code for d in report.diagnostics if d.code.startswith("W46")] == ["W460"]


def test_a_page_that_would_be_another_texts_page_stops_the_build(tmp_path):
    from edition.diagnostics import EditionError

    root = make(tmp_path / "ed", 2000)
    (root / "tei" / "voyage.1.xml").write_bytes((root / "tei" / "voyage.xml").read_bytes())
    project = load_project(root)
    with pytest.raises(EditionError) as caught:
        build_site(project, load_documents(project), Report())
    assert caught.value.diagnostics[0].code == "E460"
    assert not (root / "build" / "html" / "voyage.1.html").exists()    # nothing half written


@pytest.fixture(scope="module")
def with_paratext(tmp_path_factory):
    root = make(tmp_path_factory.mktemp("long-paratext") / "ed", 2000, paratext=True)
    project = load_project(root)
    documents = load_documents(project)
    report = Report()
    build_site(project, documents, report)
    assert not [d for d in report.diagnostics if d.code.startswith("W6")]
    return project, documents[0], root / "build" / "html"


def test_the_witnesses_paratext_is_listed_after_the_last_page_of_the_text(with_paratext):
    _, doc, folder = with_paratext
    pages = html_pages(folder)
    last = f"voyage.{len(page_divisions(doc.root))}.html"
    assert len(page_divisions(doc.root)) == CHAPTERS + 2   # the credit makes no page of its own
    sourced = doc.root.xpath("//tei:front//*[@source] | //tei:back//*[@source]", namespaces=NS)
    assert len(sourced) == 3
    for part in sourced:
        words = " ".join("".join(part.itertext()).split())
        holding = [name for name, page in pages.items() if words in " ".join(page.text_content().split())]
        assert holding == [last], (words, holding)
        listed = pages[last].xpath("//div[@class='paratext-after']")
        assert words in " ".join(listed[0].text_content().split())
        for name, page in pages.items():   # never in the numbered text
            assert all(words not in " ".join(r.text_content().split()) for r in page.xpath("//*[@id='ed:reading']"))
    # after the text, before its notes and apparatus, as on a text's one page
    order = [el.get("id") or el.get("class") for el in pages[last].iter()
             if el.get("id") == "ed:reading" or el.get("class") == "paratext-after"]
    assert order == ["ed:reading", "paratext-after"]


def test_with_paratext_every_id_is_on_exactly_one_page_and_resolves_there(with_paratext):
    project, doc, folder = with_paratext
    pages = html_pages(folder)
    where: dict[str, list[str]] = {}
    for name, page in pages.items():
        for found in page.xpath("//@id"):
            where.setdefault(found, []).append(name)
    assert not {i: p for i, p in where.items() if len(p) > 1 and not i.startswith("ed:")}
    last = f"voyage.{len(page_divisions(doc.root))}.html"
    for xml_id in ("tp.by", "tp.arg", "tp.arg.p1", "credit", "credit.p1"):
        assert where.get(xml_id) == [last], (xml_id, where.get(xml_id))
    assert where.get("tp") == ["voyage.1.html"]   # the title page itself stays where it stood
    for xml_id in ("tp.by", "tp.arg.p1", "credit.p1"):
        url = resolve(project, f"voyage:{xml_id}")["html"]["url"]
        assert url == f"https://example.org/long/html/{last}#{xml_id}", url
