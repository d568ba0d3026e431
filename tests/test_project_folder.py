"""``-C DIR`` names the project folder itself: a mistyped or empty folder is an error, never the
project that happens to enclose it (an earlier version searched upwards and built the parent)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from edition.cli import main
from edition.scaffold import init_project


@pytest.fixture
def enclosing(tmp_path):
    """A project with an empty sub-folder inside it: the trap the upward search fell into."""
    init_project(tmp_path / "ed")
    (tmp_path / "ed" / "empty").mkdir()
    return tmp_path / "ed"


@pytest.mark.parametrize("command", [["build", "-q", "-o", "txt"], ["validate"], ["ingest", "--check"]])
def test_a_folder_that_does_not_exist_could_not_run_and_nothing_is_built(enclosing, command):
    missing = enclosing / "no-such-folder"
    result = CliRunner().invoke(main, ["-C", str(missing), *command])
    assert result.exit_code == 2, result.output
    assert f"{missing}: error[E108] the project folder given does not exist" in result.output
    assert not (enclosing / "build").exists()


def test_a_folder_without_edition_toml_is_not_searched_above(enclosing):
    empty = enclosing / "empty"
    result = CliRunner().invoke(main, ["-C", str(empty), "build", "-q", "-o", "txt"])
    assert result.exit_code == 1, result.output
    assert f"{empty}: error[E108] not an edition project: this folder holds no edition.toml" in result.output
    assert not (enclosing / "build").exists() and not (empty / "build").exists()


def test_the_project_folder_itself_builds(enclosing):
    result = CliRunner().invoke(main, ["-C", str(enclosing), "build", "-q", "-o", "txt"])
    assert result.exit_code == 0, result.output
    assert (enclosing / "build" / "txt").is_dir()
