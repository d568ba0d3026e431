"""A collated TEI as a reledmac document: the baseline that ``bench_print`` times against.

In: a TEI file in parallel segmentation (``app`` with ``lem`` and ``rdg``, ``@wit``), notes
called by ``ref[@target]``. Out: LaTeX source for pdflatex with reledmac, set as close to our
print as the two tools allow: 156 × 234 mm, 11 pt, every fifth line numbered, the substantive
variants in series A and the accidentals (orthographic, punctuation, case) in series B, both
arranged in paragraphs, notes as familiar footnotes; each top-level division's head as a
heading paragraph. Only what the bench needs: other elements print their text.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ACCIDENTALS = {"orthographic", "punctuation", "case"}
_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}

PREAMBLE = r"""\documentclass[11pt]{book}
\usepackage[paperwidth=156mm,paperheight=234mm,top=20mm,bottom=22mm,inner=22mm,outer=24mm]{geometry}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[series={A,B},noend,noeledsec]{reledmac}
\Xarrangement[A]{paragraph}
\Xarrangement[B]{paragraph}
\firstlinenum{5}
\linenumincrement{5}
\begin{document}
"""


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in " ".join(text.split(" ")))


def _sigla(wit: str | None) -> str:
    return " ".join(w.lstrip("#") for w in (wit or "").split())


class _Writer:
    def __init__(self, root):
        self.notes = {n.get(XML_ID): n for n in root.iter(T + "note") if n.get(XML_ID)}

    def inline(self, el) -> str:
        """The element's content as LaTeX (its tail not included)."""
        out = [escape(el.text or "")]
        for child in el:
            out.append(self.element(child))
            out.append(escape(child.tail or ""))
        return "".join(out)

    def element(self, el) -> str:
        if not isinstance(el.tag, str):
            return ""
        if el.tag == T + "app":
            return self.app(el)
        if el.tag == T + "ref" and (el.get("target") or "").startswith("#"):
            note = self.notes.get(el.get("target")[1:])
            text = escape(" ".join("".join(note.itertext()).split())) if note is not None else ""
            return f"{self.inline(el)}\\footnoteA{{{text}}}"
        if el.tag in (T + "note", T + "rdg", T + "lb", T + "pb"):
            return ""
        return self.inline(el)

    def app(self, app) -> str:
        lem = app.find(T + "lem")
        lemma = self.inline(lem) if lem is not None else ""
        readings = []
        for rdg in app.findall(T + "rdg"):
            text = " ".join("".join(rdg.itertext()).split())
            readings.append(f"{escape(text) if text else 'om.'} \\textit{{{_sigla(rdg.get('wit'))}}}")
        series = "B" if app.get("type") in ACCIDENTALS else "A"
        entry = "; ".join(readings)
        if not lemma.strip():
            return f"\\edtext{{}}{{\\lemma{{add.}}\\{series}footnote{{{entry}}}}}"
        return f"\\edtext{{{lemma}}}{{\\{series}footnote{{{entry}}}}}"


def tei_to_reledmac(path: Path) -> str:
    """The LaTeX source (module doc)."""
    root = etree.parse(str(path)).getroot()
    writer = _Writer(root)
    body = root.find(f"{T}text/{T}body")
    out = [PREAMBLE, "\\beginnumbering\n"]
    for block in body.iter(T + "head", T + "p"):
        if block.tag == T + "head":
            out.append(f"\\pstart\\noindent\\textbf{{{writer.inline(block)}}}\\pend\n")
        else:
            out.append(f"\\pstart\n{writer.inline(block)}\n\\pend\n")
    out.append("\\endnumbering\n\\end{document}\n")
    return "".join(out)
