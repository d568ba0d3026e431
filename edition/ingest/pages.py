"""Step 6, mark pages and gaps: page starts → numbered ``<pb/>``; lost text → ``<gap/>``.

In: the lines (page starts were inferred by ``normalise``, hyphen decisions by
``dehyphenate``) and the rules (``[pages] running_foot``, ``[[gap]]``). Out: ``PageMarks``: the
page number and certainty of each page start, the gaps by witness line, and a sentence for
the header saying how the pages were inferred.

Page numbers: when the witness keeps a running foot with a page number (``38 • what is a
soviet``), its number fixes the count and the other pages are numbered from it, page by page;
otherwise the pages are simply counted in the witness, from 1. A page start inferred from a
run of blank lines is less certain than one marked by a leading space or by a running foot
just before it (``cert="medium"``). Counting back from the running foot assumes no page is
missing; where text is lost at a page break before the foot, the pages before the loss may
have lower numbers than counted, so their numbers are marked ``cert="low"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.ingest.model import Line
from edition.ingest.rules import TextRules


@dataclass(frozen=True)
class PageBreak:
    """A page that starts at a witness line.

    ``cert`` is None when both the break and its number are sure, ``"medium"`` when the break
    is inferred from blank lines only, ``"low"`` when its number is doubtful (see the module doc).
    """

    line: int
    n: str
    evidence: str
    cert: str | None = None

    @property
    def certain(self) -> bool:
        """True when neither the break nor its number is in doubt."""
        return self.cert is None


@dataclass(frozen=True)
class Gap:
    """Text lost in the witness after a line."""

    line: int
    reason: str
    description: str
    certain: bool = True


@dataclass
class PageMarks:
    """Page breaks and gaps by witness line, and how they were inferred."""

    pages: dict[int, PageBreak] = field(default_factory=dict)
    gaps: dict[int, Gap] = field(default_factory=dict)
    summary: str = ""


def mark_pages(lines: list[Line], rules: TextRules) -> PageMarks:
    """Number the page starts and collect the gaps (see the module doc)."""
    starts = [line for line in lines if line.page_start]
    offset, anchor = _running_foot(lines, starts, rules)
    gaps = _gaps(lines, rules)
    count = _Count(offset, anchor, _doubtful(anchor, _lost_at_page_breaks(gaps, lines, starts)))
    pages = _number(starts, count)
    return PageMarks(pages, gaps, _summary(starts, count, pages))


@dataclass(frozen=True)
class _Count:
    """How the pages are numbered: ``offset`` added to the count of page starts, fixed by the
    running foot ``anchor`` (None: counted from 1), and ``doubtful``, the line after which text is
    lost at a page break (0: none), which puts the numbers on one side of it in doubt."""

    offset: int = 0
    anchor: Line | None = None
    doubtful: int = 0

    def in_doubt(self, n: int) -> bool:
        """True when the number of the page starting at line ``n`` may be wrong."""
        if self.anchor is not None:  # counted back from the foot: doubtful before the last loss before it
            return n <= self.doubtful
        return bool(self.doubtful) and n > self.doubtful  # counted forward from 1: doubtful after the first loss


def _running_foot(lines: list[Line], starts: list[Line], rules: TextRules) -> tuple[int, Line | None]:
    """The offset of the page count and the first running foot with a page number (or 0, None)."""
    foot = rules.table("pages").get("running_foot")
    if not foot:
        return 0, None
    pattern = rules.pattern("pages", "running_foot", foot)
    for line in lines:
        match = pattern.search(line.text) if line.kind == "fw" else None
        number = next((g for g in (match.groups() if match else ()) if g and g.isdigit()), None)
        if number:
            index = sum(1 for s in starts if s.n <= line.n)
            return int(number) - index, line
    return 0, None


def _gaps(lines: list[Line], rules: TextRules) -> dict[int, Gap]:
    """The gaps: where dehyphenation found a word broken off, then the rules' ``[[gap]]`` entries
    (which may replace the description of one found)."""
    gaps: dict[int, Gap] = {}
    for line in lines:
        if line.hyphen is not None and line.hyphen.action == "gap":
            gaps[line.n] = Gap(line.n, "lost", (
                f"The witness breaks off in the word '{line.hyphen.left}-' at the foot of a page; the "
                f"next page (line {line.hyphen.next_line}) begins a new sentence. The text between is lost."),
                line.hyphen.certain)
    for entry in rules.tables("gap"):
        line_n = entry["after_line"]
        gaps[line_n] = Gap(line_n, entry.get("reason", "lost"),
                           entry.get("note", gaps.get(line_n, Gap(0, "", "")).description))
    return gaps


def _lost_at_page_breaks(gaps: dict[int, Gap], lines: list[Line], starts: list[Line]) -> list[int]:
    """The gaps at a page break (the next text line starts a page): they may hide whole lost pages."""
    return [g for g in gaps if any(s.n > g for s in starts)
            and next(ln for ln in lines if ln.n > g and ln.kind == "text").page_start]


def _doubtful(anchor: Line | None, lost_at: list[int]) -> int:
    """The loss that puts page numbers in doubt: the last one before the running foot when the
    pages are counted back from it, else the first (0: none)."""
    if anchor is not None:
        return max((g for g in lost_at if g < anchor.n), default=0)
    return min(lost_at, default=0)


def _number(starts: list[Line], count: _Count) -> dict[int, PageBreak]:
    """Each page start with its number and certainty."""
    pages = {}
    for index, line in enumerate(starts, 1):
        cert = "medium" if line.page_start == "blank-run" else None
        if count.in_doubt(line.n):
            cert = "low"
        pages[line.n] = PageBreak(line.n, str(index + count.offset), line.page_start, cert)
    return pages


def _summary(starts: list[Line], count: _Count, pages: dict[int, PageBreak]) -> str:
    """The header's sentence on how the page starts were found and numbered."""
    spaced = sum(1 for s in starts if s.page_start == "leading-space")
    footed = sum(1 for s in starts if s.page_start == "running-foot")
    moved = sum(1 for s in starts if s.page_start == "rules")
    runs = len(starts) - spaced - footed - moved
    summary = (f"{len(starts)} page beginnings are marked: {spaced} where a line begins with a space "
               f"(the first line of each printed page came out of the PDF so)")
    if footed:
        summary += f", {footed} after a running foot"
    if runs:
        summary += f", and {runs} where a run of empty lines stands in for that space (a reasonably sure sign)"
    summary += "."
    if moved:
        summary += f" The editor moved {moved} of them to another line (the text's rules, [[overrule]])."
    anchor, doubtful = count.anchor, count.doubtful
    if anchor is not None:
        summary += (f" Page numbers are counted from the running foot '{anchor.text}' (line {anchor.n}), "
                    "one per page.")
        if doubtful:
            low = sum(1 for p in pages.values() if p.cert == "low")
            summary += (f" Text is lost at the page break after line {doubtful}; how many pages went with it "
                        f"is unknown, so the {low} page number(s) before it may be too high (marked uncertain).")
    else:
        summary += " Page numbers count the pages of the witness from 1; the printed numbers are unknown."
        if doubtful:
            summary += (f" Text is lost at the page break after line {doubtful}, so the numbers after it "
                        "may be too low (marked uncertain).")
    return summary
