"""Apparatus entries as a printed critical edition sets them, keyed to printed lines.

In: the variation units of the print HTML (``span.app`` with ``data-type``, its lemma
``span.lem`` and readings ``span.rdg[data-wit]``, as the shared HTML renderer writes them) and
where each lemma was printed (``LemmaPlace``, from ``edition.render.pdf.linekeys``). Out: one
footnote per printed line and tier (``span.lk-fn``), inserted where that line's first lemma
stands, reading ``12 paralysed] paralyzed P | the²] om. P``:

- negative apparatus: the lemma, ``]``, each differing reading and its sigla (``;`` between);
- ``om.`` for an empty reading, ``add.`` with the preceding word as lemma for an empty lemma;
  ``transp.`` for a reading that is the text's words moved (``data-cause="transposition"``), at
  both places: ``wilkil … lirtun] transp. B`` and ``lunfen] transp. wilkil … lirtun B``;
- ``12–13`` (an en dash between the first and last printed line) when the lemma runs over a line
  end, as reledmac prints it and ``shared/notes/apparatus.md`` describes it; when line numbers
  restart per page and the lemma runs onto the next page, ``38 sq.`` (a range ``38–1`` would
  read backwards). We print no ``~`` for this: in the Teubner/Oxford convention ``~`` marks a
  transposition, so it would say something else. A range entry is its own group, with its own
  bold number, never folded into the group of its first line;
- a lemma of more than four words is shortened to ``first … last``; a superscript counter when
  the lemma's word occurs twice on its line;
- an emendation (lemma with ``data-cause="emendation"``, as the shared renderer marks it):
  ``crashing] P : come crashing W`` (the lemma's witness, then the rejected reading);
- tiers as reledmac's series: substantive (and untyped) variants above the accidentals
  (orthographic, punctuation, case); a type of the editor's own prints in the main tier, or in
  the tier ``tiers`` maps it to (``main``, ``accidentals`` or a tier of its own, printed below
  those two); ``types`` selects which types print (see ``edition.render.pdf.options``).
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from lxml import etree

from edition.render.lang import has_rtl
from edition.render.pdf.entrywords import (
    NBSP,
    counter,
    is_punctuation,
    joined,
    punctuation_context,
    quotation_pairs,
    shorten,
    shorten_reading,
    stream_text,
    text_width,
    word_before,
)
from edition.render.pdf.printhtml import classes, streams
from edition.render.pdf.standoff import insert_at, remove_entries
from edition.render.pdf.units import (
    LemmaPlace,
    TypeChoice,
    Unit,
    read_units,
    tier_of,
    tier_order,
)


def _said(unit: Unit, k: int | None) -> str:
    """`` (B: corrected in the margin)`` after a reading's (or, ``None``, the lemma's) sigla."""
    text = unit.lemma_said if k is None else (unit.said[k] if k < len(unit.said) else "")
    return f' <span class="lk-said">({_esc(text)})</span>' if text else ""


def line_label(first: int, last: int) -> str:
    """The entry's line number: ``12``, ``12–13`` over a line end, ``38 sq.`` onto the next page."""
    if first == last:
        return str(first)
    return f"{first}–{last}" if last > first else f"{first} sq."


class EntryBuilder:
    """Builds and inserts the per-line apparatus footnotes for one layout reading."""

    def __init__(self, tree, types: list[str] | None = None, tiers: dict[str, str] | None = None):
        self.units = read_units(tree)
        self.choice = TypeChoice(types, tiers)
        self.tiers = self.choice.tiers
        self.pairs: dict[str, str] = {}       # opening quotation mark's app id → closing one's
        self._places: dict[str, LemmaPlace] = {}

    def _partner(self, place: LemmaPlace) -> LemmaPlace | None:
        closing = self.pairs.get(place.app_id)
        return self._places.get(closing) if closing else None

    def wanted(self, unit: Unit) -> bool:
        """True when the unit's type is printed."""
        return self.choice.wanted(unit.kind)

    def insert(self, tree, reading, stream_of=None) -> int:
        """Insert the apparatus footnotes into ``tree`` (a fresh copy); return the entry count."""
        found = stream_of or streams(tree)
        groups: dict[tuple, list[tuple[LemmaPlace, Unit]]] = {}
        placed = [(place, self.units[place.app_id])
                  for place in sorted(reading.lemmas.values(), key=lambda p: (p.first_index, p.pos))
                  if place.app_id in self.units and self.wanted(self.units[place.app_id])]
        self._places = {place.app_id: place for place, _ in placed}
        self.pairs = quotation_pairs(placed)
        for place, unit in placed:
            if place.app_id in self.pairs.values():
                continue   # the closing mark of a pair: printed in its opening mark's entry
            partner = self._partner(place)
            line = reading.lines[place.first_index]
            last = partner.last if partner is not None else place.last
            key = (line.text_id, line.page, place.first, last, tier_of(unit.kind, self.tiers))
            groups.setdefault(key, []).append((place, unit))
        apps = {el.get("id"): el for el in tree.iter()
                if isinstance(el.tag, str) and "app" in classes(el) and el.get("id")}
        count = 0
        at_positions = []   # stand-off calls, put in last (later first) so stream offsets hold
        keyed = []
        for (text_id, page, first, last, tier), members in groups.items():
            number = line_label(first, last)
            parts = [self._entry(place, unit, reading, found) for place, unit in members]
            place = members[0][0]
            host = apps.get(place.app_id)
            if host is None and (not members[0][1].standoff or place.key not in found):
                continue
            # entries, then their tier's rule (no height): the rule goes wherever the entries went
            order = tier_order(tier, self.tiers)
            footnote, rule = _footnote(tier, order, number, parts), _rule(tier, order - 1)
            footnote.append(rule)   # moved after the footnote once it stands in the text
            if host is not None:
                _insert_at_lemma(host, footnote)
            else:
                at_positions.append((place.key, place.pos, footnote))
            _rule_after(footnote)
            count += len(members)
            keyed += [unit.app_id for _, unit in members if unit.standoff]
        for key, pos, footnote in sorted(at_positions, key=lambda a: (a[0], a[1]), reverse=True):
            insert_at(found[key], pos, footnote)
            _rule_after(footnote)
        # a keyed stand-off entry prints at the foot, not where it stands
        remove_entries(tree, set(keyed))
        return count

    def _entry(self, place: LemmaPlace, unit: Unit, reading, found) -> str:
        stream = found.get(place.key)
        if unit.standoff and not unit.lemma and stream is not None:
            # a stand-off unit without a lemma of its own: the words printed between its marks
            end = place.end if place.end is not None else len(stream.chars)
            unit = replace(unit, lemma=stream_text(stream, place.pos, end))
        if stream is not None:
            partner = self._partner(place)
            if partner is not None:
                return self._pair_entry(place, unit, self.units[partner.app_id], partner, stream)
            if is_punctuation(unit.lemma) and not unit.emendation:
                return self._punctuation_entry(place, unit, reading, stream)
        lemma = unit.lemma
        addition = not lemma
        if addition and stream is not None:
            lemma = word_before(stream, place.pos)
        mark = counter(stream, reading, place, lemma) if stream is not None and not addition else ""
        first, _, rest = shorten(lemma).partition(" ")
        # The counter belongs to the word that repeats: the lemma's first word.
        lem_html = (f'<span class="lk-lem"{_lem_dir(lemma)}>{_esc(first, False)}{mark}'
                    f'{" " + _esc(rest, False) if rest else ""}</span>]')
        if unit.emendation:
            # with an empty lemma the rejected reading is shown in context: "structure] P : structure come W"
            context = (lambda text: f"{lemma} {text}") if addition else (lambda text: text)
            readings = "; ".join(f"{_esc(context(text)) if text else '<i>om.</i>'} {_sig(wits)}{_said(unit, k)}"
                                 for k, (text, wits) in enumerate(unit.readings))
            return f'{lem_html} {_sig(unit.lemma_wit)}{_said(unit, None)} : {readings}'
        lemma_said = f" {_sig(unit.lemma_wit)}{_said(unit, None)}" if unit.lemma_said else ""
        if unit.lemma_sigla and unit.lemma_wit:
            lem_html, lemma_said = f"{lem_html[:-1]} {_sig(unit.lemma_wit)}{_said(unit, None)}]", ""
        rendered = []
        for k, (text, wits) in enumerate(unit.readings):
            if k in unit.transposed:   # the words moved in this witness: "transp." (reledmac's)
                rendered.append(f"<i>transp.</i>{' ' + _esc(shorten(text)) if text else ''} {_sig(wits)}{_said(unit, k)}")
            elif addition:
                rendered.append(f"<i>add.</i> {_esc(text)} {_sig(wits)}{_said(unit, k)}")
            elif not text:
                rendered.append(f"<i>om.</i> {_sig(wits)}{_said(unit, k)}")
            else:
                shown = text if text in unit.whole else shorten_reading(text, lemma)
                rendered.append(f"{_esc(shown)} {_sig(wits)}{_said(unit, k)}")
        lemma_said = f" {_sig(unit.lemma_wit)}{_said(unit, None)}" if unit.lemma_said else ""
        return f"{lem_html}{lemma_said} {'; '.join(rendered)}"

    def _punctuation_entry(self, place: LemmaPlace, unit: Unit, reading, stream) -> str:
        """A lemma of punctuation alone, printed with the word it belongs to, as reledmac
        editions print it: ``patriotism”.] patriotism.” P``, ``class –] class— P``."""
        before, after, spaced = punctuation_context(stream, place.pos, unit.lemma)
        lemma = joined(before, unit.lemma, after, spaced)
        mark = counter(stream, reading, place, lemma.replace("\u00a0", " "))
        first, _, rest = lemma.partition("\u00a0")
        lem_html = (f'<span class="lk-lem"{_lem_dir(lemma)}>{_esc(first, False)}{mark}'
                    f'{NBSP + _esc(rest, False) if rest else ""}</span>]')
        rendered = []
        for k, (text, wits) in enumerate(unit.readings):
            # a space that is part of the variant (" – " against "—") is the lemma's alone
            own_space = unit.readings_spaced[k] if k < len(unit.readings_spaced) else False
            gap = own_space if unit.lemma_spaced else spaced
            rendered.append(f"{_esc(joined(before, text, after, gap))} {_sig(wits)}{_said(unit, k)}")
        return f"{lem_html} {'; '.join(rendered)}"

    def _pair_entry(self, place: LemmaPlace, unit: Unit, closing: Unit, end: LemmaPlace, stream) -> str:
        """Opening and closing quotation marks as one entry: ``“instrument”] instrument P``."""
        inner_start = place.pos + text_width(unit.lemma)
        inner = stream_text(stream, inner_start, end.pos)
        lemma = stream_text(stream, place.pos, end.pos + text_width(closing.lemma))
        rendered = []
        for (open_text, wits), (close_text, _) in zip(unit.readings, closing.readings):
            rendered.append(f"{_esc(shorten(open_text.strip() + inner + close_text.strip()))} {_sig(wits)}")
        return f'<span class="lk-lem"{_lem_dir(lemma)}>{_esc(shorten(lemma), False)}</span>] {"; ".join(rendered)}'


def _esc(text: str, isolate: bool = True) -> str:
    """The text as HTML; words of a right-to-left script set apart as a run of their own
    (``dir="rtl"``), so that the ``]`` and the sigla between them stay in their places."""
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<span dir="rtl">{html}</span>' if isolate and has_rtl(text) else html


def _lem_dir(lemma: str) -> str:
    return ' dir="rtl"' if has_rtl(lemma) else ""


def _sig(wits: list[str]) -> str:
    return " ".join(f'<span class="lk-sig">{_esc(w)}</span>' for w in wits)


def _footnote(tier: str, order: int, number: str, parts: list[str]):
    bar = ' <span class="lk-bar">|</span> '
    html = (f'<span class="lk-fn" data-tier="{escape(tier)}" data-fn-order="{order}">'
            f'<b class="lk-n">{number}</b>\u00a0{bar.join(parts)}</span>')   # the number stays with its lemma
    return etree.fromstring(html)


def _rule_after(footnote) -> None:
    """Move the tier's rule (held inside the footnote until it is placed) right after it."""
    rule = footnote[-1] if len(footnote) and "lk-sep" in classes(footnote[-1]) else None
    if rule is None or footnote.getparent() is None:
        return
    footnote.remove(rule)
    rule.tail, footnote.tail = footnote.tail, None
    footnote.addnext(rule)


def _rule(tier: str, order: int):
    span = etree.Element("span")
    span.set("class", "lk-sep")
    span.set("data-tier", tier)
    span.set("data-fn-order", str(order))
    span.set("aria-hidden", "true")
    return span


def _insert_at_lemma(host, span) -> None:
    """Call the footnote right after the lemma's first word, so that it prints on the page where
    the lemma starts and sticks to that word (a call after a space could be laid out at the end
    of the line above); after the lemma when it has no text of its own."""
    lem = next((c for c in host if isinstance(c.tag, str) and ("lem" in classes(c) or {"rdg", "base"} <= classes(c))),
               None)
    if lem is None:
        span.tail = host.text
        host.text = None
        host.insert(0, span)
        return
    holder, which = lem, "text"
    nodes = [(lem, "text")] + [(child, "tail") for child in lem]
    for holder, which in nodes:
        text = getattr(holder, which) or ""
        start = len(text) - len(text.lstrip())
        if text.strip():
            end = start
            while end < len(text) and not text[end].isspace():
                end += 1
            span.tail = text[end:]
            setattr(holder, which, text[:end])
            if which == "text":
                holder.insert(0, span)
            else:
                holder.addnext(span)
            return
    span.tail, lem.tail = lem.tail, None
    lem.addnext(span)
