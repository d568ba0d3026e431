"""The home page at its edges: an edition without a text yet (search on: the site is built, without
an index, and the build says why, W611, where Pagefind, given no page to index, stopped the build,
E610; no search box that would find nothing), and a text that names no author or date."""

from __future__ import annotations

from click.testing import CliRunner

from edition.cli import main


def test_an_edition_without_texts_builds_without_a_search_index(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "Empty"\neditors = ["An Editor"]\n'
                                           'outputs = ["html"]\n\n[html]\nsearch = true\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "build"])
    assert result.exit_code == 0, result.output
    assert "warning[W611] search is on, but no page has a text to index" in result.output
    assert "E610" not in result.output
    home = (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "No text yet." in home
    assert 'role="search"' not in home and "How the texts were edited" not in home
    assert not (tmp_path / "build" / "html" / "pagefind").exists()


def test_a_text_without_author_or_date_is_listed_without_a_stray_separator(tmp_path):
    """The home page's line of facts joins what the TEI gives with " · ": a text that names no
    author and no date begins with its paragraphs, not with a separator."""
    from lxml import html

    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "plain.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Plain</title>'
        "</titleStmt><publicationStmt><p>Unpublished.</p></publicationStmt><sourceDesc><p>Born digital.</p>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p>One.</p><p>Two.</p></body></text></TEI>",
        encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "Plain"\neditors = ["An Editor"]\n'
                                           'outputs = ["html"]\n\n[html]\nsearch = false\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "build"])
    assert result.exit_code == 0, result.output
    home = html.parse(str(tmp_path / "build" / "html" / "index.html"))
    facts = " ".join(home.xpath("string(//ul[@class='text-list']/li/span[@class='text-facts'])").split())
    assert facts == "2 paragraphs"
