"""The volume (``edition.pdf``), laid out in pieces and joined: it must read as one book.

Checked from the PDF alone (pikepdf, pdftotext, qpdf): the contents' page numbers are the
folios printed on the pages the texts open on; each text opens on a recto (a blank verso before it when
needed); every paragraph is a named destination on the page with its words; the contents'
links land on the texts; one structure tree whose parent-tree keys match the pages and links;
the outline lists the texts in order; the TEI files are attached. Then the cache: after a
change to one text's words only that piece is laid out again, and the volume is the same
bytes as one made from nothing; a text that grows moves the texts after it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TITLES = {"alpha": "The Alpha Letter", "beta": "Beta, a Longer Report", "gamma": "Gamma Notes"}
LENGTHS = {"alpha": 2, "beta": 14, "gamma": 3}   # paragraphs: one page, several pages, one page


def text_tei(example: str, text_id: str, paragraphs: int) -> str:
    """A text of the scaffold's header, ``paragraphs`` paragraphs long, each with a note."""
    head, _ = example.split("<text>", 1)
    head = re.sub(r"<title([^>]*)>[^<]*</title>", rf"<title\1>{TITLES[text_id]}</title>", head, count=1)
    body, notes = [], []
    for k in range(1, paragraphs + 1):
        body.append(f'<p xml:id="{text_id}.p{k}">{text_id.capitalize()} paragraph {k} tells how the boats came '
                    f'back into the harbour at dawn and the town went down to the quay to meet them, while '
                    f'the gulls followed the nets and the children counted the catch along the wall.'
                    f'<ref type="noteref" target="#{text_id}.n{k}">({k})</ref></p>')
        notes.append(f'<note xml:id="{text_id}.n{k}" n="{k}" type="editorial">Note {k} of {text_id}.</note>')
    return (head + f'<text><body><div xml:id="{text_id}.d1" type="section"><head>{TITLES[text_id]}</head>'
            + "".join(body) + f'</div></body><back><div type="notes">{"".join(notes)}</div></back></text></TEI>\n')


def make_edition(root: Path, lengths: dict[str, int]) -> None:
    from edition.scaffold import init_project

    init_project(root)
    example = root / "tei" / "example.xml"
    text = example.read_text(encoding="utf-8")
    example.unlink()
    for text_id, paragraphs in lengths.items():
        (root / "tei" / f"{text_id}.xml").write_text(text_tei(text, text_id, paragraphs), encoding="utf-8")


def build_volume(root: Path):
    from edition.build import load_documents
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options

    project = load_project(root)
    target = root / "build" / "pdf" / "edition.pdf"
    return render_pdf(project, load_documents(project), pdf_options(project.pdf), volume=True, target=target)


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def contents(pages: list[str]) -> dict[str, int]:
    """The contents' entries: title → page number, as printed."""
    found = {}
    for page in pages:
        if "Contents" not in page:
            continue
        for line in page.splitlines():
            match = re.match(r"\s*(.+?)\s*(?:\.\s*)+(\d+)\s*$", line)
            if match and match.group(1) in TITLES.values():
                found.setdefault(match.group(1), int(match.group(2)))
    return found


def destinations(pdf) -> dict[str, int]:
    index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    return {str(name): index[dest[0].objgen] for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (tests/install-tools.sh)")
    root = tmp_path_factory.mktemp("volume") / "ed"
    make_edition(root, LENGTHS)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1764000000"   # builds that repeat: same dates in the PDF
    try:
        yield root, build_volume(root)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def test_contents_give_the_printed_page_each_text_opens_on(edition):
    root, _ = edition
    pages = page_texts(root / "build/pdf/edition.pdf")
    listed = contents(pages)
    assert set(listed) == set(TITLES.values()), listed
    for text_id, title in TITLES.items():
        number = listed[title]
        # the page the text opens on prints that number (the front matter is numbered apart, in roman)
        page = next(p for p in pages if f"{text_id.capitalize()} paragraph 1 tells" in p)
        assert re.search(rf"^\s*{number}\s*$|\s{number}\s*$", page.splitlines()[0]), (title, page.splitlines()[:2])


def test_texts_open_on_rectos_after_a_blank_verso_when_needed(edition):
    root, _ = edition
    pages = page_texts(root / "build/pdf/edition.pdf")
    openings = [next(i for i, p in enumerate(pages) if f"{t.capitalize()} paragraph 1 tells" in p) for t in TITLES]
    assert all(i % 2 == 0 for i in openings), openings   # index 0 is page 1, a recto
    assert openings == sorted(openings)
    # alpha fills one page (a recto): the page after it is left blank for beta to open on a recto
    assert openings[1] == openings[0] + 2 and not pages[openings[0] + 1].strip()
    assert len(pages) > openings[2]


def test_every_paragraph_and_contents_link_lands_on_its_page(edition):
    root, _ = edition
    pages = page_texts(root / "build/pdf/edition.pdf")
    with pikepdf.open(root / "build/pdf/edition.pdf") as pdf:
        dests = destinations(pdf)
        for text_id, paragraphs in LENGTHS.items():
            for k in range(1, paragraphs + 1):
                words = f"{text_id.capitalize()} paragraph {k} tells"
                assert words in " ".join(pages[dests[f"{text_id}.p{k}"]].split()), (text_id, k)
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        links = [(index[page.objgen], str(annot.Dest)) for page in pdf.pages for annot in page.get("/Annots", [])
                 if "/Dest" in annot]
    from_contents = {name for i, name in links if "Contents" in pages[i]}
    # each text once: its first section, headed by its title, is no second entry (issue 17)
    assert set(TITLES) <= from_contents and not {f"{t}.d1" for t in TITLES} & from_contents, from_contents
    for text_id in TITLES:
        assert dests[text_id] == dests[f"{text_id}.p1"], text_id   # the text's own anchor: where it opens
    assert all(name in dests for _, name in links), [n for _, n in links if n not in dests]


def test_one_structure_tree_keyed_to_the_pages_and_links(edition):
    root, _ = edition
    path = root / "build/pdf/edition.pdf"
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(path) as pdf:
        tree_root = pdf.Root.StructTreeRoot
        tops = list(tree_root.K) if isinstance(tree_root.K, pikepdf.Array) else [tree_root.K]
        assert len(tops) == 1 and tops[0].S == "/Document"
        keys = dict(pikepdf.NumberTree(tree_root.ParentTree).items())
        used = []
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                key = int(page.obj.StructParents)
                used.append(key)
                assert all(el.Pg.objgen == page.obj.objgen for el in keys[key] if "/Pg" in el), key
            for annot in page.get("/Annots", []):
                if "/StructParent" in annot:
                    key = int(annot.StructParent)
                    used.append(key)
                    kids = keys[key].K if isinstance(keys[key].K, pikepdf.Array) else [keys[key].K]
                    assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None
                               and k.Obj.objgen == annot.objgen for k in kids), key
        assert len(used) == len(set(used)), "two pages or links share a parent-tree key"
        assert set(used) == set(keys)
        assert int(tree_root.ParentTreeNextKey) > max(keys)

        def parents_right(element, parent) -> bool:
            if element.P.objgen != parent.objgen:
                return False
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            return all(parents_right(k, element) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
        assert parents_right(tops[0], tree_root)


def test_outline_and_attachments_cover_every_text(edition):
    root, _ = edition
    with pikepdf.open(root / "build/pdf/edition.pdf") as pdf:
        with pdf.open_outline() as outline:
            top = [" ".join(item.title.split()) for item in outline.root]
        assert [t for t in top if t in TITLES.values()] == list(TITLES.values()), top
        assert sorted(pdf.attachments) == sorted(f"{t}.xml" for t in TITLES)
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
        import tomllib
        title = tomllib.loads((root / "edition.toml").read_text(encoding="utf-8"))["edition"]["title"]
        assert str(pdf.docinfo.Title) == title   # the volume is the edition, not one of its texts


def test_a_changed_text_is_laid_out_again_alone_and_the_volume_is_as_if_new(edition, tmp_path):
    root, _ = edition
    beta = root / "tei" / "beta.xml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("paragraph 3 tells how the boats",
                                                             "paragraph 3 tells how the ships"), encoding="utf-8")
    info = build_volume(root)
    assert [p for p in info.laid_out if p in TITLES or "front" in p] == ["beta"], info.laid_out
    pages = page_texts(root / "build/pdf/edition.pdf")
    assert any("paragraph 3 tells how the ships" in " ".join(p.split()) for p in pages)

    fresh = tmp_path / "ed"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build"))
    build_volume(fresh)
    assert (fresh / "build/pdf/edition.pdf").read_bytes() == (root / "build/pdf/edition.pdf").read_bytes()


def test_a_text_that_grows_moves_the_texts_after_it(edition):
    root, _ = edition
    before = contents(page_texts(root / "build/pdf/edition.pdf"))
    alpha = root / "tei" / "alpha.xml"
    example = (root / "tei" / "gamma.xml").read_text(encoding="utf-8")
    alpha.write_text(text_tei(example, "alpha", 24), encoding="utf-8")   # from one page to three or four
    info = build_volume(root)
    # alpha, the texts after it (their first pages moved) and the contents (their numbers)
    assert [p for p in info.laid_out if p in TITLES or "front" in p] == ["alpha", "beta", "gamma", "front matter"], \
        info.laid_out
    after = contents(page_texts(root / "build/pdf/edition.pdf"))
    assert after[TITLES["alpha"]] == before[TITLES["alpha"]]
    assert after[TITLES["beta"]] > before[TITLES["beta"]] and after[TITLES["gamma"]] > before[TITLES["gamma"]]
    test_contents_give_the_printed_page_each_text_opens_on(edition)
