"""The keyed layout started from the previous build's line numbers: one pass when nothing moved.

In: the print HTML tree of a book, WeasyPrint's ``render``, and a seed file under
``build/.cache/pdf-lines/`` (what the last layout of the same book read: its lines, the place
of every lemma, the blocks loosened or pushed). Out: the final ``KeyedResult`` after one pass
when the seed still holds (a few when it is a little off), else ``None`` (the caller lays out as
without a seed: ``linekeys``);
and, after any keyed layout, the seed written for the next build.

Without a seed, the keyed layout needs at least two passes (one to read the lines, one to print
their numbers and entries) and often three or four. With the seed, the first pass already holds
the numbers and entries; it is final when the HTML made from what it reads is the very HTML it
laid out (the check ``linekeys`` makes between passes, here on the HTML itself). So a stale or
foreign seed costs one pass, never a wrong page: nothing of the seed reaches the PDF unchecked.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from edition.fsutil import write_atomic
from edition.render.pdf.entries import EntryBuilder
from edition.render.pdf.estimate import estimated_seed
from edition.render.pdf.footnotes import misplaced
from edition.render.pdf.linekeys import (
    EXTRA_PASSES,
    MAX_PASSES,
    KeyedResult,
    Line,
    Reading,
    _apply_fixes,
    _serialize,
    escalate,
    hyphen_fixes,
    insert_markers,
    numbering_problems,
    oscillating,
    read_layout,
    renumber,
    returned,
    unsettled,
)
from edition.render.pdf.printhtml import KEY, key_blocks, streams
from edition.render.pdf.units import LemmaPlace

CACHE_DIR = Path(".cache") / "pdf-lines"
FORMAT = 1


def seed_path(build_dir: Path, name: str) -> Path:
    """Where the seed of the book called ``name`` (a text id, or a volume piece's) is kept."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return build_dir / CACHE_DIR / f"{safe}.json"


def prune_seeds(build_dir: Path, text_ids) -> None:
    """Forget the seeds of texts the edition no longer has (a text's own, and its chapters')."""
    keep = {seed_path(build_dir, f"text-{text_id}").name for text_id in text_ids}
    chapters = tuple(seed_path(build_dir, f"piece-{text_id}-").stem for text_id in text_ids)
    folder = build_dir / CACHE_DIR
    for path in folder.glob("*.json") if folder.is_dir() else ():
        if path.name not in keep and not path.name.startswith(chapters):
            path.unlink(missing_ok=True)


def load_seed(path: Path | None) -> tuple[Reading, dict[str, str]] | None:
    """The reading and fixes kept at ``path``, or None (absent, unreadable, another format)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        lines = [Line(*row) for row in data["lines"]]
        lemmas = {row[0]: LemmaPlace(*row) for row in data["lemmas"]}
        return Reading(lines, lemmas, []), dict(data["fixes"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_seed(path: Path | None, result: KeyedResult) -> None:
    """Keep what the final pass read, for the next build's first pass."""
    if path is None or result.reading is None:
        return
    reading = result.reading
    fixes = {el.get(KEY) or el.get("data-lk-at"): el.get("data-lk-fix")   # a block's, a word's (hyphenruns)
             for el in lxml_html.document_fromstring(result.html).iter()
             if isinstance(el.tag, str) and el.get("data-lk-fix") and (el.get(KEY) or el.get("data-lk-at"))}
    data = {"format": FORMAT,
            "lines": [[ln.page, ln.y, ln.key, ln.text_id, ln.start, ln.number] for ln in reading.lines],
            "lemmas": [[p.app_id, p.key, p.pos, p.first_index, p.last_index, p.page, p.first, p.last, p.texted, p.end]
                       for p in reading.lemmas.values()],
            "fixes": fixes}
    write_atomic(path, json.dumps(data, separators=(",", ":")), durable=False)


def _fits(reading: Reading, tree, owners: dict[str, str]) -> bool:
    """True when the seed names only blocks, positions and lemmas this tree has."""
    found = streams(tree)
    for line in reading.lines:
        if line.key not in owners or line.start is None or line.start > len(found[line.key].chars):
            return False
    apps = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    count = len(reading.lines)
    return all(p.app_id in apps and p.key in owners and p.pos <= len(found[p.key].chars)
               and 0 <= p.first_index <= p.last_index < count for p in reading.lemmas.values())


def _inputs(reading: Reading, fixes: dict[str, str], restart: str) -> tuple:
    """All that ``_keyed_html`` makes the HTML from: the same, the same HTML, made or not.
    A line's page counts only where numbers restart per page: else the text and number of a
    line name it, and its page (where the layout put it) changes no entry or marker."""
    paged = restart == "page"
    return (tuple((ln.key, ln.text_id, ln.start, ln.number, ln.page if paged else 0) for ln in reading.lines),
            tuple(sorted((p.app_id, p.key, p.pos, p.first_index, p.last_index, p.first, p.last, p.texted, p.end,
                          p.page if paged else 0) for p in reading.lemmas.values())),
            tuple(sorted(fixes.items())))


def _keyed_html(base: str, reading: Reading, fixes: dict[str, str], builder: EntryBuilder,
                interval: int) -> tuple[str, int, int]:
    current = lxml_html.document_fromstring(base)
    _apply_fixes(current, fixes)
    markers = insert_markers(current, reading, interval)
    entries = builder.insert(current, reading)
    return _serialize(current), markers, entries


def seeded_layout(tree, render, seed, *, interval: int = 5, restart: str = "text",
                  types: list[str] | None = None, tiers: dict[str, str] | None = None,
                  source: str | None = None, first_line: int = 1, estimate: bool = False) -> KeyedResult | None:
    """Passes from ``seed`` (``load_seed``) until one lays out the HTML made from what it reads
    (module doc); None when the seed does not fit this book (the caller lays out without it).
    Without a seed and with ``estimate``, from the reading of the texts laid out alone
    (``estimate``: one full pass instead of two when the estimate holds).

    A seed a little off (a word changed) still saves passes: each pass starts from the reading
    of the one before, as ``linekeys`` does, but none from a layout without numbers. After
    ``MAX_PASSES``, the last layout is kept with ``linekeys``'s warning, as without a seed."""
    if seed is None and not estimate:
        return None
    owners = key_blocks(tree)
    if seed is None:
        seed = estimated_seed(tree, render, owners, restart, first_line)
        if seed is None:
            return None
    reading, fixes = seed
    if not owners or not _fits(reading, tree, owners):
        return None
    renumber(reading, restart, first_line)
    base = _serialize(tree)
    builder = EntryBuilder(tree, types, tiers)
    fixes = dict(fixes)
    html, markers, entries = _keyed_html(base, reading, fixes, builder, interval)
    made_from = _inputs(reading, fixes, restart)
    seen: list[str] = []
    before = None   # the reading of two passes back
    passes, limit = 0, MAX_PASSES
    while passes < limit:
        document = None   # the last layout's boxes are read: one layout in memory at a time
        document = render(html)
        passes += 1
        bad = misplaced(document)
        found = streams(lxml_html.document_fromstring(html))
        new = read_layout(document, owners, found, restart, first_line)
        added = hyphen_fixes(document, found, fixes)   # words kept whole: the HTML that follows differs
        if (escalate(fixes, bad) or added) and passes == limit:
            limit = min(limit + 1, MAX_PASSES + EXTRA_PASSES)   # as linekeys: check the fix
        if not bad and _inputs(new, fixes, restart) == made_from:
            break   # the HTML it would make is the one it laid out: made of the same
        following, markers_next, entries_next = _keyed_html(base, new, fixes, builder, interval)
        if not bad and following == html:
            break
        to_and_fro = following in seen or returned(before, reading, new)   # A, B, A (linekeys)
        if to_and_fro and escalate(fixes, oscillating(reading, new, fixes)):
            following, markers_next, entries_next = _keyed_html(base, new, fixes, builder, interval)
            if passes == limit:
                limit = min(limit + 1, MAX_PASSES + EXTRA_PASSES)
        seen.append(html)
        before, reading = reading, new
        if passes < limit:
            html, markers, entries = following, markers_next, entries_next
            made_from = _inputs(new, fixes, restart)
    else:   # a run of hyphens left is no reason to warn
        moved = before is not None and new.signature() != before.signature()
        diagnostics = [unsettled(len(bad), source)] if bad or moved else []
        return KeyedResult(document, passes, entries, markers, diagnostics + numbering_problems(new, source), new,
                           html)
    return KeyedResult(document, passes, entries, markers, numbering_problems(new, source), new, html)
