"""The repair loop: every schema error of a file, where libxml2 stops at the first of each element.

In: a compiled RELAX NG schema, the parsed file (never changed) and the schema's grammar. Out:
``Finding``s tied to the original elements, whether the loop was cut short (``MAX_ROUNDS``,
``MAX_FINDINGS``), and, as ``Diagnostic``s, the same with file, line and column.

libxml2 stops checking an element's content at its first error and reports only the first bad
attribute of an element, where jing reports them all. So a copy of the tree is repaired (the
rejected attribute or element dropped, stray text stripped) and validated again, round after
round, until nothing new turns up. An element of the schema's vocabulary standing where it may
not is then checked on its own against its declaration (``check_misplaced``), as jing does.
Errors that merely echo a child's error ("Element p failed to validate content") are dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

import edition.validate.messages as messages  # a module, not the package: no circle through validate/__init__
from edition.diagnostics import Diagnostic, error
from edition.tei.xmlio import XML_ID, attributes, remove_keeping_tail
from edition.validate.locate import SourceMap, element_path, resolve_libxml2_path

XI_INCLUDE = "{http://www.w3.org/2001/XInclude}include"
XI_FALLBACK = "{http://www.w3.org/2001/XInclude}fallback"
# Rounds of repair and validation: libxml2 reports one error per element content per round, so
# a file needs as many rounds as errors in one element's content; each round costs one validation.
MAX_ROUNDS = 1000
_NCNAME = re.compile(r"[^\W\d][\w.-]*")
MAX_FINDINGS = 5000


@dataclass
class Finding:
    """One schema error, tied to an element of the original tree."""

    wording: messages.Wording
    element: etree._Element
    where: str  # start | end | attribute | text
    attribute: str | None
    detail: str


def copy_tree(root: etree._Element) -> tuple[etree._Element, dict]:
    """A deep copy of the tree and a map from the copy's elements back to the originals."""
    work = copy.deepcopy(root)
    pairs = list(zip(work.iter(etree.Element), root.iter(etree.Element)))
    mapping = {id(w): (w, o) for w, o in pairs}  # the tuples keep both proxies alive
    return work, mapping


def replace_includes(work: etree._Element) -> None:
    for include in list(work.iter(XI_INCLUDE)):
        fallback = include.find(XI_FALLBACK)
        parent = include.getparent()
        if parent is None:
            continue
        position = parent.index(include)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(position + offset, child)
        remove_keeping_tail(include)


def collect(relaxng, root, work, to_orig, grammar, seen: set[tuple] | None = None,
             nested: bool = False) -> tuple[list[Finding], bool, list, dict]:
    """Validate, repair the copy, validate again, until nothing new turns up.

    Out: the findings; True when the loop stopped at ``MAX_ROUNDS`` or ``MAX_FINDINGS`` with the
    copy still invalid (more errors may follow); the misplaced elements of the schema's own
    vocabulary that were taken out of the copy (their content is still to be checked, as jing
    does: ``_check_misplaced``); and the map from the copy's elements to the originals.
    ``nested``: ``work`` is such a misplaced element, checked as a document of its own.
    """
    findings: list[Finding] = []
    misplaced: list[etree._Element] = []
    seen = set() if seen is None else seen
    repaired: set[int] = set()  # originals that lost an attribute: later echoes are not errors
    emptied: set[int] = set()  # originals that lost a child: "incomplete" later is our doing
    for _ in range(MAX_ROUNDS):
        # (a misplaced element is validated as the root of a document of its own: lxml then
        # gives libxml2 a document holding only it; its tree would still be the whole file)
        if relaxng.validate(work if nested else work.getroottree()):
            return findings, False, misplaced, to_orig
        entries = [(e, _node(work, e)) for e in relaxng.error_log]
        if to_orig is None:  # first error: from now on work on a copy
            work, to_orig = copy_tree(root)
            back = {id(o): w for w, o in to_orig.values()}
            entries = [(e, back.get(id(n)) if n is not None else None) for e, n in entries]
        new = 0
        stop = False
        for entry, node in entries:
            kind = messages.classify(entry.type_name)
            if node is None:
                node = work
            if kind == "incomplete" or entry.type_name.endswith("EXTRACONTENT"):
                if _echoes_child(node, entries):
                    continue
            if entry.type_name.endswith("EXTRACONTENT"):
                if messages.extra_is_text(node, entry.message):
                    kind = "text"   # stray character data (libxml2 also says so as TEXTWRONG)
                else:
                    child = _child_named(node, messages.raw_extra_child(entry.message))
                    node = child if child is not None else node
            original = to_orig[id(node)][1] if id(node) in to_orig else root
            attr = None
            if kind == "attribute":
                local = messages.raw_attribute_name(entry.message)
                attr = messages.rejected_attribute(node, local, grammar) if local else None
            if attr == XML_ID and _NCNAME.fullmatch(node.get(XML_ID, "")):
                repair(kind, node, attr)  # a well-formed id used twice: the id rule (E304) says so
                new += 1  # validate again: libxml2 skipped the element's other attributes
                continue
            key = (id(original), kind, attr)
            if key in seen or (id(original) in repaired and kind not in ("attribute", "value")):
                continue
            if kind == "incomplete" and id(original) in emptied:
                continue
            seen.add(key)
            new += 1
            if original is root and kind in ("unexpected", "namespace"):
                if not nested:   # (a misplaced element is not the document's root)
                    findings.append(Finding(messages.root_wording(original), original, "start", None, entry.message))
                stop = True
                continue
            findings.append(_finding(kind, original, attr, entry.message, grammar))
            if kind == "attribute" and attr and _disallowed(node, attr, grammar):
                findings.extend(_other_disallowed(node, original, attr, grammar, seen, MAX_FINDINGS + 1 - len(findings)))
                _strip_disallowed(node, grammar)
                repaired.add(id(original))
                continue
            if kind == "unexpected" and etree.QName(node).namespace and grammar.knows_element(etree.QName(node).localname):
                misplaced.append(node)
            parent = node.getparent()
            if kind in ("unexpected", "namespace") and parent is not None and id(parent) in to_orig \
                    and _may_come_later(node, parent, grammar):
                emptied.add(id(to_orig[id(parent)][1]))
            repair(kind, node, attr)
            if attr:
                repaired.add(id(original))
        if stop or not new:  # no progress: what is left repeats
            return findings, False, misplaced, to_orig
        if len(findings) > MAX_FINDINGS:
            break
    return findings, True, misplaced, to_orig


def _disallowed(element: etree._Element, key: str, grammar) -> bool:
    return grammar.allows_attribute(etree.QName(element).localname, key) is False


def _other_disallowed(node, original, attr: str, grammar, seen: set[tuple], room: int) -> list[Finding]:
    """The element's other attributes it may not carry (at most ``room``), found in one scan.

    Why at once: libxml2 reports one rejected attribute per element and round, so an element
    with 100,000 unknown attributes would take a validation of the whole file for each (and the
    message for each a scan of them all); the grammar names every one in a single pass.
    """
    name = etree.QName(node).localname
    found = []
    for key, _ in attributes(node):
        if len(found) >= room:
            break
        if key == attr or not _disallowed(node, key, grammar) or (id(original), "attribute", key) in seen:
            continue
        seen.add((id(original), "attribute", key))
        detail = f"Invalid attribute {etree.QName(key).localname} for element {name}"
        found.append(_finding("attribute", original, key, detail, grammar))
    return found


def _strip_disallowed(node: etree._Element, grammar) -> None:
    """Take every attribute the element may not carry off the copy, in one pass (deleting them
    one by one walks the attribute list each time)."""
    kept = [(key, value) for key, value in attributes(node) if not _disallowed(node, key, grammar)]
    node.attrib.clear()
    for key, value in kept:
        node.set(key, value)


def check_misplaced(side, misplaced: list, to_orig: dict, grammar, seen: set[tuple]) -> tuple[list[Finding], bool]:
    """The errors inside misplaced elements, each checked on its own against its declaration.

    jing goes on into an element that is not allowed where it stands and reports what is
    wrong inside it (a misplaced <choice> with one child is also incomplete); libxml2 does not,
    and the repair takes the element out. So each is validated as a document of its own, with
    ``side`` (the schema whose start is any of the file's elements), and so on down.
    """
    findings, cut_short = [], False
    queue = list(misplaced)
    while queue and len(findings) <= MAX_FINDINGS:
        relaxng = side()
        if relaxng is None:
            break
        node = queue.pop(0)
        original = to_orig[id(node)][1] if id(node) in to_orig else node
        found, short, more, _ = collect(relaxng, original, node, to_orig, grammar, seen, nested=True)
        findings.extend(found)
        cut_short |= short
        queue.extend(more)
    return findings, cut_short


def _may_come_later(child: etree._Element, parent: etree._Element, grammar) -> bool:
    """Whether the parent may hold an element of the child's name at all (somewhere else).

    jing then takes the misplaced element as standing where it may ("not allowed yet") and
    does not report the parent as incomplete; an element the parent may never hold is skipped,
    and what the parent then lacks is reported.
    """
    allowed = grammar.children(etree.QName(parent).localname)
    return allowed is None or etree.QName(child).localname in allowed


def _node(work: etree._Element, entry) -> etree._Element | None:
    node = resolve_libxml2_path(work, entry.path)
    if node is None and entry.line:
        node = next((el for el in work.iter(etree.Element) if el.sourceline == entry.line), None)
    return node


def _echoes_child(node: etree._Element, entries) -> bool:
    """True when another error of the round concerns an element inside ``node``."""
    return any(other is not None and other is not node and _inside(other, node) for _, other in entries)


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _child_named(node: etree._Element, name: str | None) -> etree._Element | None:
    for child in node.iterchildren(etree.Element):
        if etree.QName(child).localname == name:
            return child
    return None


def _finding(kind: str, element, attr, detail: str, grammar) -> Finding:
    if kind == "unexpected":
        return Finding(messages.unexpected(element, grammar), element, "start", None, detail)
    if kind == "incomplete":
        return Finding(messages.incomplete(element, grammar), element, "end", None, detail)
    if kind == "attribute" and attr:
        return Finding(messages.attribute(element, attr, grammar), element, "attribute", attr, detail)
    if kind == "text":
        return Finding(messages.text(element, grammar), element, "text", None, detail)
    if kind == "empty":
        name = etree.QName(element).localname
        return Finding(messages.Wording("empty", f"<{name}> must be empty"), element, "start", None, detail)
    if kind == "namespace":
        return Finding(messages.unexpected(element, grammar), element, "start", None, detail)
    name = etree.QName(element).localname
    return Finding(messages.Wording("other", f"<{name}> does not match the schema: {detail}"), element,
                   "start", None, detail)


def repair(kind: str, node: etree._Element, attr: str | None) -> None:
    """Change the copy so that validation can go on past this error."""
    if kind in ("unexpected", "namespace"):
        remove_keeping_tail(node)
    elif kind in ("attribute", "value") and attr in node.attrib:
        del node.attrib[attr]
    elif kind == "text":
        if node.text and node.text.strip():
            node.text = None
        for child in node:
            if child.tail and child.tail.strip():
                child.tail = None
    elif kind == "empty":
        node.text = None
        for child in list(node):
            node.remove(child)


def diagnostic(finding: Finding, source: SourceMap, path: str | Path) -> Diagnostic:
    element = finding.element
    if finding.where == "end":
        line, col = source.end(element)
    elif finding.where == "attribute":
        line, col = source.attribute(element, messages.qualified(element, finding.attribute))
    elif finding.where == "text":
        line, col = _first_text(element, source)
    else:
        line, col = source.start(element)
    wording = finding.wording
    return error(wording.code, f"{wording.message} (at {element_path(element)})", path, line, col,
                 hint=wording.hint, detail=finding.detail)


def _first_text(element: etree._Element, source: SourceMap) -> tuple[int, int | None]:
    """Where the first non-blank text directly inside the element starts."""
    pieces = [(element, False, element.text)] + [(c, True, c.tail) for c in element]
    for owner, tail, value in pieces:
        if value and value.strip():
            return source.text_offset(owner, tail, len(value) - len(value.lstrip()))
    return source.start(element)
