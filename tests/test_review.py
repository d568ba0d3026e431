"""``edition review`` (issue 19): the decision ledger, accept, overrule, undo, on a copy of our project.

Each decision overruled is found in the TEI first (lxml): a hyphen the TEI joins, the note
reference it links with cert="low", an app it types orthographic. After the overrules the rules
files must hold exactly those entries (and be otherwise unchanged), the TEI must say what the
editor decided, ``ingest --check``/``collate --check`` stay clean, and undo puts every file back
byte for byte.
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
    joined_hyphen_line,
    ledger,
    one,
    orthographic_app,
    run,
    snapshot,
    tei,
    uncertain_note_ref,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("review"))




def test_every_kind_has_decisions_with_stable_ids(project):
    first = ledger(project)
    kinds = {e["kind"] for e in first}
    assert {"hyphen", "page-break", "paragraph", "note-link", "heading", "unit", "variant-type", "emendation"} <= kinds
    ids = [e["id"] for e in first]
    assert len(ids) == len(set(ids))
    # the same ids from a fresh run of the tools
    assert run(project, "ingest").exit_code == 0 and run(project, "collate").exit_code == 0
    assert [e["id"] for e in ledger(project)] == ids
    # as many variation units as the TEI has apps, each with its evidence and place
    apps = list(tei(project, COLLATED).iter(f"{TEI}app"))
    units = [e for e in first if e["kind"] == "variant-type"]
    assert sorted(e["target"] for e in units) == sorted(a.get(XML_ID) for a in apps)
    assert all(e["lines"] and e["rule"] and e["reason"] for e in first)
    # uncertain first
    certainties = [e["certainty"] for e in first]
    assert certainties.index("high") > certainties.index("low")


def test_overrule_three_decisions_then_undo(tmp_path):
    root = copy_project(tmp_path)
    before = snapshot(root)
    rules_single = (root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8")
    rules_collated = (root / "rules" / f"{COLLATED}.toml").read_text(encoding="utf-8")
    entries = ledger(root)

    line = joined_hyphen_line(root)
    hyphen = one(entries, kind="hyphen", line=line, text=SINGLE)
    assert hyphen["value"] == "join"
    ref_line, old_target = uncertain_note_ref(root)
    note = one(entries, kind="note-link", line=ref_line)
    new_note = next(c for c in note["choices"] if f"n{c}" != old_target.lstrip("#"))
    app_id = orthographic_app(root)
    vtype = one(entries, kind="variant-type", target=app_id)

    for ident, value in ((hyphen["id"], "keep"), (note["id"], new_note), (vtype["id"], "substantive")):
        result = run(root, "review", "--overrule", ident, value)
        assert result.exit_code == 0, result.output

    # the rules files gained exactly these entries, and nothing else changed in them
    after_single = (root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8")
    after_collated = (root / "rules" / f"{COLLATED}.toml").read_text(encoding="utf-8")
    assert after_single.startswith(rules_single) and after_collated.startswith(rules_collated)
    got = tomllib.loads(after_single)["overrule"] + tomllib.loads(after_collated)["overrule"]
    assert [(o["id"], o["value"]) for o in got] == [
        (hyphen["id"], "keep"), (note["id"], new_note), (vtype["id"], "substantive")]
    assert "overrules hyphen" in after_single and "the tool had \"join\"" in after_single

    # the TEI says what the editor decided
    lb = next(e for e in tei(root, SINGLE).iter(f"{TEI}lb") if e.get("n") == str(line + 1))
    previous = lb.getprevious()
    assert ((previous.tail if previous is not None else lb.getparent().text) or "").endswith("-")
    ref_targets = [r.get("target") for r in tei(root, SINGLE).iter(f"{TEI}ref")
                   if r.get("type") == "noteref" and
                   [e for e in r.itersiblings(preceding=True) if e.tag == f"{TEI}lb"][0].get("n") == str(ref_line)]
    assert ref_targets == [f"#n{new_note}"]
    app = next(a for a in tei(root, COLLATED).iter(f"{TEI}app") if a.get(XML_ID) == app_id)
    assert app.get("type") == "substantive"

    # the ledger knows them as overruled, with the same ids
    now = ledger(root)
    for ident in (hyphen["id"], note["id"], vtype["id"]):
        assert one(now, id=ident)["review"] == "overruled"
    assert run(root, "ingest", "--check").exit_code == 0
    assert run(root, "collate", "--check").exit_code == 0

    for _ in range(3):
        assert run(root, "review", "--undo").exit_code == 0
    assert snapshot(root) == before
    assert run(root, "review", "--undo").exit_code == 1      # E506: nothing left to undo


def test_accept_counts_down_and_undo(project):
    before = snapshot(project)
    unreviewed = [e for e in ledger(project) if e["review"] == "unreviewed"]
    result = run(project, "review", "--accept", unreviewed[0]["id"])
    assert result.exit_code == 0, result.output
    reviewed = tomllib.loads((project / "rules" / "reviewed.toml").read_text(encoding="utf-8"))
    assert [a["id"] for a in reviewed["accepted"]] == [unreviewed[0]["id"]]
    assert len([e for e in ledger(project) if e["review"] == "unreviewed"]) == len(unreviewed) - 1
    assert run(project, "review", "--undo").exit_code == 0
    assert snapshot(project) == before


def test_overrule_refused_for_an_edited_tei_and_nothing_changes(tmp_path):
    root = copy_project(tmp_path)
    path = root / "tei" / f"{SINGLE}.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<!-- checked --></body>"), encoding="utf-8")
    before = snapshot(root)
    line = joined_hyphen_line(root)
    hyphen = one(ledger(root), kind="hyphen", line=line, text=SINGLE)
    result = run(root, "review", "--overrule", hyphen["id"], "keep")
    assert result.exit_code == 1
    assert "[E507]" in result.output and "[E160]" in result.output
    assert snapshot(root) == before


def test_bad_overrules_are_refused(project):
    entries = ledger(project)
    emendation = next(e for e in entries if e["kind"] == "emendation")
    assert "[E504]" in run(project, "review", "--overrule", emendation["id"], "W").output
    page = next(e for e in entries if e["kind"] == "page-break")     # a page break moves a few lines only
    assert "[E505]" in run(project, "review", "--overrule", page["id"], str(page["line"] + 500)).output
    hyphen = next(e for e in entries if e["kind"] == "hyphen")
    assert "[E505]" in run(project, "review", "--overrule", hyphen["id"], "maybe").output
    assert "[E503]" in run(project, "review", "--accept", "hyphen-0000000000").output


def test_overrules_written_by_hand_are_checked(tmp_path):
    root = copy_project(tmp_path)
    entries = ledger(root)
    hyphen = next(e for e in entries if e["kind"] == "hyphen")
    vtype = next(e for e in entries if e["kind"] == "variant-type")
    single, collated = root / "rules" / f"{SINGLE}.toml", root / "rules" / f"{COLLATED}.toml"
    text_single, text_collated = single.read_text(encoding="utf-8"), collated.read_text(encoding="utf-8")

    single.write_text(text_single + '\n[[overrule]]\nid = "hyphen-0123456789"\nkind = "hyphen"\nvalue = "keep"\n',
                      encoding="utf-8")
    result = run(root, "ingest", SINGLE)
    assert result.exit_code == 0 and "[W500]" in result.output and "hyphen-0123456789" in result.output

    single.write_text(text_single + f'\n[[overrule]]\nid = "{hyphen["id"]}"\nvalue = "maybe"\n', encoding="utf-8")
    result = run(root, "ingest", SINGLE)
    assert result.exit_code == 1 and "[E500]" in result.output

    collated.write_text(text_collated + f'\n[[overrule]]\nid = "{vtype["id"]}"\nvalue = "lexical"\n', encoding="utf-8")
    result = run(root, "collate", COLLATED)
    assert result.exit_code == 1 and "[E502]" in result.output


def test_undo_refuses_to_lose_a_later_edit(project):
    before = snapshot(project)
    hyphen = next(e for e in ledger(project) if e["kind"] == "hyphen" and e["value"] == "join")
    assert run(project, "review", "--overrule", hyphen["id"], "keep").exit_code == 0
    rules = project / "rules" / f"{SINGLE}.toml"
    overruled = rules.read_bytes()
    rules.write_bytes(overruled + b"# the editor's own note\n")
    result = run(project, "review", "--undo")
    assert result.exit_code == 1 and "[E508]" in result.output
    assert rules.read_bytes() == overruled + b"# the editor's own note\n"
    rules.write_bytes(overruled)
    assert run(project, "review", "--undo").exit_code == 0
    assert snapshot(project) == before
