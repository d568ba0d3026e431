"""Deterministic output: the same inputs give the same bytes, wherever and whenever built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition import build as builder
from edition.project import load_project
from edition.scaffold import init_project

pytestmark = pytest.mark.slow
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def files(folder: Path) -> dict[str, bytes]:
    """Every output under ``folder`` (not the build record) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The same project built twice, in two folders, one after the other."""
    tmp_path = tmp_path_factory.mktemp("determinism")
    init_project(tmp_path / "one" / "ed")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    outputs = ["txt", "html", "pdf"]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        builder.build(load_project(tmp_path / "one" / "ed"), outputs)
        builder.build(load_project(tmp_path / "two" / "ed"), outputs)
    return tmp_path / "one/ed/build", tmp_path / "two/ed/build", outputs


def test_html_text_and_tei_are_byte_identical(two_builds):
    one, two, outputs = two_builds
    first, second = files(one), files(two)
    plain = {rel for rel in first if not rel.endswith(".pdf")}
    assert plain == {rel for rel in second if not rel.endswith(".pdf")}
    assert "html/example.html" in plain and "html/tei/example.xml" in plain
    assert "txt/example.txt" in plain
    differ = sorted(rel for rel in plain if first[rel] != second[rel])
    assert not differ, f"not byte-identical: {differ}"
    # Nothing of the folder it was built in leaks into an output.
    leaks = sorted(rel for rel in plain if str(one.parent).encode() in first[rel])
    assert not leaks, leaks


def test_pdfs_differ_only_in_what_the_format_forces(two_builds):
    one, two, outputs = two_builds
    pikepdf = pytest.importorskip("pikepdf")
    for first in sorted(one.glob("pdf/*.pdf")):
        second = two / first.relative_to(one)
        with pikepdf.open(first) as a, pikepdf.open(second) as b:
            assert len(a.pages) == len(b.pages)
            for number, (page_a, page_b) in enumerate(zip(a.pages, b.pages), 1):
                assert _content(pikepdf, page_a) == _content(pikepdf, page_b), f"{first.name} p. {number}"
            for key in ("/Title", "/Creator", "/Producer"):
                assert str(a.docinfo.get(key, "")) == str(b.docinfo.get(key, ""))
            created = str(a.docinfo.get("/CreationDate", ""))
            assert created == str(b.docinfo.get("/CreationDate", ""))
            assert created.startswith("D:20231114"), f"{first.name}: {created!r} is not SOURCE_DATE_EPOCH"


def _content(pikepdf, page) -> bytes:
    """The drawing operations of a page (its content streams, joined)."""
    contents = page.obj.Contents
    parts = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(part.read_bytes() for part in parts)
