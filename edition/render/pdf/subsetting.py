"""Font subsetting without reading the tables it drops (fontTools, as WeasyPrint calls it).

In: WeasyPrint writing a PDF (``Document.write_pdf``), which subsets each embedded font with
fontTools when HarfBuzz's subsetter (``libharfbuzz-subset``) is not installed, asking it to drop
the layout tables (``GSUB``, ``GPOS``: the glyphs are shaped already). Out: the same subset
fonts, glyph for glyph, made about four times faster, dated as their face.

Why: fontTools' ``Subsetter.subset`` first decodes ``GSUB`` and ``GPOS`` whole (to convert their
formats for its own algorithms) and only then drops them; a book face's layout tables are
large (EB Garamond's take ~0.25 s per subset, and a book-length text laid out in pieces makes
one subset per face and piece: ~17 s for the book fixture). Here the tables the subsetter is
told to drop (``options.drop_tables``) are deleted before it starts, which is what its first
step does anyway (``_prune_pre_subset``). And the subset keeps its face's ``head`` dates, as
HarfBuzz's subsets do: fontTools would stamp each with the time it was saved, so that the
subsets of one face, made by the pieces of a book a second apart, would not be known as one face
and could not be merged (``fontmerge``), and no two builds would give the same PDF.

``lean_subset()`` replaces ``Subsetter.subset`` while the block runs (``layout.make_pdf``),
like ``actualtext`` and ``footnotes`` wrap WeasyPrint for the time of one layout.
"""

from __future__ import annotations

from fontTools import subset as ft_subset

from edition.render.pdf.patching import Patch

_ORIGINAL = ft_subset.Subsetter.subset


def _drop_first(self, font):
    """``Subsetter.subset`` with the tables to drop gone before the layout tables are read, and
    the face's dates kept when the subset is saved (module doc)."""
    font.recalcTimestamp = False
    for tag in [tag for tag in font.keys() if tag != "GlyphOrder"]:
        if tag.strip() in self.options.drop_tables:
            del font[tag]
    return _ORIGINAL(self, font)


_PATCH = Patch(ft_subset.Subsetter, "subset", _drop_first)


def lean_subset():
    """While the block runs, fontTools never decodes a table it is told to drop (module doc)."""
    return _PATCH.applied()
