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
    for line in lines:
        if line.hyphen is not None and line.hyphen.action == "gap":
            marks.gaps[line.n] = Gap(line.n, "lost", (
                f"The witness breaks off in the word '{line.hyphen.left}-' at the foot of a page; the "
                f"next page (line {line.hyphen.next_line}) begins a new sentence. The text between is lost."),
                line.hyphen.certain)
    for entry in rules.tables("gap"):
        line_n = entry["after_line"]
        marks.gaps[line_n] = Gap(line_n, entry.get("reason", "lost"),
                                 entry.get("note", marks.gaps.get(line_n, Gap(0, "", "")).description))
    # A gap at a page break (the next text line starts a page) may hide whole lost pages.
    lost_at = [g for g in marks.gaps if any(s.n > g for s in starts)
               and next(ln for ln in lines if ln.n > g and ln.kind == "text").page_start]
    if anchor is not None:   # counted back from the foot: doubtful before the last loss before it
        doubtful = max((g for g in lost_at if g < anchor.n), default=0)
        in_doubt = lambda n: n <= doubtful  # noqa: E731
    else:                    # counted forward from 1: doubtful after the first loss
        doubtful = min(lost_at, default=0)
        in_doubt = lambda n: bool(doubtful) and n > doubtful  # noqa: E731
    for index, line in enumerate(starts, 1):
        cert = "medium" if line.page_start == "blank-run" else None
        if in_doubt(line.n):
            cert = "low"
        marks.pages[line.n] = PageBreak(line.n, str(index + offset), line.page_start, cert)
    spaced = sum(1 for s in starts if s.page_start == "leading-space")
    footed = sum(1 for s in starts if s.page_start == "running-foot")
    runs = len(starts) - spaced - footed
    summary = (f"{len(starts)} page beginnings are marked: {spaced} where a line begins with a space "
               f"(the first line of each printed page came out of the PDF so)")
    if footed:
        summary += f", {footed} after a running foot"
    if runs:
        summary += f", and {runs} where a run of empty lines stands in for that space (a reasonably sure sign)"
    summary += "."
    if anchor is not None:
        summary += (f" Page numbers are counted from the running foot '{anchor.text}' (line {anchor.n}), "
                    "one per page.")
        if doubtful:
            low = sum(1 for p in marks.pages.values() if p.cert == "low")
            summary += (f" Text is lost at the page break after line {doubtful}; how many pages went with it "
                        f"is unknown, so the {low} page number(s) before it may be too high (marked uncertain).")
    else:
        summary += " Page numbers count the pages of the witness from 1; the printed numbers are unknown."
        if doubtful:
            summary += (f" Text is lost at the page break after line {doubtful}, so the numbers after it "
                        "may be too low (marked uncertain).")
    marks.summary = summary
    return marks
