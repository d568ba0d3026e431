"""The PDF's text layer for scripts whose glyphs are not letters one to one (Devanagari, Arabic, Hebrew).

In: WeasyPrint drawing a line of text (``weasyprint.draw.draw_text``, one text box). Out: the
same drawing; a line that has a character of a script face (``edition.render.fontset``: what the
book face lacks) is wrapped in a marked-content span whose ``/ActualText`` is the line's text,
``/Span <</ActualText (…)>> BDC … EMC``, inside WeasyPrint's own tag of the line when the PDF is
tagged.

Why: WeasyPrint gives each glyph of a font one Unicode string for the whole PDF (its
``ToUnicode`` map), taken from the first cluster the glyph is drawn in. A glyph first drawn in a
conjunct, a ligature or a cluster of marks then reads as nothing (or as that cluster) everywhere
after: copied or searched, "मा" reads "ा". ActualText gives readers (poppler's pdftotext,
Acrobat) the line as it is written. Lines in the book face alone (Latin, Greek, Cyrillic), whose
glyphs map one to one, are left as they are: their PDF is byte for byte what it was. (pdfminer
and so pdfplumber ignore ActualText; they read such lines as WeasyPrint maps them.)

WeasyPrint has no hook for this: ``actual_text()`` replaces the module's ``draw_text`` while a
PDF is written (``edition.render.pdf.layout.make_pdf``), like ``footnotes`` does for the foot.
"""

from __future__ import annotations

import functools

import pydyf
import weasyprint.draw as weasy_draw

from edition.render.fontset import FAMILIES, fallback_range
from edition.render.pdf.patching import Patch

_ORIGINAL = weasy_draw.draw_text


@functools.cache
def _script_points() -> frozenset[int]:
    """The code points a script face draws (none of the book face's)."""
    return frozenset().union(*(fallback_range(family) for family in FAMILIES))


def needs_actual_text(text: str) -> bool:
    """Whether a line's glyphs may not read back as its text: it has a script face's character."""
    points = _script_points()
    return any(ord(ch) in points for ch in text)


def _draw_text(stream, textbox, *args, **kwargs):
    text = getattr(textbox, "text", "")
    if not text or not needs_actual_text(text):
        return _ORIGINAL(stream, textbox, *args, **kwargs)
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
    try:
        return _ORIGINAL(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


_PATCH = Patch(weasy_draw, "draw_text", _draw_text)


def actual_text():
    """While the block runs, lines in a script face are drawn with their ActualText."""
    return _PATCH.applied()
