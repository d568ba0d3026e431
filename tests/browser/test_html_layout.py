"""The web page's layout in headless Chromium, measured (issue 17): no rivers (no justified line
whose word gap is over three times a space of its font), the sticky toolbar never over or beside
text, the side-by-side view keeping paragraph numbers and each witness's own paratext."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.tei.document import Document

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)

# Each word of each visible paragraph as a Range: gaps between words of one text node on one line
# (a single space between them), against the width of a space in the paragraph's font.
WORD_GAPS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const worst = [];
  const paras = document.querySelectorAll('#ed\\\\:reading p, #ed\\\\:reading .p, #ed\\\\:parallel p');
  for (const p of paras) {
    if (!p.getClientRects().length) continue;
    const style = getComputedStyle(p);
    ctx.font = style.font;
    const space = ctx.measureText(' ').width;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (!node.parentElement.checkVisibility()) continue;
      const text = node.textContent, re = /\\S+/g;
      let m, prev = null;
      while ((m = re.exec(text))) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const rects = r.getClientRects();
        if (!rects.length) continue;
        const first = rects[0], last = rects[rects.length - 1];
        if (prev && Math.abs(prev.top - first.top) < 2 && text.slice(prev.end, m.index) === ' ')
          worst.push({ratio: (first.left - prev.right) / space, words: text.slice(prev.start, m.index + m[0].length)});
        prev = {top: last.top, right: last.right, start: m.index, end: m.index + m[0].length};
      }
    }
  }
  worst.sort((a, b) => b.ratio - a.ratio);
  return worst.slice(0, 3);
}"""

# The toolbar's box and the boxes of every visible piece of text on the page outside it.
TEXT_BOXES = """() => {
  const bar = document.getElementById('ed:toolbar');
  const b = bar.getBoundingClientRect();
  const boxes = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim() || bar.contains(node) || !node.parentElement.checkVisibility()) continue;
    if (node.parentElement.closest('#ed\\\\:popover')) continue;
    const r = document.createRange(); r.selectNodeContents(node);
    for (const x of r.getClientRects()) {
      if (x.width > 0 && x.height > 0) boxes.push({left: x.left, right: x.right, top: x.top, bottom: x.bottom,
                                                   text: node.textContent.trim().slice(0, 30)});
    }
  }
  return {bar: {left: b.left, right: b.right, top: b.top, bottom: b.bottom},
          opaque: getComputedStyle(bar).backgroundColor.match(/[\\d.]+/g).length === 3
                  || getComputedStyle(bar).backgroundColor.endsWith(', 1)'),
          sticky: getComputedStyle(bar).position === 'sticky', boxes: boxes};
}"""


def _texts():
    return sorted(p.stem for p in (ROOT / "tei").glob("*.xml"))


def _open(open_page, name: str, width: int):
    page = open_page(f"real/html/{name}.html", width=width, height=900)
    page.evaluate("document.fonts.ready")
    return page


def _side_by_side(page) -> bool:
    toggle = page.locator("#ed\\:parallel-toggle")
    if not toggle.count():
        return False
    toggle.click()
    page.wait_for_selector("#ed\\:parallel .row:not(.head-row)")
    return True


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", _texts())
def test_no_rivers_in_the_text(open_page, name, width):
    page = _open(open_page, name, width)
    views = [page.evaluate(WORD_GAPS)]
    if _side_by_side(page):
        views.append(page.evaluate(WORD_GAPS))
    for worst in views:
        assert worst, "no words measured"
        assert worst[0]["ratio"] <= 3, f"{name} at {width} px: a word gap {worst[0]['ratio']:.1f} × a space: {worst}"


def _overlaps(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _check_toolbar(page, where: str) -> None:
    found = page.evaluate(TEXT_BOXES)
    bar = found["bar"]
    for box in found["boxes"]:
        if not _overlaps(bar, box):
            continue
        # the page scrolls under a sticky, opaque toolbar: a line under it must be wholly covered
        # (none showing beside it)
        assert found["sticky"] and found["opaque"], f"{where}: the toolbar lies over “{box['text']}”"
        assert bar["left"] <= box["left"] and box["right"] <= bar["right"], \
            f"{where}: “{box['text']}” shows beside the toolbar ({box} against {bar})"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", _texts())
def test_the_toolbar_never_overlaps_text(open_page, name, width):
    page = _open(open_page, name, width)
    if not page.locator("#ed\\:toolbar").count() or not page.locator("#ed\\:toolbar").is_visible():
        pytest.skip(f"{name} has no toolbar")
    found = page.evaluate(TEXT_BOXES)
    assert not [b for b in found["boxes"] if _overlaps(found["bar"], b)], "the toolbar covers text before scrolling"
    views = ["reading"] + (["side by side"] if _side_by_side(page) else [])
    for view in views:
        if view == "side by side":
            page.evaluate("window.scrollTo(0, 0)")
        height = page.evaluate("document.documentElement.scrollHeight")
        for fraction in (0.3, 0.5, 0.7):
            page.evaluate(f"window.scrollTo(0, {int(height * fraction)})")
            _check_toolbar(page, f"{name}, {view}, {width} px, scrolled to {fraction:.0%}")


def test_side_by_side_keeps_paragraph_numbers_and_each_witness_paratext(open_page):
    path = ROOT / "tei" / "woods-2005-bolivia.xml"
    if not path.is_file():
        pytest.skip("tei/woods-2005-bolivia.xml is not there")
    doc = Document.load(path)
    numbered = doc.xpath("//tei:body//tei:p[not(ancestor::tei:note) and not(ancestor::tei:list)"
                         " and not(ancestor::tei:lg)]")
    p_front = [" ".join("".join(e.itertext()).split())
               for e in doc.xpath("//tei:front//*[@source='#P'][not(ancestor::*[@source])]")]
    assert p_front
    page = _open(open_page, "woods-2005-bolivia", 1280)
    assert _side_by_side(page)
    page.select_option("#ed\\:pane-a", "W")
    page.select_option("#ed\\:pane-b", "P")
    numbers = page.locator("#ed\\:parallel .pane-text:first-child .pn")
    visible = [n for n in numbers.all() if n.is_visible()]
    assert len(visible) == len(numbered)
    assert [v.inner_text() for v in visible[:3]] == ["1", "2", "3"]
    right = " ".join(page.locator("#ed\\:parallel .pane-text:nth-child(2):not(.absent)").all_inner_texts())
    for words in p_front:
        assert " ".join(words.split()[:4]) in " ".join(right.split()), words


TOC_NESTING = """() => Array.from(document.querySelectorAll('nav.toc li li > a')).map(a => {
  const parent = a.parentElement.parentElement.closest('li').querySelector(':scope > a');
  const r = a.getBoundingClientRect(), p = parent.getBoundingClientRect();
  return {label: a.textContent.slice(0, 30), under: r.top > p.top, right: r.left > p.left + 4};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", _texts())
def test_contents_keep_the_sections_under_their_part(open_page, name, width):
    page = _open(open_page, name, width)
    nested = page.evaluate(TOC_NESTING)
    for entry in nested:   # below its part and indented under it, never in another column
        assert entry["under"] and entry["right"], f"{name} at {width} px: {entry['label']} is not under its part"
