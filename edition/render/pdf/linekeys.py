"""The line-keyed apparatus: number printed lines and key each variant to its line and page.

In: the print HTML (an lxml tree made from the shared TEI → HTML renderer's output) in which the
texts to number are ``<section class="lk-text" data-text="ID">``, and a ``render`` function
(HTML string → laid-out ``weasyprint.Document``). Out: the final laid-out document, with every
``interval``-th line numbered in the margin and, at the foot of each page, the apparatus entries
of the variants whose lemma is printed on that page (``12 paralysed] paralyzed P``).

CSS cannot count lines, so this takes passes (reledmac does the same with LaTeX runs):

1. Lay out the HTML as it is. Read each page's line boxes (WeasyPrint's ``Page._page_box``
   tree) and, for each line of the numbered texts, which characters of which block it holds
   and which lemmas (``.app > .lem``) stand on it.
2. Number the lines (restarting per text, or per page), insert a zero-width margin marker
   (``span.lk-ln``) in the line's first word every ``interval`` lines, and the apparatus of each
   printed line as a footnote (``span.lk-fn``) called where its first lemma stands, so that
   WeasyPrint puts it at the foot of that very page. Lay out again.
3. Read the new layout; when lines and pages of every lemma are the same as the ones the pass
   was built from, it is final; otherwise rebuild from the new reading (at most ``MAX_PASSES``).
   Texts without line numbers take these passes too when a footnote (note or entry) was
   printed on another page than its call (``footnotes.misplaced``): the block squeezed in at
   that page's foot gets looser widows/orphans, then, if needed, a page break before it.
   A layout that oscillates (A, B, A: a paragraph whose entries fit on a page only when it is
   not on it) gets the same fixes for the block that moves (``oscillating``), as LaTeX leaves a
   page short rather than go round; a fix made in the last pass is checked by one more
   (up to ``EXTRA_PASSES``), so a book-length text settles where it used to end with W701.
4. A word that would end the third hyphenated line in a row of a block is kept whole in the
   next pass (``hyphenruns``), in every text, numbered or not.

Characters are matched between the HTML and the layout by their non-space characters, so the
number markers go exactly where a line begins, whatever the hyphenation and justification did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lxml import etree
from lxml import html as lxml_html
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from edition.diagnostics import Diagnostic, warning
from edition.render.pdf.entries import EntryBuilder
from edition.render.pdf.footnotes import misplaced
from edition.render.pdf.hyphenruns import apply_word_fixes, ladder_fixes, overflows
from edition.render.pdf.printhtml import (
    KEY,
    Stream,
    classes,
    collapse_space,
    is_hidden,
    key_blocks,
    streams,
)
from edition.render.pdf.settle import LADDER, escalate, oscillating, returned  # noqa: F401 (seed, tests)
from edition.render.pdf.standoff import spans
from edition.render.pdf.units import LemmaPlace

MAX_PASSES = 4
EXTRA_PASSES = 3   # passes past MAX_PASSES to check a fix of the last one (each block is fixed twice at most)
AUTO_HYPHENS = "\u2010-\u00ad"


@dataclass
class Line:
    """One printed line of a numbered text."""

    page: int
    y: float
    key: str | None
    text_id: str
    start: int | None = None      # index in its block's stream of its first character
    number: int = 0
    hyphenated: bool = False      # ends in a hyphen the layout added (a word broken)
    overflows: bool = False       # runs past its block's measure


@dataclass
class Reading:
    """What one layout says: the lines, and where each lemma stands."""

    lines: list[Line]
    lemmas: dict[str, LemmaPlace]
    problems: list[str]

    def signature(self) -> tuple:
        """What the next pass depends on: lemma lines and line starts (pages only through numbers)."""
        return (tuple(sorted((k, v.first, v.last) for k, v in self.lemmas.items())),
                tuple((ln.key, ln.start, ln.number) for ln in self.lines))


def read_layout(document, owners: dict[str, str], html_streams: dict[str, Stream],
                restart: str = "text", first_line: int = 1) -> Reading:
    """Read the laid-out pages: the lines of the numbered texts and the lemmas on them.

    ``first_line``: the number of the first line (a piece of a text goes on from the one before)."""
    lines: list[Line] = []
    lemmas: dict[str, LemmaPlace] = {}
    problems: list[str] = []
    pointers: dict[str, int] = {}
    for page_index, page in enumerate(document.pages):
        body = page._page_box.children[0] if page._page_box.children else None
        for line, block in _line_boxes(body):
            key = line.element.get(KEY) if line.element is not None else None
            if key not in owners or "::" in (line.element_tag or ""):   # a list marker is no line
                continue
            record = Line(page_index, line.position_y, key, owners[key], overflows=overflows(line, block))
            _read_line(line, record, len(lines), html_streams.get(key), pointers, lemmas, problems)
            lines.append(record)
    for app_id, at in spans(lines, html_streams).items():   # @loc and @from/@to units, by their marks
        lemmas.setdefault(app_id, LemmaPlace(app_id, at.key, at.pos, at.first_index, at.last_index,
                                             texted=True, end=at.end))
    reading = Reading(lines, lemmas, problems)
    renumber(reading, restart, first_line)
    return reading


def renumber(reading: Reading, restart: str, first_line: int = 1) -> None:
    """Number the reading's lines from ``first_line`` and give each lemma its lines' numbers."""
    _number(reading.lines, restart, first_line)
    for place in reading.lemmas.values():
        place.page = reading.lines[place.first_index].page
        place.first = reading.lines[place.first_index].number
        place.last = reading.lines[place.last_index].number


def _line_boxes(box, block=None):
    """Each line box, with the block box that holds it."""
    if box is None:
        return
    if isinstance(box, boxes.LineBox):
        yield box, block
        return
    for child in getattr(box, "children", None) or ():
        yield from _line_boxes(child, box)


def _read_line(line_box, record: Line, index: int, stream: Stream | None, pointers: dict[str, int],
               lemmas: dict[str, LemmaPlace], problems: list[str]) -> None:
    """Match the line's characters to its block's stream; note the lemmas that start or go on here."""
    key = record.key
    pos = pointers.get(key, 0)
    record.start = pos
    apps: list[str] = []
    pieces: list[tuple[str, int]] = []   # (text, stream position) per text box, for the hyphen check

    def walk(box) -> None:
        nonlocal pos
        element = box.element
        tag = box.element_tag or ""
        if "::" in tag or isinstance(box, (AbsolutePlaceholder, boxes.BlockBox)) \
                or (element is not None and is_hidden(element) and not isinstance(box, boxes.TextBox)):
            return
        cls = classes(element) if isinstance(box, boxes.InlineBox) else set()
        pushed = False
        if "app" in cls and element.get("id"):
            apps.append(element.get("id"))
            pushed = True
        is_lemma = bool(apps) and ("lem" in cls or {"rdg", "base"} <= cls)
        if is_lemma:
            app_id = apps[-1]
            place = lemmas.get(app_id)
            texted = _has_text(box)
            if place is None:
                lemmas[app_id] = LemmaPlace(app_id, key, pos, index, index, texted=texted)
            elif texted and not place.texted:
                # A lemma's leading space may end the line above: it starts where its text does.
                place.first_index = place.last_index = index
                place.pos, place.texted = pos, True
            elif texted:
                place.last_index = index
        if isinstance(box, boxes.TextBox):
            text = "".join(ch for ch in box.text if not ch.isspace() and ch != "\u00ad")
            pieces.append((text, pos))
            pos += len(text)
        for child in getattr(box, "children", None) or ():
            walk(child)
        if pushed:
            apps.pop()

    for child in line_box.children:
        walk(child)
    # The layout adds a hyphen where it breaks a word: it is not in the HTML, so do not count it.
    if pieces and pieces[-1][0]:
        last = pieces[-1][0][-1]
        if last in AUTO_HYPHENS and (stream is None or pos - 1 >= len(stream.chars)
                                     or stream.chars[pos - 1] != last):
            pos -= 1
            record.hyphenated = True
    if stream is not None:
        printed = "".join(text for text, _ in pieces)[: pos - record.start]
        if printed != "".join(stream.chars[record.start:pos]):
            problems.append(f"block {key}: the printed line '{printed[:30]}' does not match the HTML")
    pointers[key] = pos
    if stream is not None and pos > len(stream.chars):
        problems.append(f"block {key}: the layout has more characters than the HTML")


def _has_text(box) -> bool:
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    return any(_has_text(c) for c in getattr(box, "children", None) or ())


def _number(lines: list[Line], restart: str, first_line: int = 1) -> None:
    """Number the lines 1, 2, … restarting at each text (and at each page if ``restart == 'page'``);
    the first text's from ``first_line`` when numbered per text."""
    previous = None
    n = first_line - 1 if restart == "text" else 0
    for line in lines:
        scope = (line.text_id, line.page) if restart == "page" else line.text_id
        if scope != previous:
            if previous is not None or restart == "page":
                n = 0
            previous = scope
        n += 1
        line.number = n


def insert_markers(tree, reading: Reading, interval: int) -> int:
    """Insert a margin number (``span.lk-ln``) in every ``interval``-th line; return how many."""
    by_key: dict[str, list[tuple[int, int]]] = {}
    found = streams(tree)
    ordered = reading.lines
    for i, line in enumerate(ordered):
        if line.number % interval or line.key is None or line.start is None:
            continue
        stream = found.get(line.key)
        if stream is None:
            continue
        nxt = next((ln.start for ln in ordered[i + 1:] if ln.key == line.key), len(stream.chars))
        at = next((j for j in range(line.start, min(nxt, len(stream.chars)))
                   if j == 0 or stream.word_start[j]), None)
        if at is None:
            continue  # the line holds only the end of a hyphenated word
        # After the line's first word, not before it: a zero-width box after a space would be
        # laid out at the end of the line above.
        end = min(nxt, len(stream.chars)) - 1
        while at < end and not stream.word_start[at + 1]:
            at += 1
        by_key.setdefault(line.key, []).append((at, line.number))
    count = 0
    for key, marks in by_key.items():
        stream = found[key]
        for at, number in sorted(marks, reverse=True):   # later first: earlier offsets stay valid
            holder, which, offset = stream.where[at]
            _insert_span(holder, which, offset + 1, _marker(number))
            count += 1
    return count


def _marker(number: int):
    span = etree.Element("span")
    span.set("class", "lk-ln")
    span.set("data-ln", str(number))
    span.set("aria-hidden", "true")
    return span


def _insert_span(holder, which: str, offset: int, span) -> None:
    if which == "text":
        text = holder.text or ""
        holder.text = text[:offset]
        span.tail = text[offset:]
        holder.insert(0, span)
    else:
        text = holder.tail or ""
        holder.tail = text[:offset]
        span.tail = text[offset:]
        holder.addnext(span)
        holder.tail = text[:offset]


@dataclass
class KeyedResult:
    """The final layout and what it took."""

    document: object
    passes: int
    entries: int
    markers: int
    diagnostics: list[Diagnostic]
    reading: Reading | None = None
    html: str = ""          # the HTML of the final pass


def keyed_layout(tree, render: Callable[[str], object], *, interval: int = 5, restart: str = "text",
                 types: list[str] | None = None, tiers: dict[str, str] | None = None,
                 source: str | None = None, first_line: int = 1) -> KeyedResult:
    """Lay out ``tree`` until line numbers and apparatus entries stand still (module doc);
    ``first_line``: the number of its first line (``read_layout``)."""
    owners = key_blocks(tree)
    base = _serialize(tree)
    diagnostics: list[Diagnostic] = []
    document = render(base)
    passes = 1
    found = streams(tree)
    reading = read_layout(document, owners, found, restart, first_line) if owners else None
    bad = misplaced(document)
    fixes: dict[str, str] = {}
    added = hyphen_fixes(document, found, fixes)
    if not owners and not bad and not added:
        return KeyedResult(document, passes, 0, 0, [], html=base)
    builder = EntryBuilder(tree, types, tiers)
    markers = entries = 0
    before = None   # the reading of two passes back
    limit = MAX_PASSES
    while passes < limit:
        if (escalate(fixes, bad) or added) and passes + 1 == limit:
            limit = min(limit + 1, MAX_PASSES + EXTRA_PASSES)   # a fix made now is checked by one more pass
        current = lxml_html.document_fromstring(base)
        _apply_fixes(current, fixes)
        if reading is not None:
            markers = insert_markers(current, reading, interval)
            entries = builder.insert(current, reading)
        html = _serialize(current)
        document = None   # the last layout's boxes are read: let them go before the next is made
        document = render(html)
        passes += 1
        bad = misplaced(document)
        found = streams(current)
        new = read_layout(document, owners, found, restart, first_line) if owners else None
        added = hyphen_fixes(document, found, fixes)
        settled = new is None or new.signature() == reading.signature()
        if not settled and returned(before, reading, new):   # A, B, A: the layout oscillates
            bad = {**oscillating(reading, new, fixes), **bad}
        before, reading = reading, new
        if settled and not bad and not added:
            break
    else:
        if bad or not settled:   # a run of hyphens left is no reason to warn
            diagnostics.append(unsettled(len(bad), source))
    diagnostics += numbering_problems(reading, source)
    return KeyedResult(document, passes, entries, markers, diagnostics, reading, html)


def hyphen_fixes(document, found: dict[str, Stream], fixes: dict[str, str]) -> dict[str, str]:
    """Words to keep whole so that no block has three hyphenated lines in a row
    (``hyphenruns``), added to ``fixes``; the ones added now."""
    added = ladder_fixes(read_layout(document, {key: key for key in found}, found), fixes)
    fixes.update(added)
    return added


def unsettled(misplaced: int, source: str | None) -> Diagnostic:
    """W701: the passes ran out with notes or entries still off their call's page."""
    return warning("W701", f"the page layout did not settle after {MAX_PASSES} passes or more: "
                           f"{misplaced} footnote(s) or apparatus entries may stand one page off",
                   source, hint="a different trim size may help")


def numbering_problems(reading: Reading | None, source: str | None) -> list[Diagnostic]:
    """W702: blocks of the layout that did not match their HTML, so their line numbers may be wrong."""
    return [warning("W702", f"line numbering: {problem}", source)
            for problem in sorted(set(reading.problems if reading else []))]


def _apply_fixes(tree, fixes: dict[str, str]) -> None:
    """Loosen widows/orphans of a block, or start it on a new page (see ``footnotes.misplaced``);
    keep a word whole (``hyphenruns``)."""
    if not fixes:
        return
    for el in tree.iter():
        if isinstance(el.tag, str) and el.get(KEY) in fixes:
            el.set("data-lk-fix", fixes[el.get(KEY)])
    if any("@" in name for name in fixes):   # a word's fix names its block and place: "k12@40"
        apply_word_fixes(streams(tree), fixes)


def _serialize(tree) -> str:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    collapse_space(root)   # every HTML laid out is collapsed (see printhtml.collapse_space)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")

