"""Join PDFs laid out apart into one tagged PDF (pikepdf): the volume from its pieces.

In: the first piece's PDF bytes (the front matter: its catalogue, metadata and output intent
become the volume's), then the other pieces in order, each with the names of the stand-in
anchors it holds (see ``compose_book``'s ``link_targets``), and a small PDF whose second page
is the blank to put wherever a piece must start on a recto and whose attached files (the TEI
sources, PDF/A-3 associated files) become the volume's: they change with every text, the
front matter does not, so they are not the front matter's. Out: the volume's PDF bytes.

What is joined, so that the volume works as one document:
- pages, in order, blank versos added where a piece must start on an odd page;
- the structure tree (PDF/A "a", PDF/UA): each piece's top-level elements move under the
  first piece's document element, and its parent-tree keys (``/StructParents`` of pages,
  ``/StructParent`` of annotations) are shifted past the keys already used;
- the structure elements' ids (table headers), made unique by a prefix per piece;
- named destinations (WeasyPrint writes every anchor, and every internal link, by name):
  one name tree; a stand-in anchor never wins over the real one, so a link in one piece to
  an anchor in another lands where the anchor is;
- the outline (bookmarks): each piece's top-level items after the previous piece's;
- the fonts: each face embedded once, its subsets from the pieces merged (``fontmerge``);
- page labels (``label_pages``): the front matter's pages numbered i, ii, iii …, the texts' from
  1, as printed on them, so that a viewer's "go to page 12" finds the page printed 12.
A piece is closed as soon as it is added (its streams' data copied into the volume): a join
holds one copy of the pieces' objects, not two (the peak memory of a 150-chapter book's join).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name
from weasyprint.anchors import make_page_bookmark_tree

from edition.render.pdf.fontmerge import merge_faces


@dataclass
class Piece:
    """A laid-out piece of the volume: its PDF, whether it starts on a recto, its stand-in anchors."""

    data: bytes
    recto: bool = True
    stand_ins: frozenset[str] = field(default_factory=frozenset)
    # whether its structure may name elements (WeasyPrint names table headers, ``_own_ids``): a
    # piece made of HTML without a table has none to rename, and is not searched for them
    tables: bool = True


def stand_ins(tree) -> frozenset[str]:
    """The stand-in anchors a piece's HTML holds (``compose_book``'s ``link_targets``)."""
    return frozenset(tree.xpath("//*[@data-stand-in]/@id"))


def has_tables(tree) -> bool:
    """Whether a piece's HTML has a table (``Piece.tables``)."""
    return bool(tree.xpath("//table"))


def _copy(out: pikepdf.Pdf, obj):
    """``obj`` of another PDF as an object of ``out`` (indirect objects through qpdf's copier,
    which maps an object already copied, such as a page, to its copy)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(out, item) for item in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _copy_all(out: pikepdf.Pdf, src: pikepdf.Pdf, objects: list) -> list:
    """``_copy`` of each of ``objects`` (of ``src``), made by qpdf's copier in one call: an array
    holding them made an object of ``src`` and copied whole (walked in Python, one object and
    array at a time, the parent trees and names of a 45-chapter book's join took ~1 s). The
    holder is referred to by nothing in either PDF: it is not written."""
    if not objects:
        return []
    return list(out.copy_foreign(src.make_indirect(Array(objects))))


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _document_element(pdf: pikepdf.Pdf):
    """The structure element every other hangs from (WeasyPrint writes one ``/Document``)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    tops = [k for k in _kids(root) if isinstance(k, Dictionary)]
    return tops[0] if len(tops) == 1 else None


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return {}
    return dict(pikepdf.NumberTree(root.ParentTree).items())


def _destinations(pdf: pikepdf.Pdf) -> dict[str, object]:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {str(key): value for key, value in pikepdf.NameTree(names.Dests).items()}


def _outline_items(pdf: pikepdf.Pdf) -> list:
    outlines = pdf.Root.get("/Outlines")
    items, item = [], outlines.get("/First") if outlines is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def _visible(item) -> int:
    count = int(item.get("/Count", 0))
    return 1 + (count if count > 0 else 0)


def _own_ids(pdf: pikepdf.Pdf, prefix: str) -> None:
    """Prefix the structure elements' ``/ID``s (WeasyPrint names table headers by object number,
    which another piece may repeat) and the ``/Headers`` that point at them."""
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary) or "/S" not in obj:
            continue
        if "/ID" in obj:
            obj.ID = pikepdf.String(prefix + str(obj.ID))
        attributes = obj.get("/A")
        for attribute in (attributes if isinstance(attributes, Array) else [attributes]):
            if isinstance(attribute, Dictionary) and "/Headers" in attribute:
                attribute.Headers = Array([pikepdf.String(prefix + str(h)) for h in attribute.Headers])


# what a catalogue says of the document as a whole (not its pages, structure, names or outline)
_ABOUT_THE_DOCUMENT = ("/Metadata", "/Lang", "/ViewerPreferences", "/PageMode", "/OutputIntents", "/MarkInfo")
_NOT_OWN = frozenset({"/Parent", "/P", "/Pg", "/StructParent", "/StructParents"})   # links out of a page


def _own_streams(obj, seen: set | None = None) -> None:
    """Every stream a page draws with (its contents, resources, annotations' appearances) made to
    hold its data itself, not to read it from the PDF it was copied from at writing time (qpdf's
    copies do): that PDF can then be closed."""
    seen = set() if seen is None else seen
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Stream):
        filters, parms = obj.get("/Filter"), obj.get("/DecodeParms")
        obj.write(obj.read_raw_bytes(), filter=filters, decode_parms=parms, type_check=False)
    if isinstance(obj, (Dictionary, pikepdf.Stream)):
        for key, value in obj.items():
            if key not in _NOT_OWN:
                _own_streams(value, seen)
    elif isinstance(obj, Array):
        for value in obj:
            _own_streams(value, seen)


class Volume:
    """The volume being assembled: the first piece, then each piece added in turn."""

    def __init__(self, first: Piece, blank: bytes):
        self.pdf = pikepdf.open(io.BytesIO(first.data))
        self._blank = blank
        self._sources: list[pikepdf.Pdf] = []
        self._carrier = self._open(blank)
        self.document = _document_element(self.pdf)
        tree = _parent_tree(self.pdf)
        self.next_key = max(tree, default=-1) + 1
        self.parent_tree = tree
        self.destinations = _destinations(self.pdf)
        self.outline = _outline_items(self.pdf)
        self.stand_ins: set[str] = set(first.stand_ins)
        self.added = 1

    def _open(self, data: bytes) -> pikepdf.Pdf:
        """A piece opened for copying from; kept open until the volume is written, since qpdf
        reads a copied stream's data from its source only then."""
        pdf = pikepdf.open(io.BytesIO(data))
        self._sources.append(pdf)
        return pdf

    @property
    def pages(self) -> int:
        """Pages so far."""
        return len(self.pdf.pages)

    def add_blank(self, at: int | None = None) -> None:
        """A blank page (the pieces' own blank, with press marks when they have them), at the
        end or at page index ``at``."""
        blank = self._open(self._blank)
        page = blank.pages[1]
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]   # nothing on it is tagged; its key is another's here
        if at is None:
            self.pdf.pages.append(page)
        else:
            self.pdf.pages.insert(at, page)

    def add(self, piece: Piece, *, before: bool = False) -> None:
        """Append ``piece`` (after a blank verso if it must start on a recto and would not);
        ``before``: put it before every piece added so far (the front matter, laid out once
        the chapters after it are: ``joining``), its catalogue's metadata the volume's, and a
        blank verso after it when it ends on a recto."""
        if piece.recto and self.pages % 2 and not before:
            self.add_blank()
        src = self._open(piece.data)
        if before:   # the catalogue's entries about the document, as if it had been the first piece
            for key in _ABOUT_THE_DOCUMENT:
                if key in src.Root:
                    self.pdf.Root[key] = _copy(self.pdf, src.Root[key])
            if "/Info" in src.trailer:
                self.pdf.trailer.Info = _copy(self.pdf, src.trailer.Info)
        shift = self.next_key
        tree = _parent_tree(src)
        # shift the piece's keys before its pages are copied, so the copies carry the new ones
        for page in src.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        if piece.tables:
            _own_ids(src, f"p{self.added}-")
        self.added += 1
        top = _document_element(src)
        kids = _kids(top) if top is not None else []
        for kid in kids:
            if isinstance(kid, Dictionary) and "/P" in kid:
                del kid["/P"]   # re-parented below; not copying the piece's own root with it
        first_page = 0 if before else len(self.pdf.pages)
        for index, page in enumerate(src.pages):
            if before:
                self.pdf.pages.insert(index, page)
            else:
                self.pdf.pages.append(page)
        if before and len(src.pages) % 2:
            self.add_blank(at=len(src.pages))   # what follows opens on a recto
        if self.document is not None and kids:
            copied = _copy_all(self.pdf, src, kids)
            for kid in copied:
                if isinstance(kid, Dictionary):
                    kid.P = self.document
            self.document.K = Array(copied + _kids(self.document) if before else _kids(self.document) + copied)
        self._take_names(src, piece, tree, shift, before)
        # the piece's streams taken into the volume now, so that the piece can be let go: open,
        # each piece held its objects twice (~5 MiB for a 4-page chapter; 800 MiB for 150)
        seen: set = set()
        for page in self.pdf.pages[first_page:first_page + len(src.pages)]:
            _own_streams(page.obj, seen)
        self._sources.remove(src)
        src.close()

    def _take_names(self, src: pikepdf.Pdf, piece: Piece, tree: dict, shift: int, before: bool) -> None:
        """The piece's parent tree (its keys shifted by ``shift``), named destinations (a
        stand-in never over a real one) and outline items (first when ``before``)."""
        for key, value in zip(tree, _copy_all(self.pdf, src, list(tree.values()))):
            self.parent_tree[key + shift] = value
        self.next_key = shift + max(tree, default=-1) + 1
        wanted = {name: dest for name, dest in _destinations(src).items()
                  if name not in piece.stand_ins and (name not in self.destinations or name in self.stand_ins)}
        for name, dest in zip(wanted, _copy_all(self.pdf, src, list(wanted.values()))):
            self.destinations[name] = dest
            self.stand_ins.discard(name)
        items = _outline_items(src)
        for item in items:
            for key in ("/Parent", "/Prev", "/Next"):
                if key in item:
                    del item[key]
        items = _copy_all(self.pdf, src, items)
        self.outline = items + self.outline if before else self.outline + items

    def finish(self, front: int = 0) -> bytes:
        """The volume's bytes: the joined name tree, parent tree and outline written back;
        ``front``: how many pages come before the first text (labelled in roman numerals)."""
        pdf = self.pdf
        label_pages(pdf, front)
        merge_faces(pdf)
        if "/Names" not in pdf.Root:
            pdf.Root.Names = pdf.make_indirect(Dictionary())
        carried = self._carrier.Root.get("/Names", {}).get("/EmbeddedFiles")
        if carried is not None:
            pdf.Root.Names.EmbeddedFiles = _copy(pdf, carried)
            if "/AF" in self._carrier.Root:
                pdf.Root.AF = _copy(pdf, self._carrier.Root.AF)
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            # built as a Python list: extending a pikepdf Array item by item is quadratic
            numbers = [item for key in sorted(self.parent_tree) for item in (key, self.parent_tree[key])]
            root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(numbers)))
            root.ParentTreeNextKey = self.next_key
        names = [item for name in sorted(self.destinations, key=lambda n: n.encode("utf-8"))
                 for item in (pikepdf.String(name), self.destinations[name])]
        pdf.Root.Names.Dests = pdf.make_indirect(Dictionary(Names=Array(names)))
        if self.outline:
            outlines = pdf.Root.get("/Outlines") or pdf.make_indirect(Dictionary(Type=Name.Outlines))
            pdf.Root.Outlines = outlines
            for before, item, after in zip([None] + self.outline[:-1], self.outline, self.outline[1:] + [None]):
                item.Parent = outlines
                for key, other in (("/Prev", before), ("/Next", after)):
                    if other is None:
                        if key in item:
                            del item[key]
                    else:
                        item[key] = other
            outlines.First, outlines.Last = self.outline[0], self.outline[-1]
            outlines.Count = sum(_visible(item) for item in self.outline)
        out = io.BytesIO()
        # the pieces' streams are compressed already: copied as they are, not decoded and redone
        pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        for source in self._sources:
            source.close()
        return out.getvalue()


def label_pages(pdf: pikepdf.Pdf, front: int) -> None:
    """Page labels, as printed on the pages (print.css): the ``front`` pages before the first text
    in lower-case roman numerals from i, the rest in arabic numerals from 1."""
    nums = ([0, Dictionary(S=Name.r)] if front else []) + [front, Dictionary(S=Name.D, St=1)]
    pdf.Root.PageLabels = pdf.make_indirect(Dictionary(Nums=Array(nums)))


def with_page_labels(data: bytes, front: int) -> bytes:
    """A PDF's bytes with page labels (``label_pages``); its streams copied as they are."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        label_pages(pdf, front)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _outline_subtree(item) -> list:
    """``item`` and its descendants, depth first (the order WeasyPrint made them in)."""
    out = [item]
    child = item.get("/First")
    while child is not None:
        out.extend(_outline_subtree(child))
        child = child.get("/Next")
    return out


def nest_outline(volume: Volume, levels: list[tuple[int, str]], start: int = 0) -> None:
    """Nest the joined bookmarks as one layout nests them: by their ``bookmark-level``s (``levels``,
    every piece's, in order), with WeasyPrint's own rule (``make_page_bookmark_tree``); those from
    the ``start``-th top-level one on (the pieces of one text in the volume)."""
    items = [item for top in volume.outline[start:] for item in _outline_subtree(top)]
    if len(items) != len(levels):
        return   # not the bookmarks the pieces reported: leave them as joined

    class _Page:
        bookmarks = [(level, index, (0, 0), state) for index, (level, state) in enumerate(levels)]

    root: list = []
    make_page_bookmark_tree(_Page, [], [root], 0, 0, _Identity())

    def link(subtrees, parent) -> int:
        count = len(subtrees)
        made = [items[label] for label, _target, _children, _state in subtrees]
        for (label, _target, children, state), item, before, after in zip(
                subtrees, made, [None] + made[:-1], made[1:] + [None]):
            for key in ("/First", "/Last", "/Prev", "/Next", "/Parent"):
                if key in item:
                    del item[key]
            inner = link(children, item)
            item.Count = -inner if state == "closed" else inner
            count += 0 if state == "closed" else inner
            if before is not None:
                item.Prev = before
            if after is not None:
                item.Next = after
            if parent is not None:
                item.Parent = parent
        if parent is not None and made:
            parent.First, parent.Last = made[0], made[-1]
        return len(subtrees) if parent is None else count

    link(root, None)
    volume.outline = volume.outline[:start] + [items[label] for label, *_ in root]


class _Identity:
    def transform_point(self, x, y):
        return x, y
