"""Text left over from extraction: warnings, since a person must judge each case.

In: one parsed file (a ``runner.Source``). Out: warnings, placed at the exact character:
- W401 a word whose every character is doubled (``TTHHEE``), as PDF extraction leaves bold
  headings;
- W402 a hyphen at the end of a source line inside running text (``revolu-`` / ``tionary``),
  a line-end hyphen that was not resolved (a soft hyphen is ``<lb break="no"/>``);
- W403 a note marker such as ``(3)`` glued to a word, outside any ``<ref>``: a note reference
  that was never linked.
Only the ``<text>`` is read (the header is metadata), and never ``<code>``-like content.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.diagnostics import Diagnostic, warning
from edition.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
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
# One cheap search per text node decides whether the checks above need to run at all.
_ANY = re.compile(rf"(?P<a>{_LETTER})(?P=a)(?P<b>{_LETTER})(?P=b)(?P<c>{_LETTER})(?P=c)|-[ \t]*\n|\(\d{{1,3}}\)")
# Looser patterns with a cheap start, to decide on the whole text whether to look closer.
_QUICK = {"W401": re.compile(r"(\w)\1(\w)\2(\w)\3"), "W402": re.compile(r"-[ \t]*\n")}
_MARKER = re.compile(r"\(\d{1,3}\)")
_SKIP = {T + n for n in ("ref", "ptr", "code", "eg", "egXML", "formula", "num", "date", "idno", "measure")}


def check_leftovers(source) -> list[Diagnostic]:
    """Warnings for extraction leftovers in the file's ``<text>``."""
    found: list[Diagnostic] = []
    for text in source.root.iter(T + "text"):
        if any(a.tag == T + "text" for a in text.iterancestors()):
            continue
        checks = _possible(text)
        if not checks:
            continue
        for element in text.iter(etree.Element):
            for tail, value, owner in ((False, element.text, element), (True, element.tail, element.getparent())):
                if not value or owner is None or owner.tag in _SKIP:
                    continue
                if _ANY.search(value) is None:  # the cheap common case
                    continue
                found.extend(_matches(source, element, tail, value, checks))
    return found


def _text_of(element: etree._Element) -> str:
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _possible(text: etree._Element) -> list[tuple]:
    """The checks that can find something, judged on the whole text joined in C.

    Joining can only add matches (across node boundaries), never hide one, so a check that
    finds nothing in the joined text finds nothing node by node either. Note markers inside
    ``<ref>`` (the linked ones) are counted apart: if they are all the joined text holds,
    there is nothing to report.
    """
    joined = _text_of(text)
    possible = []
    for check in CHECKS:
        if check[0] == "W403":
            markers = len(_MARKER.findall(joined))
            if markers and markers > sum(len(_MARKER.findall("".join(e.itertext()))) for e in text.iter(*_SKIP)):
                possible.append(check)
        elif _QUICK[check[0]].search(joined):
            possible.append(check)
    return possible


def _matches(source, element, tail: bool, value: str, checks) -> list[Diagnostic]:
    found = []
    for code, pattern, message, hint in checks:
        for match in pattern.finditer(value):
            shown = " ".join(match.group(0).split())
            line, col = source.text_offset(element, tail, match.start())
            found.append(warning(code, message.format(m=shown), source.path, line, col, hint=hint))
    return found
