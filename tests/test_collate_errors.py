"""Bad input to ``edition collate``: a clear message, a non-zero exit, nothing half-written.

Each test builds a small project in a temporary folder (two invented witnesses, the real
general rules) and breaks one thing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

W = "A Small Title\n\nThe workers are paralysed and the masses – all of them – have risen.\n\nJoin us\n"
P = "Issue 1\nA Small Title\nThe workers are paralyzed and the masses—all of them—have risen.\n"
PROJECT = """[edition]
title = "Test"

[[text]]
id = "small"
rules = "rules/small.toml"
base = "{base}"

[[text.witness]]
siglum = "W"
source = "sources/w.txt"

[[text.witness]]
siglum = "P"
source = "sources/p.txt"
"""
RULES = """[metadata]
title = "A Small Title"

[ids]
prefix = "sm-"

[[paratext]]
wit = "{wit}"
lines = [5, 5]
type = "boilerplate"
place = "back"
"""


def make(tmp_path: Path, *, base="W", wit="W", w=W, p=P, second: bool = False) -> Path:
    (tmp_path / "rules").mkdir()
    shutil.copy(ROOT / "rules" / "collation.toml", tmp_path / "rules" / "collation.toml")
    (tmp_path / "rules" / "small.toml").write_text(RULES.format(wit=wit), encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "w.txt").write_text(w, encoding="utf-8")
    if p is not None:
        (tmp_path / "sources" / "p.txt").write_text(p, encoding="utf-8")
    project = PROJECT.format(base=base)
    if second:
        project = project.replace('id = "small"', 'id = "first"', 1).replace('rules/small.toml', 'rules/first.toml', 1)
        shutil.copy(tmp_path / "rules" / "small.toml", tmp_path / "rules" / "first.toml")
        project += PROJECT.split("\n\n", 1)[1].format(base=base).replace("sources/p.txt", "sources/missing.txt")
    (tmp_path / "edition.toml").write_text(project, encoding="utf-8")
    return tmp_path


def collate(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "-C", str(root), "collate", *args],
                          capture_output=True, text=True, cwd=root)


def assert_nothing_written(root: Path) -> None:
    assert not (root / "tei").exists() or not any((root / "tei").iterdir())
    assert not (root / "build" / "reports").exists()


def test_a_good_project_collates(tmp_path):
    root = make(tmp_path)
    run = collate(root)
    assert run.returncode == 0, run.stderr
    # P's issue line is not declared paratext here, so it is an addition (substantive).
    assert "4 units: 1 substantive, 1 orthographic, 0 case, 2 punctuation" in run.stdout
    tei = (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert '<lem wit="#W">paralysed</lem><rdg wit="#P">paralyzed</rdg>' in tei
    assert '<rdg wit="#P"><lb edRef="#P" n="1"/>Issue 1' in tei or '<lb edRef="#P" n="1"/><app' in tei
    from lxml import etree

    from edition.tei.witnesses import witness_text
    doc = etree.fromstring(tei.encode("utf-8"))
    assert witness_text(doc, "W")[0] == W and witness_text(doc, "P")[0] == P
    assert (root / "build" / "reports" / "small.variants.tsv").is_file()
    assert collate(root, "--check").returncode == 0


def test_check_reports_a_stale_tei_file(tmp_path):
    root = make(tmp_path)
    assert collate(root).returncode == 0
    tei = root / "tei" / "small.xml"
    tei.write_text(tei.read_text(encoding="utf-8").replace("paralysed", "paralysd"), encoding="utf-8")
    run = collate(root, "--check")
    assert run.returncode == 1
    assert "tei/small.xml: differs" in run.stdout
    assert "paralysd" in tei.read_text(encoding="utf-8")      # --check writes nothing


def test_missing_witness_file(tmp_path):
    root = make(tmp_path, p=None)
    run = collate(root)
    assert run.returncode == 1
    assert "error[E404] cannot read witness P" in run.stderr and "sources/p.txt" in run.stderr
    assert_nothing_written(root)


def test_unknown_siglum_in_the_rules(tmp_path):
    root = make(tmp_path, wit="Q")
    run = collate(root)
    assert run.returncode == 1
    assert "small.toml:8: error[E420] [[paratext]] names the unknown siglum 'Q'" in run.stderr
    assert "the witnesses of this text are W, P" in run.stderr
    assert_nothing_written(root)


def test_base_not_among_the_witnesses(tmp_path):
    root = make(tmp_path, base="X")
    run = collate(root)
    assert run.returncode == 1
    assert "edition.toml:7: error[E402] the base 'X' of text 'small' is not among its witnesses (W, P)" in run.stderr
    assert_nothing_written(root)


def test_witnesses_that_share_nothing(tmp_path):
    root = make(tmp_path, p="Lorem ipsum dolor sit amet.\n")
    run = collate(root)
    assert run.returncode == 1
    assert "error[E407] witnesses W and P share no word" in run.stderr
    assert_nothing_written(root)


def test_one_bad_text_stops_all_before_anything_is_written(tmp_path):
    root = make(tmp_path, second=True)
    run = collate(root)
    assert run.returncode == 1
    assert "cannot read witness P" in run.stderr and "missing.txt" in run.stderr
    assert_nothing_written(root)


def test_unknown_text_id(tmp_path):
    root = make(tmp_path)
    run = collate(root, "smal")
    assert run.returncode == 1
    assert "no text with id 'smal'" in run.stderr and "did you mean small" in run.stderr


@pytest.mark.parametrize("line", ['[[paratext]]\nwit = "W"\nlines = [9, 9]\n', '[[emendation]]\nadopt = "P"\n'
                                  'reject = "nothing"\ncontext = "nowhere"\nreason = "r"\n'])
def test_stale_decisions_are_errors(tmp_path, line):
    root = make(tmp_path)
    with (root / "rules" / "small.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + line)
    run = collate(root)
    assert run.returncode == 1
    assert ("E421" in run.stderr) or ("E431" in run.stderr), run.stderr
    assert_nothing_written(root)
