"""A schema cut down to one file's elements: the fast yes/no answer before the full schema.

In: a RELAX NG schema (a parsed tree, kept per process) and the names of the elements a file
uses. Out: a compiled RELAX NG in which every element pattern for a name the file does not use
is replaced by ``<notAllowed/>``; it accepts the file exactly when the whole schema does.

Why it is the same answer: every RELAX NG operator is monotone, so replacing patterns by
``notAllowed`` can only shrink the set of documents a schema accepts (a file the cut schema
accepts, the whole schema accepts); and a file that the whole schema accepts is matched by
element patterns for its own elements only, which the cut keeps (so the cut schema accepts it
too). Element patterns whose name class is not a plain name (``anyName``, ``nsName``, choices)
are always kept.

Why bother: libxml2 compiles tei_all in about ten seconds (it builds automata for content
models that list hundreds of elements); a schema cut to the fifty-odd elements of a real file
compiles in about ten milliseconds. So a valid file, the common case, costs no compilation at
all. The cut schema's error messages are not the whole schema's (libxml2 cannot turn a content
model with ``notAllowed`` into an automaton, and reports differently without one), and it
validates more slowly: for the messages, and for very large files, ``hollow`` keeps every
content model of the file's elements (no ``notAllowed``), only narrowed to the names the file
uses; it compiles in a few hundredths of a second and reports what the whole schema reports.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ELEMENT, NAME, NOT_ALLOWED = f"{{{RNG_NS}}}element", f"{{{RNG_NS}}}name", f"{{{RNG_NS}}}notAllowed"
EMPTY = f"{{{RNG_NS}}}empty"
KEEP = 16   # compiled cut schemas kept per process (files of one edition share most element sets)

_compiled: OrderedDict[tuple, etree.RelaxNG] = OrderedDict()
_lock = threading.Lock()


def used_names(root: etree._Element) -> frozenset[tuple[str, str]]:
    """The (namespace, local name) of every element in the tree."""
    tags = {element.tag for element in root.iter(etree.Element)}
    return frozenset((tag[1:].split("}", 1)[0], tag.split("}", 1)[1]) if tag[0] == "{" else ("", tag)
                     for tag in tags)


def _inherited_ns(element: etree._Element) -> str:
    """The ``ns`` in force on a pattern: its own or the nearest ancestor's (RELAX NG §4.8)."""
    for node in (element, *element.iterancestors()):
        value = node.get("ns")
        if value is not None:
            return value
    return ""


def _plain_name(pattern: etree._Element) -> tuple[str, str] | None:
    """The (namespace, local name) an element pattern matches, or None for any other name class."""
    name = pattern.get("name")
    if name is not None:
        return None if ":" in name else (_inherited_ns(pattern), name.strip())
    first = next(pattern.iterchildren(f"{{{RNG_NS}}}*"), None)   # annotations are in other namespaces
    if first is None or first.tag != NAME or not (first.text or "").strip() or ":" in first.text:
        return None
    return _inherited_ns(first), first.text.strip()


def cut(schema: etree._ElementTree, used: frozenset[tuple[str, str]]) -> etree._ElementTree:
    """A copy of the schema without the element patterns for names not in ``used``.

    Each such pattern becomes ``notAllowed``, and a branch of a ``choice`` that can then never
    match is dropped. Leaving it in place would give the same answers, but libxml2 then turns
    fewer content models into automata and validated a 19 MB file thirty times slower (with the
    branches dropped, about ten times slower than the whole schema: see ``CUT_LIMIT``).
    """
    tree = copy.deepcopy(schema)
    tree.docinfo.URL = schema.docinfo.URL   # an <include> is found relative to the schema file
    for pattern in list(tree.iter(ELEMENT)):
        name = _plain_name(pattern)
        if name is not None and name not in used and pattern.getparent() is not None:
            _replace(pattern, NOT_ALLOWED)
    _drop_dead(tree.getroot())
    return tree


def _replace(pattern: etree._Element, tag: str) -> None:
    stand_in = etree.Element(tag)
    stand_in.tail = pattern.tail
    pattern.getparent().replace(pattern, stand_in)


def _patterns(element: etree._Element) -> list[etree._Element]:
    """The child patterns of a pattern (without annotations, or the name class of an element)."""
    children = list(element.iterchildren(f"{{{RNG_NS}}}*"))
    if etree.QName(element).localname in ("element", "attribute") and element.get("name") is None:
        children = children[1:]
    return children


class _Deadness:
    """Which patterns can match nothing, given the ``notAllowed`` put in (RELAX NG §4.20).

    A pattern in a cycle of references counts as live: that only keeps more of the schema.
    """

    ANY_DEAD = frozenset({"group", "interleave", "oneOrMore", "mixed", "list", "element", "attribute", "define"})

    def __init__(self, root: etree._Element):
        self.defines: dict[str, etree._Element] = {}
        repeated = set()
        for define in root.iter(f"{{{RNG_NS}}}define"):
            name = define.get("name", "")
            if name in self.defines or define.get("combine"):
                repeated.add(name)
            self.defines[name] = define
        for name in repeated:   # combined or nested-grammar definitions: always live
            self.defines.pop(name, None)
        self.memo: dict[etree._Element, bool] = {}   # the key keeps lxml's proxy (and its identity) alive
        self.busy: set[str] = set()

    def dead(self, pattern: etree._Element) -> bool:
        """True when the pattern matches nothing."""
        if pattern not in self.memo:
            self.memo[pattern] = self._dead(pattern)
        return self.memo[pattern]

    def _dead(self, pattern: etree._Element) -> bool:
        kind = etree.QName(pattern).localname
        if kind == "notAllowed":
            return True
        if kind == "ref":
            name = pattern.get("name", "")
            define = self.defines.get(name)
            if define is None or name in self.busy:
                return False
            self.busy.add(name)
            try:
                return self.dead(define)
            finally:
                self.busy.discard(name)
        if kind == "choice":
            children = _patterns(pattern)
            return bool(children) and all(self.dead(child) for child in children)
        if kind in self.ANY_DEAD:
            return any(self.dead(child) for child in _patterns(pattern))
        return False   # empty, text, data, value, zeroOrMore, optional, parentRef, externalRef, grammar


def _name_class(element: etree._Element) -> bool:
    """True for the parts of a name class (``choice`` of names, ``except`` of ``anyName``)."""
    parent = element.getparent()
    if parent is None or etree.QName(parent).namespace != RNG_NS:
        return False
    kind = etree.QName(parent).localname
    if kind in ("element", "attribute"):
        return parent.get("name") is None and next(parent.iterchildren(f"{{{RNG_NS}}}*"), None) is element
    return kind in ("anyName", "nsName", "except", "choice") and _name_class(parent)


def _drop_dead(root: etree._Element) -> None:
    """Drop the branches of each ``choice`` that can match nothing (not the last one)."""
    deadness = _Deadness(root)
    drops = []
    for choice in root.iter(f"{{{RNG_NS}}}choice"):
        if _name_class(choice):
            continue
        children = _patterns(choice)
        dead = [child for child in children if deadness.dead(child)]
        if dead and len(dead) < len(children):
            drops.extend(dead)
    for pattern in drops:
        pattern.getparent().remove(pattern)


def hollow(schema: etree._ElementTree, used: frozenset[tuple[str, str]]) -> etree._ElementTree:
    """A copy of the schema for the messages about a file that uses the elements in ``used``.

    Unlike ``cut``, it puts no ``notAllowed`` anywhere, so libxml2 builds automata for the
    same content models as with the whole schema and reports the same errors at the same
    places. An element the file does not use keeps its name but holds nothing (its content
    model is never compiled), and a ``choice`` loses the branches that can only be such
    elements (keeping one, so that no position of a content model is left empty). What the
    file's elements may contain, among the names the file uses, is unchanged. libxml2 then
    compiles the content models of a real file's elements in a few hundredths of a second,
    where tei_all takes about ten seconds.
    """
    tree = copy.deepcopy(schema)
    tree.docinfo.URL = schema.docinfo.URL
    for pattern in list(tree.iter(ELEMENT)):
        name = _plain_name(pattern)
        if name is None or name in used:
            continue
        name_class = pattern.get("name") is None
        for position, child in enumerate(list(pattern)):
            if (name_class and position == 0) or not isinstance(child.tag, str):
                continue   # (the element's <name>, comments)
            if etree.QName(child).namespace == RNG_NS:
                pattern.remove(child)
        etree.SubElement(pattern, EMPTY)
    _narrow_choices(tree.getroot(), used)
    return tree


def _narrow_choices(root: etree._Element, used: frozenset[tuple[str, str]]) -> None:
    """Drop the branches of each choice that match only elements not in ``used`` (keep one)."""
    defines: dict[str, list[etree._Element]] = {}
    for define in root.iter(f"{{{RNG_NS}}}define"):
        defines.setdefault(define.get("name", ""), []).append(define)
    memo: dict[etree._Element, bool] = {}   # (the key keeps lxml's proxy, and its identity, alive)

    def unused(pattern: etree._Element, busy: frozenset = frozenset()) -> bool:
        """True for a pattern that can only be one element the file does not use."""
        if pattern in memo:
            return memo[pattern]
        kind = etree.QName(pattern).localname
        if kind == "element":
            name = _plain_name(pattern)
            found = name is not None and name not in used
        elif kind == "ref":
            name = pattern.get("name", "")
            found = (name not in busy and len(defines.get(name, [])) == 1
                     and _only_unused(_patterns(defines[name][0]), unused, busy | {name}))
        elif kind == "choice":
            found = _only_unused(_patterns(pattern), unused, busy)
        else:
            found = False
        memo[pattern] = found
        return found

    for choice in list(root.iter(f"{{{RNG_NS}}}choice")):
        if _name_class(choice):
            continue
        branches = _patterns(choice)
        drop = [branch for branch in branches if unused(branch)]
        for branch in drop[1:] if len(drop) == len(branches) else drop:
            choice.remove(branch)


def _only_unused(patterns: list, unused, busy: frozenset) -> bool:
    return bool(patterns) and all(unused(p, busy) for p in patterns)


def hollowed(schema: etree._ElementTree, digest: str, used: frozenset[tuple[str, str]]) -> etree.RelaxNG:
    """The compiled ``hollow`` schema for these element names (kept per process, like the cut ones)."""
    return _kept(("hollow", digest, used), lambda: etree.RelaxNG(hollow(schema, used)))


def _kept(key, compile_it):
    """The compiled schema under ``key``, compiled by ``compile_it`` the first time (the last
    ``KEEP`` kept per process; a None result, a schema that cannot be made, is not kept)."""
    with _lock:   # held while compiling, so that threads validating alike compile it once
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
        relaxng = compile_it()
        if relaxng is not None:
            _compiled[key] = relaxng
            if len(_compiled) > KEEP:
                _compiled.popitem(last=False)
        return relaxng


def any_root(schema: etree._ElementTree, digest: str, used: frozenset[tuple[str, str]]) -> etree.RelaxNG | None:
    """The ``hollow`` schema whose start is any element in ``used`` that a ``define`` declares.

    For checking an element that stands where the schema does not allow it against its own
    declaration, as jing does. None when no such ``define`` is at the top of the grammar.
    """
    return _kept(("any-root", digest, used), lambda: _any_root(schema, used))


def _any_root(schema: etree._ElementTree, used: frozenset[tuple[str, str]]) -> etree.RelaxNG | None:
    tree = hollow(schema, used)
    root = tree.getroot()
    start = root.find(f"{{{RNG_NS}}}start")
    names = [define.get("name") for define in root.iterchildren(f"{{{RNG_NS}}}define")
             if any(_plain_name(child) in used for child in define.iterchildren(ELEMENT))]
    if start is None or not names:
        return None
    for child in list(start):
        start.remove(child)
    choice = etree.SubElement(start, f"{{{RNG_NS}}}choice")
    for name in names:
        etree.SubElement(choice, f"{{{RNG_NS}}}ref", name=name)
    return etree.RelaxNG(tree)


def accepts(schema: etree._ElementTree, digest: str, tree: etree._ElementTree) -> bool:
    """True when the schema accepts the file (decided with the schema cut to its elements).

    Raises ``etree.RelaxNGParseError`` when the cut schema does not compile; the caller then
    uses the whole schema.
    """
    used = used_names(tree.getroot())
    return _kept((digest, used), lambda: etree.RelaxNG(cut(schema, used))).validate(tree)
