"""A keyed layout that will not settle: the block that moves to and fro takes the fixes of the ladder.

Two layouts that alternate (A, B, A: a paragraph's apparatus fits on its page only when the
paragraph is not on it) name the block whose lines moved; its fixes go the way of a footnote
off its call's page (``footnotes.misplaced``): widows and orphans loosened first, then the
block kept whole on one page (a break inside it that goes to and fro is gone), then a page
break before the block, after which nothing is left to try (the passes end with W701).
The book-length fixture of tests/test_pdf_pieces.py and bench/bench_print.py settle real ones.
"""

from __future__ import annotations


def _reading(pages: list[int]):
    from edition.render.pdf.linekeys import Line, Reading

    # block p1 on page 0; block p2's two lines on the pages given
    lines = [Line(0, 10.0, "p1", "t", 0, 1)] + [Line(page, 20.0 + k, "p2", "t", 40 * k, 2 + k)
                                              for k, page in enumerate(pages)]
    return Reading(lines, {}, [])


def test_the_block_that_moves_is_loosened_kept_whole_then_pushed():
    from edition.render.pdf.linekeys import escalate, oscillating

    on_page, pushed_over = _reading([0, 1]), _reading([1, 1])
    fixes: dict[str, str] = {}
    assert escalate(fixes, oscillating(on_page, pushed_over, fixes))
    assert fixes == {"p2": "loose"}
    assert escalate(fixes, oscillating(pushed_over, on_page, fixes))
    assert fixes == {"p2": "whole"}
    assert escalate(fixes, oscillating(on_page, pushed_over, fixes))
    assert fixes == {"p2": "push"}
    assert not escalate(fixes, oscillating(on_page, pushed_over, fixes))   # pushed: nothing more to try


def test_layouts_that_agree_name_no_block():
    from edition.render.pdf.linekeys import oscillating

    assert oscillating(_reading([0, 1]), _reading([0, 1]), {}) == {}


def test_a_break_inside_a_block_keeps_the_block_whole():
    from edition.render.pdf.linekeys import escalate, oscillating

    # p2's first line stays; its second goes to and fro: the block is kept on one page
    fixes: dict[str, str] = {}
    assert escalate(fixes, oscillating(_reading([0, 0]), _reading([0, 1]), fixes))
    assert fixes == {"p2": "loose"}
    assert escalate(fixes, oscillating(_reading([0, 1]), _reading([0, 0]), fixes))
    assert fixes == {"p2": "whole"}


def test_the_print_css_has_every_fix_of_the_ladder():
    from edition.render.pdf.document import stylesheet_path
    from edition.render.pdf.linekeys import LADDER

    css = stylesheet_path().read_text(encoding="utf-8")
    for fix in LADDER:
        assert f'[data-lk-fix="{fix}"]' in css, fix
