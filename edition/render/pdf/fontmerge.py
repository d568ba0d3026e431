"""One embedded font per face in a PDF joined from pieces (pikepdf, fontTools).

In: a ``pikepdf.Pdf`` whose pages come from PDFs laid out apart (``assemble``). Out: the same
PDF with every face embedded once: the font dictionaries that embed subsets of one font are
replaced by one, whose program holds the glyphs of them all, whose widths (``/W``) and
``ToUnicode`` map are the union of theirs, and every page's font resources point at it.

Why it is possible: WeasyPrint embeds each font as a CID-keyed TrueType font (``Identity-H``,
``CIDToGIDMap /Identity``) subset with the glyph ids of the original font kept (HarfBuzz's
``RETAIN_GIDS``): the codes on the pages are glyph ids of the original font, so the subsets of
one font differ only in which glyphs they carry, and the pages need not be rewritten. Two
subsets come from one font when the name without its subset tag and the ``head`` table's dates
and units agree (how the glyphs are joined: ``_join_programs``).

What is left alone, as it was: fonts of another kind (CFF, Type 3, a custom encoding, which
WeasyPrint writes for a font that misses glyphs), and a group whose programs or ``ToUnicode``
maps cannot be read. When two pieces map one glyph to different text (rare: WeasyPrint gives a
glyph the text of the first cluster it is drawn in), the first piece's text is kept, as
WeasyPrint itself does within a piece.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from collections import defaultdict

import pikepdf
from fontTools.ttLib import TTFont, TTLibError
from pikepdf import Array, Dictionary, Name

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
BLOCK = re.compile(rb"beginbf(char|range)(.*?)endbf\1", re.S)
PER_GLYPH_TABLES = ("hdmx", "LTSH", "VDMX", "kern")   # would not match the merged glyphs


def _descendant(font):
    kids = font.get("/DescendantFonts")
    return kids[0] if isinstance(kids, Array) and len(kids) == 1 else None


def _mergeable(obj) -> bool:
    """A CID-keyed TrueType font of WeasyPrint's making, whose codes are glyph ids."""
    if not isinstance(obj, Dictionary) or obj.get("/Type") != Name.Font or obj.get("/Subtype") != Name.Type0:
        return False
    cid = _descendant(obj)
    return (cid is not None and obj.get("/Encoding") == Name("/Identity-H")
            and cid.get("/Subtype") == Name.CIDFontType2 and cid.get("/CIDToGIDMap") == Name.Identity
            and "/FontFile2" in cid.get("/FontDescriptor", {}) and "/ToUnicode" in obj)


def _program(data: bytes) -> TTFont | None:
    """The font program ``data`` (a ``FontFile2``'s), its glyphs and metrics read; None if broken."""
    try:
        program = TTFont(io.BytesIO(data), recalcTimestamp=False)   # a merged one merges again
        program["glyf"], program["hmtx"]   # noqa: B018  (decompiled now: a broken one fails here)
        return program
    except (TTLibError, KeyError, AssertionError, ValueError, struct.error):
        return None


def _face(font, program: TTFont) -> tuple:
    head = program["head"]
    return (SUBSET_TAG.sub("", str(font.BaseFont)[1:]), head.created, head.modified, head.unitsPerEm)


def _widths(cid) -> dict[int, object] | None:
    """``/W`` as glyph id → width (both of its forms: ``c [w …]`` and ``c_first c_last w``)."""
    items, widths, i = list(cid.get("/W", Array())), {}, 0
    try:
        while i < len(items):
            first = int(items[i])
            if isinstance(items[i + 1], Array):
                for offset, width in enumerate(items[i + 1]):
                    widths.setdefault(first + offset, width)
                i += 2
            else:
                for code in range(first, int(items[i + 1]) + 1):
                    widths.setdefault(code, items[i + 2])
                i += 3
    except (IndexError, TypeError, ValueError):
        return None
    return widths


def _to_unicode(font) -> dict[int, str] | None:
    """The ``ToUnicode`` map as glyph id → hex UTF-16 text; None for a form this does not read."""
    try:
        data = font.ToUnicode.read_bytes()
    except pikepdf.PdfError:
        return None
    mapping = {}
    for kind, body in BLOCK.findall(data):
        if kind == b"range":
            return None
        for code, text in PAIR.findall(body):
            mapping.setdefault(int(code, 16), text.decode("ascii").lower())
    return mapping


def _cmap(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    codes = sorted(mapping)
    for start in range(0, len(codes), 100):
        batch = codes[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{code:04x}> <{mapping[code]}>".encode() for code in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _w_array(widths: dict[int, object]) -> Array:
    out, run = [], None
    for code in sorted(widths):
        if run is None or code - 1 not in widths:
            run = []
            out += [code, run]
        run.append(widths[code])
    return Array([Array(item) if isinstance(item, list) else item for item in out])


def _contours(glyf, name: str) -> int:
    """The number of contours of glyph ``name`` (-1: a composite), read from its header: not
    decoding its outline, as ``glyf[name]`` does (a book's subsets hold ~900,000 glyph ids up to
    their highest used one; decoding them all was most of a join's time)."""
    glyph = glyf.glyphs[name]
    data = getattr(glyph, "data", None)
    if data is None:   # decoded already
        return glyph.numberOfContours
    return struct.unpack(">h", data[:2])[0] if data else 0


def _join_programs(programs: list[TTFont], used: list[set[int]]) -> TTFont | None:
    """One program with every glyph the others draw.

    WeasyPrint subsets twice: the used glyphs with their ids kept, then every id up to the
    highest used one, so a subset's glyphs up to its highest used id are at the original
    font's ids, and the components of accented letters drawn from glyphs past it are
    renumbered after it. The merged program is the subset with the highest used id, glyphs
    up to each subset's highest used id filled in by id, and each subset's renumbered
    components appended, its composites pointed at them (a glyph's name differs between
    subsets: its name, or ``glyphNNNNN`` when a subset dropped the names)."""
    tops = [max(codes, default=0) for codes in used]
    at = max(range(len(programs)), key=lambda i: tops[i])
    base = programs[at]
    order = list(base.getGlyphOrder())
    glyf, hmtx = base["glyf"], base["hmtx"]
    glyf.ensureDecompiled()
    taken = set(order)
    for program, codes, top in zip(programs, used, tops):
        if program is base:
            continue
        own = program.getGlyphOrder()
        if len(own) <= top:
            return None
        rename = {name: order[gid] for gid, name in enumerate(own[:top + 1])}
        copied = []
        for name in own[top + 1:]:                 # renumbered components: appended
            fresh = f"merged{len(order)}"
            while fresh in taken:
                fresh += "x"
            taken.add(fresh)
            order.append(fresh)
            rename[name] = fresh
            copied.append((name, fresh))
        own_glyf, own_hmtx = program["glyf"], program["hmtx"]
        for gid, name in enumerate(own[:top + 1]):
            if _contours(own_glyf, name) != 0 and _contours(glyf, order[gid]) == 0:
                copied.append((name, order[gid]))   # drawn there, blank here
            elif gid in codes and hmtx[order[gid]][0] == 0:
                hmtx[order[gid]] = own_hmtx[name]   # a blank glyph used there (a space)
        base.setGlyphOrder(order)
        glyf.glyphOrder = order
        for name, target in copied:
            glyph = program["glyf"][name]
            if glyph.isComposite():
                for component in glyph.components:
                    if component.glyphName not in rename:
                        return None
                    component.glyphName = rename[component.glyphName]
            glyf.glyphs[target] = glyph
            hmtx[target] = program["hmtx"][name]
    base["post"].formatType = 3.0     # no glyph names: the PDF addresses glyphs by id
    for tag in PER_GLYPH_TABLES:
        if tag in base:
            del base[tag]
    return base


def _distinct(programs: list[TTFont], used: list[set[int]]) -> tuple[list[TTFont], list[set[int]]]:
    """Each program once (fonts whose programs are the same bytes share one, ``merge_faces``), in
    the order first met, with the glyphs of every font that embeds it."""
    order, codes = [], {}
    for program, own in zip(programs, used):
        if id(program) not in codes:
            order.append(program)
            codes[id(program)] = set()
        codes[id(program)] |= own
    return order, [codes[id(program)] for program in order]


def _merge(pdf: pikepdf.Pdf, fonts: list, programs: list[TTFont]) -> bool:
    """Make ``fonts[0]`` the one font of the group; False (nothing changed) if it cannot be."""
    widths = [_widths(_descendant(font)) for font in fonts]
    maps = [_to_unicode(font) for font in fonts]
    if any(w is None for w in widths) or any(m is None for m in maps):
        return False
    program = _join_programs(*_distinct(programs, [set(w) for w in widths]))
    if program is None:
        return False
    out = io.BytesIO()
    program.save(out)
    data = out.getvalue()
    all_widths: dict[int, object] = {}
    all_text: dict[int, str] = {}
    for own_widths, own_map in zip(widths, maps):
        for code, width in own_widths.items():
            all_widths.setdefault(code, width)
        for code, text in own_map.items():
            all_text.setdefault(code, text)
    digest = hashlib.sha256(data).digest()
    tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
    name = Name("/" + tag + "+" + SUBSET_TAG.sub("", str(fonts[0].BaseFont)[1:]))
    font, cid = fonts[0], _descendant(fonts[0])
    descriptor = cid.FontDescriptor
    descriptor.FontFile2 = pdf.make_stream(data, Length1=len(data))
    descriptor.FontName = cid.BaseFont = font.BaseFont = name
    boxes = [list(map(float, _descendant(f).FontDescriptor.FontBBox)) for f in fonts]
    descriptor.FontBBox = Array([min(b[0] for b in boxes), min(b[1] for b in boxes),
                                 max(b[2] for b in boxes), max(b[3] for b in boxes)])
    if "/CIDSet" in descriptor:
        bits = bytearray((max(all_widths) // 8) + 1)
        for code in all_widths:
            bits[code // 8] |= 0x80 >> (code % 8)
        descriptor.CIDSet = pdf.make_stream(bytes(bits))
    cid.W = _w_array(all_widths)
    font.ToUnicode = pdf.make_stream(_cmap(all_text))
    return True


def _font_dicts(pdf: pikepdf.Pdf) -> list[Dictionary]:
    """The ``/Font`` dictionaries of every resource dictionary the pages use: their own, their
    forms' and patterns' (nested), their annotations' appearances. A font is drawn only through
    these; walking them, not every object of a book's PDF (tens of thousands of tags), is what
    keeps the merge cheap. A font named elsewhere would keep its own copy: still a valid PDF."""
    found: list[Dictionary] = []
    seen: set = set()

    def visit(resources, depth: int = 0) -> None:
        if not isinstance(resources, Dictionary) or depth > 8:
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if isinstance(fonts, Dictionary):
            found.append(fonts)
        for group in ("/XObject", "/Pattern"):
            members = resources.get(group)
            for member in members.values() if isinstance(members, Dictionary) else ():
                if isinstance(member, (Dictionary, pikepdf.Stream)):
                    visit(member.get("/Resources"), depth + 1)

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", None) or ():
            appearances = annot.get("/AP") if isinstance(annot, Dictionary) else None
            for state in appearances.values() if isinstance(appearances, Dictionary) else ():
                forms = state.values() if isinstance(state, Dictionary) and not isinstance(state, pikepdf.Stream) \
                    else [state]
                for form in forms:
                    if isinstance(form, pikepdf.Stream):
                        visit(form.get("/Resources"), 1)
    return found


def _face_of(font) -> tuple | None:
    """The face a font embeds (``_face``), read from its ``head`` table alone; None if unreadable."""
    try:
        data = _descendant(font).FontDescriptor.FontFile2.read_bytes()
        return _face(font, TTFont(io.BytesIO(data), lazy=True))
    except (TTLibError, KeyError, AssertionError, ValueError, pikepdf.PdfError, struct.error):
        return None


def merge_faces(pdf: pikepdf.Pdf) -> int:
    """Embed each face of ``pdf`` once (see the module's docstring); the fonts removed.

    The fonts are grouped by their ``head`` tables, and only one group's programs are decoded
    at a time: a book's pieces embed dozens of subsets, whose glyphs, all decoded at once,
    took more memory than the rest of the join."""
    groups: dict[tuple, list] = defaultdict(list)
    faces: dict[tuple, tuple | None] = {}
    font_dicts = _font_dicts(pdf)
    fonts_used = {font.objgen: font for fonts in font_dicts for font in fonts.values()
                  if isinstance(font, Dictionary) and font.is_indirect}
    for obj in fonts_used.values():
        if not _mergeable(obj):
            continue
        stream = _descendant(obj).FontDescriptor.FontFile2
        if stream.objgen not in faces:
            faces[stream.objgen] = _face_of(obj)
        if faces[stream.objgen] is not None:
            groups[faces[stream.objgen]].append(obj)
    replaced = {}
    for fonts in groups.values():
        if len(fonts) < 2:
            continue
        programs: dict[tuple, TTFont | None] = {}
        # the pieces of a book embed one subset many times over (a 45-chapter text: 276 subsets,
        # 70 of them different): each read once and merged once, its copies pointed at the merged font
        read: dict[bytes, TTFont | None] = {}
        for font in fonts:
            stream = _descendant(font).FontDescriptor.FontFile2
            if stream.objgen not in programs:
                try:
                    data = stream.read_bytes()
                except pikepdf.PdfError:
                    programs[stream.objgen] = None
                    continue
                digest = hashlib.sha256(data).digest()
                if digest not in read:
                    read[digest] = _program(data)
                programs[stream.objgen] = read[digest]
        members = [(font, programs[_descendant(font).FontDescriptor.FontFile2.objgen]) for font in fonts]
        members = [(font, program) for font, program in members if program is not None]
        if len(members) < 2:
            continue
        kept = [font for font, _ in members]
        if _merge(pdf, kept, [program for _, program in members]):
            replaced.update({font.objgen: kept[0] for font in kept[1:]})
        del programs, members   # this face's glyphs: not kept while the next face is decoded
    for fonts in font_dicts:
        for name, font in list(fonts.items()):
            if isinstance(font, Dictionary) and font.is_indirect and font.objgen in replaced:
                fonts[name] = replaced[font.objgen]
    return len(replaced)
