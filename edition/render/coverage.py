"""Which characters of a text the edition's fonts cannot draw.

In: a TEI document. Out: the set of characters its outputs print (the words of ``<text>`` and
the title statement, leaving out what the vocabulary says is never text), and a warning for each
character that no face of ``edition.render.fontset`` draws: file, line of its first use, the
character as U+XXXX and its Unicode name. A PDF prints such a character as an empty box; a
browser may find it in a font of the reader's system, or not.

Cheap by design: the characters of a text are gathered in one pass and compared, as a set, with
the union of the faces' character maps (read once per process); only a text that has a
character no face draws is walked again, to find the lines.
"""

from __future__ import annotations

import unicodedata

from lxml import etree

from edition.diagnostics import Diagnostic, warning
from edition.render.fontset import FAMILIES, drawable
from edition.tei.vocabulary import NEVER_TEXT

TEI = "{http://www.tei-c.org/ns/1.0}"
MAX_LISTED = 12   # characters reported one by one in a text; the rest in one warning
# Characters that are not drawn: spaces and line ends (laid out as space), controls, format
# characters (joiners, marks of direction, soft hyphen), variation selectors.
_SILENT_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def _is_silent(ch: str) -> bool:
    point = ord(ch)
    return (unicodedata.category(ch) in _SILENT_CATEGORIES or 0xFE00 <= point <= 0xFE0F
            or 0xE0100 <= point <= 0xE01EF or point == 0x034F)


def _printed_roots(root: etree._Element) -> list[etree._Element]:
    """The parts of a TEI file that outputs print: its ``<text>`` (or the root of a fragment)
    and the title statement (title and authors on the title page)."""
    texts = root.findall(f"{TEI}text") or ([root] if root.tag != f"{TEI}TEI" else [])
    return root.findall(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt") + texts


def _pieces(root: etree._Element):
    """Each printed run of characters with the line it starts on: an element's text and tail,
    skipping subtrees that are never text (``NEVER_TEXT``) and comments."""
    for top in _printed_roots(root):
        stack = [(top, False)]
        while stack:
            element, with_tail = stack.pop()
            if not isinstance(element.tag, str) or etree.QName(element).localname in NEVER_TEXT:
                if with_tail and element.tail:
                    yield element.tail, _tail_line(element)
                continue
            if element.text:
                yield element.text, element.sourceline
            if with_tail and element.tail:
                yield element.tail, _tail_line(element)
            stack.extend((child, True) for child in reversed(element))


def _tail_line(element: etree._Element) -> int | None:
    """The line a tail starts on: where the next sibling starts, less the tail's line ends (lxml
    keeps no end line of an element); else the line of the element itself."""
    following = element.getnext()
    if following is not None and following.sourceline:
        return following.sourceline - element.tail.count("\n")
    return element.sourceline


def printed_chars(document) -> frozenset[str]:
    """Every character a document's outputs print."""
    return frozenset("".join(text for text, _ in _pieces(document.root)))


def missing_glyphs(document, chars: frozenset[str] | None = None) -> list[Diagnostic]:
    """A warning (W660) for each character of ``document`` that no configured face draws, at
    its first use; past ``MAX_LISTED`` characters one warning (W661) counts the rest."""
    chars = printed_chars(document) if chars is None else chars
    have = drawable()
    lacking = {ch for ch in chars if ord(ch) not in have and not _is_silent(ch)}
    if not lacking:
        return []
    first: dict[str, int | None] = {}
    counts: dict[str, int] = dict.fromkeys(lacking, 0)
    for text, line in _pieces(document.root):
        for ch in lacking.intersection(text):
            counts[ch] += text.count(ch)
            if ch not in first:
                first[ch] = None if line is None else line + text[:text.index(ch)].count("\n")
    order = sorted(lacking, key=lambda ch: (first.get(ch) or 0, ord(ch)))
    fonts = ", ".join(FAMILIES)
    found = []
    for ch in order[:MAX_LISTED]:
        name = unicodedata.name(ch, "unnamed" if unicodedata.category(ch) != "Co" else "a private-use character")
        times = f"; {counts[ch]} times in the text" if counts[ch] > 1 else ""
        found.append(warning(
            "W660", f"U+{ord(ch):04X} {name} ({ch}) is in no font of the edition ({fonts}): the PDF prints"
            f" an empty box for it{times}", document.path, first.get(ch),
            hint="use a character those fonts have, or report the script so that a font for it is"
                 " added to the edition"))
    rest = order[MAX_LISTED:]
    if rest:
        listed = " ".join(f"U+{ord(ch):04X}" for ch in rest[:20]) + (" …" if len(rest) > 20 else "")
        found.append(warning(
            "W661", f"{len(rest)} more characters are in no font of the edition: {listed}",
            document.path, first.get(rest[0]), hint="see the warnings before for the first of them"))
    return found
