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


def witness_text(root: etree._Element, wit: str) -> tuple[str, bool]:
    """The text of witness ``wit`` (its xml:id); the flag says whether it has line starts."""
    sigla = {w for w, _ in witnesses_of(root)}
    lines: dict[int, list[str]] = {}
    blocks: list[list[str]] = []
    current: list[str] | None = None

    def walk(element: etree._Element, mixed: bool) -> None:
        nonlocal current
        name = local_name(element)
        if name in _SKIP or not name:
            return
        if name in ("lem", "rdg") and wit not in _refs(element.get("wit")):
            return
        source = _refs(element.get("source"))
        if source & sigla and wit not in source:
            return                       # another witness's paratext
        if name == "lb":
            if wit in _refs(element.get("edRef")):
                n = element.get("n", "")
                # An editor's @n may not be a line number ("12a"): then it is the next line.
                number = int(n) if n.isdigit() else max(lines, default=0) + 1
                current = lines.setdefault(number, [])
                current.append(decode_indent(element.get("rend")))
            return
        if name in _BLOCKS and not mixed:
            blocks.append([])
        mixed = mixed or name in MIXED
        if mixed and element.text:
            _emit(element.text)
        for child in element:
            walk(child, mixed)
            if mixed and child.tail:
                _emit(child.tail)

    def _emit(value: str) -> None:
        if current is not None:
            current.append(value)
        if blocks:
            blocks[-1].append(value)

    text = root.find(f"{{{TEI_NS}}}text")
    if text is not None:
        walk(text, False)
    if not lines:
        return "\n\n".join("".join(b).strip() for b in blocks if "".join(b).strip()) + "\n", False
    count = max(lines)
    for measure in root.xpath(f"//tei:listWit//tei:witness[@xml:id='{wit}']//tei:measure[@unit='line']/@quantity",
                              namespaces=NSMAP):
        count = max(count, int(measure))
    return "\n".join("".join(lines.get(n, ())) for n in range(1, count + 1)), True


def render_witness_texts(project, documents, report: Report) -> list[Path]:
    """Write ``build/txt/<id>.<SIGLUM>.txt`` for each witness of each collated document."""
    written = []
    for doc in documents:
        root = doc.root
        if not root.xpath("//tei:listWit", namespaces=NSMAP) or not is_parallel_segmentation(root):
            continue
        for wit, siglum in witnesses_of(root):
            value, has_lines = witness_text(root, wit)
            if not has_lines:
                report.add(warning("W440", f"witness {siglum} has no line starts (<lb edRef=\"#{wit}\">); "
                                   "its text is given one block a line", doc.path))
            target = project.build_dir / "txt" / f"{doc.id}.{siglum}.txt"
            if write_atomic(target, value):
                written.append(target)
    return written


# Each document's witness texts depend on that document alone.
render_witness_texts.incremental = True
