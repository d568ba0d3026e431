"""The variation units of the print HTML, where their lemmas were printed, and their tiers.

In: the print HTML as the shared renderer writes it (``span.app`` with ``data-type``, its lemma
``span.lem`` and readings ``span.rdg`` with ``data-wit``/``data-sigla``, ``data-cause``,
``data-detail``; the stand-off entries of ``edition.render.pdf.standoff``) and the ``types`` and
``tiers`` of the options. Out: a ``Unit`` per unit (lemma, readings and their sigla, emendation,
transpositions, what is said of each reading), the ``LemmaPlace`` the layout fills in for each
lemma, and which types print in which tier (``TypeChoice``, ``tier_of``, ``tier_order``, the
footnote ``ORDER``). The entries are built from them in ``edition.render.pdf.entries``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from edition.render.pdf.printhtml import classes, visible_text
from edition.render.pdf.standoff import standoff_entries

ACCIDENTALS = frozenset({"orthographic", "punctuation", "case"})
KNOWN_TYPES = frozenset({"substantive"}) | ACCIDENTALS   # the kinds edition's own collation makes
# data-fn-order of the footnote kinds (edition.render.pdf.footnotes sorts by it); a tier of the
# editor's own takes the next odd number, its rule the even one below.
ORDER = {"rule-notes": 0, "notes": 1, "rule-A": 2, "A": 3, "rule-B": 4, "B": 5}
TIER_NAMES = {"main": "A", "substantive": "A", "accidentals": "B"}


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


def _wits(reading) -> list[str]:
    """A reading's sigla as printed (``data-sigla``, a siglum's own spaces as U+00A0), else its
    witness ids (``data-wit``)."""
    printed = reading.get("data-sigla")
    if printed is not None:
        return [s.replace("\u00a0", " ") for s in printed.split(" ") if s]
    return (reading.get("data-wit") or "").split()


def _leading_space(el) -> bool:
    return "".join(el.itertext())[:1].isspace()


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
