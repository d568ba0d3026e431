"""``bind_dashes`` (``edition.render.html``) finds from each dash what its pattern ``SPACED_DASH``
finds tried at every position: the same HTML, for any text and tags around the dashes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.render.html import SPACED_DASH, bind_dashes, render_text
from edition.tei.document import Document

PIECES = ["a", "b", " ", "\n", "\t", "\u00a0", "<", ">", "<i>", "</i>", '<span class="x">', "</span>",
          "<a<b>", "\u2013", "\u2014", "-", "—–"]


def by_pattern(html: str) -> str:
    return SPACED_DASH.sub("\\1\u00a0\\2", html)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_the_same_as_the_pattern(html):
    assert bind_dashes(html) == by_pattern(html)


def test_the_cases_it_is_for():
    assert bind_dashes("war – and") == "war\u00a0– and"
    assert bind_dashes("war <i>x</i> <b>—</b> y") == "war <i>x</i>\u00a0<b>—</b> y"
    assert bind_dashes("war</i> —\n") == "war</i>\u00a0—\n"
    assert bind_dashes("> – a") == "> – a" and bind_dashes("a  – b") == "a  – b" and bind_dashes("a –b") == "a –b"


def test_our_rendered_pages():
    """Our texts' pages with the dashes unbound again: both bind the same spaces."""
    root = Path(__file__).resolve().parents[1]
    for name in ("woods-2005-bolivia", "posadas-1968-intellectuals"):
        body = render_text(Document.load(root / "tei" / f"{name}.xml")).body
        plain = body.replace("\u00a0\u2013", " \u2013").replace("\u00a0\u2014", " \u2014")
        assert bind_dashes(plain) == by_pattern(plain)
