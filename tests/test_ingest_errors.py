"""`edition ingest` on a project of its own: bad input, repeatability, --check, reports."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main

RULES = '''[metadata]
title = "A small text"

[[part]]
id = "text"
lines = [1, 9]
head = [1, 1]
'''
WITNESS = ("A small text\n\nThe first para-\ngraph of the small text, an anti-\ncapitalist one.\n\n"
           "The second paragraph (1) ends here.\n")


def project(tmp_path: Path, witness: bytes | None = WITNESS.encode(), rules: str = RULES,
            extra: str = "") -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "edition.toml").write_text(
        '[edition]\ntitle = "Test"\n\n[[text]]\nid = "small"\nsource = "sources/small.txt"\n'
        'rules = "rules/small.toml"\n' + extra, encoding="utf-8")
    if witness is not None:
        (tmp_path / "sources" / "small.txt").write_bytes(witness)
    (tmp_path / "rules" / "small.toml").write_text(rules, encoding="utf-8")
    return tmp_path


def ingest(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), "ingest", *args])


def nothing_written(root: Path) -> bool:
    return not list((root / "tei").glob("*")) if (root / "tei").exists() else True


def test_missing_source(tmp_path):
    root = project(tmp_path, witness=None)
    result = ingest(root)
    assert result.exit_code == 1
    assert "small.txt: error[E223] cannot read the witness of 'small'" in result.output
    assert nothing_written(root)


def test_undecodable_source(tmp_path):
    root = project(tmp_path, witness="A title\n\nna\xefve text\n".encode("latin-1"))
    result = ingest(root)
    assert result.exit_code == 1
    assert "small.txt:3:3: error[E224] the witness is not valid UTF-8 (byte 0xef)" in result.output
    assert "convert the file to UTF-8" in result.output
    assert nothing_written(root)


def test_rules_file_with_a_typo_names_file_line_and_key(tmp_path):
    root = project(tmp_path, rules=RULES.replace("head = [1, 1]", "haed = [1, 1]"))
    result = ingest(root)
    assert result.exit_code == 1
    assert "small.toml:7:1: error[E104] unknown key in [part] 'haed'" in result.output
    assert "did you mean 'head'?" in result.output
    assert nothing_written(root)


def test_rules_value_of_the_wrong_type(tmp_path):
    root = project(tmp_path, rules=RULES.replace('lines = [1, 9]', 'lines = "1-9"'))
    result = ingest(root)
    assert result.exit_code == 1
    assert "small.toml:6: error[E105] 'lines' in [part] must be an array, not a string" in result.output


def test_empty_witness(tmp_path):
    root = project(tmp_path, witness=b"\n\n  \n")
    result = ingest(root)
    assert result.exit_code == 1
    assert "small.txt:1:1: error[E225] the witness holds no text" in result.output
    assert nothing_written(root)


def test_one_bad_text_means_no_file_is_written(tmp_path):
    root = project(tmp_path, extra='\n[[text]]\nid = "other"\nsource = "sources/gone.txt"\n'
                                   'rules = "rules/small.toml"\n')
    result = ingest(root)
    assert result.exit_code == 1 and "gone.txt" in result.output
    assert nothing_written(root)


def test_twice_gives_identical_bytes_and_check_sees_changes(tmp_path):
    root = project(tmp_path)
    assert ingest(root).exit_code == 0
    tei = root / "tei" / "small.xml"
    first = tei.read_bytes()
    second = ingest(root)
    assert second.exit_code == 0 and "unchanged" in second.output
    assert tei.read_bytes() == first
    assert ingest(root, "--check").exit_code == 0
    tei.write_bytes(first.replace(b"first", b"frist"))
    check = ingest(root, "--check")
    assert check.exit_code == 1
    assert "tei/small.xml: differs from what the sources and rules give now" in check.output
    assert b"frist" in tei.read_bytes()                    # --check writes nothing


def test_reports(tmp_path):
    root = project(tmp_path)
    result = ingest(root)
    assert result.exit_code == 0
    tsv = (root / "build" / "reports" / "small.hyphenation.tsv").read_text(encoding="utf-8").splitlines()
    assert tsv[0].split("\t")[:8] == ["line", "next_line", "left", "right", "result", "action", "evidence",
                                      "certainty"]
    rows = [r.split("\t") for r in tsv[1:]]
    assert [(r[0], r[4], r[5]) for r in rows] == [("3", "paragraph", "join"), ("4", "anti-capitalist", "keep")]
    tei = (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert 'para<lb n="4" break="no"/>graph' in tei
    # no other source writes "anticapitalist" either way; the word list has it only as a rare word
    assert rows[1][6:8] == ["dictionary", "uncertain"]
    assert 'anti-<lb n="5" break="no" cert="low" resp="#tool.edition"/>capitalist' in tei
    assert (root / "build" / "reports" / "small.ingest.txt").is_file()


NOTES_RULES = RULES.replace("lines = [1, 9]", "lines = [1, 6]") + """
[[part]]
id = "notes"
type = "notes"
place = "back"
lines = [7, 12]
head = [7, 7]
"""
NOTES_WITNESS = ("A small text\n\nIt cites (2) before (1), and (1) again.\n\nThe end.\n\nNOTES:\n\n"
                 "(1) The first note.\n(2) The second note.\n(3) A note nobody cites.\n")


def test_note_warnings(tmp_path):
    root = project(tmp_path, witness=NOTES_WITNESS.encode(), rules=NOTES_RULES)
    result = ingest(root)
    assert result.exit_code == 0, result.output
    assert "small.txt:3:10: warning[I301] uncertain note link: reference (2) is out of sequence" in result.output
    assert "small.txt:11:1: warning[I302] note (3) is not referenced anywhere in the text" in result.output
    tei = (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert '<ref type="noteref" target="#n2" xml:id="n2.r1" cert="low" resp="#tool.edition">(2)</ref>' in tei
    assert '<ref type="noteref" target="#n1" xml:id="n1.r2">(1)</ref>' in tei
    assert '<note xml:id="n3" type="endnote" place="end" n="3">' in tei


def test_run_ingest_takes_a_plain_echo(tmp_path, capsys):
    """The wing is called without click: ``echo`` is any one-argument callable, print by default."""
    from edition.ingest import run_ingest
    from edition.project import load_project

    root = project(tmp_path, witness=NOTES_WITNESS.encode(), rules=NOTES_RULES)
    lines: list[str] = []
    assert run_ingest(load_project(root), [], echo=lines.append) == 0
    assert any(line.endswith("small.txt:11:1: warning[I302] note (3) is not referenced anywhere in the text")
               for line in lines), lines
    assert lines[-1].startswith("tei/small.xml written: small: ")
    assert (root / "tei" / "small.xml").is_file()
    assert run_ingest(load_project(root), ["small"], check=True, echo=print) == 0
    assert capsys.readouterr().out.endswith("ingest --check: 1 TEI file(s) up to date\n")


def test_a_text_with_witnesses_is_for_collate(tmp_path):
    root = project(tmp_path, extra='\n[[text]]\nid = "two"\n\n[[text.witness]]\nsiglum = "A"\n'
                                   'source = "sources/small.txt"\n')
    result = ingest(root, "two")
    assert result.exit_code == 1
    assert "edition.toml: error[E222] text 'two' has several witnesses; use 'edition collate'" in result.output
    assert nothing_written(root)


def test_unknown_text_id(tmp_path):
    result = ingest(project(tmp_path), "smal")
    assert result.exit_code == 1 and "did you mean small?" in result.output


@pytest.mark.parametrize("help_args", [["ingest", "--help"]])
def test_help(help_args):
    result = CliRunner().invoke(main, help_args)
    assert result.exit_code == 0 and "--check" in result.output


LOST = "A small text\n\nJudging that they were aban-\n A flurry of his texts followed.\n"


def test_lost_text_is_uncertain_until_the_rules_confirm_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    root = project(tmp_path / "a", witness=LOST.encode(), rules=RULES.replace("[1, 9]", "[1, 4]"))
    assert ingest(root).exit_code == 0
    tei = (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert 'were aban-<gap reason="lost" cert="low" resp="#tool.edition"><desc>' in tei   # the tool's inference
    report = (root / "build" / "reports" / "small.ingest.txt").read_text(encoding="utf-8")
    assert "## uncertain hyphen decisions (1)\n3\taban-|A" in report
    confirmed = RULES.replace("[1, 9]", "[1, 4]") + '\n[[gap]]\nafter_line = 3\nnote = "Lost."\n'
    root = project(tmp_path / "b", witness=LOST.encode(), rules=confirmed)
    assert ingest(root).exit_code == 0
    tei = (root / "tei" / "small.xml").read_text(encoding="utf-8")
    assert 'were aban-<gap reason="lost" resp="#ed"><desc>Lost.</desc></gap>' in tei
