"""The witness as the ingest steps see it: numbered lines, and the decisions taken on them.

In: nothing (plain data classes). Out: ``Line`` (one line of the witness with what the steps
inferred about it), ``HyphenDecision`` (one line-end hyphen, decided), ``Block`` and
``Division`` (the structure found in the lines). Every record keeps the witness line number,
so that each decision can be reported back to the source (``sources/x.txt:LINE``).

The steps never change a record in place: each returns new records (``dataclasses.replace``),
which keeps them pure and testable one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HyphenDecision:
    """What was done with a hyphen at the end of witness line ``line``.

    ``action``: ``join`` (soft hyphen removed, word joined), ``keep`` (a real compound: the
    hyphen stays), ``gap`` (the word breaks off before lost text) or ``dash`` (a dash, not a
    hyphen). ``evidence`` names the kind of evidence (``rules``, ``vocabulary``, ``dictionary``,
    ``default``, ``lost-text``, ``dash``); ``reason`` says it in words.
    """

    line: int
    next_line: int
    left: str
    right: str
    action: str
    evidence: str
    certain: bool
    reason: str

    @property
    def result(self) -> str:
        """The word as the edition reads it."""
        if self.action == "join":
            return self.left + self.right
        if self.action == "keep":
            return f"{self.left}-{self.right}"
        if self.action == "dash":
            return f"{self.left} -"
        return f"{self.left}-"


@dataclass(frozen=True)
class Line:
    """One witness line. ``text`` is normalised (and undoubled when ``doubled``)."""

    n: int
    raw: str
    text: str
    page_start: str | None = None   # None, "leading-space", "blank-run", "running-foot" or "rules" (moved)
    doubled: bool = False
    kind: str = "text"              # text, blank, fw (running head/foot)
    hyphen: HyphenDecision | None = None

    @property
    def blank(self) -> bool:
        """True for an empty (or whitespace-only) line."""
        return self.kind == "blank"


@dataclass
class Block:
    """A run of lines that becomes one TEI element (``p``, ``head``, ``milestone``, ``table`` …)."""

    kind: str
    lines: list[Line]
    attrs: dict = field(default_factory=dict)

    @property
    def first(self) -> int:
        """The witness line the block starts on."""
        return self.lines[0].n if self.lines else 0

    @property
    def text(self) -> str:
        """The block's lines joined by spaces (for matching, not for output)."""
        return " ".join(line.text for line in self.lines if line.kind == "text")


@dataclass
class Division:
    """A ``<div>``: its head, top matter (byline, opener…), content and bottom (closer)."""

    id: str
    type: str
    place: str = "body"                     # front, body or back
    head: Block | None = None
    top: list[Block] = field(default_factory=list)
    content: list = field(default_factory=list)  # Blocks and Divisions, in witness order
    bottom: list[Block] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)
