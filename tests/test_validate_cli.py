"""`edition validate` from the command line: output format, exit codes, options, the cache,
and `edition build` stopping with the validator's messages."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections import OrderedDict
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main
from edition.validate import pruned
from edition.validate import schema as schema_module

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
VALID_TEI = (FIXTURES / "dangling-target.xml").read_text(encoding="utf-8").replace(
    '<ref target="#nowhere">there</ref>', "there")


def _run(*args, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    with contextlib.chdir(cwd):  # paths in messages are relative to the working folder
        return runner.invoke(main, list(args))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "A test edition"\n', encoding="utf-8")
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "good.xml").write_text(VALID_TEI, encoding="utf-8")
    return tmp_path


def test_clean_file_exits_0_with_a_summary(project):
    result = _run("validate", str(project / "tei" / "good.xml"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors, 0 warnings in 1 file")


def test_errors_give_compiler_style_lines_and_exit_1(project):
    shutil.copy(FIXTURES / "unknown-element.xml", project / "tei" / "bad.xml")
    result = _run("validate", cwd=project)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "error[E201]" in l)
    assert line.startswith("tei/bad.xml:18:15: error[E201] <foo> is not a TEI element")
    assert "1 error, 0 warnings in 2 files" in result.output


def test_json_format_carries_every_field(project):
    result = _run("validate", "--format", "json", str(FIXTURES / "invalid-attribute-value.xml"))
    assert result.exit_code == 1
    data = json.loads(result.output)
    (diagnostic,) = data["diagnostics"]
    assert diagnostic["code"] == "E204" and diagnostic["line"] == 18 and diagnostic["col"] == 24
    assert "'yesterday'" in diagnostic["message"] and "/TEI/text/body/p/date" in diagnostic["message"]
    assert diagnostic["detail"] == "Invalid attribute when for element date"  # lxml's own text
    assert data["errors"] == 1 and data["files"] == 1


def test_strict_makes_warnings_errors(project):
    path = str(FIXTURES / "unreferenced-note.xml")
    assert _run("validate", path).exit_code == 0
    result = _run("validate", "--strict", path)
    assert result.exit_code == 1 and "error[W305]" in result.output


def test_quiet_prints_only_errors(project):
    result = _run("validate", "-q", str(FIXTURES / "unreferenced-note.xml"), str(FIXTURES / "empty-head.xml"))
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "error[E310]" in lines[0]


def test_verbose_shows_lxml_detail_and_the_code_meaning(project):
    result = _run("validate", "-v", str(FIXTURES / "unknown-element.xml"))
    assert "detail: Did not expect element foo there" in result.output
    assert "E201: an element is not allowed at this place" in result.output


def test_could_not_run_exits_2(project, tmp_path):
    assert _run("validate", str(tmp_path / "missing.xml")).exit_code == 2
    assert _run("validate", "--format", "yaml").exit_code == 2
    broken = tmp_path / "broken.rng"
    broken.write_text("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><ref name='nowhere'/></start></grammar>")
    result = _run("validate", "--schema", str(broken), str(project / "tei" / "good.xml"))
    assert result.exit_code == 2 and "error[E200]" in result.output


def test_custom_schema_is_used(project, tmp_path):
    rng = tmp_path / "only-p.rng"
    rng.write_text(
        "<grammar xmlns='http://relaxng.org/ns/structure/1.0' ns='http://www.tei-c.org/ns/1.0'>"
        "<start><element name='TEI'><zeroOrMore><element><anyName/><text/></element></zeroOrMore>"
        "</element></start></grammar>", encoding="utf-8")
    path = tmp_path / "tiny.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text/><p>x<hi/></p></TEI>')
    result = _run("validate", "--schema", str(rng), str(path))
    assert "error[E2" in result.output and ":1:" in result.output  # <hi> is not allowed by this schema


def test_second_run_uses_the_cache_and_does_not_compile(project, monkeypatch):
    shutil.copy(FIXTURES / "invalid-attribute-value.xml", project / "tei" / "bad.xml")
    first = _run("validate", cwd=project)
    assert list((project / ".cache" / "validate").glob("*.json"))
    monkeypatch.setattr(schema_module, "_COMPILED", {})  # as if in a new process
    monkeypatch.setattr(pruned, "_compiled", OrderedDict())   # (the cut and hollow schemas too)
    second = _run("validate", cwd=project)
    assert schema_module._COMPILED == {}, "the schema was compiled although every file was cached"
    assert not pruned._compiled, "a cut or hollow schema was compiled although every file was cached"
    assert second.output == first.output.replace(
        "compiling the schema for the files with errors (results are cached) …\n", "")
    assert second.exit_code == 1


def test_build_stops_with_the_validator_messages_and_writes_nothing(project):
    shutil.copy(FIXTURES / "missing-required-child.xml", project / "tei" / "bad.xml")
    validate = _run("validate", cwd=project)
    build = _run("build", cwd=project)
    assert build.exit_code == 1
    message = next(l for l in validate.output.splitlines() if "error[E202]" in l)
    assert message in build.output
    assert not (project / "build").exists() or not any(p.is_file() for p in (project / "build").rglob("*"))


def test_run_validate_takes_a_plain_print_like_echo(tmp_path, capsys):
    """The wing takes plain callables (no click keywords): findings to ``echo``, notes to ``note``."""
    from edition.validate.runner import run_validate

    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', encoding="utf-8")
    found, notes = [], []
    status = run_validate([bad], project_root=None, verbose=True, use_cache=False, echo=found.append,
                          note=notes.append)
    assert status == 1
    assert any("bad.xml" in line and "error[" in line for line in found)
    assert any(line.startswith("(") and "s; schema results from cache" in line for line in notes)
    run_validate([bad], project_root=None, verbose=True, use_cache=False, echo=print)   # no TypeError
    assert "error[" in capsys.readouterr().out
