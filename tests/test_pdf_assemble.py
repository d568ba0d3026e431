"""Joining pieces laid out apart (``edition.render.pdf.assemble``): blank versos where a piece
must open on a recto, and links from one piece to an anchor in another landing on its page."""

from __future__ import annotations

import io

import pikepdf
import weasyprint
from lxml import html as lxml_html

CSS = "@page { size: A6; @top-right { content: counter(page) } } @page :blank { @top-right { content: none } }"


def laid_out(body: str, stand_ins: list[str] = ()) -> bytes:
    from edition.render.pdf.furnish import add_link_targets

    tree = lxml_html.document_fromstring(f"<html lang='en'><head><style>{CSS}</style></head><body>{body}</body></html>")
    add_link_targets(tree, stand_ins)
    html = lxml_html.tostring(tree, encoding="unicode")
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3a")


def test_pieces_join_with_blank_versos_and_links_across_them():
    from edition.render.pdf.assemble import Piece, Volume

    front = laid_out('<p>Contents: <a href="#b1">the second page of B</a></p>', ["b1"])
    piece_a = laid_out('<h1>A</h1><p>See <a href="#b1">B, its second page</a>.</p>', ["b1"])
    piece_b = laid_out('<h1>B</h1><p>First page of B.</p><p id="b1" style="break-before: page">Second page.</p>')
    blank = laid_out('<div></div><div style="break-before: right"></div>')

    volume = Volume(Piece(front, recto=False, stand_ins=frozenset({"b1"})), blank)
    volume.add(Piece(piece_a, stand_ins=frozenset({"b1"})))
    volume.add(Piece(piece_b))
    pdf = pikepdf.open(io.BytesIO(volume.finish()))

    assert len(pdf.pages) == 6   # front, blank, A, blank, B (two pages)
    index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    dests = {str(k): index[v[0].objgen] for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    assert dests["b1"] == 5, dests
    links = [(i, str(a.Dest)) for i, page in enumerate(pdf.pages) for a in page.get("/Annots", []) if "/Dest" in a]
    assert sorted(set(links)) == [(0, "b1"), (2, "b1")], links   # a link over two lines has two boxes
    for blank_index in (1, 3):
        page = pdf.pages[blank_index]
        assert "/StructParents" not in page.obj and "/Annots" not in page.obj
        assert b"BT" not in page.Contents.read_bytes()   # no text drawn
    structure = pdf.Root.StructTreeRoot
    keys = dict(pikepdf.NumberTree(structure.ParentTree).items())
    used = [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
    used += [int(a.StructParent) for p in pdf.pages for a in p.get("/Annots", []) if "/StructParent" in a]
    assert len(used) == len(set(used)) and set(used) == set(keys)


def test_a_piece_is_let_go_once_added_and_its_pages_keep_their_text():
    """Each piece added is closed at once (its streams now the volume's own): the volume holds
    only its first piece and the blank's carrier open, however many pieces it joins, and each
    page still says what its piece's page said, in its own font."""
    from edition.render.pdf.assemble import Piece, Volume

    words = ["alpha", "beta", "gamma", "delta"]
    pieces = [laid_out(f"<h1>{word.title()}</h1><p>The {word} piece.</p>") for word in words]
    volume = Volume(Piece(laid_out("<p>Front</p>"), recto=False), laid_out('<div></div><div style="break-before: right"></div>'))
    for data in pieces:
        volume.add(Piece(data, recto=False))
        assert len(volume._sources) == 1   # the blank's carrier: the pieces are let go
    pdf = pikepdf.open(io.BytesIO(volume.finish()))
    assert len(pdf.pages) == 1 + len(words)
    for page, word in zip(pdf.pages[1:], words):
        assert b"BT" in page.Contents.read_bytes()
        fonts = page.Resources.Font
        assert all(len(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()) > 100 for font in fonts.values())
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        pdf.save(out.name)
        text = subprocess.run(["pdftotext", out.name, "-"], capture_output=True, text=True, check=True).stdout
    assert [page.split() for page in text.split("\f")[1:1 + len(words)]] == \
        [["1", word.title(), "The", word, "piece."] for word in words]   # each piece its own page 1
