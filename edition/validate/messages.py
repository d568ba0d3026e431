"""Plain words for RELAX NG errors.

In: one libxml2 RELAX NG error (its type name and raw text), the element it concerns and the
schema's ``Grammar``. Out: a code, a message a person can act on and a hint. lxml's raw text is
kept by the caller as the diagnostic's ``detail`` (shown with ``--verbose`` and in JSON).

libxml2's messages name the validator's state ("Expecting an element , got nothing",
"Invalid attribute when for element date"); these say what is wrong with the document
("<choice> is incomplete: a required child element is missing", "the value 'yesterday' of
@when on <date> is not valid") and where to read about the element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from edition.tei.xmlio import TEI_NS, attributes_named
from edition.validate.grammar import XML_NS, Grammar

GUIDELINES = "https://tei-c.org/release/doc/tei-p5-doc/en/html/ref-{}.html"
ROOTS = ("TEI", "teiCorpus")

# Kinds of schema finding → code (what each code means is in ``edition.codes``).
SCHEMA_CODES: dict[str, str] = {
    "unexpected": "E201",
    "incomplete": "E202",
    "attribute": "E203",
    "value": "E204",
    "namespace": "E205",
    "text": "E206",
    "empty": "E207",
    "other": "E209",
}


@dataclass
class Wording:
    """A schema finding in plain words."""

    kind: str
    message: str
    hint: str | None = None

    @property
    def code(self) -> str:
        """The diagnostic code of this kind of finding."""
        return SCHEMA_CODES[self.kind]


def classify(type_name: str) -> str:
    """The kind of finding a libxml2 RELAX NG error type stands for."""
    name = type_name.removeprefix("RELAXNG_ERR_")
    if name in ("ELEMWRONG", "ELEMNAME", "EXTRACONTENT", "NOGRAMMAR"):
        return "unexpected"
    if name in ("NOELEM", "CONTENTVALID", "LACKDATA"):
        return "incomplete"
    if name in ("INVALIDATTR", "NOATTR"):
        return "attribute"
    if name in ("TEXTWRONG", "NOTELEM", "EXTRADATA"):
        return "text"
    if name == "ELEMNOTEMPTY":
        return "empty"
    if name in ("ELEMNONS", "ELEMWRONGNS", "ELEMEXTRANS"):
        return "namespace"
    if name in ("DATATYPE", "VALUE", "LIST", "DATAELEM", "VALELEM", "LISTELEM", "LISTEMPTY"):
        return "value"
    return "other"


def _tag(element: etree._Element) -> str:
    return f"<{etree.QName(element).localname}>"


def _doc_hint(grammar: Grammar, name: str) -> str:
    return f"see what <{name}> may contain: {GUIDELINES.format(name)}"


def root_wording(element: etree._Element) -> Wording:
    """The root element is not a TEI document element."""
    qname = etree.QName(element)
    if qname.localname in ROOTS and qname.namespace != TEI_NS:
        where = f"namespace '{qname.namespace}'" if qname.namespace else "no namespace"
        return Wording("namespace", f"<{qname.localname}> is in {where}, not in the TEI namespace",
                       f'write <{qname.localname} xmlns="{TEI_NS}">')
    return Wording("namespace", f"the root element is <{qname.localname}>; a TEI document starts with <TEI>",
                   f'wrap the document in <TEI xmlns="{TEI_NS}">')


def unexpected(element: etree._Element, grammar: Grammar) -> Wording:
    """An element libxml2 did not expect at its place."""
    qname = etree.QName(element)
    parent = element.getparent()
    inside = f" inside {_tag(parent)}" if parent is not None else ""
    if qname.namespace != TEI_NS and qname.namespace is not None and not grammar.knows_element(qname.localname):
        return Wording("unexpected", f"<{qname.localname}> (namespace '{qname.namespace}') is not allowed{inside}",
                       "elements from other vocabularies are not part of TEI here")
    if qname.namespace is None:
        return Wording("unexpected", f"<{qname.localname}> is in no namespace, so it is not a TEI element",
                       f'TEI elements are in the namespace "{TEI_NS}"')
    if not grammar.knows_element(qname.localname):
        return Wording("unexpected", f"<{qname.localname}> is not a TEI element",
                       "check the spelling, or choose a TEI element for this")
    name = etree.QName(parent).localname if parent is not None else qname.localname
    return Wording("unexpected", f"<{qname.localname}> is not allowed here{inside} (it may be in the wrong "
                   f"place or order)", _doc_hint(grammar, name))


def incomplete(element: etree._Element, grammar: Grammar) -> Wording:
    """An element whose content ended before a required child element."""
    name = etree.QName(element).localname
    return Wording("incomplete", f"<{name}> is incomplete: a required child element is missing",
                   _doc_hint(grammar, name))


def qualified(element: etree._Element, key: str) -> str:
    """An attribute's name as the file writes it: ``xml:id``, ``p:doctype``, ``n``."""
    qname = etree.QName(key)
    if not qname.namespace:
        return qname.localname
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    prefix = next((p for p, ns in element.nsmap.items() if ns == qname.namespace and p), None)
    return f"{prefix}:{qname.localname}" if prefix else f"{{{qname.namespace}}}{qname.localname}"


def rejected_attribute(element: etree._Element, local: str, grammar: Grammar) -> str | None:
    """The attribute (its key in ``element.attrib``) libxml2 meant by 'Invalid attribute local'.

    libxml2 names only the local part: of ``style`` and ``p:style`` on one element, the one the
    schema does not allow is meant (else the first, whose value must be wrong).
    """
    # one scan in C: an element may carry 100,000 attributes, and each may have a message
    keys = [key for key, _ in attributes_named(element, local)]
    name = etree.QName(element).localname
    return next((key for key in keys if grammar.allows_attribute(name, key) is False), keys[0] if keys else None)


def attribute(element: etree._Element, key: str, grammar: Grammar) -> Wording:
    """An attribute libxml2 rejected (``key`` as in ``element.attrib``): not allowed, or a bad value."""
    name = etree.QName(element).localname
    attr = etree.QName(key).localname
    written = qualified(element, key)
    value = element.get(key)
    allowed = grammar.attributes(name)
    if allowed is not None and grammar.allows_attribute(name, key) is False:
        return Wording("attribute", f"@{written} is not allowed on <{name}>",
                       "remove it or check its spelling; " + _doc_hint(grammar, name).replace("contain", "carry"))
    doc = (allowed or {}).get(attr) or ""
    shown = value if value is None or len(value) <= 60 else value[:57] + "…"
    message = f"the value '{shown}' of @{written} on <{name}> is not valid"
    if allowed is None:
        message = f"@{written} on <{name}> is not allowed here or its value '{shown}' is not valid"
    return Wording("value", message, f"@{written} {doc[0].lower() + doc[1:]}" if doc else None)


def text(element: etree._Element, grammar: Grammar) -> Wording:
    """Character data inside an element whose content is elements only."""
    name = etree.QName(element).localname
    return Wording("text", f"text is not allowed directly inside <{name}>",
                   "wrap it in an element that takes text, such as <p>" if name in ("body", "div", "back", "front")
                   else _doc_hint(grammar, name))


def raw_attribute_name(message: str) -> str | None:
    """The attribute named in 'Invalid attribute X for element Y'."""
    match = re.search(r"[Ii]nvalid attribute (\S+) for element", message)
    return match.group(1).split(":")[-1] if match else None


def raw_extra_child(message: str) -> str | None:
    """The child named in 'Element X has extra content: Y'."""
    match = re.search(r"has extra content: (\S+)", message)
    return match.group(1).split(":")[-1] if match else None


def extra_is_text(element: etree._Element, message: str) -> bool:
    """True when 'Element X has extra content: text' means character data, not a <text> child."""
    if raw_extra_child(message) != "text":
        return False
    return not any(etree.QName(child).localname == "text" for child in element.iterchildren(etree.Element))
