"""No more than two hyphenated lines in a row, decided as WeasyPrint breaks the lines.

In: WeasyPrint 70's line breaking (``layout.inline.get_next_linebox``, one line of a block, and
``split_first_line``, one text of it), wrapped for the time of one layout by ``footnotes``
(``ordered_footnotes``). Out: the same lines, except that a line that would be the third in a
row of its block to end in a hyphen the layout added is broken without hyphenating (as if its
text had ``hyphens: manual``), which is what CSS's ``hyphenate-limit-lines: 2`` says and
WeasyPrint does not implement.

Why here: the guard over the passes (``hyphenruns``) finds such a run only after a layout and
keeps the word whole in the next pass, whose lines then differ from the ones the line numbers
were read from: a cold keyed layout took one pass more for it (a 19-page article: 3 instead of 2). Decided
while the lines are made, the first layout has no run to fix. ``hyphenruns`` stays as the guard
(a run this misses still costs a pass, never a wrong page).

A run is counted over the lines of one block, across a page break too (a reader meets them in
a row): each line's count is kept by where the next line starts (its block and WeasyPrint's
skip stack), so the line that starts a page finds the count of the line that ended the page
before. A line broken without hyphens that runs past the measure (a word too long for it) is
made again as it was: a hyphen is better than a word in the margin.
"""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from edition.render.pdf.hyphenruns import overflows

MAX_RUN = 2   # hyphenated lines in a row a block may have (as ``hyphenruns``)
_STORE = "_edition_hyphen_runs"
_FORBID = [False]   # the line being made is not to end in an added hyphen


def _frozen(skip_stack):
    if skip_stack is None:
        return None
    return tuple(sorted((key, _frozen(value)) for key, value in skip_stack.items()))


def _last_text(box):
    """The last text box of the line's own text (not generated content, not out of flow)."""
    if "::" in (box.element_tag or ""):
        return None
    if isinstance(box, boxes.TextBox):
        return box
    for child in reversed(getattr(box, "children", None) or ()):
        if isinstance(child, (boxes.BlockBox,)) or not child.style["float"] == "none" \
                or child.style["position"] in ("absolute", "fixed"):
            continue
        found = _last_text(child)
        if found is not None:
            return found
    return None


def _hyphenated(line, resume_at) -> bool:
    """The line ends in a hyphen the layout added (a word broken, also at a soft hyphen)."""
    if resume_at is None:
        return False
    text = _last_text(line)
    return text is not None and bool(text.text) and text.text.endswith(text.style["hyphenate_character"])


def limit_lines(original):
    """``get_next_linebox`` that counts each block's hyphenated lines in a row (module doc)."""
    def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack, containing_block,
                         absolute_boxes, fixed_boxes, *args):
        if linebox.style["hyphens"] != "auto":
            return original(context, linebox, position_y, bottom_space, skip_stack, containing_block,
                            absolute_boxes, fixed_boxes, *args)
        runs = context.__dict__.setdefault(_STORE, {})
        block = id(linebox.element)
        run = runs.get((block, _frozen(skip_stack)), 0)
        line = resume_at = None
        if run >= MAX_RUN:
            absolute, fixed = len(absolute_boxes), len(fixed_boxes)
            _FORBID[0] = True
            try:
                line, resume_at = original(context, linebox, position_y, bottom_space, skip_stack,
                                           containing_block, absolute_boxes, fixed_boxes, *args)
            finally:
                _FORBID[0] = False
            if line is not None and overflows(line, containing_block):
                del absolute_boxes[absolute:], fixed_boxes[fixed:]   # made again: collected again
                line = None
        if line is None:
            line, resume_at = original(context, linebox, position_y, bottom_space, skip_stack, containing_block,
                                       absolute_boxes, fixed_boxes, *args)
        if line is not None and resume_at is not None:
            runs[(block, _frozen(resume_at))] = run + 1 if _hyphenated(line, resume_at) else 0
        return line, resume_at
    return get_next_linebox


def no_hyphens_when_told(original):
    """``split_first_line`` that breaks without hyphenating while a line must not end in one."""
    def split_first_line(text, style, *args, **kwargs):
        if not _FORBID[0] or style["hyphens"] != "auto":
            return original(text, style, *args, **kwargs)
        style["hyphens"] = "manual"
        try:
            return original(text, style, *args, **kwargs)
        finally:
            style["hyphens"] = "auto"
    return split_first_line
