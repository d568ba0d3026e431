"""Plain text and pointers of TEI elements, as every output reads them.

In: lxml elements of a TEI tree. Out: strings: an element's text with whitespace collapsed
and without the words that are not part of it (notes, readings, witness details), and the
ids a pointer attribute names (``"#W #P"`` → ``["W", "P"]``).
"""

from __future__ import annotations

from lxml import etree

from edition.tei.vocabulary import NOT_IN_PLAIN_TEXT
from edition.tei.xmlio import local_name


def plain_text(el: etree._Element) -> str:
    """The element's text without its notes, readings and witness details, whitespace collapsed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local_name(child) not in NOT_IN_PLAIN_TEXT:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join("".join(parts).split())


def sigla(value: str | None) -> list[str]:
    """``"#W #P"`` → ``["W", "P"]`` (bare sigla are kept as they are)."""
    return [token.lstrip("#") for token in (value or "").split()]
