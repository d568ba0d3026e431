"""What a reader reads is in plain words: no TEI syntax, no tool or file names.

The method statements (each text's editorial declaration, shown on the home page, the text's
page and the PDF's front matter) are read from our TEI with lxml; the search page's hint from
its template. TEI terms belong in the TEI download and the developer documentation only.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree
from paths import ROOT

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
# markup, attribute syntax, file names, tools and libraries a reader should not meet
DEVELOPER_WORDS = re.compile(
    r"<\w|\w=\"|\b(edRef|rend|cert|lb|app|fw|NFC|surplus|milestone|rendition)\b|\.toml\b|\brules/|"
    r"\b(breame|pyspellchecker|python|lxml|WeasyPrint|citeproc)\b|http\.server")


@pytest.mark.parametrize("tei", sorted((ROOT / "tei").glob("*.xml")), ids=lambda p: p.stem)
def test_method_statements_are_in_plain_words(tei):
    root = etree.parse(str(tei)).getroot()
    paragraphs = [" ".join("".join(p.itertext()).split())
                  for p in root.xpath("//t:encodingDesc/t:editorialDecl//t:p", namespaces=TEI)]
    assert paragraphs
    found = [(m.group(0), p[:80]) for p in paragraphs for m in DEVELOPER_WORDS.finditer(p)]
    assert not found, found


def test_the_search_page_tells_readers_what_to_do_not_what_to_run():
    from lxml import html

    page = html.fromstring((ROOT / "templates" / "search.html").read_text(encoding="utf-8"))
    hint = " ".join(" ".join(p.text_content().split()) for p in page.xpath("//p[contains(@class, 'hint')]"))
    assert hint and not DEVELOPER_WORDS.search(hint), hint
    assert "find" in hint     # what the reader can do instead


def test_the_abbreviation_rule_is_said_in_the_method():
    """An abbreviation spelled out in other words is substantive (rules/collation.toml) and the
    collated text's method says so."""
    root = etree.parse(str(ROOT / "tei" / "woods-2005-bolivia.xml")).getroot()
    method = " ".join(" ".join("".join(p.itertext()).split())
                      for p in root.xpath("//t:editorialDecl//t:p", namespaces=TEI))
    assert re.search(r"substantive \([^)]*abbreviation spelled out in other words", method)
    typed = root.xpath("//t:app[t:lem='SRs']/@type", namespaces=TEI)
    assert typed == ["substantive"]
