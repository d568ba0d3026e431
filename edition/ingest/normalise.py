"""Step 1, normalise: witness bytes → numbered ``Line`` records, and the pages they start.

In: the bytes of a witness file and the text's rules (``[pages]``). Out: one ``Line`` per
witness line (numbered from 1), its text normalised: Unicode NFC, no-break and other spaces
made plain spaces, tabs expanded, ends stripped. The original is kept in ``Line.raw``.

Page starts are inferred here, because only the raw line shows them:

- ``leading-space``: in a text extracted from a typeset PDF, a line whose text begins with
  a space is the first line of a new printed page (``[pages] leading_space``, default on).
- ``blank-run``: a run of at least ``[pages] blank_run`` empty lines (default 3) also starts a
  new page; this is weaker evidence, so the page break is marked as less certain.
- ``running-foot``: the first text line after a running foot (forme work, below) starts a
  page as surely as a leading space does: the foot closed the page before it.

A line matching ``[pages] running_foot`` is forme work (a page number and running title),
not text. A file that is not UTF-8 or holds no text is an error naming the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.ingest.model import Line
from edition.ingest.rules import TextRules

# Characters that are spaces in print but not ASCII spaces (no-break, thin, figure, …).
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 bytes → text; an undecodable byte is an error at its line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EditionError(error(
            "E224", f"the witness is not valid UTF-8 (byte 0x{data[exc.start]:02x})", path, line, col,
            hint="convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8) and run ingest again")) from None
    return text.removeprefix("\ufeff")


def normalise_text(raw: str) -> str:
    """One line's text, normalised: NFC, plain spaces, no tabs, no spaces at either end."""
    text = unicodedata.normalize("NFC", raw).expandtabs(4)
    return _SPACES.sub(" ", text).strip()


def normalise(data: bytes, path: Path, rules: TextRules) -> list[Line]:
    """Split and normalise a witness; mark page starts and forme work (see module doc)."""
    text = decode(data, path)
    raws = text.split("\n")
    if raws and raws[-1] == "":
        raws.pop()  # the final newline ends the last line; it does not open a new one
    pages = rules.table("pages")
    leading_space = pages.get("leading_space", True)
    blank_run = pages.get("blank_run", 3)
    foot = rules.pattern("pages", "running_foot", r"(?!x)x")  # default: matches nothing
    lines: list[Line] = []
    blanks = 0
    last_kind: str | None = None   # kind of the last non-blank line
    for number, raw in enumerate(raws, 1):
        raw = raw.removesuffix("\r")
        clean = normalise_text(raw)
        if not clean:
            lines.append(Line(number, raw, "", kind="blank"))
            blanks += 1
            continue
        page = None
        if leading_space and raw[:1].isspace() and raw[:1] != "\t":
            page = "leading-space"
        elif last_kind == "fw":
            page = "running-foot"
        elif blank_run and blanks >= blank_run and last_kind is not None:
            page = "blank-run"
        kind = "fw" if foot.search(clean) else "text"
        if kind == "fw":
            page = None
        lines.append(Line(number, raw, clean, page_start=page, kind=kind))
        last_kind = kind
        if kind == "text":
            blanks = 0
    if not any(line.kind == "text" for line in lines):
        raise EditionError(error("E225", "the witness holds no text (it is empty or only blank lines)",
                                 path, 1, 1, hint="check that the right file is named in edition.toml"))
    return lines
