"""Running heads across pieces: the named strings (``string-set``) a piece starts with and ends with.

In: one WeasyPrint layout, and the named strings its first page inherits (``carried``: the values
the pieces before it ended with, e.g. ``{"text-title": "A Title", "division": "Chapter Two"}``).
Out: the same layout as if those pieces stood before it, for the margin boxes' ``string()``,
and the values the layout itself ends with, of the strings it assigns (``Carried.ended``), for
the piece after it.

A text laid out in pieces (``edition.render.pdf.pieces``) prints, on a chapter's first page, the
running head the whole book would print there: the text's title set by its heading three
chapters back, or the division of a chapter that opens without a heading. WeasyPrint keeps the
assignments of one layout in ``LayoutContext.string_set`` (page → values) and looks back through
earlier pages for a page without one; the hook answers, where that look finds nothing, with the
carried value, which is what the look would have found in the whole book. Installed only for a
layout that carries something (and to read what a layout ends with); WeasyPrint's version is
pinned (pyproject.toml) and the hook tested (``tests/test_pdf_pieces.py``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from weasyprint.layout import LayoutContext


@dataclass
class Carried:
    """The strings a layout inherits (``given``) and, once laid out, ends with (``ended``)."""

    given: dict[str, str] = field(default_factory=dict)
    ended: dict[str, str] = field(default_factory=dict)   # only the strings the layout assigns
    contexts: list = field(default_factory=list)

    def read_end(self) -> dict[str, str]:
        """The value each named string the last layout assigns has after its last page (the
        strings it does not assign end as they were ``given``)."""
        ended = {}
        if self.contexts:
            for name, pages in self.contexts[-1].string_set.items():
                assigned = [page for page, values in pages.items() if values]
                if assigned:
                    ended[name] = pages[max(assigned)][-1]
        self.ended, self.contexts = ended, []   # a context holds the whole layout: let it go

        return ended


_ACTIVE: list[Carried] = []


def _lookup(original):
    def get_string_or_element_for(self, store, page, name, keyword):
        found = original(self, store, page, name, keyword)
        carried = _ACTIVE[-1].given if _ACTIVE else {}
        if found or name not in carried or store is not self.string_set or keyword == "all-once":
            return found
        if any(number <= self.current_page and values for number, values in store[name].items()):
            return found   # assigned on this page or one before: the piece's own value stands
        return (carried[name],)
    get_string_or_element_for._edition_carry = True
    return get_string_or_element_for


def _recording(original):
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if _ACTIVE:
            _ACTIVE[-1].contexts[:] = [self]   # only the last layout pass counts
    __init__._edition_carry = True
    return __init__


@contextlib.contextmanager
def carrying(carried: Carried):
    """Lay out with ``carried.given`` inherited; ``carried.read_end()`` after the layout."""
    lookup, init = LayoutContext.get_string_or_element_for, LayoutContext.__init__
    if not getattr(lookup, "_edition_carry", False):
        LayoutContext.get_string_or_element_for = _lookup(lookup)
        LayoutContext.__init__ = _recording(init)
    _ACTIVE.append(carried)
    try:
        yield carried
    finally:
        _ACTIVE.pop()
        if not _ACTIVE:
            LayoutContext.get_string_or_element_for, LayoutContext.__init__ = lookup, init
