"""What the imprint of a print book says that comes from the TEI, and what it cannot print.

In: a ``Document`` (its header) and the ``PdfOptions``. Out: the licence lines of the imprint
(``licence_text``, ``licences``: the TEI's own ``availability/licence``, the edition's setting
where a text declares none, nothing invented), and W620 for apparatus types that print in the
main tier for want of a tier of their own (``unmapped_types``).
"""

from __future__ import annotations

from edition.diagnostics import Diagnostic, warning
from edition.render.behaviours import rule_for
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.units import TypeChoice


def unmapped_types(document, options: PdfOptions) -> list[Diagnostic]:
    """W620 for each apparatus type of the editor's own that prints in the main tier for want of
    a tier (``[pdf] apparatus_tiers``), at its first unit; the volume says it once per file."""
    choice = TypeChoice(options.apparatus, options.apparatus_tiers)
    first: dict[str, tuple[int, int]] = {}
    for app in document.xpath("//tei:text//tei:app[@type]"):
        kind = app.get("type")
        # a stand-off unit (@from, @loc, in a listApp) prints as its entry where it stands
        if choice.unmapped(kind) and rule_for(app).behaviour == "alternate":
            line, count = first.get(kind, (app.sourceline, 0))
            first[kind] = (line, count + 1)
    return [warning("W620", f"{count} apparatus entr{'y' if count == 1 else 'ies'} of type '{kind}' "
                            "printed in the main tier of the PDF", document.path, line,
                    hint=f'to print them in a tier of their own: [pdf] apparatus_tiers = {{ "{kind}" = "{kind}" }}')
            for kind, (line, count) in sorted(first.items())]


def licence_text(licence: tuple[str, str | None] | None) -> str | None:
    """A declared licence as printed: its words, and its URL when the words are not the URL."""
    if licence is None:
        return None
    words, url = licence
    return f"{words} ({url})" if url and url != words else words


def licences(settings: dict, texts: list[dict], volume: bool) -> list[str]:
    """The licence lines of the imprint: each text's own (from its TEI header), the edition's
    (``[edition] licence``) where a text declares none; nothing is invented."""
    edition = settings.get("licence") or None
    if not volume:
        own = texts[0]["licence"] or edition
        return [own] if own else []
    lines = [edition] if edition else []
    lines += [f"{t['title']}: {t['licence']}" for t in texts if t["licence"] and t["licence"] != edition]
    return lines
