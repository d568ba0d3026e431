"""A way through for real files: `edition build --schema` (or [validate] schema) validates
against the project's own RELAX NG, and `--draft` (or [build] draft) builds TEI with errors,
every output marked as a draft and the errors listed on a page of the HTML.

What the pages must say is read from the TEI with lxml here, not from the code under test."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree

from edition.cli import main
from edition.scaffold import init_project

TEI = "{http://www.tei-c.org/ns/1.0}"
# A project schema (as an ODD's RELAX NG might be): a <TEI> root, then any TEI element with any
# attribute. It accepts @status on <p>, which tei_all does not.
CUSTOM_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="TEI" ns="http://www.tei-c.org/ns/1.0"><ref name="any"/></element></start>
  <define name="any"><zeroOrMore><choice>
    <attribute><anyName/></attribute><text/>
    <element><nsName ns="http://www.tei-c.org/ns/1.0"/><ref name="any"/></element>
  </choice></zeroOrMore></define>
</grammar>
"""


def _run(*args, cwd: Path):
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, list(args))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "ed"
    init_project(root)
    return root


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in t)


def _paragraph_texts(path: Path) -> list[str]:
    """The words of each <p> of the TEI's <text> (notes and readings included), spaces normalised."""
    root = etree.parse(str(path)).getroot()
    return [" ".join(p.xpath("string()").split()) for p in root.find(f"{TEI}text").iter(f"{TEI}p")]


def test_build_with_the_projects_own_schema(project):
    example = project / "tei" / "example.xml"
    example.write_text(example.read_text(encoding="utf-8").replace(
        '<p xml:id="harbour.p2">', '<p xml:id="harbour.p2" status="local">'), encoding="utf-8")
    (project / "schema").mkdir()
    (project / "schema" / "custom.rng").write_text(CUSTOM_RNG, encoding="utf-8")
    line = _line_of(example, 'status="local"')

    refused = _run("build", "-o", "txt", "-o", "html", cwd=project)   # tei_all: @status is not TEI
    assert refused.exit_code == 1
    assert f"tei/example.xml:{line}:" in refused.output and "error[E203] @status is not allowed on <p>" in refused.output
    assert not (project / "build" / "html").exists()

    built = _run("build", "-o", "txt", "-o", "html", "--schema", "schema/custom.rng", cwd=project)
    assert built.exit_code == 0, built.output
    assert "error" not in built.output and "Draft" not in built.output
    page = (project / "build" / "html" / "example.html").read_text(encoding="utf-8")
    flat = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    for text in _paragraph_texts(example):
        assert text[:40] in flat

    # the same schema as a setting serves build and validate; dropping it validates against tei_all again
    settings = project / "edition.toml"
    plain = settings.read_text(encoding="utf-8")
    settings.write_text(plain.replace('# schema = "schema/my-odd.rng"', 'schema = "schema/custom.rng"'),
                        encoding="utf-8")
    assert _run("build", "-o", "txt", "-o", "html", cwd=project).exit_code == 0
    validated = _run("validate", cwd=project)
    assert validated.exit_code == 0 and "E203" not in validated.output, validated.output
    settings.write_text(plain, encoding="utf-8")
    assert _run("build", "-o", "txt", "-o", "html", cwd=project).exit_code == 1


def _two_errors(project: Path) -> tuple[Path, list[int]]:
    example = project / "tei" / "example.xml"
    text = example.read_text(encoding="utf-8")
    text = text.replace('<p xml:id="harbour.p2">', '<p xml:id="harbour.p2" colour="red">')
    text = text.replace("This paragraph is yours", "<shout>This</shout> paragraph is yours")
    example.write_text(text, encoding="utf-8")
    line = _line_of(example, 'colour="red"')
    return example, [line, line]


def test_draft_builds_despite_errors_and_every_page_says_so(project):
    example, lines = _two_errors(project)
    refused = _run("build", "-o", "txt", "-o", "html", cwd=project)
    assert refused.exit_code == 1 and not (project / "build" / "html").exists()

    built = _run("build", "-o", "txt", "-o", "html", "--draft", cwd=project)
    assert built.exit_code == 0, built.output
    # the errors are printed, as warnings
    assert f"tei/example.xml:{lines[0]}:" in built.output and "warning[E203] @colour" in built.output
    assert "warning[E201] <shout>" in built.output and "error[" not in built.output

    html_dir = project / "build" / "html"
    errors_page = html_dir / "errors.html"
    listed = errors_page.read_text(encoding="utf-8")
    assert listed.count("<tr><td>") == 2
    assert f"tei/example.xml:{lines[0]}:" in listed and "@colour is not allowed on &lt;p&gt;" in listed
    assert "&lt;shout&gt; is not a TEI element" in listed
    pages = [p for p in html_dir.rglob("*.html") if p != errors_page]
    assert len(pages) >= 3
    for page in pages:
        tree = etree.parse(str(page), etree.HTMLParser())
        assert tree.xpath("//head/meta[@name='robots']/@content") == ["noindex"], page.name
        banner = tree.xpath("//body/div[@class='edition-draft']")
        assert len(banner) == 1 and "Draft — 2 errors" in banner[0].xpath("string()"), page.name
        link = banner[0].xpath(".//a/@href")[0]
        assert (page.parent / link).resolve() == errors_page.resolve()
    # the reading text is all there, the stray element's words included
    flat = " ".join(re.sub(r"<[^>]+>", " ", (html_dir / "example.html").read_text(encoding="utf-8")).split())
    for text in _paragraph_texts(example):
        assert text[:40] in flat
    for text in (project / "build" / "txt").glob("*.txt"):
        assert text.read_text(encoding="utf-8").startswith("DRAFT — 2 errors")

    # a no-op draft build writes nothing and still says so; a build that is no draft is refused
    # and leaves the draft as it was; once the TEI is correct, no page carries the mark
    stamps = {p: p.stat().st_mtime_ns for p in html_dir.rglob("*.html")}
    again = _run("build", "-o", "txt", "-o", "html", "--draft", cwd=project)
    assert again.exit_code == 0 and "warning[E203]" in again.output
    assert {p: p.stat().st_mtime_ns for p in html_dir.rglob("*.html")} == stamps
    assert _run("build", "-o", "txt", "-o", "html", cwd=project).exit_code == 1
    assert errors_page.is_file()
    example.write_text(example.read_text(encoding="utf-8").replace(' colour="red"', "")
                       .replace("<shout>This</shout>", "This"), encoding="utf-8")
    clean = _run("build", "-o", "txt", "-o", "html", "--draft", cwd=project)
    assert clean.exit_code == 0 and "warning[E2" not in clean.output
    assert not errors_page.exists()
    for page in html_dir.rglob("*.html"):
        assert "edition-draft" not in page.read_text(encoding="utf-8") and "noindex" not in page.read_text()


def test_draft_pdf_has_the_mark_on_every_page(project):
    _two_errors(project)
    settings = project / "edition.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("# draft = false", "draft = true"),
                        encoding="utf-8")
    made = _run("pdf", "example", cwd=project)
    assert made.exit_code == 0, made.output
    assert "warning[E203]" in made.output
    with pdfplumber.open(project / "build" / "pdf" / "example.pdf") as pdf:
        heads = [page.extract_text() or "" for page in pdf.pages]
    assert len(heads) >= 2
    assert all(text.splitlines()[0].strip() == "Draft — 2 errors" for text in heads), heads
    assert os.path.getsize(project / "build" / "pdf" / "example.pdf") > 0


def test_a_pdf_stamped_again_has_one_head_and_unstamped_none(tmp_path):
    import pikepdf

    from edition.build.draft import stamp_pdf, unstamp_pdf

    path = tmp_path / "x.pdf"
    blank = pikepdf.new()
    blank.add_blank_page(page_size=(400, 600))
    blank.add_blank_page(page_size=(400, 600))
    blank.save(path)

    def heads() -> list[str]:
        with pdfplumber.open(path) as pdf:
            return [(page.extract_text() or "").strip() for page in pdf.pages]

    stamp_pdf(path, "Draft — 2 errors")
    assert heads() == ["Draft — 2 errors"] * 2
    stamp_pdf(path, "Draft — 1 error")   # the count changed: the head is replaced, not doubled
    assert heads() == ["Draft — 1 error"] * 2
    unstamp_pdf(path)
    assert heads() == ["", ""]
