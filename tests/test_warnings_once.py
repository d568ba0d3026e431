"""Warnings are said once and name the editor's file and line, never edition's own source files
(issue 14: W601 was printed by the HTML and again by the PDF, and told the editor to edit
``edition/render/behaviours.py``)."""

from __future__ import annotations

from pathlib import Path

from edition.diagnostics import Report, warning

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
       '</titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>'
       '</fileDesc></teiHeader><text><body>\n<p>One <persName><surname>x</surname></persName>\n'
       '<metamark>y</metamark> <unknownOfOurs>z</unknownOfOurs></p></body></text></TEI>')


def test_the_same_finding_is_recorded_once():
    report = Report()
    first = warning("W601", "no rule for <x>", "a.xml", 3)
    report.add(first)
    report.extend([warning("W601", "no rule for <x>", "a.xml", 3), warning("W601", "no rule for <x>", "a.xml", 4)])
    report.add(first)
    assert [d.line for d in report.diagnostics] == [3, 4]


def test_a_rendering_warning_names_the_file_and_line_not_our_code(tmp_path: Path):
    from edition.render.html import render_text
    from edition.tei.document import Document

    path = tmp_path / "text.xml"
    path.write_text(TEI, encoding="utf-8")
    report = Report()
    for _ in range(2):   # the HTML and the PDF render the same text
        report.extend(render_text(Document.load(path)).diagnostics)
    unknown = [d for d in report.diagnostics if d.code == "W601" and "<unknownOfOurs>" in d.message]
    assert len(unknown) == 1
    assert unknown[0].path == str(path) and unknown[0].line == 3   # where the element stands
    for d in report.diagnostics:
        assert "edition/" not in d.format() and ".py" not in d.format(), d.format()
