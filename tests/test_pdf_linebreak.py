"""Where a line breaks does not depend on the inline elements between its words.

WeasyPrint 70 breaks a text after its first word when the text would fit on the line but for
its trailing space, which happens where an inline element (a lemma, a margin number) follows a
space: a line of one short word is printed, and the keyed layout, which inserts such elements
between passes, never settles (``footnotes._whole_line``). Checked here on paragraphs laid out
by WeasyPrint: the words of each line (read from the laid-out line boxes) are the same with and
without zero-width spans between words, in a Latin and a Hebrew text, and no line but a
paragraph's last is made of one word.
"""

from __future__ import annotations

import random

import pytest

pytest.importorskip("weasyprint")

from weasyprint import HTML  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402

from edition.render.pdf.footnotes import ordered_footnotes  # noqa: E402

CSS = ("@page { margin: 10mm; } body { font-family: serif; font-size: 11pt; } "
       "p { margin: 0 0 4mm; text-align: justify; hyphens: none; } .m { position: absolute; width: 0; }")


def _lines(html: str, width: int = 100) -> list[list[str]]:
    """The words of every line of every paragraph, in order, the page ``width`` mm wide."""
    with ordered_footnotes():
        document = HTML(string=f"<style>{CSS} @page {{ size: {width}mm 600mm; }}</style>{html}").render()
    out = []

    def text(box) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text(c) for c in getattr(box, "children", None) or () if not isinstance(c, boxes.BlockBox))

    def walk(box):
        if isinstance(box, boxes.LineBox):
            out.append(text(box).split())
            return
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return out


def _paragraphs(letters: str, seed: int, marked: bool, lang: str) -> tuple[str, int]:
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(3):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 7))) for _ in range(60)]
        parts = []
        for k, word in enumerate(words):
            if k % 7 == 3:
                word = f"<span class='app'>{word}</span>"     # an inline element after a space
            if marked and k % 5 == 1:
                word += "<span class='m'></span>"            # a zero-width margin mark after a word
            parts.append(word)
        paragraphs.append(f"<p lang='{lang}' dir='{'rtl' if lang == 'he' else 'ltr'}'>{' '.join(parts)}.</p>")
    return "".join(paragraphs), len(paragraphs)


@pytest.mark.parametrize("letters,lang", [("abcdefghiklmnoprstuvxy", "la"), ("אבגדהוזחטיכלמנסעפצקרשת", "he")])
def test_lines_break_at_the_same_words_with_or_without_marks_between_them(letters, lang):
    plain, _ = _paragraphs(letters, 3, marked=False, lang=lang)
    marked, _ = _paragraphs(letters, 3, marked=True, lang=lang)
    for width in range(70, 110, 2):   # many widths: some line of some width ends just before a span
        assert _lines(plain, width) == _lines(marked, width), f"page {width} mm wide"


@pytest.mark.parametrize("letters,lang", [("abcdefghiklmnoprstuvxy", "la"), ("אבגדהוזחטיכלמנסעפצקרשת", "he")])
def test_no_line_but_a_paragraphs_last_is_one_short_word(letters, lang):
    html, count = _paragraphs(letters, 7, marked=False, lang=lang)
    for width in range(71, 111, 2):
        lines = _lines(html, width)
        ends = [k for k, words in enumerate(lines) if words and words[-1].endswith(".")]
        assert len(ends) == count
        short = [words for k, words in enumerate(lines) if k not in ends and len(words) < 3]
        assert short == [], f"page {width} mm wide"


def test_a_text_that_fits_but_for_its_trailing_space_stays_on_its_line():
    # the paragraph is as wide as "alpha beta gamma delta" (no trailing space) and a little more
    words = "alpha beta gamma delta"
    with ordered_footnotes():
        probe = HTML(string=f"<style>{CSS}</style><p><span style='white-space: nowrap'>{words}</span></p>").render()
    line = next(b for b in probe.pages[0]._page_box.descendants() if isinstance(b, boxes.LineBox))
    width = sum(c.margin_width() for c in line.children)
    html = (f"<style>{CSS} p {{ width: {width + 0.5}px; text-align: left; }}</style>"
            f"<p>{words} <span>epsilon</span> zeta</p>")
    lines = []
    with ordered_footnotes():
        document = HTML(string=html).render()
    for box in document.pages[0]._page_box.descendants():
        if isinstance(box, boxes.LineBox):
            lines.append(" ".join("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)).split()))
    assert lines[0] == words
    assert lines[1].startswith("epsilon")
