"""The print HTML's tree built by lxml is the tree WeasyPrint's own parser (tinyhtml5) builds.

Every layout pass hands WeasyPrint a tree built from the HTML string by ``html5tree`` instead of
letting it parse the string with tinyhtml5. Compared here with tinyhtml5's tree (tags, attributes,
text, tails, in document order): the print HTML of every text of the edition, of the whole
volume, and of apparatus entries as the keyed layout inserts them; markup that HTML5 rebuilds
(a block in a paragraph, a table, nested links, comments) is refused, and the document is then
WeasyPrint's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import tinyhtml5

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _signature(root) -> list[tuple]:
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in root.iter()]


def _html5(html: str) -> list[tuple]:
    return _signature(tinyhtml5.parse(html, namespace_html_elements=False))


def _print_html(paths: list[Path], volume: bool) -> str:
    from edition.project import load_project
    from edition.render.pdf.bookparts import book_parts
    from edition.render.pdf.document import compose_book
    from edition.render.pdf.linekeys import _serialize
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    parts = book_parts(project, [Document.load(p) for p in paths], pdf_options(project.pdf))
    return _serialize(compose_book(parts, volume=volume).tree)


TEXTS = sorted((ROOT / "tei").glob("*.xml"))


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_each_text_is_built_as_weasyprint_parses_it(path):
    from edition.render.pdf.html5tree import html5_tree

    html = _print_html([path], volume=False)
    tree = html5_tree(html)
    assert tree is not None, "the print HTML of a text was refused: every pass parses it again"
    assert _signature(tree) == _html5(html)


def test_the_volume_is_built_as_weasyprint_parses_it():
    from edition.render.pdf.html5tree import html5_tree

    html = _print_html(TEXTS, volume=True)
    assert "<svg" in html or "<nav" in html
    tree = html5_tree(html)
    assert tree is not None
    assert _signature(tree) == _html5(html)


@pytest.mark.parametrize("script", ["latin", "hebrew"])
def test_apparatus_entries_are_built_as_weasyprint_parses_them(script):
    from lxml import html as lxml_html
    from test_pdf_footfit import HEBREW, LATIN, _html

    from edition.render.pdf.html5tree import html5_tree

    written = _html(HEBREW if script == "hebrew" else LATIN, paragraphs=2)
    html = lxml_html.tostring(lxml_html.document_fromstring(written), encoding="unicode", doctype="<!DOCTYPE html>")
    assert '<span class="lk-fn"' in html and "<sup>" in html
    tree = html5_tree(html)
    assert tree is not None
    assert _signature(tree) == _html5(html)


def _page(body: str) -> str:
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


@pytest.mark.parametrize("body", [
    "<p>a<span>b</span></p>",
    '<div><p>one <b>two</b> <sup>3</sup></p> <ul><li>x</li></ul></div> ',
    '<figure><svg viewBox="0 0 4 4" preserveAspectRatio="none"><rect width="1" height="1"/></svg>'
    "<figcaption>c</figcaption></figure>",
    "<p>&amp; &lt;b&gt; \u00a0 \u05d0\u05d1</p>",
    "<table> <thead><tr><th>a</th></tr></thead> <tbody> <tr> <td>b <i>c</i></td><td></td> </tr></tbody></table>",
])
def test_markup_as_written_is_built_alike(body):
    from edition.render.pdf.html5tree import html5_tree

    html = _page(body)
    tree = html5_tree(html)
    assert tree is not None, body
    assert _signature(tree) == _html5(html)


def _written(body: str) -> str:
    return f"<!DOCTYPE html>\n<html><head><title>t</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("html", [
    _written("<p>a<div>b</div>c</p>"),
    _written("<table><tr><td>a</td></tr></table>"),
    _written("<table><tbody><tr><td>a</td></tr>b</tbody></table>"),
    _written('<a href="#x">a<a href="#y">b</a></a>'),
    _written("<p>a<!-- b --></p>"),
    _written("<li>loose</li>"),
    _written("<h2>a<h3>b</h3></h2>"),
    _written("<pre>\nkept</pre>"),
    _written("<p>a\rb</p>"),
    _written("<form><p>a</p></form>"),
    _written('<svg viewBox="0 0 1 1"><rect/><p>out</p></svg>'),
    _written('<details open><summary>a</summary></details>'),
    "<!DOCTYPE html>\n<html><head><title>t</title><span>b</span></head><body></body></html>",
])
def test_markup_html5_rebuilds_is_left_to_weasyprint(html):
    import weasyprint

    from edition.render.pdf.html5tree import html5_tree, parsed_html

    assert html5_tree(html) is None
    assert type(parsed_html(html, str(ROOT))) is weasyprint.HTML


def test_a_document_from_the_built_tree_is_laid_out_as_one_parsed(tmp_path):
    """The same pages, lines at the foot and PDF text whether WeasyPrint parsed the HTML or not."""
    import subprocess

    import weasyprint
    from lxml import html as lxml_html
    from test_pdf_footfit import HEBREW, _foot_lines, _html

    from edition.render.pdf import layout
    from edition.render.pdf.footnotes import ordered_footnotes
    from edition.render.pdf.html5tree import ParsedHTML
    from edition.render.pdf.options import PdfOptions

    html = lxml_html.tostring(lxml_html.document_fromstring(_html(HEBREW, paragraphs=2)), encoding="unicode",
                              doctype="<!DOCTYPE html>")
    render = layout.renderer(PdfOptions(variant="none"), ROOT)
    saved = layout.parsed_html
    texts, feet = [], []
    for built in (True, False):
        layout.parsed_html = saved if built else (lambda h, base: weasyprint.HTML(string=h, base_url=base))
        try:
            with ordered_footnotes():
                document = render(html)
        finally:
            layout.parsed_html = saved
        feet.append(_foot_lines(document))
        pdf = tmp_path / f"{built}.pdf"
        pdf.write_bytes(document.write_pdf())
        texts.append(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                    text=True).stdout)
    assert isinstance(layout.parsed_html(html, str(ROOT)), ParsedHTML)
    assert feet[0] == feet[1] and any(feet[0])
    assert texts[0] == texts[1] and "]" in texts[0]
