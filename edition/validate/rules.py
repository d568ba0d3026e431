"""The edition's integrity rules: one catalogue, each rule with a code and a one-line reason.

In: one parsed file (a ``runner.Source``) and, for the note rule, the set of elements the
edition's pointers name. Out: diagnostics. The rules are general TEI sense, not our own
conventions: they hold for any edition's files (apparatus in parallel segmentation, nested
``listWit``, witnesses declared in ``<front>``, notes attached by ``@target`` or by a pointer).
Cross-file rules (ids, pointers) live in ``edition.validate.pointers``, the checks for text left
over from extraction (W401–W403) in ``edition.validate.leftovers``.

A note that stands apart from the text (in ``<back>``, ``<front>`` or a notes division) must be
pointed to, or attach itself with ``@target``/``@targetEnd``/``@corresp``, or say that it is
unreferenced on purpose with ``@subtype="unreferenced"`` (or ``@type``).
"""

from __future__ import annotations

from itertools import compress
from operator import gt

from lxml import etree

from edition.diagnostics import Diagnostic, error, warning
from edition.tei.xmlio import TEI_NS, XML_ID
from edition.validate.messages import SCHEMA_CODES
from edition.validate.survey import (
    MILESTONES,
    NOTE_HOMES,
    Survey,
    TextSurvey,
    attached_or_marked,
)

T = f"{{{TEI_NS}}}"

# code → (severity, one-line explanation). Every diagnostic `edition validate` gives is here.
CATALOGUE: dict[str, tuple[str, str]] = {
    "E000": ("error", "the file cannot be read (missing, a folder, no permission)"),
    "E001": ("error", "the file is empty or not well-formed XML (or nests elements deeper than 256)"),
    "E002": ("error", "the file is not valid UTF-8 and declares no other encoding"),
    "E003": ("error", "the file declares entities in a DTD (XXE, entity expansion): refused"),
    "E004": ("error", "the file is larger than the validator's size limit"),
    "E200": ("error", "the RELAX NG schema cannot be read or compiled"),
    **{code: ("error", text) for code, text in SCHEMA_CODES.values()},
    "W210": ("warning", "an XInclude is not followed; its fallback is validated instead"),
    "W230": ("warning", "the schema check stopped early (too many errors); more errors may follow"),
    "W301": ("warning", "a pointer (@target, @targetEnd, @wit, @corresp, @source, @from, @to) names no xml:id"),
    "W302": ("warning", "a pointer gives a bare name without '#' (read as a file name)"),
    "W303": ("warning", "a pointer names a file that does not exist (or a bare word that is no xml:id)"),
    "E304": ("error", "an xml:id is used twice, in one file or across the edition"),
    "W305": ("warning", "a note standing apart from the text is never referenced"),
    "E306": ("error", "all readings of an <app> are identical"),
    "W307": ("warning", "a reading's @wit names a witness not declared in <listWit>"),
    "E308": ("error", "in parallel segmentation, an <app> leaves a witness unaccounted for"),
    "E309": ("error", "an <app> has more than one <lem>"),
    "E310": ("error", "a <head> has no text"),
    "E311": ("error", "a <p> has no text"),
    "W312": ("warning", "page numbers (<pb n>) go backwards"),
    "W313": ("warning", "line numbers (<lb n>) go backwards within a page"),
    "E314": ("error", "the header's title statement has no title text"),
    "E315": ("error", "the header's publication statement is empty"),
    "E316": ("error", "the header's source description is empty"),
    "W401": ("warning", "a word with every character doubled (left over from extraction)"),
    "W402": ("warning", "a line-end hyphen left in running text"),
    "W403": ("warning", "a note marker such as '(3)' in the text, not linked to its note"),
}

LEM, RDG, RDGGRP, NOTE = T + "lem", T + "rdg", T + "rdgGrp", T + "note"
FILE_DESC, TITLE_STMT, TITLE, WITNESS = T + "fileDesc", T + "titleStmt", T + "title", T + "witness"
READINGS = (LEM, RDG)
_NOT_READ = (NOTE, T + "witDetail")  # what a reading's signature leaves out


def check_file(source, referenced: set[str] | None) -> list[Diagnostic]:
    """Every per-file rule on one file (the note rule only when ``referenced`` is given).

    The rules read the facts of the file's ``Survey`` (one walk over the tree, ``survey.py``)
    and look at the tree again only around what may be a finding.
    """
    found: list[Diagnostic] = []
    survey = source.survey(rules=True)
    for header in survey.headers:
        found.extend(_header(header, source))
    for text in survey.texts:  # a nested <text> (in <group>) is covered by its ancestor
        found.extend(_empty(text, source))
        found.extend(_numbering(text, source, "pb", "W312", "page"))
        found.extend(_numbering(text, source, "lb", "W313", "line"))
        if referenced is not None:
            found.extend(_notes(text, source, referenced))
    found.extend(_apparatus(survey, source))
    return found


def unreferenced_notes(source, referenced: set[str]) -> list[Diagnostic]:
    """The note rule (W305) alone: what another file points to may have changed."""
    found: list[Diagnostic] = []
    for text in source.survey().texts:
        found.extend(_notes(text, source, referenced))
    return found


def _has_text(element: etree._Element) -> bool:
    """True when the element has text or any element other than a milestone."""
    if element.text and not element.text.isspace():
        return True  # the common cases, decided without walking the whole element
    for child in element:
        if child.tag not in MILESTONES or (child.tail and not child.tail.isspace()):
            return True
    if _some_text(element):
        return True
    return any(d.tag not in MILESTONES for d in element.iterdescendants(etree.Element))


def _some_text(element: etree._Element) -> bool:
    """True when the element holds any text but whitespace (read up to the first such piece)."""
    return any(piece.strip() for piece in element.itertext())


def _header(header, source) -> list[Diagnostic]:
    found = []
    file_descs = list(header.iterchildren(FILE_DESC))
    titles = list(_children(_children(file_descs, TITLE_STMT), TITLE))
    if titles and not any(_some_text(t) for t in titles):
        found.append(_at("E314", "the title statement has no title text", titles[0], source,
                         "give the work's title in <title>"))
    for name, code, hint in (("publicationStmt", "E315", "say who publishes the file, e.g. <publisher> or <p>"),
                             ("sourceDesc", "E316", "describe the source, e.g. <bibl> or <p>Born digital.</p>")):
        element = next(_children(file_descs, T + name), None)
        if element is not None and not _some_text(element):
            found.append(_at(code, f"<{name}> is empty", element, source, hint))
    return found


def _children(elements, tag: str):
    """The children named ``tag`` of each element, in document order (``find``'s ``a/b`` without
    ElementPath's machinery, which costs more than these rules)."""
    for element in elements:
        yield from element.iterchildren(tag)


def _empty(text: TextSurvey, source) -> list[Diagnostic]:
    found = []
    for element in text.blank:  # the heads and paragraphs with no text before a first child
        if not _has_text(element):
            name = etree.QName(element).localname
            found.append(_at("E310" if name == "head" else "E311", f"<{name}> has no text", element, source,
                             "fill it in or remove the element"))
    return found


def _numbering(text: TextSurvey, source, name: str, code: str, what: str) -> list[Diagnostic]:
    """Numbered pb/lb must not go backwards (per edition @ed/@edRef; lines restart at a page)."""
    # Without @ed/@edRef on any break every break is in one group, and the test on the whole
    # sequence below decides; the file's bytes are searched only when some break has one.
    per_edition = text.grouped and source.has_editions
    if (name == "pb" or not per_edition) and _never_backwards(text.pages if name == "pb" else text.lines, name):
        return []
    found = []
    last: dict[tuple, int] = {}
    tags = {T + name, T + "pb"} if name == "lb" else {T + name}
    pb = T + "pb"
    for element in text.element.iter(*tags):  # a walk, only for numbers that go back
        if name == "lb" and element.tag == pb:
            last.clear()  # line numbers may restart on each page
            continue
        n = element.get("n")
        if n is None or not n.isdigit():
            continue
        group = (element.get("ed"), element.get("edRef")) if per_edition else None
        value = int(n)
        previous = last.get(group)
        if previous is not None and value < previous and not (name == "lb" and value == 1):
            found.append(warning(code, f"<{name} n=\"{n}\"> comes after {what} {previous}: the numbering goes "
                                 "backwards", source.path, *source.start(element),
                                 hint="correct @n, or mark a new sequence with @ed/@edRef"))
        last[group] = value
    return found


def _never_backwards(numbers: list[str], name: str) -> bool:
    """True when the numbers (@n) of all pb (or lb) of the text, in one sequence, never go back.

    Then no group (per @ed) goes back either, and page breaks only make the line rule looser,
    so the exact check above is needed only when this says False. (map/compress: no Python
    step per break.)
    """
    if "".join(numbers).isdigit() and "" not in numbers:
        values = list(map(int, numbers))  # the common case: every @n is a number
    else:
        values = list(map(int, filter(str.isdigit, numbers)))
    backwards = set(compress(values[1:], map(gt, values, values[1:])))
    return not backwards or (name == "lb" and backwards == {1})


def _notes(text: TextSurvey, source, referenced: set[str]) -> list[Diagnostic]:
    if all(map(referenced.__contains__, text.notes)):
        return []  # every note apart is pointed to (a note without an id never is)
    found = []
    for note in text.element.iter(NOTE):
        if note.get(XML_ID) in referenced:
            continue
        parent = note.getparent()
        if parent is None or parent.tag not in NOTE_HOMES or not _in_notes_section(note):
            continue  # a note inside running text is anchored where it stands
        if attached_or_marked(note):
            continue
        label = note.get("{http://www.w3.org/XML/1998/namespace}id") or note.get("n") or ""
        found.append(warning("W305", f"note {label!r} is never referenced".replace("note '' ", "a note "),
                             source.path, *source.start(note),
                             hint="link it from the text (<ref target=\"#id\">), attach it with @target, "
                                  "or mark it subtype=\"unreferenced\""))
    return found


def _in_notes_section(note) -> bool:
    for ancestor in note.iterancestors():
        if ancestor.tag in (T + "back", T + "front"):
            return True
        if ancestor.tag.startswith(T + "div") and "note" in (ancestor.get("type") or "").lower():
            return True
    return False


def _readings(app) -> list[etree._Element]:
    """The app's own readings (through rdgGrp), not those of nested apps."""
    out = []
    for child in app.iterchildren(etree.Element):
        if child.tag in READINGS:
            out.append(child)
        elif child.tag == RDGGRP:
            out.extend(_readings(child))
    return out


def _identical(readings: list) -> bool:
    """True when all readings have the same signature (decided at the first that differs)."""
    first = _signature(readings[0])
    return all(_signature(reading) == first for reading in readings[1:])


def _signature(reading) -> str:
    """A reading's text and markup (notes and witness details left out)."""
    if len(reading) == 0:
        return " ".join((reading.text or "").split())  # the common case: plain text
    return " ".join("".join(_marked_text(reading)).split())


def _marked_text(element) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _NOT_READ:
            name = etree.QName(child).localname
            parts.append(f"<{name}>")  # "ovil<add>i</add>" records more than "ovili"
            parts.extend(_marked_text(child))
            parts.append(f"</{name}>")
        parts.append(child.tail or "")
    return parts


def _apparatus(survey: Survey, source) -> list[Diagnostic]:
    found = []
    parallel = any(v.get("method") == "parallel-segmentation" for v in survey.variant_encodings)
    members = _witness_members(survey) if parallel else {}
    expand = _Expansions(members)
    for app in survey.apps:
        readings, grouped, commented = [], False, False
        for child in app:  # one look at each child (a tag-filtered iterator costs more to set up)
            tag = child.tag
            if tag in READINGS:
                readings.append(child)
            elif tag == RDGGRP:
                grouped = True
            elif tag == NOTE:
                commented = True  # an entry kept for its note, not a variant
        if grouped:
            readings = _readings(app)
            lemmas = [r for r in readings if r.tag == LEM]
            # a second <lem> directly in <app> is already a schema error; inside <rdgGrp> it is not
            if len(lemmas) > 1 and any(lem.getparent() is not app for lem in lemmas):
                found.append(_at("E309", f"<app> has {len(lemmas)} <lem> elements; at most one is allowed",
                                 lemmas[1], source, "make the other readings <rdg>"))
        if len(readings) > 1 and not commented and _identical(readings):
            found.append(_at("E306", "all readings of this <app> are identical", app, source,
                             "an apparatus entry records a difference: remove the <app> or correct a reading"))
        if members:
            found.extend(_unaccounted(app, readings, expand, source))
    return found


def _witness_members(survey: Survey) -> dict[str, set[str]]:
    """Each declared witness (or group) id → the individual witness ids it stands for."""
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    members: dict[str, set[str]] = {}
    for group in survey.list_wits + survey.witnesses:
        leaves = {w.get(xml_id) for w in group.iter(WITNESS) if w.get(xml_id)
                  and next(w.iterdescendants(WITNESS), None) is None}
        if group.tag == WITNESS and not leaves and group.get(xml_id):
            leaves = {group.get(xml_id)}
        if group.get(xml_id):
            members[group.get(xml_id)] = leaves
    members[""] = {w for ws in members.values() for w in ws}  # every witness
    return members


class _Expansions(dict):
    """@wit value → the individual witnesses it names (a few values recur in every <app>)."""

    def __init__(self, members: dict[str, set[str]]):
        super().__init__()
        self.members = members

    def __call__(self, value: str | None) -> set[str] | None:
        """The witnesses of a @wit (None without one); the sets returned are shared: read only."""
        if value is None:
            return None
        out = self.get(value)
        if out is None:
            out = self[value] = set()
            for token in value.split():
                out |= self.members.get(token.removeprefix("#"), {token.removeprefix("#")})
        return out


def _unaccounted(app, readings, expand: _Expansions, source) -> list[Diagnostic]:
    """In parallel segmentation each witness of the unit must have a reading."""
    enclosing = next(app.iterancestors(*READINGS), None)
    expected = expand.members[""] if enclosing is None else expand(enclosing.get("wit"))
    sets = [expand(r.get("wit")) for r in readings]
    if not expected or any(s is None for s in sets):
        return []  # a reading without @wit stands for the remaining witnesses
    missing = expected - set().union(*sets)
    if not missing:
        return []
    names = ", ".join(f"#{m}" for m in sorted(missing))
    return [_at("E308", f"<app> has no reading for {names}", app, source,
                "add the witness to the @wit of the reading it supports")]


def _at(code: str, message: str, element, source, hint: str | None = None) -> Diagnostic:
    line, col = source.start(element)
    make = error if CATALOGUE[code][0] == "error" else warning
    return make(code, message, source.path, line, col, hint=hint)


def explain(code: str) -> str:
    """The one-line explanation of a code (for ``--verbose`` and the docs)."""
    return CATALOGUE.get(code, ("", "unknown code"))[1]
