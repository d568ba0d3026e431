"""A footnote that fits on its run's last line is not laid out, and changes nothing.

``footarea`` takes an inline footnote (an apparatus entry) onto the last line of its tier's run
without laying the run out again when the footnote, measured alone, fits beside that line and
reaches no higher or lower. Dense pages of entries in Latin and in Hebrew script (a
right-to-left lemma and reading in each), some with a bold reading, some with a raised
(superscript) mark that makes its line taller, are laid out with that shortcut and without it:
the same text on every page (pdftotext), the same lines at the foot of every page, the same
footnote-area height after every footnote WeasyPrint added (the height it decided the page's
body with), and the shortcut was taken (and refused) often enough for the comparison to mean
something.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LATIN = "abcdefghilmnopqrstuv"
HEBREW = "אבגדהוזחטיכלמנסעפצקרשת"


def _entry(rng: random.Random, letters: str, number: int) -> str:
    """One apparatus entry as the print HTML has it (``entries``), now and then bold or raised."""
    rtl = ' dir="rtl"' if letters == HEBREW else ""
    lemma, reading = _word(rng, letters), _word(rng, letters)
    if number % 5 == 0:
        reading = f"<b>{reading}</b>"
    mark = "<sup>2</sup>" if number % 7 == 3 else ""
    return (f'<span class="lk-fn" data-tier="A" data-fn-order="3"><b class="lk-n">{number}</b> '
            f'<span class="lk-lem"{rtl}>{lemma}</span>{mark}] <span{rtl}>{reading}</span> '
            f'<span class="lk-sig">D</span> <span class="lk-sig">E</span></span>'
            '<span class="lk-sep" data-tier="A" data-fn-order="2" aria-hidden="true"></span>')


def _word(rng: random.Random, letters: str) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(2, 8)))


def _html(letters: str, paragraphs: int = 6, words: int = 90, every: int = 3) -> str:
    from edition.render.pdf.fonts import font_faces, machine_folder

    rng = random.Random(16)
    body, number = [], 0
    for _ in range(paragraphs):
        out = []
        for k in range(words):
            out.append(_word(rng, letters))
            if k % every == every - 1:
                number += 1
                out[-1] += _entry(rng, letters, number)
        body.append(f"<p>{' '.join(out)}</p>")
    faces, _ = font_faces(machine_folder(), set(letters) | set("0123456789]DE"))
    direction = ' dir="rtl"' if letters == HEBREW else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{faces}\n'
            '@page { size: 156mm 234mm; }</style></head>'
            f'<body><div class="tei-text"{direction}>{"".join(body)}</div></body></html>')


def _render(html: str, fitting: bool):
    """The document, the footnote-area height after each update, and the shortcut's counts."""
    from weasyprint.layout import LayoutContext

    from edition.render.pdf import footarea, layout
    from edition.render.pdf.footnotes import ordered_footnotes
    from edition.render.pdf.options import PdfOptions

    heights: list[float] = []
    footarea.counts.clear()
    with ordered_footnotes(fitting=fitting):
        update = LayoutContext._update_footnote_area

        def recording(context):
            overflow = update(context)
            heights.append((round(context.current_footnote_area.height, 6), overflow))
            return overflow
        LayoutContext._update_footnote_area = recording
        try:
            document = layout.renderer(PdfOptions(variant="none"), ROOT)(html)
        finally:
            LayoutContext._update_footnote_area = update
    return document, heights, dict(footarea.counts)


def _foot_lines(document) -> list[list[tuple]]:
    """Each page's footnote area: its height and each line's place, height and text."""
    from weasyprint.formatting_structure import boxes

    pages = []
    for page in document.pages:
        found = []
        for child in page._page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                found.append(("area", round(child.position_y, 3), round(child.height, 3)))
                for line in child.descendants():
                    if isinstance(line, boxes.LineBox):
                        text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
                        found.append((round(line.position_y, 3), round(line.height, 3), text))
        pages.append(found)
    return pages


def _pdftotext(document, folder: Path, name: str) -> list[str]:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(document.write_pdf())
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")


@pytest.mark.parametrize("letters", [LATIN, HEBREW], ids=["latin", "hebrew"])
def test_fitting_footnotes_unlaid_give_the_same_layout(letters, tmp_path):
    html = _html(letters)
    fitted, fitted_heights, counts = _render(html, fitting=True)
    exact, exact_heights, exact_counts = _render(html, fitting=False)
    assert counts.get("fitted", 0) >= 20, f"the shortcut was hardly taken: {counts}"
    assert counts.get("laid", 0) >= 10, f"the shortcut was never refused: {counts}"
    assert not exact_counts.get("fitted"), "the shortcut was taken while switched off"
    assert len(fitted.pages) >= 3
    assert fitted_heights == exact_heights
    lines = _foot_lines(fitted)
    assert lines == _foot_lines(exact)
    # the fixture is what the test is for: runs of several lines, lines made taller by a raised mark
    heights = {line[1] for page in lines for line in page if line[0] != "area"}
    assert len(heights) >= 2, "no footnote line is taller than another: the raised marks were not tested"
    assert max(sum(1 for line in page if line[0] != "area") for page in lines) >= 4
    text = _pdftotext(fitted, tmp_path, "fitted")
    assert text == _pdftotext(exact, tmp_path, "exact")
    printed = sum(line[2].count("]") for page in lines for line in page if line[0] != "area")
    assert printed == html.count('class="lk-fn"'), "an entry is missing from the foot of the page"
