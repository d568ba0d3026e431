"""The schema cut to a file's elements gives the same yes/no as tei_all, and valid files never
make the process compile the whole schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from paths import CORPORA, ROOT

from edition.resources import TEI_ALL_RNG
from edition.validate import pruned
from edition.validate.runner import read_source, validate_paths
from edition.validate.schema import ResultCache, Schema

RNG = "http://relaxng.org/ns/structure/1.0"
FILES = sorted((ROOT / "tests/fixtures/invalid").glob("*.xml")) + sorted(CORPORA.rglob("*.xml")) \
    + sorted((ROOT / "tei").glob("*.xml"))


def _parsed(path: Path):
    try:
        return read_source(path).root.getroottree()
    except Exception:   # not well-formed, hostile: the schema never sees it
        return None


@pytest.fixture(scope="module")
def schema_tree():
    return etree.parse(str(TEI_ALL_RNG))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cut_schema_accepts_exactly_what_tei_all_accepts(path, tei_all, schema_tree):
    tree = _parsed(path)
    if tree is None:
        pytest.skip("not parsed (refused before the schema)")
    assert pruned.accepts(schema_tree, "tei_all", tree) == tei_all.validate(tree)


def test_both_verdicts_occur_among_the_files(tei_all):
    verdicts = {tei_all.validate(tree) for tree in map(_parsed, FILES) if tree is not None}
    assert verdicts == {True, False}


def test_cut_replaces_only_plain_named_elements_the_file_does_not_use():
    schema = etree.ElementTree(etree.fromstring(
        f"<grammar xmlns='{RNG}' ns='urn:x'><start><element name='doc'><zeroOrMore><choice>"
        "<ref name='p'/><ref name='q'/><ref name='any'/></choice></zeroOrMore></element></start>"
        "<define name='p'><element name='p'><text/></element></define>"
        "<define name='q'><element><name ns='urn:y'>q</name><text/></element></define>"
        "<define name='any'><element><anyName/><text/></element></define></grammar>"))
    result = pruned.cut(schema, frozenset({("urn:x", "doc"), ("urn:y", "q")}))
    defines = {d.get("name"): etree.QName(d[0]).localname for d in result.getroot().iter(f"{{{RNG}}}define")}
    assert defines == {"p": "notAllowed", "q": "element", "any": "element"}
    assert etree.QName(result.getroot().find(f"{{{RNG}}}start")[0]).localname == "element"
    # the dead branch leaves the choice (so libxml2 can still compile the content model)
    assert [r.get("name") for r in result.getroot().iter(f"{{{RNG}}}ref")] == ["q", "any"]


def test_valid_files_are_validated_without_compiling_the_whole_schema(tmp_path):
    rng = tmp_path / "tei_all.rng"   # a copy of its own, so no earlier test compiled it
    rng.write_bytes(TEI_ALL_RNG.read_bytes() + b"<!-- copy -->\n")
    schema = Schema(rng)
    report = validate_paths([ROOT / "tei"], schema=schema, cache=ResultCache(None, schema.sha256))
    assert report.files >= 4 and report.errors == []
    assert not schema.compiled


def test_a_file_with_errors_still_gets_the_whole_schemas_messages(tmp_path):
    rng = tmp_path / "tei_all.rng"
    rng.write_bytes(TEI_ALL_RNG.read_bytes() + b"<!-- another copy -->\n")
    schema = Schema(rng)
    fixture = ROOT / "tests/fixtures/invalid/unknown-element.xml"
    report = validate_paths([fixture], schema=schema, cache=ResultCache(None, schema.sha256))
    assert not schema.compiled   # the schema hollowed to the file's elements gave the messages
    schema.relaxng()             # now the whole one: the same diagnostics, word for word
    again = validate_paths([fixture], schema=schema, cache=ResultCache(None, schema.sha256))
    assert [d.format(verbose=True) for d in again.diagnostics] == [d.format(verbose=True) for d in report.diagnostics]
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert [f"{fixture.name}:{d.line}:{d.col}: error[{d.code}]" for d in report.errors] == [expected]
    assert "foo" in report.errors[0].message


def test_hollow_keeps_every_content_model_and_empties_the_unused_elements():
    schema = etree.ElementTree(etree.fromstring(
        f"<grammar xmlns='{RNG}' xmlns:a='urn:doc' ns='urn:x'><start><element name='doc'><zeroOrMore>"
        "<choice><ref name='p'/><ref name='q'/></choice></zeroOrMore></element></start>"
        "<define name='p'><element name='p'><a:documentation>para</a:documentation><attribute name='n'/>"
        "<text/></element></define>"
        "<define name='q'><element name='q'><oneOrMore><ref name='p'/></oneOrMore></element></define></grammar>"))
    result = pruned.hollow(schema, frozenset({("urn:x", "doc"), ("urn:x", "q")}))
    elements = {e.get("name"): [etree.QName(c).localname for c in e] for e in result.getroot().iter(f"{{{RNG}}}element")}
    # <p> keeps its name but nothing else of RELAX NG; no notAllowed anywhere
    assert elements == {"doc": ["zeroOrMore"], "p": ["documentation", "empty"], "q": ["oneOrMore"]}
    assert not list(result.getroot().iter(f"{{{RNG}}}notAllowed"))
    # the choice loses its branch for <p>; <q> must still hold a <p> (no choice there to narrow)
    assert [r.get("name") for r in result.getroot().iter(f"{{{RNG}}}ref")] == ["q", "p"]
    # a choice of unused elements only keeps one of them, so the position is not left empty
    only_doc = pruned.hollow(schema, frozenset({("urn:x", "doc")}))
    assert [r.get("name") for r in only_doc.getroot().find(f".//{{{RNG}}}choice")] == ["p"]


INVALID = [p for p in FILES if p.parent.name != "tei" and p.name not in ("billion-laughs.xml", "xxe.xml")]


def test_hollow_schema_reports_what_the_whole_schema_reports(tmp_path, monkeypatch):
    """Every invalid fixture and corpus file: the same diagnostics, word for word, from both."""
    rng = tmp_path / "tei_all.rng"
    rng.write_bytes(TEI_ALL_RNG.read_bytes() + b"<!-- a third copy -->\n")
    sources = []
    for path in INVALID:
        try:
            sources.append((path, read_source(path)))
        except Exception:
            continue
    hollow = Schema(rng)
    by_hollow = {p: [d.format(verbose=True) for d in hollow.check(s.root, s.data, p)] for p, s in sources}
    assert not hollow.compiled
    whole = Schema(rng)
    whole.relaxng()
    by_whole = {p: [d.format(verbose=True) for d in whole.check(s.root, s.data, p)] for p, s in sources}
    assert by_hollow == by_whole
    assert sum(map(len, by_whole.values())) > 200   # (teiphy alone has 203)
