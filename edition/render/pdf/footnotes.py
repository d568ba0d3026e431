"""Order of the foot of the page: notes first, then each apparatus tier, each under its rule.

In: footnote boxes WeasyPrint collects for a page (``float: footnote`` elements). Out: the same
boxes ordered by their ``data-fn-order`` attribute (notes 1, substantive tier 3, accidentals
tier 5; a separator rule carries the even number just below its tier), with one separator per
tier and page. WeasyPrint stacks footnotes in the order of their calls; a critical edition
stacks them by kind (reledmac's series), so this module wraps WeasyPrint's
``LayoutContext`` (``layout_footnote``, ``report_footnote``, ``_update_footnote_area``) for the
duration of one layout (``ordered_footnotes()``).
The page's body height is still computed by WeasyPrint from the ordered area, so a page never
overflows.

Footnotes stay on the page of their call. To fit a page's last line where widows and orphans
forbid breaking before it, WeasyPrint moves the page's most recent footnotes to the next page
(``block._linebox_layout``: "report footnotes and see if we don't overflow"); it asks first
whether the page has footnotes at all. The page's list answers "none that may move" when all
are ours (notes, apparatus entries, their rules), so WeasyPrint breaks the paragraph earlier or
moves it whole instead, as a book would. WeasyPrint has no public hook for any of this; the
wrappers are checked by the tests.

WeasyPrint lays out the whole footnote area again for each footnote added (quadratic in the
footnotes of a page); within the block, the area's height is found in linear time instead
(``footarea``). A text that would fit on its line but for its trailing space is kept on it
(``_whole_line``: WeasyPrint 70 breaks it after its first word), so that where lines break does
not depend on the margin numbers and footnote calls the keyed layout inserts between passes; and
no line is the third in a row of its block to end in a hyphen (``hyphenlimit``).
This module is the one place that reaches into WeasyPrint's layout, written
for the version pinned in ``pyproject.toml`` (``WEASYPRINT``, checked by the tests).
"""

from __future__ import annotations

import contextlib
import threading

from weasyprint.layout import LayoutContext, inline
from weasyprint.text import line_break

from edition.render.pdf.footarea import linear_area
from edition.render.pdf.hyphenlimit import limit_lines, no_hyphens_when_told

ORDER_ATTR = "data-fn-order"
SEPARATOR_CLASS = "lk-sep"
STAYING_CLASSES = frozenset({"note", "lk-fn", SEPARATOR_CLASS})
_LOCK = threading.Lock()
_STORE = "_edition_page_footnotes"
WEASYPRINT = "70.0"   # the version these wrappers are written for (pinned in pyproject.toml)


def _stays(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and bool(STAYING_CLASSES & set((element.get("class") or "").split()))


class _PageFootnotes(list):
    """A page's footnotes; true only when one of them may move to the next page (module doc)."""

    def __bool__(self) -> bool:
        return any(not _stays(footnote) for footnote in self)


def _get_page_footnotes(self):
    return self.__dict__[_STORE]


def _set_page_footnotes(self, value) -> None:
    self.__dict__[_STORE] = value if isinstance(value, _PageFootnotes) else _PageFootnotes(value)


def _order(box) -> float:
    element = getattr(box, "element", None)
    try:
        return float(element.get(ORDER_ATTR, "1")) if element is not None else 1.0
    except ValueError:
        return 1.0


def _is_separator(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and SEPARATOR_CLASS in (element.get("class") or "").split()


def _layout_footnote(original):
    def layout_footnote(self, footnote):
        if _is_separator(footnote):
            # A rule has no height, so it never overflows. One rule per tier and page.
            if any(_is_separator(f) and _order(f) == _order(footnote) for f in self.current_page_footnotes):
                if footnote in self.footnotes:
                    self.footnotes.remove(footnote)
                return False
            original(self, footnote)
            return False
        return original(self, footnote)
    return layout_footnote


def _update_footnote_area(original):
    def update_footnote_area(self):
        # WeasyPrint keeps the page's footnotes in call order and, to make a last line fit,
        # moves the most recently called one to the next page: keep that list as it is and
        # lay out the area from a copy sorted by kind.
        calls = self.current_page_footnotes
        # a plain list: here WeasyPrint asks whether the area is empty, and must hear the truth
        self.__dict__[_STORE] = sorted(calls, key=_order)
        try:
            return original(self)
        finally:
            self.__dict__[_STORE] = calls
    return update_footnote_area


def _report_footnote(original):
    def report_footnote(self, footnote):
        if footnote not in self.current_page_footnotes:
            return  # a dropped duplicate rule: nothing to move to the next page
        original(self, footnote)
    return report_footnote


def _area_footnotes(context) -> list:
    return context.__dict__[_STORE]


def _set_area_footnotes(context, footnotes: list) -> None:
    context.__dict__[_STORE] = footnotes   # a plain list: WeasyPrint asks if the area is empty


def _whole_line(original):
    """WeasyPrint 70 breaks a text after its first word when the text would fit on the line but
    for its trailing space (``split_first_line``, step 3: the Pango line is "too wide", so it
    tries the first word alone). Such a text ends where an inline element starts (a lemma, a
    margin number), so where a line breaks would depend on the markup around it, and a line
    made of one short word is printed. Here such a text is one line, as a text without the
    element after it would be (the trailing space is hung, as WeasyPrint does anyway)."""
    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        resume = result[2]
        if (resume is None or minimum or max_width is None or not text.endswith(" ")
                or style["white_space"] not in ("normal", "nowrap", "pre-line")
                or len(text) > max_width / (style["font_size"] or 1) * 4):   # too long for one line (WeasyPrint's ratio)
            return result
        layout = line_break.create_layout(text, style, context, max_width, justification_spacing)
        first_line, index = layout.get_first_line()
        if index is not None:
            return result
        stripped = line_break.create_layout(text.rstrip(" "), style, context, max_width, justification_spacing)
        line, rest = stripped.get_first_line()
        if rest is not None or line_break.line_size(line, style)[0] > max_width:
            return result
        return line_break.first_line_metrics(first_line, text, layout, None, True, style)
    return split_first_line


@contextlib.contextmanager
def ordered_footnotes(*, linear: bool = True, fitting: bool = True):
    """Within the block, WeasyPrint orders each page's footnotes by kind and keeps them on the
    page of their call, and (``linear``) finds the footnote area's height in linear time (see
    module doc; ``fitting``: a footnote that fits on its run's last line is not laid out)."""
    with _LOCK:
        saved = (LayoutContext.layout_footnote, LayoutContext.report_footnote,
                 LayoutContext._update_footnote_area)
        splitting, next_line = inline.split_first_line, inline.get_next_linebox
        inline.split_first_line = _whole_line(no_hyphens_when_told(splitting))
        inline.get_next_linebox = limit_lines(next_line)   # two hyphenated lines in a row at most
        LayoutContext.layout_footnote = _layout_footnote(saved[0])
        LayoutContext.report_footnote = _report_footnote(saved[1])
        area = linear_area(saved[2], _area_footnotes, _set_area_footnotes, fast=fitting) if linear else saved[2]
        LayoutContext._update_footnote_area = _update_footnote_area(area)
        LayoutContext.current_page_footnotes = property(_get_page_footnotes, _set_page_footnotes)
        try:
            yield
        finally:
            (LayoutContext.layout_footnote, LayoutContext.report_footnote,
             LayoutContext._update_footnote_area) = saved
            inline.split_first_line, inline.get_next_linebox = splitting, next_line
            del LayoutContext.current_page_footnotes


def misplaced(document, key_attr: str = "data-lk") -> dict[str, str]:
    """Blocks to loosen or push so that every footnote prints on the page of its call.

    To fit a page's last line, WeasyPrint may move the most recent footnote to the next page
    while its call stays. For each footnote printed on another page than its call, this gives
    the key of the block holding the last line of the call's page (the line squeezed in), and
    the fix: ``push`` (a page break before it) when that line is the block's first, else
    ``loose`` (widows and orphans of 1, so that WeasyPrint may break inside the block).
    """
    from weasyprint.formatting_structure import boxes

    call_page: dict[int, int] = {}
    foot_page: dict[int, int] = {}
    last_line: dict[int, tuple[str, int]] = {}   # page → (block key, lines of the block so far)
    seen: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for child in page._page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                for box in child.descendants():
                    element = box.element
                    if element is not None and (element.get("class") or "").split()[:1] in (["note"], ["lk-fn"]):
                        foot_page.setdefault(id(element), index)
            elif not isinstance(child, boxes.MarginBox):
                for box in child.descendants():
                    if isinstance(box, boxes.LineBox) and box.element is not None and box.element.get(key_attr) \
                            and "::" not in (box.element_tag or ""):
                        key = box.element.get(key_attr)
                        seen[key] = seen.get(key, 0) + 1
                        last_line[index] = (key, seen[key])
                    elif (box.element_tag or "").endswith("::footnote-call"):
                        call_page.setdefault(id(box.element), index)
    fixes: dict[str, str] = {}
    for element, page in foot_page.items():
        if element in call_page and page != call_page[element] and call_page[element] in last_line:
            key, count = last_line[call_page[element]]
            fixes[key] = "push" if count == 1 else "loose"
    return fixes
