"""The edited text around a decision, read from the TEI: what a reader of the edition sees there.

In: a text's TEI file and the ledger's ``target`` of a decision: ``lb:N`` (the witness line N of
an ingested text: the decision stands where that line begins) or an ``xml:id`` (a note
reference, a variation unit). Out: ``(before, focus, after)``: the reading text of the element
that holds it (paragraph, heading, note …), cut to a window around the place; a variation unit
reads as its lemma, a reading of another witness is not part of the edited text.

``Contexts`` parses each TEI file once per page and answers for all of its decisions.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.tei.xmlio import XML_ID

TEI = "{http://www.tei-c.org/ns/1.0}"
HOLDERS = {f"{TEI}{name}" for name in ("p", "head", "item", "l", "note", "quote", "cell", "salute", "signed",
                                       "dateline", "byline", "closer", "opener", "titlePart", "docTitle")}
LEFT_OUT = {f"{TEI}{name}" for name in ("rdg", "rdgGrp", "witDetail")}
WINDOW = 90
MARK = "\x00"


def _reading(element, target) -> str:
    """The element's edited text with MARK where ``target`` begins (and after it, for a unit)."""
    out: list[str] = []

    def walk(node):
        if node is target:
            out.append(MARK)
        if node.tag not in LEFT_OUT and isinstance(node.tag, str):
            if node.tag == f"{TEI}note" and node is not element and node.get("type") in ("emendation", "spacing"):
                pass
            else:
                out.append(node.text or "")
                for child in node:
                    walk(child)
        if node is target and node.tag != f"{TEI}lb":
            out.append(MARK)
        if node is not element:
            out.append(node.tail or "")

    walk(element)
    return " ".join("".join(out).split())


def context_of(element, target) -> tuple[str, str, str]:
    """(before, focus, after) around ``target`` inside ``element``."""
    text = _reading(element, target)
    parts = text.split(MARK)
    if len(parts) == 3:
        before, focus, after = parts
    elif len(parts) == 2:           # a line start: the focus is the word that begins there
        before, rest = parts
        word, _, after = rest.partition(" ")
        before_words = before.rsplit(" ", 1)
        focus = (before_words[-1] if not before.endswith(" ") and len(before_words) > 1 else "") + word
        before = before_words[0] + " " if focus != word else before
        after = " " + after if after else ""
    else:
        return text[:2 * WINDOW], "", ""
    before = ("…" + before[-WINDOW:]) if len(before) > WINDOW else before
    after = (after[:WINDOW] + "…") if len(after) > WINDOW else after
    return before, focus, after


class Contexts:
    """The edited text around each decision of the texts' TEI files (each parsed once)."""

    def __init__(self, tei_dir: Path):
        self.tei_dir = tei_dir
        self.indexes: dict[str, tuple[dict, dict] | None] = {}

    def _index(self, text_id: str):
        if text_id not in self.indexes:
            path = self.tei_dir / f"{text_id}.xml"
            try:
                root = etree.parse(str(path)).getroot()
            except (OSError, etree.XMLSyntaxError):
                self.indexes[text_id] = None
                return None
            body = root.find(f"{TEI}text")
            lines, ids = {}, {}
            for element in (body.iter() if body is not None else ()):
                if element.tag == f"{TEI}lb" and element.get("edRef") is None:
                    lines.setdefault(element.get("n"), element)
                ident = element.get(XML_ID)
                if ident:
                    ids[ident] = element
            self.indexes[text_id] = (lines, ids)
        return self.indexes[text_id]

    def around(self, entry: dict) -> tuple[str, str, str]:
        """(before, focus, after) of the decision in the edited text; ("", "", "") when not found."""
        index = self._index(entry["text"])
        target = entry.get("target", "")
        if index is None or not target:
            return "", "", ""
        lines, ids = index
        element = lines.get(target[3:]) if target.startswith("lb:") else ids.get(target)
        if element is None:
            return "", "", ""
        holder = element.getparent()
        while holder is not None and holder.tag not in HOLDERS:
            holder = holder.getparent()
        return context_of(holder if holder is not None else element.getparent(), element)
