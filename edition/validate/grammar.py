"""What a RELAX NG schema declares, for explaining validation errors in plain words.

In: a RELAX NG schema file (XML syntax), e.g. the packaged ``tei_all.rng``. Out: a
``Grammar`` that answers which element names the schema knows, which attributes an
element may carry, and the schema's own one-line documentation of an element or attribute.
libxml2 says "Invalid attribute when for element date" both for an attribute that is not
allowed and for one whose value is wrong; this index tells the two apart.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANNOTATION_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
_RNG = f"{{{RNG_NS}}}"


class Grammar:
    """An index of a RELAX NG grammar's elements and their attributes."""

    def __init__(self, path: Path):
        self.path = path
        try:
            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True,
                                                          load_dtd=False, huge_tree=True)).getroot()
        except (OSError, etree.XMLSyntaxError):
            root = etree.Element(_RNG + "grammar")
        self._defines: dict[str, list[etree._Element]] = {}
        self._elements: dict[str, list[etree._Element]] = {}
        for define in root.iter(_RNG + "define"):
            self._defines.setdefault(define.get("name"), []).append(define)
        for element in root.iter(_RNG + "element"):
            for name in self._names(element):
                self._elements.setdefault(name, []).append(element)
        self._attr_memo: dict[str, dict[str, str] | None] = {}

    @staticmethod
    def _names(pattern: etree._Element) -> list[str]:
        if pattern.get("name"):
            return [pattern.get("name").split(":")[-1]]
        return [n.text.strip().split(":")[-1] for n in pattern.iterchildren(_RNG + "name") if n.text]

    def knows_element(self, local_name: str) -> bool:
        """True when the schema declares an element of this (local) name."""
        return local_name in self._elements

    def element_doc(self, local_name: str) -> str | None:
        """The schema's documentation of an element (its gloss and definition)."""
        for element in self._elements.get(local_name, []):
            doc = element.find(f"{{{ANNOTATION_NS}}}documentation")
            if doc is not None and doc.text:
                return " ".join(doc.text.split())
        return None

    def attributes(self, local_name: str) -> dict[str, str] | None:
        """Attribute names an element may carry → their documentation; None if any is allowed."""
        if local_name not in self._attr_memo:
            found: dict[str, str] = {}
            wildcard = False
            for element in self._elements.get(local_name, []):
                wildcard |= self._collect(element, found, set())
            self._attr_memo[local_name] = None if wildcard or local_name not in self._elements else found
        return self._attr_memo[local_name]

    def _collect(self, pattern: etree._Element, found: dict[str, str], seen: set[str]) -> bool:
        """Gather attributes reachable without entering a nested element; True on a wildcard."""
        wildcard = False
        for child in pattern:
            if not isinstance(child.tag, str) or not child.tag.startswith(_RNG):
                continue
            kind = child.tag[len(_RNG):]
            if kind == "element":  # a child element's attributes are its own
                continue
            if kind == "attribute":
                names = self._names(child)
                if not names:
                    wildcard = True
                for name in names:
                    doc = child.find(f"{{{ANNOTATION_NS}}}documentation")
                    found.setdefault(name, " ".join(doc.text.split()) if doc is not None and doc.text else "")
            elif kind == "ref":
                name = child.get("name")
                if name in seen:
                    continue
                seen.add(name)
                for define in self._defines.get(name, []):
                    wildcard |= self._collect(define, found, seen)
            else:
                wildcard |= self._collect(child, found, seen)
        return wildcard


@lru_cache(maxsize=4)
def grammar_for(path: str) -> Grammar:
    """The grammar index of a schema file, built once per process."""
    return Grammar(Path(path))
