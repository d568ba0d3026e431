"""The parts of a collation that every stage passes on: line starts, readings, units and
containers, and the two slots of an alignment column.

In: nothing (plain data). Out: ``LineStart``, ``Reading``, ``Unit``, ``Container``, the
``spacing`` unit type, and the named slot arithmetic (``column_of``, ``is_space_slot``,
``token_columns``) that ``units`` and ``layout`` share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The type of a unit whose readings differ in whitespace only (not one of the rules' types:
# such a unit is recorded for the exact rebuild of each witness, never printed as a variant).
SPACING = "spacing"


# Column c of the alignment has two slots: 2c, its token, and 2c + 1, the whitespace after it.
def column_of(slot: int) -> int:
    """The column a slot belongs to."""
    return slot >> 1


def is_space_slot(slot: int) -> bool:
    """True for the slot of the whitespace after a token (odd), False for the token's own."""
    return bool(slot & 1)


def token_columns(a: int, b: int) -> range:
    """The columns whose token slot lies in the slots ``a``–``b`` (``b`` excluded)."""
    return range((a + 1) >> 1, (b + 1) >> 1)


@dataclass
class LineStart:
    """Witness ``wit`` (index) begins its line ``line`` here, after ``indent``."""

    wit: int
    line: int
    indent: str
    join: str = ""      # the whitespace before it (shared text) that this line break stands for


@dataclass
class Reading:
    """One reading of a unit: its text, the witnesses that have it, their line starts inside."""

    text: str
    wits: list[int]
    starts: list[tuple[int, LineStart]] = field(default_factory=list)   # (offset in text, start)
    cause: str = ""                # "transposition": the phrase stands elsewhere in these witnesses
    partner: "Unit | None" = None  # … in this unit


@dataclass
class Unit:
    """A variation unit."""

    type: str
    readings: list[Reading]
    pos: int                       # 1-based index of the copy-text token where it starts
    lemma: int = 0                 # index of the reading adopted as lemma (0: the copy-text's)
    emendation: dict | None = None
    id: str = ""
    line: int = 0                  # the copy-text's witness line where it begins (for the ledger)
    slot: int = -1                 # where it begins in its container's slots, and which container:
    container: int = -1            # the place an editor's split or merge names (``units.build_containers``)
    pieces: int = 1                # how many pieces the rules' [merge] joined into it


@dataclass
class Container:
    """An element of the edited text holding text: kind, block index, events."""

    kind: str
    block: int
    events: list = field(default_factory=list)
    base_text: str = ""
