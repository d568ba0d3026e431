"""The variant map: where, and how much, the witnesses of a text differ — drawn for readers.

In: a text's rendered HTML (``RenderedText.body``, whose numbered paragraphs carry ``data-n``
and whose variation units are ``span.app[data-type]``, the HTML contract of
``edition.render.html``) and its TEI (for the witnesses' agreement). Out: SVG, made at build
time from the TEI alone (no script needed to see it):

- a strip of the text's numbered paragraphs, one cell a paragraph, each cell a stacked bar of
  its variation units by type (colour-blind-safe colours, Okabe and Ito's palette), each cell a
  link to its paragraph with a label that says what it holds; units outside a numbered
  paragraph (a heading, the front matter) get a cell of their own at the start;
- for three or more witnesses, a matrix of how often each pair of witnesses agrees: the share
  of the variation units in which both have a reading and the readings are the same.

The counts are the TEI's: every ``<app>`` counts once, nested ones too, in the paragraph that
holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from itertools import combinations

from lxml import html as lxml_html

from edition.tei.document import Document
from edition.tei.text import sigla
from edition.tei.witnesses import witnesses_of

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
ORDER = ("substantive", "orthographic", "punctuation", "case")   # the usual types first
CELL, GAP, HEIGHT = 8, 2, 48


@dataclass
class Cell:
    """One paragraph of the strip (or the units outside numbered paragraphs)."""

    anchor: str | None
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def cells_of(body_html: str) -> list[Cell]:
    """The strip's cells from the rendered body: numbered paragraphs in order, their units by type."""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    outside = Cell(None, "outside the numbered paragraphs")
    cells: dict = {}   # by the paragraph element (the key keeps its lxml proxy alive), in order
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _is_paragraph(el):
            cells[el] = Cell(el.get("id"), f"paragraph {el.get('data-n')}")
        elif "app" in (el.get("class") or "").split():
            holder = next((a for a in el.iterancestors() if _is_paragraph(a)), None)
            cell = cells[holder] if holder is not None else outside
            kind = el.get("data-type") or "untyped"
            cell.counts[kind] = cell.counts.get(kind, 0) + 1
    return ([outside] if outside.total else []) + list(cells.values())


def _is_paragraph(el) -> bool:
    """A numbered paragraph of the rendered text (``class="p"`` with ``data-n``)."""
    return bool(el.get("data-n")) and "p" in (el.get("class") or "").split()


def types_in(cells: list[Cell]) -> list[str]:
    """The variant types present, the usual four first, then the others by name."""
    found = {kind for cell in cells for kind in cell.counts}
    return [k for k in ORDER if k in found] + sorted(found - set(ORDER))


def _describe(cell: Cell, types: list[str]) -> str:
    if not cell.total:
        return f"{cell.label.capitalize()}: no variants"
    parts = [f"{cell.counts[k]} {k}" for k in types if cell.counts.get(k)]
    return f"{cell.label.capitalize()}: {', '.join(parts)}"


def strip_svg(cells: list[Cell], title: str) -> str:
    """The strip as an SVG element (each cell a link to its paragraph)."""
    types = types_in(cells)
    colour = {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(types)}
    peak = max((c.total for c in cells), default=0) or 1
    width = max(len(cells) * (CELL + GAP), CELL)
    out = [f'<svg class="variant-strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT + 4}" '
           f'width="100%" height="{HEIGHT + 4}" preserveAspectRatio="none" role="group" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, cell in enumerate(cells):
        x = i * (CELL + GAP)
        label = _describe(cell, types)
        inner = [f'<rect x="{x}" y="{HEIGHT + 1}" width="{CELL}" height="2" fill="#bbb"/>']
        y = HEIGHT
        for kind in types:
            count = cell.counts.get(kind, 0)
            if count:
                h = HEIGHT * count / peak
                y -= h
                inner.append(f'<rect x="{x}" y="{y:.2f}" width="{CELL}" height="{h:.2f}" fill="{colour[kind]}"/>')
        body = f'<title>{escape(label)}</title>{"".join(inner)}'
        if cell.anchor:
            out.append(f'<a href="#{escape(cell.anchor)}" aria-label="{escape(label)}">{body}</a>')
        else:
            out.append(f'<g role="img" aria-label="{escape(label)}">{body}</g>')
    out.append("</svg>")
    return "".join(out)


def legend(cells: list[Cell]) -> list[tuple[str, str, int]]:
    """(type, colour, number of units) for the legend, in the strip's order."""
    types = types_in(cells)
    return [(kind, PALETTE[i % len(PALETTE)], sum(c.counts.get(kind, 0) for c in cells))
            for i, kind in enumerate(types)]


def agreement(doc: Document) -> tuple[list[str], dict[tuple[str, str], tuple[int, int]]]:
    """Sigla, and for each pair of witnesses (units where both agree, units where both have a reading)."""
    declared = witnesses_of(doc.root)
    ids = [wit for wit, _ in declared]
    names = dict(declared)
    pairs = {(a, b): [0, 0] for a, b in combinations(ids, 2)}
    for app in doc.xpath("//tei:text//tei:app"):
        reading_of: dict[str, object] = {}
        readings = doc.xpath("tei:lem | tei:rdg | tei:rdgGrp/tei:lem | tei:rdgGrp/tei:rdg", app)
        named = {w for r in readings for w in sigla(r.get("wit"))}
        for reading in readings:
            wits = sigla(reading.get("wit")) or ([w for w in ids if w not in named]
                                                 if reading.tag.endswith("lem") else [])
            text = " ".join("".join(reading.itertext()).split())
            for wit in wits:
                reading_of[wit] = text
        for (a, b), tally in pairs.items():
            if a in reading_of and b in reading_of:
                tally[1] += 1
                tally[0] += reading_of[a] == reading_of[b]
    return [names[i] for i in ids], {(names[a], names[b]): (t[0], t[1]) for (a, b), t in pairs.items()}


def agreement_svg(sigla_: list[str], pairs: dict[tuple[str, str], tuple[int, int]], title: str) -> str:
    """The agreement of every pair of witnesses as a small matrix (darker: they agree more)."""
    size, pad = 34, 30
    n = len(sigla_)
    out = [f'<svg class="agreement" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {pad + n * size} {pad + n * size}" '
           f'width="{pad + n * size}" height="{pad + n * size}" role="group" aria-label="{escape(title)}">'
           f'<title>{escape(title)}</title>']
    for i, siglum in enumerate(sigla_):
        out.append(f'<text x="{pad + i * size + size / 2}" y="{pad - 8}" text-anchor="middle" '
                   f'font-size="13">{escape(siglum)}</text>')
        out.append(f'<text x="{pad - 8}" y="{pad + i * size + size / 2 + 4}" text-anchor="end" '
                   f'font-size="13">{escape(siglum)}</text>')
    for i, a in enumerate(sigla_):
        for j, b in enumerate(sigla_):
            if i == j:
                continue
            agree, both = pairs.get((a, b)) or pairs.get((b, a)) or (0, 0)
            share = agree / both if both else 0
            label = f"{a} and {b} agree in {agree} of {both} units ({round(100 * share)}%)"
            shade = f"rgba(0, 114, 178, {0.15 + 0.85 * share:.2f})"
            ink = "#fff" if share > 0.55 else "#000"
            out.append(f'<g role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
                       f'<rect x="{pad + j * size}" y="{pad + i * size}" width="{size - 2}" height="{size - 2}" '
                       f'fill="{shade}"/><text x="{pad + j * size + size / 2 - 1}" y="{pad + i * size + size / 2 + 3}" '
                       f'text-anchor="middle" font-size="10" fill="{ink}">{round(100 * share)}</text></g>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class VariantMap:
    """What the page shows: the strip, its legend, and the agreement matrix (three witnesses or more)."""

    strip: str
    legend: list[tuple[str, str, int]]
    agreement: str = ""
    units: int = 0


def variant_map(doc: Document, body_html: str, title: str) -> VariantMap | None:
    """The variant map of a text with an apparatus (None for a text without one)."""
    cells = cells_of(body_html)
    units = sum(c.total for c in cells)
    if not units:
        return None
    result = VariantMap(strip_svg(cells, f"Variants in {title}, paragraph by paragraph"), legend(cells), units=units)
    if len(witnesses_of(doc.root)) < 3:   # no matrix for two: their agreement is not counted
        return result
    names, pairs = agreement(doc)
    if len(names) >= 3:
        result.agreement = agreement_svg(names, pairs, f"How often the witnesses of {title} agree")
    return result
