"""What ``edition build`` says as it goes: each stage once, in the order it runs.

An output made by several renderers (the web edition: its pages, the search index, the DTS
answers) is one stage: "rendering html …" is said once, not once per renderer. The corpus is
generated (``tests/corpus_gen.py``); the stages expected are read from what was asked (the
outputs) and what changed (the texts), not from the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_gen import make_corpus

from edition.cli import main

TEXTS = 3


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return make_corpus(tmp_path / "ed", TEXTS, max_pages=1, outputs=("txt", "html"))


def stages(root: Path) -> list[str]:
    """The stage lines (``… …``) of one ``edition build`` off a terminal."""
    done = CliRunner().invoke(main, ["-C", str(root), "build", "--jobs", "1"])
    assert done.exit_code == 0, done.output
    return [line for line in done.stderr.splitlines() if line.endswith(" …")]


def test_each_stage_is_said_once(corpus):
    assert stages(corpus) == [f"validating {TEXTS} text(s) …", "rendering txt …", "rendering html …"]
    letter = sorted((corpus / "tei").glob("*.xml"))[1]
    letter.write_text(letter.read_text(encoding="utf-8").replace("</p>", " One more word.</p>", 1), encoding="utf-8")
    assert stages(corpus) == ["validating 1 text(s) …", "rendering txt …", "rendering html …"]
    assert stages(corpus) == []   # nothing changed: nothing to say but the summary
