"""The footnote area's height in linear time (a replacement for WeasyPrint 70's relayout).

In: WeasyPrint's ``LayoutContext._update_footnote_area`` (installed by ``footnotes`` for one
layout), called each time a footnote joins or leaves the page. Out: the same page bottom, area
height and overflow answer, without laying out the whole area again.

WeasyPrint lays out every footnote of the page each time one is added: with k footnotes on a
page that is k(k+1)/2 footnote layouts, and, since the inline footnotes of a tier (the
apparatus entries, ``footnote-display: inline``) make one paragraph whose every line is split
again, most of a dense page's layout time. Here the area is cut into segments: each block
footnote alone, each run of inline footnotes (one paragraph) together. A segment is laid out
once and its height kept; a run that grows by one footnote at its end is laid out again only
from the start of its last line (the lines before it cannot change: lines are filled greedily),
with WeasyPrint's own skip stack. The area is then laid out by WeasyPrint itself, as before,
but over empty stand-in blocks of the segments' heights and margins, so that margin collapsing
and the overflow test stay WeasyPrint's. The same change as a patch to WeasyPrint:
``docs/weasyprint-linear-footnote-area.diff``.
"""

from __future__ import annotations

from math import inf

from weasyprint.css import AnonymousStyle
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout.block import block_level_layout

_STORE = "_edition_footnote_segments"


class _Run:
    """A laid-out run of inline footnotes: its height and where its last line starts."""

    __slots__ = ("height", "prefix", "resume")

    def __init__(self, height: float, prefix: float, resume):
        self.height = height      # the paragraph's height
        self.prefix = prefix      # the height of its lines but the last
        self.resume = resume      # the skip stack where its last line starts (None: one line)


def _segments(footnotes) -> list[tuple] | None:
    """The footnotes as segments: (block,) or a run of inline ones; None if neither."""
    out: list[tuple] = []
    run: list = []
    for footnote in footnotes:
        if isinstance(footnote, boxes.InlineBox):
            run.append(footnote)
            continue
        if not isinstance(footnote, boxes.BlockBox):
            return None
        if run:
            out.append(tuple(run))
            run = []
        out.append((footnote,))
    if run:
        out.append(tuple(run))
    return out


def _layout(context, children, skip_stack=None):
    """An area holding ``children`` alone, laid out (margins as styled: not a page's first box)."""
    area = context.current_footnote_area.copy()
    area.children = list(children)
    area = build.create_anonymous_boxes(area.deepcopy())
    return block_level_layout(context, area, -inf, skip_stack, context.current_footnote_area.page,
                              page_is_empty=False)[0]


def _measure_block(context, footnote) -> tuple[float, float, float]:
    child = _layout(context, [footnote]).children[0]
    return child.border_height(), child.margin_top, child.margin_bottom


def _run_from_lines(laid, prefix: float, previous) -> _Run:
    lines = [line for line in laid.children if isinstance(line, boxes.LineBox)]
    top = laid.content_box_y()
    if len(lines) >= 2:
        return _Run(prefix + laid.height, prefix + lines[-1].position_y - top, lines[-2].resume_at)
    return _Run(prefix + laid.height, previous.prefix if previous else 0, previous.resume if previous else None)


def _measure_run(context, run: tuple, known: dict) -> _Run:
    """The run's height: from the run one footnote shorter when known, else laid out whole."""
    before = known.get(_key(context, run[:-1])) if len(run) > 1 else None
    if before is not None and before.resume is not None:
        laid = _layout(context, run, {0: before.resume})
        return _run_from_lines(laid, before.prefix, before)
    return _run_from_lines(_layout(context, run), 0, None)


def _key(context, footnotes) -> tuple:
    return (context.current_footnote_area.page.width,) + tuple(id(f) for f in footnotes)


def _stand_in(area, height: float, top: float, bottom: float):
    """An empty block of the segment's border-box height and its margins."""
    style = AnonymousStyle(area.style)
    style["height"] = Dimension(height, "px")
    style["margin_top"] = Dimension(top, "px")
    style["margin_bottom"] = Dimension(bottom, "px")
    return boxes.BlockBox(area.element_tag, style, area.element, [])


def linear_area(original, footnotes_of, set_footnotes):
    """``_update_footnote_area`` over stand-ins of remembered segment heights (module doc).

    ``footnotes_of(context)`` gives the page's footnotes in the order of the area (the caller's
    ordering), ``set_footnotes(context, list)`` sets the list WeasyPrint's code will read.
    """
    def update_footnote_area(self):
        footnotes = list(footnotes_of(self))
        segments = _segments(footnotes) if footnotes else None
        if segments is None:
            return original(self)
        known = self.__dict__.setdefault(_STORE, {})
        stand_ins = []
        for segment in segments:
            key = _key(self, segment)
            if key not in known:
                if isinstance(segment[0], boxes.InlineBox):
                    known[key] = _measure_run(self, segment, known)
                else:
                    known[key] = _measure_block(self, segment[0])
            found = known[key]
            if isinstance(found, _Run):
                stand_ins.append(_stand_in(self.current_footnote_area, found.height, 0, 0))
            else:
                stand_ins.append(_stand_in(self.current_footnote_area, *found))
        set_footnotes(self, stand_ins)
        try:
            return original(self)
        finally:
            set_footnotes(self, footnotes)
            # the page is drawn from the area's children: the footnotes, not their stand-ins
            self.current_footnote_area.children = footnotes
    return update_footnote_area
