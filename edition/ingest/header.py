"""Step 7, header: the text's metadata (rules) and what the steps did → ``<teiHeader>``.

In: the project settings, the text's rules (``[metadata]``, ``[source]``, ``[editorial]``,
``[[change]]``), the witness file (its path and sha256) and the facts the steps found (hyphen
counts, page inference, note warnings). Out: a ``<teiHeader>`` built by
``edition.tei.header.build_header``, so that every text of the edition has the same header
shape. The counts are computed, not typed, so the header cannot drift from the encoding;
nothing depends on the clock.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from lxml import etree

from edition.ingest.model import HyphenDecision
from edition.ingest.notes import NoteLinks
from edition.ingest.pages import PageMarks
from edition.ingest.rules import TextRules
from edition.tei.header import build_header
from edition.tei.maker import E, set_id


def hyphen_summary(decided: list[HyphenDecision]) -> str:
    """One sentence counting the line-end hyphen decisions by outcome."""
    counts = Counter(d.action for d in decided if d.action != "dash")
    uncertain = sum(1 for d in decided if not d.certain and d.action != "dash")
    dashes = sum(1 for d in decided if d.action == "dash")
    total = sum(counts.values())
    text = (f"In this witness {total} lines end in a hyphen: {counts['join']} soft hyphens were removed "
            f"(the line break is still recorded), {counts['keep']} hyphens of compounds kept")
    if counts["gap"]:
        text += f", {counts['gap']} before lost text left unjoined"
    text += f"; {uncertain} decisions rest on weak evidence and are marked as uncertain."
    if dashes:
        text += f" {dashes} further line ends are spaced dashes, not hyphens."
    return text


def doubled_rendition(ident: str) -> etree._Element:
    """A ``tagsDecl`` describing heads that the witness gave with doubled characters."""
    rendition = set_id(E.rendition(
        "Bold type in the printed source, which the PDF extraction of the witness gave with every "
        "character twice (a Q as QQ, a space as two); the edition gives each character once.", scheme="free"), ident)
    return E.tagsDecl(rendition)


def text_header(settings: dict, rules: TextRules, source: Path, data: bytes, root: Path, *,
                decided: list[HyphenDecision], marks: PageMarks, links: NoteLinks,
                doubled_id: str | None, page_paragraphs: tuple[int, int] = (0, 0)) -> etree._Element:
    """The full header of an ingested text.

    ``page_paragraphs``: how many paragraphs were taken to begin at a page start with no blank
    line of their own, and how many of those breaks are uncertain.
    """
    meta = dict(rules.table("metadata"))
    meta.setdefault("language", settings.get("language", "en"))
    src = dict(rules.table("source"))
    try:
        src["file"] = source.relative_to(root).as_posix()
    except ValueError:
        src["file"] = source.name
    src["sha256"] = hashlib.sha256(data).hexdigest()
    editorial = dict(rules.table("editorial"))
    if decided:
        editorial["hyphenation"] = (editorial.get("hyphenation", "") + " " + hyphen_summary(decided)).strip()
    if marks.pages:
        editorial["pages"] = (editorial.get("pages", "") + " " + marks.summary).strip()
    if page_paragraphs[0]:
        total, unsure = page_paragraphs
        editorial["segmentation"] = (editorial.get("segmentation", "") + (
            f" {total} paragraphs are taken to begin at a page start with no blank line of their own; "
            f"{unsure} of these breaks are uncertain, and marked so." )).strip()
    uncertain = [r for r in links.refs.values() if not r.certain]
    if links.refs:
        sentence = (f"{len(links.refs)} references to {len(links.notes)} notes are linked"
                    + (f"; {len(uncertain)} of them out of sequence, its link marked uncertain "
                       f"(witness line {', '.join(str(r.line) for r in uncertain)})" if uncertain else "")
                    + ".")
        editorial["notes"] = (editorial.get("notes", "") + " " + sentence).strip()
    extra = [doubled_rendition(doubled_id)] if doubled_id else []
    return build_header(settings, meta, source=src, editorial=editorial,
                        changes=rules.tables("change"), encoding_extra=extra)
