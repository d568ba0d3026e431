"""A text's first paragraph is set flush under its title, however deep its divisions nest
(``document.mark_opening_paragraphs`` and ``print.css``); the paragraphs after it are indented.

Laid out by WeasyPrint with the print stylesheet; the first line's left edge of each paragraph
is read from the layout."""

from __future__ import annotations

import weasyprint
from lxml import html as lxml_html
from weasyprint.formatting_structure import boxes

BODY = ("<div class='tei-text'><div class='front'><p>Front matter words.</p></div><div class='body'>"
        "<div class='div' data-type='article'><div class='div' data-type='section'>"
        "<p id='p1' class='p'>The first paragraph of the text, long enough to run on.</p>"
        "<p id='p2' class='p'>The second paragraph, which is indented as every other is.</p>"
        "</div></div></div></div>")


def first_line_x(document, element_id: str) -> float:
    def walk(box):
        if isinstance(box, boxes.LineBox) and box.element is not None and box.element.get("id") == element_id:
            return min(child.position_x for child in box.children)
        for child in getattr(box, "children", None) or ():
            found = walk(child)
            if found is not None:
                return found
        return None
    return walk(document.pages[0]._page_box)


def test_the_first_paragraph_is_flush_and_the_next_indented():
    from edition.render.pdf.document import stylesheet_path
    from edition.render.pdf.furnish import mark_opening_paragraphs

    tree = lxml_html.document_fromstring(f"<html lang='en'><body><section class='text'>{BODY}</section></body></html>")
    mark_opening_paragraphs(tree)
    assert tree.xpath("//p[contains(@class, 'opening')]/@id") == ["p1"]   # not the front's, not p2
    document = weasyprint.HTML(string=lxml_html.tostring(tree, encoding="unicode")).render(
        stylesheets=[weasyprint.CSS(filename=str(stylesheet_path()))])
    flush, indented = first_line_x(document, "p1"), first_line_x(document, "p2")
    assert indented - flush > 3, (flush, indented)   # 1.2em of a 10–11 pt face
