"""No line alone on a page where a group of one-line blocks ends or begins (``print.css``).

Widows and orphans work within one block; a verse line (``.lg > .l``), a list item (the
witness paratext, the endnotes) is a block of its own, so a text could end on a page that
holds its last verse line or its last item alone. With the print stylesheet, a line group's
last two lines and first two lines, and a list's last two items, stay together. Each fixture is
sized from a first layout so that, with those rules switched off, exactly one line is left for
the last page (asserted: the fixture really has the fault), and with them it has company.
"""

from __future__ import annotations

import pytest
import weasyprint

OFF = ".lg > .l, li { break-before: auto !important; }"


def _layout(body: str, extra: str = ""):
    from edition.render.pdf.document import stylesheet_path

    html = (f"<html lang='en'><body><section class='text' data-text='t'><div class='tei-text'><div class='body'>"
            f"{body}</div></div></section></body></html>")
    sheets = [weasyprint.CSS(filename=str(stylesheet_path()))]
    if extra:
        sheets.append(weasyprint.CSS(string=extra))
    return weasyprint.HTML(string=html).render(stylesheets=sheets)


def _pages_of(document, ids: list[str]) -> list[int]:
    where = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            where.setdefault(anchor, index)
    return [where[i] for i in ids]


def verse(n: int) -> tuple[str, list[str]]:
    ids = [f"v{i}" for i in range(n)]
    lines = "".join(f'<div class="l" id="{i}">A line of verse, and the {k}th of them</div>' for k, i in enumerate(ids))
    return f'<p>Before the verse.</p><div class="lg">{lines}</div>', ids


def items(n: int) -> tuple[str, list[str]]:
    ids = [f"i{i}" for i in range(n)]
    entries = "".join(f'<li id="{i}">Item {k} of a list at the end of a text</li>' for k, i in enumerate(ids))
    return f'<p>Before the list.</p><ul>{entries}</ul>', ids


@pytest.mark.parametrize("make", [verse, items], ids=["verse", "list"])
def test_the_last_line_of_a_group_never_stands_alone_on_a_page(make):
    long_body, long_ids = make(120)
    first_page = _pages_of(_layout(long_body, OFF), long_ids).count(0)
    body, ids = make(first_page + 1)     # one line more than the first page holds
    without = _pages_of(_layout(body, OFF), ids)
    assert without.count(without[-1]) == 1, "the fixture no longer leaves its last line alone"
    pages = _pages_of(_layout(body), ids)
    assert pages.count(pages[-1]) >= 2, pages
    assert pages.count(pages[0]) >= 2, pages


def test_the_first_line_of_a_line_group_never_stands_alone_at_a_page_foot():
    def prose(n: int) -> str:
        return "".join(f'<p id="p{k}">A line of prose.</p>' for k in range(n))

    body, ids = verse(3)
    on_first = _pages_of(_layout(prose(120)), [f"p{k}" for k in range(120)]).count(0)
    for count in range(max(on_first - 4, 1), on_first + 1):   # the verse's first line last on its page
        laid = _pages_of(_layout(prose(count) + body, OFF), ids)
        if laid[0] != laid[1]:
            break
    else:
        pytest.fail("no amount of prose put a page break after the verse's first line")
    pages = _pages_of(_layout(prose(count) + body), ids)
    assert pages[0] == pages[1], pages
