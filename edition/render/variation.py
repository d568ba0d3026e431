"""A variation unit where it stands in the running text of the web page.

In: an ``app`` met by ``edition.render.html.HtmlRenderer`` (passed as ``r``). Out: the lemma
shown, every reading kept (hidden by the CSS) with its sigla and the data the print apparatus
reads (``data-wit``, ``data-sigla``, ``data-cause`` …), a mark linking to the unit's entry with
what each witness reads for a screen reader; the entry itself is made by
``edition.render.apparatus.Apparatus`` and gathered for the list after the text. A stand-off
``app`` (``@from``, ``@loc``, in a ``listApp``) renders as its entry where it stands.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from lxml import etree

from edition.render.readings import (
    emended_by,
    others_of,
    punctuation_context,
    reading_before,
    readings_of,
    transposed,
)
from edition.tei.spacing import app_spaces
from edition.tei.text import plain_text, sigla
from edition.tei.xmlio import XML_ID, local_name


def render_app(r, el, out, mode, rule) -> None:
    """A variation unit in the running text: the lemma shown, readings hidden, a mark to open it."""
    # the layout space at the unit's edges that is a word boundary (edition.tei.spacing)
    space_before, space_after = app_spaces(el)
    if not mode.ids:   # a copy inside another entry: the lemma only
        lem = next((c for c in readings_of(el) if local_name(c) == "lem"), None)
        if lem is not None:
            out.append(" " if space_before else "")
            r.render_children(lem, out, mode)
            out.append(" " if space_after else "")
        return
    app_id = r.claim_id(el, mode) or r.make_id("app")
    kind = el.get("type") or "untyped"
    r.apparatus.types[kind] = r.apparatus.types.get(kind, 0) + 1
    slot = len(r.apparatus.entries)
    r.apparatus.entries.append("")
    facts = r.apparatus.facts(el)   # read once for the unit and its entry
    readings, details = facts.readings, facts.details
    block = not mode.phrasing and any(r.has_blocks(c) for c in readings)
    tag = "div" if block else "span"
    # white space around the readings inside <app> is not text (edition.tei.spacing), unless it
    # is the only boundary between two words
    if space_before:
        out.append(" ")
    out.append(f"<{tag}{r.attrs(None, mode, 'app', id_=app_id, data_type=kind)}>")
    inner = replace(mode, phrasing=not block, numbered=False)
    has_lem = any(local_name(c) == "lem" for c in readings)
    bound = r.ctx.notes == "end" and not mode.in_link   # the web page's mark, bound to its word
    tails: list[tuple[int, str]] = []
    for k, (child, wit_value) in enumerate(facts.printed):
        name = local_name(child)
        cls = name if has_lem or k else "rdg base"
        # readings are indexed for search through the apparatus list, where words are apart
        ignore = "" if name == "rdg" and not cls.endswith("base") else None
        # an emended lemma says why and whose decision it is (the print apparatus reads these)
        emend = {"data_cause": child.get("cause"), "data_resp": " ".join(sigla(child.get("resp"))) or None} \
            if name == "lem" else {"data_cause": "transposition"} if transposed(child) else {}
        wit = " ".join(sigla(wit_value))
        # the sigla as printed (a siglum's own spaces kept as no-break spaces): the print apparatus
        printed = " ".join(s.replace(" ", "\u00a0") for s in r.apparatus.sigla.all(wit_value)) or None
        attrs = r.attrs(child, mode, cls, data_wit=wit, data_sigla=printed, **emend, data_pagefind_ignore=ignore,
                        data_detail=_details_text(r, details.get(child, [])))
        out.append(f"<{tag}{attrs}>")
        start = len(out)
        r.render_children(child, out, inner)
        if bound and not block:
            # a reading's last space goes after the mark, so the mark stays on its word
            # (" – °" would break before the "°" and open the next line with it)
            space = _trailing_space(out, start)
            if space:
                tails.append((k, space))
        out.append(f"</{tag}>")
    for child in others_of(el):
        if local_name(child) == "note" and r.ctx.notes == "end":
            # on the page the note is read in the apparatus entry (and listed with the notes)
            r.notes.list_from(child, f"apparatus:{app_id}")
            continue
        r.render(child, out, inner)
    opening = r.apparatus.opening_of(el)   # the closing mark of a quotation: one entry for both
    if not mode.in_link:
        lem = next((c for c in readings if local_name(c) == "lem"), None)
        emended = lem is not None and bool(lem.get("cause") or lem.get("resp"))
        label = kind if not emended else \
            f"{kind}; {emended_by(' '.join(sigla(lem.get('resp'))), lem.get('cause')).lower()}"
        target = opening[1] if opening else app_id
        out.append(f'<a class="app-mark{" emended" if emended else ""}" href="#apparatus:{escape(target)}" '
                   f'data-pagefind-ignore="" aria-label="Variant ({escape(label)}). '
                   f'{escape(spoken_readings(r, el, facts.before))}"><sup>{"*" if emended else "°"}</sup></a>')
    for k, space in tails:
        # the shown reading's space is text; another reading's is hidden and not indexed
        lem_tail = '" class="app-tail lem-tail' if k == 0 else '" data-pagefind-ignore="" class="app-tail'
        out.append(f'<span data-of="{k}{lem_tail}">{space}</span>')
    out.append(f"</{tag}>")
    if space_after:
        out.append(" ")
    if opening:
        open_el, open_id, open_slot = opening
        r.apparatus.entries[open_slot] = r.apparatus.pair_entry(open_el, open_id, el, app_id, replace(mode, ids=False))
        r.apparatus.last = None
        return
    r.apparatus.entries[slot] = r.apparatus.entry(el, app_id, replace(mode, ids=False), facts=facts)
    r.apparatus.last = (el, app_id, slot)


def _details_text(r, details: list[etree._Element]) -> str | None:
    """The same as plain text, for the print apparatus (``data-detail``)."""
    parts = []
    for detail in details:
        who = " ".join(r.apparatus.sigla.all(detail.get("wit")))
        parts.append(f"{who}: {plain_text(detail)}" if who else plain_text(detail))
    return "; ".join(parts) or None


def _trailing_space(out: list[str], start: int) -> str:
    """Take the white space that ends the output after ``start`` (text, not a tag) and return it."""
    if len(out) <= start:
        return ""
    last = out[-1]
    if last.startswith("<") or last.rstrip() == last or not last.strip() and len(out) - 1 == start:
        return ""
    stripped = last.rstrip()
    out[-1] = stripped
    return last[len(stripped):]


def spoken_readings(r, app: etree._Element, before: str | None = None) -> str:
    """What each witness reads, for a screen reader: "W reads: patriotism”.; P reads: patriotism.”"
    (``before``: the text of the unit's block before it, when known)."""
    readings = list(readings_of(app))
    lem = next((c for c in readings if local_name(c) == "lem"), None)
    if lem is not None and before is None:
        before = reading_before(app)
    context = punctuation_context(app, lem, before) if lem is not None else ("", "")
    said = []
    for reading in readings:
        who = " ".join(r.apparatus.sigla.all(reading.get("wit"))) or (
            "the editors" if local_name(reading) == "lem" else "a witness")
        text = " ".join("".join(reading.itertext()).split())
        if not text:
            said.append(f"{who} {'has nothing here' if reading is lem else 'omits it'}")
            continue
        if any(context):   # the reading's own space stays (" – " against "—")
            spaced = context[0].endswith(" ") or "".join(reading.itertext())[:1].isspace()
            text = f"{context[0].strip()}{' ' if spaced and context[0].strip() else ''}{text}{context[1]}"
        said.append(f"{who} reads: {text}")
    return "; ".join(said)


def render_app_entry(r, el, out, mode, rule) -> None:
    """A stand-off variation unit (``@from``, ``@loc``, in a ``listApp``): its entry in place."""
    tag = "span" if mode.phrasing else "div"
    claimed = r.claim_id(el, mode)
    # the id the marks in the text link to (edition.render.standoff), else one made here
    made = r.standoff.ids.get(el) if not el.get(XML_ID) else None
    app_id = claimed or (made or r.make_id("app") if mode.ids else None)
    out.append(r.apparatus.entry(el, app_id, mode, tag=tag))
