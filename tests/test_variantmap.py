"""The variant map: its counts are the TEI's, per paragraph and type; the agreement of three
witnesses is what the readings say; the page that shows it is valid HTML without WCAG issues.

Expected values are read from the TEI with lxml here, or worked out by hand from the fixture.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from edition.build import load_documents
from edition.diagnostics import Report
from edition.project import load_project
from edition.render.site import build_site
from edition.scaffold import init_project
from edition.tei.xmlio import NSMAP, XML_ID

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "variantmap" / "three-witnesses.xml"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LABEL = re.compile(r"(\d+) (\w+)")


def site_of(tmp_path: Path, tei: list[Path]) -> Path:
    root = tmp_path / "ed"
    init_project(root)
    (root / "tei/example.xml").unlink()
    for path in tei:
        shutil.copy(path, root / "tei" / path.name)
    project = load_project(root)
    project.html["search"] = False
    build_site(project, load_documents(project), Report())
    return root / "build/html"


def strip_counts(page: Path) -> dict[str, dict[str, int]]:
    """{paragraph id: {type: count}} as the strip's links say it."""
    tree = lxml_html.parse(str(page))
    found = {}
    for link in tree.xpath("//svg[contains(@class,'variant-strip')]//a | //*[local-name()='svg']"
                           "[contains(@class,'variant-strip')]//*[local-name()='a']"):
        found[link.get("href")[1:]] = {kind: int(n) for n, kind in LABEL.findall(link.get("aria-label"))}
    return found


def tei_counts(path: Path) -> dict[str, dict[str, int]]:
    tree = etree.parse(str(path))
    found = {}
    for p in tree.xpath("//tei:text//tei:p[@xml:id]", namespaces=NSMAP):
        counts: dict[str, int] = {}
        for app in p.xpath(".//tei:app", namespaces=NSMAP):
            counts[app.get("type") or "untyped"] = counts.get(app.get("type") or "untyped", 0) + 1
        found[p.get(XML_ID)] = counts
    return found


def test_the_counts_are_the_teis_per_paragraph_and_type(tmp_path):
    html = site_of(tmp_path, [FIXTURE])
    assert strip_counts(html / "three-witnesses.html") == tei_counts(FIXTURE)


def test_our_collated_text_map_counts_every_unit_in_its_paragraph(tmp_path):
    collated = [p for p in sorted((ROOT / "tei").glob("*.xml"))
                if etree.parse(str(p)).xpath("//tei:listWit", namespaces=NSMAP)]
    if not collated:
        pytest.skip("no collated text in tei/")
    html = site_of(tmp_path, collated)
    for tei in collated:
        shown = strip_counts(html / f"{tei.stem}.html")
        expected = {pid: counts for pid, counts in tei_counts(tei).items() if pid in shown}
        assert shown == expected, tei.name
        page = lxml_html.parse(str(html / f"{tei.stem}.html"))
        caption = page.xpath("string(//figure[contains(@class,'variant-map')]/figcaption)")
        total = len(etree.parse(str(tei)).xpath("//tei:text//tei:app", namespaces=NSMAP))
        assert f"{total} variation units" in caption


def test_a_text_without_apparatus_has_no_map(tmp_path):
    root = tmp_path / "ed"
    init_project(root)
    text = (root / "tei/example.xml").read_text(encoding="utf-8")
    text = re.sub(r"<app\b.*?</app>", "at dawn", text, flags=re.S)
    (root / "tei/example.xml").write_text(text, encoding="utf-8")
    project = load_project(root)
    project.html["search"] = False
    build_site(project, load_documents(project), Report())
    assert "variant-map" not in (root / "build/html/example.html").read_text(encoding="utf-8")


def test_three_witnesses_agreement_as_worked_out_by_hand(tmp_path):
    # A and B agree in units 1 and 3 of 4; A and C in unit 4; B and C in unit 2.
    html = site_of(tmp_path, [FIXTURE])
    page = lxml_html.parse(str(html / "three-witnesses.html"))
    labels = [g.get("aria-label") for g in page.xpath("//*[local-name()='svg'][contains(@class,'agreement')]"
                                                       "//*[local-name()='g']")]
    assert "A and B agree in 2 of 4 units (50%)" in labels
    assert "A and C agree in 1 of 4 units (25%)" in labels
    assert "B and C agree in 1 of 4 units (25%)" in labels
    assert "C and A agree in 1 of 4 units (25%)" in labels   # the matrix shows both halves


@pytest.mark.skipif(shutil.which("java") is None or not VNU.is_file(), reason="vnu-jar is not installed")
def test_the_page_with_the_map_is_valid_html(tmp_path):
    html = site_of(tmp_path, [FIXTURE])
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             str(html / "three-witnesses.html")], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [m.get("message") for m in messages if m.get("type") == "error"] == []


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (run 'make assets')")
def test_the_map_has_no_wcag21aa_violation(tmp_path, browser):
    html = site_of(tmp_path, [FIXTURE])
    page = browser.new_page()
    page.goto((html / "three-witnesses.html").as_uri())
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const r = await axe.run(document.querySelector('.variant-map'),
                                {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    page.close()
    assert found == []
