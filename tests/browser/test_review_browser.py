"""The review page in Chromium (issue 19): three overrules by keyboard, their effects, and undo.

``edition serve`` runs on a copy of our project (HTML only, so the rebuilds are quick). On the
page the test overrules a hyphen the TEI joins (keep it), the note reference the TEI links with
cert="low" (link it to another note) and an app the TEI types orthographic (substantive), each
by ``o``, a value and Enter. Then: the rules files hold exactly those three ``[[overrule]]``
entries; the TEI (read with lxml) and the HTML text pages say what was decided; ``ingest
--check`` and ``collate --check`` are clean; three ``u`` put every file back byte for byte.
"""

from __future__ import annotations

import json
import time
import tomllib
import urllib.request

import pytest
from review_project import (
    COLLATED,
    SINGLE,
    TEI,
    XML_ID,
    copy_project,
    joined_hyphen_line,
    orthographic_app,
    run,
    tei,
    uncertain_note_ref,
)
from test_serve_live import Server


def kept_files(root) -> dict[str, bytes]:
    """The files the review may change: rules, TEI, the tool's record of its TEI, reports."""
    paths = [*root.glob("rules/*"), *root.glob("tei/*"), *root.glob("tei/.*"), *root.glob(".cache/written/*"),
             *root.glob("build/reports/*")]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(paths) if p.is_file()}


def wait_until(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    raise AssertionError("timed out")


def html_of(url: str, text_id: str) -> str:
    with urllib.request.urlopen(f"{url}{text_id}.html", timeout=30) as answer:
        return answer.read().decode("utf-8")


@pytest.fixture
def served(tmp_path):
    root = copy_project(tmp_path)
    project_file = root / "edition.toml"
    text = project_file.read_text(encoding="utf-8")
    project_file.write_text(text.replace('outputs = ["txt", "html", "pdf", "epub"]', 'outputs = ["html"]'),
                            encoding="utf-8")
    server = Server(root, fake=False)
    yield root, server.url
    server.stop()


def overrule_on_page(page, url: str, ident: str, value: str) -> None:
    page.goto(f"{url}review#{ident}")
    item = page.locator(f'[id="{ident}"]')
    assert "current" in item.get_attribute("class")
    page.keyboard.press("o")
    select = item.locator("select")
    select.select_option(value)
    with page.expect_navigation(timeout=60_000):
        select.press("Enter")
    page.locator(f'[id="{ident}"] .review-overruled').wait_for(timeout=30_000)


def test_three_overrules_on_the_review_page_then_undo(browser, served):
    root, url = served
    before = kept_files(root)
    rules_single = (root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8")
    with urllib.request.urlopen(f"{url}review/decisions.json", timeout=30) as answer:
        decisions = json.loads(answer.read())

    line = joined_hyphen_line(root)
    hyphen = next(d for d in decisions if d["kind"] == "hyphen" and d["text"] == SINGLE and d["line"] == line)
    ref_line, old_target = uncertain_note_ref(root)
    note = next(d for d in decisions if d["kind"] == "note-link" and d["line"] == ref_line)
    new_note = next(c for c in note["choices"] if f"#n{c}" != old_target)
    app_id = orthographic_app(root)
    vtype = next(d for d in decisions if d["kind"] == "variant-type" and d["target"] == app_id)

    page = browser.new_page()
    for ident, value in ((hyphen["id"], "keep"), (note["id"], new_note), (vtype["id"], "substantive")):
        overrule_on_page(page, url, ident, value)

    after_single = (root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8")
    assert after_single.startswith(rules_single)
    entries = [(o["id"], o["value"]) for name in (SINGLE, COLLATED)
               for o in tomllib.loads((root / "rules" / f"{name}.toml").read_text(encoding="utf-8")).get("overrule", [])]
    assert entries == [(hyphen["id"], "keep"), (note["id"], new_note), (vtype["id"], "substantive")]

    # the TEI: the hyphen kept before the line break, the reference relinked, the unit retyped
    lb = next(e for e in tei(root, SINGLE).iter(f"{TEI}lb") if e.get("n") == str(line + 1))
    before_lb = (lb.getprevious().tail if lb.getprevious() is not None else lb.getparent().text) or ""
    assert before_lb.endswith("-")
    word = before_lb.split()[-1] + (lb.tail or "").split()[0]
    refs = [r for r in tei(root, SINGLE).iter(f"{TEI}ref") if r.get("type") == "noteref"
            and [e for e in r.itersiblings(preceding=True) if e.tag == f"{TEI}lb"][0].get("n") == str(ref_line)]
    assert [r.get("target") for r in refs] == [f"#n{new_note}"]
    ref_id = refs[0].get(XML_ID)
    app = next(a for a in tei(root, COLLATED).iter(f"{TEI}app") if a.get(XML_ID) == app_id)
    assert app.get("type") == "substantive"

    # the HTML text pages, rebuilt by serve
    wait_until(lambda: f'id="{app_id}" class="app" data-type="substantive"' in html_of(url, COLLATED))
    wait_until(lambda: f'id="{ref_id}"' in html_of(url, SINGLE))
    page.goto(f"{url}{SINGLE}.html")
    assert page.locator(f'[id="{ref_id}"]').get_attribute("href") == f"#n{new_note}"
    assert word.strip(".,;:") in " ".join(page.locator("main").inner_text().split())

    assert run(root, "ingest", "--check").exit_code == 0
    assert run(root, "collate", "--check").exit_code == 0

    page.goto(f"{url}review")
    for _ in range(3):
        with page.expect_navigation(timeout=60_000):
            page.keyboard.press("u")
        page.wait_for_load_state()
    assert kept_files(root) == before
    wait_until(lambda: f'id="{app_id}" class="app" data-type="orthographic"' in html_of(url, COLLATED))


def unreviewed_on_page(page) -> int:
    return int(page.locator("h1").inner_text().split(",")[-1].split()[0])


def test_paragraph_break_heading_level_and_accept_on_the_review_page(browser, served):
    root, url = served
    before = kept_files(root)
    rules_single = (root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8")
    doc = tei(root, SINGLE)
    # read independently in the TEI: an unsure paragraph break at a page start, the last line of
    # the paragraph before it, and a question heading with the question division before it
    p = next(p for p in doc.iter(f"{TEI}p") if p.get("cert") == "low")
    first = int(p.find(f"{TEI}lb").get("n"))
    previous = p.getprevious()
    while previous.tag != f"{TEI}p":
        previous = previous.getprevious()
    last = max(int(e.get("n")) for e in previous.iter(f"{TEI}lb"))
    opening = " ".join("".join(p.itertext()).split()[:6])
    head = [h for h in doc.iter(f"{TEI}head") if h.get("rendition") == "#doubled-bold"][2]
    div, outer = head.getparent().get(XML_ID), head.getparent().getprevious().get(XML_ID)
    line = int(head.find(f"{TEI}lb").get("n"))
    with urllib.request.urlopen(f"{url}review/decisions.json", timeout=30) as answer:
        decisions = json.loads(answer.read())
    paragraph = next(d for d in decisions if d["kind"] == "paragraph" and d["line"] == first)
    heading = next(d for d in decisions if d["kind"] == "heading" and d["line"] == line)
    hyphen = next(d for d in decisions if d["kind"] == "hyphen" and d["text"] == SINGLE and d["review"] == "unreviewed")

    page = browser.new_page()
    page.goto(f"{url}review")
    unreviewed = unreviewed_on_page(page)
    overrule_on_page(page, url, paragraph["id"], "continue")
    overrule_on_page(page, url, heading["id"], "2")
    # the HTML text page, rebuilt by serve: the question within the one before, the paragraph run on
    wait_until(lambda: page.goto(f"{url}{SINGLE}.html") and page.locator(f'[id="{outer}"] [id="{div}"]').count() == 1)
    joined = page.locator("p", has_text=opening)
    assert joined.count() == 1
    ending = " ".join("".join(previous.itertext()).split()[-4:])
    assert ending in " ".join(joined.inner_text().split())

    # serve is done rebuilding (no reload of the page under the key press): accept with "a"
    page.goto(f"{url}review#{hyphen['id']}")
    assert "current" in page.locator(f'[id="{hyphen["id"]}"]').get_attribute("class")
    with page.expect_navigation(timeout=60_000):
        page.keyboard.press("a")
    page.locator(f'[id="{hyphen["id"]}"] .review-accepted').wait_for(timeout=30_000)
    assert unreviewed_on_page(page) == unreviewed - 3

    # the rules: the paragraph in [paragraphs], the heading as an [[overrule]], the accept apart
    data = tomllib.loads((root / "rules" / f"{SINGLE}.toml").read_text(encoding="utf-8"))
    assert data["paragraphs"]["continue_after"] == [*tomllib.loads(rules_single)["paragraphs"]["continue_after"], last]
    assert [(o["id"], o["value"]) for o in data["overrule"]] == [(heading["id"], "2")]
    reviewed = tomllib.loads((root / "rules" / "reviewed.toml").read_text(encoding="utf-8"))
    assert [a["id"] for a in reviewed["accepted"]] == [hyphen["id"]]

    # the TEI: one paragraph, the question inside the one before, each marked as the editor's
    doc = tei(root, SINGLE)
    lb = next(e for e in doc.iter(f"{TEI}lb") if e.get("n") == str(first))
    assert lb.get("resp") == "#ed" and str(last) in [e.get("n") for e in lb.getparent().iter(f"{TEI}lb")]
    nested = next(d for d in doc.iter(f"{TEI}div") if d.get(XML_ID) == div)
    assert nested.getparent().get(XML_ID) == outer and nested.find(f"{TEI}head").get("resp") == "#ed"
    accepted = next(e for e in doc.iter(f"{TEI}lb") if e.get("n") == str(hyphen["line"] + 1))
    assert accepted.get("resp") == "#ed"

    assert run(root, "ingest", "--check").exit_code == 0
    assert run(root, "collate", "--check").exit_code == 0
    page.goto(f"{url}review")
    for _ in range(3):
        with page.expect_navigation(timeout=60_000):
            page.keyboard.press("u")
        page.wait_for_load_state()
    assert kept_files(root) == before
    assert unreviewed_on_page(page) == unreviewed
