"""No traceback reaches a user (issue 21): every failure is a located message and a documented
exit status (1 input errors, 2 could not run, 3 a fault of the tool, 130 Ctrl-C), ``--debug``
adds the traceback, and build/ is left exactly as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition import build as builder
from edition.cli import main
from edition.scaffold import init_project

TXT_HTML = [entry for entry in builder.RENDERERS if entry[0] in ("txt", "html")]


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("built") / "ed"
    init_project(root)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("# search = true", "search = false"), encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-q", "-o", "txt", "-o", "html"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(built, root, symlinks=True)
    # a change, so that the next build has something to write
    tei = root / "tei/example.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("fishing", "whaling"), encoding="utf-8")
    return root


def build_fails(root: Path, status: int, *codes: str, debug: bool = False) -> str:
    before = every_file(root / "build")
    args = ["--debug"] if debug else []
    result = CliRunner().invoke(main, [*args, "-C", str(root), "build", "-o", "txt", "-o", "html"])
    assert result.exit_code == status, result.output
    for code in codes:
        assert f"[{code}]" in result.output, result.output
    if not debug:
        assert "Traceback" not in result.output
    assert every_file(root / "build") == before
    assert not (root / ".build.staging").exists()
    return result.output


def failing_replace(code: int, where: str):
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if where in str(dst):
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *args, **kwargs)

    return replace


@pytest.mark.parametrize("code, diagnostic, words", [
    (errno.ENOSPC, "E900", "the disk is full"),
    (errno.EACCES, "E901", "permission denied"),
    (errno.EROFS, "E901", "read-only"),
    (errno.EIO, "E902", "Input/output error"),
])
def test_the_system_refusing_a_write_is_a_located_message(project, monkeypatch, code, diagnostic, words):
    monkeypatch.setattr(os, "replace", failing_replace(code, "/html/example.html"))
    output = build_fails(project, 2, diagnostic)
    assert words in output
    assert "build/html/example.html" in output  # where it would have been published, not the staging folder
    assert ".staging" not in output


def test_an_editors_template_error_names_template_and_line(project):
    (project / "templates").mkdir(exist_ok=True)
    template = '{% extends "base.html" %}\n{% block content %}\n\n{{ meta.title | no_such_filter }}\n{% endblock %}\n'
    (project / "templates/text.html").write_text(template, encoding="utf-8")
    output = build_fails(project, 1, "E904")
    assert "templates/text.html:4:" in output and "no_such_filter" in output


def test_a_template_that_fails_while_rendering(project):
    (project / "templates").mkdir(exist_ok=True)
    template = '{% extends "base.html" %}\n{% block content %}\n{{ meta.no_such.thing }}\n{% endblock %}\n'
    (project / "templates/text.html").write_text(template, encoding="utf-8")
    output = build_fails(project, 1, "E904")
    assert "templates/text.html:3:" in output and "no_such" in output


def raise_in_renderer(exc: BaseException):
    def render(project, documents, report):
        raise exc
    return render


@pytest.mark.parametrize("exc, status, code", [
    (KeyError("boom"), 3, "E990"),
    (RecursionError("maximum recursion depth exceeded"), 1, "E903"),
    (KeyboardInterrupt(), 130, None),
], ids=["bug", "recursion", "ctrl-c"])
def test_any_exception_is_a_message_and_a_documented_status(project, monkeypatch, exc, status, code):
    monkeypatch.setattr(builder, "RENDERERS", [*TXT_HTML, ("html", "test_no_traceback:stand_in")])
    monkeypatch.setattr(__import__("test_no_traceback"), "stand_in", raise_in_renderer(exc), raising=False)
    output = build_fails(project, status, *([code] if code else []))
    if code == "E990":
        assert "--debug" in output


def test_debug_shows_the_traceback(project, monkeypatch):
    monkeypatch.setattr(builder, "RENDERERS", [*TXT_HTML, ("html", "test_no_traceback:stand_in")])
    monkeypatch.setattr(__import__("test_no_traceback"), "stand_in", raise_in_renderer(KeyError("boom")),
                        raising=False)
    output = build_fails(project, 3, "E990", debug=True)
    assert "Traceback" in output and "KeyError" in output


def test_255_nested_elements_are_rendered(project):
    """libxml2 accepts 256 levels; every renderer must too (Python's default recursion gave out at ~240)."""
    tei = project / "tei/example.xml"
    depth = 250
    deep = "<hi>" * depth + "deepest words" + "</hi>" * depth
    text = tei.read_text(encoding="utf-8")
    assert '<p xml:id="harbour.p2">' in text
    tei.write_text(text.replace('<p xml:id="harbour.p2">', '<p xml:id="harbour.p2">' + deep), encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(project), "build", "-q", "-o", "txt", "-o", "html"])
    assert result.exit_code == 0, result.output
    assert "deepest words" in (project / "build/txt/example.txt").read_text(encoding="utf-8")
    assert "deepest words" in (project / "build/html/example.html").read_text(encoding="utf-8")


def test_validate_too_turns_a_fault_into_a_message(project, monkeypatch):
    from edition.validate import runner

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(runner, "validate_paths", broken)
    result = CliRunner().invoke(main, ["-C", str(project), "validate"])
    assert result.exit_code == 3, result.output
    assert "[E990] internal error: KeyError" in result.output and "Traceback" not in result.output
