"""``edition serve``'s rebuilds keep the previous build and make the next staging folder from it
by its differences (``edition.build.spare``): each build is the same files, bytes and all, as a
build made from nothing, whatever changed between (a text rewritten, added, removed)."""

from __future__ import annotations

import os
import shutil

from test_build_transaction import TXT_HTML, every_file, project_with

from edition import build as builder
from edition.build import publish
from edition.build.spare import sync
from edition.project import load_project


def fresh(root, tmp_path, name: str) -> dict[str, bytes]:
    """The build of a copy of the project, made from nothing (no kept build, no record)."""
    copy = tmp_path / name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".build.*", ".cache"))
    builder.build(load_project(copy), ["txt", "html"], force=True)
    publish.wait_for_removals()
    return {k: v for k, v in every_file(copy / "build").items() if not k.startswith(".cache/")}


def test_kept_builds_are_the_builds_made_from_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(builder, "RENDERERS", TXT_HTML)
    root = project_with(tmp_path, ["alpha", "beta", "gamma"])
    gamma = (root / "tei/gamma.xml").read_text()
    (root / "tei/gamma.xml").unlink()              # added later
    spare = root / ".build.spare"
    builder.build(load_project(root), ["txt", "html"], keep=True)
    assert not spare.exists()                      # nothing was there to keep
    tei = root / "tei"
    changes = [
        lambda: (tei / "alpha.xml").write_text((tei / "alpha.xml").read_text().replace("fishing", "whaling")),
        lambda: (tei / "gamma.xml").write_text(gamma),
        lambda: (tei / "beta.xml").unlink(),
    ]
    for k, change in enumerate(changes):
        change()
        builder.build(load_project(root), ["txt", "html"], keep=True)
        assert spare.is_dir()                      # the build before, kept
        live = {k: v for k, v in every_file(root / "build").items() if not k.startswith(".cache/")}
        assert live == fresh(root, tmp_path, f"fresh{k}")
    assert "whaling" in (root / "build/txt/alpha.txt").read_text()
    assert not (root / "build/txt/beta.txt").exists() and (root / "build/txt/gamma.txt").exists()
    # a build that keeps nothing (the command) removes the kept one
    builder.build(load_project(root), ["txt"], force=True)
    publish.wait_for_removals()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []


def test_sync_relinks_only_what_differs(tmp_path):
    live, kept = tmp_path / "live", tmp_path / "kept"
    (live / "a").mkdir(parents=True)
    for name, text in {"same.txt": "same", "a/changed.txt": "old", "a/gone.txt": "gone", "file-then-dir": "x"}.items():
        (live / name).write_text(text)
    publish.mirror(live, kept)
    # the build after: one file rewritten (a new inode), one removed, one added, a file become a folder
    (live / "a/changed.txt.new").write_text("new")
    os.replace(live / "a/changed.txt.new", live / "a/changed.txt")
    (live / "a/gone.txt").unlink()
    (live / "b").mkdir()
    (live / "b/added.txt").write_text("added")
    (live / "file-then-dir").unlink()
    (live / "file-then-dir").mkdir()
    (live / "file-then-dir/inner.txt").write_text("inner")
    assert sync(str(live), str(kept)) == 3         # changed, added, inner: "same.txt" is kept as it is
    assert every_file(kept) == every_file(live)
    assert (kept / "same.txt").stat().st_ino == (live / "same.txt").stat().st_ino
