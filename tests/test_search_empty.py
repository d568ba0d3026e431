"""An edition without a text yet, search on: the site is built, without an index, and the build
says why (W611), where Pagefind, given no page to index, stopped the build (E610). Its home page
says there is no text yet, and offers no search box that would find nothing."""

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
