"""``edition review --overrule`` for paragraph breaks, page breaks, headings and units (issue 19).

Each test finds the decision it overrules in the TEI first (lxml: a paragraph begun at a page
start, a page break, a question heading, two apps of one paragraph), overrules it from the
terminal, and checks that the text's rules file gained exactly that entry (read back with
tomllib; the rest of the file unchanged), that the TEI now says what the editor decided and
marks it as the editor's (``resp="#ed"``, declared in the header), that ``--check`` stays
clean and the TEI valid, and that undo puts every file back byte for byte.
"""

from __future__ import annotations

import tomllib

import pytest
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


@pytest.fixture()
def root(tmp_path):
    return copy_project(tmp_path)





def rules_of(root, text_id: str) -> str:
    return (root / "rules" / f"{text_id}.toml").read_text(encoding="utf-8")


def overrule(root, ident: str, value: str) -> None:
    result = run(root, "review", "--overrule", ident, value)
    assert result.exit_code == 0, result.output


def lb(root_element, n: int):
    return next(e for e in root_element.iter(f"{TEI}lb") if e.get("n") == str(n) and e.get("edRef") is None)


def lines_before(element) -> list[int]:
    """The witness lines of the <lb>s before ``element`` in its paragraph."""
    return [int(e.get("n")) for e in element.itersiblings(preceding=True) if e.tag == f"{TEI}lb"]


def edited(element) -> str:
    """The element's text as the edition reads it: the lemmas, not the other readings."""
    return "".join(element.xpath(".//text()[not(ancestor::t:rdg)]", namespaces={"t": TEI[1:-1]}))


def checked_and_undone(root, before: dict, actions: int = 1) -> None:
    assert run(root, "ingest", "--check").exit_code == 0
    assert run(root, "collate", "--check").exit_code == 0
    result = run(root, "validate")
    assert result.exit_code == 0, result.output
    for _ in range(actions):
        assert run(root, "review", "--undo").exit_code == 0
    assert snapshot(root) == before


def test_remove_then_add_a_paragraph_break_at_a_page_start(root):
    before, rules = snapshot(root), rules_of(root, SINGLE)
    # a paragraph the TEI begins at a page start, unsure of it (cert="low", the tool's)
    p = next(p for p in tei(root, SINGLE).iter(f"{TEI}p") if p.get("cert") == "low")
    first = int(p.find(f"{TEI}lb").get("n"))
    previous = p.getprevious()
    while previous.tag != f"{TEI}p":
        previous = previous.getprevious()
    last = max(int(e.get("n")) for e in previous.iter(f"{TEI}lb"))
    assert p.get("resp") == "#tool.edition"
    decision = one(ledger(root, kind="paragraph"), line=first)
    assert decision["value"] == "break" and decision["certainty"] == "low"

    overrule(root, decision["id"], "continue")
    data = tomllib.loads(rules_of(root, SINGLE))
    assert data["paragraphs"]["continue_after"] == [*tomllib.loads(rules)["paragraphs"]["continue_after"], last]
    assert data["paragraphs"]["break_before"] == tomllib.loads(rules)["paragraphs"]["break_before"]
    assert f"review: {decision['id']} overrules paragraph" in rules_of(root, SINGLE)
    # the two paragraphs are one now; the line that began the second is marked as the editor's
    line = lb(tei(root, SINGLE), first)
    assert line.getparent().tag == f"{TEI}p" and last in lines_before(line)
    assert line.get("resp") == "#ed"
    now = one(ledger(root, kind="paragraph"), id=decision["id"])
    assert (now["value"], now["review"]) == ("continue", "overruled")

    # and back: a break where the text now runs on (the same decision, overruled again)
    overrule(root, decision["id"], "break")
    data = tomllib.loads(rules_of(root, SINGLE))
    assert data["paragraphs"]["continue_after"] == tomllib.loads(rules)["paragraphs"]["continue_after"]
    assert data["paragraphs"]["break_before"] == [*tomllib.loads(rules)["paragraphs"]["break_before"], first]
    assert f'{decision["id"]} overrules paragraph at {decision["source"]}:{first}: the tool had "break"' \
        in rules_of(root, SINGLE)
    line = lb(tei(root, SINGLE), first)
    assert lines_before(line) == [] and line.getparent().get("resp") == "#ed"
    assert line.getparent().get("cert") is None          # the editor settled it
    checked_and_undone(root, before, actions=2)


def test_add_a_paragraph_break_where_the_text_runs_on_over_a_page(root):
    before = snapshot(root)
    # a page break inside a paragraph, not inside a word (no break="no")
    doc = tei(root, SINGLE)
    pb = next(pb for pb in doc.iter(f"{TEI}pb") if pb.getparent().tag == f"{TEI}p" and pb.get("break") is None
              and pb.getnext() is not None and pb.getnext().tag == f"{TEI}lb")
    first = int(pb.getnext().get("n"))
    decision = one(ledger(root, kind="paragraph"), line=first)
    assert decision["value"] == "continue"
    overrule(root, decision["id"], "break")
    data = tomllib.loads(rules_of(root, SINGLE))
    assert first in data["paragraphs"]["break_before"]
    line = lb(tei(root, SINGLE), first)
    assert lines_before(line) == [] and line.getparent().tag == f"{TEI}p"
    assert line.getparent().get("resp") == "#ed"
    checked_and_undone(root, before)


def test_move_a_page_break(root):
    before, rules = snapshot(root), rules_of(root, SINGLE)
    doc = tei(root, SINGLE)
    # a page break directly before a line inside a paragraph, and the paragraph's next line
    pb = next(pb for pb in doc.iter(f"{TEI}pb") if pb.getparent().tag == f"{TEI}p" and pb.get("break") is None
              and pb.getnext() is not None and pb.getnext().tag == f"{TEI}lb" and int(pb.get("n")) > 5)
    at = int(pb.getnext().get("n"))
    to = next(int(e.get("n")) for e in pb.getnext().itersiblings() if e.tag == f"{TEI}lb")
    number = pb.get("n")
    decision = one(ledger(root, kind="page-break"), line=at)
    assert str(to) in decision["choices"]

    overrule(root, decision["id"], str(to))
    after = rules_of(root, SINGLE)
    assert after.startswith(rules)
    assert tomllib.loads(after)["overrule"] == [{"id": decision["id"], "kind": "page-break", "value": str(to),
                                                 "at": f"{decision['source']}:{at}"}]
    assert f"# review: overrules page-break at {decision['source']}:{at}" in after
    doc = tei(root, SINGLE)
    moved = [pb for pb in doc.iter(f"{TEI}pb") if pb.get("n") == number]
    assert len(moved) == 1 and moved[0].getnext().get("n") == str(to) and moved[0].get("resp") == "#ed"
    assert lb(doc, at).getprevious() is None or lb(doc, at).getprevious().tag != f"{TEI}pb"
    now = one(ledger(root, kind="page-break"), id=decision["id"])
    assert (now["value"], now["review"], now["line"]) == (str(to), "overruled", at)
    # a line past the next page break is refused, and nothing changes
    kept = snapshot(root)
    assert "[E505]" in run(root, "review", "--overrule", decision["id"], str(at + 400)).output
    assert snapshot(root) == kept
    checked_and_undone(root, before)


def test_heading_level_unmake_and_make(root):
    before, rules = snapshot(root), rules_of(root, SINGLE)
    doc = tei(root, SINGLE)
    # the third question heading of the letter, and the division before it
    heads = [h for h in doc.iter(f"{TEI}head") if h.get("rendition") == "#doubled-bold"]
    head = heads[2]
    div, previous = head.getparent(), head.getparent().getprevious()
    assert previous.tag == f"{TEI}div" and div.getparent() is previous.getparent()
    line = int(head.find(f"{TEI}lb").get("n"))
    decision = one(ledger(root, kind="heading"), line=line)
    assert decision["value"] == "1"

    overrule(root, decision["id"], "2")          # inside the question before it
    doc = tei(root, SINGLE)
    div_now = next(d for d in doc.iter(f"{TEI}div") if d.get(XML_ID) == div.get(XML_ID))
    assert div_now.getparent().get(XML_ID) == previous.get(XML_ID)
    assert div_now.find(f"{TEI}head").get("resp") == "#ed"
    assert tomllib.loads(rules_of(root, SINGLE))["overrule"] == [
        {"id": decision["id"], "kind": "heading", "value": "2", "at": f"{decision['source']}:{line}"}]

    overrule(root, decision["id"], "0")          # not a heading: a paragraph of the question before
    doc = tei(root, SINGLE)
    assert div.get(XML_ID) not in {d.get(XML_ID) for d in doc.iter(f"{TEI}div")}
    holder = lb(doc, line).getparent()
    assert holder.tag == f"{TEI}p" and holder.get("resp") == "#ed"
    assert holder.getparent().get(XML_ID) == previous.get(XML_ID)
    assert [o["value"] for o in tomllib.loads(rules_of(root, SINGLE))["overrule"]] == ["0"]   # replaced, not added
    assert 'the tool had "1"' in rules_of(root, SINGLE)   # what the tool had, not the editor's level 2
    assert one(ledger(root, kind="heading"), id=decision["id"])["value"] == "0"

    overrule(root, decision["id"], "1")          # made a heading again
    doc = tei(root, SINGLE)
    head_now = lb(doc, line).getparent()
    assert head_now.tag == f"{TEI}head" and head_now.getparent().get(XML_ID) == div.get(XML_ID)
    assert rules_of(root, SINGLE).startswith(rules)
    checked_and_undone(root, before, actions=3)


def test_merge_and_split_units(root):
    before, rules = snapshot(root), rules_of(root, COLLATED)
    doc = tei(root, COLLATED)
    # a paragraph with at least two apps: the first is merged with the next
    p = next(p for p in doc.iter(f"{TEI}p") if len(p.findall(f"{TEI}app")) >= 2)
    apps = p.findall(f"{TEI}app")
    first, second = apps[0], apps[1]
    decision = one(ledger(root, kind="unit"), target=first.get(XML_ID))
    assert "merge" in decision["choices"]

    def lemma(app) -> str:
        return "".join(app.find(f"{TEI}lem").itertext())

    between = (first.tail or "") + "".join(
        "".join(e.itertext()) + (e.tail or "") for e in first.itersiblings() if e is not second
        and second in list(e.itersiblings()))
    expected = lemma(first) + between + lemma(second)

    overrule(root, decision["id"], "merge")
    after = rules_of(root, COLLATED)
    assert after.startswith(rules)
    assert tomllib.loads(after)["overrule"] == [{"id": decision["id"], "kind": "unit", "value": "merge",
                                                 "at": f"{decision['source']}:{decision['line']}"}]
    p_now = next(e for e in tei(root, COLLATED).iter(f"{TEI}p") if e.get(XML_ID) == p.get(XML_ID))
    merged = p_now.findall(f"{TEI}app")
    assert len(merged) == len(apps) - 1
    assert merged[0].get(XML_ID) == first.get(XML_ID) and merged[0].get("resp") == "#ed"
    assert " ".join(lemma(merged[0]).split()) == " ".join(expected.split())
    now = one(ledger(root, kind="unit"), id=decision["id"])
    assert now["review"] == "overruled" and "split" in now["choices"]

    # split what the editor merged: the overrule is taken out, the units are the tool's again
    overrule(root, decision["id"], "split")
    assert rules_of(root, COLLATED) == rules
    p_now = next(e for e in tei(root, COLLATED).iter(f"{TEI}p") if e.get(XML_ID) == p.get(XML_ID))
    assert [lemma(a) for a in p_now.findall(f"{TEI}app")] == [lemma(a) for a in apps]
    assert p_now.find(f"{TEI}app").get("resp") is None
    checked_and_undone(root, before, actions=2)


def test_split_a_unit_the_merge_rules_joined(root):
    before, rules = snapshot(root), rules_of(root, COLLATED)
    decision = next(e for e in ledger(root, kind="unit") if "split" in e["choices"])
    pieces = int(decision["reason"].split("; ")[-1].split()[0])        # "…; 2 pieces joined by [merge]"
    doc = tei(root, COLLATED)
    app = next(a for a in doc.iter(f"{TEI}app") if a.get(XML_ID) == decision["target"])
    holder = app.getparent()
    count, text = len(holder.findall(f"{TEI}app")), edited(holder)

    overrule(root, decision["id"], "split")
    after = rules_of(root, COLLATED)
    assert after.startswith(rules) and tomllib.loads(after)["overrule"][0]["value"] == "split"
    holder_now = next(e for e in tei(root, COLLATED).iter(holder.tag) if e.get(XML_ID) == holder.get(XML_ID))
    # as many apps more as pieces were joined, the same words (the common text between them now outside)
    assert len(holder_now.findall(f"{TEI}app")) == count + pieces - 1
    assert " ".join(edited(holder_now).split()) == " ".join(text.split())
    assert next(a for a in holder_now.iter(f"{TEI}app") if a.get(XML_ID) == decision["target"]).get("resp") == "#ed"
    checked_and_undone(root, before)


def test_accept_marks_the_decision_as_the_editors(root):
    before = snapshot(root)
    p = next(p for p in tei(root, SINGLE).iter(f"{TEI}p") if p.get("cert") == "low")
    first = int(p.find(f"{TEI}lb").get("n"))
    decision = one(ledger(root, kind="paragraph"), line=first)
    unreviewed = sum(1 for e in ledger(root) if e["review"] == "unreviewed")
    result = run(root, "review", "--accept", decision["id"])
    assert result.exit_code == 0, result.output
    doc = tei(root, SINGLE)
    p_now = lb(doc, first).getparent()
    assert (p_now.get("resp"), p_now.get("cert")) == ("#ed", None)
    # the editor is declared with that id; the tool's other decisions stay the tool's
    ns = {"t": TEI[1:-1]}
    assert doc.xpath("//t:titleStmt/t:respStmt[@xml:id='ed']", namespaces=ns)
    assert doc.xpath("//t:appInfo/t:application[@xml:id='tool.edition']", namespaces=ns)
    others = [e for e in doc.iter(f"{TEI}p") if e.get("cert") == "low"]
    assert others and all(e.get("resp") == "#tool.edition" for e in others)
    assert sum(1 for e in ledger(root) if e["review"] == "unreviewed") == unreviewed - 1
    checked_and_undone(root, before)


def test_overrules_of_the_new_kinds_written_by_hand_are_checked(root):
    single, collated = root / "rules" / f"{SINGLE}.toml", root / "rules" / f"{COLLATED}.toml"
    text_single, text_collated = single.read_text(encoding="utf-8"), collated.read_text(encoding="utf-8")
    page = next(e for e in ledger(root, kind="page-break", text=SINGLE) if e["line"] > 100)
    heading = next(e for e in ledger(root, kind="heading", text=SINGLE) if e["choices"])
    unit = next(e for e in ledger(root, kind="unit") if not e["choices"])

    def block(entry, value):
        return f'\n[[overrule]]\nid = "{entry["id"]}"\nkind = "{entry["kind"]}"\nvalue = "{value}"\n'

    single.write_text(text_single + block(page, page["line"] + 900), encoding="utf-8")
    result = run(root, "ingest", SINGLE)
    assert result.exit_code == 1 and "[E509]" in result.output
    single.write_text(text_single + block(heading, "sub"), encoding="utf-8")
    result = run(root, "ingest", SINGLE)
    assert result.exit_code == 1 and "[E510]" in result.output
    collated.write_text(text_collated + block(unit, "split"), encoding="utf-8")
    result = run(root, "collate", COLLATED)
    assert result.exit_code == 1 and "[E512]" in result.output
