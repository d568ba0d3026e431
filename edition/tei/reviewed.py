"""Who took a decision, in the TEI: the tool, or the editor who reviewed it.

In: a TEI document (``<TEI>``, its ``<text>`` already made by ingest or collate) and the ledger
entries of its decisions (``edition.ledger``), each with its ``target`` (``lb:N``, the witness
line N where it stands, or the ``xml:id`` of a note reference or a variation unit) and its
``review``. Out: the same tree, each decision an editor accepted or overruled marked
``resp="#ed"`` (its ``cert`` dropped: the editor settled it) on the element that states it:

========== ====================================================================
hyphen     the ``<lb>`` of the next line (``break="no"`` or not); a word broken off before lost
           text (value ``gap``): the ``<gap>`` after it
page-break the ``<pb>`` before the ``<lb>`` of the line the page begins at
paragraph  the ``<p>`` a break begins; the ``<lb>`` where the text runs on over the page
heading    the ``<head>`` of the line (a line read as text: its ``<p>``)
surplus    the ``<surplus>`` of the paragraph whose first line it is
note-link  the ``<ref>``
unit, variant-type, emendation: the ``<app>``
========== ====================================================================

The decisions no editor reviewed stay the tool's: those that carry ``cert`` have
``resp="#tool.edition"``; both ids are declared in the header's ``titleStmt`` (``build_header``).
"""

from __future__ import annotations

from lxml import etree

from edition.tei.xmlio import XML_ID, tei

EDITOR = "#ed"
TOOL_ID = "tool.edition"
TOOL = f"#{TOOL_ID}"
REVIEWED = ("accepted", "overruled")
HOLDERS = {tei("head"), tei("p")}
GAP, SURPLUS = tei("gap"), tei("surplus")


def mark_reviewed(root: etree._Element, entries: list[dict], accepted: set[str]) -> int:
    """Mark the decisions an editor reviewed (overruled in the entry, or id in ``accepted``); the count."""
    chosen = [e for e in entries if e["review"] in REVIEWED or e["id"] in accepted]
    if not chosen:
        return 0
    text = root.find(tei("text"))
    lines, ids, gaps = {}, {}, {}
    last = None           # the witness line being read: a <gap> stands after its words
    for element in text.iter():
        if element.tag == tei("lb") and element.get("edRef") is None:
            lines.setdefault(element.get("n"), element)
            last = element.get("n")
        elif element.tag == GAP and last is not None:
            gaps.setdefault(last, element)
        ident = element.get(XML_ID)
        if ident:
            ids[ident] = element
    marked = 0
    for entry in chosen:
        element = gaps.get(str(entry["line"])) if _is_gap(entry) else _element_of(entry, lines, ids)
        if element is not None:
            element.attrib.pop("cert", None)
            element.set("resp", EDITOR)
            marked += 1
    return marked


def _is_gap(entry: dict) -> bool:
    return entry["kind"] == "hyphen" and entry["value"] == "gap"


def _element_of(entry: dict, lines: dict, ids: dict):
    target = entry.get("target", "")
    if not target.startswith("lb:"):
        return ids.get(target)
    lb = lines.get(target[3:])
    if lb is None or entry["kind"] == "hyphen":
        return lb
    if entry["kind"] == "page-break":
        found = lb.xpath("preceding::*[local-name()='pb'][1]")
        return found[0] if found else None
    if entry["kind"] == "paragraph" and entry["value"] == "continue":
        return lb
    holder = lb.getparent()
    while holder is not None and holder.tag not in HOLDERS:
        holder = holder.getparent()
    if entry["kind"] == "surplus":
        return None if holder is None else holder.find(SURPLUS)
    return holder
