"""The reading text (build/txt/<id>.txt) from TEI alone: ours, an apparatus, editors' files."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from edition.diagnostics import Report
from edition.render.text import render_text, render_texts
from edition.tei.document import Document
from edition.tei.xmlio import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
MARKER = re.compile(r"^\{#([\w.:-]+)\} \S")


def ours(text_id: str) -> str:
    return render_text(Document.load(ROOT / "tei" / f"{text_id}.xml"), Report())


def from_string(xml: str, report: Report | None = None, name: str = "t.xml") -> str:
    tree = parse_bytes(xml.encode("utf-8"), name)
    return render_text(Document(path=Path(name), tree=tree), report or Report())


def test_posadas_reading_text():
    text = ours("posadas-1968-intellectuals")
    lines = text.split("\n")
    assert lines[0] == ("The Intellectuals and the Technicians, the Development of the Socialist "
                        "Revolution, and the IV International")
    assert lines[2] == "by J. Posadas"
    assert "\nFOREWORDS …\n" in text
    assert ("\n{#q1.p1} The Soviet represents the will of the exploited masses. It is the organ of the "
            "masses. In it, people discuss, decide, and apply their own decisions.\n") in text
    assert ("\nQuestion 4. How do you distinguish between ‘Soviet functioning’ and what the masses "
            "organize spontaneously without calling it ‘Soviets’?\n") in text
    assert "Judging that they were aban-[…]\n" in text                   # the gap, not joined
    assert "is a [ruling] class instrument" in text                        # translator's brackets kept
    assert "Where do you see dual power at the present time?" in text
    assert text.index("{#foreword.p1}") < text.index("{#q1.p1}") < text.index("{#n1} (1) Refers")
    assert text.index("{#n18}") < text.index("{#n19} (19) UGTA") < text.index("{#n20}")
    assert "QQuu" not in text and "<" not in text
    assert "38 • what is a soviet" not in text                            # forme work is not text


def test_every_citation_marker_is_a_real_id():
    for text_id in ("posadas-1968-intellectuals", "molecular-process-part-four", "struggle-for-power"):
        tei = (ROOT / "tei" / f"{text_id}.xml").read_text(encoding="utf-8")
        markers = [m.group(1) for line in ours(text_id).split("\n") if (m := MARKER.match(line))]
        assert markers, text_id
        for ident in markers:
            assert f'xml:id="{ident}"' in tei


def test_molecular_process_reading_text():
    text = ours("molecular-process-part-four")
    assert text.count("Latin America is in the vanguard of the process of world revolution") == 1
    assert "{#mp-article.p3} (August 2004)" in text                      # the repetition is not read twice
    assert "(See Part One | Part Two | Part Three | Part Five)" in text
    assert "\n---\n" in text
    assert "\n1960s | 5 percent+ | almost 2.5 percent\n" in text
    assert "\nBolivia – the revolution has begun\n" in text
    assert text.count("The molecular process of World Revolution – Part Four") == 1


def test_struggle_reading_text():
    paras = [line for line in ours("struggle-for-power").split("\n") if line.startswith("{#")]
    assert [p.split("}")[0] for p in paras] == ["{#sfp-text.p1", "{#sfp-text.p2", "{#sfp-text.p3"]


TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>' \
      '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>' \
      '</teiHeader><text><body>{}</body></text></TEI>'


def test_apparatus_reads_the_lemma():
    text = from_string(TEI.format(
        '<p xml:id="a1">The <app><lem wit="#W">colour</lem><rdg wit="#P">color</rdg></app> red'
        '<app><lem wit="#W"/><rdg wit="#P">, bright,</rdg></app> and <choice><sic>teh</sic>'
        '<corr>the</corr></choice> <surplus>the</surplus>end.</p>'))
    assert "{#a1} The colour red and the end.\n" in text
    assert "color" not in text and "bright" not in text


def test_breaks_notes_gaps():
    text = from_string(TEI.format(
        '<p>A soft hy<lb break="no"/>phen, a line<lb/>break, a page<pb n="2"/> break'
        '<note n="*">A note.</note> and a gap <gap reason="lost"/>.</p>'
        '<lg><l>one line</l><l>two lines</l></lg><milestone unit="section" rend="* * *"/>'))
    assert "A soft hyphen, a line break, a page break[*] and a gap […].\n" in text
    assert "\none line\ntwo lines\n" in text and "\n* * *\n" in text
    assert text.rstrip().endswith("Notes\n-----\n\n[*] A note.")


def test_unknown_element_renders_its_content_and_warns_with_line():
    report = Report()
    text = from_string(TEI.format('<p>one\n<unheardOf>two</unheardOf> three</p>'), report, "u.xml")
    assert "one two three" in text
    [warning] = report.warnings
    assert (warning.code, warning.path, warning.line) == ("W610", "u.xml", 2)
    assert "<unheardOf>" in warning.message


def test_render_texts_writes_one_file_per_document(tmp_path):
    documents = [Document.load(ROOT / "tei" / "struggle-for-power.xml")]
    written = render_texts(SimpleNamespace(build_dir=tmp_path), documents, Report())
    assert written == [tmp_path / "txt" / "struggle-for-power.txt"]
    assert written[0].read_text(encoding="utf-8").startswith("Struggle for power - the strategy")


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not beside the checkout")
@pytest.mark.parametrize("path", sorted(CORPORA.glob("*/*.xml")) if CORPORA.is_dir() else [],
                         ids=lambda p: p.name)
def test_editors_tei_renders(path):
    report = Report()
    text = render_text(Document.load(path), report)
    assert len(text.split()) > 20
    assert all(d.code == "W610" for d in report.diagnostics)


def test_calpurnius_reads_lemmata_only():
    path = CORPORA / "calpurnius" / "editio.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    document = Document.load(path)
    text = render_text(document, Report())
    app = document.xpath("//tei:body//tei:app[tei:lem and tei:rdg][1]")[0]
    lem = " ".join("".join(app.find("{*}lem").itertext()).split())
    assert lem in text


def test_a_note_of_several_paragraphs_keeps_each_paragraph_citable():
    text = ours("posadas-1968-intellectuals")
    assert "\n{#n8} (8) The MNR became the government in 1952." in text
    assert "\n{#n8.p2} MNR: Movimiento Nacional Revolucionario:" in text
    assert "pensions for the first time.\n\n{#n14.p2} This history explains" in text
