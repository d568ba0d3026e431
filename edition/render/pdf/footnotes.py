"""Order of the foot of the page: notes first, then each apparatus tier, each under its rule.

In: footnote boxes WeasyPrint collects for a page (``float: footnote`` elements). Out: the same
boxes ordered by their ``data-fn-order`` attribute (notes 1, substantive tier 3, accidentals
tier 5; a separator rule carries the even number just below its tier), with one separator per
tier and page. WeasyPrint stacks footnotes in the order of their calls; a critical edition
stacks them by kind (reledmac's series), so this module wraps WeasyPrint's
``LayoutContext.layout_footnote`` for the duration of one layout (``ordered_footnotes()``).
The page's body height is still computed by WeasyPrint from the ordered area, so a page never
overflows. WeasyPrint has no public hook for this; the wrapper is checked by the tests.
"""

from __future__ import annotations

import contextlib
import threading

from weasyprint.layout import LayoutContext

ORDER_ATTR = "data-fn-order"
SEPARATOR_CLASS = "lk-sep"
_LOCK = threading.Lock()


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
        if _is_separator(footnote) and any(
                _is_separator(f) and _order(f) == _order(footnote) for f in self.current_page_footnotes):
            # A second rule for a tier already ruled on this page: drop it (it has no content).
            if footnote in self.footnotes:
                self.footnotes.remove(footnote)
            return False
        overflow = original(self, footnote)
        ordered = sorted(self.current_page_footnotes, key=_order)
        if ordered != self.current_page_footnotes:
            self.current_page_footnotes[:] = ordered
            overflow = self._update_footnote_area()
        return overflow
    return layout_footnote


@contextlib.contextmanager
def ordered_footnotes():
    """Within the block, WeasyPrint orders each page's footnotes by kind (see module doc)."""
    with _LOCK:
        original = LayoutContext.layout_footnote
        LayoutContext.layout_footnote = _layout_footnote(original)
        try:
            yield
        finally:
            LayoutContext.layout_footnote = original
