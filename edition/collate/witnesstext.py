"""Rebuilding each witness's text from a TEI file in parallel segmentation.

In: the edition's parsed TEI documents. Out: ``build/txt/<id>.<SIGLUM>.txt`` for every witness
of every document that has a ``<listWit>`` and parallel-segmentation apparatus, made from the TEI
alone: the witness's readings (``lem``/``rdg`` whose ``@wit`` names it), the common text, its
paratext (elements whose ``@source`` names a witness), its line starts (``<lb edRef="#SIGLUM" n="LINE"/>``, with
``rend="indent-…"`` for indentation) and its extent (``<measure unit="line" quantity="N"/>``);
line numbers that no ``<lb>`` claims are blank lines. For the witnesses ``edition collate``
encoded, the result is byte-identical to the source file: the proof that the apparatus is
complete. A document without line starts for a witness still gives its text, one block a line.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.collate.teiwriter import decode_indent
from edition.diagnostics import Report, warning
from edition.fsutil import write_atomic
from edition.tei import MIXED
from edition.xmlio import NSMAP, TEI_NS, XML_ID, local_name

_SKIP = {"note", "teiHeader", "fw", "figDesc"}
_BLOCKS = {"p", "head", "l", "item", "ab"}


def witnesses_of(root: etree._Element) -> list[tuple[str, str]]:
    """(xml:id, siglum) of each witness in the ``listWit`` (siglum: ``@n``, else the id)."""
    found = []
    for witness in root.xpath("//tei:listWit//tei:witness[@xml:id]", namespaces=NSMAP):
        found.append((witness.get(XML_ID), witness.get("n") or witness.get(XML_ID)))
    return found


def is_parallel_segmentation(root: etree._Element) -> bool:
    """True when the document declares (or plainly uses) parallel-segmentation apparatus."""
    declared = root.xpath("//tei:variantEncoding/@method", namespaces=NSMAP)
    if declared:
        return declared[0] == "parallel-segmentation"
    return bool(root.xpath("//tei:text//tei:app", namespaces=NSMAP))


def _refs(value: str | None) -> set[str]:
    return {v.lstrip("#") for v in (value or "").split()}


class _Witness:
    """What one walk gathers for one witness: its lines by number, and its blocks (fallback)."""

    __slots__ = ("lines", "blocks", "current")

    def __init__(self):
        self.lines: dict[int, list[str]] = {}
        self.blocks: list[list[str]] = []
        self.current: list[str] | None = None


def witness_texts(root: etree._Element) -> dict[str, tuple[str, bool]]:
    """The text of every witness (by xml:id), in one walk of ``<text>``; the flag says whether
    the witness has line starts (else its text is given one block a line)."""
    ids = [w for w, _ in witnesses_of(root)]
    every = frozenset(ids)
    state = {w: _Witness() for w in ids}

    def walk(element: etree._Element, mixed: bool, active: frozenset) -> None:
        name = local_name(element)
        if name in _SKIP or not name:
            return
        if name in ("lem", "rdg"):
            active = active & _reading_wits(element, name, every)
        source = _refs(element.get("source"))
        if source & every:
            active = active & source        # a witness's own paratext
        if not active:
            return
        if name == "lb":
            for wit in active & _refs(element.get("edRef")):
                record = state[wit]
                n = element.get("n", "")
                # An editor's @n may not be a line number ("12a"): then it is the next line.
                number = int(n) if n.isdigit() else max(record.lines, default=0) + 1
                record.current = record.lines.setdefault(number, [])
                record.current.append(decode_indent(element.get("rend")))
            return
        if name in _BLOCKS and not mixed:
            for wit in active:
                state[wit].blocks.append([])
        mixed = mixed or name in MIXED
        if mixed and element.text:
            emit(element.text, active)
        for child in element:
            walk(child, mixed, active)
            if mixed and child.tail:
                emit(child.tail, active)

    def emit(value: str, active: frozenset) -> None:
        for wit in active:
            record = state[wit]
            if record.current is not None:
                record.current.append(value)
            if record.blocks:
                record.blocks[-1].append(value)

    text = root.find(f"{{{TEI_NS}}}text")
    if text is not None and ids:
        walk(text, False, every)
    result = {}
    for wit, record in state.items():
        if not record.lines:
            blocks = ("".join(b).strip() for b in record.blocks)
            result[wit] = ("\n\n".join(b for b in blocks if b) + "\n", False)
            continue
        count = max(record.lines)
        for measure in root.xpath(f"//tei:listWit//tei:witness[@xml:id='{wit}']//tei:measure[@unit='line']/@quantity",
                                  namespaces=NSMAP):
            count = max(count, int(measure))
        result[wit] = ("\n".join("".join(record.lines.get(n, ())) for n in range(1, count + 1)), True)
    return result


def _reading_wits(element: etree._Element, name: str, every: frozenset) -> frozenset:
    """The witnesses of a lemma or reading; a lemma without @wit has those no reading names."""
    if element.get("wit"):
        return frozenset(_refs(element.get("wit")))
    if name == "rdg":
        return frozenset()
    named = set()
    for sibling in element.itersiblings():
        named |= _refs(sibling.get("wit"))
    for sibling in element.itersiblings(preceding=True):
        named |= _refs(sibling.get("wit"))
    return every - named


def witness_text(root: etree._Element, wit: str) -> tuple[str, bool]:
    """The text of one witness (its xml:id); see ``witness_texts``."""
    return witness_texts(root)[wit]


def render_witness_texts(project, documents, report: Report) -> list[Path]:
    """Write ``build/txt/<id>.<SIGLUM>.txt`` for each witness of each collated document."""
    written = []
    for doc in documents:
        root = doc.root
        if not root.xpath("//tei:listWit", namespaces=NSMAP) or not is_parallel_segmentation(root):
            continue
        texts = witness_texts(root)
        unlined = []
        for wit, siglum in witnesses_of(root):
            value, has_lines = texts[wit]
            if not has_lines:
                unlined.append(siglum)
            target = project.build_dir / "txt" / f"{doc.id}.{siglum}.txt"
            if write_atomic(target, value):
                written.append(target)
        if unlined:
            report.add(warning("W440", f"{len(unlined)} witness(es) have no line starts (<lb edRef=\"#…\">): "
                               f"{', '.join(unlined[:5])}{' …' if len(unlined) > 5 else ''}; "
                               "their texts are given one block a line", doc.path))
    return written


# Each document's witness texts depend on that document alone.
render_witness_texts.incremental = True
