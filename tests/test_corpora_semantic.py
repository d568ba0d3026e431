"""A semantic check of every file of ``../shared/corpora`` (issue 14): an independent reading of
the TEI (``corpus_reading``, lxml only) lists each ``<app>``'s readings with the sigla the
witnesses declare, and each note; the HTML shows each of them, no *om.* where the TEI has a
reading; the PDF of the small files too."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from corpus_reading import TeiReading, html_entries, squash
from lxml import html as lhtml
from test_pdf_whitespace import build

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FILES = sorted(CORPORA.glob("*/*.xml")) if CORPORA.is_dir() else []
# small enough to lay out in a test (a few seconds each); stand-off, @loc apparatus and notes
SMALL = [p for p in FILES if p.name in ("ISic090035.xml", "testapp2.xml", "testnotes1.xml")]
LINK = ("//*[(contains(concat(' ', @class, ' '), ' ref ') or contains(concat(' ', @class, ' '), ' ptr '))"
        " and starts-with(normalize-space(.), '→')]")
MARKS = ("//*[contains(concat(' ', @class, ' '), ' noteref ') or contains(concat(' ', @class, ' '), ' pb ')"
         " or contains(concat(' ', @class, ' '), ' alt ')]")


def _ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def rendered_page(path: Path):
    from edition.render.html import render_text
    from edition.tei.document import Document

    r = render_text(Document.load(path))
    return lhtml.fragment_fromstring(f"<div>{r.body}<ol>{r.apparatus_html}</ol><ul>{r.notes_html}</ul></div>")


def as_key(readings) -> tuple:
    """What each witness reads in one unit: (siglum, reading) pairs. The order of the readings
    and of the sigla, and whether agreeing witnesses share one printed reading, are the
    printer's (listWit order, @varSeq, reledmac's grouping); what each witness reads is the TEI's."""
    return tuple(sorted((siglum, r.text) for r in readings for siglum in (r.sigla or ("",))))


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_html_shows_every_reading_with_its_declared_sigla(path):
    tei = TeiReading(path)
    expected = Counter(as_key(app) for app in tei.apps())
    shown = Counter(as_key(entry) for entry in html_entries(rendered_page(path)))
    # the same entries, each with the same readings and sigla: nothing lost, nothing made up,
    # and "om." exactly where the TEI's reading is empty
    assert shown == expected, (list((expected - shown).elements())[:3], list((shown - expected).elements())[:3])


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_html_shows_every_note(path):
    page = rendered_page(path)
    for el in page.xpath(MARKS) + page.xpath(LINK):
        el.drop_tree()
    shown = squash(page.text_content())
    missing = [note[:60] for note in TeiReading(path).notes() if note not in shown]
    assert not missing, missing[:5]


@pytest.mark.skipif(not SMALL, reason="../shared/corpora is not there")
@pytest.mark.parametrize("path", SMALL, ids=_ids(SMALL))
def test_pdf_shows_every_reading_and_note(path, tmp_path):
    pdf = tmp_path / f"{path.stem}.pdf"
    build(path, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed = squash(text.replace("\u2010\n", "").replace("\u00ad", ""))   # hyphens the layout added
    tei = TeiReading(path)
    for app in tei.apps():
        for reading in app:
            assert reading.text + squash("".join(reading.sigla)) in printed, reading
    for note in tei.notes():
        assert note in printed, note[:60]
    assert "Allrightsreserved" not in printed and "notnamed" not in printed
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for licence in tei.root.xpath("t:teiHeader//t:availability/t:licence", namespaces=ns)[:1]:
        # the licence the TEI declares, as it declares it (its words, then its URL)
        stated = squash("".join(licence.itertext())) or licence.get("target")
        assert "Licence" + stated in printed
        if licence.get("target") and squash("".join(licence.itertext())):
            assert licence.get("target") in printed


def _joins_and_splits(tei_words: list[str], shown: list[str]) -> list[tuple[str, ...]]:
    """Where the shown words join two words of the TEI or split one of its words."""
    import difflib

    found = []
    matcher = difflib.SequenceMatcher(None, tei_words, shown, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "replace":
            continue
        tei_part, shown_part = tei_words[a1:a2], shown[b1:b2]
        if "".join(tei_part) == "".join(shown_part) and len(tei_part) != len(shown_part):
            found.append((" ".join(tei_part), " ".join(shown_part)))
    return found


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_html_joins_and_splits_no_word_of_the_tei(path):
    """No word of the running text joined to the next or split, compared with the TEI's text
    (``test_text_spacing.reading_words``: a layout space at a unit's edge between two words
    is a word boundary, pta0040's ``ἑαυτῶν<app>⏎<lem>ἀργοῦσιν``)."""
    from lxml import etree
    from test_text_spacing import TEI, reading_words

    from edition.render.html import render_text
    from edition.tei.document import Document

    root = etree.parse(str(path)).getroot()
    paragraphs = [p for p in root.iter(f"{TEI}p") if p.xpath("ancestor::*[local-name()='body']")
                  and not p.xpath("ancestor::*[local-name()='note' or local-name()='app']")]
    tei_words = [w for p in paragraphs for w in reading_words(p)]
    page = lhtml.fragment_fromstring(render_text(Document.load(path)).body, create_parent="div")
    for el in page.xpath("//*[contains(concat(' ', @class, ' '), ' rdg ') and not(contains(@class, 'base'))]"
                         " | //*[@data-pagefind-ignore] | //*[contains(concat(' ', @class, ' '), ' noteref ')]"
                         " | //*[contains(concat(' ', @class, ' '), ' note ')]"
                         " | //*[contains(concat(' ', @class, ' '), ' note-in-place ')]"):
        if "base" not in (el.get("class") or "").split():
            el.drop_tree()
    shown = [w for p in page.xpath("//p") for w in p.text_content().split()]
    assert _joins_and_splits(tei_words, shown) == []
