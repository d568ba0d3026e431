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
``break="no"`` joins the word: the white space on both sides of it goes (and beside an empty
mark that stands in the broken word, ``βα<lb break="no"/>⏎<g type="diple"/>⏎πτίζοντες``).

One exception, for the apparatus only (``app_spaces``): where that layout space at the start
or end of a variation unit is the only thing between two words (``ἑαυτῶν<app>⏎<lem>ἀργοῦσιν``,
``ἐστὶ</rdg>⏎</app>λογικῶν``, ``καὶ<app>⏎<lem>κατέπιε``: a letter or a sentence mark on one
side, a letter on the other), the editors laid out a word boundary with it, and it is read as
one word space. Next to a mark that belongs to its word (a hyphen, a dash, a closing mark
after it, an opening mark before it) it stays layout. In the corpora of other editions every
such case is a word boundary; a choice or a substitution (``πνευμα<choice>⏎<sic>…``) is a
correction inside a word, so its space stays layout.
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


def is_empty_marker(element: etree._Element) -> bool:
    """True for an element with no words of its own (``<g type="diple"/>``, ``<anchor/>``,
    ``<pb/>``): a word broken by ``break="no"`` goes on across it and the white space beside it."""
    return isinstance(element.tag, str) and not len(element) and not (element.text or "").strip()


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


# Marks that belong to the word after them (nothing between): an opening quotation or bracket.
_OPENING = set("‘“«„‚‹([{¿¡")
# Marks that belong to the word before them: sentence marks, closing quotation and brackets.
_CLOSING = set(".,;:·;?!’”»›)]}…°")
_JOINERS = set("-‐‑‒–—―/")   # a hyphen or a dash: the words on both sides run into it


def word_space(before: str, after: str) -> bool:
    """True when a layout space between the characters ``before`` and ``after`` is a word
    boundary (a letter or a sentence mark before, a letter or an opening mark after)."""
    if not before or not after or before.isspace() or after.isspace():
        return False
    if before in _OPENING or before in _JOINERS or after in _CLOSING or after in _JOINERS:
        return False
    return True


def app_spaces(app: etree._Element) -> tuple[bool, bool]:
    """(before, after): whether the layout space at the start and at the end of a variation
    unit is a word boundary in its reading text (module doc). The unit is read as its base
    reading (``base_reading``)."""
    shown = base_reading(app)
    if shown is None:
        return False, False
    lead = _layout_before(app, shown)
    trail = _layout_after(app, shown)
    before = after = False
    if lead:
        before = word_space(_last_char_before(app), _edge_char(shown, first=True))
    if trail:
        after = word_space(_edge_char(shown, first=False), _first_char_after(app))
    return before, after


def _layout_before(app: etree._Element, shown: etree._Element) -> bool:
    """True when white space alone stands in the unit before its base reading's text."""
    node = shown
    while node is not app:
        parent = node.getparent()
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        gap = previous.tail if previous is not None else parent.text
        if gap and not gap.strip():
            return True
        if previous is not None and local_name(previous) in V.READINGS:
            return False   # another reading stands before: this is not the unit's start
        node = parent
    return False


def _layout_after(app: etree._Element, shown: etree._Element) -> bool:
    """True when white space alone stands at the end of the unit (after its last element)."""
    last = next((c for c in reversed(app) if isinstance(c.tag, str)), None)
    return last is not None and bool(last.tail) and not last.tail.strip()


def _reading_chars(el: etree._Element) -> str:
    """An element's words as read (a nested unit by its base reading, no notes)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            name = local_name(child)
            if name in V.APPARATUS:
                shown = base_reading(child)
                parts.append(_reading_chars(shown) if shown is not None else "")
            elif name not in V.NOTES and name not in V.WITNESS_DETAIL and name not in V.NEVER_TEXT:
                parts.append(_reading_chars(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _edge_char(el: etree._Element, first: bool) -> str:
    text = _reading_chars(el)
    text = text.lstrip() if first else text.rstrip()
    if not text:
        return ""
    return text[0] if first else text[-1]


# Where a line of text begins and ends: no word runs across their edges.
_BLOCKS = frozenset({"p", "ab", "l", "head", "item", "cell", "note", "div", "lg", "body", "front", "back",
                     "text", "lem", "rdg", "sp", "speaker", "stage"})


def _last_char_before(node: etree._Element) -> str:
    """The last character of the reading text before ``node`` in its block."""
    while node is not None:
        previous = node.getprevious()
        while previous is not None:
            if previous.tail:
                return previous.tail[-1]
            if isinstance(previous.tag, str):
                text = _reading_chars(previous)
                if text:
                    return text[-1]
            previous = previous.getprevious()
        parent = node.getparent()
        if parent is None:
            return ""
        if parent.text:
            return parent.text[-1]
        if local_name(parent) in _BLOCKS:
            return ""
        node = parent   # an inline element: what stands before it
    return ""


def _first_char_after(node: etree._Element) -> str:
    """The first character of the reading text after ``node`` in its block (`` `` before a
    break or a note: what follows is decided there)."""
    while node is not None:
        if node.tail:
            return node.tail[0]
        following = node.getnext()
        while following is not None and not isinstance(following.tag, str):
            if following.tail:
                return following.tail[0]
            following = following.getnext()
        if following is not None:
            if local_name(following) in V.BREAKS or local_name(following) in V.NOTES:
                return " "
            text = _reading_chars(following)
            return text[0] if text else ""
        parent = node.getparent()
        if parent is None or local_name(parent) in _BLOCKS:
            return ""
        node = parent   # the end of an inline element (a speaker's label): what follows it
    return ""
