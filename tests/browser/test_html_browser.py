"""The web edition in headless Chromium: notes, variants, witness switch, filter, cite, search,
accessibility (axe-core, WCAG 2.1 AA), keyboard access, and screenshots to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.tei.document import Document

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
AXE_RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
FIXTURE = "fixture/html"


def test_note_reference_opens_the_note(open_page):
    page = open_page(f"{FIXTURE}/notes-sample.html")
    page.click("a.noteref[href='#n1']")
    pop = page.locator("#ed\\:popover")
    assert pop.is_visible()
    assert "Intellectuals are those who think for a living." in pop.inner_text()
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    page.click("a.noteref[href='#n2']")
    assert "uncertain" in pop.inner_text()


def test_variation_unit_shows_its_readings_with_sigla(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    page.click("#intro\\.p1\\.a1 .app-mark")
    pop = page.locator("#ed\\:popover")
    assert pop.is_visible()
    text = pop.inner_text()
    assert re.search(r"paralysed\s+W\s*\]\s*paralyzed\s+P", text), text
    assert "orthographic" in text


def test_switch_to_witness_p_shows_its_readings(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    unit = page.locator("#intro\\.p1\\.a1")
    assert unit.inner_text().startswith("paralysed")
    page.select_option("#ed\\:witness", "P")
    assert unit.inner_text().startswith("paralyzed")
    assert "Quillacollo" in page.locator("#intro\\.p1").inner_text()
    assert "came crashing" not in page.locator("#intro\\.p1").inner_text()
    page.select_option("#ed\\:witness", "W")
    assert unit.inner_text().startswith("paralysed")


def test_filter_hides_orthographic_units(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    mark = page.locator("#intro\\.p1\\.a1 .app-mark")
    entry = page.locator("#apparatus\\:intro\\.p1\\.a1")
    assert mark.is_visible() and entry.is_visible()
    page.uncheck("input.ed-filter[value=orthographic]")
    assert not mark.is_visible() and not entry.is_visible()
    assert page.locator("#intro\\.p1\\.a2 .app-mark").is_visible()   # substantive stays


def test_side_by_side_highlights_differences(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    page.click("#ed\\:parallel-toggle")
    rows = page.locator("#ed\\:parallel .row:not(.head-row)")
    assert rows.count() == 5   # the heading, three paragraphs and the divider
    first = rows.nth(1).locator(".pane-text")
    assert "paralysed" in first.nth(0).inner_text() and "paralyzed" in first.nth(1).inner_text()
    assert "Quillacollo" in first.nth(1).inner_text() and "Quillacollo" not in first.nth(0).inner_text()
    assert page.locator("#ed\\:parallel .app.diff").count() == 2 * 7
    page.select_option("#ed\\:pane-b", "W")   # the same witness on both sides: no difference
    assert page.locator("#ed\\:parallel .app.diff").count() == 0


def test_cite_control_by_keyboard(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    for _ in range(80):   # Tab through the page until the first paragraph's cite button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cite')"):
            break
    else:
        pytest.fail("the cite control is not reachable by keyboard")
    assert page.evaluate("document.activeElement.dataset.cite") == "intro.p1"
    assert page.locator("#intro\\.p1 .cite").is_visible()
    number = page.evaluate("document.activeElement.dataset.n")
    page.keyboard.press("Enter")
    pop = page.locator("#ed\\:popover")
    text = pop.inner_text()
    assert "Jane Writer" in text and "https://example.org/sample/html/collated-sample.html#intro.p1" in text
    assert "@incollection{collated-sample:intro.p1," in text
    # the CSL styles' locators, filled in with the paragraph's number as the page shows it (its
    # margin number, "Cite paragraph N"); its id is in the URL only
    assert page.locator("#intro\\.p1 .pn").inner_text().strip() == number
    assert f"Cite paragraph {number}" in text
    assert f"para. {number}," in text and f"par. {number})" in text and "APA" in text
    assert "intro.p1" not in text.replace("#intro.p1", "").replace("collated-sample:intro.p1", "")
    assert page.evaluate("document.activeElement.closest('#ed\\\\:popover') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.dataset.cite") == "intro.p1"


def test_page_break_markers_can_be_hidden(open_page):
    page = open_page(f"{FIXTURE}/collated-sample.html")
    marker = page.locator(".pb").first
    assert marker.is_visible() and marker.inner_text() == "[p. 2]"
    page.uncheck("#ed\\:pb-toggle")
    assert not marker.is_visible()


def _search(open_page, site: str, word: str) -> list[str]:
    page = open_page(f"{site}/search.html?q={word}")
    try:
        page.wait_for_function("document.getElementById('ed:search-status').textContent.includes('found')",
                               timeout=30000)
    except Exception:
        status = page.evaluate("document.getElementById('ed:search-status').textContent")
        pytest.fail(f"no search result: status {status!r}, script errors {page.script_errors}")
    return [a.get_attribute("href") for a in page.locator("#ed\\:results > li > a").all()]


def test_search_finds_a_word_that_only_witness_p_has(open_page):
    assert _search(open_page, FIXTURE, "Quillacollo") == [f"/{FIXTURE}/collated-sample.html"]
    assert _search(open_page, FIXTURE, "intellectuals")[0] == f"/{FIXTURE}/notes-sample.html"


def test_search_in_our_edition_finds_a_word_only_in_p(open_page, built_sites):
    if "real" not in built_sites:
        pytest.skip("the edition's TEI is not there yet")
    project = built_sites["real"]
    lemma_words: set[str] = set()
    p_words: set[str] = set()
    collated = set()
    for path in sorted(project.tei_dir.glob("*.xml")):
        doc = Document.load(path)
        body = doc.xpath("tei:text")[0]
        for rdg in doc.xpath("//tei:rdg[contains(concat(' ', @wit, ' '), ' #P ')]"):
            collated.add(doc.id)
            p_words |= set(re.findall(r"[A-Za-z]{4,}", "".join(rdg.itertext())))
        for piece in body.xpath(".//text()[not(ancestor::tei:rdg)]", namespaces={"tei": "http://www.tei-c.org/ns/1.0"}):
            lemma_words |= set(re.findall(r"[A-Za-z]{4,}", piece))
    only_p = sorted(w for w in p_words if w.lower() not in {x.lower() for x in lemma_words})
    if not only_p:
        pytest.skip("no word occurs only in P")
    hits = _search(open_page, "real/html", only_p[0])
    assert {f"/real/html/{doc_id}.html" for doc_id in collated} & set(hits), (only_p[0], hits)


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (run 'make assets')")
def test_each_page_opens_and_has_no_wcag21aa_violations(open_page, built_sites):
    """Every page loads without script errors and axe-core finds nothing at WCAG 2.1 AA."""
    axe = AXE.read_text(encoding="utf-8")
    found = {}
    for name, project in built_sites.items():
        for html in sorted((project.build_dir / "html").glob("*.html")):
            page = open_page(f"{name}/html/{html.name}")
            assert page.locator("h1").first.inner_text().strip()
            if page.locator(".app-mark").count():
                page.locator(".app-mark").first.click()   # check the open popover too
            page.add_script_tag(content=axe)
            result = page.evaluate(AXE_RUN)
            if result:
                found[f"{name}/{html.name}"] = result
            if page.locator("#ed\\:parallel-toggle").count():   # and the side-by-side view
                page.keyboard.press("Escape")
                page.click("#ed\\:parallel-toggle")
                result = page.evaluate(AXE_RUN)
                if result:
                    found[f"{name}/{html.name} (side by side)"] = result
            assert page.script_errors == [], (html.name, page.script_errors)
    assert not found, "\n".join(f"{page}: {v}" for page, vs in found.items() for v in vs)


def test_screenshots_at_desktop_and_phone_widths(open_page, built_sites):
    """Writes build/screenshots/*.png to be looked at (this test only checks that they exist)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    made = []
    for name, project in built_sites.items():
        for html in sorted((project.build_dir / "html").glob("*.html")):
            if html.name == "search.html":
                continue
            for label, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
                page = open_page(f"{name}/html/{html.name}", width, height)
                target = SHOTS / f"{name}-{html.stem}-{label}.png"
                page.screenshot(path=str(target))
                made.append(target)
    assert all(p.stat().st_size > 5000 for p in made)


def test_without_scripts_the_text_notes_and_apparatus_list_are_all_there(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/{FIXTURE}/collated-sample.html")
    assert not page.locator("#ed\\:toolbar").is_visible()
    unit = page.locator("#intro\\.p1\\.a1")
    assert unit.inner_text().startswith("paralysed") and "paralyzed" not in unit.inner_text()
    entries = page.locator(".apparatus-list > li")
    assert entries.count() == 7 and entries.first.is_visible()
    assert "paralyzed" in entries.first.inner_text()
    page.goto(f"{server}/{FIXTURE}/notes-sample.html")
    assert page.locator("#n1").is_visible() and "for a living" in page.locator("#n1").inner_text()
    page.click("a.noteref[href='#n1']")   # the plain link still leads to the note
    assert page.evaluate("location.hash") == "#n1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/{FIXTURE}/collated-sample.html#ed:apparatus")
    page.screenshot(path=str(SHOTS / "fixture-collated-sample-noscript.png"))
    context.close()


def test_note_opens_on_keyboard_focus_and_closes_when_focus_moves_on(open_page):
    page = open_page(f"{FIXTURE}/notes-sample.html")
    pop = page.locator("#ed\\:popover")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('noteref')"):
            break
    else:
        pytest.fail("no note reference is reachable by keyboard")
    assert pop.is_visible() and "for a living" in pop.inner_text()
    page.keyboard.press("Tab")   # the next reference: its note
    assert page.evaluate("document.activeElement.id") == "n2.r1"
    assert "history of the Bolshevik party" in pop.inner_text()
    page.keyboard.press("Tab")   # on to the next paragraph's number: the popover closes
    assert page.evaluate("document.activeElement.classList.contains('pn')")
    pop.wait_for(state="hidden", timeout=3000)   # closed by the blur of the reference left


def test_words_set_aside_open_from_their_mark_and_are_not_read(open_page, built_sites):
    if "real" not in built_sites:
        pytest.skip("the edition's own TEI is not there yet")
    from edition.build import load_documents
    project = built_sites["real"]
    with_surplus = [d for d in load_documents(project) if d.xpath("//tei:text//tei:surplus")]
    if not with_surplus:
        pytest.skip("no text of the edition has <surplus>")
    for doc in with_surplus:
        surplus = doc.xpath("//tei:text//tei:surplus")[0]
        words = " ".join("".join(surplus.itertext()).split())
        page = open_page(f"real/html/{doc.id}.html")
        mark = page.locator("#ed\\:reading a.surplus-mark").first
        paragraph = mark.locator("xpath=ancestor::*[@data-n][1]")
        assert words[:40] not in " ".join(paragraph.inner_text().split())
        mark.click()
        pop = page.locator("#ed\\:popover")
        assert pop.is_visible()
        assert words[:40] in " ".join(pop.inner_text().split())
        # who set the words aside is said as the TEI says it: the editors once they reviewed the
        # tool's decision (resp="#ed"), nobody named while the TEI names nobody
        said = pop.inner_text()
        if surplus.get("reason") == "repeated":
            assert "Repeated in the witness" in said
        if "#ed" in (surplus.get("resp") or "").split():
            assert "set aside by the editors" in said
        else:
            assert "set aside by" not in said
