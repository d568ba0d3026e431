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
with WeasyPrint's own skip stack (and only the footnotes from that line on are copied); and
not at all when the new footnote, laid out alone once, fits beside that line with a margin and
reaches no higher or lower than it (``_fitted``: a greedy line takes it whole, so the run's
height and last line's start stay; when in doubt, it is laid out). The area is then laid out
by WeasyPrint itself, as before, but over empty stand-in blocks of the segments' heights and
margins, so that margin collapsing and the overflow test stay WeasyPrint's. The same change
(without the shortcuts) as a patch to WeasyPrint: ``docs/weasyprint-linear-footnote-area.diff``.
"""

from __future__ import annotations

from collections import Counter
from math import inf

from weasyprint.css import AnonymousStyle
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout.block import block_level_layout

_STORE = "_edition_footnote_segments"
FIT_MARGIN = 1.0   # px the measure must exceed a last line and a footnote by to take both unlaid
_SPACES = " \t\n\r\f"
counts: Counter = Counter()   # "fitted": footnotes added to a run's last line unlaid; "laid"


class _Line:
    """A line's used width and how far it reaches above and below its baseline (and the measure)."""

    __slots__ = ("width", "above", "below", "measure")

    def __init__(self, width: float, above: float, below: float, measure: float):
        self.width, self.above, self.below, self.measure = width, above, below, measure


class _Run:
    """A laid-out run of inline footnotes: its height, where its last line starts, that line."""

    __slots__ = ("height", "prefix", "resume", "last")

    def __init__(self, height: float, prefix: float, resume, last: _Line | None):
        self.height = height      # the paragraph's height
        self.prefix = prefix      # the height of its lines but the last
        self.resume = resume      # the skip stack where its last line starts (None: one line)
        self.last = last          # its last line (None: not known to take a footnote unlaid)


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


def _lines(laid) -> list:
    return [line for line in laid.children if isinstance(line, boxes.LineBox)]


def _line(laid, line) -> _Line | None:
    """The line as ``_Line``; None where the fast path of ``_measure_run`` is not sure to hold."""
    if laid.style["direction"] != "ltr" or not all(child.is_in_normal_flow() for child in line.children):
        return None
    return _Line(line.width, line.baseline, line.height - line.baseline, laid.width)


def _run_from_lines(laid, prefix: float, previous, skipped: int = 0) -> _Run:
    """The run laid out (from the start of ``previous``'s last line, its first ``skipped``
    footnotes left out: the skip stack of the new last line counts them again)."""
    lines = _lines(laid)
    top = laid.content_box_y()
    last = _line(laid, lines[-1]) if lines else None
    if len(lines) >= 2:
        resume = lines[-2].resume_at
        if skipped:
            (index, inner), = resume.items()
            resume = {index + skipped: inner}
        return _Run(prefix + laid.height, prefix + lines[-1].position_y - top, resume, last)
    return _Run(prefix + laid.height, previous.prefix if previous else 0, previous.resume if previous else None,
                last)


def _leaves(box):
    if not isinstance(box, boxes.ParentBox):
        yield box
        return
    for child in box.children:
        yield from _leaves(child)


def _plain(footnote, known: dict) -> bool:
    """Laid out alone and after another on a line, the footnote is the same boxes: it starts
    and ends in text that no line start or end trims (no collapsible space), and none of its
    boxes is placed by the line's top or bottom or out of the line (float, absolute)."""
    key = ("plain", id(footnote))
    if key not in known:
        leaves = list(_leaves(footnote))
        ends = (leaves[0], leaves[-1]) if leaves else ()
        known[key] = (bool(ends) and all(isinstance(leaf, boxes.TextBox) and leaf.text for leaf in ends)
                      and leaves[0].text[0] not in _SPACES and leaves[-1].text[-1] not in _SPACES
                      and all(box.style["vertical_align"] not in ("top", "bottom") and box.style["float"] == "none"
                              and box.style["position"] not in ("absolute", "fixed")
                              for box in footnote.descendants()))
    return known[key]


def _alone(context, footnote, known: dict) -> _Line | None:
    """The footnote laid out alone on the line of a run (once per box), if one line and plain."""
    key = ("alone",) + _key(context, (footnote,))
    if key not in known:
        found = None
        if _plain(footnote, known):
            laid = _layout(context, [footnote])
            lines = _lines(laid)
            if len(lines) == 1 and lines[0].resume_at is None and (line := _line(laid, lines[0])) is not None:
                width = sum(child.margin_width() for child in lines[0].children)
                found = _Line(width, line.above, line.below, line.measure)
        known[key] = found
    return known[key]


def _fitted(context, before: _Run, previous, footnote, known: dict) -> _Line | None:
    """The run's last line with the footnote on it, when it goes there as it is: the line's
    width and the footnote's fit the measure with a margin, and the footnote reaches no higher
    or lower above or below the baseline than the line. Lines are filled greedily, so that
    line takes it whole, and the run's height, prefix and last line's start stay as they are.
    Conservative: None (lay out) for a footnote that would fit but is not sure to."""
    last = before.last
    if last is None or context.excluded_shapes or not _plain(previous, known):
        return None
    narrowest = known.get(("narrowest", last.measure), 0)
    if last.width + narrowest > last.measure - FIT_MARGIN and ("alone",) + _key(context, (footnote,)) not in known:
        return None   # no footnote yet would fit there: not worth laying this one out alone
    alone = _alone(context, footnote, known)
    if alone is not None:
        known[("narrowest", last.measure)] = min(alone.width, known.get(("narrowest", last.measure), inf))
    if (alone is None or alone.measure != last.measure or last.width + alone.width > last.measure - FIT_MARGIN
            or alone.above > last.above or alone.below > last.below):
        return None
    return _Line(last.width + alone.width, last.above, last.below, last.measure)


def _measure_run(context, run: tuple, known: dict, fast: bool = True) -> _Run:
    """The run's height: from the run one footnote shorter when known (unlaid when the new
    footnote fits on its last line, ``_fits``), else laid out whole."""
    before = known.get(_key(context, run[:-1])) if len(run) > 1 else None
    fitted = _fitted(context, before, run[-2], run[-1], known) if fast and before is not None else None
    if fitted is not None:
        counts["fitted"] += 1
        return _Run(before.height, before.prefix, before.resume, fitted)
    counts["laid"] += 1
    if before is not None and before.resume is not None:
        # the footnotes before the last line's first are skipped: not even copied
        first = next(iter(before.resume)) if len(before.resume) == 1 else 0
        laid = _layout(context, run[first:], {0: {0: before.resume[first]}} if first else {0: before.resume})
        return _run_from_lines(laid, before.prefix, before, first)
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


def linear_area(original, footnotes_of, set_footnotes, *, fast: bool = True):
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
                    known[key] = _measure_run(self, segment, known, fast)
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
