"""The review of lost text (``<gap>``), repeated paragraphs (``<surplus>``), the headings of a
collated text, and a doubled heading an editor makes a paragraph (issue 19).

Each test finds what it reviews in the TEI or the witness first (lxml, the witness's own lines),
then accepts or overrules it from the terminal and checks what the editor's decision left: the
entry ``rules/reviewed.toml`` or the text's rules gained, the attribute of the TEI element that
states the decision, and, for the doubled heading, the HTML the reader gets.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from lxml import html as lhtml
from review_project import (
    COLLATED,
    SINGLE,
    TEI,
    XML_ID,
    copy_project,
    ledger,
    one,
    run,
    snapshot,
    tei,
)

from edition.render.html import render_text
from edition.tei.document import Document

REPEATING = "molecular-process-part-four"      # its third paragraph repeats its standfirst
NS = {"t": TEI[1:-1]}


@pytest.fixture()
def root(tmp_path):
    return copy_project(tmp_path)





def accept(root, ident: str) -> None:
    result = run(root, "review", "--accept", ident)
    assert result.exit_code == 0, result.output


def accepted(root) -> list[dict]:
    return tomllib.loads((root / "rules" / "reviewed.toml").read_text(encoding="utf-8"))["accepted"]


def undone(root, before: dict) -> None:
    assert run(root, "ingest", "--check").exit_code == 0
    assert run(root, "collate", "--check").exit_code == 0
    assert run(root, "review", "--undo").exit_code == 0
    assert snapshot(root) == before


def line_before(element) -> str:
    return element.xpath("preceding::t:lb[1]", namespaces=NS)[0].get("n")


def test_a_gap_is_the_tools_until_an_editor_accepts_it(root):
    # as the rules confirm it ([[gap]] after line 50): the editor's
    gap = next(tei(root, SINGLE).iter(f"{TEI}gap"))
    assert (line_before(gap), gap.get("cert"), gap.get("resp")) == ("50", None, "#ed")
    # without that entry, only inferred (a capital opens the next page): the tool's, uncertain
    path = root / "rules" / f"{SINGLE}.toml"
    rules = path.read_text(encoding="utf-8")
    block = re.search(r"\n\[\[gap\]\]\nafter_line = 50\n(?:(?!\[).+\n)*", rules).group(0)
    path.write_text(rules.replace(block, "\n"), encoding="utf-8")
    assert run(root, "ingest", SINGLE).exit_code == 0
    gap = next(tei(root, SINGLE).iter(f"{TEI}gap"))
    assert (line_before(gap), gap.get("cert"), gap.get("resp")) == ("50", "low", "#tool.edition")
    decision = one(ledger(root, kind="hyphen"), line=50)
    assert decision["value"] == "gap" and decision["certainty"] == "low"

    before = snapshot(root)
    accept(root, decision["id"])
    gap = next(tei(root, SINGLE).iter(f"{TEI}gap"))
    assert (line_before(gap), gap.get("cert"), gap.get("resp")) == ("50", None, "#ed")
    assert accepted(root) == [{"id": decision["id"], "text": SINGLE, "kind": "hyphen",
                               "at": f"{decision['source']}:50"}]
    undone(root, before)


def test_a_repeated_paragraph_is_a_decision_an_editor_accepts(root):
    surplus = next(tei(root, REPEATING).iter(f"{TEI}surplus"))
    words = "".join(surplus.itertext())
    line = int(surplus.getparent().find(f"{TEI}lb").get("n"))
    assert surplus.get("resp") is None and surplus.get("reason") == "repeated"   # the tool's, sure
    decision = one(ledger(root, kind="surplus"), line=line)
    assert (decision["text"], decision["value"], decision["choices"]) == (REPEATING, "repeated", [])
    # its evidence: the witness line, which begins with the repeated words
    lines = dict(decision["lines"])
    assert lines[line].startswith(words[:40])

    before = snapshot(root)
    accept(root, decision["id"])
    surplus_now = next(tei(root, REPEATING).iter(f"{TEI}surplus"))
    assert (surplus_now.get("resp"), surplus_now.get("corresp")) == ("#ed", surplus.get("corresp"))
    assert "".join(surplus_now.itertext()) == words
    assert accepted(root) == [{"id": decision["id"], "text": REPEATING, "kind": "surplus",
                               "at": f"{decision['source']}:{line}"}]
    assert one(ledger(root, kind="surplus"), line=line)["review"] == "accepted"
    undone(root, before)


def test_the_headings_of_a_collated_text_are_decisions(root):
    doc = tei(root, COLLATED)
    heads = list(doc.find(f"{TEI}text/{TEI}body").iter(f"{TEI}head"))
    assert heads
    found = [e for e in ledger(root, kind="heading") if e["text"] == COLLATED]
    assert [e["target"] for e in found] == [h.get(XML_ID) for h in heads]
    witness = (root / found[0]["source"]).read_text(encoding="utf-8").split("\n")
    for entry, head in zip(found, heads):
        # the copy-text's line (its first <lb>) holds the heading's words; one division deep
        assert entry["line"] == int(head.find(f"{TEI}lb").get("n"))
        assert witness[entry["line"] - 1].split() == "".join(head.itertext()).split()
        assert entry["value"] == "1" and entry["choices"] == [] and entry["rule"].startswith("[structure]")

    before = snapshot(root)
    accept(root, found[1]["id"])
    heads_now = list(tei(root, COLLATED).find(f"{TEI}text/{TEI}body").iter(f"{TEI}head"))
    assert [h.get("resp") for h in heads_now] == [None, "#ed"] + [None] * (len(heads) - 2)
    assert accepted(root) == [{"id": found[1]["id"], "text": COLLATED, "kind": "heading",
                               "at": f"{found[1]['source']}:{found[1]['line']}"}]
    undone(root, before)


def test_a_doubled_heading_made_a_paragraph_keeps_the_bold(root):
    doc = tei(root, SINGLE)
    head = next(h for h in doc.iter(f"{TEI}head") if h.get("rendition") == "#doubled-bold")
    line = int(head.find(f"{TEI}lb").get("n"))
    words = "".join(head.itertext()).split()
    # the witness prints the line in bold, which its extraction doubled: "QQuueessttiioonn  11.."
    raw = (root / "sources" / f"{SINGLE}.txt").read_text(encoding="utf-8").split("\n")[line - 1]
    assert raw.split()[0] == "".join(c * 2 for c in words[0])
    decision = one(ledger(root, kind="heading"), line=line)

    before = snapshot(root)
    result = run(root, "review", "--overrule", decision["id"], "0")
    assert result.exit_code == 0, result.output
    doc = tei(root, SINGLE)
    p = next(e for e in doc.iter(f"{TEI}lb") if e.get("n") == str(line)).getparent()
    assert p.tag == f"{TEI}p" and "".join(p.itertext()).split() == words
    assert (p.get("rendition"), p.get("resp")) == ("#doubled-bold", "#ed")
    assert doc.xpath("//t:tagsDecl/t:rendition[@xml:id='doubled-bold']", namespaces=NS)
    # the reader's page shows it in bold, as the source prints it
    body = lhtml.fragment_fromstring(render_text(Document.load(root / "tei" / f"{SINGLE}.xml")).body,
                                     create_parent="div")
    shown = next(e for e in body.iter("p") if e.get("id") == p.get(XML_ID))
    assert "bold" in shown.get("class").split() and " ".join(words) in " ".join(shown.text_content().split())
    result = run(root, "validate")
    assert result.exit_code == 0, result.output
    undone(root, before)
