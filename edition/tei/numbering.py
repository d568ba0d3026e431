"""The reader's paragraph numbers: the one numbering every output shows and cites.

In: the root of a TEI document. Out: ``paragraph_numbers(root)``, a ``dict`` from each numbered
paragraph element (``p``, ``ab``) to its number (1, 2, 3 … in document order); ``reader_locator``
turns a passage's element into what a reader sees (``("paragraph", "21")``), never an
``xml:id``.

A paragraph is numbered when it is a paragraph of the running text: not inside a note, an
apparatus entry, a list, a verse group, another paragraph, forme work, the header, a division
of notes (listed after the text), nor inside a part of the ``front`` or ``back`` that only some
witnesses have (``@source``: a standfirst, a byline, a publisher's credit) — that is witness
paratext, shown apart from the numbered text. The web page's margin numbers, the "cite"
control and ``edition cite`` all take their numbers from here.
"""

from __future__ import annotations

from lxml import etree

from edition.tei.vocabulary import APPARATUS, NEVER_TEXT, NOTES, PARAGRAPHS, READINGS
from edition.tei.xmlio import local_name

# Divisions whose notes are listed after the text rather than read in place.
NOTES_DIVS = ("notes", "endnotes", "footnotes")
# Inside these, paragraphs belong to something else (a list item, a stanza, a note, a reading).
_NOT_NUMBERED_INSIDE = NOTES | APPARATUS | READINGS | NEVER_TEXT | PARAGRAPHS | frozenset(
    {"list", "item", "lg", "listNote", "rdgGrp"})


def is_witness_paratext(el: etree._Element) -> bool:
    """True when ``el`` stands in a part of the front or back that only some witnesses have."""
    node = el
    sourced = False
    while node is not None and isinstance(node.tag, str):
        name = local_name(node)
        if name in ("front", "back"):
            return sourced
        if name in ("body", "text"):
            return False
        sourced = sourced or node.get("source") is not None
        node = node.getparent()
    return False


def _numbered(el: etree._Element) -> bool:
    for ancestor in el.iterancestors():
        if not isinstance(ancestor.tag, str):
            continue
        name = local_name(ancestor)
        if name in _NOT_NUMBERED_INSIDE:
            return False
        if name == "div" and (ancestor.get("type") or "").lower() in NOTES_DIVS:
            return False
        if name == "text":
            break
    return not is_witness_paratext(el)


def paragraph_numbers(root: etree._Element) -> dict[etree._Element, int]:
    """Each numbered paragraph of the text → its number, in document order."""
    numbers: dict[etree._Element, int] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and local_name(el) in PARAGRAPHS and _numbered(el):
            numbers[el] = len(numbers) + 1
    return numbers


def reader_locator(element: etree._Element, numbers: dict[etree._Element, int]) -> tuple[str, str] | None:
    """The locator a reader can find on the page: the number of the paragraph the element is in.

    ``None`` when the element is in no numbered paragraph (a division, a heading, a note,
    paratext): the caller says what else locates it.
    """
    node = element
    while node is not None:
        if node in numbers:
            return "paragraph", str(numbers[node])
        node = node.getparent()
    return None
