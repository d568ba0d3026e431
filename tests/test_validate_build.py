"""The validator inside `edition build`: an xml:id used twice in one file is E304 (as in
`edition validate`), and an incremental rebuild still checks ids across every text."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.build import DocumentSet
from edition.cli import main
from edition.diagnostics import EditionError
from edition.project import load_project
from edition.scaffold import init_project
from edition.tei.document import Document
from edition.tei.xmlio import parse_bytes
from edition.validate import validate_documents


def _run(*args, cwd: Path):
    with contextlib.chdir(cwd):  # paths in messages are relative to the working folder
        return CliRunner().invoke(main, list(args))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A new project (``edition init``) with a second text whose ids differ from the example's."""
    root = tmp_path / "ed"
    init_project(root)
    example = (root / "tei" / "example.xml").read_text(encoding="utf-8")
    (root / "tei" / "other.xml").write_text(example.replace('xml:id="harbour', 'xml:id="quay')
                                            .replace('"#harbour', '"#quay'), encoding="utf-8")
    return root


def test_duplicate_id_in_one_file_is_reported_by_build_as_by_validate(project):
    example = project / "tei" / "example.xml"
    text = example.read_text(encoding="utf-8")
    example.write_text(text.replace('<p xml:id="harbour.p2">', '<p xml:id="harbour.p1">'), encoding="utf-8")
    line = next(i for i, t in enumerate(example.read_text().splitlines(), 1) if "This paragraph is yours" in t)
    expected = (f"tei/example.xml:{line}:12: error[E304] xml:id 'harbour.p1' is already used earlier in "
                f"this file (line {line - 1})")

    built = _run("build", "-o", "txt", cwd=project)
    assert built.exit_code == 1, built.output
    assert expected in built.output
    assert "E001" not in built.output and "not well-formed" not in built.output
    assert not (project / "build" / "txt").exists()

    validated = _run("validate", cwd=project)
    assert validated.exit_code == 1
    assert expected in validated.output


def test_parse_keeps_both_ids_of_a_duplicate_and_reports_a_real_fault_instead():
    tree = parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p xml:id="a"/><p xml:id="a"/></TEI>')
    assert [p.get("{http://www.w3.org/XML/1998/namespace}id") for p in tree.getroot()] == ["a", "a"]
    with pytest.raises(EditionError) as caught:
        parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p xml:id="a"/><p xml:id="a"/>\n<p></TEI>')
    fault = caught.value.diagnostics[0]
    assert fault.code == "E001" and fault.line == 2
    assert "already defined" not in fault.message and "mismatch" in fault.message


@pytest.mark.parametrize("changed_name", ["other.xml", "aaa.xml"])
def test_rebuild_reports_a_clash_between_a_changed_and_an_unchanged_text(project, changed_name):
    first = _run("build", "-o", "txt", cwd=project)
    assert first.exit_code == 0, first.output
    other = project / "tei" / "other.xml"
    text = other.read_text(encoding="utf-8")
    other.unlink()
    changed = project / "tei" / changed_name
    changed.write_text(text.replace('<p xml:id="quay.p2">', '<p xml:id="harbour.p2">'), encoding="utf-8")

    again = _run("build", "-o", "txt", cwd=project)
    assert again.exit_code == 1, again.output
    clash = [line for line in again.output.splitlines() if "error[E304]" in line]
    assert len(clash) == 1, again.output
    # the later file of the two (in path order) is the one that reuses the id
    later, earlier = sorted(["tei/example.xml", f"tei/{changed_name}"])[::-1]
    assert clash[0].startswith(f"{later}:")
    assert f"xml:id 'harbour.p2' is already used in {earlier}" in clash[0]


def test_only_the_changed_texts_get_per_file_checks_but_ids_are_compared_with_all(project):
    example = project / "tei" / "example.xml"
    example.write_text(example.read_text(encoding="utf-8").replace(
        "<head xml:id=\"harbour.head\">The ships in the harbour</head>", "<head xml:id=\"harbour.head\"/>"),
        encoding="utf-8")
    other = project / "tei" / "other.xml"
    other.write_text(other.read_text(encoding="utf-8").replace('xml:id="quay.p2"', 'xml:id="harbour.p2"'),
                     encoding="utf-8")
    docs = [Document.load(example), Document.load(other)]
    report = validate_documents(load_project(project), DocumentSet([docs[1]], docs))
    codes = sorted((d.code, Path(d.path).name) for d in report.diagnostics)
    assert codes == [("E304", "other.xml")]  # the unchanged text's empty <head> (E310) is not re-checked
    full = validate_documents(load_project(project), docs)
    assert sorted((d.code, Path(d.path).name) for d in full.diagnostics) == [("E304", "other.xml"),
                                                                           ("E310", "example.xml")]
