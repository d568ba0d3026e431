"""Incremental builds: only what changed is redone; an unchanged rebuild writes nothing."""

from __future__ import annotations

import time
from pathlib import Path

import fakes_incremental as fakes
import pytest

from edition import build as builder
from edition.build import cache as buildcache
from edition.diagnostics import EditionError
from edition.project import load_project
from edition.resources import fingerprint_of
from edition.scaffold import init_project

FAKES = [("fake", "fakes_incremental:render_pages"), ("fakeall", "fakes_incremental:render_all")]
OUTPUTS = ["fake", "fakeall"]


def example_tei(title: str, word: str) -> str:
    """The scaffold's example text with its own title, ids and a word of its own in the body."""
    text = (Path(builder.__file__).parents[1] / "data/scaffold/tei/example.xml").read_text(encoding="utf-8")
    text = fakes.with_own_ids(text, title.split()[1].rstrip(",") + "-")
    return text.replace("An Example Text", title).replace("fishing boats", f"{word} boats")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scaffolded project with three texts and the stand-in renderers registered."""
    monkeypatch.setattr(builder, "RENDERERS", FAKES)
    # The package's own files may be edited while the suite runs; pin the tool's fingerprint
    # (a change of it is tested on its own below).
    monkeypatch.setattr(buildcache, "package_fingerprint", lambda: "tool-v1")
    fakes.CALLS.clear()
    root = tmp_path / "ed"
    init_project(root)
    (root / "tei/example.xml").unlink()
    for name, word in (("alpha", "red"), ("beta", "green"), ("gamma", "blue")):
        (root / f"tei/{name}.xml").write_text(example_tei(f"Text {name}", word), encoding="utf-8")
    return root


def stamps(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its mtime in nanoseconds."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def run(root: Path):
    return builder.build(load_project(root), OUTPUTS)


def touch_later(path: Path, text: str) -> None:
    """Rewrite a file so that its mtime surely differs from the build's (coarse clocks)."""
    time.sleep(0.01)
    path.write_text(text, encoding="utf-8")


def test_first_build_renders_every_text(project):
    result = run(project)
    assert fakes.CALLS == [("pages", ["alpha", "beta", "gamma"], ["alpha", "beta", "gamma"]),
                           ("all", ["alpha", "beta", "gamma"], ["alpha", "beta", "gamma"])]
    assert (project / "build/fake/beta/index.html").read_text().startswith("The ships in the harbour The green boats")
    assert (project / "build/fake/index.html").read_text() == "Text alpha\nText beta\nText gamma"
    assert result.ran == [("fake", ["alpha", "beta", "gamma"]), ("fakeall", ["alpha", "beta", "gamma"])]


def test_unchanged_rebuild_writes_nothing_and_runs_nothing(project):
    run(project)
    before = stamps(project / "build")
    fakes.CALLS.clear()
    time.sleep(0.02)
    result = run(project)
    assert fakes.CALLS == []
    assert result.ran == [] and result.written == []
    assert stamps(project / "build") == before
    # The warnings of the last real build are still reported.
    assert sorted(d.message for d in result.report.warnings) == [
        "fake warning for alpha", "fake warning for beta", "fake warning for gamma"]


def test_one_changed_text_redoes_only_its_outputs(project):
    run(project)
    before = stamps(project / "build")
    fakes.CALLS.clear()
    touch_later(project / "tei/beta.xml", example_tei("Text beta, revised", "yellow"))
    result = run(project)
    # The incremental renderer gets beta only, with the full list for the index page.
    assert fakes.CALLS[0] == ("pages", ["beta"], ["alpha", "beta", "gamma"])
    # The renderer that is not incremental gets every text.
    assert fakes.CALLS[1] == ("all", ["alpha", "beta", "gamma"], ["alpha", "beta", "gamma"])
    after = stamps(project / "build")
    assert after["fake/alpha/index.html"] == before["fake/alpha/index.html"]
    assert after["fake/gamma/index.html"] == before["fake/gamma/index.html"]
    assert after["fakeall/alpha.txt"] == before["fakeall/alpha.txt"]
    assert "The yellow boats" in (project / "build/fake/beta/index.html").read_text()
    assert (project / "build/fake/index.html").read_text() == "Text alpha\nText beta, revised\nText gamma"
    assert result.ran[0] == ("fake", ["beta"])
    # Warnings of the texts not redone are replayed, the redone one's are fresh: one each.
    assert sorted(d.message for d in result.report.warnings if d.code == "W900") == [
        "fake warning for alpha", "fake warning for beta", "fake warning for gamma"]


def test_template_or_setting_change_redoes_every_text(project):
    run(project)
    fakes.CALLS.clear()
    touch_later(project / "templates/page.html", "<p>my own page</p>")
    run(project)
    assert fakes.CALLS[0] == ("pages", ["alpha", "beta", "gamma"], ["alpha", "beta", "gamma"])
    fakes.CALLS.clear()
    toml = project / "edition.toml"
    touch_later(toml, toml.read_text().replace('# licence = "CC BY 4.0"', 'licence = "CC0"'))
    run(project)
    assert fakes.CALLS[0] == ("pages", ["alpha", "beta", "gamma"], ["alpha", "beta", "gamma"])


def test_a_text_rules_file_counts_as_part_of_that_text(project):
    run(project)
    fakes.CALLS.clear()
    touch_later(project / "rules/gamma.toml", "[metadata]\n")
    run(project)
    assert fakes.CALLS[0] == ("pages", ["gamma"], ["alpha", "beta", "gamma"])


def test_removed_text_loses_its_outputs(project):
    run(project)
    (project / "tei/gamma.xml").unlink()
    run(project)
    assert not (project / "build/fake/gamma/index.html").exists()
    assert not (project / "build/fakeall/gamma.txt").exists()
    assert (project / "build/fake/alpha/index.html").exists()
    assert (project / "build/fake/index.html").read_text() == "Text alpha\nText beta"


def test_broken_tei_stops_the_build_and_keeps_the_outputs(project):
    run(project)
    before = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    touch_later(project / "tei/alpha.xml", example_tei("Text alpha", "red").replace("</head>", "</hed>"))
    with pytest.raises(EditionError) as caught:
        run(project)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.path.endswith("alpha.xml") and diagnostic.line == 32
    assert {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()} == before
    touch_later(project / "tei/alpha.xml", example_tei("Text alpha", "purple"))
    fakes.CALLS.clear()
    run(project)
    assert fakes.CALLS[0] == ("pages", ["alpha"], ["alpha", "beta", "gamma"])
    assert "The purple boats" in (project / "build/fake/alpha/index.html").read_text()


def test_force_rebuilds_everything(project):
    run(project)
    fakes.CALLS.clear()
    builder.build(load_project(project), OUTPUTS, force=True)
    assert [call[1] for call in fakes.CALLS] == [["alpha", "beta", "gamma"]] * 2


def test_stale_temporary_files_of_a_killed_build_are_removed(project):
    run(project)
    leftover = project / "build/fake/.index.html.abc123.tmp"
    leftover.write_text("half a page")
    touch_later(project / "tei/alpha.xml", example_tei("Text alpha", "orange"))
    run(project)
    assert not leftover.exists()


def test_a_new_version_of_the_tool_redoes_everything(project, monkeypatch):
    run(project)
    fakes.CALLS.clear()
    monkeypatch.setattr(buildcache, "package_fingerprint", lambda: "tool-v2")
    run(project)
    assert [call[1] for call in fakes.CALLS] == [["alpha", "beta", "gamma"]] * 2


def test_tool_fingerprint_follows_the_package_files(tmp_path, monkeypatch):
    package = tmp_path / "edition"
    (package / "render").mkdir(parents=True)
    (package / "render/html.py").write_text("A = 1\n")
    first = fingerprint_of(package)
    (package / "render/html.py").write_text("A = 22\n")
    assert fingerprint_of(package) != first
