"""What the HTML renderer is given and gives back: options, the walk's mode, the rendered text.

In: nothing (plain data). Out: ``RenderContext`` (options of a rendering), ``Mode`` (where the
walk is), ``TocEntry`` and ``RenderedText`` (the result of ``edition.render.html.render_text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.diagnostics import Diagnostic


@dataclass
class RenderContext:
    """Options of one rendering: where notes go, which controls to add."""

    notes: str = "end"              # "end": list after the text; "inline": also after the first reference
    cite_controls: bool = True      # a "cite this" button in each numbered paragraph
    paragraph_numbers: bool = True  # the margin number/permalink of each numbered paragraph
    page_starts: frozenset = frozenset()   # divisions that open a page of a long text (data-part)


@dataclass(frozen=True)
class Mode:
    """Where the renderer is: phrasing content, inside a link, making ids, numbering paragraphs."""

    phrasing: bool = False
    in_link: bool = False
    ids: bool = True          # False when rendering a second copy (apparatus entries)
    numbered: bool = True     # paragraphs here get margin numbers
    depth: int = 0            # division depth (1 = top-level division → h2)


@dataclass
class TocEntry:
    """A division with a head: its anchor, its label, its sub-divisions."""

    id: str
    label: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass
class RenderedText:
    """Everything the page templates need from one text."""

    body: str
    notes_html: str
    apparatus_html: str
    toc: list[TocEntry]
    witnesses: list[tuple[str, str]]   # (siglum, description)
    type_counts: dict[str, int]
    paragraphs: list[tuple[str, int]]  # (id, number) in order
    note_count: int
    app_count: int
    diagnostics: list[Diagnostic]
    setaside_html: str = ""            # words of the source not read (surplus), see render.setaside
    witness_ids: dict[str, str] = field(default_factory=dict)   # printed siglum → xml:id (data-wit)
    paratext_html: str = ""            # the witnesses' own paratext, set apart (render.pdf.paratext)
    placed_standoff: int = 0           # stand-off units (@loc, @from/@to) placed in the text
