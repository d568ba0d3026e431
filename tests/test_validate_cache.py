"""The per-file rule results are cached like the schema's: an unchanged file is not checked
again, while the rules that depend on other files (ids, pointers, notes pointed to) always run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition.validate import runner
from edition.validate.runner import validate_paths
from edition.validate.schema import ResultCache, Schema

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"


def _lines(report) -> list[str]:
    return [f"{Path(d.path).name}:{d.line}:{d.col}: {d.code} {d.message}" for d in report.sorted()]


@pytest.fixture()
def cache(tmp_path: Path) -> ResultCache:
    return ResultCache(tmp_path / "cache", Schema().sha256)


def test_unchanged_file_takes_its_rule_findings_from_the_cache(tmp_path, cache, monkeypatch):
    files = tmp_path / "tei"
    files.mkdir()
    for name in ("empty-head.xml", "line-end-hyphen.xml", "pages-not-monotonic.xml"):
        shutil.copy(FIXTURES / name, files / name)
    first = validate_paths([files], cache=cache)
    assert {"E310", "W402", "W312"} <= {d.code for d in first.diagnostics}

    def must_not_run(*args, **kwargs):
        raise AssertionError("a per-file rule ran on an unchanged file")

    monkeypatch.setattr(runner, "check_file", must_not_run)
    monkeypatch.setattr(runner, "check_leftovers", must_not_run)
    second = validate_paths([files], cache=ResultCache(cache.folder, Schema().sha256))
    assert _lines(second) == _lines(first)


def test_note_rule_is_not_cached_a_reference_from_another_file_counts(tmp_path, cache):
    files = tmp_path / "tei"
    files.mkdir()
    shutil.copy(FIXTURES / "unreferenced-note.xml", files / "notes.xml")
    alone = validate_paths([files], cache=cache)
    unreferenced = [d for d in alone.diagnostics if d.code == "W305"]
    assert len(unreferenced) == 1
    note_id = unreferenced[0].message.split("'")[1]

    pointing = (FIXTURES / "dangling-target.xml").read_text(encoding="utf-8").replace(
        '<ref target="#nowhere">', f'<ref target="notes.xml#{note_id}">')
    (files / "other.xml").write_text(pointing, encoding="utf-8")
    together = validate_paths([files], cache=cache)
    assert [d for d in together.diagnostics if d.code in ("W305", "W301", "W303")] == []


def test_warm_up_compiles_the_schema_ahead_of_time(tmp_path):
    from edition.validate import warm_up

    rng = tmp_path / "tiny.rng"
    rng.write_text("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><element name='TEI'>"
                   "<text/></element></start></grammar>", encoding="utf-8")
    assert not Schema(rng).compiled
    warm_up(schema_path=rng)
    assert Schema(rng).compiled
    report = validate_paths([FIXTURES / "empty.xml"], schema=Schema(rng))
    assert [d.code for d in report.diagnostics] == ["E001"]
