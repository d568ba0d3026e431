"""The critical apparatus on the page: variation units in the text and their entries after it.

In: an ``app`` met by ``edition.render.html.HtmlRenderer`` (passed as ``r``). Out: in the running
text the lemma shown, every reading kept (hidden by the CSS) with its sigla, and a mark linking
to the unit's entry; the entry (lemma and sigla, readings and sigla, type, the editors' decision
and its reason) gathered by ``Apparatus`` for the list after the text. A stand-off ``app``
(``@from``, ``@loc``, in a ``listApp``) renders as its entry where it stands. The HTML is
described in the docstring of ``edition.render.html``.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from lxml import etree

from edition.render.rendered import Mode
from edition.render.witnessorder import WitnessOrder
from edition.tei.spacing import app_spaces
from edition.tei.text import plain_text, sigla
from edition.tei.vocabulary import NOT_IN_PLAIN_TEXT, NOT_IN_READING
from edition.tei.witnesses import Sigla, describe_witness, siglum_of
from edition.tei.xmlio import XML_ID, local_name


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

    def entry(self, el: etree._Element, app_id: str | None, mode, tag: str = "li") -> str:
        """The apparatus entry of an ``app``: location, lemma and sigla, readings and sigla, type."""
        r = self.r
        copy = Mode(phrasing=True, ids=mode.ids and tag != "li", numbered=False)
        readings = in_sequence(list(_readings(el)))
        details = witness_details(el, readings)   # each witDetail with the reading of its witness
        lem = next((c for c in readings if local_name(c) == "lem"), None)
        parts = []
        where = r.current_paragraph
        before = reading_before(el)
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
            parts.append(f'<span class="ae-emend">{escape(_emended_by(who, lem.get("cause")))}:</span> ')
        added = lem is not None and not _has_text(lem)
        # a mark alone is shown with its word, as in the print apparatus ("patriotism”.] patriotism.” P")
        context = punctuation_context(el, lem, before) if lem is not None and not added else ("", "")
        if lem is not None:
            # an addition is keyed to the word before it, as in the print apparatus ("COB] add. …")
            shown = _content(r, lem, copy) or (escape(word_before(el)) if added else "")
            shown = _with_context(context, lem, shown) if any(context) else shown
            lem_wit = r.apparatus.order.sort_wit(lem.get("wit"))
            parts.append(f'<span class="ae-lem{"" if shown else " empty"}"{_sigla_attr(r, lem, lem_wit)}>{shown or "—"}</span>')
            parts.append(_sigla_html(r, lem, lem_wit) + _details_html(r, details.get(lem, []), copy))
            parts.append('<span class="ae-sep">]</span> ')
        ordered = [(c, wit) for c, wit in r.apparatus.order.readings(readings) if local_name(c) == "rdg"]
        for k, (rdg, wit) in enumerate(ordered):
            text = _content(r, rdg, copy)
            kind = ""   # what the print apparatus reads: an omission, an addition (ae-text is then the words)
            if any(context):
                text = _with_context(context, rdg, text)
            elif _transposed(rdg):   # the words stand elsewhere in this witness: said once, as such
                text = f"<i>transp.</i> {text}" if _has_text(rdg) else "<i>transp.</i>"
            elif not _has_text(rdg):
                text, kind = "<i>om.</i>", " om"
            elif added:
                text, kind = f'<i class="ae-add">add.</i> {text}', " add"
            sep = '<span class="ae-sep">; </span>' if k else ""
            parts.append(f'{sep}<span class="ae-rdg{kind}"{_sigla_attr(r, rdg, wit)}><span class="ae-text">{text}</span>'
                         f'{_sigla_html(r, rdg, wit)}{_details_html(r, details.get(rdg, []), copy)}</span>')
        if emended:
            parts.append(' <span class="ae-rejected">(rejected)</span>')
        for other in _others(el):
            if local_name(other) == "note":
                # a note of the apparatus (the reason for an emendation …) is read in the entry
                label = "Reason: " if other.get("type") == "emendation" or emended else ""
                parts.append(f' <span class="ae-note">{escape(label)}{_content(r, other, copy)}</span>')
                if tag != "li" and mode.ids:   # a stand-off entry: list its note with the notes
                    r.notes.list_from(other, app_id)
            elif local_name(other) == "witDetail" and _has_text(other) \
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
        (``edition.render.pdf.entries.quotation_pairs``)."""
        if self.last is None:
            return None
        first = self.last[0]
        if _block_of(first) is not _block_of(app):
            return None
        a, b = list(_readings(first)), list(_readings(app))
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
        lem_a = next(c for c in _readings(first) if local_name(c) == "lem")
        lem_b = next(c for c in _readings(second) if local_name(c) == "lem")
        before = reading_before(first)
        within = reading_before(second)[len(before):]          # the opening mark and the words
        words = within[len("".join(lem_a.itertext())):]
        lemma = " ".join((within + "".join(lem_b.itertext())).split())
        where = r.current_paragraph
        label = f"¶ {where[1]}, word {word_number(before)}" if where else "↑"
        parts = [f'<a class="ae-loc" href="#{escape(first_id)}" title="Go to the variant in the text" '
                 f'data-pagefind-ignore="">{escape(label)}</a> ',
                 f'<span class="ae-lem">{escape(lemma)}</span>', _sigla_html(r, lem_a), '<span class="ae-sep">]</span> ']
        rdgs_b = [c for c in _readings(second) if c is not lem_b]
        for k, (x, y) in enumerate(zip([c for c in _readings(first) if c is not lem_a], rdgs_b)):
            text = " ".join(("".join(x.itertext()).strip() + words + "".join(y.itertext()).strip()).split())
            sep = '<span class="ae-sep">; </span>' if k else ""
            parts.append(f'{sep}<span class="ae-rdg"><span class="ae-text">{escape(text)}</span>'
                         f'{_sigla_html(r, x)}</span>')
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


def spanned_words(start: etree._Element, end: etree._Element | None) -> str:
    """The words from ``start`` to ``end`` (both ids of the text): the text ``start`` holds when
    there is no ``end``, else every word between them, notes and readings left out."""
    if end is None or end is start:
        return plain_text(start)
    scope = start.getparent()
    while scope is not None and not any(d is end for d in scope.iter()):
        scope = scope.getparent()
    if scope is None:
        return plain_text(start)
    parts: list[str] = []
    on, skipping = False, 0
    for event, node in etree.iterwalk(scope, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if node is end:
                break
            if node is start:
                on = True
            if local_name(node) in NOT_IN_PLAIN_TEXT:
                skipping += 1
            elif on and not skipping:
                parts.append(node.text or "")
        else:
            if local_name(node) in NOT_IN_PLAIN_TEXT:
                skipping -= 1
            if on and not skipping:
                parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _transposed(rdg: etree._Element) -> bool:
    """True for a reading that is words of the text moved (``@cause="transposition"``)."""
    return rdg.get("cause") == "transposition"


def _emended_by(who: str, cause: str | None) -> str:
    """``"Emended by the editors"`` … from a lemma's ``@resp`` and ``@cause``."""
    what = (cause or "reading").replace("emendation", "emended")
    what = "Emended" if what == "emended" else f"{what[:1].upper()}{what[1:]}"
    named = "the editors" if who in ("ed", "editor", "editors") else who
    return f"{what} by {named}" if named else what


def in_sequence(readings: list[etree._Element]) -> list[etree._Element]:
    """The readings with the variants in their ``@varSeq`` order where the TEI gives one (those
    without it after, in document order); the lemma, or the base reading of an app without one,
    stays first."""
    if not any(r.get("varSeq") for r in readings):
        return readings
    head = [r for r in readings if local_name(r) == "lem"] or readings[:1]
    rest = [r for r in readings if r not in head]

    def seq(r):
        value = (r.get("varSeq") or "").strip()
        return (0, int(value)) if value.isdigit() else (1, 0)
    return head + sorted(rest, key=seq)


def witness_details(app: etree._Element, readings: list[etree._Element]) -> dict:
    """Reading → the ``witDetail``s about it: the reading its ``@target`` names, else the first
    whose ``@wit`` shares its witness (one matching no reading is shown at the end of the entry)."""
    found: dict[etree._Element, list[etree._Element]] = {}
    ids = {r.get(XML_ID): r for r in readings if r.get(XML_ID)}
    for detail in (o for o in _others(app) if local_name(o) == "witDetail" and _has_text(o)):
        targets = [ids.get(t.removeprefix("#")) for t in (detail.get("target") or "").split()]
        reading = next((t for t in targets if t is not None), None)
        if reading is None:
            wits = set(sigla(detail.get("wit")))
            reading = next((r for r in readings if wits & set(sigla(r.get("wit")))), None)
        if reading is not None:
            found.setdefault(reading, []).append(detail)
    return found


def _details_html(r, details: list[etree._Element], mode) -> str:
    """`` (B: corrected in the margin)`` after a reading's sigla."""
    out = []
    for detail in details:
        who = " ".join(r.apparatus.sigla.all(detail.get("wit")))
        out.append(f' <span class="ae-detail">({escape(who) + ": " if who else ""}{_content(r, detail, mode)})</span>')
    return "".join(out)


def _details_text(r, details: list[etree._Element]) -> str | None:
    """The same as plain text, for the print apparatus (``data-detail``)."""
    parts = []
    for detail in details:
        who = " ".join(r.apparatus.sigla.all(detail.get("wit")))
        parts.append(f"{who}: {plain_text(detail)}" if who else plain_text(detail))
    return "; ".join(parts) or None


def _readings(app: etree._Element):
    for child in app:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) == "rdgGrp":
            yield from _readings(child)
        elif local_name(child) in ("lem", "rdg"):
            yield child


def _others(app: etree._Element):
    """Children of an app (or its reading groups) that are not readings: notes, witDetail …"""
    for child in app:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) == "rdgGrp":
            yield from _others(child)
        elif local_name(child) not in ("lem", "rdg"):
            yield child




def _block_of(app: etree._Element):
    block = app.getparent()
    while block is not None and local_name(block) not in ("p", "l", "ab", "head", "item", "note", "quote", "cell"):
        block = block.getparent()
    return block


def reading_before(app: etree._Element) -> str:
    """The reading text of ``app``'s block (paragraph, line …) before it."""
    block = _block_of(app)
    pieces: list[str] = []
    if block is None or not _text_before(block, app, pieces):
        return ""
    return "".join(pieces)


def word_number(before: str) -> int:
    """The number of the word a variant starts in, counted in its block from 1 (a dash or other
    mark standing alone is no word)."""
    tokens = before.split()
    words = sum(1 for t in tokens if any(ch.isalnum() for ch in t))
    glued = before and not before[-1].isspace() and any(ch.isalnum() for ch in tokens[-1])
    return words if glued else words + 1


_OPENING = "“‘«„‚‹([{\"'"
QUOTES = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "‹": "›", "\"": "\"", "'": "'"}


def punctuation_context(app: etree._Element, lem: etree._Element, before: str) -> tuple[str, str]:
    """(text before, text after) that shows a lemma of punctuation alone with its word: an
    opening mark glued to the next word takes that word, any other mark the word before it."""
    text = "".join(lem.itertext())
    if not text.strip() or any(ch.isalnum() for ch in text):
        return "", ""
    after = app.tail or ""
    if text.strip()[0] in _OPENING and after[:1].strip():
        return "", after.split()[0]
    words = before.split()
    if not words:
        return "", ""
    return words[-1].lstrip("“‘«„‚‹([{\"'") + ("" if before[-1:].strip() else " "), ""


def _with_context(context: tuple[str, str], reading: etree._Element, shown: str) -> str:
    """``shown`` (a reading's HTML) between its context words, with the reading's own space."""
    before, after = context
    if before and not before.endswith(" ") and "".join(reading.itertext())[:1].isspace():
        before += " "    # the space is part of this reading (" – " against "—")
    return escape(before) + shown + escape(after)


def word_before(app: etree._Element) -> str:
    """The word printed just before ``app`` in its paragraph (the lemma of an addition), or ''."""
    block = app.getparent()
    while block is not None and local_name(block) not in ("p", "l", "ab", "head", "item", "note", "quote", "cell"):
        block = block.getparent()
    pieces: list[str] = []
    if block is None or not _text_before(block, app, pieces):
        return ""
    words = "".join(pieces).split()
    return words[-1] if words else ""


def _text_before(node: etree._Element, stop: etree._Element, pieces: list[str]) -> bool:
    """Add the reading text of ``node`` up to ``stop``; True once ``stop`` is reached."""
    pieces.append(node.text or "")
    for child in node:
        if child is stop:
            return True
        if isinstance(child.tag, str) and local_name(child) not in NOT_IN_READING:
            if _text_before(child, stop, pieces):
                return True
        elif isinstance(child.tag, str) and any(d is stop for d in child.iter()):
            return True
        pieces.append(child.tail or "")
    return False


def _has_text(el: etree._Element) -> bool:
    """True when a reading has words: text, a gap, or a pointer to its text given elsewhere
    (``<rdg><ptr target="…"/></rdg>`` is not an omission)."""
    return bool("".join(el.itertext()).strip()) or any(
        isinstance(c.tag, str) and (local_name(c) == "gap" or local_name(c) in ("ptr", "ref") and c.get("target"))
        for c in el.iter())


def _content(r, el, mode) -> str:
    out: list[str] = []
    r.render_children(el, out, mode)
    return "".join(out).strip()


def _sigla_attr(r, el: etree._Element, wit: str | None = None) -> str:
    """`` data-sigla="…"``: a reading's sigla as printed (a siglum's own spaces as U+00A0)."""
    found = r.apparatus.sigla.all(wit if wit is not None else el.get("wit")) + r.apparatus.sigla.all(el.get("source"))
    return f' data-sigla="{escape(" ".join(s.replace(" ", chr(0xa0)) for s in found))}"'


def _sigla_html(r, el: etree._Element, wit: str | None = None) -> str:
    """The printed sigla of a reading (``wit``: its witnesses as printed, else its ``@wit``)."""
    found = r.apparatus.sigla.all(wit if wit is not None else el.get("wit")) + r.apparatus.sigla.all(el.get("source"))
    if not found:
        return ""
    return " " + " ".join(f'<span class="sig">{escape(s)}</span>' for s in found)


def render_app(r, el, out, mode, rule) -> None:
    """A variation unit in the running text: the lemma shown, readings hidden, a mark to open it."""
    # the layout space at the unit's edges that is a word boundary (edition.tei.spacing)
    space_before, space_after = app_spaces(el)
    if not mode.ids:   # a copy inside another entry: the lemma only
        lem = next((c for c in _readings(el) if local_name(c) == "lem"), None)
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
    readings = in_sequence(list(_readings(el)))
    details = witness_details(el, readings)
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
    for k, (child, wit_value) in enumerate(r.apparatus.order.readings(readings)):
        name = local_name(child)
        cls = name if has_lem or k else "rdg base"
        # readings are indexed for search through the apparatus list, where words are apart
        ignore = "" if name == "rdg" and not cls.endswith("base") else None
        # an emended lemma says why and whose decision it is (the print apparatus reads these)
        emend = {"data_cause": child.get("cause"), "data_resp": " ".join(sigla(child.get("resp"))) or None} \
            if name == "lem" else {"data_cause": "transposition"} if _transposed(child) else {}
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
    for child in _others(el):
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
            f"{kind}; {_emended_by(' '.join(sigla(lem.get('resp'))), lem.get('cause')).lower()}"
        target = opening[1] if opening else app_id
        out.append(f'<a class="app-mark{" emended" if emended else ""}" href="#apparatus:{escape(target)}" '
                   f'data-pagefind-ignore="" aria-label="Variant ({escape(label)}). '
                   f'{escape(spoken_readings(r, el))}"><sup>{"*" if emended else "°"}</sup></a>')
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
    r.apparatus.entries[slot] = r.apparatus.entry(el, app_id, replace(mode, ids=False))
    r.apparatus.last = (el, app_id, slot)


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


def spoken_readings(r, app: etree._Element) -> str:
    """What each witness reads, for a screen reader: "W reads: patriotism”.; P reads: patriotism.”"."""
    readings = list(_readings(app))
    lem = next((c for c in readings if local_name(c) == "lem"), None)
    context = punctuation_context(app, lem, reading_before(app)) if lem is not None else ("", "")
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
