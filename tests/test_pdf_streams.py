"""The character stream of a keyed block (``printhtml.streams``): what the line numbering reads.

Every printed character of the block once, in order, without white space or soft hyphens,
without what is not printed in the running line (a note), each with the place in the tree it
stands at (its element, text or tail, offset: read back here from the tree itself) and whether
a word starts with it.
"""

from __future__ import annotations

from lxml import html as lxml_html

from edition.render.pdf.printhtml import streams

BLOCK = ('<div><p data-lk="k1">  Ab c\u00addef <span>gh</span>i\u00a0j'
         '<span class="note">not printed</span>k \u00ad\u00ad l<b>m</b>n\u2003o </p></div>')


def _stream():
    return streams(lxml_html.fragment_fromstring(BLOCK))["k1"]


def test_every_printed_character_once_in_order():
    assert "".join(_stream().chars) == "Abcdefghijklmno"


def test_each_character_is_where_the_stream_says():
    stream = _stream()
    assert len(stream.where) == len(stream.chars)
    for index, char in enumerate(stream.chars):
        holder, which, offset = stream.where[index]
        assert getattr(holder, which)[offset] == char, index
    assert stream.where[-1] == stream.where[len(stream.chars) - 1]


def test_words_start_after_white_space_only():
    stream = _stream()
    starts = "".join(ch for ch, start in zip(stream.chars, stream.word_start) if start)
    # "c·def" is one word (a soft hyphen), "gh" runs on into "i", U+00A0 and U+2003 are white
    # space to a word's start, soft hyphens alone are not; the note between "j" and "k" is not read
    assert starts == "Acgjlo"
