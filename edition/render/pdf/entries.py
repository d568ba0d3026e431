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

import re
import unicodedata
from dataclasses import dataclass, replace
from html import escape

from lxml import etree

from edition.render.lang import has_rtl
from edition.render.pdf.printhtml import classes, streams, visible_text
from edition.render.pdf.standoff import insert_at, remove_entries, standoff_entries

ACCIDENTALS = frozenset({"orthographic", "punctuation", "case"})
KNOWN_TYPES = frozenset({"substantive"}) | ACCIDENTALS   # the kinds edition's own collation makes
# data-fn-order of the footnote kinds (edition.render.pdf.footnotes sorts by it); a tier of the
# editor's own takes the next odd number, its rule the even one below.
ORDER = {"rule-notes": 0, "notes": 1, "rule-A": 2, "A": 3, "rule-B": 4, "B": 5}
TIER_NAMES = {"main": "A", "substantive": "A", "accidentals": "B"}
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PUNCT = re.compile(r"^\W+|\W+$")


@dataclass
class LemmaPlace:
    """Where a lemma was printed: block key and stream index, line indices, page, numbers."""

    app_id: str
    key: str
    pos: int
    first_index: int
    last_index: int
    page: int = 0
    first: int = 0
    last: int = 0
    texted: bool = False   # True once a fragment with printed characters was met
    end: int | None = None   # a stand-off lemma's end in the same block (edition.render.pdf.standoff)


@dataclass
class Unit:
    """One variation unit, read from the print HTML."""

    app_id: str
    kind: str
    lemma: str
    lemma_wit: list[str]
    readings: list[tuple[str, list[str]]]
    emendation: bool
    whole: frozenset[str] = frozenset()   # readings printed in full (given elsewhere, by pointer)
    lemma_spaced: bool = False          # the lemma's own text begins with a space (" – ")
    readings_spaced: tuple[bool, ...] = ()
    lemma_sigla: bool = False           # the lemma's witnesses follow it ([pdf] lemma_witnesses)
    transposed: frozenset[int] = frozenset()   # readings that are the text's words moved
    standoff: bool = False              # a stand-off unit (@loc, @from/@to), its entry where it stands
    # what the apparatus says of a reading (witDetail, the variants of a unit nested in it), by index
    said: tuple[str, ...] = ()
    lemma_said: str = ""


def read_units(tree) -> dict[str, Unit]:
    """Every variation unit of the print HTML with an id, by id."""
    units: dict[str, Unit] = {}
    nested: dict[tuple[str, int], list[str]] = {}
    for app in tree.iter():
        if not isinstance(app.tag, str) or "app" not in classes(app) or not app.get("id"):
            continue
        lem = None
        readings = []
        whole = set()
        said = []
        for child in app:
            if not isinstance(child.tag, str):
                continue
            cls = classes(child)
            if "lem" in cls or {"rdg", "base"} <= cls:
                lem = child
            elif "rdg" in cls:
                readings.append((visible_text(child), _wits(child)))
                said.append(child.get("data-detail") or "")
                # a unit nested in a reading is not printed in the line: its entry goes with the reading
                inner = [d.get("id") for d in child.iter() if d is not child and "app" in classes(d) and d.get("id")]
                if inner:
                    nested[(app.get("id"), len(readings) - 1)] = inner
                if child.xpath(".//*[contains(concat(' ', @class, ' '), ' unresolved ')]"):
                    whole.add(readings[-1][0])   # "reading given elsewhere (→ …)" says where: keep it whole
        lemma = visible_text(lem) if lem is not None else ""
        emended = lem is not None and lem.get("data-cause") == "emendation"
        spaced = tuple(_leading_space(c) for c in app if isinstance(c.tag, str) and "rdg" in classes(c)
                       and c is not lem)
        moved = frozenset(k for k, c in enumerate(c for c in app if isinstance(c.tag, str) and "rdg" in classes(c)
                                                  and c is not lem) if c.get("data-cause") == "transposition")
        units[app.get("id")] = Unit(app.get("id"), app.get("data-type") or "untyped", lemma,
                                    _wits(lem) if lem is not None else [],
                                    readings, emended, frozenset(whole), lem is not None and _leading_space(lem),
                                    spaced, _lemma_sigla(app), moved, said=tuple(said),
                                    lemma_said=(lem.get("data-detail") or "") if lem is not None else "")
    for (outer, k), inner in nested.items():
        notes = list(units[outer].said)
        notes[k] = "; ".join(filter(None, [notes[k]] + [_nested_entry(units[i]) for i in inner if i in units]))
        units[outer] = replace(units[outer], said=tuple(notes))
    for app_id, found in standoff_entries(tree).items():   # @loc and @from/@to units
        units.setdefault(app_id, Unit(app_id, found.kind, found.lemma, found.lemma_wit, found.readings, False,
                                      found.whole, standoff=True))
    return units


def _lemma_sigla(app) -> bool:
    """True when the unit's text asks for the lemma's witnesses (``data-lemma-witnesses`` on its
    ``section.text``, from ``[pdf] lemma_witnesses``): ``word A D] variant B C``."""
    return any(el.get("data-lemma-witnesses") is not None for el in app.iterancestors("section"))


def _nested_entry(unit: Unit) -> str:
    """A unit nested in a reading, as plain text: ``long C] short D``."""
    readings = "; ".join(f"{text or 'om.'} {' '.join(wits)}".strip() for text, wits in unit.readings)
    return f"{unit.lemma} {' '.join(unit.lemma_wit)}".strip() + f"] {readings}"


def _said(unit: Unit, k: int | None) -> str:
    """`` (B: corrected in the margin)`` after a reading's (or, ``None``, the lemma's) sigla."""
    text = unit.lemma_said if k is None else (unit.said[k] if k < len(unit.said) else "")
    return f' <span class="lk-said">({_esc(text)})</span>' if text else ""


def _wits(reading) -> list[str]:
    """A reading's sigla as printed (``data-sigla``, a siglum's own spaces as U+00A0), else its
    witness ids (``data-wit``)."""
    printed = reading.get("data-sigla")
    if printed is not None:
        return [s.replace("\u00a0", " ") for s in printed.split(" ") if s]
    return (reading.get("data-wit") or "").split()


def _leading_space(el) -> bool:
    return "".join(el.itertext())[:1].isspace()


def line_label(first: int, last: int) -> str:
    """The entry's line number: ``12``, ``12–13`` over a line end, ``38 sq.`` onto the next page."""
    if first == last:
        return str(first)
    return f"{first}–{last}" if last > first else f"{first} sq."


def tier_of(kind: str, tiers: dict[str, str] | None = None) -> str:
    """``A`` for substantive (and untyped) variants, ``B`` for accidentals; a mapped type's tier."""
    if tiers and kind in tiers:
        return TIER_NAMES.get(tiers[kind], tiers[kind])
    return "B" if kind in ACCIDENTALS else "A"


def tier_order(tier: str, tiers: dict[str, str] | None = None) -> int:
    """The tier's ``data-fn-order``: A, B, then the editor's tiers in the order they are mapped."""
    if tier in ORDER:
        return ORDER[tier]
    own = list(dict.fromkeys(t for t in (tiers or {}).values() if TIER_NAMES.get(t, t) not in ORDER))
    return 7 + 2 * (own.index(tier) if tier in own else len(own))


def _norm(word: str) -> str:
    return unicodedata.normalize("NFC", _PUNCT.sub("", word))


def _shorten_reading(text: str, lemma: str) -> str:
    """A long reading shortened as its lemma is (``WHO … IS``) only when the words left out are
    the lemma's own (but for case and marks); otherwise in full: a reading is printed nowhere
    else."""
    words, own = text.split(), lemma.split()
    if len(words) <= 4 or len(words) != len(own):
        return text
    same = all(_norm(a).casefold() == _norm(b).casefold() for a, b in zip(words[1:-1], own[1:-1]))
    return _shorten(text) if same else text


def _shorten(lemma: str) -> str:
    words = lemma.split()
    return f"{words[0]} … {words[-1]}" if len(words) > 4 else lemma


class TypeChoice:
    """Which apparatus types print, and in which tier (``types`` and ``tiers`` of the options)."""

    def __init__(self, types: list[str] | None = None, tiers: dict[str, str] | None = None):
        self.types = set(types) if types else None
        self.tiers = dict(tiers or {})
        # a list naming only edition's own kinds chooses among them; the editor's types still print
        self.own_only = self.types is not None and self.types <= KNOWN_TYPES

    def wanted(self, kind: str) -> bool:
        """True when units of this type print (untyped units print with the substantive)."""
        if self.types is None:
            return True
        kind = kind if kind != "untyped" else "substantive"
        return kind in self.types or (self.own_only and kind not in KNOWN_TYPES)

    def unmapped(self, kind: str) -> bool:
        """True for a printed type that is none of edition's kinds and is mapped to no tier."""
        return kind not in KNOWN_TYPES | {"untyped"} and kind not in self.tiers and self.wanted(kind)


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
            lemma = _word_before(stream, place.pos)
        mark = _counter(stream, reading, place, lemma) if stream is not None and not addition else ""
        first, _, rest = _shorten(lemma).partition(" ")
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
                rendered.append(f"<i>transp.</i>{' ' + _esc(_shorten(text)) if text else ''} {_sig(wits)}{_said(unit, k)}")
            elif addition:
                rendered.append(f"<i>add.</i> {_esc(text)} {_sig(wits)}{_said(unit, k)}")
            elif not text:
                rendered.append(f"<i>om.</i> {_sig(wits)}{_said(unit, k)}")
            else:
                shown = text if text in unit.whole else _shorten_reading(text, lemma)
                rendered.append(f"{_esc(shown)} {_sig(wits)}{_said(unit, k)}")
        lemma_said = f" {_sig(unit.lemma_wit)}{_said(unit, None)}" if unit.lemma_said else ""
        return f"{lem_html}{lemma_said} {'; '.join(rendered)}"

    def _punctuation_entry(self, place: LemmaPlace, unit: Unit, reading, stream) -> str:
        """A lemma of punctuation alone, printed with the word it belongs to, as reledmac
        editions print it: ``patriotism”.] patriotism.” P``, ``class –] class— P``."""
        before, after, spaced = punctuation_context(stream, place.pos, unit.lemma)
        lemma = _joined(before, unit.lemma, after, spaced)
        mark = _counter(stream, reading, place, lemma.replace("\u00a0", " "))
        first, _, rest = lemma.partition("\u00a0")
        lem_html = (f'<span class="lk-lem"{_lem_dir(lemma)}>{_esc(first, False)}{mark}'
                    f'{NBSP + _esc(rest, False) if rest else ""}</span>]')
        rendered = []
        for k, (text, wits) in enumerate(unit.readings):
            # a space that is part of the variant (" – " against "—") is the lemma's alone
            own_space = unit.readings_spaced[k] if k < len(unit.readings_spaced) else False
            gap = own_space if unit.lemma_spaced else spaced
            rendered.append(f"{_esc(_joined(before, text, after, gap))} {_sig(wits)}{_said(unit, k)}")
        return f"{lem_html} {'; '.join(rendered)}"

    def _pair_entry(self, place: LemmaPlace, unit: Unit, closing: Unit, end: LemmaPlace, stream) -> str:
        """Opening and closing quotation marks as one entry: ``“instrument”] instrument P``."""
        inner_start = place.pos + _width(unit.lemma)
        inner = stream_text(stream, inner_start, end.pos)
        lemma = stream_text(stream, place.pos, end.pos + _width(closing.lemma))
        rendered = []
        for (open_text, wits), (close_text, _) in zip(unit.readings, closing.readings):
            rendered.append(f"{_esc(_shorten(open_text.strip() + inner + close_text.strip()))} {_sig(wits)}")
        return f'<span class="lk-lem"{_lem_dir(lemma)}>{_esc(_shorten(lemma), False)}</span>] {"; ".join(rendered)}'


NBSP = "\u00a0"
QUOTES = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "‹": "›", "\"": "\"", "'": "'"}


def is_punctuation(text: str) -> bool:
    """True for a lemma of punctuation alone (no letter, no digit)."""
    return bool(text.strip()) and not any(ch.isalnum() for ch in text)


def _width(text: str) -> int:
    """How many stream characters a text takes (the stream holds no spaces)."""
    return len("".join(text.split()))


def stream_text(stream, start: int, end: int) -> str:
    """The printed text between two stream positions, with its spaces."""
    out = []
    for j in range(max(start, 0), min(end, len(stream.chars))):
        if j > start and stream.word_start[j]:
            out.append(" ")
        out.append(stream.chars[j])
    return "".join(out)


def punctuation_context(stream, pos: int, lemma: str) -> tuple[str, str, bool]:
    """(word before, word after, spaced) of a punctuation lemma at ``pos``: an opening mark
    glued to the next word takes that word; any other mark the word before it (``spaced`` when
    a space stands between them)."""
    end = pos + _width(lemma)
    chars = stream.chars
    if lemma.strip()[:1] in QUOTES or lemma.strip()[:1] in "([{":
        if end < len(chars) and not stream.word_start[end]:
            j = end + 1
            while j < len(chars) and not stream.word_start[j] and chars[j].isalnum():
                j += 1
            return "", stream_text(stream, end, j), False
    if pos <= 0:
        return "", "", False
    j = pos - 1
    while j > 0 and not stream.word_start[j]:
        j -= 1
    # the word itself, without the marks that open it ("“patriotism”." → "patriotism”.")
    while j < pos - 1 and not chars[j].isalnum():
        j += 1
    return stream_text(stream, j, pos), "", bool(stream.word_start[pos]) if pos < len(chars) else False


def _joined(before: str, text: str, after: str, spaced: bool) -> str:
    core = text.strip()
    if before:
        # a no-break space: the word and its mark are one lemma, never parted at a line's end
        return f"{before}{NBSP if spaced and core else ''}{core}{after}"
    return f"{core}{after}"


def quotation_pairs(placed: list[tuple[LemmaPlace, Unit]]) -> dict[str, str]:
    """Units that are an opening and the matching closing quotation mark of one quotation, with
    the same witnesses and readings of punctuation alone (or nothing): opening id → closing id."""
    pairs = {}
    for (a, ua), (b, ub) in zip(placed, placed[1:]):
        open_mark = ua.lemma.strip()
        if (open_mark in QUOTES and ub.lemma.strip() == QUOTES[open_mark] and a.key == b.key
                and b.pos > a.pos and ua.kind == ub.kind and not ua.emendation and not ub.emendation
                and [w for _, w in ua.readings] == [w for _, w in ub.readings]
                and all(not t.strip() or is_punctuation(t) for t, _ in ua.readings + ub.readings)
                and a.app_id not in pairs.values()):
            pairs[a.app_id] = b.app_id
    return pairs


def _word_before(stream, pos: int) -> str:
    """The word printed just before stream position ``pos`` (the lemma of an addition)."""
    j = pos - 1
    chars = []
    while j >= 0:
        chars.append(stream.chars[j])
        if stream.word_start[j]:
            break
        j -= 1
    return "".join(reversed(chars))


def _counter(stream, reading, place: LemmaPlace, lemma: str) -> str:
    """``¹``/``²`` when the lemma's first word occurs more than once on its printed line."""
    line = reading.lines[place.first_index]
    if line.start is None or not lemma.split():
        return ""
    nxt = next((ln.start for ln in reading.lines[place.first_index + 1:] if ln.key == line.key),
               len(stream.chars))
    words: list[tuple[int, str]] = []
    for j in range(line.start, min(nxt, len(stream.chars))):
        if j == line.start or stream.word_start[j]:
            words.append((j, ""))
        words[-1] = (words[-1][0], words[-1][1] + stream.chars[j])
    # a lemma that is only punctuation ("–") is compared as printed, not as an empty word
    target = _norm(lemma.split()[0]) or lemma.split()[0]
    same = [j for j, w in words if (_norm(w) or w.strip()) == target]
    if len(same) < 2:
        return ""
    before = sum(1 for j in same if j <= place.pos)
    return f'<span class="lk-c">{str(before).translate(SUPERSCRIPTS)}</span>' if before else ""


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
