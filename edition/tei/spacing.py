"""Which white space of a TEI text is text: one rule for the reading text, the HTML and the PDF.

In: lxml elements of a TEI tree. Out: answers every walker of a text asks before it copies a
text node: is this white space text (``is_layout_space``), does this break join the word
around it (``joins_word``), which reading of a variation unit is the text (``base_reading``).

The rule is TEI's, as TEI processors apply it (the TEI Stylesheets strip such space): white
space that stands alone directly inside an element whose content is elements only
(``app``, ``rdgGrp``, ``choice``, ``subst``: ``vocabulary.ELEMENT_ONLY``) lays out the file and
is not text, so ``sarva<app>⏎<lem>-śatrūṇāṁ</lem>⏎</app>`` reads ``sarva-śatrūṇāṁ`` and
``umbris</lem>⏎</app>?`` reads ``umbris?``. White space in text content (before ``<app>``, in
a reading, around ``<note>``, ``<lb/>``, ``<pb/>``) is text and is kept as it is; a break with
``break="no"`` joins the word: the white space on both sides of it goes.
"""

from __future__ import annotations

from lxml import etree

from edition.tei import vocabulary as V
from edition.tei.xmlio import local_name


def is_layout_space(parent: etree._Element, text: str | None) -> bool:
    """True when ``text`` (a text node or a child's tail directly in ``parent``) is white space
    only and ``parent`` holds elements only: it is not text."""
    return bool(text) and not text.strip() and isinstance(parent.tag, str) \
        and local_name(parent) in V.ELEMENT_ONLY


def joins_word(element: etree._Element) -> bool:
    """True for a break inside a word (``<lb break="no"/>``): no white space either side."""
    return isinstance(element.tag, str) and local_name(element) in V.BREAKS and element.get("break") == "no"


def base_reading(app: etree._Element) -> etree._Element | None:
    """The reading a variation unit shows in the text: its lemma (in a reading group too), else
    its first reading (a unit without a lemma), else None."""
    first = None
    for child in app:
        if not isinstance(child.tag, str):
            continue
        name = local_name(child)
        if name == V.LEMMA:
            return child
        if name in V.READING_GROUPS:
            found = base_reading(child)
            if found is not None and local_name(found) == V.LEMMA:
                return found
            first = first if first is not None else found
        elif name == V.READING and first is None:
            first = child
    return first
