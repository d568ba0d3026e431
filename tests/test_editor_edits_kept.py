"""An editor's corrections in tei/<id>.xml are never overwritten by ingest or collate (issue 21).

The test edits the file as an editor would, then changes the rules (so the tool has something
new to write) and runs the tool again: it must refuse, name the edited line (found by the test
in the file it edited), leave the file as the editor left it, and only with --force replace it,
keeping the editor's file in build/.trash/.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_collate_errors import make as make_collation
from test_ingest_errors import project as make_ingest

from edition.cli import main


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args])


def edit_line(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the file; return the 1-based line where it stands."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def change_title_rule(root: Path, rules: str, new_title: str) -> None:
    path = root / "rules" / rules
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title = "A small text"', f'title = "{new_title}"')
                    .replace('title = "A Small Title"', f'title = "{new_title}"'), encoding="utf-8")


def test_ingest_refuses_to_overwrite_a_corrected_file(tmp_path):
    root = make_ingest(tmp_path)
    assert run(root, "ingest").exit_code == 0
    tei = root / "tei" / "small.xml"
    line = edit_line(tei, "ends here", "ends here, corrected")
    edited = tei.read_bytes()
    change_title_rule(root, "small.toml", "A Retitled Text")

    result = run(root, "ingest")
    assert result.exit_code == 1, result.output
    assert "[E160]" in result.output and "small.xml" in result.output
    assert f"small.xml:{line}: error[E160]" in result.output
    assert f"(line {line} edited)" in result.output  # the editor's line, and only it
    assert f"{line}" in result.output.split("replace", 1)[1]
    assert "--force" in result.output
    assert tei.read_bytes() == edited

    forced = run(root, "ingest", "--force")
    assert forced.exit_code == 0, forced.output
    assert "A Retitled Text" in tei.read_text(encoding="utf-8")
    kept = list((root / "build" / ".trash").glob("small.*.xml"))
    assert len(kept) == 1 and kept[0].read_bytes() == edited


def test_ingest_rewrites_a_file_nobody_edited(tmp_path):
    root = make_ingest(tmp_path)
    assert run(root, "ingest").exit_code == 0
    change_title_rule(root, "small.toml", "A Retitled Text")
    result = run(root, "ingest")
    assert result.exit_code == 0, result.output
    assert "A Retitled Text" in (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert not (root / "build" / ".trash").exists()


def test_a_file_the_tool_has_no_record_of_is_an_editors(tmp_path):
    root = make_ingest(tmp_path)
    (root / "tei").mkdir()
    mine = b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><!-- my own file --></TEI>\n"
    (root / "tei" / "small.xml").write_bytes(mine)
    result = run(root, "ingest")
    assert result.exit_code == 1 and "[E160]" in result.output and "was not written by" in result.output
    assert (root / "tei" / "small.xml").read_bytes() == mine


def test_collate_refuses_too_and_writes_no_file(tmp_path):
    root = make_collation(tmp_path)
    assert run(root, "collate").exit_code == 0
    tei = root / "tei" / "small.xml"
    line = edit_line(tei, "paralysed", "paralysed [sic]")
    edited = tei.read_bytes()
    change_title_rule(root, "small.toml", "A Retitled Text")

    result = run(root, "collate")
    assert result.exit_code == 1, result.output
    assert "[E160]" in result.output and f"{line}" in result.output.split("replace", 1)[1]
    assert f"small.xml:{line}: error[E160]" in result.output and f"(line {line} edited)" in result.output
    assert tei.read_bytes() == edited
    assert run(root, "collate", "--force").exit_code == 0
    assert "A Retitled Text" in tei.read_text(encoding="utf-8")
    assert [p.read_bytes() for p in (root / "build" / ".trash").glob("small.*.xml")] == [edited]
