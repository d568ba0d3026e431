"""Passage references: parsing, reading a citeStructure, the passages of any TEI, their text."""

from __future__ import annotations

import pytest
from cite_fixture import make_project
from paths import CORPORA

from edition.citation.refs import (
    citation_tree,
    find_passage,
    load_text,
    parse_ref,
    passage_text,
    tei_xpath,
)
from edition.diagnostics import EditionError
from edition.project import load_project
from edition.tei.document import Document


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return load_project(make_project(tmp_path_factory.mktemp("refs") / "ed"))


@pytest.mark.parametrize("value, text, passage", [
    ("alpha-letter", "alpha-letter", None),
    ("alpha-letter:q12.p3", "alpha-letter", "q12.p3"),
    ("alpha-letter:#q12.p3", "alpha-letter", "q12.p3"),
    ("  woods_2005:opening.p1.a2 ", "woods_2005", "opening.p1.a2"),
])
def test_parse_ref(value, text, passage):
    ref = parse_ref(value)
    assert (ref.text, ref.passage) == (text, passage)
    assert str(ref) == (f"{text}:{passage}" if passage else text)


@pytest.mark.parametrize("value", ["", "a b", "text:", ":q1", "text:q1:q2", "text:q1/q2"])
def test_bad_refs_are_refused_with_a_hint(value):
    with pytest.raises(EditionError) as caught:
        parse_ref(value)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E801" and "TEXT:PASSAGE" in diagnostic.hint


@pytest.mark.parametrize("expr, expected", [
    ("//text//div[@xml:id]", "//tei:text//tei:div[@xml:id]"),
    ("p[@xml:id]|argument/p[@xml:id]", "tei:p[@xml:id]|tei:argument/tei:p[@xml:id]"),
    ("*[self::p or self::head][@xml:id]", "*[self::tei:p or self::tei:head][@xml:id]"),
    ("substring-after(@xml:id, concat(ancestor::div[1]/@xml:id, '.'))",
     "substring-after(@xml:id, concat(ancestor::tei:div[1]/@xml:id, '.'))"),
    ("count(lg) div 2 and tei:l", "count(tei:lg) div 2 and tei:l"),   # an operator, a prefixed name
    ("text()|node()", "text()|node()"),
    ("@n = 'div'", "@n = 'div'"),                                       # a string stays a string
])
def test_unprefixed_names_are_read_in_the_tei_namespace(expr, expected):
    assert tei_xpath(expr) == expected


def test_passages_follow_the_declared_structure(project):
    doc = load_text(project, "beta-collated")
    tree = citation_tree(doc)
    assert tree.declared
    assert [s["unit"] for s in tree.structure] == ["division", "note"]
    by_ref = {p.ref: p for p in tree.passages()}
    verse_app = by_ref["the-song.lg1.l1.a1"]
    assert (verse_app.unit, verse_app.parent, verse_app.level) == ("app", "the-song.lg1", 3)
    # every <app> of the TEI is citable, with its own id as reference
    apps = doc.xpath("//tei:app/@xml:id")
    assert sorted(apps) == sorted(p.ref for p in tree.passages() if p.unit == "app")


def test_an_editors_tei_is_cited_by_its_ids(project):
    doc = load_text(project, "gamma-editor")
    tree = citation_tree(doc)
    assert not tree.declared
    assert [(p.ref, p.parent) for p in tree.passages()] == [
        ("chap-one", None), ("para-a", "chap-one"), ("para-b", "chap-one"), ("fn-1", "para-b"),
        ("chap-two", None), ("poem-1", "chap-two"), ("poem-1-l1", "poem-1")]


def test_any_xml_id_resolves_and_unknown_ones_get_close_matches(project):
    doc = load_text(project, "alpha-letter")
    inner = find_passage(doc, "n2.p1")                     # a note's paragraph: cited under its note
    assert inner.unit == "paragraph" and passage_text(inner.element) == "Herring gulls, mostly."
    with pytest.raises(EditionError) as caught:
        find_passage(doc, "q2.p7")
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E803" and "alpha-letter:q2.p1" in diagnostic.hint
    with pytest.raises(EditionError) as caught:
        load_text(project, "alpha-leter")
    assert "did you mean alpha-letter" in caught.value.diagnostics[0].hint


def test_passage_text_is_the_reading_text(project):
    beta = load_text(project, "beta-collated")
    # the lemma, not the other reading; an empty lemma (an addition in P) adds nothing
    assert passage_text(find_passage(beta, "opening.p1").element) == \
        "The boats came in early that day, and the nets were grey."
    assert passage_text(find_passage(beta, "the-song.p1").element) == \
        "They sang it twice, the second time louder."
    alpha = load_text(project, "alpha-letter")
    # a note's text is not part of the paragraph that refers to it; the reference mark is
    assert passage_text(find_passage(alpha, "q2.p2").element) == "By morning the gulls(2) returned to the rocks."


def test_a_broken_citestructure_is_reported_where_it_is(tmp_path):
    root = make_project(tmp_path / "ed")
    path = root / "tei/alpha-letter.xml"
    path.write_text(path.read_text(encoding="utf-8").replace('match="//text//note[@xml:id]"',
                                                             'match="//text//note[@xml:id"'), encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        citation_tree(Document.load(path))
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E804" and diagnostic.line and diagnostic.path.endswith("alpha-letter.xml")


@pytest.mark.parametrize("name", ["calpurnius/editio.xml", "sarit/ratnakirti-nibandhavali.xml",
                                  "tei-stylesheets/testapp2.xml"])
def test_third_party_tei_gets_a_citation_tree(name):
    path = CORPORA / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/corpora")
    doc = Document.load(path)
    tree = citation_tree(doc)
    passages = tree.passages()
    ids = set(doc.xpath("tei:text//*[local-name()='div' or local-name()='p' or local-name()='l']/@xml:id"))
    assert ids and {p.ref for p in passages} >= ids
    for passage in passages:
        assert passage.ref == passage.element.get("{http://www.w3.org/XML/1998/namespace}id")
