"""One walk over a parsed file, gathering what the integrity rules look at.

In: the root of a parsed file. Out: a ``Survey``: the file's xml:ids (those in a header apart),
what its pointers name, its witness declarations, apparatus entries and headers, and for each
outermost ``<text>`` a ``TextSurvey``: its heads and paragraphs that may have no text, the
numbers of its page and line breaks, the ids of its notes that stand apart, and the text of
the elements the leftover checks leave alone.

Why one walk: on a large file a walk over the tree costs about as much as a whole rule, and
the rules used to walk it a dozen times. The facts are kept as strings wherever they can be:
each element object kept alive costs its creation, the garbage collector's visits and its
release, which on a large file add up to more than the walk. The rules (``pointers``,
``rules``, ``leftovers``) decide from these facts, and go back to the tree only to look closer
at what may be a finding (to say where it is, or to decide a rare case).

The walk goes in document order part by part (each child of a ``TEI``, or of a ``teiCorpus``
and its ``TEI``s), so it knows without asking each element whether an id is in a header and
which ``<text>`` a break belongs to.
"""

from __future__ import annotations

from lxml import etree

from edition.tei.xmlio import TEI_NS, XML_ID

T = f"{{{TEI_NS}}}"
HEADER, TEXT, TEI, CORPUS = T + "teiHeader", T + "text", T + "TEI", T + "teiCorpus"
POINTER_ATTRIBUTES = ("target", "targetEnd", "wit", "corresp", "source", "from", "to")
POINTER_SET = frozenset(POINTER_ATTRIBUTES)
RANGE = ("from", "to")  # pointers only on these elements; elsewhere page or line numbers
SPANNING = frozenset(T + name for name in ("app", "span", "join", "link", "alt", "timeline"))
# Elements whose own text is not running prose (links, code, numbers): no leftover checks there.
SKIP = frozenset(T + n for n in ("ref", "ptr", "code", "eg", "egXML", "formula", "num", "date", "idno", "measure"))
MILESTONES = frozenset(T + n for n in ("lb", "pb", "cb", "milestone", "anchor", "index"))
NOTE_HOMES = frozenset(T + n for n in ("back", "front", "listNote", "noteGrp", "div",
                                      *(f"div{i}" for i in range(1, 8))))

# What the walk reads of an element's attributes besides xml:id: its pointers, and @ed/@edRef
# (on a break: numbered per edition). A top's pointers are not read; a second walk over a text
# reads only @ed/@edRef (its ids and pointers are known).
_SPECIAL = frozenset((*POINTER_ATTRIBUTES, "ed", "edRef"))
_ID_ONLY = frozenset()
_TEXT_ONLY = frozenset(("ed", "edRef"))
LB = T + "lb"
_BREAKS = (T + "pb", LB)
_ATTACHING = frozenset(("target", "targetEnd", "corresp", "subtype", "type"))  # see attached_or_marked

# What the walk does with an element, by its tag (a dict lookup; no QName per element).
_APP, _VARIANTS, _LISTWIT, _WITNESS, _HEADER, _TEXT, _EMPTY, _PAGE, _LINE, _NOTE, _SKIPPED = range(11)
_EVERYWHERE = {T + "app": _APP, T + "variantEncoding": _VARIANTS, T + "listWit": _LISTWIT,
               T + "witness": _WITNESS, HEADER: _HEADER, TEXT: _TEXT}
_NOTES = {T + "note": _NOTE}
_IN_TEXT = {T + "head": _EMPTY, T + "p": _EMPTY, T + "pb": _PAGE, LB: _LINE, **_NOTES,
            **dict.fromkeys(SKIP, _SKIPPED)}


class TextSurvey:
    """What the per-text rules need from one outermost ``<text>`` (nested texts included)."""

    __slots__ = ("element", "blank", "pages", "lines", "grouped", "notes", "skipped")

    def __init__(self, element: etree._Element):
        self.element = element
        self.blank: list = []  # <head>/<p> with no text of their own whose first child is no help
        self.pages: list[str] = []  # @n of the <pb>s that have one, in document order
        self.lines: list[str] = []  # @n of the <lb>s that have one
        self.grouped = False  # some <pb>/<lb> names its edition (@ed, @edRef)
        self.notes: list[str | None] = []  # xml:ids of the notes in a place for notes apart, not attached
        self.skipped: list[str] = []  # the text of each element in SKIP (all of it if it has children)


class Survey:
    """The facts of one file, gathered in one walk.

    With ``rules=False`` only what the edition-wide checks need is gathered (ids, pointers,
    witnesses, notes): the per-file rules of an unchanged file come from their cache.
    """

    def __init__(self, root: etree._Element, rules: bool = True):
        self.root = root
        self.rules = rules
        self.header_ids: list[str] = []
        self.text_ids: list[str] = []  # ids outside a top-level teiHeader (the tops' own too)
        self.targets: list[str] = []  # the ids named by '#id' in pointers other than @wit
        self.other_pointers: list[tuple[str, str]] = []  # (attribute, token) of every other pointer
        self.apps: list = []
        self.variant_encodings: list = []
        self.list_wits: list = []
        self.witnesses: list = []
        self.headers: list = []  # every teiHeader
        self.texts: list[TextSurvey] = []  # every outermost <text>, in document order
        in_text = {**_EVERYWHERE, **(_IN_TEXT if rules else _NOTES)}
        apart = []  # outermost texts that are not a part of a TEI (a root <text>, a misplaced one)
        for element, top in _segments(root):
            if top:  # a top's own id counts as a text id; its pointers are not checked
                self._walk((element,), self.text_ids, _ID_ONLY, None, _EVERYWHERE, apart)
            elif element.tag == TEXT and next(element.iterancestors(TEXT), None) is None:
                facts = TextSurvey(element)
                self.texts.append(facts)
                self._walk(element.iter(etree.Element), self.text_ids, _SPECIAL, facts, in_text, apart)
            else:
                ids = self.header_ids if element.tag == HEADER else self.text_ids
                self._walk(element.iter(etree.Element), ids, _SPECIAL, None, _EVERYWHERE, apart)
        for facts in apart:  # rare: a second walk over that text for the per-text facts alone
            self._walk(facts.element.iter(etree.Element), [], _TEXT_ONLY, facts, _IN_TEXT if rules else _NOTES,
                       None)

    def pointing(self) -> list[etree._Element]:
        """The elements whose pointers were surveyed (a walk: only to report a finding).

        In the order the findings have always been reported: each top's parts, the
        ``teiCorpus``'s before those of its ``TEI``s.
        """
        tops = [self.root]
        if self.root.tag == CORPUS:
            tops += [child for child in self.root if child.tag == TEI]
        return [element for top in tops for part in top.iterchildren(etree.Element)
                if not (part.tag == TEI and top.tag == CORPUS)
                for element in part.iter(etree.Element) if not POINTER_SET.isdisjoint(element.keys())]

    def _walk(self, elements, ids: list, special: frozenset, facts: TextSurvey | None, dispatch: dict,
              apart: list | None) -> None:
        """Note each element's id and the attributes in ``special``, and hand it to the fact its
        tag belongs to.

        The loop runs once per element of the file: each test in it counts.
        """
        get_kind, xml_id, add_id = dispatch.get, XML_ID, ids.append
        pointers = special is _SPECIAL
        if facts is not None:
            add_blank, add_page, add_line = facts.blank.append, facts.pages.append, facts.lines.append
            add_note, add_skipped = facts.notes.append, facts.skipped.append
        # the most frequent element of a text, <lb n="…"/>, costs two calls (keys() would be a third)
        line = LB if dispatch.get(LB) == _LINE else None
        pending = None  # a head/p without text of its own: the next element may be its first child
        for element in elements:
            tag = element.tag
            if tag == line:
                n = element.get("n")
                if n is not None and len(element.attrib) == 1:
                    if pending is not None:  # (as below, for a milestone)
                        if element.getparent() is not pending or not element.tail or element.tail.isspace():
                            add_blank(pending)
                        pending = None
                    add_line(n)
                    continue
            keys = element.keys()
            if keys:
                if xml_id in keys:  # values(): no parsing of the attribute's name, as get() does
                    add_id(element.values()[keys.index(xml_id)])
                    more = len(keys) > 1
                else:
                    more = True
                if more and not special.isdisjoint(keys):
                    if pointers and not POINTER_SET.isdisjoint(keys):
                        self._pointers(element, keys)
                    if facts is not None and tag in _BREAKS and ("ed" in keys or "edRef" in keys):
                        facts.grouped = True
            if pending is not None:
                # what _has_text asks first: is the first child text-bearing, or followed by text?
                if element.getparent() is not pending or (tag in MILESTONES and (
                        not element.tail or element.tail.isspace())):
                    add_blank(pending)
                pending = None
            kind = get_kind(tag)
            if kind == _LINE:
                n = element.get("n")
                if n is not None:
                    add_line(n)
            elif kind is None:
                continue
            elif kind == _EMPTY:
                value = element.text
                if not value or value.isspace():
                    pending = element
            elif kind == _PAGE:
                n = element.get("n")
                if n is not None:
                    add_page(n)
            elif kind == _SKIPPED:  # (tostring() would cost a serialiser per element)
                add_skipped((element.text or "") if len(element) == 0 else "".join(element.itertext()))
            elif kind == _NOTE:
                parent = element.getparent()
                if parent is not None and parent.tag in NOTE_HOMES and (
                        _ATTACHING.isdisjoint(keys) or not attached_or_marked(element)):
                    add_note(element.values()[keys.index(xml_id)] if xml_id in keys else None)
            elif kind == _APP:
                self.apps.append(element)
            elif kind == _WITNESS:
                self.witnesses.append(element)
            elif kind == _LISTWIT:
                self.list_wits.append(element)
            elif kind == _VARIANTS:
                self.variant_encodings.append(element)
            elif kind == _HEADER:
                self.headers.append(element)
            elif facts is None and next(element.iterancestors(TEXT), None) is None:  # an outermost <text>
                apart.append(TextSurvey(element))
                self.texts.append(apart[-1])
        if pending is not None:
            add_blank(pending)

    def _pointers(self, element: etree._Element, keys: list[str]) -> None:
        """Sort the element's pointer tokens: '#id' (the common case, checked in bulk) or other."""
        add_target, add_other = self.targets.append, self.other_pointers.append
        for attr, value in zip(keys, element.values()):
            if attr in POINTER_SET and (attr not in RANGE or element.tag in SPANNING):
                for token in value.split():
                    if token[0] == "#" and attr != "wit":
                        add_target(token[1:])
                    else:
                        add_other((attr, token))


def attached_or_marked(note: etree._Element) -> bool:
    """True for a note that attaches itself to the text, or says it is unreferenced on purpose."""
    return any(note.get(a) for a in ("target", "targetEnd", "corresp")) or \
        "unreferenced" in (note.get("subtype"), note.get("type"))


def _segments(root: etree._Element):
    """(element, is a top) in document order: the root, and each child walked as one part.

    A ``TEI`` inside a ``teiCorpus`` is a top of its own, its children parts.
    """
    yield root, True
    for part in root.iterchildren(etree.Element):
        if root.tag == CORPUS and part.tag == TEI:
            yield part, True
            for child in part.iterchildren(etree.Element):
                yield child, False
        else:
            yield part, False
