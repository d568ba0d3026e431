"""The invalid-fixture folder: each case gives exactly the diagnostics written beside it,
and its schema errors are those jing reports (count and line)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from edition.diagnostics import EditionError
from edition.validate import CATALOGUE, validate_paths
from edition.validate.runner import read_source
from edition.validate.schema import ResultCache, Schema

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p for p in FIXTURES.iterdir() if p.suffix == ".xml" or p.is_dir())
SCHEMA_CODES = re.compile(r"E2\d\d")
# Files jing must not read: it would expand their entities (billion laughs) or fetch them.
NOT_FOR_JING = {"billion-laughs.xml", "xxe.xml"}


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema()


def _validate(case: Path, schema: Schema):
    return validate_paths([case], schema=schema, cache=ResultCache(None, schema.sha256))


def _prefix(diagnostic, case: Path) -> str:
    base = case if case.is_dir() else case.parent
    path = Path(diagnostic.path).resolve().relative_to(base.resolve())
    return f"{path}:{diagnostic.line}:{diagnostic.col}: {diagnostic.severity.value}[{diagnostic.code}]"


def test_there_are_enough_cases():
    assert len(CASES) >= 20
    for case in CASES:
        assert case.with_suffix(".expected").is_file(), f"{case.name} has no .expected file"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_fixture_gives_exactly_the_expected_diagnostics(case: Path, schema: Schema):
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").split("\n")
    expected = sorted(line for line in expected if line.strip())
    report = _validate(case, schema)
    got = sorted(_prefix(d, case) for d in report.diagnostics)
    assert got == expected
    for diagnostic in report.diagnostics:
        assert diagnostic.code in CATALOGUE, f"{diagnostic.code} is missing from the rule catalogue"
        assert diagnostic.message and "Traceback" not in diagnostic.message
        assert diagnostic.hint, f"{diagnostic.code} gives no hint of what to do"


def jing_error_lines(files: list[Path]) -> dict[Path, list[int]]:
    """Lines of jing's errors per file, from one jing run over all the files.

    jing reports a duplicate xml:id twice ("already defined", "first occurrence"); only the
    first of these is an error (our E304 is at the same place).
    """
    run = subprocess.run(["jing", str(Schema().path), *map(str, files)], capture_output=True, text=True,
                         timeout=600)
    found: dict[Path, list[int]] = {f.resolve(): [] for f in files}
    for line in run.stdout.splitlines():
        match = re.match(r"(.*?):(\d+):\d+: (error|fatal): (.*)", line)
        if match and "first occurrence of ID" not in match.group(4):
            found.setdefault(Path(match.group(1)).resolve(), []).append(int(match.group(2)))
    return {path: sorted(lines) for path, lines in found.items()}


def _well_formed(path: Path) -> bool:
    try:
        read_source(path)
    except EditionError:
        return False
    return True


# jing stops at the first file that is not well-formed, so those are left out (and compared
# by the exact-diagnostic test above only).
JING_CASES = [c for c in CASES if c.is_file() and c.name not in NOT_FOR_JING and _well_formed(c)]


@pytest.fixture(scope="module")
def jing_lines() -> dict[Path, list[int]]:
    return jing_error_lines(JING_CASES)


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing (Debian package 'jing') is not installed")
@pytest.mark.parametrize("case", JING_CASES, ids=lambda p: p.stem)
def test_schema_errors_match_jing(case: Path, schema: Schema, jing_lines):
    report = _validate(case, schema)
    ours = sorted(d.line for d in report.diagnostics if SCHEMA_CODES.fullmatch(d.code) or d.code == "E304")
    assert ours == jing_lines[case.resolve()]


def test_a_check_cut_short_says_that_more_errors_may_follow(schema, monkeypatch):
    """The repair rounds are bounded; a file still invalid at the bound says so (W230)."""
    import edition.validate.repair as repair_module

    case = FIXTURES / "many-errors.xml"
    monkeypatch.setattr(repair_module, "MAX_ROUNDS", 2)
    report = _validate(case, schema)
    notes = [d for d in report.diagnostics if d.code == "W230"]
    assert len(notes) == 1 and "more errors may follow" in notes[0].message
    assert 0 < len([d for d in report.diagnostics if SCHEMA_CODES.fullmatch(d.code)]) < 20
    monkeypatch.setattr(repair_module, "MAX_ROUNDS", 1000)
    assert not [d for d in _validate(case, schema).diagnostics if d.code == "W230"]


def test_namespaced_attributes_are_named_with_their_prefix(schema):
    report = _validate(FIXTURES / "many-errors.xml", schema)
    named = {d.line: d.message for d in report.diagnostics if d.code == "E203"}
    assert named[2].startswith("@p:doctype is not allowed on <TEI>")
    assert named[30].startswith("@p:style is not allowed on <hi>")   # <hi> may carry @style: not that one
    assert named[34].startswith("@p:role is not allowed on <ref>")


def test_stray_text_is_reported_as_text_not_as_its_element(schema):
    """libxml2 says "Element div has extra content: text": the text, not the <div>, is wrong."""
    report = _validate(FIXTURES / "many-errors.xml", schema)
    assert not [d for d in report.diagnostics if d.line == 18]   # the <div> that holds the text
    assert [d.code for d in report.diagnostics if d.line == 20] == ["E206"]
