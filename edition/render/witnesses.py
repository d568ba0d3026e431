"""The witness texts: every witness of a collated text → ``build/txt/<id>.<SIGLUM>.txt``.

In: the edition's parsed TEI documents. Out: one text file per witness of every document that
has a ``<listWit>`` and parallel-segmentation apparatus, rebuilt from the TEI alone by
``edition.tei.witnesses.witness_texts``. For the witnesses ``edition collate`` encoded, each
file is byte-identical to the source: the proof that the apparatus is complete.
"""

from __future__ import annotations

from pathlib import Path

from edition.diagnostics import Report, warning
from edition.fsutil import write_atomic
from edition.tei.witnesses import is_parallel_segmentation, witness_texts, witnesses_of
from edition.tei.xmlio import NSMAP


def render_witness_texts(project, documents, report: Report) -> list[Path]:
    """Write ``build/txt/<id>.<WITNESS>.txt`` for each witness of each collated document (its
    xml:id, an NCName: a siglum as printed may hold spaces and dots, "cod. Vindob.")."""
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
            target = project.build_dir / "txt" / f"{doc.id}.{wit}.txt"
            if write_atomic(target, value):
                written.append(target)
        if unlined:
            report.add(warning("W440", f"{len(unlined)} witness(es) have no line starts (<lb edRef=\"#…\">): "
                               f"{', '.join(unlined[:5])}{' …' if len(unlined) > 5 else ''}; "
                               "their texts are given one block a line", doc.path))
    return written


# Each document's witness texts depend on that document alone.
render_witness_texts.incremental = True
