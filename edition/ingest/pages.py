"""Step 6, mark pages and gaps: page starts → numbered ``<pb/>``; lost text → ``<gap/>``.

In: the lines (page starts were inferred by ``normalise``, hyphen decisions by
``dehyphenate``) and the rules (``[pages] running_foot``, ``[[gap]]``). Out: ``PageMarks``: the
page number and certainty of each page start, the gaps by witness line, and a sentence for
the header saying how the pages were inferred.

Page numbers: when the witness keeps a running foot with a page number (``38 • what is a
soviet``), its number fixes the count and the other pages are numbered from it, page by page;
otherwise the pages are simply counted in the witness, from 1. A page start inferred from a
run of blank lines is less certain than one marked by a leading space (``cert="medium"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.ingest.model import Line
from edition.ingest.rules import TextRules


@dataclass(frozen=True)
class PageBreak:
    """A page that starts at a witness line."""

    line: int
    n: str
    evidence: str
    certain: bool


@dataclass(frozen=True)
class Gap:
    """Text lost in the witness after a line."""

    line: int
    reason: str
    description: str


@dataclass
class PageMarks:
    """Page breaks and gaps by witness line, and how they were inferred."""

    pages: dict[int, PageBreak] = field(default_factory=dict)
    gaps: dict[int, Gap] = field(default_factory=dict)
    summary: str = ""


def mark_pages(lines: list[Line], rules: TextRules) -> PageMarks:
    """Number the page starts and collect the gaps (see the module doc)."""
    marks = PageMarks()
    starts = [line for line in lines if line.page_start]
    offset, anchor = 0, None
    foot = rules.table("pages").get("running_foot")
    if foot:
        pattern = rules.pattern("pages", "running_foot", foot)
        for line in lines:
            match = pattern.search(line.text) if line.kind == "fw" else None
            number = next((g for g in (match.groups() if match else ()) if g and g.isdigit()), None)
            if number:
                index = sum(1 for s in starts if s.n <= line.n)
                offset, anchor = int(number) - index, line
                break
    for index, line in enumerate(starts, 1):
        marks.pages[line.n] = PageBreak(line.n, str(index + offset), line.page_start,
                                        line.page_start == "leading-space")
    for line in lines:
        if line.hyphen is not None and line.hyphen.action == "gap":
            marks.gaps[line.n] = Gap(line.n, "lost", (
                f"The witness breaks off in the word '{line.hyphen.left}-' at the foot of a page; the "
                f"next page (line {line.hyphen.next_line}) begins a new sentence. The text between is lost."))
    for entry in rules.tables("gap"):
        line_n = entry["after_line"]
        marks.gaps[line_n] = Gap(line_n, entry.get("reason", "lost"),
                                 entry.get("note", marks.gaps.get(line_n, Gap(0, "", "")).description))
    spaced = sum(1 for s in starts if s.page_start == "leading-space")
    runs = len(starts) - spaced
    summary = (f"{len(starts)} page beginnings are marked: {spaced} where a line begins with a space "
               f"(the first line of each printed page came out of the PDF so)")
    if runs:
        summary += f", and {runs} where a run of empty lines stands in for that space (cert=\"medium\")"
    summary += "."
    if anchor is not None:
        summary += (f" Page numbers are counted from the running foot '{anchor.text}' (line {anchor.n}), "
                    "one per page; before text lost at a page break they may be too high.")
    else:
        summary += " Page numbers count the pages of the witness from 1; the printed numbers are unknown."
    marks.summary = summary
    return marks
