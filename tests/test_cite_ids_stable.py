"""Passage ids are stable: a paragraph added in one division changes no id in the others.

Two ways: (1) an editor edits a copy of a TEI file (a new paragraph in one division) and
rebuilds; (2) a witness gains a paragraph and ``edition ingest`` derives the ids again. In both,
every passage of the other divisions keeps its reference, its text, its HTML anchor, its
text marker and its DTS document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cite_fixture import build_outputs, make_project
from lxml import etree

from edition.citation.refs import citation_tree, load_text, passage_text
from edition.project import load_project

DTS = "https://w3id.org/api/dts#"


def snapshot(root: Path, text_id: str) -> dict[str, dict]:
    """For every passage: its division, text, HTML anchor presence, text-marker line, DTS content."""
    project = load_project(root)
    doc = load_text(project, text_id)
    page = (root / "build/html" / f"{text_id}.html").read_text(encoding="utf-8")
    txt = (root / "build/txt" / f"{text_id}.txt").read_text(encoding="utf-8").splitlines()
    markers = {m.group(1): line for line in txt if (m := re.match(r"\{#([^}]+)\} ", line))}
    found = {}
    for passage in citation_tree(doc).passages():
        # the divisions this passage lies in or holds: an edit in any of them may change it
        scope = set(passage.element.xpath("ancestor-or-self::*[local-name()='div']/@xml:id"
                                          " | .//*[local-name()='div']/@xml:id"))
        dts = root / "build/html/dts/document" / text_id / f"{passage.ref}.xml"
        wrapper = etree.parse(str(dts)).find(f"{{{DTS}}}wrapper")
        found[passage.ref] = {
            "scope": scope,
            "text": passage_text(passage.element),
            "anchor": f'id="{passage.anchor}"' in page,
            "marker": markers.get(passage.anchor),
            # witness line numbers (lb/@n) move when the witness gains lines; the rest may not
            "dts": re.sub(rb'(<lb[^>]*?) n="\d+"', rb"\1", etree.tostring(wrapper[0], with_tail=False)),
        }
    return found


def unchanged_outside(before: dict, after: dict, division: str) -> None:
    others = {ref: facts for ref, facts in before.items() if division not in facts["scope"]}
    assert others, "the test needs passages outside the edited division"
    for ref, facts in others.items():
        assert ref in after, f"{ref} disappeared"
        assert after[ref] == facts, f"{ref} changed"


def test_a_paragraph_added_to_a_tei_copy_changes_no_other_division(tmp_path):
    root = make_project(tmp_path / "ed")
    build_outputs(root, ["txt", "html"], force=True)
    before = snapshot(root, "alpha-letter")
    tei = root / "tei/alpha-letter.xml"
    text = tei.read_text(encoding="utf-8")
    # The editor inserts a paragraph at the head of division q1 and numbers q1's paragraphs
    # again, as the conventions say (numbering restarts in each division).
    text = text.replace('xml:id="q1.p2"', 'xml:id="q1.p3"').replace('xml:id="q1.p1"', 'xml:id="q1.p2"')
    text = text.replace('<head xml:id="q1.head">The lamp</head>',
                        '<head xml:id="q1.head">The lamp</head>\n          '
                        '<p xml:id="q1.p1"><lb n="9"/>A new first paragraph about the lamp room.</p>')
    tei.write_text(text, encoding="utf-8")
    build_outputs(root, ["txt", "html"])
    after = snapshot(root, "alpha-letter")
    unchanged_outside(before, after, "q1")
    assert after["q1.p1"]["text"] == "A new first paragraph about the lamp room."
    assert after["q1.p2"]["text"] == before["q1.p1"]["text"]
    assert after["q1.p1"]["anchor"] and after["q1.p3"]["marker"]
    # the static DTS has the new passage and no stale file was left behind
    nav = json.loads((root / "build/html/dts/navigation/alpha-letter/q1;down=1.json").read_text(encoding="utf-8"))
    assert [u["identifier"] for u in nav["member"]] == ["q1.head", "q1.p1", "q1.p2", "q1.p3"]


STORY = """Chapter 1

The first paragraph of the first chapter
runs over two lines.

The second paragraph of the first chapter.
{insert}
Chapter 2

The first paragraph of the second chapter.

The second paragraph of the second chapter.

Chapter 3

The only paragraph of the third chapter.
"""
RULES = """[metadata]
title = "A Story in Chapters"
language = "en"

[headings]
shape = true

[[heading]]
match = '^Chapter (\\d+)$'
id = "c{1}"
type = "chapter"
n = "{1}"
"""


def test_ingest_derives_the_same_ids_outside_the_division_that_grew(tmp_path):
    pytest.importorskip("edition.ingest")
    from edition.ingest import run_ingest

    root = tmp_path / "story"
    for folder in ("sources", "rules", "tei"):
        (root / folder).mkdir(parents=True)
    (root / "edition.toml").write_text(
        '[edition]\ntitle = "Stability"\nbase_url = "https://s.example.org/"\noutputs = ["txt", "html"]\n\n'
        '[[text]]\nid = "story"\nsource = "sources/story.txt"\nrules = "rules/story.toml"\n', encoding="utf-8")
    (root / "rules/story.toml").write_text(RULES, encoding="utf-8")
    witness = root / "sources/story.txt"

    def ingest_and_build(insert: str) -> dict:
        witness.write_text(STORY.format(insert=insert), encoding="utf-8")
        project = load_project(root)
        assert run_ingest(project, ["story"], echo=lambda *a, **k: None) == 0
        build_outputs(root, ["txt", "html"])
        return snapshot(root, "story")

    before = ingest_and_build("")
    assert {"c1.p1", "c1.p2", "c2.p1", "c2.p2", "c3.p1"} <= set(before)
    after = ingest_and_build("\nA paragraph added at the end of the first chapter.\n")
    unchanged_outside(before, after, "c1")
    assert after["c1.p3"]["text"] == "A paragraph added at the end of the first chapter."


def test_our_refs_decl_makes_every_reference_the_units_xml_id(tmp_path):
    """So the HTML anchor, the PDF destination and the text marker need no mapping."""
    project = load_project(make_project(tmp_path / "ed"))
    for text_id in ("alpha-letter", "beta-collated"):
        tree = citation_tree(load_text(project, text_id))
        assert tree.declared
        assert [p.ref for p in tree.passages()] == [p.xml_id for p in tree.passages()]
