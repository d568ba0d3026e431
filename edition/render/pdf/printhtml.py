"""Reading the print HTML: which of its text is printed in the running lines, block by block.

In: the print HTML (an lxml tree of the shared renderer's output, see ``edition.render.html``),
in which the texts to number are ``<section class="lk-text" data-text="ID">``. Out: each block
of the texts keyed (``data-lk``), the printed non-space characters of each keyed block with where
each one stands in the tree (``Stream``), the printed text of an element (``visible_text``), and
the tree with its white space collapsed as CSS would collapse it (``collapse_space``).
One definition of what is not printed in the running line (``HIDDEN_CLASSES``) serves the line
numbering (``linekeys``) and the apparatus entries (``entries``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

SECTION_CLASS = "lk-text"
KEY = "data-lk"
# Elements whose text is not part of the running lines (margin, hidden, footnotes, generated).
HIDDEN_CLASSES = frozenset({"pn", "cite", "app-mark", "note", "margin-note", "alt", "lk-fn", "lk-sep", "lk-ln", "pb",
                            "ln", "rdg", "visually-hidden", "sr-only"})
# Elements whose white space is kept as written (CSS ``white-space: pre`` and raw text).
KEEPS_SPACE = frozenset({"pre", "textarea", "script", "style"})
# The white space CSS collapses (``white-space: normal``): not U+00A0 or other Unicode spaces.
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_NON_SPACE = re.compile(r"\S+")   # \s is str.isspace
BLOCK_TAGS = frozenset({"p", "div", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def classes(element) -> set[str]:
    """The class names of an element (lxml or WeasyPrint's ElementTree)."""
    return set((element.get("class") or "").split()) if element is not None else set()


def is_hidden(element) -> bool:
    """True for elements whose text is not printed in the running line (see HIDDEN_CLASSES)."""
    cls = classes(element)
    if "rdg" in cls and "base" in cls:
        return False
    return bool(cls & HIDDEN_CLASSES) or element.get("hidden") is not None


class Places:
    """Where each character of a stream stands in the tree: ``places[i]`` is (holder, "text" or
    "tail", offset). Kept as two lists, not a tuple a character (~0.1 s a layout of 19 pages)."""

    __slots__ = ("_holders", "_offsets")

    def __init__(self):
        self._holders: list[tuple[etree._Element, str]] = []
        self._offsets: list[int] = []

    def add(self, holder, which: str, offsets) -> None:
        self._offsets.extend(offsets)
        self._holders.extend([(holder, which)] * (len(self._offsets) - len(self._holders)))

    def __getitem__(self, index: int) -> tuple[etree._Element, str, int]:
        holder, which = self._holders[index]
        return holder, which, self._offsets[index]

    def __len__(self) -> int:
        return len(self._offsets)


@dataclass
class Stream:
    """The printed non-space characters of one keyed block, with where each one is in the tree."""

    chars: list[str] = field(default_factory=list)
    where: Places = field(default_factory=Places)   # (holder, text|tail, offset) of each
    word_start: list[bool] = field(default_factory=list)
    # where a stand-off lemma starts and ends (edition.render.standoff): app id → stream index
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)


def key_blocks(tree) -> dict[str, str]:
    """Key every block of the texts (``data-lk``); return key → text id for the numbered texts.

    Keyed anew each time: a second call (a seed that did not fit, then the layout without it)
    keys as the first did, not the endnotes it keyed before under numbers now given to others."""
    for el in tree.iter():
        if isinstance(el.tag, str) and el.get(KEY):
            del el.attrib[KEY]
    owners: dict[str, str] = {}
    n = 0
    for section in tree.iter():
        if not isinstance(section.tag, str) or not {"text", SECTION_CLASS} & classes(section):
            continue
        text_id = section.get("data-text", "")
        numbered = SECTION_CLASS in classes(section)
        # only the text itself (the renderer's .tei-text), not the title block around it
        inside = [el for body in section.iter() if isinstance(body.tag, str) and "tei-text" in classes(body)
                  for el in body.iter()]
        # what is not in the running lines (a margin note, a footnote, a reading) has no line of its own
        apart = {d for el in inside if isinstance(el.tag, str) and is_hidden(el) for d in el.iter()}
        for el in inside:
            if not isinstance(el.tag, str) or el.tag in HEADING_TAGS or "head" in classes(el) or el in apart:
                continue
            if el.tag in BLOCK_TAGS or {"block", "l"} & classes(el):
                n += 1
                el.set(KEY, f"k{n}")
                if numbered:
                    owners[f"k{n}"] = text_id
        # the endnotes after the text, each note as one block (its first paragraph runs on from
        # its label): keyed too, unnumbered, so that a fix can name one (``hyphenruns``)
        for el in section.iter():
            parent = el.getparent() if isinstance(el.tag, str) else None
            if parent is not None and "endnotes-list" in classes(parent) and not el.get(KEY):
                n += 1
                el.set(KEY, f"k{n}")
    return owners


def streams(tree) -> dict[str, Stream]:
    """The character stream of every keyed block (nested keyed blocks have their own)."""
    result: dict[str, Stream] = {}
    for el in tree.iter():
        if isinstance(el.tag, str) and el.get(KEY):
            stream = Stream()
            _walk_stream(el, stream, [True])
            result[el.get(KEY)] = stream
    return result


def _add_text(text: str | None, holder, which: str, stream: Stream, pending: list[bool]) -> None:
    """Append the printed characters of ``text`` (no white space, no soft hyphen) to the stream.

    A word at a time (a run of non-space characters), not a character at a time: this runs
    over every character of the book several times a layout."""
    if not text:
        return
    end = 0
    for match in _NON_SPACE.finditer(text):
        start, end = match.span()
        if start > 0:   # white space before the run (runs are maximal, the gap is white space)
            pending[0] = True
        word = match.group()
        if "\u00ad" in word:   # soft hyphens are not printed characters: skip them, keep offsets
            offsets = [start + i for i, ch in enumerate(word) if ch != "\u00ad"]
            word = word.replace("\u00ad", "")
        else:
            offsets = range(start, end)
        if not word:
            continue
        stream.chars.extend(word)
        stream.where.add(holder, which, offsets)
        stream.word_start.append(pending[0])
        stream.word_start.extend([False] * (len(word) - 1))
        pending[0] = False
    if end < len(text):
        pending[0] = True


def _walk_stream(el, stream: Stream, pending: list[bool]) -> None:
    _add_text(el.text, el, "text", stream, pending)
    for child in el:
        if isinstance(child.tag, str) and (child.get("data-so-start") or child.get("data-so-end")):
            marks = stream.starts if child.get("data-so-start") else stream.ends
            marks[child.get("data-so-start") or child.get("data-so-end")] = len(stream.chars)
        if isinstance(child.tag, str) and not is_hidden(child):
            if child.get(KEY):
                pending[0] = True   # a nested block is a line break: the next word starts anew
            else:
                _walk_stream(child, stream, pending)
        _add_text(child.tail, child, "tail", stream, pending)


def visible_text(el) -> str:
    """An element's printed text: no marks, notes, hidden readings of nested units."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not is_hidden(child):
            parts.append(visible_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def collapse_space(root) -> None:
    """Collapse every run of white space in the tree's text to one space, as CSS does anyway.

    The printed result is the same (``white-space: normal``), but WeasyPrint 70 fails on a space
    followed by a line feed inside a footnote ("Got ' \\n' between two lines" in
    ``split_text_box``): a note whose TEI has ``one <lb/> two`` or a comment before a line end.
    The line feeds the renderer writes for ``<lb/>`` are layout-neutral in HTML, so the print
    HTML carries none.
    """
    for el in root.iter():
        if not isinstance(el.tag, str):
            if el.tail:
                el.tail = _COLLAPSIBLE.sub(" ", el.tail)
            continue
        if el.text and el.tag not in KEEPS_SPACE and not _kept(el):
            el.text = _COLLAPSIBLE.sub(" ", el.text)
        if el.tail and not _kept(el.getparent()):
            el.tail = _COLLAPSIBLE.sub(" ", el.tail)


def _kept(el) -> bool:
    while el is not None:
        if isinstance(el.tag, str) and el.tag in KEEPS_SPACE:
            return True
        el = el.getparent()
    return False
