"""``edition init``: a new project with every setting documented and a valid example text."""

from __future__ import annotations

import re
import tomllib

import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.diagnostics import EditionError
from edition.project import SCHEMA, load_project
from edition.scaffold import init_project
from edition.tei.xmlio import NSMAP

COMMENTED_SETTING = re.compile(r"^# (\[\[?[\w.]+\]\]?|\w+ = .*)$")


def uncomment(text: str) -> str:
    """The project file with every commented-out setting switched on."""
    return "\n".join(COMMENTED_SETTING.sub(r"\1", line) for line in text.splitlines()) + "\n"


def test_init_writes_the_project_files(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "my-edition")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "my-edition"
    for rel in ("edition.toml", "tei/example.xml", "rules/README.md", "templates/README.md",
                ".gitignore", "README.md"):
        assert (root / rel).is_file(), rel
    assert "build/" in (root / ".gitignore").read_text().splitlines()
    assert (root / "README.md").read_text().startswith("# My Edition\n")
    project = load_project(root)
    assert project.settings["title"] == "My Edition"
    assert project.tei_files() == [root / "tei/example.xml"]


def test_every_setting_of_the_schema_is_in_the_project_file(tmp_path):
    init_project(tmp_path / "ed", title='A "quoted" title')
    text = (tmp_path / "ed/edition.toml").read_text()
    assert tomllib.loads(text)["edition"]["title"] == 'A "quoted" title'
    # Switched on, every example value has the type the schema asks for …
    (tmp_path / "ed/edition.toml").write_text(uncomment(text))
    project = load_project(tmp_path / "ed")
    data = tomllib.loads(uncomment(text))
    # … and every key of every table is there.
    assert set(data["edition"]) == set(SCHEMA["edition"])
    assert set(data["pdf"]) == set(SCHEMA["pdf"])
    assert set(data["html"]) == set(SCHEMA["html"])
    assert set(data["text"][0]) == set(SCHEMA["text"])
    assert set(data["text"][0]["witness"][0]) == set(SCHEMA["witness"])
    assert set(data["validate"]) == set(SCHEMA["validate"])
    assert set(data["build"]) == set(SCHEMA["build"])
    assert set(SCHEMA) == {"edition", "pdf", "html", "validate", "build", "text", "witness"}, \
        "a new table: add it to the scaffold"
    assert project.texts[0].witnesses[0].siglum == "A"


def test_every_setting_has_a_comment(tmp_path):
    init_project(tmp_path / "ed")
    for line in (tmp_path / "ed/edition.toml").read_text().splitlines():
        setting = re.match(r"^(# )?(\w+) = ", line)
        if setting:
            assert "#" in line[2:], f"no comment on: {line}"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 1
    assert "error[E131] the folder is not empty" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    result = CliRunner().invoke(main, ["init", "--force", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "notes.txt").read_text() == "mine"
    assert (folder / "tei/example.xml").is_file()


def test_init_refuses_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(EditionError, match="not a folder"):
        init_project(target)


def test_example_has_a_note_and_an_apparatus_entry(tmp_path):
    init_project(tmp_path / "ed")
    tree = etree.parse(str(tmp_path / "ed/tei/example.xml"))
    app = tree.find(".//tei:app", NSMAP)
    assert app.find("tei:lem", NSMAP).text == "dawn" and app.find("tei:lem", NSMAP).get("wit") == "#A"
    assert app.find("tei:rdg", NSMAP).text == "noon" and app.find("tei:rdg", NSMAP).get("wit") == "#B"
    ref = tree.find(".//tei:ref[@type='noteref']", NSMAP)
    note_id = ref.get("target").lstrip("#")
    note = tree.xpath("//tei:note[@xml:id=$id]", namespaces=NSMAP, id=note_id)[0]
    assert note.text.startswith("The reprint moves the boats' return to midday")
    witnesses = tree.xpath("//tei:listWit/tei:witness/@xml:id", namespaces=NSMAP)
    assert witnesses == ["A", "B"]


@pytest.mark.slow
def test_example_is_valid_against_tei_all(tmp_path, tei_all):
    init_project(tmp_path / "ed")
    tree = etree.parse(str(tmp_path / "ed/tei/example.xml"))
    assert tei_all.validate(tree), tei_all.error_log


@pytest.mark.parametrize(("table", "wrong", "closest"), [
    ("[edition]", "titel", "title"), ("[pdf]", "trimm", "trim"), ("[html]", "serch", "search")])
def test_a_mistyped_key_names_file_line_and_closest_key(tmp_path, table, wrong, closest):
    init_project(tmp_path / "ed")
    path = tmp_path / "ed/edition.toml"
    lines = path.read_text().splitlines()
    at = lines.index(table) + 1
    lines.insert(at, f'{wrong} = "x"')
    path.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(main, ["-C", str(tmp_path / "ed"), "build"])
    assert result.exit_code == 1
    assert f"edition.toml:{at + 1}:1: error[E104] unknown key in {table} '{wrong}'" in result.output
    assert f"did you mean '{closest}'?" in result.output
    assert "Traceback" not in result.output


def test_a_wrong_type_is_an_error_with_its_line(tmp_path):
    init_project(tmp_path / "ed")
    path = tmp_path / "ed/edition.toml"
    path.write_text(path.read_text().replace("# line_interval = 5", "line_interval = \"five\""))
    with pytest.raises(EditionError) as caught:
        load_project(tmp_path / "ed")
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E105" and "'line_interval' in [pdf] must be a whole number" in diagnostic.message
    assert path.read_text().splitlines()[diagnostic.line - 1].startswith("line_interval")


def test_templates_readme_explains_shadowing(tmp_path):
    init_project(tmp_path / "ed")
    readme = (tmp_path / "ed/templates/README.md").read_text()
    assert "shadows it" in readme and "templates_dir()" in readme
    assert [p.name for p in (tmp_path / "ed/templates").iterdir()] == ["README.md"]


def test_an_unknown_output_names_the_line_and_the_closest_output(tmp_path):
    init_project(tmp_path / "ed")
    path = tmp_path / "ed/edition.toml"
    path.write_text(path.read_text().replace('outputs = ["txt", "html", "pdf"]', 'outputs = ["txt", "hmtl"]'))
    result = CliRunner().invoke(main, ["-C", str(tmp_path / "ed"), "build"])
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("outputs ="))
    assert f"edition.toml:{line}: error[E106] unknown output 'hmtl' (did you mean 'html'?)" in result.output
    assert not (tmp_path / "ed/build").exists()
