"""No more than two hyphenated lines in a row: a guard over the layout passes (``linekeys``).

In: what a layout pass read of every block of the texts (``linekeys.read_layout``: each line,
where it starts in its block's characters, whether it ends in a hyphen the layout added).
Out: fixes for the next pass,
``{"k12@345": "nohy"}``: the word that breaks at character 345 of block ``k12`` is not to be
hyphenated (``apply_word_fixes`` wraps it in ``span.lk-nohy``, ``hyphens: manual`` in the print
stylesheet), where it would be the third line in a row to end in a hyphen the layout added.

Why passes: CSS's ``hyphenate-limit-lines`` would say it, but WeasyPrint does not implement
it, and ``hyphenate-limit-chars`` made the line breaks of a keyed layout oscillate. Within the
layout hooks (``footnotes.ordered_footnotes``) the lines are broken with the limit already
(``hyphenlimit``), so this guard finds a run only where that missed one. A fix is
kept for every later pass and never undone, so the set of fixes only grows and the passes
cannot go to and fro: each pass either adds a word, gives one up for good (a word kept whole
that ran past the margin), or finds no run of three. The run is
counted over the lines of one block, across a page break too (a reader meets them in a row).
"""

from __future__ import annotations

from lxml import etree
from weasyprint.formatting_structure import boxes

from edition.render.pdf.printhtml import Stream, is_hidden

MAX_RUN = 2          # hyphenated lines in a row a block may have
FIX = "nohy"
OFF = "off"          # a word fix given up (``ladder_fixes``)


def runs(reading) -> list[list[tuple[str, int]]]:
    """The runs of lines in a row ending in an added hyphen, longer than ``MAX_RUN``, in a
    ``linekeys.Reading`` of every block: each line as (block key, stream position where its
    broken word goes on)."""
    found: list[list[tuple[str, int]]] = []
    run: list[tuple[str, int]] = []
    last_key = None
    for line, following in _with_next(reading.lines):
        if line.key != last_key:
            run = []
        last_key = line.key
        if line.hyphenated and following is not None and following.start is not None:
            run.append((line.key, following.start))
            if len(run) == MAX_RUN + 1:
                found.append(list(run))
        else:
            run = []
    return found


def _with_next(lines):
    """Each line with the next line of its block (None for a block's last)."""
    after: dict[str, object] = {}
    pairs = []
    for line in reversed(lines):
        pairs.append((line, after.get(line.key)))
        after[line.key] = line
    return reversed(pairs)


def ladder_fixes(reading, fixes: dict[str, str]) -> dict[str, str]:
    """The fixes for the next pass (see the module's docstring), none that ``fixes`` has:
    - a word kept whole that now runs past the measure (WeasyPrint, unable to break before a
      long word after it, breaks that word past the margin) is given up (``OFF``);
    - of each run, the last line's word is kept whole, or, when that was given up, the one of
      the line before it; a run whose words were all tried is left as it is."""
    wanted = {}
    for line, following in _with_next(reading.lines):
        if not line.overflows or line.start is None:
            continue
        end = following.start if following is not None and following.start is not None else 1 << 30
        for name, fix in fixes.items():
            key, _, at = name.partition("@")
            if fix == FIX and key == line.key and at.isdigit() and line.start <= int(at) <= end:
                wanted[name] = OFF
    for run in runs(reading):
        for key, at in reversed(run):
            name = f"{key}@{at}"
            if name not in fixes:
                wanted.setdefault(name, FIX)
                break
    return wanted


def apply_word_fixes(html_streams: dict[str, Stream], fixes: dict[str, str]) -> None:
    """Wrap each word named in ``fixes`` (``"key@position"``) in ``span.lk-nohy``; a fix that
    names no word of this tree (a seed from other HTML) is passed over."""
    targets = []
    for name, fix in fixes.items():
        key, _, at = name.partition("@")
        stream = html_streams.get(key)
        if fix != FIX or stream is None or not at.isdigit() or not 0 < int(at) < len(stream.chars):
            continue
        targets.append((stream, int(at), name))
    # later words first in each text node, so that the offsets of earlier ones stay valid
    for stream, at, name in sorted(targets, key=lambda t: (id(t[0]), -t[1])):
        start = at - 1
        while start > 0 and not stream.word_start[start]:
            start -= 1
        end = at
        while end < len(stream.chars) and not stream.word_start[end]:
            end += 1
        _wrap(stream, start, end, name)


def _wrap(stream: Stream, start: int, end: int, name: str) -> None:
    """Wrap characters ``start``–``end`` of the stream, each text node's share on its own."""
    groups: dict[tuple, list[int]] = {}
    for index in range(start, end):
        holder, which, offset = stream.where[index]
        groups.setdefault((id(holder), which), []).append(index)
    for indices in sorted(groups.values(), key=lambda ix: -ix[0]):
        holder, which, first = stream.where[indices[0]]
        last = stream.where[indices[-1]][2] + 1
        span = etree.Element("span")
        span.set("class", "lk-nohy")
        span.set("data-lk-fix", FIX)
        span.set("data-lk-at", name)
        if which == "text":
            text = holder.text or ""
            holder.text, span.text, span.tail = text[:first], text[first:last], text[last:]
            holder.insert(0, span)
        else:
            text = holder.tail or ""
            span.text, span.tail = text[first:last], text[last:]
            holder.tail = text[:first]
            holder.addnext(span)
            holder.tail = text[:first]


def overflows(line, block) -> bool:
    """A line box's text runs past the measure of ``block``, the box that holds it
    (WeasyPrint breaks a word it cannot fit that way)."""
    if block is None:
        return False
    right = block.content_box_x() + block.width + 0.5
    return any(box.position_x + box.width > right for box in _text_boxes(line))


def _text_boxes(box):
    """The line's own text: not a margin number, a note call or other generated content."""
    if "::" in (box.element_tag or "") or (box.element is not None and is_hidden(box.element)):
        return
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", None) or ():
        yield from _text_boxes(child)
