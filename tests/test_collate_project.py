"""A collation project from nothing: ``edition init --witnesses``, the packaged rules, and TEI
that is valid by construction (XML-name ids, spacing-only differences, the integrity check
before writing, a readable witness list).

The witnesses are invented here. Every check reads the written TEI with lxml (or the rebuilt
witness files against the sources), not the collator's own data.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.collate.rules import load_collation_rules
from edition.diagnostics import error
from edition.project import load_project
from edition.resources import DATA_DIR
from edition.tei.witnesses import describe_witness, witness_text
from edition.tei.xmlio import NSMAP, XML_ID

# Two witnesses: a title page whose last line is a year (a heading "1818" made the id
# xml:id="1818"), a double space against a single one, and a changed word.
A = ("A WINTER VOYAGE\n\n1818\n\nCHAPTER I\n\nWe sailed from the harbour at dawn.  The sea was calm, "
     "and the gulls followed us.\n\nCHAPTER II\n\nBy noon the wind had risen from the north.\n")
B = A.replace("dawn.  The", "dawn. The").replace("gulls followed", "gulls pursued")
# An XML name (NCName) as XML 1.0 defines it, restricted to ASCII for the test's own reading.
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def edition(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "-C", str(root), *args],
                          capture_output=True, text=True, cwd=root)


def init_with(tmp_path: Path, names=("1818.txt", "1831.txt"), texts=(A, B)) -> Path:
    files = []
    for name, text in zip(names, texts):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    root = tmp_path / "voyage"
    result = CliRunner().invoke(main, ["init", str(root), "--witnesses", *files])
    assert result.exit_code == 0, result.output
    return root


def test_init_with_witnesses_writes_a_collation_project(tmp_path):
    root = init_with(tmp_path)
    config = tomllib.loads((root / "edition.toml").read_text(encoding="utf-8"))
    (text,) = config["text"]
    assert text["id"] == "voyage" and text["base"] == "A"
    # File names that are not XML names ("1818") give the sigla A, B; the names become titles.
    assert [(w["siglum"], w["source"], w["title"]) for w in text["witness"]] == [
        ("A", "sources/1818.txt", "1818.txt"), ("B", "sources/1831.txt", "1831.txt")]
    assert (root / "sources" / "1818.txt").read_text(encoding="utf-8") == A
    assert not (root / "tei" / "example.xml").exists()
    # The general rules are there for the editor, every setting switched off (packaged values hold).
    rules = (root / "rules" / "collation.toml").read_text(encoding="utf-8")
    active = [line for line in rules.splitlines() if line.strip() and not line.startswith(("#", "["))]
    assert active == []
    assert "# heading_max_words = 10" in rules
    packaged = tomllib.loads((DATA_DIR / "collation.toml").read_text(encoding="utf-8"))
    uncommented = tomllib.loads("\n".join(re.sub(r"^# (\w+ = .*|  \{ .*|\])$", r"\1", line) for line in rules.splitlines()))
    assert {k: v for k, v in uncommented.items() if v} == packaged


def test_sigla_from_file_names_when_they_are_names(tmp_path):
    root = init_with(tmp_path, names=("first.txt", "second.txt"))
    config = tomllib.loads((root / "edition.toml").read_text(encoding="utf-8"))
    assert [w["siglum"] for w in config["text"][0]["witness"]] == ["first", "second"]


def test_init_needs_two_witnesses(tmp_path):
    (tmp_path / "one.txt").write_text(A, encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ed"), "--witnesses", str(tmp_path / "one.txt")])
    assert result.exit_code == 1
    assert "error[E443] a collation needs 2 to 10 witnesses; 1 given" in result.output
    assert not (tmp_path / "ed").exists()


def test_a_fresh_project_collates_with_no_rules_written_and_builds(tmp_path):
    root = init_with(tmp_path)
    run = edition(root, "collate")
    assert run.returncode == 0, run.stderr
    tei = root / "tei" / "voyage.xml"
    doc = etree.parse(str(tei)).getroot()
    # Every xml:id an XML name, and unique; the year on the title page made no digit-first id.
    ids = doc.xpath("//@xml:id")
    assert ids and all(NCNAME.fullmatch(i) for i in ids), [i for i in ids if not NCNAME.fullmatch(i)]
    assert len(ids) == len(set(ids))
    # The changed word is a variant; the double space is recorded, typed as spacing, with its note.
    subst = doc.xpath("//tei:app[tei:lem='followed']", namespaces=NSMAP)
    assert len(subst) == 1 and subst[0].xpath("string(tei:rdg[@wit='#B'])", namespaces=NSMAP) == "pursued"
    (spacing,) = doc.xpath("//tei:app[@type='spacing']", namespaces=NSMAP)
    readings = spacing.xpath("tei:lem|tei:rdg", namespaces=NSMAP)
    assert sorted((r.text or "") for r in readings) == ["", " "]
    assert spacing.xpath("tei:note[@type='spacing']", namespaces=NSMAP)
    run = edition(root, "validate")
    assert run.returncode == 0, run.stdout + run.stderr
    run = edition(root, "build", "-o", "txt", "-o", "html")
    assert run.returncode == 0, run.stderr
    for siglum, source in (("A", "1818.txt"), ("B", "1831.txt")):
        rebuilt = root / "build" / "txt" / f"voyage.{siglum}.txt"
        assert rebuilt.read_bytes() == (root / "sources" / source).read_bytes()


def test_packaged_rules_hold_where_the_project_sets_none(tmp_path):
    (tmp_path / "rules").mkdir()
    packaged = tomllib.loads((DATA_DIR / "collation.toml").read_text(encoding="utf-8"))
    assert load_collation_rules(tmp_path / "rules").data == packaged
    (tmp_path / "rules" / "collation.toml").write_text("[structure]\nheading_max_words = 3\n", encoding="utf-8")
    data = load_collation_rules(tmp_path / "rules").data
    assert data["structure"]["heading_max_words"] == 3
    assert data["structure"]["list_item"] == packaged["structure"]["list_item"]
    assert data["merge"] == packaged["merge"]


def test_a_siglum_that_is_no_xml_name_is_an_error(tmp_path):
    root = init_with(tmp_path)
    config = root / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('siglum = "B"', 'siglum = "1831"'), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index('siglum = "1831"') + 1
    run = edition(root, "collate")
    assert run.returncode == 1
    assert (f"edition.toml:{line}: error[E440] the siglum '1831' of text 'voyage' is not an XML name: it cannot "
            "be the witness's xml:id") in run.stderr
    assert not (root / "tei" / "voyage.xml").exists()


def test_an_id_prefix_that_cannot_begin_an_id_is_an_error(tmp_path):
    root = init_with(tmp_path)
    (root / "rules" / "voyage.toml").write_text('[metadata]\ntitle = "A Winter Voyage"\n\n[ids]\nprefix = "1-"\n',
                                                encoding="utf-8")
    config = root / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('id = "voyage"', 'id = "voyage"\nrules = "rules/voyage.toml"'),
                      encoding="utf-8")
    run = edition(root, "collate")
    assert run.returncode == 1
    assert "voyage.toml:5: error[E441] [ids] prefix '1-' cannot begin an xml:id" in run.stderr


def test_an_id_clash_with_another_text_is_refused_before_writing(tmp_path):
    root = init_with(tmp_path)
    assert edition(root, "collate").returncode == 0
    # Another text of the edition already uses an id the collation writes.
    first = root / "tei" / "voyage.xml"
    (root / "tei" / "other.xml").write_bytes(first.read_bytes())
    first.unlink()
    run = edition(root, "collate")
    assert run.returncode == 1
    assert "error[E444] the TEI collated for 'voyage' breaks" in run.stderr and "E304" in run.stderr
    assert not first.exists()


def test_integrity_findings_stop_run_collate_with_nothing_written(tmp_path):
    from edition.collate import run_collate

    root = init_with(tmp_path)
    found = error("E306", "all readings of this <app> are identical")
    status = None
    try:
        status = run_collate(load_project(root), [], echo=lambda _: None, verify=lambda path, data, others: [found])
    except Exception as exc:  # noqa: BLE001 - the EditionError is the result looked at
        messages = [d.format() for d in exc.diagnostics]
    assert status is None
    assert messages[0].startswith("tei/voyage.xml: error[E444]") or "error[E444]" in messages[0]
    assert "E306" in messages[1]
    assert not (root / "tei" / "voyage.xml").exists()


def test_the_witness_list_sets_apart_file_name_and_extent(tmp_path):
    root = init_with(tmp_path)
    config = root / "edition.toml"
    config.write_text(re.sub(r'title = "18\d\d.txt"\n', "", config.read_text(encoding="utf-8")), encoding="utf-8")
    assert edition(root, "collate").returncode == 0
    doc = etree.parse(str(root / "tei" / "voyage.xml")).getroot()
    witness = doc.xpath("//tei:witness[@xml:id='A']", namespaces=NSMAP)[0]
    assert witness.get(XML_ID) == "A"
    words = describe_witness(witness)
    lines = A.count("\n") + 1
    assert words.startswith(f"1818.txt, {lines} lines; the file ends with a line feed"), words
    assert witness_text(doc, "A")[0] == A


def test_a_heading_that_begins_with_a_digit_gives_an_xml_name(tmp_path):
    from edition.collate.rules import CollatedTextRules
    from edition.collate.run import collate_to_tei

    text = "Letters Home\n\n1818\n\nThe ship left in spring.\n\n1819\n\nIt came back in autumn.\n"
    texts = [("A", tmp_path / "a.txt", text), ("B", tmp_path / "b.txt", text.replace("spring", "May"))]
    tei, _, _ = collate_to_tei("t", texts, load_collation_rules(tmp_path), CollatedTextRules(path=None), {})
    root = etree.fromstring(tei)
    sections = root.xpath("//tei:body//tei:div[@type='section']", namespaces=NSMAP)
    assert [" ".join("".join(d.find("tei:head", NSMAP).itertext()).split()) for d in sections] == ["1818", "1819"]
    assert [d.get(XML_ID) for d in sections] == ["id-1818", "id-1819"]
    ids = root.xpath("//@xml:id")
    assert all(NCNAME.fullmatch(i) for i in ids) and len(ids) == len(set(ids))


def test_witness_files_after_the_folder_need_no_flag(tmp_path):
    for name, text in (("first.txt", A), ("second.txt", B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ed"), str(tmp_path / "first.txt"),
                                       str(tmp_path / "second.txt")])
    assert result.exit_code == 0, result.output
    assert "next: edition -C" in result.output and "collate" in result.output
    config = tomllib.loads((tmp_path / "ed" / "edition.toml").read_text(encoding="utf-8"))
    assert [w["source"] for w in config["text"][0]["witness"]] == ["sources/first.txt", "sources/second.txt"]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "other"), "--witnesses"])
    assert result.exit_code == 2 and "--witnesses needs the witness files after FOLDER" in result.output
