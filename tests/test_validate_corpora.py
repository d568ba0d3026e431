"""Real TEI by other projects (../shared/corpora): schema errors as jing reports them, and the
unresolved pointers the corpus README lists reported by the integrity rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_validate_fixtures import SCHEMA_CODES, jing_error_lines

from edition.validate import validate_paths
from edition.validate.schema import ResultCache, Schema

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FILES = sorted(CORPORA.glob("*/*.xml"))
VALID = {  # the README's "valid (jing)" column
    "pta0040.pta001.pta-grc1.xml", "pta0013.pta003.pta-grc1.xml", "pta0013.pta003.pta-MsLa.xml",
    "pta0013.pta003.pta-MsPs.xml", "editio.xml", "ISic090035.xml", "OVTheTalkingLady.xml",
    "kleist-robert-guiskard.xml", "testapp2.xml", "testnotes1.xml",
}
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpora is not present")


@pytest.fixture(scope="module")
def reports():
    schema = Schema()
    return {f: validate_paths([f], schema=schema, cache=ResultCache(None, schema.sha256)) for f in FILES}


def _schema_lines(report) -> list[int]:
    return sorted(d.line for d in report.diagnostics if SCHEMA_CODES.fullmatch(d.code))


@pytest.mark.parametrize("path", [f for f in FILES if f.name in VALID], ids=lambda p: p.name)
def test_valid_files_have_no_schema_errors(path, reports):
    report = reports[path]
    assert _schema_lines(report) == []
    assert not [d for d in report.diagnostics if d.code in ("E000", "E001", "E002", "E003")]


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing (Debian package 'jing') is not installed")
def test_schema_errors_match_jing_in_count_and_line(reports):
    jing = jing_error_lines(FILES)
    for path in FILES:
        assert _schema_lines(reports[path]) == jing[path.resolve()], path.name


def test_known_invalid_files_give_the_readme_errors(reports):
    sarit = reports[CORPORA / "sarit" / "ratnakirti-nibandhavali.xml"]
    assert [(d.code, d.line) for d in sarit.errors if SCHEMA_CODES.fullmatch(d.code)] == [("E202", 3633)]
    assert "<choice> is incomplete" in next(d.message for d in sarit.errors if d.code == "E202")
    schnitzler = reports[CORPORA / "schnitzler-briefe" / "L02960.xml"]
    schema_errors = sorted((d.line, d.code) for d in schnitzler.errors if SCHEMA_CODES.fullmatch(d.code))
    assert schema_errors == [(1, "E203"), (79, "E201")]
    teiphy = reports[CORPORA / "teiphy" / "ubs_ephesians.xml"]
    first = min((d for d in teiphy.errors if SCHEMA_CODES.fullmatch(d.code)), key=lambda d: (d.line, d.col))
    assert (first.line, first.code) == (20, "E204") and "@notBefore" in first.message


def _pointer_findings(report, attr: str) -> list:
    return [d for d in report.diagnostics if d.code in ("W301", "W302", "W303", "W307") and f"@{attr} " in d.message]


def test_readme_unresolved_pointers_are_reported(reports):
    calpurnius = reports[CORPORA / "calpurnius" / "editio.xml"]
    wit = " ".join(d.message for d in _pointer_findings(calpurnius, "wit"))
    for siglum in ("'χ'", "'ω'", "'π2'"):
        assert siglum in wit
    pta = reports[CORPORA / "pta" / "pta0040.pta001.pta-grc1.xml"]
    bare_p = [d for d in _pointer_findings(pta, "wit") if "'P'" in d.message]
    assert len(bare_p) == 2 and all(d.code == "W302" for d in bare_p)
    sarit = reports[CORPORA / "sarit" / "ratnakirti-nibandhavali.xml"]
    spans = [d for d in sarit.diagnostics if d.code == "W302" and ("@from" in d.message or "@to" in d.message)]
    assert len(spans) == 5
    assert any("RNAms?citedRange=19b5" in d.message for d in _pointer_findings(sarit, "wit"))
    teiphy = reports[CORPORA / "teiphy" / "ubs_ephesians.xml"]
    bare = [d for d in teiphy.diagnostics if d.code == "W302" and d.message.startswith("@wit")]
    assert len(bare) > 100 and all("without '#'" in d.message for d in bare)
    assert any("witness with no xml:id" in d.message for d in bare)


def test_readme_valid_files_have_no_false_apparatus_errors(reports):
    for name in ("pta0013.pta003.pta-grc1.xml", "testapp2.xml", "kleist-robert-guiskard.xml"):
        path = next(f for f in FILES if f.name == name)
        assert reports[path].errors == [], [d.format() for d in reports[path].errors]
