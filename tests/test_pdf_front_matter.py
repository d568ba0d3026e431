"""Front matter a publisher accepts (issue 17): a text's title not repeated as its first section
(web page and PDF), a short text's PDF without empty pages, no word alone on a title's last
line, contents with a hanging indent. Expectations from the TEI (lxml) and the PDF (pdfplumber).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import html as lhtml

from edition.render.html import render_text
from edition.tei.document import Document

ROOT = Path(__file__).resolve().parents[1]
LONG = ("The relationship between the councils of the workers and the assemblies of the peasants in the "
        "second year of the revolution")


def _tei(path: Path, title: str, body: str, front: str = "") -> Path:
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
        f'<title type="main">{title}</title></titleStmt><publicationStmt><p>x</p></publicationStmt>'
        f'<sourceDesc><p>A source.</p></sourceDesc></fileDesc></teiHeader><text>{front}<body>{body}</body></text></TEI>',
        encoding="utf-8")
    return path


def _pdf(tei: Path, target: Path):
    import pdfplumber

    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options

    project = load_project(ROOT)
    render_pdf(project, [Document.load(tei)], pdf_options(project.pdf), volume=False, target=target)
    with pdfplumber.open(str(target)) as pdf:
        return [p.extract_words(extra_attrs=["size"]) for p in pdf.pages]


def _lines(words, size):
    lines: dict[int, list] = {}
    for w in words:
        if abs(w["size"] - size) < 0.3:
            lines.setdefault(round(w["bottom"]), []).append(w)
    return [sorted(ws, key=lambda w: w["x0"]) for _, ws in sorted(lines.items())]


def test_a_first_section_headed_by_the_title_is_not_a_second_heading(tmp_path):
    title = "Struggle for power: the strategy"
    doc = Document.load(_tei(tmp_path / "t.xml", title,
                             f'<div xml:id="d1"><head xml:id="d1.h">{title.upper()}</head><p>Words.</p>'
                             '<div xml:id="d2"><head>A part</head><p>More words.</p></div></div>'))
    rendered = render_text(doc)
    body = lhtml.fragment_fromstring(rendered.body, create_parent="div")
    headings = [" ".join(h.text_content().split()) for h in body.xpath("//h2 | //h3 | //h4")]
    assert headings == ["A part"] and body.xpath("//h2")   # its sections are the text's top level
    assert [e.label for e in rendered.toc] == ["A part"]
    assert body.get_element_by_id("d1.h") is not None      # links to the heading still land


def test_a_heading_after_a_foreword_stays(tmp_path):
    title = "The Intellectuals"
    doc = Document.load(_tei(tmp_path / "t.xml", title,
                             f'<div><head>{title}</head><p>Words.</p></div>',
                             front='<front><div><head>Foreword</head><p>Before the text.</p></div></front>'))
    rendered = render_text(doc)
    assert [e.label for e in rendered.toc] == ["Foreword", title]


def test_a_short_text_prints_on_few_pages_with_its_title_once(tmp_path):
    title = "Struggle for power - the strategy of permanent revolution"
    tei = _tei(tmp_path / "short.xml", title,
               f'<div><head>{title}</head><p>A short paragraph of the text.</p><p>Another one.</p><p>A third.</p></div>')
    pages = _pdf(tei, tmp_path / "short.pdf")
    assert len(pages) <= 3, "title page, imprint, text: no contents of one entry, no blank page"
    text_page = pages[-1]
    assert " ".join(w["text"] for w in text_page).count("strategy") == 1
    # the first paragraph under the title is not indented
    body = _lines(text_page, 10.5)
    assert body[0][0]["x0"] - min(ln[0]["x0"] for ln in body) < 1
    # the title page's title: its last line never holds one word alone
    size = max(w["size"] for w in pages[0])
    assert len(_lines(pages[0], size)[-1]) >= 2


def test_contents_entries_hang_under_their_first_word(tmp_path):
    body = "".join(f'<div><head>{LONG} ({k})</head><p>Words of part {k}.</p></div>' for k in (1, 2, 3))
    pages = _pdf(_tei(tmp_path / "toc.xml", "Parts", body), tmp_path / "toc.pdf")
    contents = next(p for p in pages if any(w["text"] == "Contents" for w in p))
    size = Counter(round(w["size"], 1) for w in contents).most_common(1)[0][0]   # the entries'
    lines = _lines(contents, size)
    starts = [ln[0] for ln in lines]
    firsts = [w for w in starts if w["text"] == "The"]
    runs_on = [w for w in starts if w["text"] != "The" and w["text"] != "Parts" and not w["text"].isdigit()]
    assert len(firsts) == 3 and runs_on, "each long entry runs onto a second line"
    assert min(w["x0"] for w in runs_on) > max(w["x0"] for w in firsts) + 5


def test_a_foreword_in_the_tei_front_follows_the_title_on_its_page(tmp_path):
    """A TEI <front> (a foreword) is part of the text, not the book's front matter: no page of
    its own after the title, running heads and all."""
    tei = _tei(tmp_path / "fw.xml", "Intellectuals", '<div><head>Letter</head><p>The letter itself.</p></div>',
               front='<front><div><head>Foreword</head><p>Words before the text.</p></div></front>')
    pages = _pdf(tei, tmp_path / "fw.pdf")
    [title_page] = [k for k, p in enumerate(pages) if any(w["text"] == "Intellectuals" and w["size"] > 14 for w in p)
                    and k > 0]
    assert any(w["text"] == "Foreword" for w in pages[title_page])
