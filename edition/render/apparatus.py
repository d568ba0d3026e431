"""The critical apparatus on the page: variation units in the text and their entries after it.

In: an ``app`` met by ``edition.render.html.HtmlRenderer`` (passed as ``r``). Out: the unit's
entry (location, lemma and sigla, readings and sigla, type, the editors' decision and its
reason) gathered by ``Apparatus`` for the list after the text, or standing where a stand-off
unit stands. The unit in the running text (lemma shown, readings hidden, the mark linking to
the entry) is made by ``edition.render.variation``; the readings are read by
``edition.render.readings``. The HTML is described in the docstring of ``edition.render.html``.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from lxml import etree

from edition.render.readings import (
    QUOTES,
    block_of,
    emended_by,
    has_text,
    in_sequence,
    others_of,
    punctuation_context,
    reading_before,
    readings_of,
    spanned_words,
    transposed,
    witness_details,
    word_before,
    word_number,
)
from edition.render.rendered import Mode
from edition.render.witnessorder import WitnessOrder
from edition.tei.text import sigla
from edition.tei.witnesses import Sigla, describe_witness, siglum_of
from edition.tei.xmlio import XML_ID, local_name


class UnitFacts(NamedTuple):
    """What the unit in the running text and its entry both read of an ``app``: worked out once."""

    readings: list          # its readings in ``@varSeq`` order (``in_sequence``)
    details: dict           # reading → its witDetails (``witness_details``)
    printed: list           # (reading, @wit to print) in print order (``WitnessOrder.readings``)
    before: str             # its block's reading text before it (``reading_before``)


class Apparatus:
    """The variation units of a text and their entries for the list after the text."""

    def __init__(self, r):
        self.r = r
        self.entries: list[str] = []
        self.types: dict[str, int] = {}
        self.sigla = Sigla(r.doc.root)   # what each witness declares as its siglum
        self.order = WitnessOrder(r.doc.root)
        self.last: tuple | None = None   # (app, id, slot) of the running text's last unit

    def witnesses(self) -> list[tuple[str, str]]:
        """(siglum, description) of every declared witness."""
        found = []
        for w in self.r.doc.xpath("//tei:listWit//tei:witness"):
            siglum = siglum_of(w)
            if siglum:
                found.append((siglum, describe_witness(w)))
        return found

    def witness_ids(self) -> dict[str, str]:
        """Printed siglum → the witness's xml:id (what ``data-wit`` and the witness switch use)."""
        return {siglum_of(w): w.get(XML_ID) for w in self.r.doc.xpath("//tei:listWit//tei:witness[@xml:id]")}

    def type_counts(self) -> dict[str, int]:
        """How many variation units of each type (``untyped`` for those without ``@type``)."""
        return dict(sorted(self.types.items()))

    def facts(self, el: etree._Element) -> UnitFacts:
        """The readings of ``app`` as the unit and its entry show them (``UnitFacts``)."""
        readings = in_sequence(list(readings_of(el)))
        # each witDetail with the reading of its witness
        return UnitFacts(readings, witness_details(el, readings), self.order.readings(readings), reading_before(el))

    def entry(self, el: etree._Element, app_id: str | None, mode, tag: str = "li",
              facts: UnitFacts | None = None) -> str:
        """The apparatus entry of an ``app``: location, lemma and sigla, readings and sigla, type
        (``facts``: the unit's, when the running text has worked them out already)."""
        r = self.r
        copy = Mode(phrasing=True, ids=mode.ids and tag != "li", numbered=False)
        readings, details, printed, before = facts or self.facts(el)
        lem = next((c for c in readings if local_name(c) == "lem"), None)
        parts = []
        where = r.current_paragraph
        if tag == "li" and app_id:
            # paragraph and word: two variants of one paragraph are told apart ("¶ 13, word 45")
            label = f"¶ {where[1]}, word {word_number(before)}" if where else "↑"
            holder = next((a for a in el.iterancestors() if local_name(a) == "rdg"), None)
            if holder is not None and where:   # a unit inside another unit's reading: counted there
                outer = holder.getparent() if local_name(holder.getparent()) == "app" else holder.getparent().getparent()
                label = (f"¶ {where[1]}, word {word_number(reading_before(outer))}, in the reading of "
                         f"{' '.join(r.apparatus.sigla.all(holder.get('wit'))) or 'a witness'}")
            parts.append(f'<a class="ae-loc" href="#{escape(app_id)}" title="Go to the variant in the text" '
                         f'data-pagefind-ignore="">'
                         f"{escape(label)}</a> ")
        elif el.get("loc") or el.get("from"):
            parts.append(_standoff_place(r, el) + " ")
        emended = lem is not None and bool(lem.get("cause") or lem.get("resp"))
        if emended:   # the editors' decision, not a witness's reading: say so first
            who = " ".join(sigla(lem.get("resp")))
            parts.append(f'<span class="ae-emend">{escape(emended_by(who, lem.get("cause")))}:</span> ')
        added = lem is not None and not has_text(lem)
        # a mark alone is shown with its word, as in the print apparatus ("patriotism”.] patriotism.” P")
        context = punctuation_context(el, lem, before) if lem is not None and not added else ("", "")
        if lem is not None:
            # an addition is keyed to the word before it, as in the print apparatus ("COB] add. …")
            shown = _content(r, lem, copy) or (escape(word_before(el)) if added else "")
            shown = _with_context(context, lem, shown) if any(context) else shown
            lem_wit = r.apparatus.order.sort_wit(lem.get("wit"))
            parts.append(f'<span class="ae-lem{"" if shown else " empty"}"{_sigla_attr(r, lem, lem_wit)}>{shown or "—"}</span>')
            parts.append(sigla_html(r, lem, lem_wit) + _details_html(r, details.get(lem, []), copy))
            parts.append('<span class="ae-sep">]</span> ')
        ordered = [(c, wit) for c, wit in printed if local_name(c) == "rdg"]
        for k, (rdg, wit) in enumerate(ordered):
            text = _content(r, rdg, copy)
            kind = ""   # what the print apparatus reads: an omission, an addition (ae-text is then the words)
            if any(context):
                text = _with_context(context, rdg, text)
            elif transposed(rdg):   # the words stand elsewhere in this witness: said once, as such
                text = f"<i>transp.</i> {text}" if has_text(rdg) else "<i>transp.</i>"
            elif not has_text(rdg):
                text, kind = "<i>om.</i>", " om"
            elif added:
                text, kind = f'<i class="ae-add">add.</i> {text}', " add"
            sep = '<span class="ae-sep">; </span>' if k else ""
            parts.append(f'{sep}<span class="ae-rdg{kind}"{_sigla_attr(r, rdg, wit)}><span class="ae-text">{text}</span>'
                         f'{sigla_html(r, rdg, wit)}{_details_html(r, details.get(rdg, []), copy)}</span>')
        if emended:
            parts.append(' <span class="ae-rejected">(rejected)</span>')
        for other in others_of(el):
            if local_name(other) == "note":
                # a note of the apparatus (the reason for an emendation …) is read in the entry
                label = "Reason: " if other.get("type") == "emendation" or emended else ""
                parts.append(f' <span class="ae-note">{escape(label)}{_content(r, other, copy)}</span>')
                if tag != "li" and mode.ids:   # a stand-off entry: list its note with the notes
                    r.notes.list_from(other, app_id)
            elif local_name(other) == "witDetail" and has_text(other) \
                    and not any(other in found for found in details.values()):   # shown with no reading
                # what the apparatus says about a witness's reading (a correction, a gloss …)
                who = " ".join(r.apparatus.sigla.all(other.get("wit")))
                parts.append(f' <span class="ae-detail">({escape(who) + ": " if who else ""}'
                             f'{_content(r, other, copy)})</span>')
        kinds = [el.get("type"), lem.get("cause") if lem is not None else None]   # e.g. an emendation
        if any(kinds):
            parts.append(f' <span class="ae-type" data-pagefind-ignore="">{escape(", ".join(k for k in kinds if k))}</span>')
        # a stand-off entry stands where its unit is: it carries the unit's id (its notes link back)
        the_id = (f"apparatus:{app_id}" if tag == "li" else app_id) if app_id else ""
        # a stand-off unit placed in the text: the print layout keys it to its lines (data-so)
        placed = tag != "li" and app_id and el in r.standoff.placed
        attrs = r.attrs(None, mode, "app-entry", id_=the_id, data_app=app_id if tag == "li" else None,
                        data_type=el.get("type") or "untyped", data_so=app_id if placed else None)
        return f"<{tag}{attrs}>{''.join(parts)}</{tag}>"

    def render_list(self) -> str:
        """All entries of the running text's variation units, in text order."""
        return "".join(self.entries)

    def opening_of(self, app: etree._Element) -> tuple | None:
        """(app, id, slot) of the unit just before ``app`` when the two are the opening and the
        closing quotation mark of one quotation (in one block, same type and witnesses, readings
        of marks alone or nothing, no emendation): the rule of the print apparatus
        (``edition.render.pdf.entrywords.quotation_pairs``)."""
        if self.last is None:
            return None
        first = self.last[0]
        if block_of(first) is not block_of(app):
            return None
        a, b = list(readings_of(first)), list(readings_of(app))
        lem_a = next((c for c in a if local_name(c) == "lem"), None)
        lem_b = next((c for c in b if local_name(c) == "lem"), None)
        if lem_a is None or lem_b is None or any(x.get("cause") or x.get("resp") for x in (lem_a, lem_b)):
            return None
        open_mark, close_mark = ("".join(x.itertext()).strip() for x in (lem_a, lem_b))
        rdgs_a = [c for c in a if c is not lem_a]
        rdgs_b = [c for c in b if c is not lem_b]
        texts = ["".join(c.itertext()).strip() for c in rdgs_a + rdgs_b]
        if (QUOTES.get(open_mark) == close_mark and first.get("type") == app.get("type")
                and [c.get("wit") for c in rdgs_a] == [c.get("wit") for c in rdgs_b]
                and all(not t or not any(ch.isalnum() for ch in t) for t in texts)):
            return self.last
        return None

    def pair_entry(self, first: etree._Element, first_id: str, second: etree._Element, second_id: str,
                   mode) -> str:
        """One entry for a quotation's opening and closing marks: "“instrument” W] instrument P"."""
        r = self.r
        lem_a = next(c for c in readings_of(first) if local_name(c) == "lem")
        lem_b = next(c for c in readings_of(second) if local_name(c) == "lem")
        before = reading_before(first)
        within = reading_before(second)[len(before):]          # the opening mark and the words
        words = within[len("".join(lem_a.itertext())):]
        lemma = " ".join((within + "".join(lem_b.itertext())).split())
        where = r.current_paragraph
        label = f"¶ {where[1]}, word {word_number(before)}" if where else "↑"
        parts = [f'<a class="ae-loc" href="#{escape(first_id)}" title="Go to the variant in the text" '
                 f'data-pagefind-ignore="">{escape(label)}</a> ',
                 f'<span class="ae-lem">{escape(lemma)}</span>', sigla_html(r, lem_a), '<span class="ae-sep">]</span> ']
        rdgs_b = [c for c in readings_of(second) if c is not lem_b]
        for k, (x, y) in enumerate(zip([c for c in readings_of(first) if c is not lem_a], rdgs_b)):
            text = " ".join(("".join(x.itertext()).strip() + words + "".join(y.itertext()).strip()).split())
            sep = '<span class="ae-sep">; </span>' if k else ""
            parts.append(f'{sep}<span class="ae-rdg"><span class="ae-text">{escape(text)}</span>'
                         f'{sigla_html(r, x)}</span>')
        if first.get("type"):
            parts.append(f' <span class="ae-type" data-pagefind-ignore="">{escape(first.get("type"))}</span>')
        # the closing mark's id stays, on the same entry: its mark and any link to it find it
        parts.append(f'<span id="apparatus:{escape(second_id)}" class="ae-pair" data-app="{escape(second_id)}"></span>')
        attrs = r.attrs(None, mode, "app-entry", id_=f"apparatus:{first_id}", data_app=first_id,
                        data_type=first.get("type") or "untyped")
        return f"<li{attrs}>{''.join(parts)}</li>"


def _standoff_place(r, app: etree._Element) -> str:
    """Where a stand-off unit stands: ``@loc`` as written; for ``@from``/``@to`` the words of
    the text they span (a link to its start), never the raw ids."""
    placed = app in r.standoff.placed
    # the entry links to the mark where its lemma starts in the text (edition.render.standoff)
    href = f"#at:{r.standoff.ids[app]}" if placed else None
    if app.get("loc") and not app.get("from"):
        if href:
            return f'<a class="ae-loc" href="{escape(href)}">{escape(app.get("loc"))}</a>'
        return f'<span class="ae-loc" title="This place is not found in the text">{escape(app.get("loc"))}</span>'
    start = r.by_id.get(app.get("from", "").removeprefix("#"))
    end = r.by_id.get(app.get("to", "").removeprefix("#")) if app.get("to") else None
    words = spanned_words(start, end).split() if start is not None else []
    if not words:   # the pointers name nothing in the file: say so, without the ids
        return '<span class="ae-loc" title="The place this entry points to is not in the file">[?]</span>'
    text = " ".join(words) if len(words) <= 6 else f"{' '.join(words[:3])} … {' '.join(words[-2:])}"
    return f'<a class="ae-loc" href="{escape(href or "#" + start.get(XML_ID))}">{escape(text)}</a>'


def _details_html(r, details: list[etree._Element], mode) -> str:
    """`` (B: corrected in the margin)`` after a reading's sigla."""
    out = []
    for detail in details:
        who = " ".join(r.apparatus.sigla.all(detail.get("wit")))
        out.append(f' <span class="ae-detail">({escape(who) + ": " if who else ""}{_content(r, detail, mode)})</span>')
    return "".join(out)


def _with_context(context: tuple[str, str], reading: etree._Element, shown: str) -> str:
    """``shown`` (a reading's HTML) between its context words, with the reading's own space."""
    before, after = context
    if before and not before.endswith(" ") and "".join(reading.itertext())[:1].isspace():
        before += " "    # the space is part of this reading (" – " against "—")
    return escape(before) + shown + escape(after)


def _content(r, el, mode) -> str:
    out: list[str] = []
    r.render_children(el, out, mode)
    return "".join(out).strip()


def _sigla_attr(r, el: etree._Element, wit: str | None = None) -> str:
    """`` data-sigla="…"``: a reading's sigla as printed (a siglum's own spaces as U+00A0)."""
    found = r.apparatus.sigla.all(wit if wit is not None else el.get("wit")) + r.apparatus.sigla.all(el.get("source"))
    return f' data-sigla="{escape(" ".join(s.replace(" ", chr(0xa0)) for s in found))}"'


def sigla_html(r, el: etree._Element, wit: str | None = None) -> str:
    """The printed sigla of a reading (``wit``: its witnesses as printed, else its ``@wit``)."""
    found = r.apparatus.sigla.all(wit if wit is not None else el.get("wit")) + r.apparatus.sigla.all(el.get("source"))
    if not found:
        return ""
    return " " + " ".join(f'<span class="sig">{escape(s)}</span>' for s in found)
