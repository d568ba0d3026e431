"""The witnesses of a TEI text: who they are, and what each one reads.

In: a parsed TEI tree. Out: the declared witnesses (``witnesses_of``: xml:id and siglum), their
descriptions in words (``describe_witness``), whether the apparatus is in parallel
segmentation, and each witness's text rebuilt from the TEI alone (``witness_texts``): the
witness's readings (``lem``/``rdg`` whose ``@wit`` names it), the common text, its paratext
(elements whose ``@source`` names a witness), its line starts (``<lb edRef="#SIGLUM" n="LINE"/>``,
with ``rend="indent-…"`` for indentation, see ``indent_code``, and ``join-…`` for the space
between words that the witness's line break stands for: that whitespace, just before the
``<lb>`` in the text, is not in the line it ends) and its extent
(``<measure unit="line" quantity="N"/>``); line numbers that no ``<lb>`` claims are blank lines.
For the witnesses ``edition collate`` encoded, the result is byte-identical to the source file.
A document without line starts for a witness still gives its text, one block a line.
"""

from __future__ import annotations

import re
from itertools import groupby

from lxml import etree

from edition.tei.maker import MIXED
from edition.tei.text import plain_text
from edition.tei.vocabulary import NEVER_TEXT, NOTES, TEXT_BLOCKS
from edition.tei.xmlio import NSMAP, TEI_NS, XML_ID, local_name


def indent_code(value: str, kind: str = "indent") -> str:
    """``rend`` token of a line's leading whitespace: ``indent-2s`` (two spaces), ``-1t`` a tab.

    With ``kind="join"``: the whitespace that a line start stands for (``join-1s``): the text
    before it holds that whitespace for the witnesses whose lines run on there, and this
    witness's line ends instead (its rebuilt text drops it before the line break)."""
    parts = []
    for char, run in groupby(value):
        code = {" ": "s", "\t": "t"}.get(char, f"u{ord(char):04x}")
        parts.append(f"{len(list(run))}{code}")
    return f"{kind}-" + "-".join(parts)


def decode_indent(rend: str | None, kind: str = "indent") -> str:
    """The whitespace an ``indent-…`` (or ``join-…``) token stands for ('' for no or another rend)."""
    for token in (rend or "").split():
        if token.startswith(f"{kind}-"):
            out = []
            for part in token[len(kind) + 1:].split("-"):
                match = re.fullmatch(r"(\d+)(s|t|u[0-9a-f]{4,6})", part)
                if match:
                    code = match.group(2)
                    char = " " if code == "s" else "\t" if code == "t" else chr(int(code[1:], 16))
                    out.append(char * int(match.group(1)))
            return "".join(out)
    return ""



# Not a witness's words: notes, metadata, forme work, and descriptions of figures.
_SKIP = NOTES | NEVER_TEXT | {"figDesc"}


def witnesses_of(root: etree._Element) -> list[tuple[str, str]]:
    """(xml:id, siglum) of each witness in the ``listWit`` (the siglum it declares: ``siglum_of``)."""
    return [(witness.get(XML_ID), siglum_of(witness))
            for witness in root.xpath("//tei:listWit//tei:witness[@xml:id]", namespaces=NSMAP)]


def is_parallel_segmentation(root: etree._Element) -> bool:
    """True when the document declares (or plainly uses) parallel-segmentation apparatus."""
    declared = root.xpath("//tei:variantEncoding/@method", namespaces=NSMAP)
    if declared:
        return declared[0] == "parallel-segmentation"
    return bool(root.xpath("//tei:text//tei:app", namespaces=NSMAP))


def _refs(value: str | None) -> set[str]:
    return {v.lstrip("#") for v in (value or "").split()}


class _Witness:
    """What one walk gathers for one witness: its lines by number, and its blocks (fallback)."""

    __slots__ = ("lines", "blocks", "current")

    def __init__(self):
        self.lines: dict[int, list[str]] = {}
        self.blocks: list[list[str]] = []
        self.current: list[str] | None = None


def witness_texts(root: etree._Element) -> dict[str, tuple[str, bool]]:
    """The text of every witness (by xml:id), in one walk of ``<text>``; the flag says whether
    the witness has line starts (else its text is given one block a line)."""
    ids = [w for w, _ in witnesses_of(root)]
    every = frozenset(ids)
    state = {w: _Witness() for w in ids}

    def walk(element: etree._Element, mixed: bool, active: frozenset) -> None:
        name = local_name(element)
        if name in _SKIP or not name:
            return
        if name in ("lem", "rdg"):
            active = active & _reading_wits(element, name, every)
        source = _refs(element.get("source"))
        if source & every:
            active = active & source        # a witness's own paratext
        if not active:
            return
        if name == "lb":
            for wit in active & _refs(element.get("edRef")):
                record = state[wit]
                n = element.get("n", "")
                # An editor's @n may not be a line number ("12a"): then it is the next line.
                number = int(n) if n.isdigit() else max(record.lines, default=0) + 1
                _drop_joined(record.current, decode_indent(element.get("rend"), "join"))
                record.current = record.lines.setdefault(number, [])
                record.current.append(decode_indent(element.get("rend")))
            return
        if name in TEXT_BLOCKS and not mixed:
            for wit in active:
                state[wit].blocks.append([])
        mixed = mixed or name in MIXED
        if mixed and element.text:
            emit(element.text, active)
        for child in element:
            walk(child, mixed, active)
            if mixed and child.tail:
                emit(child.tail, active)

    def emit(value: str, active: frozenset) -> None:
        for wit in active:
            record = state[wit]
            if record.current is not None:
                record.current.append(value)
            if record.blocks:
                record.blocks[-1].append(value)

    text = root.find(f"{{{TEI_NS}}}text")
    if text is not None and ids:
        walk(text, False, every)
    result = {}
    for wit, record in state.items():
        if not record.lines:
            blocks = ("".join(b).strip() for b in record.blocks)
            result[wit] = ("\n\n".join(b for b in blocks if b) + "\n", False)
            continue
        count = max(record.lines)
        for measure in root.xpath(f"//tei:listWit//tei:witness[@xml:id='{wit}']//tei:measure[@unit='line']/@quantity",
                                  namespaces=NSMAP):
            count = max(count, int(measure))
        result[wit] = ("\n".join("".join(record.lines.get(n, ())) for n in range(1, count + 1)), True)
    return result


def _drop_joined(line: list[str] | None, joined: str) -> None:
    """The whitespace a line start stands for is not in the line it ends (``join-…``)."""
    if line is not None and joined:
        text = "".join(line)
        if text.endswith(joined):
            line[:] = [text[: len(text) - len(joined)]]


def _reading_wits(element: etree._Element, name: str, every: frozenset) -> frozenset:
    """The witnesses of a lemma or reading; a lemma without @wit has those no reading names."""
    if element.get("wit"):
        return frozenset(_refs(element.get("wit")))
    if name == "rdg":
        return frozenset()
    named = set()
    for sibling in element.itersiblings():
        named |= _refs(sibling.get("wit"))
    for sibling in element.itersiblings(preceding=True):
        named |= _refs(sibling.get("wit"))
    return every - named


def witness_text(root: etree._Element, wit: str) -> tuple[str, bool]:
    """The text of one witness (its xml:id); see ``witness_texts``."""
    return witness_texts(root)[wit]



BIBL_PARTS = ("author", "editor", "title", "publisher", "pubPlace", "date", "biblScope", "edition")


def describe_bibl(bibl) -> str:
    """A readable one-line reference from a ``bibl``: author, title, publisher, place, date."""
    parts = [plain_text(c) for c in bibl if isinstance(c.tag, str) and local_name(c) in BIBL_PARTS]
    if not parts:
        # No title, date …: what the bibl holds (a file name, an extent), each part set apart
        # ("a.txt, 1716 lines", never "a.txt1716 lines"), its notes after them as sentences.
        children = [c for c in bibl if isinstance(c.tag, str)]
        held = [(bibl.text or "").strip()] + [plain_text(c).strip() + (c.tail or "").rstrip()
                                               for c in children if local_name(c) != "note"]
        notes = [plain_text(c).strip() for c in children if local_name(c) == "note"]
        return ". ".join(filter(None, [", ".join(p for p in held if p)] + notes)).rstrip(".")
    return ", ".join(p.rstrip(".,") if p[-1:] in ".," else p for p in parts if p)


def describe_witness(witness) -> str:
    """A witness in words: its bibliographic reference and its description notes."""
    bibl = witness.find("tei:bibl", NSMAP)
    if bibl is None and not len(witness):
        return plain_text(witness)
    pieces = [describe_bibl(bibl) + "."] if bibl is not None else []
    pieces += [plain_text(n) for n in witness.xpath("tei:note[@type='description' or @type='copy-text' or not(@type)]",
                                                    namespaces=NSMAP)]
    return " ".join(p for p in pieces if p) or plain_text(witness)


def siglum_of(element: etree._Element) -> str:
    """The siglum a witness (or a ``bibl``, ``msDesc`` named by ``@wit``) declares for itself:
    ``<idno type="siglum">``, then ``@n``, then ``<abbr type="siglum">`` (or a lone ``<abbr>``
    child), else its ``xml:id``; read in its own markup, not in nested witnesses'."""
    for found in (_own(element, ".//tei:idno[@type='siglum']"), [element.get("n")] if element.get("n") else [],
                  _own(element, "tei:abbr[@type='siglum']") or _own(element, "tei:abbr")):
        for item in found:
            text = item if isinstance(item, str) else plain_text(item)
            if text.strip():
                return " ".join(text.split())
    return element.get(XML_ID) or ""


def _own(element: etree._Element, xpath: str) -> list:
    """What ``xpath`` finds in ``element`` but not inside a witness nested in it."""
    found = []
    for item in element.xpath(xpath, namespaces=NSMAP):
        above = item.getparent()
        while above is not None and above is not element and local_name(above) != "witness":
            above = above.getparent()
        if above is element:
            found.append(item)
    return found


class Sigla:
    """The printed siglum of each pointer of ``@wit`` (``#MSK`` → what ``MSK`` declares): the
    element the pointer names, through ``siglum_of``; a bare siglum or one naming nothing in
    the file stays as it is written (without ``#``)."""

    def __init__(self, root: etree._Element):
        self.by_id = {el.get(XML_ID): el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
        self._cache: dict[str, str] = {}

    def of(self, token: str) -> str:
        """One pointer's siglum."""
        key = token.removeprefix("#")
        if key not in self._cache:
            target = self.by_id.get(key)
            self._cache[key] = (siglum_of(target) or key) if target is not None else key
        return self._cache[key]

    def all(self, value: str | None) -> list[str]:
        """Every siglum of a pointer attribute (``"#A #B"`` → ``["A", "B"]``)."""
        return [self.of(token) for token in (value or "").split()]

    def is_witness(self, token: str) -> bool:
        """True when the pointer names a witness of the file."""
        target = self.by_id.get(token.lstrip("#"))
        return target is not None and local_name(target) == "witness"
