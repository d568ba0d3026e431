"""A book-length critical edition made from a small collated TEI, for the PDF bench and tests.

In: a collated TEI (parallel segmentation, two witnesses in ``listWit``, its body in ``div``s of
``p``s; by default the PDF tests' ``collated.xml``), how many chapters, and how dense the
apparatus and the notes are. Out: a TEI document (bytes) whose body holds ``chapters``
top-level ``div type="chapter"``s, each a copy of the source's paragraphs with its own ids, with
an ``app`` made on every ``app_every``-th word that no ``app`` holds yet (the four types in turn,
the lemma the base witness's word, the reading a variant of it) and a note referenced at the end
of every ``note_every``-th paragraph. The default makes ~1,500 entries in 11 chapters.

Run as a script: ``python bench/book_fixture.py OUT.xml [chapters] [app_every]``.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
SOURCE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pdf" / "collated.xml"
TYPES = ("substantive", "orthographic", "punctuation", "case")
WORD = re.compile(r"[A-Za-z]{3,}")


def _variant(word: str, kind: str) -> str:
    return {"substantive": "other", "orthographic": word + "e", "punctuation": word + ",",
            "case": word.upper()}[kind]


def _app(word: str, app_id: str, kind: str, base: str, other: str):
    app = etree.Element(T + "app", {XML_ID: app_id, "type": kind})
    lem = etree.SubElement(app, T + "lem", wit=f"#{base}")
    lem.text = word
    rdg = etree.SubElement(app, T + "rdg", wit=f"#{other}")
    rdg.text = _variant(word, kind)
    return app


class _Counter:
    def __init__(self):
        self.words = 0
        self.apps = 0


def _split_text(text: str, counter: _Counter, every: int, prefix: str, sigla: tuple[str, str]):
    """``text`` as a leading string and (app, tail) pairs: an app on every ``every``-th word."""
    out: list = []
    last = 0
    lead = None
    for match in WORD.finditer(text):
        counter.words += 1
        if counter.words % every:
            continue
        kind = TYPES[counter.apps % len(TYPES)]
        counter.apps += 1
        app = _app(match.group(), f"{prefix}g{counter.apps}", kind, *sigla)
        chunk = text[last:match.start()]
        if lead is None:
            lead = chunk
        else:
            out[-1].tail = chunk
        out.append(app)
        last = match.end()
    if lead is None:
        return text, []
    out[-1].tail = text[last:]
    return lead, out


def _add_apps(p, counter: _Counter, every: int, prefix: str, sigla: tuple[str, str]) -> None:
    """Wrap every ``every``-th word of the paragraph's own text (not inside an element) in an app."""
    lead, apps = _split_text(p.text or "", counter, every, prefix, sigla)
    p.text = lead
    for i, app in enumerate(apps):
        p.insert(i, app)
    for child in list(p):
        if child in apps:
            continue
        tail, more = _split_text(child.tail or "", counter, every, prefix, sigla)
        child.tail = tail
        anchor = child
        for app in more:
            anchor.addnext(app)
            anchor = app


def _renamed(element, prefix: str):
    """A copy of ``element`` with every id and internal pointer given ``prefix``."""
    element = copy.deepcopy(element)
    for el in element.iter():
        if el.get(XML_ID):
            el.set(XML_ID, prefix + el.get(XML_ID))
        for attr in ("target", "corresp"):
            if (el.get(attr) or "").startswith("#"):
                el.set(attr, "#" + prefix + el.get(attr)[1:])
    return element


def make_book(source: Path = SOURCE, chapters: int = 11, app_every: int = 11, note_every: int = 4,
              paragraphs: int | None = None) -> bytes:
    """The book (module doc), as TEI bytes; ``paragraphs``: only the source's first ones."""
    root = etree.parse(str(source)).getroot()
    sigla = tuple(w.get(XML_ID) for w in root.xpath("//t:listWit/t:witness", namespaces=NS))[:2]
    body = root.find(f"{T}text/{T}body")
    taken = body.xpath(".//t:div/t:p[not(t:ref)]", namespaces=NS)[:paragraphs]
    for div in list(body):
        body.remove(div)
    back = root.find(f"{T}text/{T}back")
    if back is not None:
        back.getparent().remove(back)
    back = etree.SubElement(root.find(f"{T}text"), T + "back")
    notes = etree.SubElement(back, T + "div", type="notes")
    counter = _Counter()
    n = 0
    for c in range(1, chapters + 1):
        div = etree.SubElement(body, T + "div", {XML_ID: f"ch{c}", "type": "chapter"})
        head = etree.SubElement(div, T + "head", {XML_ID: f"ch{c}.head"})
        head.text = f"Chapter {c}"
        for k, p in enumerate(taken):
            p = _renamed(p, f"ch{c}-")
            _add_apps(p, counter, app_every, f"ch{c}-", sigla)
            div.append(p)
            if (k + 1) % note_every == 0:
                n += 1
                ref = etree.SubElement(p, T + "ref", {"type": "noteref", "target": f"#bn{n}", XML_ID: f"bn{n}.r"})
                ref.text = f"({n})"
                note = etree.SubElement(notes, T + "note", {XML_ID: f"bn{n}", "n": str(n)})
                note.text = (f"Note {n}, in chapter {c}: a remark of the editors on this paragraph, "
                             "long enough to take a line and a half of the foot of the page.")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


if __name__ == "__main__":
    out = Path(sys.argv[1])
    args = [int(a) for a in sys.argv[2:4]]
    out.write_bytes(make_book(SOURCE, *args))
    tree = etree.parse(str(out))
    print(out, len(tree.xpath("//t:text//t:app", namespaces=NS)), "apps",
          len(tree.xpath("//t:body/t:div", namespaces=NS)), "chapters")
