"""What the PDF tests read from a PDF, independently of the code that wrote it.

Positions come from pdfplumber (words with their font, size and box); the line numbers of
the text are counted from the printed margin numbers; TEI facts come from the TEI itself.
Nothing here imports the PDF renderer.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HYPHEN = "\u2010"   # the hyphen WeasyPrint adds where it breaks a word


def norm(word: str) -> str:
    """A word compared loosely: NFC, no surrounding punctuation, case-folded."""
    word = unicodedata.normalize("NFC", word).replace("\u00ad", "")
    return re.sub(r"^[\W_]+|[\W_]+$", "", word).casefold()


@dataclass
class PageText:
    """One page: its body lines (words), margin numbers, apparatus groups, note text."""

    number: int
    lines: list[list[dict]] = field(default_factory=list)
    margin: list[tuple[int, float]] = field(default_factory=list)   # (number, bottom)
    groups: list[tuple[str, str, float]] = field(default_factory=list)  # (number label, text, top)
    foot_text: str = ""
    all_text: str = ""


@functools.lru_cache(maxsize=16)
def _read_pdf(path: str, mtime: float) -> tuple:
    return tuple(_read(path))


def read_pdf(path) -> list[PageText]:
    """Every page's body lines, margin line numbers, apparatus groups and footnote text."""
    return list(_read_pdf(str(path), Path(path).stat().st_mtime))


def _read(path) -> list[PageText]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        # x_tolerance below a thin space: a natural word space must still separate words
        all_words = [p.extract_words(extra_attrs=["size", "fontname"], x_tolerance=1.2) for p in pdf.pages]
        sizes = Counter(round(w["size"], 1) for words in all_words for w in words)
        body = sizes.most_common(1)[0][0]
        for index, words in enumerate(all_words):
            page = PageText(index)
            body_words = [w for w in words if abs(w["size"] - body) < 0.2]
            left = min((w["x0"] for w in body_words), default=0)
            for w in sorted(body_words, key=lambda w: (round(w["bottom"]), w["x0"])):
                if page.lines and abs(page.lines[-1][0]["bottom"] - w["bottom"]) < 2:
                    page.lines[-1].append(w)
                else:
                    page.lines.append([w])
            for line in page.lines:
                line.sort(key=lambda w: w["x0"])
            # beside the text's lines: not the running head's page number above them
            top_of_text = min((ln[0]["top"] for ln in page.lines), default=0)
            page.margin = [(int(w["text"]), w["bottom"]) for w in words
                           if w["text"].isdigit() and w["x1"] < left - 2 and w["size"] < body - 1
                           and w["bottom"] > top_of_text]
            bottom_of_text = max((ln[0]["bottom"] for ln in page.lines), default=0)
            foot = [w for w in words if w["top"] > bottom_of_text and w["size"] < body - 0.5
                    and w["x1"] > left - 2]
            page.foot_text = " ".join(w["text"] for w in sorted(foot, key=lambda w: (round(w["top"]), w["x0"])))
            page.groups = _groups(foot)
            page.all_text = " ".join(w["text"] for w in words)
            pages.append(page)
    return pages


def _groups(foot: list[dict]) -> list[tuple[str, str, float]]:
    """Apparatus groups: a bold line number (or range) and the entries that follow it."""
    groups: list[tuple[str, list[str], float]] = []
    for w in sorted(foot, key=lambda w: (round(w["top"]), w["x0"])):
        if "Bold" in w["fontname"] and re.fullmatch(r"\d+(–\d+)?", w["text"]):
            groups.append((w["text"], [], w["top"]))
        elif groups:
            groups[-1][1].append(w["text"])
    return [(label, " ".join(words), top) for label, words, top in groups]


def numbered_words(pages: list[PageText]) -> list[tuple]:
    """The words of the numbered text in order, each with (page, printed line number, parts).

    Line numbers are counted from the margin: the first margin number fixes the count, every
    following body line adds one (restarting per text). Every margin number met later must
    agree with the count, else AssertionError (the margin would then be wrong).
    """
    out: list[tuple[str, int, int]] = []
    current = None
    for page in pages:
        if current is None:
            if not page.margin:
                continue
            number, bottom = page.margin[0]
            index = min(range(len(page.lines)), key=lambda i: abs(page.lines[i][0]["bottom"] - bottom))
            current = number - index - 1
        for line in page.lines:
            current += 1
            for number, bottom in page.margin:
                if abs(line[0]["bottom"] - bottom) < 3:
                    assert number == current, f"page {page.number + 1}: margin says {number}, count says {current}"
            for w in line:
                out.append((w["text"], page.number, current))
    return _join_hyphens(out)


def _join_hyphens(words):
    """Join the parts of words hyphenated at a line end; each word keeps where its parts are:
    (text, page, line, [(offset of the part in the word, page, line), …])."""
    joined = []
    for word, page, line in words:
        if joined and joined[-1][0].endswith(HYPHEN) and joined[-1][2] != line:
            prev, p, ln, parts = joined.pop()
            joined.append((prev[:-1] + word, p, ln, parts + [(len(prev) - 1, page, line)]))
        else:
            joined.append((word, page, line, [(0, page, line)]))
    return joined


def place_in_word(parts, offset: int) -> tuple[int, int]:
    """(page, line) of the part of a (maybe hyphenated) word holding character ``offset``."""
    page, line = parts[0][1], parts[0][2]
    for start, p, ln in parts:
        if offset >= start:
            page, line = p, ln
    return page, line


def tei_stream(path) -> tuple[list[str], dict[str, tuple[int, str]]]:
    """The printed words of the TEI's running text, and for each ``<app>`` the index of the
    word its lemma starts on, the lemma's first word (for an empty lemma: the word before) and
    the offset in that word where the lemma starts."""
    root = etree.parse(str(path)).getroot()
    chars: list[str] = []
    marks: dict[str, tuple[int, bool]] = {}
    skip = {"note", "rdg", "head", "teiHeader", "witDetail", "sic", "abbr", "orig", "fw", "del"}

    def walk(el):
        name = etree.QName(el).localname if isinstance(el.tag, str) else None
        if name is None:
            return
        if name in skip or (name == "div" and el.get("type") in ("notes", "endnotes")):
            return
        if name == "app" and el.get(XML_ID):
            lem = el.find(f"{TEI}lem")
            empty = lem is not None and not "".join(lem.itertext()).strip()
            marks[el.get(XML_ID)] = (len(chars), empty, " ".join("".join(
                t for t in (lem.itertext() if lem is not None else [])).split()))
        if name in ("p", "div", "ab", "l", "item", "lg", "list", "milestone"):
            chars.append(" ")
        if name == "milestone" and el.get("rend"):
            chars.extend(f" {el.get('rend')} ")
        chars.extend(el.text or "")
        for child in el:
            walk(child)
            chars.extend(child.tail or "")
        if name in ("p", "div", "ab", "l", "item"):
            chars.append(" ")

    for text in root.iter(f"{TEI}text"):
        walk(text)
    # word index of every character
    words, index_of, current, in_word = [], [], -1, False
    for ch in chars:
        if ch.isspace():
            in_word = False
            index_of.append(max(current, 0))
            continue
        if not in_word:
            words.append("")
            current += 1
            in_word = True
        words[-1] += ch
        index_of.append(current)
    apps = {}
    for app_id, (offset, empty, lemma) in marks.items():
        if empty:
            j = offset - 1
            while j > 0 and chars[j].isspace():
                j -= 1
            at = index_of[j]
        else:
            j = offset
            while j < len(chars) - 1 and chars[j].isspace():
                j += 1
            at = index_of[j] if j < len(index_of) else len(words) - 1
        word = words[at] if at < len(words) else ""
        start = j
        while start > 0 and not chars[start - 1].isspace():
            start -= 1
        apps[app_id] = (at, word if empty else (lemma.split() or [word])[0], 0 if empty else j - start)
    return words, apps


def align(tei_words: list[str], pdf_words: list[str]) -> dict[int, int]:
    """TEI word index → PDF word index, by longest matching runs of normalised words."""
    import difflib

    a = [norm(w) for w in tei_words]
    b = [norm(w) for w in pdf_words]
    mapping: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    return mapping
