"""No three hyphenated lines in a row (``edition.render.pdf.hyphenruns``, in ``linekeys``'s passes).

A narrow paragraph of long words is laid out by WeasyPrint as it is: it has runs of three and
more lines ending in a hyphen the layout added (asserted, so the fixture tests something).
So has an endnote after the text. Laid out with the guard, no block has such a run; every word is still printed; and the same
HTML gives the same layout and the same fixes again (the fixes only grow, so the passes settle).
"""

from __future__ import annotations

import re

import pytest
import weasyprint
from lxml import html as lxml_html

CSS = """@page { size: 70mm 200mm; margin: 8mm }
body { font-family: serif; font-size: 11pt; }
p, li { hyphens: auto; text-align: justify; margin: 0 0 1em; }
ol { padding: 0; list-style: none; }
.lk-nohy { hyphens: manual; }"""
WORDS = ("Notwithstanding institutionalization, counterrevolutionary characteristically "
         "internationalization incomprehensibility representatives, uncharacteristically "
         "interdisciplinary telecommunications overrepresentation, electroencephalography "
         "disproportionately, responsibilities, environmentalists misunderstanding "
         "photosynthesizing, indistinguishability, transcontinental circumnavigation. ")
BODY = f"<p>{WORDS * 3}</p><p>{WORDS * 2}</p>"


def tree():
    return lxml_html.document_fromstring(
        f"<html lang='en'><head><style>{CSS}</style></head><body>"
        f"<section class='text' data-text='t'><div class='tei-text'>{BODY}</div>"
        f"<ol class='endnotes-list'><li class='endnote'>{WORDS * 2}</li></ol></section></body></html>")


def render(html: str):
    return weasyprint.HTML(string=html).render()


def runs_in(document, laid_tree) -> list:
    from edition.render.pdf.hyphenruns import runs
    from edition.render.pdf.linekeys import read_layout
    from edition.render.pdf.printhtml import streams

    found = streams(laid_tree)
    return runs(read_layout(document, {key: key for key in found}, found))


def printed_words(document) -> list[str]:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (tests/install-tools.sh)")
    text = subprocess.run(["pdftotext", "-", "-"], input=document.write_pdf(), capture_output=True,
                          check=True).stdout.decode("utf-8")
    joined = re.sub(r"[\u2010-]\n+\f?", "", text)   # a word broken at a line's (or page's) end, joined
    return re.findall(r"[A-Za-z]+", joined)


@pytest.fixture(scope="module")
def laid():
    from edition.render.pdf.linekeys import keyed_layout
    from edition.render.pdf.printhtml import key_blocks

    plain_tree = tree()
    key_blocks(plain_tree)
    plain = render(lxml_html.tostring(plain_tree, encoding="unicode"))
    result = keyed_layout(tree(), render)
    return plain, plain_tree, result


def test_the_fixture_has_three_hyphenated_lines_in_a_row_without_the_guard(laid):
    plain, plain_tree, _result = laid
    found = {key for run in runs_in(plain, plain_tree) for key, _at in run}
    endnote = plain_tree.xpath("//li[@class='endnote']/@data-lk")
    assert found - set(endnote), "the fixture's text no longer hyphenates three lines in a row"
    assert found & set(endnote), "the fixture's endnote no longer hyphenates three lines in a row"


def test_with_the_guard_no_block_has_three_in_a_row(laid):
    _plain, _tree, result = laid
    assert not runs_in(result.document, lxml_html.document_fromstring(result.html))
    assert 'class="lk-nohy"' in result.html
    assert not [d for d in result.diagnostics if d.code == "W701"]


def test_every_word_is_still_printed(laid):
    plain, _tree, result = laid
    expected = re.findall(r"[A-Za-z]+", WORDS * 7)
    assert printed_words(result.document) == expected
    assert printed_words(plain) == expected


def test_the_same_html_settles_the_same_way(laid):
    from edition.render.pdf.linekeys import keyed_layout

    _plain, _tree, result = laid
    again = keyed_layout(tree(), render)
    assert again.html == result.html and again.passes == result.passes


def test_a_word_fix_wraps_the_whole_word_it_names():
    from edition.render.pdf.hyphenruns import apply_word_fixes
    from edition.render.pdf.printhtml import key_blocks, streams

    page = lxml_html.document_fromstring("<div class='text'><div class='tei-text'>"
                                         "<p>An <b>extra</b>ordinary word here.</p></div></div>")
    key_blocks(page)
    key = page.xpath("//p/@data-lk")[0]
    # "extraordinary" is characters 2–14 of the block's stream; it breaks after "extraordi"
    apply_word_fixes(streams(page), {f"{key}@11": "nohy"})
    wrapped = page.xpath("//span[@class='lk-nohy']")
    assert ["".join(s.itertext()) for s in wrapped] == ["extra", "ordinary"]
    assert page.xpath("string(//p)") == "An extraordinary word here."


def test_a_kept_word_that_overflows_is_given_up_and_the_line_before_tried():
    from edition.render.pdf.hyphenruns import ladder_fixes
    from edition.render.pdf.linekeys import Line, Reading

    def reading(overflow: bool):
        # block b: lines starting at 0, 30, 60, 90, 120; lines 1–3 end in a hyphen
        lines = [Line(0, 10.0 * i, "b", "t", 30 * i, i + 1, hyphenated=0 < i < 4) for i in range(5)]
        lines[4].overflows = overflow    # the word kept whole (it went on at 120) ran past the margin
        return Reading(lines, {}, [])

    fixes: dict[str, str] = {}
    fixes.update(ladder_fixes(reading(False), fixes))
    assert fixes == {"b@120": "nohy"}             # the third hyphenated line's word
    added = ladder_fixes(reading(True), fixes)
    assert added == {"b@120": "off", "b@90": "nohy"}, added
    fixes.update(added)
    fixes.update(ladder_fixes(reading(False), fixes))
    assert fixes == {"b@120": "off", "b@90": "nohy", "b@60": "nohy"}
    assert ladder_fixes(reading(False), fixes) == {}   # every word of the run tried: it is left


def test_within_the_layout_hooks_the_first_layout_has_no_run_and_needs_no_fix():
    """``hyphenlimit``: the lines are broken with the limit, so the passes find nothing to fix."""
    from edition.render.pdf.footnotes import ordered_footnotes
    from edition.render.pdf.linekeys import keyed_layout
    from edition.render.pdf.printhtml import key_blocks

    laid_tree = tree()
    key_blocks(laid_tree)
    with ordered_footnotes():
        document = render(lxml_html.tostring(laid_tree, encoding="unicode"))
        result = keyed_layout(tree(), render)
    assert not runs_in(document, laid_tree)
    assert printed_words(document) == re.findall(r"[A-Za-z]+", WORDS * 7)
    assert result.passes == 1 and 'class="lk-nohy"' not in result.html
    # the hooks are gone after the block: WeasyPrint alone hyphenates three lines in a row again
    plain_tree = tree()
    key_blocks(plain_tree)
    assert runs_in(render(lxml_html.tostring(plain_tree, encoding="unicode")), plain_tree)
