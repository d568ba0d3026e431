"""Notes print as footnotes on the page of their first reference, numbered as in the source,
and every word of the plain-text edition (``edition.render.text``) is in the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from pdf_support import HYPHEN, norm, read_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
NOTED = [FIXTURE] + [p for p in [ROOT / "tei" / "posadas-1968-intellectuals.xml"] if p.is_file()]
ALL = NOTED + [p for p in sorted((ROOT / "tei").glob("*.xml")) if p not in NOTED]
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def _params(paths):
    """The fixture runs always; the edition's own texts are marked slow (long PDFs)."""
    return [pytest.param(p, marks=() if p == FIXTURE else pytest.mark.slow, id=p.stem) for p in paths]


def build(tei: Path, target: Path, **options):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    return render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, **options), volume=False,
                      target=target)


_BUILT: dict[Path, Path] = {}


@pytest.fixture(scope="module")
def pdf_of(tmp_path_factory):
    def get(tei: Path) -> Path:
        if tei not in _BUILT:
            target = tmp_path_factory.mktemp("pdf") / f"{tei.stem}.pdf"
            build(tei, target)
            _BUILT[tei] = target
        return _BUILT[tei]
    return get


def first_references(tei: Path) -> list[tuple[str, str, list[str]]]:
    """(note id, the reference's printed label, the note's text) per note, in order of reference."""
    root = etree.parse(str(tei)).getroot()
    seen, out = set(), []
    for ref in root.xpath("//t:text//t:ref[starts-with(@target, '#')]", namespaces=NS):
        target = ref.get("target")[1:]
        note = root.xpath(f"//t:note[@xml:id='{target}']", namespaces=NS)
        if not note or target in seen:
            continue
        seen.add(target)
        label = " ".join("".join(ref.itertext()).split())
        out.append((target, label, " ".join("".join(note[0].itertext()).split())))
    return out


def page_texts(pdf: Path):
    pages = read_pdf(pdf)
    bodies = [" ".join(" ".join(w["text"] for w in line) for line in page.lines) for page in pages]
    return pages, bodies


@pytest.mark.parametrize("tei", _params(NOTED))
def test_every_note_is_on_the_page_of_its_reference(tei, pdf_of):
    pages, bodies = page_texts(pdf_of(tei))
    refs = first_references(tei)
    assert refs, "the TEI has no note references"
    cursor = 0   # references are found in reading order
    for note_id, label, note_text in refs:
        found = next((i for i in range(cursor, len(bodies)) if label in bodies[i].split() or label in bodies[i]), None)
        assert found is not None, f"reference {label} of {note_id} not in the text after page {cursor + 1}"
        cursor = found
        words = [w for w in note_text.split() if norm(w)]
        if re.fullmatch(r"[(\[]?\d+[)\].]?", words[0]):
            words = words[1:]   # the note's own printed number
        opening = " ".join(filter(None, (norm(w) for w in words[:5])))
        foot = " ".join(filter(None, (norm(w) for w in pages[found].foot_text.replace(HYPHEN + " ", "").split())))
        assert opening[:40] in foot, (f"note {note_id} ({label}) is not at the foot of page {found + 1}, "
                                      f"where it is referenced")


def test_the_uncertain_link_is_shown(pdf_of):
    pages, bodies = page_texts(pdf_of(FIXTURE))
    assert any("(link uncertain)" in p.foot_text or "2?" in p.foot_text for p in pages)


def pdf_tokens(pdf: Path) -> tuple[set[str], set[str]]:
    """The PDF's words, and the first parts of words broken at a line or page end.

    From pdfplumber's words (pdftotext would silently join words at line-end hyphens)."""
    raw = " ".join(page.all_text for page in read_pdf(pdf)).split()
    fragments = {norm(t[:-1]) for t in raw if t[-1:] in (HYPHEN, "-", "/", "–")}
    return {norm(t) for t in raw} - {""}, fragments


def printed(word: str, words: set[str], fragments: set[str]) -> bool:
    """A word is printed whole, or broken at a line end (its first part ends the line)."""
    if norm(word) in words:
        return True
    return any(norm(word[:i]) in fragments and norm(word[i:]) in words for i in range(2, len(word) - 1))


@pytest.mark.parametrize("tei", _params(ALL))
def test_every_word_of_the_plain_text_is_in_the_pdf(tei, pdf_of):
    from edition.diagnostics import Report
    from edition.render.text import render_text
    from edition.tei.document import Document

    text = render_text(Document.load(tei), Report())
    # passage markers ({#id}) are the text edition's own citation keys, not words of the text
    words = {w for w in text.split() if norm(w) and not re.fullmatch(r"\{#[^}]*\}", w)}
    found, fragments = pdf_tokens(pdf_of(tei))
    missing = sorted(w for w in words if not printed(w, found, fragments))
    assert not missing, f"{len(missing)} word(s) of the text edition missing from the PDF: {missing[:20]}"


def test_weasyprint_may_not_move_our_footnotes_to_fit_a_last_line():
    """While laying out, a page's footnotes read as "none that may move" when all are ours."""
    from types import SimpleNamespace

    import weasyprint
    from weasyprint.layout import LayoutContext

    from edition.render.pdf import footnotes

    def box(cls):
        return SimpleNamespace(element={"class": cls})

    seen = []
    original = LayoutContext._update_footnote_area

    def spy(self):
        seen.append((bool(self.current_page_footnotes), len(self.current_page_footnotes)))
        return original(self)

    html = ('<p>Text<span class="note" style="float: footnote">A note.</span> and more '
            '<span class="other" style="float: footnote">Someone else\'s.</span></p>')
    with footnotes.ordered_footnotes():
        page = footnotes._PageFootnotes([box("note"), box("lk-fn x"), box("lk-sep")])
        assert not page and len(page) == 3
        assert footnotes._PageFootnotes([box("note"), box("other")])
        LayoutContext._update_footnote_area = footnotes._update_footnote_area(spy)
        try:
            weasyprint.HTML(string=html).render()
        finally:
            LayoutContext._update_footnote_area = original
    # inside the area update the list is a plain one: an area of our notes is not "empty"
    assert seen and all(truth for truth, count in seen if count)
    assert not hasattr(LayoutContext, "current_page_footnotes")   # the wrapper is gone afterwards


def every_reference(tei: Path) -> list[tuple[str, str, str]]:
    """(note id, printed label, the note's text) for every reference, repeated ones too."""
    root = etree.parse(str(tei)).getroot()
    out = []
    for ref in root.xpath("//t:text//t:ref[starts-with(@target, '#')]", namespaces=NS):
        note = root.xpath(f"//t:note[@xml:id='{ref.get('target')[1:]}']", namespaces=NS)
        if note:
            out.append((ref.get("target")[1:], " ".join("".join(ref.itertext()).split()),
                        " ".join("".join(note[0].itertext()).split())))
    return out


def _opening(note_text: str) -> str:
    words = [w for w in note_text.split() if norm(w)]
    if re.fullmatch(r"[(\[]?\d+[)\].]?", words[0]):
        words = words[1:]
    return " ".join(filter(None, (norm(w) for w in words[:5])))[:40]


@pytest.mark.parametrize("tei", _params(NOTED))
def test_every_repeated_call_has_its_note_on_its_page(tei, pdf_of):
    """A note called twice (3, 13, 19 in Posadas) is at the foot of each calling page."""
    pages, bodies = page_texts(pdf_of(tei))
    cursor = 0
    for note_id, label, note_text in every_reference(tei):
        found = next((i for i in range(cursor, len(bodies)) if label in bodies[i]), None)
        assert found is not None, f"reference {label} of {note_id} not found after page {cursor + 1}"
        cursor = found
        foot = " ".join(filter(None, (norm(w) for w in pages[found].foot_text.replace(HYPHEN + " ", "").split())))
        assert _opening(note_text) in foot, f"note {note_id} is not at the foot of page {found + 1}"


@pytest.mark.parametrize("tei", _params(NOTED))
def test_notes_without_a_call_are_an_endnote_section(tei, pdf_of):
    """Not floated to some page's foot as "1." alone: set as prose after the text, under a label."""
    root = etree.parse(str(tei)).getroot()
    called = {r.get("target")[1:] for r in root.xpath("//t:text//t:ref[starts-with(@target, '#')]", namespaces=NS)}
    uncalled = [n for n in root.xpath("//t:text//t:note[@xml:id][not(ancestor::t:note)]", namespaces=NS)
                if n.get("{http://www.w3.org/XML/1998/namespace}id") not in called
                and n.getparent().get("type") in ("notes", "endnotes", "footnotes")]
    if not uncalled:
        pytest.skip("every note of this text is called")
    pages, _ = page_texts(pdf_of(tei))
    texts = [" ".join(filter(None, (norm(w) for w in p.all_text.split()))) for p in pages]
    for note in uncalled:
        opening = _opening(" ".join("".join(note.itertext()).split()))
        found = [i for i, t in enumerate(texts) if opening in t]
        assert found, f"{opening!r} is not in the PDF"
        assert found[0] >= len(pages) - 2      # after the text, at its end
        # under its label, by its type, not a bare number
        kind = (note.get("type") or "note").lower()
        assert re.search(rf"{kind}\S* note {re.escape(opening)}", texts[found[0]]), texts[found[0]][-300:]
    assert not any(re.search(r"(^|\s)1\.\s*$", p.foot_text) for p in pages)


def test_a_letter_sets_opener_and_closer_parts_on_their_own_lines(pdf_of):
    """Byline, dateline, salute and signature each begin a printed line (Posadas' letter)."""
    tei = ROOT / "tei" / "posadas-1968-intellectuals.xml"
    if not tei.is_file():
        pytest.skip("the edition's letter is not here")
    root = etree.parse(str(tei)).getroot()
    parts = root.xpath("//t:body//t:opener/* | //t:body//t:closer/*", namespaces=NS)
    assert len(parts) >= 5
    pages = read_pdf(pdf_of(tei))
    lines = [" ".join(filter(None, (norm(w["text"]) for w in line))) for page in pages for line in page.lines]
    for part in parts:
        words = " ".join(filter(None, (norm(w) for w in "".join(part.itertext()).split())))
        head = " ".join(words.split()[:3])
        assert any(line.startswith(head) for line in lines), f"{words!r} does not begin a line"
        if len(words.split()) <= 4:
            assert words in lines, f"{words!r} is not a line of its own"
