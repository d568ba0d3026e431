"""Which web page holds which part of a long text: one page per top-level division.

In: a text's TEI root, its id and the project's ``[html] split_above`` (a number of characters
of the text; ``None`` or 0: never split). Out: a ``PagePlan``: for a text above that size with
at least two top-level divisions, its parts in reading order (each the file it is published in,
``<id>.<n>.html``, and its label), and for any element of the text the file that holds it. A
short text, or one without divisions, has a single page, ``<id>.html``.

The web edition (``edition.render.chapters``) splits the rendered text by this plan and the
citation tools (``edition.citation``: ``resolve``, DTS, ``cite``) locate a passage with it, so
both name the same page for every id.

The parts: each ``div`` child of ``front``, ``body`` and ``back`` starts a part; what stands
before the first division of its container (a ``head``, a ``pb``) joins that division's part,
what follows a division joins it; a container without divisions is one part. A container that
holds one division holding several (the whole text in a ``div type="article"``, as ``edition
collate`` writes it) is read through it: its divisions are the parts, and it and what stands
beside it go with the first (or, after it, the last) part (``Level``). A witness's paratext
(a sourced part of ``front`` or ``back``, what a title page holds) makes no page: it is listed
after the text on the last page, and located there. The contents page
``<id>.html`` keeps the title, the contents and the downloads; elements outside every part (the
header) are located there. ``page_starts`` names the division that opens each part, which the
print sets on a new page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from edition.tei.text import plain_text
from edition.tei.vocabulary import DIVISIONS
from edition.tei.xmlio import TEI_NS, local_name

CONTAINERS = ("front", "body", "back")
_DEFAULT_LABEL = {"front": "Front matter", "body": "Text", "back": "Back matter"}


@dataclass
class Level:
    """A division that wraps a container's chapters (a whole-text ``div type="article"``): what
    stands before it (on the first page) and after it (on the last), at its parent's level."""

    wrapper: etree._Element
    before: list[etree._Element] = field(default_factory=list)
    after: list[etree._Element] = field(default_factory=list)


@dataclass
class Part:
    """One page of a split text: its number (1, 2 …), file, label and top-level elements."""

    number: int
    file: str
    label: str
    container: etree._Element                 # the text's front, body or back
    elements: list[etree._Element] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)    # the wrappers, outermost first
    first_of_container: bool = False          # carries the container's (and wrappers') ids
    last_of_container: bool = False


@dataclass
class PagePlan:
    """The pages of one text: none when it is published whole."""

    text_id: str
    parts: list[Part]
    size: int                                 # characters of the text
    _index: dict = field(default_factory=dict, repr=False)

    @property
    def split(self) -> bool:
        return bool(self.parts)

    @property
    def contents_file(self) -> str:
        return f"{self.text_id}.html"

    def part_of(self, el: etree._Element | None) -> Part | None:
        """The part holding an element (``None``: the contents page)."""
        while el is not None:
            part = self._index.get(el)
            if part is not None:
                return part
            el = el.getparent()
        return None

    def file_of(self, el: etree._Element | None) -> str:
        """The file of the page holding an element."""
        part = self.part_of(el) if self.split else None
        return part.file if part else self.contents_file


def text_size(text: etree._Element) -> int:
    """The characters of a ``<text>`` (its words and readings, white space collapsed)."""
    return sum(len(" ".join(chunk.split())) for chunk in text.itertext())


def _is_division(el: etree._Element) -> bool:
    """A division that makes a page (not a witness's paratext, which is listed apart)."""
    return local_name(el) in DIVISIONS and not _is_paratext(el)


def _is_paratext(el: etree._Element) -> bool:
    """A part of ``front`` or ``back`` that a witness prints around the text (it has a
    ``@source``), or a part of a title page: set apart after the text on the web
    (``edition.render.pdf.paratext``), so it is located on the text's last page."""
    parent = el.getparent()
    if parent is not None and local_name(parent) == "titlePage":
        return True
    return el.get("source") is not None and any(local_name(a) in ("front", "back") for a in el.iterancestors())


def _paratext(text: etree._Element) -> list[etree._Element]:
    found = []
    for container in text:
        if isinstance(container.tag, str) and local_name(container) in ("front", "back"):
            found += [el for el in container.iter() if isinstance(el.tag, str) and _is_paratext(el)
                      and not any(_is_paratext(a) for a in el.iterancestors())]
    return found


def _label(part_elements: list[etree._Element], container: etree._Element, number: int) -> str:
    """A part's label: its division's head, else its @n or @type, else what the container is."""
    div = next((e for e in part_elements if _is_division(e)), None)
    if div is not None:
        head = div.find(f"{{{TEI_NS}}}head")
        if head is not None and plain_text(head).strip():
            return " ".join(plain_text(head).split())
        named = div.get("n") or div.get("type")
        if named:
            return re.sub(r"^\w", lambda m: m.group().upper(), named)
    return f"{_DEFAULT_LABEL[local_name(container)]} ({number})" if div is not None else _DEFAULT_LABEL[local_name(container)]


def _groups(container: etree._Element) -> list[list[etree._Element]]:
    """The container's children grouped into parts (see the module's docstring)."""
    groups: list[list[etree._Element]] = []
    pending: list[etree._Element] = []
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if _is_division(child):
            if groups and not pending and not _has_division(groups[-1]):
                groups[-1].append(child)
            else:
                groups.append(pending + [child])
                pending = []
        elif groups and _has_division(groups[-1]) and not pending:
            groups[-1].append(child)       # after a division: it joins it
        else:
            pending.append(child)
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    return groups


def _has_division(group: list[etree._Element]) -> bool:
    return any(_is_division(e) for e in group)


def _levels(container: etree._Element) -> tuple[etree._Element, list[Level]]:
    """The element whose children are the pages and the wrappers down to it: a container (or
    division) holding one division that holds several is read through it (the chapters of a
    text in one ``div``)."""
    scope, levels = container, []
    while True:
        children = [c for c in scope if isinstance(c.tag, str)]
        divisions = [c for c in children if _is_division(c)]
        if len(divisions) != 1 or sum(1 for c in divisions[0] if isinstance(c.tag, str) and _is_division(c)) < 2:
            return scope, levels
        at = children.index(divisions[0])
        levels.append(Level(divisions[0], children[:at], children[at + 1:]))
        scope = divisions[0]


def page_plan(root: etree._Element, text_id: str, split_above: int | None) -> PagePlan:
    """The pages of a text (see the module's docstring); cached per tree and setting."""
    return _plan(root, text_id, int(split_above or 0))


@functools.lru_cache(maxsize=8)   # a few texts at a time (DTS and resolve ask for every passage)
def _plan(root: etree._Element, text_id: str, split_above: int) -> PagePlan:
    texts = root.findall(f"{{{TEI_NS}}}text")
    size = sum(text_size(t) for t in texts)
    plan = PagePlan(text_id, [], size)
    if not split_above or size <= split_above or len(texts) != 1:
        return plan
    containers = [c for c in texts[0] if isinstance(c.tag, str) and local_name(c) in CONTAINERS]
    groups = []
    for container in containers:
        scope, levels = _levels(container)
        found = _groups(scope)
        groups += [(container, levels, g, k == 0, k == len(found) - 1) for k, g in enumerate(found)]
    if sum(1 for *_, g, _, _ in groups if _has_division(g)) < 2:
        return plan     # nothing to split at: one page however long
    for number, (container, levels, elements, first, last) in enumerate(groups, 1):
        part = Part(number, f"{text_id}.{number}.html", _label(elements, container, number), container,
                    elements, levels, first, last)
        plan.parts.append(part)
        for el in elements:
            plan._index[el] = part
        if first:    # the container's and its wrappers' own ids, and what precedes them
            for el in [container] + [lv.wrapper for lv in levels] + [b for lv in levels for b in lv.before]:
                plan._index[el] = part
        if last:
            for el in (a for lv in levels for a in lv.after):
                plan._index[el] = part
    for el in _paratext(texts[0]):   # listed after the text, on its last page
        plan._index[el] = plan.parts[-1]
    return plan


def page_starts(plan: PagePlan) -> frozenset:
    """The division that opens each page (what print sets on a new page)."""
    return frozenset(next(e for e in p.elements if _is_division(e)) for p in plan.parts if _has_division(p.elements))
