"""Integrity rules on small documents: what they must accept (other projects' conventions)
as well as what they must report."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.validate import validate_paths
from edition.validate.schema import ResultCache, Schema

HEADER = """<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc>{src}</sourceDesc></fileDesc>{enc}
<profileDesc/></teiHeader>"""
PS = '<encodingDesc><variantEncoding method="parallel-segmentation" location="internal"/></encodingDesc>'


def tei(body: str, src: str = "<p>S</p>", enc: str = "", back: str = "") -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER.format(src=src, enc=enc)}'
            f"<text><body>{body}</body>{back}</text></TEI>")


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema()


def codes(tmp_path: Path, schema: Schema, *texts: str) -> list[str]:
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"f{number}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    report = validate_paths(paths, schema=schema, cache=ResultCache(None, schema.sha256))
    return sorted(d.code for d in report.diagnostics)


WITS = ('<listWit><listWit xml:id="fam"><witness xml:id="A">A</witness><witness xml:id="B">B</witness>'
        '</listWit><witness xml:id="C">C</witness></listWit>')


def test_witness_groups_and_nested_apps_account_for_every_witness(tmp_path, schema):
    body = ('<p>x <app><lem wit="#fam">a <app><lem wit="#A">b</lem><rdg wit="#B">c</rdg></app></lem>'
            '<rdg wit="#C">d</rdg></app></p>')
    assert codes(tmp_path, schema, tei(body, WITS, PS)) == []
    missing = '<p>x <app><lem wit="#A">a</lem><rdg wit="#C">d</rdg></app></p>'
    assert codes(tmp_path, schema, tei(missing, WITS, PS)) == ["E308"]
    assert codes(tmp_path, schema, tei(missing, WITS)) == []  # not declared as parallel segmentation


def test_readings_that_differ_only_in_markup_differ(tmp_path, schema):
    body = '<p><app><lem wit="#A">ovili</lem><rdg wit="#B">ovil<add place="above">i</add></rdg></app></p>'
    assert codes(tmp_path, schema, tei(body, WITS)) == []


def test_notes_attached_or_inline_or_marked_are_not_reported(tmp_path, schema):
    body = '<p xml:id="p1">Text<note>inline</note> and <ref target="#n1">(1)</ref>.</p>'
    back = ('<back><div type="notes"><note xml:id="n1">linked</note><note target="#p1">attached</note>'
            '<note subtype="unreferenced">on purpose</note><note xml:id="n4">stray</note></div></back>')
    assert codes(tmp_path, schema, tei(body, back=back)) == ["W305"]


def test_line_numbers_may_restart_on_a_new_page(tmp_path, schema):
    body = '<pb n="1"/><p><lb n="1"/>a <lb n="2"/>b</p><pb n="2"/><p><lb n="1"/>c <lb n="3"/>d <lb n="2"/>e</p>'
    assert codes(tmp_path, schema, tei(body)) == ["W313"]


def test_header_ids_may_repeat_across_files_but_text_ids_may_not(tmp_path, schema):
    one = tei('<p xml:id="intro">a</p>', enc='<encodingDesc><p xml:id="ed">E</p></encodingDesc>')
    two = one.replace('<p xml:id="intro">a</p>', '<p xml:id="other">b</p>')
    assert codes(tmp_path, schema, one, two) == []
    assert codes(tmp_path, schema, one, one) == ["E304"]


def test_pointers_across_files_of_the_edition(tmp_path, schema):
    first = tei('<p xml:id="p1">See <ref target="f1.xml#q1">there</ref> and <ref target="f1.xml#nope">x</ref>.</p>')
    second = tei('<p xml:id="q1">Here <ref target="https://example.org/">web</ref>.</p>')
    assert codes(tmp_path, schema, first, second) == ["W301"]


def test_linked_note_markers_and_compounds_are_not_leftovers(tmp_path, schema):
    body = ('<p>A well-<lb/>known movement<ref target="#n1">(1)</ref> grew; see list (2) below and '
            'the long-\nforgotten text.</p>')
    back = '<back><div type="notes"><note xml:id="n1">N</note></div></back>'
    assert codes(tmp_path, schema, tei(body, back=back)) == ["W402"]
