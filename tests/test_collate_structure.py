"""The structure of a collated text by the packaged [structure] rules: chapters, volumes and
letters are headings; dialogue and short sentences are not; a title page's other lines are
front matter; an article without chapter patterns still has its section titles.

The texts are invented here; the headings are read back from the written TEI with lxml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.collate.rules import CollatedTextRules, load_collation_rules
from edition.collate.run import collate_to_tei
from edition.collate.structure import structure_summary
from edition.diagnostics import EditionError
from edition.tei.witnesses import witness_text
from edition.tei.xmlio import NSMAP

NOVEL = """THE GREY HARBOUR

A TALE.

IN TWO VOLUMES.

VOLUME I

LETTER I

To my sister.

We reached the harbour in the evening.

CHAPTER I.

"Yes."

"Are these Germans?"

Are these Germans?

No.

He turned away

Silence

CHAPTER II. THE STORM

The wind rose before dawn.

VOLUME II

CHAPTER III

Chapter seven was the one she liked best.

XII.

It ended there.
"""
ARTICLE = """A Short Report

The strike began on Monday.

The first days

"Why now?"

Workers met in the square.

What comes next?
"""


def collate(tmp_path: Path, a: str, b: str, structure: str = "") -> etree._Element:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir(exist_ok=True)
    if structure:
        (rules_dir / "collation.toml").write_text(structure, encoding="utf-8")
    crules = load_collation_rules(rules_dir)
    texts = [("A", tmp_path / "a.txt", a), ("B", tmp_path / "b.txt", b)]
    tei, _, witnesses = collate_to_tei("t", texts, crules, CollatedTextRules(path=None), {"title": "T"})
    root = etree.fromstring(tei)
    assert witness_text(root, "A")[0] == a and witness_text(root, "B")[0] == b
    return root


def heads(root) -> list[tuple[str, str]]:
    return [(h.getparent().get("type"), " ".join("".join(h.itertext()).split()))
            for h in root.xpath("//tei:body//tei:head", namespaces=NSMAP)]


def test_only_the_chapters_of_a_novel_are_headings(tmp_path):
    root = collate(tmp_path, NOVEL, NOVEL.replace("evening", "night"))
    assert heads(root) == [("volume", "VOLUME I"), ("letter", "LETTER I"), ("chapter", "CHAPTER I."),
                           ("chapter", "CHAPTER II. THE STORM"), ("volume", "VOLUME II"), ("chapter", "CHAPTER III"),
                           ("chapter", "XII.")]
    # Chapters and letters sit in their volume.
    assert root.xpath("//tei:div[@type='volume'][2]/tei:div/@type", namespaces=NSMAP) == ["chapter", "chapter"]
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in root.xpath("//tei:body//tei:p", namespaces=NSMAP)]
    for line in ('"Yes."', '"Are these Germans?"', "Are these Germans?", "No.", "He turned away", "Silence",
                 "Chapter seven was the one she liked best."):
        assert line in paragraphs, line
    # The title page: the first block is the title, the rest before the first heading front matter.
    assert root.xpath("string(//tei:front//tei:titlePart)", namespaces=NSMAP).strip() == "THE GREY HARBOUR"
    front = [" ".join("".join(p.itertext()).split())
             for p in root.xpath("//tei:front/tei:div[@type='front-matter']/tei:p", namespaces=NSMAP)]
    assert front == ["A TALE.", "IN TWO VOLUMES."]


def test_the_summary_says_what_was_found(tmp_path):
    from edition.collate.normalise import Normaliser
    from edition.collate.witness import read_witness

    crules = load_collation_rules(tmp_path)
    witness = read_witness("A", tmp_path / "a.txt", NOVEL, [], crules, Normaliser(crules),
                           structure=crules.table("structure"))
    assert structure_summary(witness.blocks) == ('structure: title "THE GREY HARBOUR"; 2 front-matter blocks; '
                                                 "headings: 2 volumes, 1 letter, 4 chapters")


def test_an_article_keeps_its_short_line_headings_but_not_its_dialogue(tmp_path):
    root = collate(tmp_path, ARTICLE, ARTICLE.replace("Monday", "Tuesday"))
    assert heads(root) == [("section", "The first days"), ("section", "What comes next?")]


def test_short_line_headings_can_be_switched_off(tmp_path):
    root = collate(tmp_path, ARTICLE, ARTICLE, '[structure]\nshort_line_headings = "never"\n')
    assert heads(root) == []


def test_a_heading_rule_without_a_level_is_an_error(tmp_path):
    (tmp_path / "collation.toml").write_text('[structure]\nheadings = [{ pattern = "^PART", type = "part" }]\n',
                                             encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        load_collation_rules(tmp_path)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E445"
    assert diagnostic.message == ("a [structure] headings entry needs pattern, type and a level of 1 or more: "
                                  "{'pattern': '^PART', 'type': 'part'}")


def test_an_unknown_choice_is_an_error_at_its_line(tmp_path):
    (tmp_path / "collation.toml").write_text('[structure]\n\nshort_line_headings = "sometimes"\n', encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        load_collation_rules(tmp_path)
    assert caught.value.diagnostics[0].format().endswith(
        "collation.toml:3: error[E413] [structure] short_line_headings must be one of unless-patterns, always, "
        "never, not 'sometimes'")


WRAPPED = """A Wrapped Text

The morning came slowly over the grey roofs of the town, and the
fishermen who had waited all night by the harbour wall went home at
last.

The wind is cold,
The sea is wide,
We wait for you
On the other side.
"""


def test_wrapped_lines_are_a_paragraph_and_short_lines_verse(tmp_path):
    root = collate(tmp_path, WRAPPED, WRAPPED.replace("slowly", "slow"))
    (paragraph,) = root.xpath("//tei:body//tei:p", namespaces=NSMAP)
    assert " ".join("".join(paragraph.xpath(".//text()[not(ancestor::tei:rdg)]", namespaces=NSMAP)).split()) \
        .startswith("The morning came slowly over the grey roofs")
    assert len(paragraph.xpath("tei:lb[@edRef='#A']", namespaces=NSMAP)) == 3
    lines = root.xpath("//tei:body//tei:lg/tei:l", namespaces=NSMAP)
    assert [" ".join("".join(l.itertext()).split()) for l in lines] == [
        "The wind is cold,", "The sea is wide,", "We wait for you", "On the other side."]


def test_a_text_wrapped_differently_gives_line_starts_not_units(tmp_path):
    rewrapped = WRAPPED.replace("town, and the\nfishermen", "town, and\nthe fishermen") \
        .replace("went home at\nlast.", "went\nhome at last.")
    root = collate(tmp_path, WRAPPED, rewrapped)       # (collate checks both rebuilds byte for byte)
    (paragraph,) = root.xpath("//tei:body//tei:p", namespaces=NSMAP)
    assert paragraph.xpath(".//tei:app", namespaces=NSMAP) == []
    # Where one witness runs on and the other breaks its line, the text has the space and the
    # breaking witness's line start says that it stands for it.
    joins = [(lb.get("edRef"), lb.get("n"), lb.get("rend"), lb.getprevious().tail if lb.getprevious() is not None
              else paragraph.text) for lb in paragraph.xpath("tei:lb[@rend]", namespaces=NSMAP)]
    assert [(wit, n, rend, before.split(" ")[-2:]) for wit, n, rend, before in joins] == [
        ("#B", "4", "join-1s", ["and", ""]), ("#A", "4", "join-1s", ["the", ""]),
        ("#B", "5", "join-1s", ["went", ""]), ("#A", "5", "join-1s", ["at", ""])]


def test_a_list_of_contents_is_front_matter_not_headings(tmp_path):
    contents = "THE GREY HARBOUR\n\nCONTENTS\n\nCHAPTER I.\n\nCHAPTER II. THE STORM\n\nCHAPTER III\n\n"
    novel = contents + NOVEL.split("\n\n", 1)[1]
    root = collate(tmp_path, novel, novel.replace("evening", "night"))
    assert [text for _, text in heads(root)][:3] == ["VOLUME I", "LETTER I", "CHAPTER I."]
    assert len(heads(root)) == 7
    front = [" ".join("".join(p.itertext()).split())
             for p in root.xpath("//tei:front/tei:div[@type='front-matter']/tei:p", namespaces=NSMAP)]
    assert front == ["CONTENTS", "CHAPTER I.", "CHAPTER II. THE STORM", "CHAPTER III", "A TALE.", "IN TWO VOLUMES."]


def test_a_word_of_roman_letters_is_no_chapter_number(tmp_path):
    novel = NOVEL.replace("It ended there.", "DID.\n\nIt ended there.")
    root = collate(tmp_path, novel, novel)
    assert [text for _, text in heads(root)][-1] == "XII."


def test_a_file_that_opens_with_a_chapter_heading_has_it_as_a_heading(tmp_path):
    # no title page: the first line is CHAPTER I, a heading by the rules, not the text's title
    opening = "CHAPTER I\n\nIt began in the evening.\n\nCHAPTER II\n\nIt ended at dawn.\n"
    root = collate(tmp_path, opening, opening.replace("evening", "night"))
    assert heads(root) == [("chapter", "CHAPTER I"), ("chapter", "CHAPTER II")]
    assert root.xpath("//tei:front//tei:titlePart", namespaces=NSMAP) == []
