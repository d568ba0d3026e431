"""Inputs are checked before anything is written (issue 21): edition.toml's types and values with
file and line, text ids that are the names of generated pages, the TEI folder, odd TEI files.

Each case runs the real command line and checks the exit status, the message (code, file, line
read independently from the file the test wrote) and that build/ is exactly as it was.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main
from edition.scaffold import init_project


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project built once (txt only): each test copies it."""
    root = tmp_path_factory.mktemp("built") / "ed"
    init_project(root)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-q", "-o", "txt"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    import shutil

    root = tmp_path / "ed"
    shutil.copytree(built, root, symlinks=True)
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args])


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line, not a comment, holding ``needle`` (read by the test)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line and not line.startswith("#"))


def build_refused(root: Path, code: str, status: int) -> str:
    """Build; assert the status, the code, no traceback, and build/ untouched. Return the output."""
    before = every_file(root / "build")
    result = run(root, "build", "-o", "txt")
    assert result.exit_code == status, result.output
    assert f"[{code}]" in result.output, result.output
    assert "Traceback" not in result.output
    assert every_file(root / "build") == before
    return result.output


# --- edition.toml -------------------------------------------------------------------------

def edit_toml(root: Path, old: str, new: str) -> str:
    path = root / "edition.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("old, new, code, needle, words", [
    ('outputs = ["txt", "html", "pdf"]', "outputs = [1]", "E105", "outputs = [1]", "array of strings"),
    ('title = "', 'title = 3\n# "', "E105", "title = 3", "must be a string, not a number"),
    ("# line_interval = 5", "line_interval = true", "E105", "line_interval = true", "whole number"),
    ("# line_interval = 5", "line_interval = 0", "E107", "line_interval = 0", "at least 1"),
    ("# line_interval = 5", "line_intervall = 5", "E104", "line_intervall", "did you mean 'line_interval'"),
    ("# build_dir = \"build\"", 'build_dir = "edition.toml"', "E158", "build_dir =", "is a file"),
    ("# build_dir = \"build\"", 'build_dir = "tei"', "E158", "build_dir =", "folder of its own"),
])
def test_a_bad_setting_is_named_with_its_line(project, old, new, code, needle, words):
    text = edit_toml(project, old, new)
    output = build_refused(project, code, 1)
    assert f"edition.toml:{line_of(text, needle)}" in output
    assert words in output


def test_a_table_given_as_a_value(project):
    (project / "edition.toml").write_text('edition = "x"\n', encoding="utf-8")
    output = build_refused(project, "E105", 1)
    assert "edition.toml:1" in output and "'edition' must be a table ([edition])" in output


def test_a_witness_without_siglum(project):
    path = project / "edition.toml"
    text = path.read_text(encoding="utf-8") + '\n[[text]]\nid = "w"\n\n[[text.witness]]\nsource = "a.txt"\n'
    path.write_text(text, encoding="utf-8")
    output = build_refused(project, "E103", 1)
    assert "has no 'siglum'" in output
    assert f"edition.toml:{line_of(text, '[[text.witness]]')}" in output


def test_a_project_file_in_latin_1(project):
    path = project / "edition.toml"
    text = path.read_text(encoding="utf-8").replace("[edition]\n", '[edition]\nsubtitle = "Édition"\n')
    path.write_bytes(text.encode("latin-1", errors="replace"))
    output = build_refused(project, "E156", 1)
    # the byte É (0xc9) stands on the line after [edition], 13th column
    assert f"edition.toml:{line_of(text, 'subtitle')}:13:" in output and "0xc9" in output


def test_arrays_nested_too_deep(project):
    # deeper than any recursion limit the tool sets (the build raises it for deep TEI)
    edit_toml(project, "[edition]\n", "[edition]\nlanguages = " + "[" * 100_000 + "]" * 100_000 + "\n")
    build_refused(project, "E102", 1)


@pytest.mark.parametrize("text_id", ["index", "search", "edition", "Index"])
def test_a_listed_text_id_that_is_a_generated_page(project, text_id):
    path = project / "edition.toml"
    text = path.read_text(encoding="utf-8") + f'\n[[text]]\nid = "{text_id}"\nsource = "sources/x.txt"\n'
    path.write_text(text, encoding="utf-8")
    output = build_refused(project, "E159", 1)
    needle = f'id = "{text_id}"'
    assert f"edition.toml:{line_of(text, needle)}" in output


@pytest.mark.parametrize("stem", ["index", "search", "edition"])
def test_a_tei_file_named_like_a_generated_page(project, stem):
    (project / f"tei/{stem}.xml").write_bytes((project / "tei/example.xml").read_bytes())
    output = build_refused(project, "E159", 1)
    assert f"tei/{stem}.xml" in output


def test_the_generated_names_are_those_the_site_makes(project):
    """Every page of build/html that is not a text's is one the ids check refuses."""
    from edition.project import GENERATED_NAMES

    assert run(project, "build", "-q", "-o", "html").exit_code == 0
    texts = {p.stem for p in (project / "tei").glob("*.xml")}
    pages = {p.stem for p in (project / "build/html").glob("*.html")}
    assert pages - texts and pages - texts <= set(GENERATED_NAMES)


# --- the TEI folder -----------------------------------------------------------------------

def test_a_missing_tei_folder_is_an_error_and_outputs_stay(project):
    (project / "tei").rename(project / "tei-renamed")
    output = build_refused(project, "E150", 2)
    assert "tei" in output and "does not exist" in output


def test_tei_dir_naming_a_file(project):
    edit_toml(project, '# tei_dir = "tei"', 'tei_dir = "edition.toml"')
    build_refused(project, "E150", 2)


def test_an_unreadable_tei_folder(project, monkeypatch):
    # the tests may run as root, who reads every folder: the refusal is simulated
    real = os.listdir
    tei = str(project / "tei")

    def refuse(path="."):
        if str(path) == tei:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", refuse)
    output = build_refused(project, "E151", 2)
    assert "Permission denied" in output


def test_validate_on_an_unreadable_folder_does_not_say_zero_files(project, monkeypatch):
    real = os.scandir
    tei = str(project / "tei")

    def refuse(path="."):
        if str(path) == tei:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = run(project, "validate")
    assert result.exit_code == 2, result.output
    assert "[E000] cannot read the folder: Permission denied" in result.output
    assert "Traceback" not in result.output


# --- the TEI files ------------------------------------------------------------------------

def make_folder(path: Path) -> None:
    path.mkdir()


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str):
    return lambda path: path.symlink_to(target)


@pytest.mark.parametrize("make, code, words", [
    (make_folder, "E152", "is a folder"),
    (make_fifo, "E152", "not a regular file"),
    (link_to("/dev/zero"), "E152", "not a regular file"),
    (link_to("nowhere.xml"), "E152", "leads nowhere"),
    (link_to("odd.xml"), "E152", "loops"),
    (link_to("/etc/hostname"), "E153", "outside the project"),
], ids=["folder", "fifo", "dev-zero", "dangling", "loop", "outside"])
def test_an_odd_tei_file_is_refused_not_read(project, make, code, words):
    make(project / "tei/odd.xml")
    output = build_refused(project, code, 2)
    assert words in output and "odd.xml" in output


@pytest.mark.parametrize("make", [make_fifo, link_to("/dev/zero")], ids=["fifo", "dev-zero"])
def test_validate_refuses_odd_files_too(project, make):
    make(project / "tei/odd.xml")
    result = run(project, "validate")
    assert result.exit_code == 2 and "[E000]" in result.output and "odd.xml" in result.output


def test_a_file_over_the_size_limit(project):
    edit_toml(project, "[edition]\n", "[edition]\nmax_file_mb = 1\n")
    example = (project / "tei/example.xml").read_text(encoding="utf-8")
    padding = "<!--" + "x" * (1024 * 1024 + 10) + "-->"
    (project / "tei/big.xml").write_text(re.sub(r"(<TEI)", padding + r"\1", example, count=1), encoding="utf-8")
    output = build_refused(project, "E154", 2)
    assert "big.xml" in output and "over the limit of 1 MB" in output


def test_a_link_in_templates_static_to_a_file_outside_is_not_published(project, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0", encoding="utf-8")
    (project / "templates/static").mkdir(parents=True, exist_ok=True)
    (project / "templates/static/leak.css").symlink_to(secret)
    (project / "templates/static/own.css").write_text("p {}", encoding="utf-8")
    result = run(project, "build", "-o", "html")
    assert result.exit_code == 0, result.output
    assert "[W900] not published: a link to a file outside the project" in result.output
    assert not (project / "build/html/static/leak.css").exists()
    assert (project / "build/html/static/own.css").read_text(encoding="utf-8") == "p {}"
    assert all(b"root:x:0:0" not in p.read_bytes() for p in (project / "build").rglob("*") if p.is_file())


def test_a_bad_pdf_value_stops_the_build_before_any_output_with_its_line(project):
    """trim = "A4" (the value is "a4"): E701 with the line, and not one output rewritten."""
    text = edit_toml(project, '# trim = "book"', 'trim = "A4"')
    (project / "tei/example.xml").write_text(
        (project / "tei/example.xml").read_text(encoding="utf-8").replace("fishing", "whaling"), encoding="utf-8")
    before = every_file(project / "build")
    result = run(project, "build", "-o", "txt", "-o", "pdf")
    assert result.exit_code == 1, result.output
    assert f"edition.toml:{line_of(text, 'trim = ')}: error[E701] trim 'A4' is not one of" in result.output
    assert "rendering" not in result.output  # stopped before the first renderer ran
    assert every_file(project / "build") == before


@pytest.mark.parametrize("value", ['"<script>alert(1)</script>"', '"en GB"', '"e"'])
def test_a_language_that_is_not_a_language_tag(project, value):
    text = edit_toml(project, 'language = "en"', f"language = {value}")
    output = build_refused(project, "E107", 1)
    assert f"edition.toml:{line_of(text, 'language = ')}" in output and "not a language tag" in output
