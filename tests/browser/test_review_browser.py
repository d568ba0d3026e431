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
