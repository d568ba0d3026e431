"""Progress of long PDF work: plain lines for logs, one redrawn line on a terminal, nothing
when no progress is active (``--quiet``, the tests)."""

from __future__ import annotations

import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "collated.xml"


def _layout(tmp_path: Path, progress, **options) -> object:
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.render.pdf.progress import reporting
    from edition.tei.document import Document

    project = load_project(ROOT)
    project.settings["build_dir"] = str(tmp_path / "build")
    with reporting(progress):
        progress and progress.task("pdf", 1)
        progress and progress.book(FIXTURE.stem)
        info = render_pdf(project, [Document.load(FIXTURE)], pdf_options(project.pdf, **options), volume=False,
                          target=tmp_path / "out.pdf")
        progress and progress.finished(f"{info.pages} pages")
    return info


def test_plain_lines_name_the_book_and_each_pass(tmp_path):
    from edition.render.pdf.progress import Progress

    out = io.StringIO()
    # numbered per page: laid out in passes from the first (a text numbered per text takes one
    # pass from the estimate of its lines, which is no pass: estimate.py)
    info = _layout(tmp_path, Progress(out, bar=False), line_numbers="page")
    lines = out.getvalue().splitlines()
    assert lines[0] == f"pdf 1/1: laying out {FIXTURE.stem}"
    assert info.passes >= 2
    assert [ln for ln in lines if "layout pass" in ln] == [f"  {FIXTURE.stem}: layout pass {n}"
                                                          for n in range(2, info.passes + 1)]
    assert lines[-1] == f"  {FIXTURE.stem}: {info.pages} pages"
    assert "\r" not in out.getvalue()


def test_the_estimate_of_a_cold_layout_is_no_layout_pass(tmp_path):
    from edition.render.pdf.progress import Progress

    out = io.StringIO()
    info = _layout(tmp_path, Progress(out, bar=False))
    assert info.passes == 1
    assert not [ln for ln in out.getvalue().splitlines() if "layout pass" in ln]


def test_a_terminal_gets_one_line_redrawn_with_the_page_laid_out():
    from edition.render.pdf.progress import Progress

    out = io.StringIO()
    progress = Progress(out, bar=True)
    progress.task("pdf", 4)
    progress.book("a")
    progress.finished()
    progress.book("b")
    progress.layout_pass()
    progress.page_done(7)
    text = out.getvalue()
    assert "\n" not in text
    last = text.split("\r")[-1]
    assert last.startswith("pdf [" + "#" * 6 + "-" * 18 + "] 1/4")
    assert "s left" in last and last.endswith("b: pass 1, page 7")


def test_without_progress_nothing_is_shown(tmp_path, capsys):
    _layout(tmp_path, None)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
