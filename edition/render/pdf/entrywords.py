"""The words of a printed apparatus entry, read from the printed text around its lemma.

In: a text stream of the print HTML (``edition.render.pdf.printhtml.streams``), a lemma's
place in it (``LemmaPlace``) and its ``Unit``. Out: a long lemma or reading shortened to
``first … last``; the word a punctuation lemma is printed with (``patriotism”.] patriotism.” P``);
the word before an addition; the superscript counter of a lemma whose word occurs twice on its
line; the opening and closing quotation marks that make one entry (``quotation_pairs``). Used
by ``edition.render.pdf.entries``.
"""

from __future__ import annotations

import re
import unicodedata

from edition.render.pdf.units import (
    LemmaPlace,
    Unit,
)

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PUNCT = re.compile(r"^\W+|\W+$")


def _norm(word: str) -> str:
    return unicodedata.normalize("NFC", _PUNCT.sub("", word))


def shorten_reading(text: str, lemma: str) -> str:
    """A long reading shortened as its lemma is (``WHO … IS``) only when the words left out are
    the lemma's own (but for case and marks); otherwise in full: a reading is printed nowhere
    else."""
    words, own = text.split(), lemma.split()
    if len(words) <= 4 or len(words) != len(own):
        return text
    same = all(_norm(a).casefold() == _norm(b).casefold() for a, b in zip(words[1:-1], own[1:-1]))
    return shorten(text) if same else text


def shorten(lemma: str) -> str:
    words = lemma.split()
    return f"{words[0]} … {words[-1]}" if len(words) > 4 else lemma


NBSP = "\u00a0"
QUOTES = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "‹": "›", "\"": "\"", "'": "'"}


def is_punctuation(text: str) -> bool:
    """True for a lemma of punctuation alone (no letter, no digit)."""
    return bool(text.strip()) and not any(ch.isalnum() for ch in text)


def text_width(text: str) -> int:
    """How many stream characters a text takes (the stream holds no spaces)."""
    return len("".join(text.split()))


def stream_text(stream, start: int, end: int) -> str:
    """The printed text between two stream positions, with its spaces."""
    out = []
    for j in range(max(start, 0), min(end, len(stream.chars))):
        if j > start and stream.word_start[j]:
            out.append(" ")
        out.append(stream.chars[j])
    return "".join(out)


def punctuation_context(stream, pos: int, lemma: str) -> tuple[str, str, bool]:
    """(word before, word after, spaced) of a punctuation lemma at ``pos``: an opening mark
    glued to the next word takes that word; any other mark the word before it (``spaced`` when
    a space stands between them)."""
    end = pos + text_width(lemma)
    chars = stream.chars
    if lemma.strip()[:1] in QUOTES or lemma.strip()[:1] in "([{":
        if end < len(chars) and not stream.word_start[end]:
            j = end + 1
            while j < len(chars) and not stream.word_start[j] and chars[j].isalnum():
                j += 1
            return "", stream_text(stream, end, j), False
    if pos <= 0:
        return "", "", False
    j = pos - 1
    while j > 0 and not stream.word_start[j]:
        j -= 1
    # the word itself, without the marks that open it ("“patriotism”." → "patriotism”.")
    while j < pos - 1 and not chars[j].isalnum():
        j += 1
    return stream_text(stream, j, pos), "", bool(stream.word_start[pos]) if pos < len(chars) else False


def joined(before: str, text: str, after: str, spaced: bool) -> str:
    core = text.strip()
    if before:
        # a no-break space: the word and its mark are one lemma, never parted at a line's end
        return f"{before}{NBSP if spaced and core else ''}{core}{after}"
    return f"{core}{after}"


def quotation_pairs(placed: list[tuple[LemmaPlace, Unit]]) -> dict[str, str]:
    """Units that are an opening and the matching closing quotation mark of one quotation, with
    the same witnesses and readings of punctuation alone (or nothing): opening id → closing id."""
    pairs = {}
    for (a, ua), (b, ub) in zip(placed, placed[1:]):
        open_mark = ua.lemma.strip()
        if (open_mark in QUOTES and ub.lemma.strip() == QUOTES[open_mark] and a.key == b.key
                and b.pos > a.pos and ua.kind == ub.kind and not ua.emendation and not ub.emendation
                and [w for _, w in ua.readings] == [w for _, w in ub.readings]
                and all(not t.strip() or is_punctuation(t) for t, _ in ua.readings + ub.readings)
                and a.app_id not in pairs.values()):
            pairs[a.app_id] = b.app_id
    return pairs


def word_before(stream, pos: int) -> str:
    """The word printed just before stream position ``pos`` (the lemma of an addition)."""
    j = pos - 1
    chars = []
    while j >= 0:
        chars.append(stream.chars[j])
        if stream.word_start[j]:
            break
        j -= 1
    return "".join(reversed(chars))


def counter(stream, reading, place: LemmaPlace, lemma: str) -> str:
    """``¹``/``²`` when the lemma's first word occurs more than once on its printed line."""
    line = reading.lines[place.first_index]
    if line.start is None or not lemma.split():
        return ""
    nxt = next((ln.start for ln in reading.lines[place.first_index + 1:] if ln.key == line.key),
               len(stream.chars))
    words: list[tuple[int, str]] = []
    for j in range(line.start, min(nxt, len(stream.chars))):
        if j == line.start or stream.word_start[j]:
            words.append((j, ""))
        words[-1] = (words[-1][0], words[-1][1] + stream.chars[j])
    # a lemma that is only punctuation ("–") is compared as printed, not as an empty word
    target = _norm(lemma.split()[0]) or lemma.split()[0]
    same = [j for j, w in words if (_norm(w) or w.strip()) == target]
    if len(same) < 2:
        return ""
    before = sum(1 for j in same if j <= place.pos)
    return f'<span class="lk-c">{str(before).translate(SUPERSCRIPTS)}</span>' if before else ""
