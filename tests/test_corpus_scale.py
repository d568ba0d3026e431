"""Corpus-sized outputs: the home page's list in groups and pages, the DTS collection in pages,
the volume PDF made optional, and an edit that rewrites only its text's outputs and the index pages.

Expected orders and groups are read from the TEI with lxml here, independently of the renderer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from corpus_gen import make_corpus
from lxml import etree, html

from edition import build as builder
from edition.citation import dts
from edition.diagnostics import EditionError
from edition.project import load_project

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
pytestmark = pytest.mark.slow


def header_facts(root: Path) -> list[dict]:
    """Each text's id, title, author and date, as its TEI says (in the edition's order)."""
    facts = []
    for path in sorted((root / "tei").glob("*.xml")):
        tree = etree.parse(str(path))
        facts.append({"id": path.stem,
                      "title": tree.findtext(".//tei:titleStmt/tei:title", namespaces=TEI),
                      "author": tree.findtext(".//tei:titleStmt/tei:author", namespaces=TEI),
                      "date": tree.find(".//tei:correspAction[@type='sent']/tei:date", TEI).get("when")})
    return facts


def listed(page: Path) -> tuple[list[str], list[str], list[str]]:
    """(group headings, text ids in order, links to other pages) of a home page."""
    tree = html.parse(str(page))
    section = tree.xpath("//section[@aria-labelledby='ed:texts-h']")[0]
    headings = [h.text_content().strip() for h in section.xpath(".//h3")]
    ids = [a.get("href").removesuffix(".html") for a in section.xpath(".//a[@class='text-link']")]
    pages = [a.get("href") for a in section.xpath(".//nav//a[@href]")]
    return headings, ids, pages


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("scale") / "ed", 5, max_pages=1, outputs=("html",),
                       extra_settings="")


def _settings(root: Path, table: str, lines: str) -> None:
    """Put ``lines`` into ``[table]`` of edition.toml (replacing what an earlier call put)."""
    path = root / "edition.toml"
    text = re.sub(r"\n# test settings >>.*?# <<\n", "\n", path.read_text(encoding="utf-8"), flags=re.S)
    text = text.replace(f"\n[{table}]\n", f"\n[{table}]\n# test settings >>\n{lines}\n# <<\n", 1)
    path.write_text(text, encoding="utf-8")


def test_home_pages_by_date_in_pages_of_two(corpus):
    _settings(corpus, "html", 'search = false\ntexts_by = "date"\ntexts_per_page = 2')
    builder.build(load_project(corpus), ["html"])
    facts = sorted(header_facts(corpus), key=lambda f: (f["date"], f["id"]))
    out = corpus / "build" / "html"
    names = ["index.html", "index-2.html", "index-3.html"]
    assert sorted(p.name for p in out.glob("index*.html")) == sorted(names)
    seen, headings = [], []
    for number, name in enumerate(names, 1):
        heads, ids, links = listed(out / name)
        seen += ids
        headings += heads
        # every page links to the others (not to itself)
        assert links == [n for n in names if n != name]
        # each text sits under the heading of its year
        assert all(any(h == f["date"][:4] for h in heads) for f in facts if f["id"] in ids)
    assert seen == [f["id"] for f in facts]
    assert sorted(set(headings)) == sorted({f["date"][:4] for f in facts})


def test_home_pages_by_author_and_by_a_tei_field(corpus):
    _settings(corpus, "html", 'search = false\ntexts_by = "author"')
    builder.build(load_project(corpus), ["html"])
    heads, ids, links = listed(corpus / "build" / "html" / "index.html")
    facts = sorted(header_facts(corpus), key=lambda f: (f["author"].casefold(), f["id"]))
    assert ids == [f["id"] for f in facts] and links == []
    assert heads == list(dict.fromkeys(f["author"] for f in facts))
    assert not (corpus / "build" / "html" / "index-2.html").exists()   # one page: the others are gone

    _settings(corpus, "html", "search = false\ntexts_by = \"tei:teiHeader//tei:titleStmt/tei:title\"")
    builder.build(load_project(corpus), ["html"])
    heads, ids, _ = listed(corpus / "build" / "html" / "index.html")
    facts = sorted(header_facts(corpus), key=lambda f: (f["title"].casefold(), f["id"]))
    assert ids == [f["id"] for f in facts]
    assert heads == [f["title"] for f in facts]


def test_a_bad_texts_by_is_named_with_its_line(corpus):
    _settings(corpus, "html", 'search = false\ntexts_by = "tei:title[["')
    with pytest.raises(EditionError) as caught:
        builder.build(load_project(corpus), ["html"])
    (problem,) = caught.value.diagnostics
    line = (corpus / "edition.toml").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert problem.code == "E175" and line.startswith("texts_by")
    _settings(corpus, "html", "search = false")


def test_dts_collection_in_pages(corpus, monkeypatch):
    import json

    monkeypatch.setattr(dts, "MEMBERS_PER_PAGE", 2)
    _settings(corpus, "html", "search = false")
    builder.build(load_project(corpus), ["html"], force=True)
    folder = corpus / "build" / "html" / "dts"
    first = json.loads((folder / "collection.json").read_text())
    pages, view = [first], first["view"]
    while "next" in view:
        page = json.loads((folder / view["next"].split("html/dts/", 1)[1]).read_text())
        assert page["view"]["previous"] == view["@id"]
        pages.append(page)
        view = page["view"]
    ids = [m["@id"] for page in pages for m in page["member"]]
    assert ids == sorted(f["id"] for f in header_facts(corpus))
    assert len(pages) == 3 and all(p["totalChildren"] == 5 for p in pages)
    assert first["view"]["last"] == view["@id"] and "previous" not in first["view"]
    assert [len(p["member"]) for p in pages] == [2, 2, 1]


def test_volume_auto_stops_above_the_limit(tmp_path):
    root = make_corpus(tmp_path / "ed", 3, max_pages=1, outputs=("pdf",))
    _settings(root, "pdf", "volume_max_texts = 2")
    builder.build(load_project(root), ["pdf"])
    made = sorted(p.name for p in (root / "build" / "pdf").glob("*.pdf"))
    assert made == sorted(f"{p.stem}.pdf" for p in (root / "tei").glob("*.xml"))   # no edition.pdf
    _settings(root, "pdf", "volume = true\nvolume_max_texts = 2")
    builder.build(load_project(root), ["pdf"])
    assert (root / "build" / "pdf" / "edition.pdf").is_file()
    _settings(root, "pdf", 'volume = "sometimes"')
    with pytest.raises(EditionError) as caught:
        builder.build(load_project(root), ["pdf"])
    assert [d.code for d in caught.value.diagnostics] == ["E701"]
    assert (root / "build" / "pdf" / "edition.pdf").is_file()   # nothing lost


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's (inode, modification time): a file written again has another."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


# The pages and files about every text: rewritten when any text changes.
INDEX_PAGES = re.compile(r"(html/index(-\d+)?\.html|html/dts/(index|collection)\.json|html/dts/collection-page/.*"
                         r"|html/pagefind/.*|pdf/edition\.pdf|\.cache/.*)$")


def test_one_text_changed_rewrites_its_outputs_and_the_index_pages_only(tmp_path):
    root = make_corpus(tmp_path / "ed", 4, max_pages=1, outputs=("txt", "html", "pdf"))
    builder.build(load_project(root), None, jobs=2)
    before = stamps(root / "build")
    changed = root / "tei" / "letter0002.xml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("\n  </div></body>", "<p>A sentence added.</p>\n  </div></body>"),
                       encoding="utf-8")
    result = builder.build(load_project(root), None, jobs=2)
    after = stamps(root / "build")
    def others_of(stamped):   # the other texts' files
        return sorted(rel for rel in stamped if "letter0002" not in rel and not INDEX_PAGES.match(rel))
    assert others_of(after) == others_of(before)
    rewritten = sorted(rel for rel in after if after[rel] != before.get(rel))
    own = [rel for rel in rewritten if "letter0002" in rel]
    assert {"html/letter0002.html", "pdf/letter0002.pdf", "txt/letter0002.txt", "html/tei/letter0002.xml"} <= set(own)
    others = [rel for rel in rewritten if rel not in own and not INDEX_PAGES.match(rel)]
    assert others == [], f"written though neither the changed text's nor an index page: {others}"
    # the build's own list of what it wrote says the same
    listed_written = {p.relative_to(root / "build").as_posix() for p in map(Path, result.written)}
    assert not [rel for rel in listed_written if "letter0002" not in rel and not INDEX_PAGES.match(rel)]
    # each renderer ran on the changed text alone where it can (the PDFs, the DTS files)
    ran = dict(result.ran)
    assert ran["pdf"] == ["letter0002"]
    assert os.path.getsize(root / "build" / "pdf" / "letter0002.pdf") > 0
