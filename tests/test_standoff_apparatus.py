"""Location-referenced (``@loc``) and double-end-point (``@from``/``@to``) apparatus (issue 14):
keyed in the PDF to the printed lines of its lemma (``7``, ``4–5``), marked at its place in the
HTML; an entry whose place is not found is a located W630 and is still printed, unkeyed.

Each verse line of the fixture is short, so the printed line N is the TEI's N-th ``<l>``: the
expected numbers, lemmas, readings and sigla are read from the TEI with lxml; the PDF with
pdftotext, the HTML with lxml."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from test_pdf_whitespace import build

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

LINES = ["The first line of the song", 'Second line <anchor xml:id="a1"/>holds a word<anchor xml:id="a1e"/> here',
         "Third line goes along", 'Fourth <anchor xml:id="a2"/>line runs on', 'fifth line ends<anchor xml:id="a3"/> here',
         'sixth <seg xml:id="s6">line</seg> is plain', "seventh line is plain", "eighth line is plain",
         'ninth <anchor xml:id="a9"/>line is plain']
APPS = ['<app loc="1.7"><lem>seventh</lem><rdg wit="#B">septimo</rdg></app>',
        '<app from="#a1" to="#a1e"><rdg wit="#B">holds two words</rdg><rdg wit="#C"/></app>',
        '<app from="#a2" to="#a3" type="variants"><lem>line runs on fifth line ends</lem><rdg wit="#C">verse goes</rdg></app>',
        '<app from="#s6"><lem>line</lem><rdg wit="#C">verse</rdg></app>',
        '<app loc="3"><lem>Third</lem><rdg wit="#B">Tertia</rdg></app>',
        '<app loc="99"><lem>nowhere</lem><rdg wit="#B">nusquam</rdg></app>',
        '<app from="#missing"><lem>lost</lem><rdg wit="#B">perditum</rdg></app>',
        '<app from="#a9" to="#a1"><lem>backwards</lem><rdg wit="#B">retro</rdg></app>']


def fixture(path: Path) -> Path:
    verse = "".join(f'<l n="{n}">{line}</l>\n' for n, line in enumerate(LINES, 1))
    path.write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Song</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="B">Codex B</witness>'
        '<witness xml:id="C">Codex C</witness></listWit></sourceDesc></fileDesc></teiHeader>'
        f'<text><body><div n="1"><head>Song</head><lg>\n{verse}</lg></div></body>'
        f'<back><listApp>\n{chr(10).join(APPS)}\n</listApp></back></text></TEI>', encoding="utf-8")
    return path


def words(el_or_text) -> str:
    text = el_or_text if isinstance(el_or_text, str) else "".join(el_or_text.itertext())
    return " ".join(text.split())


def expected(tei: Path) -> list[dict]:
    """Each stand-off app as the TEI has it: its lines (N-th <l>), lemma words, readings, sigla;
    ``lines`` is None when its place is not in the text (or ends before it starts)."""
    root = etree.parse(str(tei)).getroot()
    verse = root.findall(".//t:body//t:l", NS)
    line_of = {}
    for n, line in enumerate(verse, 1):
        for el in line.iter():
            line_of[el] = n
    by_id = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    raw = tei.read_text(encoding="utf-8")
    out = []
    for app in root.iterfind(".//t:listApp/t:app", NS):
        lem = app.find("t:lem", NS)
        lemma = words(lem) if lem is not None else ""
        lines = None
        if app.get("loc"):
            parts = app.get("loc").split(".")
            hits = [ln for ln in verse if ln.get("n") == parts[-1]]
            lines = (line_of[hits[0]],) * 2 if hits else None
        else:
            start = by_id.get(app.get("from")[1:])
            end = by_id.get((app.get("to") or app.get("from"))[1:])
            if start is not None and end is not None and line_of[start] <= line_of[end]:
                lines = (line_of[start], line_of[end])
                if not lemma and app.get("to"):   # the words between the two anchors
                    between = raw.split(f'xml:id="{app.get("from")[1:]}"/>')[1].split("<anchor")[0]
                    lemma = words(re.sub("<[^>]+>", "", between))
                elif not lemma:
                    lemma = words(start)
        readings = [(words(r), [w.lstrip("#") for w in r.get("wit").split()]) for r in app.iterfind("t:rdg", NS)]
        out.append({"line": app.sourceline, "lines": lines, "lemma": lemma, "readings": readings,
                    "from": app.get("from"), "to": app.get("to"), "loc": app.get("loc")})
    return out


def printed_entry(unit: dict) -> str:
    """The entry as a printed apparatus has it: ``4–5 first … last] reading SIG; om. SIG``."""
    first, last = unit["lines"]
    label = str(first) if first == last else f"{first}–{last}"
    lemma = unit["lemma"].split()
    lemma = f"{lemma[0]} … {lemma[-1]}" if len(lemma) > 4 else " ".join(lemma)
    readings = "; ".join(f"{text or 'om.'} {' '.join(wits)}" for text, wits in unit["readings"])
    return f"{label} {lemma}] {readings}"


UI = {"ln", "pn", "app-mark", "pb"}   # numbers and marks of the page, not the text's words


def text_between(page, start, end) -> str:
    """The words shown between two elements of the page, in document order."""
    parts, on, skip = [], False, 0
    for event, el in etree.iterwalk(page, events=("start", "end")):
        ui = bool(set((el.get("class") or "").split()) & UI)
        if event == "start":
            if el is end:
                break
            if el is start:
                on = True
            skip += ui
            if on and not skip and el is not start:
                parts.append(el.text or "")
        else:
            skip -= ui
            if on and not skip:
                parts.append(el.tail or "")
    return words("".join(parts))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("standoff")
    tei = fixture(folder / "standoff.xml")
    pdf = folder / "standoff.pdf"
    result = build(tei, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return tei, " ".join(text.split()), result


def test_placed_entries_are_keyed_to_the_lines_of_their_lemma(built):
    tei, printed, _ = built
    units = expected(tei)
    placed = [u for u in units if u["lines"]]
    assert len(placed) == 5 and any(u["lines"][0] < u["lines"][1] for u in placed)   # a range among them
    for unit in placed:
        entry = printed_entry(unit)
        assert entry in printed, entry
        # at the foot of the page only, not again where the entry stands in the listApp
        readings = entry.split("] ", 1)[1]
        assert len(re.findall(rf"\] {re.escape(readings)}(?: \d|$)", printed)) == 1, entry


def test_an_entry_whose_place_is_not_found_is_warned_and_printed(built):
    tei, printed, result = built
    lost = [u for u in expected(tei) if not u["lines"]]
    assert len(lost) == 3
    warned = {d.line: d for d in result.diagnostics if d.code == "W630"}
    for unit in lost:
        text, wits = unit["readings"][0]
        assert f"{unit['lemma']}] {text} {' '.join(wits)}" in printed
        assert unit["line"] in warned and Path(warned[unit["line"]].path).resolve() == tei.resolve()
    assert len(warned) == len(lost)


def test_the_html_marks_the_place_of_each_entry(built):
    from edition.render.html import render_text
    from edition.tei.document import Document

    tei, _, _ = built
    rendered = render_text(Document.load(tei))
    page = lxml_html.fragment_fromstring(rendered.body, create_parent="div")
    units = expected(tei)
    entries = page.xpath("//*[contains(@class, 'app-entry')]")
    assert len(entries) == len(units)   # every entry is shown where it stands
    for unit, entry in zip(units, entries):
        link = entry.xpath(".//*[contains(@class, 'ae-loc')]")[0]
        if not unit["lines"]:
            assert not link.get("href", "").startswith("#at:")
            continue
        app_id = entry.get("id")
        start = page.xpath(f"//*[@data-so-start='{app_id}']")
        end = page.xpath(f"//*[@data-so-end='{app_id}']")
        assert len(start) == 1 and len(end) == 1
        assert link.get("href") == f"#{start[0].get('id')}" and end[0].get("href") == f"#{app_id}"
        # the words between the two marks are the lemma's place in the TEI
        shown = text_between(page, start[0], end[0])
        tei_words = unit["lemma"] if unit["from"] else words(etree.parse(str(tei)).getroot().xpath(
            f"//t:l[@n='{unit['loc'].split('.')[-1]}']", namespaces=NS)[0])
        assert shown == tei_words, (unit, shown)
