"""``edition pdf`` publishes through the build's transaction (issue 21): its PDFs are made in a
staging copy of build/ and published whole, so a failure, a full disk or a kill leaves build/
exactly as it was: every previous PDF whole, no file of another output touched.

The failure tests stand in for the layout (``render_pdf``) so as to fail between two PDFs; the
kill test runs the real ``edition pdf`` and kills it while it lays out the volume, after the
text's PDF was made.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from trees import tree_digest

import edition.build.pdf as pdfcommand
from edition.build import publish
from edition.diagnostics import CannotRun, EditionError, Report, error
from edition.fsutil import write_atomic
from edition.project import load_project
from edition.scaffold import init_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with a build/ made by hand (a previous PDF, a text output, the record)."""
    root = tmp_path / "ed"
    init_project(root)
    build = root / "build"
    (build / "pdf").mkdir(parents=True)
    (build / "pdf/example.pdf").write_bytes(b"%PDF-1.7 the previous example")
    (build / "pdf/edition.pdf").write_bytes(b"%PDF-1.7 the previous volume")
    (build / "txt").mkdir()
    (build / "txt/example.txt").write_text("the text output, not the PDF command's", encoding="utf-8")
    (build / ".cache").mkdir()
    (build / ".cache/manifest.json").write_text("{}", encoding="utf-8")
    # validation is not what is tested here (and compiling the schema would only slow the test)
    monkeypatch.setattr(pdfcommand, "validate_documents", lambda project, documents: Report())
    return root


def stand_in_layout(fail_on: str | None = None, failure: BaseException | None = None):
    """A ``render_pdf`` that writes a new PDF, and fails instead when it reaches ``fail_on``."""
    def render_pdf(project, documents, options, *, volume, target, jobs=None):
        if target.name == fail_on:
            raise failure
        write_atomic(target, b"%PDF-1.7 new " + target.name.encode())
        return SimpleNamespace(diagnostics=[], pages=1, passes=1, entries=0, seconds=0.0, laid_out=[], pieces=0)
    return render_pdf


def run(root: Path) -> list[str]:
    lines: list[str] = []
    pdfcommand.run_pdf(load_project(root), [], echo=lines.append)
    return lines


def test_pdfs_are_published_together_and_other_outputs_kept(project, monkeypatch):
    monkeypatch.setattr(pdfcommand, "render_pdf", stand_in_layout())
    text_output = (project / "build/txt/example.txt").stat().st_ino
    lines = run(project)
    assert (project / "build/pdf/example.pdf").read_bytes() == b"%PDF-1.7 new example.pdf"
    assert (project / "build/pdf/edition.pdf").read_bytes() == b"%PDF-1.7 new edition.pdf"
    # the other outputs are the same files, linked into the new build/
    assert (project / "build/txt/example.txt").stat().st_ino == text_output
    # the messages name where the PDFs are published, never the staging folder
    assert [line.split(" (")[0] for line in lines] == [f"wrote {project / 'build/pdf/example.pdf'}",
                                                       f"wrote {project / 'build/pdf/edition.pdf'}"]
    publish.wait_for_removals()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".build")) == []


@pytest.mark.parametrize("failure, expected", [
    (EditionError(error("E904", "stand-in failure of the volume's layout")), EditionError),
    (OSError(errno.ENOSPC, "No space left on device"), CannotRun),
    (KeyboardInterrupt(), KeyboardInterrupt),
], ids=["error", "disk-full", "interrupted"])
def test_a_failure_after_the_first_pdf_leaves_build_unchanged(project, monkeypatch, failure, expected):
    before = tree_digest(project / "build")
    monkeypatch.setattr(pdfcommand, "render_pdf", stand_in_layout("edition.pdf", failure))
    with pytest.raises(expected) as caught:
        run(project)
    assert tree_digest(project / "build") == before  # example.pdf was made, but not published
    assert (project / "build/pdf/example.pdf").read_bytes() == b"%PDF-1.7 the previous example"
    assert not (project / ".build.staging").exists()
    if expected is CannotRun:
        diagnostic = caught.value.diagnostics[0]
        assert (diagnostic.code, caught.value.exit_code) == ("E900", 2)
        assert "disk is full" in diagnostic.message


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_edition_pdf_killed_while_laying_out_keeps_the_previous_pdfs(tmp_path, signum):
    root = tmp_path / "ed"
    init_project(root)
    env = {**os.environ, "PYTHONPATH": str(Path(pdfcommand.__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "edition", "-C", str(root), "pdf"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree_digest(root / "build")
    previous = (root / "build/pdf/example.pdf").read_bytes()

    tei = root / "tei/example.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("fishing", "whaling"), encoding="utf-8")
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in process.stderr:  # the text's PDF is made (in the staging folder); the volume is next
        seen.append(line)
        if "laying out edition.pdf" in line:
            break
    assert process.poll() is None, f"the command ended before it was killed: {seen}"
    process.send_signal(signum)
    status = process.wait(timeout=30)
    process.stderr.close()
    assert status in (-signal.SIGKILL, 143), status
    assert tree_digest(root / "build") == before
    assert (root / "build/pdf/example.pdf").read_bytes() == previous
    if signum == signal.SIGTERM:  # a clean exit removes its staging folder
        assert not (root / ".build.staging").exists()
