"""The static web edition written by ``edition build`` into build/html (edition.render.site)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lhtml

from edition.build import load_documents
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.site import build_site
from edition.tei.text import sigla
from edition.tei.xmlio import XML_ID

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "html" / "project"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    project = load_project(root)
    documents = load_documents(project)
    report = Report()
    written = build_site(project, documents, report)
    return project, documents, root / "build" / "html", written, report


def page(path: Path):
    return lhtml.parse(str(path)).getroot()


def reading_text(tree) -> str:
    """The text a reader sees with scripts off: the reading without controls and hidden forms."""
    [reading] = tree.xpath("//*[@id='ed:reading']")
    reading = lhtml.fromstring(lhtml.tostring(reading))
    for el in reading.xpath(".//*[contains(concat(' ', @class, ' '), ' pn ') or contains(concat(' ', @class, ' '), ' cite ')"
                            " or contains(concat(' ', @class, ' '), ' app-mark ') or contains(concat(' ', @class, ' '), ' pb ')"
                            " or contains(concat(' ', @class, ' '), ' alt ')"
                            " or (contains(concat(' ', @class, ' '), ' rdg ') and not(contains(@class, 'base')))]"):
        el.drop_tree()
    return reading.text_content()


def _word_before(app) -> str:
    """The last word of the reading text before ``app`` in its block (readings and notes left out)."""
    block = app.xpath("ancestor::*[self::tei:p or self::tei:l or self::tei:ab or self::tei:head or self::tei:item][1]",
                      namespaces=NS)[0]
    texts = app.xpath("preceding::text()[not(ancestor::tei:rdg) and not(ancestor::tei:note)]", namespaces=NS)
    inside = [t for t in texts if (t.getparent() is block and not t.is_tail)
              or (t.getparent() is not block and block in t.getparent().iterancestors())]
    words = "".join(inside).split()
    return words[-1] if words else ""


def check_apparatus_against_tei(doc, tree) -> int:
    """Every <app> of the TEI has an entry with its lemma, readings and sigla; returns the count."""
    checked = 0
    for app in doc.xpath("//tei:text//tei:app[@xml:id]"):
        entry = tree.get_element_by_id(f"apparatus:{app.get(XML_ID)}")
        if entry.tag != "li":   # a quotation's closing mark: one entry with its opening mark
            entry = next(entry.iterancestors("li"))
            assert _norm(entry.find_class("ae-lem")[0].text_content())[:1] in "“‘«„‚‹\"'"
        lem = app.find("tei:lem", NS)
        if lem is not None:
            lemma = _norm("".join(lem.itertext()))
            # an addition (empty lemma) is keyed to the word before it, as in print; a mark alone
            # is shown with its word (the word before it, or after an opening mark): issue 17
            shown = _norm(entry.find_class("ae-lem")[0].text_content())
            if lemma and not any(ch.isalnum() for ch in lemma):
                assert shown != lemma and lemma in shown and any(ch.isalnum() for ch in shown)
                assert _norm(_word_before(app)).lstrip("“‘([") in shown or _norm(app.tail or "")[:3] in shown
            else:
                assert shown == (lemma or _word_before(app) or "—")
            lem_sigla = [s.text for s in entry.xpath("./span[@class='sig']")]
            assert lem_sigla == sigla(lem.get("wit"))
        rdgs = app.xpath("tei:rdg | tei:rdgGrp/tei:rdg", namespaces=NS)
        shown = entry.find_class("ae-rdg")
        assert len(shown) == len(rdgs)
        for rdg, html_rdg in zip(rdgs, shown):
            text = _norm("".join(rdg.itertext()))
            got = _norm(html_rdg.find_class("ae-text")[0].text_content())
            if lem is not None and _norm("".join(lem.itertext())) and not any(
                    ch.isalnum() for ch in "".join(lem.itertext())):
                assert text in got or not text      # the reading, shown with the same word
            elif not text:
                assert got == "om."
            elif lem is not None and not _norm("".join(lem.itertext())):
                assert got == f"add. {text}"
            else:
                assert got == text
            assert [s.text for s in html_rdg.find_class("sig")] == sigla(rdg.get("wit"))
        assert entry.get("data-type") == (app.get("type") or "untyped")
        checked += 1
    return checked


def test_site_has_home_text_pages_search_and_assets(site):
    project, documents, out, written, report = site
    for name in ["index.html", "search.html", "collated-sample.html", "notes-sample.html",
                 "tei/collated-sample.xml", "static/edition.css", "static/edition.js", "static/search.js",
                 "static/fonts.css", "pagefind/pagefind.js"]:
        assert (out / name).is_file(), name
    assert report.diagnostics == []
    home = page(out / "index.html")
    assert home.xpath("string(//h1)") == "Sample Edition"
    assert [a.get("href") for a in home.find_class("text-link")] == ["collated-sample.html", "notes-sample.html"]
    assert "every difference of P is recorded" in home.text_content()
    assert "The printed pamphlet (2005)." in home.text_content()


def test_text_page_title_block_toc_and_headings(site):
    out = site[2]
    tree = page(out / "notes-sample.html")
    assert tree.xpath("string(//h1)") == "Notes on Intellectuals"
    toc = tree.xpath("//nav[@class='toc']//a")
    assert [(a.get("href"), a.text) for a in toc] == [("#q1", "The Role of the Intellectuals"),
                                                      ("#q1.sub", "A Table of Forces")]
    assert tree.get_element_by_id("q1.head").tag == "h2"
    assert "Translated from the Spanish by Tom Translator" in tree.text_content()


def test_highwire_tags_and_json_ld_give_author_title_date_url(site):
    tree = page(site[2] / "collated-sample.html")
    meta = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
    assert meta["citation_title"] == "A Collated Sample"
    assert meta["citation_author"] == "Jane Writer"
    assert meta["citation_date"] == "2005/05/01"
    assert meta["citation_public_url"] == "https://example.org/sample/html/collated-sample.html"
    data = json.loads(tree.xpath("string(//script[@type='application/ld+json'])"))
    assert data["name"] == "A Collated Sample" and data["author"][0]["name"] == "Jane Writer"
    assert data["dateCreated"] == "2005-05-01" and data["url"] == meta["citation_public_url"]
    assert data["isPartOf"]["name"] == "Sample Edition"


def test_notes_and_apparatus_are_listed_without_scripts(site):
    documents, out = site[1], site[2]
    tree = page(out / "notes-sample.html")
    notes = tree.xpath("//section[@class='notes']//li[@class='note']")
    assert [n.get("id") for n in notes] == ["n1", "n2"]
    collated = page(out / "collated-sample.html")
    doc = next(d for d in documents if d.id == "collated-sample")
    assert check_apparatus_against_tei(doc, collated) == len(doc.xpath("//tei:app")) == 7
    assert "7 variation units: 1 case, 1 orthographic, 1 punctuation, 4 substantive." in \
        _norm(collated.find_class("counts")[0].text_content())


def test_downloads_link_tei_pdf_and_each_witness_text(site):
    tree = page(site[2] / "collated-sample.html")
    links = [a.get("href") for a in tree.xpath("//section[@class='downloads']//a")]
    assert links == ["tei/collated-sample.xml", "../pdf/collated-sample.pdf", "../txt/collated-sample.txt",
                     "../txt/collated-sample.W.txt", "../txt/collated-sample.P.txt"]


def test_cite_data_is_filled_per_paragraph(site):
    project, _, out = site[0], site[1], site[2]
    tree = page(out / "collated-sample.html")
    data = json.loads(tree.get_element_by_id("ed:cite-data").text)
    assert set(data) == {"Chicago", "MLA", "APA", "BibTeX", "Link"}
    assert data["Link"] == "https://example.org/sample/html/collated-sample.html#{passage}"
    # the page offers what edition.citation formats with the CSL styles, not a text of its own
    from edition.citation.cite import citation_templates
    expected = citation_templates(project, "collated-sample")
    assert {k: v.rstrip() for k, v in expected.items()} == {k: data[k] for k in expected}
    assert "@incollection{collated-sample:{passage}," in data["BibTeX"]
    assert data["Chicago"].startswith("Jane Writer, “A Collated Sample")
    assert "in Sample Edition, ed. Ada Editor and Ben Checker" in data["Chicago"]
    # the locator is the paragraph's number as the page shows it ({n}); its anchor is in the URL
    assert "para. {n}, https://example.org/sample/html/collated-sample.html#{passage}." in data["Chicago"]
    assert "par. {n})" in data["MLA"] and "Writer, J." in data["APA"]


def test_cite_this_text_gives_the_csl_references_and_the_link(site):
    tree = page(site[2] / "collated-sample.html")
    block = tree.find_class("cite-text")[0]
    styles = dict(zip([dt.text for dt in block.iter("dt")], [" ".join(dd.text_content().split()) for dd in block.iter("dd")]))
    assert list(styles) == ["Chicago", "MLA", "APA", "BibTeX", "Link"]
    assert styles["Chicago"].startswith("Writer, Jane. “A Collated Sample")
    assert "In Sample Edition, edited by Ada Editor and Ben Checker" in styles["Chicago"]
    assert "{passage}" not in " ".join(styles.values())
    assert styles["Link"] == "https://example.org/sample/html/collated-sample.html"
    assert block.xpath(".//a/@href") == ["https://example.org/sample/html/collated-sample.html"]


def test_every_page_url_is_the_one_scheme(site):
    from edition.citation.item import text_url
    from edition.render.metadata import page_url
    project, out = site[0], site[2]
    assert page_url(project, "collated-sample", "intro.p2") == text_url(project, "collated-sample", "intro.p2") \
        == "https://example.org/sample/html/collated-sample.html#intro.p2"
    tree = page(out / "collated-sample.html")
    assert tree.xpath("string(//link[@rel='canonical']/@href)") == page_url(project, "collated-sample")


def test_unchanged_rebuild_rewrites_nothing(site):
    project, documents, out, _, _ = site
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert build_site(project, load_documents(project), Report()) == []
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert before == after


def test_user_template_shadows_the_packaged_one(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    (root / "templates" / "partials").mkdir(parents=True)
    (root / "templates" / "partials" / "downloads.html").write_text(
        '<section class="downloads"><h2>Our own downloads</h2></section>\n', encoding="utf-8")
    project = load_project(root)
    project.html["search"] = False
    build_site(project, load_documents(project), Report())
    tree = page(root / "build" / "html" / "notes-sample.html")
    assert tree.xpath("string(//section[@class='downloads']/h2)") == "Our own downloads"
    assert not (root / "build" / "html" / "pagefind").exists()


def _real_edition(tmp_path_factory):
    if not any((ROOT / "tei").glob("*.xml")):
        pytest.skip("the edition's TEI (tei/*.xml) is not there yet")
    project = load_project(ROOT)
    project.settings = dict(project.settings, build_dir=str(tmp_path_factory.mktemp("real") / "build"))
    return project


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    project = _real_edition(tmp_path_factory)
    documents = load_documents(project)
    report = Report()
    build_site(project, documents, report)
    return project, documents, report


def test_real_edition_renders_without_warnings_and_every_app_has_its_entry(real_site):
    project, documents, report = real_site
    assert [d.format() for d in report.diagnostics if d.code.startswith("W6")] == []
    for doc in documents:
        tree = page(project.build_dir / "html" / f"{doc.id}.html")
        assert check_apparatus_against_tei(doc, tree) == len(doc.xpath("//tei:text//tei:app"))
        # every paragraph of the text is numbered; a witness's own paratext (a part of the front
        # or back with @source) is not part of the numbered text
        paratext = "ancestor::*[@source][ancestor::tei:front or ancestor::tei:back]"
        for xid in doc.xpath(f"//tei:text//tei:p[not(ancestor::tei:note)][not({paratext})]/@xml:id"):
            assert tree.get_element_by_id(xid).get("data-n"), xid
        for xid in doc.xpath(f"//tei:text//tei:p[{paratext}]/@xml:id"):
            assert not tree.get_element_by_id(xid).get("data-n"), xid


def test_reading_text_contains_every_word_of_the_plain_text(real_site):
    project, documents, _ = real_site
    try:
        from edition.render.text import render_texts
    except ImportError:
        pytest.skip("the plain-text renderer is not there")
    render_texts(project, documents, Report())
    for doc in documents:
        txt = project.build_dir / "txt" / f"{doc.id}.txt"
        words = set(WORD.findall(re.sub(r"\{#[^}]*\}", " ", txt.read_text(encoding="utf-8"))))
        tree = page(project.build_dir / "html" / f"{doc.id}.html")
        seen = set(WORD.findall(reading_text(tree) + " " + tree.xpath("string(//section[@class='notes'])")
                                + " " + tree.xpath("string(//header[@class='title-block'])")
                                # a witness's own paratext, shown apart from the numbered text
                                + " " + tree.xpath("string(//section[@class='witness-paratext'])")))
        missing = sorted(words - seen)
        assert not missing, f"{doc.id}: {len(missing)} words missing, e.g. {missing[:12]}"


def test_download_links_resolve_in_a_full_build(tmp_path):
    from edition.build import RENDERERS, _renderer
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    project = load_project(root)
    project.html["search"] = False
    documents = load_documents(project)
    for name, target in RENDERERS:   # what `edition build -o txt -o html` runs, without validation
        if name in ("txt", "html"):
            _renderer(target)(project, documents, Report())
    out = root / "build" / "html"
    checked = 0
    for page_path in sorted(out.glob("*.html")):
        for href in page(page_path).xpath("//section[@class='downloads']//a/@href"):
            if href.endswith(".pdf"):
                continue   # the pdf output was not asked for
            assert (out / href).resolve().is_file(), f"{page_path.name}: {href}"
            checked += 1
    # the collated text links the text of each of its witnesses, written by the txt output
    assert (out / "../txt/collated-sample.P.txt").resolve().is_file()
    assert checked == 2 * 2 + 2
