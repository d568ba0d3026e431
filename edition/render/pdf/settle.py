"""A layout that will not settle: the fixes a block is given, and how a to-and-fro is seen.

In: what two or three layout passes read (``linekeys.Reading``: each line's block, start and
page; not imported: linekeys imports this module) and the fixes so far (block key → fix). Out: the fixes for the next pass
(``escalate``), whether the layout goes to and fro (``returned``) and which block moves
(``oscillating``). Used by ``linekeys.keyed_layout`` and ``seed.seeded_layout``.
"""

from __future__ import annotations

# The fixes a block that will not settle is given, mildest first: its widows and orphans
# loosened; kept whole on one page (a page that breaks inside it to and fro); started on a new
# page. Each is what a compositor does to a page that will not make up (the page before runs short).
LADDER = ("loose", "whole", "push")


def escalate(fixes: dict[str, str], bad: dict[str, str]) -> bool:
    """Apply the fixes ``footnotes.misplaced`` and ``oscillating`` ask for; a block already
    fixed that still fails takes the next fix of ``LADDER``; True when one is new."""
    changed = False
    for key, fix in bad.items():
        wanted = fix
        if key in fixes:
            step = min(LADDER.index(fixes[key]) + 1, len(LADDER) - 1)
            wanted = LADDER[max(step, LADDER.index(fix))]
        changed |= fixes.get(key) != wanted
        fixes[key] = wanted
    return changed


def _pages(reading) -> dict[str, tuple[int, ...]]:
    """The page of each line of each block, in order."""
    pages: dict[str, list[int]] = {}
    for line in reading.lines:
        if line.key:
            pages.setdefault(line.key, []).append(line.page)
    return {key: tuple(found) for key, found in pages.items()}


def returned(before, reading, new) -> bool:
    """A block went back to where it stood two passes ago, in its first page or in its number
    of lines, after moving: the layout goes to and fro (the two may alternate out of step, so
    whole readings need not repeat)."""
    if before is None:
        return False
    then, last = _pages(before), _pages(reading)
    for key, pages in _pages(new).items():
        old, previous = then.get(key), last.get(key)
        if old is None or previous is None:
            continue
        if old[0] == pages[0] != previous[0] or len(old) == len(pages) != len(previous):
            return True
    return False


def oscillating(before, after, fixes: dict[str, str]) -> dict[str, str]:
    """The block whose lines move to and fro between two layouts that alternate (its apparatus
    fits on a page only when the block is not on it): it takes the next fix of ``LADDER``
    (``escalate``), as LaTeX settles a page that will not settle (the page before it stays short)."""
    for old, new in zip(before.lines, after.lines):
        if (old.key, old.start, old.page) != (new.key, new.start, new.page) and new.key:
            return {new.key: "loose"}
    return {}
