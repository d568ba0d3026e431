"""An independent reading of a TEI file's apparatus and notes, for the semantic checks.

Written with lxml only (nothing of ``edition`` is imported): each ``<app>``'s readings as a
reader must find them (the reading's words, what a pointer stands for, or *om.* for a reading
with nothing in it) with the sigla the witnesses declare, and each note's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NOT_WORDS = {"note", "witDetail", "certainty", "link", "linkGrp", "fw", "interp", "interpGrp", "figDesc",
             "listRelation", "relation", "spanGrp", "teiHeader", "alt", "altGrp"}
ELEMENT_ONLY = {"app", "rdgGrp", "choice", "subst"}
PREFERRED = ("corr", "reg", "expan")


def name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def squash(text: str) -> str:
    return "".join(text.split())


@dataclass
class Reading:
    text: str            # the words, without white space ("om." for an empty reading)
    sigla: tuple[str, ...]


class TeiReading:
    """The facts of one TEI file (see module doc)."""

    def __init__(self, path):
        self.root = etree.parse(str(path)).getroot()
        self.ids = {el.get(XML_ID): el for el in self.root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}

    def siglum(self, token: str) -> str:
        """What the element a @wit token names declares as its siglum (idno, @n, abbr, else id)."""
        key = token.removeprefix("#")
        el = self.ids.get(key)
        if el is None:
            return key
        idno = [i for i in el.iter(f"{TEI}idno") if i.get("type") == "siglum"]
        if idno and squash("".join(idno[0].itertext())):
            return " ".join("".join(idno[0].itertext()).split())
        if el.get("n"):
            return el.get("n")
        abbr = el.find(f"{TEI}abbr[@type='siglum']")
        abbr = abbr if abbr is not None else el.find(f"{TEI}abbr")
        if abbr is not None and squash("".join(abbr.itertext())):
            return " ".join("".join(abbr.itertext()).split())
        return key

    def words(self, el) -> str:
        """An element's words as shown: no notes, a nested unit's base reading, a choice's
        editorial form, pointers resolved; white space removed (spacing is checked elsewhere)."""
        out: list[str] = []

        def walk(node) -> None:
            n = name(node)
            if n in NOT_WORDS:
                return
            if n == "app":
                base = next((c for c in node.iter(f"{TEI}lem")), None)
                base = base if base is not None else next(node.iter(f"{TEI}rdg"), None)
                if base is not None:
                    walk(base)
                return
            if n == "choice":
                kids = [c for c in node if isinstance(c.tag, str)]
                pick = next((c for c in kids if name(c) in PREFERRED), kids[0] if kids else None)
                if pick is not None:
                    walk(pick)
                return
            if n == "gap":
                out.append("[…]")
                return
            if n in ("ptr", "ref") and node.get("target") and not squash("".join(node.itertext())):
                out.append(self.pointer(node))
                return
            if node.get("corresp") and not len(node) and not squash(node.text or "") and n != "note":
                # an empty reference (<bibl corresp="#MS"/>) names what it stands for
                out.append("".join(self.siglum(t) for t in node.get("corresp").split()))
            out.append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    walk(child)
                out.append(child.tail or "")

        walk(el)
        return squash("".join(out))

    def pointer(self, node) -> str:
        target = node.get("target").split()[0]
        inside = any(name(a) in ("lem", "rdg") for a in node.iterancestors())
        el = self.ids.get(target[1:]) if target.startswith("#") else None
        if el is not None and name(el) == "witness":
            return self.siglum(target)
        if el is not None and inside and self.words(el):
            return self.words(el)
        if inside:
            return f"reading given elsewhere (→ {target.lstrip('#')})"
        return ""   # a link: its label is the renderer's; not compared

    def has_words(self, rdg) -> bool:
        return bool(squash("".join(rdg.itertext()))) or any(
            name(c) == "gap" or name(c) in ("ptr", "ref") and c.get("target") for c in rdg.iter())

    def apps(self) -> list[list[Reading]]:
        """Every <app> in the text: its readings (``rdg``, in reading groups too)."""
        found = []
        for app in self.root.iter(f"{TEI}app"):
            if not any(name(a) == "text" for a in app.iterancestors()):
                continue
            readings = []
            for rdg in in_var_seq(app, [r for r in app.iter(f"{TEI}rdg")
                                        if next((a for a in r.iterancestors(f"{TEI}app")), None) is app]):
                text = squash(self.words(rdg)) if self.has_words(rdg) else "om."
                # the witnesses, then the sources of the reading (an edition, a scholar)
                tokens = (rdg.get("wit") or "").split() + (rdg.get("source") or "").split()
                readings.append(Reading(text, tuple(self.siglum(t) for t in tokens)))
            found.append(readings)
        return found

    def notes(self) -> list[str]:
        """Every note of the text, as words without white space; a note holding an empty link
        (``<ref target="#x"/>``, whose label the renderer makes) is left to other checks."""
        return [self.words_of_note(n) for n in self.root.iter(f"{TEI}note")
                if any(name(a) == "text" for a in n.iterancestors())
                and not any(name(c) in ("ref", "ptr") and not squash("".join(c.itertext())) for c in n.iter())]

    def words_of_note(self, note) -> str:
        out = [note.text or ""]
        for child in note:
            if isinstance(child.tag, str) and name(child) not in NOT_WORDS:
                out.append(self.words(child))
            out.append(child.tail or "")
        return squash("".join(out))


def in_var_seq(app, rdgs: list) -> list:
    """The readings as an apparatus lists them: in ``@varSeq`` order where the TEI gives one
    (those without it after them), the first reading kept first when the unit has no lemma."""
    if not any(r.get("varSeq") for r in rdgs):
        return rdgs
    has_lem = app.find(f"{TEI}lem") is not None or app.find(f"{TEI}rdgGrp/{TEI}lem") is not None
    head = [] if has_lem else rdgs[:1]
    rest = [r for r in rdgs if r not in head]
    return head + sorted(rest, key=lambda r: (0, int(r.get("varSeq"))) if (r.get("varSeq") or "").isdigit() else (1, 0))


def html_entries(fragment) -> list[list[Reading]]:
    """The apparatus entries of the rendered HTML: each reading's words and sigla."""
    out = []
    for entry in fragment.xpath("//*[contains(concat(' ', @class, ' '), ' app-entry ')]"):
        readings = []
        for rdg in entry.xpath(".//*[contains(concat(' ', @class, ' '), ' ae-rdg ')]"):
            text_el = rdg.xpath(".//*[contains(concat(' ', @class, ' '), ' ae-text ')]")[0]
            text = squash(_shown(text_el))
            text = re.sub(r"^add\.", "", text) if text != "add." else text
            sigla = tuple(" ".join(s.text_content().split())
                          for s in rdg.xpath("./*[contains(concat(' ', @class, ' '), ' sig ')]"))
            readings.append(Reading(text, sigla))
        out.append(readings)
    return out


def _shown(el) -> str:
    copy = etree.fromstring(etree.tostring(el))
    for hidden in copy.xpath(".//*[contains(concat(' ', @class, ' '), ' noteref ') or "
                             "contains(concat(' ', @class, ' '), ' alt ') or "
                             "contains(concat(' ', @class, ' '), ' app-mark ') or "
                             "contains(concat(' ', @class, ' '), ' surplus-mark ') or "
                             "contains(concat(' ', @class, ' '), ' pb ')]"):
        hidden.getparent().remove(hidden) if hidden.tail is None else _drop(hidden)
    return "".join(copy.itertext())


def _drop(el) -> None:
    parent = el.getparent()
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (el.tail or "")
    else:
        parent.text = (parent.text or "") + (el.tail or "")
    parent.remove(el)
