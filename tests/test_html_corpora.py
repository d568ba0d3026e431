"""Every third-party TEI file in ../shared/corpora renders with all its text and apparatus.

The expected words are read from the TEI itself (every text node of ``<text>`` outside the
elements the behaviour table omits), not from a list; warnings may only be W601 (an element
the table does not know).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml
from test_text_spacing import EDGE, resolve_edges

from edition.render.behaviours import rule_for
from edition.render.html import render_text
from edition.tei.document import Document
from edition.tei.xmlio import local_name

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FILES = sorted(CORPORA.glob("*/*.xml")) if CORPORA.is_dir() else []
WORD = re.compile(r"\w+")


INLINE = {"inline", "content", "link", "anchor", "choice", "break", "alternate"}
SHOWN = ("corr", "reg", "expan")   # what a reading text shows of a <choice>
ELEMENT_ONLY = {"app", "rdgGrp", "choice", "subst"}   # TEI content models of elements only


def expected_text(text_el: etree._Element) -> str:
    """The text a reader must find: joined at ``break="no"``, without omitted elements.

    Words of different blocks, notes, readings and choice options are kept apart (they are
    apart on the page); inline markup joins (``capi<hi>tal</hi>`` is one word).
    """
    out: list[str] = []
    elsewhere: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        rule = rule_for(el)
        name = local_name(el)
        if name in ("lb", "pb", "cb"):
            if el.get("break") == "no":
                while out and not out[-1].strip():
                    out.pop()
                if out:
                    out[-1] = out[-1].rstrip()
            elif name == "lb":   # a page break alone does not end a word
                out.append(" ")
            return
        if rule is not None and rule.behaviour == "omit":
            return
        if name == "gap":   # shown as […]: the words on either side stay apart
            out.append(" ")
            return
        if name in ("note", "witDetail"):   # listed after the text (witDetail in its apparatus entry)
            elsewhere.append(" " + expected_text(el) + " ")
            return
        if name == "space":
            out.append(" ")
            return
        if name == "choice":   # the editorial form is read in the text, the others apart
            options = [c for c in el if isinstance(c.tag, str)]
            shown = next((c for c in options if local_name(c) in SHOWN), options[0] if options else None)
            for option in options:
                if option is shown:
                    walk(option)
                else:
                    elsewhere.append(" " + expected_text(option) + " ")
            return
        if name == "rdg":   # in the text only the lemma is read (or, without one, the first reading)
            parent = el.getparent()
            readings = parent.xpath("tei:lem | tei:rdg | tei:rdgGrp/tei:rdg",
                                    namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
            if readings and readings[0] is not el or local_name(parent) == "rdgGrp":
                elsewhere.append(" " + expected_text(el) + " ")
                return
        apart = rule is None or rule.behaviour not in INLINE
        if apart:
            out.append(" ")
        # TEI: white space alone directly in an element of element-only content lays out the
        # file and is not text (``sarva<app>⏎<lem>-śatrūṇāṁ`` is one word)
        layout = name in ELEMENT_ONLY
        if el.text and not (layout and not el.text.strip()):
            out.append(el.text)
        elif name == "app" and el.text:
            out.append(EDGE)   # a layout space at the unit's edge: a word space between two words
        joining = False        # after break="no", across an empty mark, up to the next letter
        for child in el:
            walk(child)
            empty = isinstance(child.tag, str) and not len(child) and not (child.text or "").strip()
            joining = local_name(child) in ("lb", "pb", "cb") and child.get("break") == "no" or joining and empty
            tail = child.tail or ""
            if joining:
                tail = tail.lstrip()
                joining = not tail
            if tail and not (layout and not tail.strip()):
                out.append(tail)
            elif name == "app" and tail and child is el[-1]:
                out.append(EDGE)
        if apart:
            out.append(" ")

    if local_name(text_el) in ("note", "rdg", "sic", "orig", "abbr", "corr", "reg", "expan", "seg", "unclear"):
        if text_el.text:
            out.append(text_el.text)
        for child in text_el:
            walk(child)
            if child.tail:
                out.append(child.tail)
    else:
        walk(text_el)
    return resolve_edges("".join(out)) + " " + "".join(elsewhere)


def rendered_words(rendered) -> set[str]:
    """The words search and readers see: without controls, plus the other forms of a choice."""
    page = lhtml.fragment_fromstring(rendered.body + f"<ul>{rendered.notes_html}</ul>"
                                     f"<ol>{rendered.apparatus_html}</ol>", create_parent="div")
    titles = " ".join(el.get("title", "") for el in page.find_class("choice"))
    for el in page.xpath("//*[@data-pagefind-ignore]"):
        el.drop_tree()
    return set(WORD.findall(page.text_content() + " " + titles))


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_corpus_file_renders_all_its_text_and_apparatus(path):
    doc = Document.load(path)
    rendered = render_text(doc)

    assert all(d.code == "W601" for d in rendered.diagnostics), [d.format() for d in rendered.diagnostics]
    for d in rendered.diagnostics:
        assert d.path and d.line, d.format()

    words = rendered_words(rendered)
    expected = set()
    for text in doc.xpath("tei:text"):
        expected |= set(WORD.findall(expected_text(text)))
    missing = sorted(expected - words)
    assert not missing, f"{len(missing)} words missing, e.g. {missing[:15]}"

    body = lhtml.fragment_fromstring(rendered.body, create_parent="div")
    apps = doc.xpath("tei:text//tei:app")
    standoff = [a for a in apps if rule_for(a).behaviour == "apparatus-entry"]
    inline = [a for a in apps if rule_for(a).behaviour == "alternate"]
    assert len(body.find_class("app")) == len(inline)
    assert rendered.app_count == len(inline)
    assert len(body.find_class("app-entry")) == len(standoff)
    entries = lhtml.fragment_fromstring(f"<ol>{rendered.apparatus_html}</ol>", create_parent="div")
    for app in inline:
        readings = app.xpath("tei:rdg | tei:rdgGrp//tei:rdg", namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
        if app.get("{http://www.w3.org/XML/1998/namespace}id"):
            entry = entries.get_element_by_id("apparatus:" + app.get("{http://www.w3.org/XML/1998/namespace}id"))
            assert len(entry.find_class("ae-rdg")) == len(readings)


@pytest.mark.skipif(not FILES, reason="../shared/corpora is not there")
def test_corpus_notes_are_all_listed():
    for path in FILES:
        doc = Document.load(path)
        rendered = render_text(doc)
        assert rendered.note_count == len(doc.xpath("tei:text//tei:note")), path.name
