"""The build as a transaction: build/ is always one whole build; a removed text takes exactly its outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import fakes_incremental as fakes
import pytest

from edition import build as builder
from edition.build import publish
from edition.diagnostics import EditionError, error
from edition.project import load_project
from edition.scaffold import init_project

TXT_HTML = [entry for entry in builder.RENDERERS if entry[0] in ("txt", "html")]


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(folder: Path) -> set[str]:
    """The published outputs (not the build record)."""
    return {rel for rel in every_file(folder) if not rel.startswith(".cache/")}


def project_with(tmp_path: Path, ids: list[str], name: str = "ed") -> Path:
    root = tmp_path / name
    init_project(root)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text().replace("# search = true", "search = false"))
    example = (root / "tei/example.xml").read_text(encoding="utf-8")
    (root / "tei/example.xml").unlink()
    for text_id in ids:
        copy = fakes.with_own_ids(example, f"{text_id}-").replace("An Example Text", f"Text {text_id}")
        (root / f"tei/{text_id}.xml").write_text(copy, encoding="utf-8")
    return root


def test_removing_texts_named_like_folders_removes_only_their_outputs(tmp_path):
    root = project_with(tmp_path, ["alpha", "html", "static", "pdf", "txt"])
    builder.build(load_project(root), ["txt", "html"])
    built = outputs(root / "build")
    assert {"html/html.html", "html/static.html", "txt/txt.txt", "html/static/edition.css"} <= built
    for text_id in ("html", "static", "pdf", "txt"):
        (root / f"tei/{text_id}.xml").unlink()
    builder.build(load_project(root), ["txt", "html"])

    # what is left is exactly what a first build of the remaining text makes
    fresh = project_with(tmp_path, ["alpha"], name="fresh")
    builder.build(load_project(fresh), ["txt", "html"])
    assert outputs(root / "build") == outputs(fresh / "build")
    assert "html/static/edition.css" in outputs(root / "build")


def test_a_failing_renderer_leaves_build_as_it_was(tmp_path, monkeypatch):
    root = project_with(tmp_path, ["alpha", "beta"])
    builder.build(load_project(root), ["txt", "html"])
    before = every_file(root / "build")

    monkeypatch.setattr(builder, "RENDERERS", [*TXT_HTML, ("html", "test_build_transaction:broken_renderer")])
    (root / "tei/alpha.xml").write_text((root / "tei/alpha.xml").read_text().replace("fishing", "whaling"))
    with pytest.raises(EditionError) as caught:
        builder.build(load_project(root), ["txt", "html"])
    # the message names where the file would have been published, not the staging folder
    assert caught.value.diagnostics[0].path.endswith("build/html/x.html")
    assert ".staging" not in caught.value.diagnostics[0].path
    assert every_file(root / "build") == before
    assert not (root / ".build.staging").exists()


def broken_renderer(project, documents, report):
    """A renderer that fails after the others wrote their outputs."""
    # a real code of the catalogue (a stand-in one would be refused by edition.diagnostics.error)
    raise EditionError(error("E904", "stand-in failure", project.build_dir / "html" / "x.html"))


def test_unchanged_outputs_are_shared_not_copied(tmp_path):
    root = project_with(tmp_path, ["alpha", "beta"])
    builder.build(load_project(root), ["txt", "html"])
    css = root / "build/html/static/edition.css"
    inode = css.stat().st_ino
    (root / "tei/alpha.xml").write_text((root / "tei/alpha.xml").read_text().replace("fishing", "whaling"))
    builder.build(load_project(root), ["txt", "html"])
    assert css.stat().st_ino == inode  # the same file, linked into the new build
    assert "whaling" in (root / "build/txt/alpha.txt").read_text()


def test_a_build_killed_between_the_two_renames_is_put_back(tmp_path):
    root = project_with(tmp_path, ["alpha"])
    builder.build(load_project(root), ["txt"])
    before = every_file(root / "build")
    (root / "build").rename(root / ".build.previous")   # where the fallback swap can stop
    publish.recover(root / "build")
    assert every_file(root / "build") == before
    assert not (root / ".build.previous").exists()


def test_the_swap_without_exchange_gives_the_same_build(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    root = project_with(tmp_path, ["alpha"])
    builder.build(load_project(root), ["txt"])
    (root / "tei/alpha.xml").write_text((root / "tei/alpha.xml").read_text().replace("fishing", "whaling"))
    builder.build(load_project(root), ["txt"])
    assert "whaling" in (root / "build/txt/alpha.txt").read_text()
    publish.wait_for_removals()  # the previous build is removed after the new one is published
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []


def test_the_previous_build_is_removed_after_publishing_and_leftovers_next_time(tmp_path):
    root = project_with(tmp_path, ["alpha"])
    builder.build(load_project(root), ["txt"])
    (root / "tei/alpha.xml").write_text((root / "tei/alpha.xml").read_text().replace("fishing", "whaling"))
    builder.build(load_project(root), ["txt"])
    publish.wait_for_removals()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []
    shutil.copytree(root / "build", root / ".build.old-999-0")  # what a process killed meanwhile left
    builder.build(load_project(root), ["txt"], force=True)
    assert not (root / ".build.old-999-0").exists()


def test_a_second_build_waits_for_the_first(tmp_path):
    """Builds of one project run one at a time: while one holds the lock, another waits, then
    finishes with the newer text (never two swaps of build/ crossing)."""
    import subprocess
    import sys
    import time

    from edition.fsutil import locked

    root = project_with(tmp_path, ["alpha"])
    builder.build(load_project(root), ["txt"])
    (root / "tei/alpha.xml").write_text((root / "tei/alpha.xml").read_text().replace("fishing", "whaling"))
    env = {"PYTHONPATH": str(Path(builder.__file__).resolve().parents[2]), "PATH": "/usr/bin:/bin"}
    with locked(root):  # what a running build holds
        second = subprocess.Popen([sys.executable, "-m", "edition", "-C", str(root), "build", "-q", "-o", "txt"],
                                  env=env, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert second.poll() is None, second.stderr.read()  # still waiting
        assert "whaling" not in (root / "build/txt/alpha.txt").read_text()
    assert second.wait(timeout=120) == 0, second.stderr.read()
    assert "whaling" in (root / "build/txt/alpha.txt").read_text()
