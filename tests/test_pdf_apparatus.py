"""The line-keyed apparatus of the PDF, checked against the TEI and the printed page.

For every <app> of a collated TEI: an entry is printed at the foot of the page where its
lemma is printed, under the line number of the printed line that holds the lemma (counted
from the margin numbers); substantive entries stand above the accidentals; the
``apparatus`` option prints only the chosen types.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_support import align, norm, numbered_words, place_in_word, read_pdf, tei_stream

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"
SOURCES = [FIXTURE] + [p for p in [ROOT / "tei" / "woods-2005-bolivia.xml"] if p.is_file()]
ACCIDENTALS = {"orthographic", "punctuation", "case"}


def build(tei: Path, target: Path, **options) -> list:
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    info = render_pdf(project, [Document.load(tei)], pdf_options(project.pdf, **options), volume=False,
                      target=target)
    return info.diagnostics


@pytest.fixture(scope="module", params=[pytest.param(p, marks=() if p == FIXTURE else pytest.mark.slow, id=p.stem)
                                         for p in SOURCES])
def keyed(request, tmp_path_factory):
    tei = request.param
    target = tmp_path_factory.mktemp("pdf") / f"{tei.stem}.pdf"
    build(tei, target)
    return tei, target, read_pdf(target)


def app_types(tei: Path) -> dict[str, str]:
    from lxml import etree

    root = etree.parse(str(tei)).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    return {a.get("{http://www.w3.org/XML/1998/namespace}id"): a.get("type") or "untyped"
            for a in root.xpath("//t:text//t:app", namespaces=ns)}


def placed_apps(tei: Path, pages):
    """For each app: (page, printed line, the word the lemma starts on), from TEI and PDF."""
    tei_words, apps = tei_stream(tei)
    printed = numbered_words(pages)
    mapping = align(tei_words, [w[0] for w in printed])
    assert len(mapping) > 0.9 * len(tei_words), "the PDF's numbered text does not follow the TEI"
    result = {}
    for app_id, (index, word, offset) in apps.items():
        at = mapping.get(index)
        if at is None:   # inside a run that differs (a lemma's own punctuation): nearest match before
            before = max((k for k in mapping if k < index), default=None)
            at = mapping[before] + (index - before) if before is not None else 0
        page, line = place_in_word(printed[min(at, len(printed) - 1)][3], offset)
        result[app_id] = (page, line, word)
    return result


def _covers(label: str, line: int) -> bool:
    first, _, last = label.partition("–")
    return int(first) <= line <= int(last or first)


def test_every_app_has_its_entry_on_the_lemmas_page_and_line(keyed):
    tei, _, pages = keyed
    places = placed_apps(tei, pages)
    assert places, "no <app> found in the TEI"
    missing = []
    for app_id, (page, line, word) in places.items():
        # a quotation mark's entry is its pair's ("“juntas vecinales”"): under the pair's lines (120–121)
        groups = [text for label, text, _ in pages[page].groups if int(label.split("–")[0]) == line
                  or (norm(word) == "" and _covers(label, line))]
        token = word if norm(word) == "" else norm(word)
        if not any((token in text if norm(word) == "" else token in norm_text(text)) for text in groups):
            missing.append(f"{app_id}: page {page + 1}, line {line}, lemma word '{word}'; "
                           f"groups there: {[g[0] for g in pages[page].groups]}")
    assert not missing, f"{len(missing)} of {len(places)} entries misplaced:\n" + "\n".join(missing[:15])


def norm_text(text: str) -> str:
    # a word may break at its own hyphen in the apparatus too: "self- defence"
    text = re.sub(r"(\w[-‐]) ", r"\1", text)
    return " ".join(norm(w) for w in text.replace("]", " ] ").split())


def test_margin_numbers_every_fifth_line(keyed):
    _, _, pages = keyed
    numbers = [n for page in pages for n, _ in page.margin]
    assert numbers and all(n % 5 == 0 for n in numbers)
    assert numbers == sorted(numbers) and numbers[0] == 5
    numbered_words(pages)   # asserts that every margin number agrees with the line count


def test_substantive_tier_stands_above_the_accidentals(keyed):
    tei, _, pages = keyed
    types = app_types(tei)
    places = placed_apps(tei, pages)
    checked = 0
    for index, page in enumerate(pages):
        here = {app: line for app, (p, line, _) in places.items() if p == index}
        tiers = {"B" if types[a] in ACCIDENTALS else "A" for a in here}
        if tiers != {"A", "B"}:
            continue
        tops = {"A": [], "B": []}
        for label, text, top in page.groups:
            line = int(label.split("–")[0])
            kinds = {"B" if types[a] in ACCIDENTALS else "A" for a, ln in here.items() if ln == line}
            if len(kinds) == 1:
                tops[kinds.pop()].append(top)
        if tops["A"] and tops["B"]:
            assert max(tops["A"]) < min(tops["B"]), f"page {index + 1}: accidentals above substantive"
            checked += 1
    assert checked or len({t in ACCIDENTALS for t in types.values()}) < 2


def test_apparatus_option_prints_only_the_chosen_types(tmp_path):
    tei = SOURCES[-1]
    target = tmp_path / "substantive.pdf"
    build(tei, target, apparatus=["substantive"])
    pages = read_pdf(target)
    types = app_types(tei)
    places = placed_apps(tei, pages)
    printed_lines = {(p.number, int(label.split("–")[0])) for p in pages for label, _, _ in p.groups}
    substantive_lines = {(places[a][0], places[a][1]) for a, t in types.items() if t in ("substantive", "untyped")}
    assert printed_lines <= substantive_lines
    assert substantive_lines <= printed_lines


def test_line_numbers_can_restart_on_every_page(tmp_path):
    target = tmp_path / "per-page.pdf"
    build(FIXTURE, target, line_numbers="page")
    numbered = [page for page in read_pdf(target) if page.margin]
    assert len(numbered) > 1
    for page in numbered:
        margin = [n for n, _ in page.margin]
        assert margin == list(range(5, 5 * len(margin) + 1, 5)), f"page {page.number + 1}: {margin}"
        assert all(int(label.split("–")[0]) <= len(page.lines) for label, _, _ in page.groups)


def _tei_words(el) -> list[str]:
    """An element's words as the PDF tests compare them (notes and readings left out)."""
    from lxml import etree

    skip = {"note", "rdg", "witDetail"}
    parts = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname not in skip:
                walk(child)
            if child.tail:
                parts.append(child.tail)
    walk(el)
    return [w for w in (norm(x) for x in "".join(parts).split()) if w]


def test_line_one_is_the_first_line_of_the_body(keyed):
    """Not a title page, an issue line, a standfirst or a byline: the text's own first words."""
    from lxml import etree

    tei, _, pages = keyed
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    first = etree.parse(str(tei)).xpath("(//t:body//t:*[self::t:p or self::t:ab][not(ancestor::t:note)])[1]",
                                        namespaces=ns)[0]
    printed = [(norm(w[0]), w[2]) for w in numbered_words(pages) if w[2] >= 1 and norm(w[0])]
    expected = _tei_words(first)[:6]
    assert [w for w, line in printed[:6]] == expected
    assert printed[0][1] == 1


def test_no_witness_paratext_in_the_numbered_text(keyed):
    """What a witness prints around the text (front and back parts with @source) is not numbered."""
    from lxml import etree

    tei, _, pages = keyed
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.parse(str(tei)).getroot()
    parts = root.xpath("//t:text/t:front//*[@source] | //t:text/t:back//*[@source]", namespaces=ns)
    # the numbered text runs to the last number printed in the margin (what follows is not counted)
    last = max(number for page in pages for number, _ in page.margin)
    printed = " " + " ".join(norm(w[0]) for w in numbered_words(pages) if 1 <= w[2] <= last and norm(w[0])) + " "
    for part in parts:
        words = _tei_words(part)
        assert words and f" {' '.join(words)} " not in printed, part.get("{http://www.w3.org/XML/1998/namespace}id")
    # the title page's title is the text's heading, not a numbered line
    for title in root.xpath("//t:titlePage//t:titlePart", namespaces=ns):
        assert not printed.startswith(f" {' '.join(_tei_words(title))} ")


def test_no_apparatus_lemma_is_punctuation_alone(keyed):
    """A mark is printed with the word it belongs to ("patriotism”.] patriotism.” P")."""
    _, _, pages = keyed
    lemmas = []
    for page in pages:
        for _label, text, _top in page.groups:
            for entry in text.split(" | "):
                if "]" in entry:
                    lemmas.append(entry.split("]", 1)[0].strip())
    assert lemmas
    alone = [lemma for lemma in lemmas if not any(ch.isalnum() for ch in lemma)]
    assert not alone, alone
