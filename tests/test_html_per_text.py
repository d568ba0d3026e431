"""Each text's web pages made anew only when what they show changed (``edition.render.sitetext``).

A generated corpus of letters, HTML only, built in one process so the texts the renderer makes
can be counted (``render_pages`` wrapped). What must hold: a changed text's pages alone are made
again, and then equal a build from nothing byte for byte; whatever every page shows (a title,
which the navigation may name; a template; a setting) makes every page again; a page missing
from the build is made again; the pages of a removed text go, its record with them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from corpus_gen import make_corpus
from lxml import etree, html

from edition import build as builder
from edition.project import load_project
from edition.render import site, sitetext

TEXTS = 6
EPOCH = "1700000000"
TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_corpus(tmp_path / "ed", TEXTS, max_pages=1, outputs=("html",))
    settings = root / "edition.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("\n[html]\n", "\n[html]\nsearch = false\n"),
                        encoding="utf-8")
    builder.build(load_project(root), ["html"], jobs=1)
    return root


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The ids of the texts whose pages the next builds make."""
    seen: list[str] = []
    real = sitetext.render_pages

    def counting(project, text, *args):
        seen.append(Path(getattr(text, "path", text)).stem)
        return real(project, text, *args)

    monkeypatch.setattr(site, "render_pages", counting)
    return seen


def html_tree(root: Path) -> dict[str, bytes]:
    folder = root / "build" / "html"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def from_nothing(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same project built from nothing in another folder at the same path (its build moved aside)."""
    aside = tmp_path / "aside"
    shutil.move(root / "build", aside)
    try:
        builder.build(load_project(root), ["html"], jobs=1)
        return html_tree(root)
    finally:
        shutil.rmtree(root / "build")
        shutil.move(aside, root / "build")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_text_alone_is_made_again_and_equals_a_build_from_nothing(corpus, made, tmp_path):
    changed = corpus / "tei" / "letter0003.xml"
    edit(changed, "\n  </div></body>", "<p>Added to the third letter.</p>\n  </div></body>")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert made == ["letter0003"]
    page = html.parse(str(corpus / "build" / "html" / "letter0003.html"))
    assert "Added to the third letter." in page.xpath("string(//div[@id='ed:reading'])")
    incremental = html_tree(corpus)
    assert incremental == from_nothing(corpus, tmp_path)


def test_a_title_every_page_may_show_makes_every_page_again(corpus, made):
    edit(corpus / "tei" / "letter0002.xml", "<title>Letter 2</title>", "<title>A Letter Renamed</title>")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert sorted(made) == sorted(p.stem for p in (corpus / "tei").glob("*.xml"))
    titles = html.parse(str(corpus / "build" / "html" / "index.html")).xpath("//a[@class='text-link']/text()")
    assert "A Letter Renamed" in titles


def test_an_editors_template_makes_every_page_again(corpus, made):
    (corpus / "templates" / "partials").mkdir(parents=True, exist_ok=True)
    (corpus / "templates" / "partials" / "downloads.html").write_text(
        '<p class="own-downloads">Downloads: {{ downloads|length }}</p>\n', encoding="utf-8")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert sorted(made) == sorted(p.stem for p in (corpus / "tei").glob("*.xml"))
    for path in sorted((corpus / "tei").glob("*.xml")):
        page = html.parse(str(corpus / "build" / "html" / f"{path.stem}.html"))
        assert page.xpath("string(//p[@class='own-downloads'])") == "Downloads: 3"   # TEI, PDF, text


def test_the_home_page_lists_kept_texts_from_their_records(corpus, made):
    """One text changed: the home page, made from the other texts' records, lists every text
    with the facts its TEI gives (its title, author, paragraphs)."""
    edit(corpus / "tei" / "letter0001.xml", "\n  </div></body>", "<p>One more paragraph.</p>\n  </div></body>")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert made == ["letter0001"]
    items = html.parse(str(corpus / "build" / "html" / "index.html")).xpath("//ul[@class='text-list']/li")
    assert len(items) == TEXTS
    for item in items:
        text_id = item.xpath("string(a/@href)").removesuffix(".html")
        tei = etree.parse(str(corpus / "tei" / f"{text_id}.xml"))
        facts = " ".join(item.xpath("string(span[@class='text-facts'])").split())
        assert item.xpath("string(a)") == tei.findtext(".//tei:titleStmt/tei:title", namespaces=TEI)
        assert facts.startswith(tei.findtext(".//tei:titleStmt/tei:author", namespaces=TEI))
        paragraphs = len(tei.findall(".//tei:body//tei:p", TEI))
        assert re.search(rf"\b{paragraphs} paragraphs\b", facts), facts


def test_a_page_missing_from_the_build_is_made_again(corpus, made):
    (corpus / "build" / "html" / "letter0004.html").unlink()
    edit(corpus / "tei" / "letter0005.xml", "\n  </div></body>", "<p>Changed.</p>\n  </div></body>")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert sorted(made) == ["letter0004", "letter0005"]
    assert (corpus / "build" / "html" / "letter0004.html").is_file()


def test_a_removed_text_loses_its_pages_and_its_record(corpus, made):
    records = corpus / "build" / sitetext.RECORDS
    assert (records / "letter0006.pickle").is_file()
    (corpus / "tei" / "letter0006.xml").unlink()
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert not (corpus / "build" / "html" / "letter0006.html").exists()
    assert not (records / "letter0006.pickle").exists()
    # the navigation names the texts: one fewer, so every page is made again
    assert sorted(made) == sorted(p.stem for p in (corpus / "tei").glob("*.xml"))


def test_serve_publishes_the_pages_before_the_rest(corpus):
    """``edition serve`` builds in phases: the first makes the changed text's page alone and
    publishes it; the second the DTS answers of that text (and the search index)."""
    from edition import serve

    first, rest = serve.phases(load_project(corpus))
    edit(corpus / "tei" / "letter0004.xml", "\n  </div></body>", "<p>Seen at once.</p>\n  </div></body>")
    dts_file = corpus / "build" / "html" / "dts" / "document" / "letter0004.xml"
    result = builder.build(load_project(corpus), None, steps=first)
    assert len(result.ran) == 1
    page = html.parse(str(corpus / "build" / "html" / "letter0004.html"))
    assert "Seen at once." in page.xpath("string(//div[@id='ed:reading'])")
    assert b"Seen at once." not in dts_file.read_bytes()   # not yet: the next build's
    builder.build(load_project(corpus), None, steps=rest)
    assert b"Seen at once." in dts_file.read_bytes()
    assert builder.build(load_project(corpus), None).ran == []   # nothing left to do


def draft_build(root: Path) -> None:
    project = load_project(root)
    project.build["draft"] = True   # as --draft does
    builder.build(project, ["html"], jobs=1)


def test_a_draft_keeps_the_unchanged_texts_pages_and_never_shares_them_with_a_final_build(corpus, made, tmp_path):
    """A draft build marks every page after the renderer; the next draft build still knows the
    pages of the texts that did not change (their records, the marks taken off) and makes the
    changed text's alone; the pages equal a draft built from nothing. A final build after it
    makes every page again, unmarked: a draft's page is never a final build's."""
    edit(corpus / "tei" / "letter0002.xml", "<p>", "<p><notATeiElement/>")   # an error: a draft
    draft_build(corpus)
    made.clear()
    page = corpus / "build" / "html" / "letter0005.html"
    assert "this is a draft" in page.read_text(encoding="utf-8")
    edit(corpus / "tei" / "letter0004.xml", "\n  </div></body>", "<p>Drafted.</p>\n  </div></body>")
    draft_build(corpus)
    assert made == ["letter0004"]
    assert "this is a draft" in page.read_text(encoding="utf-8")
    drafted = html_tree(corpus)
    aside = tmp_path / "aside"
    shutil.move(corpus / "build", aside)
    draft_build(corpus)
    assert html_tree(corpus) == drafted
    shutil.rmtree(corpus / "build")
    shutil.move(aside, corpus / "build")
    made.clear()
    edit(corpus / "tei" / "letter0002.xml", "<p><notATeiElement/>", "<p>")
    builder.build(load_project(corpus), ["html"], jobs=1)
    assert sorted(made) == sorted(p.stem for p in (corpus / "tei").glob("*.xml"))
    assert "this is a draft" not in page.read_text(encoding="utf-8")
    assert not (corpus / "build" / "html" / "errors.html").exists()
