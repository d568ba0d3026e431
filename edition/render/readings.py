"""The readings of a variation unit as the TEI gives them, and the words around a unit.

In: an ``app`` (``lem``, ``rdg``, ``rdgGrp``, ``witDetail``, notes) and the block it stands in. Out:
its readings in ``@varSeq`` order, the ``witDetail``s about each reading, whether a reading has
words or is an omission or a transposition, the text of its block before it (and the word number
the apparatus prints), the word a punctuation lemma is shown with, and the words a stand-off
unit's ``@from``/``@to`` span. Plain strings and elements, no HTML: the web apparatus
(``edition.render.apparatus``, ``edition.render.variation``) builds on them.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.tei.text import plain_text, sigla
from edition.tei.vocabulary import NOT_IN_PLAIN_TEXT, NOT_IN_READING
from edition.tei.xmlio import XML_ID, local_name


def spanned_words(start: etree._Element, end: etree._Element | None) -> str:
    """The words from ``start`` to ``end`` (both ids of the text): the text ``start`` holds when
    there is no ``end``, else every word between them, notes and readings left out."""
    if end is None or end is start:
        return plain_text(start)
    scope = start.getparent()
    while scope is not None and not any(d is end for d in scope.iter()):
        scope = scope.getparent()
    if scope is None:
        return plain_text(start)
    parts: list[str] = []
    on, skipping = False, 0
    for event, node in etree.iterwalk(scope, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if node is end:
                break
            if node is start:
                on = True
            if local_name(node) in NOT_IN_PLAIN_TEXT:
                skipping += 1
            elif on and not skipping:
                parts.append(node.text or "")
        else:
            if local_name(node) in NOT_IN_PLAIN_TEXT:
                skipping -= 1
            if on and not skipping:
                parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def transposed(rdg: etree._Element) -> bool:
    """True for a reading that is words of the text moved (``@cause="transposition"``)."""
    return rdg.get("cause") == "transposition"


def emended_by(who: str, cause: str | None) -> str:
    """``"Emended by the editors"`` … from a lemma's ``@resp`` and ``@cause``."""
    what = (cause or "reading").replace("emendation", "emended")
    what = "Emended" if what == "emended" else f"{what[:1].upper()}{what[1:]}"
    named = "the editors" if who in ("ed", "editor", "editors") else who
    return f"{what} by {named}" if named else what


def in_sequence(readings: list[etree._Element]) -> list[etree._Element]:
    """The readings with the variants in their ``@varSeq`` order where the TEI gives one (those
    without it after, in document order); the lemma, or the base reading of an app without one,
    stays first."""
    if not any(r.get("varSeq") for r in readings):
        return readings
    head = [r for r in readings if local_name(r) == "lem"] or readings[:1]
    rest = [r for r in readings if r not in head]

    def seq(r):
        value = (r.get("varSeq") or "").strip()
        return (0, int(value)) if value.isdigit() else (1, 0)
    return head + sorted(rest, key=seq)


def witness_details(app: etree._Element, readings: list[etree._Element]) -> dict:
    """Reading → the ``witDetail``s about it: the reading its ``@target`` names, else the first
    whose ``@wit`` shares its witness (one matching no reading is shown at the end of the entry)."""
    found: dict[etree._Element, list[etree._Element]] = {}
    ids = {r.get(XML_ID): r for r in readings if r.get(XML_ID)}
    for detail in (o for o in others_of(app) if local_name(o) == "witDetail" and has_text(o)):
        targets = [ids.get(t.removeprefix("#")) for t in (detail.get("target") or "").split()]
        reading = next((t for t in targets if t is not None), None)
        if reading is None:
            wits = set(sigla(detail.get("wit")))
            reading = next((r for r in readings if wits & set(sigla(r.get("wit")))), None)
        if reading is not None:
            found.setdefault(reading, []).append(detail)
    return found


def readings_of(app: etree._Element):
    for child in app:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) == "rdgGrp":
            yield from readings_of(child)
        elif local_name(child) in ("lem", "rdg"):
            yield child


def others_of(app: etree._Element):
    """Children of an app (or its reading groups) that are not readings: notes, witDetail …"""
    for child in app:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) == "rdgGrp":
            yield from others_of(child)
        elif local_name(child) not in ("lem", "rdg"):
            yield child


def block_of(app: etree._Element):
    block = app.getparent()
    while block is not None and local_name(block) not in ("p", "l", "ab", "head", "item", "note", "quote", "cell"):
        block = block.getparent()
    return block


def reading_before(app: etree._Element) -> str:
    """The reading text of ``app``'s block (paragraph, line …) before it."""
    block = block_of(app)
    pieces: list[str] = []
    if block is None or not _text_before(block, app, pieces):
        return ""
    return "".join(pieces)


def word_number(before: str) -> int:
    """The number of the word a variant starts in, counted in its block from 1 (a dash or other
    mark standing alone is no word)."""
    # one pass of the regex engine (a unit's block may hold hundreds of words): a token is a run
    # of non-space (``str.split``'s spaces) with a letter or digit (``str.isalnum``'s) in it
    words = len(_WORD.findall(before))
    glued = before and not before[-1].isspace() and _ALNUM.search(before.rsplit(None, 1)[-1]) is not None
    return words if glued else words + 1


# ``[^\W_]`` is a character ``str.isalnum`` accepts (``\w`` is those and "_"); ``\s`` is what
# ``str.split`` splits on. A token without one fails at every start inside it: counted once or not.
_ALNUM = re.compile(r"[^\W_]")
_WORD = re.compile(r"\S*?[^\W_]\S*")


_OPENING = "“‘«„‚‹([{\"'"
QUOTES = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "‹": "›", "\"": "\"", "'": "'"}


def punctuation_context(app: etree._Element, lem: etree._Element, before: str) -> tuple[str, str]:
    """(text before, text after) that shows a lemma of punctuation alone with its word: an
    opening mark glued to the next word takes that word, any other mark the word before it."""
    text = "".join(lem.itertext())
    if not text.strip() or any(ch.isalnum() for ch in text):
        return "", ""
    after = app.tail or ""
    if text.strip()[0] in _OPENING and after[:1].strip():
        return "", after.split()[0]
    words = before.split()
    if not words:
        return "", ""
    return words[-1].lstrip("“‘«„‚‹([{\"'") + ("" if before[-1:].strip() else " "), ""


def word_before(app: etree._Element) -> str:
    """The word printed just before ``app`` in its paragraph (the lemma of an addition), or ''."""
    block = app.getparent()
    while block is not None and local_name(block) not in ("p", "l", "ab", "head", "item", "note", "quote", "cell"):
        block = block.getparent()
    pieces: list[str] = []
    if block is None or not _text_before(block, app, pieces):
        return ""
    words = "".join(pieces).split()
    return words[-1] if words else ""


def _text_before(node: etree._Element, stop: etree._Element, pieces: list[str]) -> bool:
    """Add the reading text of ``node`` up to ``stop``; True once ``stop`` is reached."""
    pieces.append(node.text or "")
    for child in node:
        if child is stop:
            return True
        if isinstance(child.tag, str) and local_name(child) not in NOT_IN_READING:
            if _text_before(child, stop, pieces):
                return True
        elif isinstance(child.tag, str) and any(d is stop for d in child.iter()):
            return True
        pieces.append(child.tail or "")
    return False


def has_text(el: etree._Element) -> bool:
    """True when a reading has words: text, a gap, or a pointer to its text given elsewhere
    (``<rdg><ptr target="…"/></rdg>`` is not an omission)."""
    return bool("".join(el.itertext()).strip()) or any(
        isinstance(c.tag, str) and (local_name(c) == "gap" or local_name(c) in ("ptr", "ref") and c.get("target"))
        for c in el.iter())
