"""Step 2, recover doubled headings: ``QQuueessttiioonn  11..`` → ``Question 1.``.

In: normalised ``Line`` records. Out: the same lines, those whose every character came out
of the PDF twice (bold type extracted twice) given back once and marked ``doubled``.

The method is general. A line is read as a sequence of pairs (``QQ``, ``uu`` …, ``  ``); a
character that has no twin is a *single*. A line is doubled when nearly all its characters
(``DOUBLED_SHARE``) sit in pairs. Undoubling keeps one of each pair and deals with the
singles a broken extraction leaves:

- a single space between pairs is an intrusion inside a word (``tt iimmee??`` → ``time?``);
- any other single character is kept once (a final ``?`` that came out once);
- a doubled hyphen at the line end (``ffuunncc--``) becomes an ordinary line-end hyphen,
  which the dehyphenation step then decides like any other;
- a real hyphen inside a word (``uunn--nnuummbbeerreedd``) is a pair like any character.

This step runs before dehyphenation (the order of the issue puts it after) because a
doubled line-end hyphen can only be judged once the word around it has been undoubled.
"""

from __future__ import annotations

import dataclasses
import re

from edition.ingest.model import Line

DOUBLED_SHARE = 0.85   # share of a line's characters that must sit in pairs
MIN_PAIRS = 3          # a line needs at least this many pairs (so "Hello" is not doubled)
_THREE_PAIRS = re.compile(r"(.)\1(.)\2(.)\3")


def pairs(text: str) -> list[tuple[str, bool]]:
    """Read ``text`` as (character, paired) items, pairing greedily from the left."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        if i + 1 < len(text) and text[i] == text[i + 1]:
            out.append((text[i], True))
            i += 2
        else:
            out.append((text[i], False))
            i += 1
    return out


def is_doubled(text: str) -> bool:
    """True when nearly every character of ``text`` appears twice in a row."""
    if not _THREE_PAIRS.search(text):
        return False  # cheap test first: most lines have no three pairs in a row
    items = pairs(text)
    paired = sum(2 for _, twin in items if twin)
    count = sum(1 for _, twin in items if twin)
    return count >= MIN_PAIRS and paired >= DOUBLED_SHARE * len(text)


def undouble(text: str) -> str:
    """Give each doubled character once (see the module doc for the broken cases)."""
    out = []
    for char, twin in pairs(text):
        if not twin and char == " ":
            continue  # a lone space inside doubled text splits a word: drop it
        out.append(char)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def recover_doubled(lines: list[Line]) -> list[Line]:
    """Undouble every doubled line; other lines are returned unchanged."""
    result = []
    for line in lines:
        if line.kind == "text" and is_doubled(line.text):
            line = dataclasses.replace(line, text=undouble(line.text), doubled=True)
        result.append(line)
    return result
