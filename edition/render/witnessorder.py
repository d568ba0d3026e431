"""The readings of a variation unit in the order of the witness list, agreeing ones as one.

In: a text's TEI root (its ``listWit``) and the ``lem``/``rdg`` children of an ``app``. Out: the
readings to print, each with the ``@wit`` value to print it with: a reading's witnesses in the
order of the ``listWit``; the readings after the lemma ordered by their first witness there
(reledmac's order, stable whatever order the TEI gives them in); and readings of the same words
(same content, same attributes but ``@wit``, no ``xml:id``) as one, ``word] variant B C``.

An ``app`` without a lemma keeps its first reading first: it is the text shown. Readings that
carry ``@varSeq`` follow it: the encoder's stated sequence wins over the witness list.
"""

from __future__ import annotations

from lxml import etree

from edition.tei.xmlio import XML_ID, local_name


class WitnessOrder:
    """The position of each witness of a text in its ``listWit`` (nested lists in document order)."""

    def __init__(self, root: etree._Element):
        ids = root.xpath("//*[local-name()='listWit']//*[local-name()='witness']/@xml:id")
        self.index = {wid: k for k, wid in enumerate(ids)}

    def _rank(self, token: str) -> int:
        return self.index.get(token.removeprefix("#"), len(self.index))

    def sort_wit(self, value: str | None) -> str | None:
        """``@wit`` with its pointers in witness-list order (unknown ones after, as written)."""
        if not value or not self.index:
            return value
        tokens = value.split()
        return " ".join(sorted(tokens, key=self._rank))

    def readings(self, readings: list[etree._Element]) -> list[tuple[etree._Element, str | None]]:
        """(reading, @wit to print) in print order (see the module docstring)."""
        if not readings:
            return []
        first = next((r for r in readings if local_name(r) == "lem"), readings[0])
        head = [(first, self.sort_wit(first.get("wit")))]
        merged: list[list] = []
        by_key: dict[tuple, list] = {}
        for rdg in (r for r in readings if r is not first):
            key = _same_words(rdg)
            if key is not None and key in by_key:
                by_key[key][1] += " " + (rdg.get("wit") or "")
                continue
            entry = [rdg, rdg.get("wit") or ""]
            merged.append(entry)
            if key is not None:
                by_key[key] = entry
        rest = [(rdg, self.sort_wit(wit.strip()) or None) for rdg, wit in merged]
        if any(rdg.get("varSeq") for rdg, _ in rest):
            rest.sort(key=lambda item: _sequence(item[0]))   # stable: readings without one keep their place
        elif self.index:
            rest.sort(key=lambda item: min((self._rank(t) for t in (item[1] or "").split()), default=len(self.index)))
        return head + rest


def _same_words(rdg: etree._Element) -> tuple | None:
    """What two readings must share to be printed as one; None for a reading kept apart."""
    if local_name(rdg) != "rdg" or rdg.get(XML_ID) or not rdg.get("wit"):
        return None
    attrs = tuple(sorted((k, v) for k, v in rdg.attrib.items() if k != "wit"))
    content = (rdg.text or "") + "".join(etree.tostring(c, encoding=str, with_tail=True) for c in rdg)
    return (" ".join(content.split()) if not len(rdg) else content, attrs)


def _sequence(rdg: etree._Element) -> float:
    """A reading's ``@varSeq`` as a number (readings without one, or a bad one, after those with one)."""
    try:
        return float(rdg.get("varSeq"))
    except (TypeError, ValueError):
        return float("inf")
