"""Text left over from extraction: W401–W403, warnings since a person must judge each case.

In: one parsed file (a ``runner.Source``). Out: diagnostics for W401 a word whose every
character is doubled (``TTHHEE``, as PDF extraction leaves bold headings); W402 a hyphen at the
end of a source line inside running text (``revolu-`` / ``tionary``; a soft hyphen is
``<lb break="no"/>``); W403 a note marker such as ``(3)`` glued to a word, outside any
``<ref>``. Only the ``<text>`` is read, never the header; the text of a ``<ref>``, a number, a
date or code (``survey.SKIP``) is left alone.

Each check runs on each text node. Most texts have nothing to report, and a Python step per
text node is what costs, so the whole ``<text>``, joined into one string by lxml in C, is
searched first with patterns that find at least every match the node-by-node search would
(joining only adds neighbours); the nodes are looked at only when that finds something.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.diagnostics import Diagnostic, warning
from edition.validate.survey import SKIP, TextSurvey

_LETTER = r"[^\W\d_]"
CHECKS: list[tuple[str, re.Pattern, str, str]] = [
    ("W401", re.compile(rf"(?<!{_LETTER})(?:({_LETTER})\1){{3,}}(?!{_LETTER})"),
     "'{m}' has every character doubled", "write the word once (extraction doubled it)"),
    ("W402", re.compile(rf"{_LETTER}+(?<={_LETTER}{_LETTER})-[ \t]*\n\s*[a-z]\w*"),
     "'{m}' is a word broken by a line-end hyphen", "join the word, or mark the break with <lb break=\"no\"/>"),
    ("W403", re.compile(r"(?<=[^\s(\[])\((\d{1,3})\)"),
     "'{m}' looks like a note marker that is not linked to its note",
     "link it: <ref type=\"noteref\" target=\"#n…\">(…)</ref>"),
]
# Looser patterns, cheap to search, that decide whether a text needs the exact ones above.
_MARKER = re.compile(r"\(\d{1,3}\)")
# (W401: "." is far cheaper to test than "\w" at every position, the more so with DOTALL, where
# it tests nothing; the last pair must be a letter.)
_QUICK = {"W401": re.compile(r"(?s)(.)\1(.)\2(\w)\3"), "W402": re.compile(r"-[ \t]*\n"), "W403": _MARKER}
# Where the quick W402 pattern matches, the exact one needs two letters before the hyphen and a
# small letter after the line end (tried at that place only: the exact pattern, searched over
# a long text, backtracks on every word).
_HYPHEN_HERE = re.compile(rf"{_LETTER}{_LETTER}-[ \t]*\n\s*[a-z]")
# W403's exact condition, written to begin with the bracket (a fast scan for it) rather than
# with the look-behind (tried at every position): a marker glued in a node is glued when joined.
_GLUED = re.compile(r"\((?<=[^\s(\[]\()\d{1,3}\)")
# W401 before its quick pattern (which re tries at every position of the text): a byte per
# character, 0x00 for a letter (as W401 means it), 0xff for anything else; '?' stands in for the
# characters Latin-1 cannot hold, so it counts as a letter. Three zeros two apart in the
# comparison below are three doubled letters in a row.
_NOT_A_LETTER = bytes(0 if re.fullmatch(_LETTER, chr(code)) or chr(code) == "?" else 0xFF
                      for code in range(256))
_THREE_DOUBLED = re.compile(rb"(?s)\x00.\x00.\x00")
_SLICE = 65536


def check_leftovers(source) -> list[Diagnostic]:
    """Warnings for extraction leftovers in the file's ``<text>``."""
    found: list[Diagnostic] = []
    for facts in source.survey(rules=True).texts:
        checks = _possible(facts)
        if not checks:
            continue
        quick = [_QUICK[code] for code, *_ in checks]
        for element in facts.element.iter(etree.Element):
            for tail, value, owner in ((False, element.text, element), (True, element.tail, element.getparent())):
                if not value or owner is None or owner.tag in SKIP:
                    continue
                if not any(q.search(value) for q in quick):  # the cheap common case
                    continue
                found.extend(_matches(source, element, tail, value, checks))
    return found


def _text_of(element: etree._Element, with_tail: bool = False) -> str:
    return etree.tostring(element, method="text", encoding="unicode", with_tail=with_tail)


def _possible(facts: TextSurvey) -> list[tuple]:
    """The checks that can find something, judged on the whole text joined in C.

    Joining can only add matches (across node boundaries), never hide one, so a check that
    finds nothing in the joined text finds nothing node by node either. Note markers inside
    ``<ref>`` (the linked ones) are counted apart: if they are all the joined text holds,
    there is nothing to report. The node walk also reads the tail of the ``<text>`` itself,
    so the exact conditions look at it too (``end`` is where the text proper ends).
    """
    text = facts.element
    joined = _text_of(text, with_tail=True)
    end = len(joined) - len(text.tail or "")
    possible = []
    for check in CHECKS:
        code = check[0]
        if code == "W403":
            markers = len(_MARKER.findall(joined, 0, end))
            if markers and _GLUED.search(joined) and markers > len(_MARKER.findall("".join(facts.skipped))):
                possible.append(check)
        elif code == "W402":
            if _QUICK[code].search(joined, 0, end) and any(_HYPHEN_HERE.match(joined, m.start() - 2)
                                                          for m in _QUICK[code].finditer(joined, 2)):
                possible.append(check)
        elif _doubled_letters(joined) and _QUICK[code].search(joined, 0, end):
            possible.append(check)
    return possible


def _doubled_letters(text: str) -> bool:
    """False when no three doubled letters follow each other anywhere in the text (W401 needs them).

    Compared in C, all characters at once: the text as one byte per character, taken as an
    integer, XOR itself shifted by one character, is zero where a character repeats the one
    before; OR-ing the letter mask keeps the zeros on letters only. (In slices of 64 KB, which
    overlap by the five characters a match may cross: numbers that size stay in the cache.)
    Characters outside Latin-1 all become '?', so they may repeat where they do not: a text
    mostly in another script is left to the regular expression.
    """
    encoded = text.encode("latin-1", "replace")
    if encoded.count(b"?", 0, 4096) > 64:  # (judged on the first 4 KB)
        return True
    for start in range(0, len(encoded), _SLICE):
        piece = encoded[start:start + _SLICE + 5]
        number = int.from_bytes(piece, "little")  # (byte k is the k-th character: << 8 moves it on by one)
        differences = (number ^ (number << 8)) | int.from_bytes(piece.translate(_NOT_A_LETTER), "little")
        if _THREE_DOUBLED.search(differences.to_bytes(len(piece) + 1, "little")):
            return True
    return False


def _matches(source, element, tail: bool, value: str, checks) -> list[Diagnostic]:
    found = []
    for code, pattern, message, hint in checks:
        for match in pattern.finditer(value):
            shown = " ".join(match.group(0).split())
            line, col = source.text_offset(element, tail, match.start())
            found.append(warning(code, message.format(m=shown), source.path, line, col, hint=hint))
    return found
