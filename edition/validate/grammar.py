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
XML_NS = "http://www.w3.org/XML/1998/namespace"


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
        self._qualified: dict[str, set[str]] = {}

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
            self._qualified[local_name] = {key[1:] for key in found if key.startswith("\0")}
            found = {key: doc for key, doc in found.items() if not key.startswith("\0")}
            self._attr_memo[local_name] = None if wildcard or local_name not in self._elements else found
        return self._attr_memo[local_name]

    def children(self, local_name: str) -> set[str] | None:
        """Local names of the elements this element's content may hold anywhere (None: any name)."""
        found: set[str] = set()
        for element in self._elements.get(local_name, []):
            if self._child_names(element, found, set()):
                return None
        return found

    def _child_names(self, pattern: etree._Element, found: set[str], seen: set[str]) -> bool:
        """Gather the names of element patterns in a content model; True on a name wildcard."""
        for child in pattern:
            if not isinstance(child.tag, str) or not child.tag.startswith(_RNG):
                continue
            kind = child.tag[len(_RNG):]
            if kind == "element":
                names = self._names(child)
                found.update(names)
                if not names:
                    return True
            elif kind == "ref":
                name = child.get("name")
                if name not in seen:
                    seen.add(name)
                    if any(self._child_names(define, found, seen) for define in self._defines.get(name, [])):
                        return True
            elif kind != "attribute" and self._child_names(child, found, seen):
                return True
        return False

    def allows_attribute(self, local_name: str, clark: str) -> bool | None:
        """Whether the element may carry the attribute ``{namespace}name`` (None: any is allowed)."""
        if self.attributes(local_name) is None:
            return None
        return clark in self._qualified.get(local_name, set())

    @staticmethod
    def _qualified_names(attribute: etree._Element) -> list[str]:
        """An attribute pattern's names as ``{namespace}local`` (RELAX NG: no namespace unless given)."""
        texts = [attribute.get("name")] if attribute.get("name") else \
            [n.text.strip() for n in attribute.iterchildren(_RNG + "name") if n.text]
        names = []
        for text in texts:
            prefix, _, local = text.rpartition(":")
            if prefix == "xml":
                namespace = XML_NS
            elif prefix:
                namespace = attribute.nsmap.get(prefix, "")
            else:
                namespace = attribute.get("ns", "")
            names.append(f"{{{namespace}}}{local}" if namespace else local)
        return names

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
                for qualified in self._qualified_names(child):
                    found.setdefault(f"\0{qualified}", "")
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
