"""Every ``<app>`` prints in the PDF whatever its ``@type`` (issue 14): the editor's own types in
the main tier (with a W620 note) or in the tier ``[pdf] apparatus_tiers`` maps them to, and
``--apparatus`` accepts the TEI's own type names.

Each unit's lemma, readings and witnesses are read from the TEI with lxml; the PDF with
pdftotext (``-layout``: one printed line per text line, so tiers are separate lines)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree
from test_pdf_whitespace import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "realtei" / "typed-apparatus.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def units(tei: Path) -> list[dict]:
    """Each app: type, lemma, and (reading, witness ids) pairs, as the TEI has them."""
    root = etree.parse(str(tei)).getroot()
    out = []
    for app in root.iterfind(".//t:app", NS):
        lem = app.find("t:lem", NS)
        out.append({"type": app.get("type"), "lemma": " ".join("".join(lem.itertext()).split()),
                    "readings": [(" ".join("".join(r.itertext()).split()),
                                  [w.lstrip("#") for w in r.get("wit", "").split()])
                                 for r in app.iterfind("t:rdg", NS)]})
    return out


def foot_lines(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines() if "]" in line]


@pytest.mark.parametrize("options", [{}, {"apparatus": ["substantive"]}, {"apparatus": "variants,conjecture"},
                                     {"apparatus_tiers": {"variants": "variants"}}],
                         ids=["default", "own-kinds-only", "tei-types", "tiers"])
def test_every_unit_of_every_type_prints(options, tmp_path):
    pdf = tmp_path / "typed.pdf"
    result = build(FIXTURE, pdf, **options)
    lines = foot_lines(pdf)
    printed = " ".join(lines)
    wanted = options.get("apparatus")
    for unit in units(FIXTURE):
        kind = unit["type"] or "substantive"
        if wanted == ["substantive"] and kind == "orthographic":
            continue   # left out by the editor's choice among edition's own kinds
        if wanted == "variants,conjecture" and kind not in ("variants", "conjecture"):
            continue
        for text, wits in unit["readings"]:
            assert f"{unit['lemma']}] {text} {' '.join(wits)}" in printed, (options, unit)
    codes = [d.code for d in result.diagnostics]
    if "apparatus_tiers" in options:
        # the mapped type has a tier (a line) of its own; the unmapped one is reported
        variants = [u["lemma"] for u in units(FIXTURE) if u["type"] == "variants"]
        own = [ln for ln in lines if all(f"{lemma}]" in ln for lemma in variants)]
        assert own and "sleeps]" not in own[0]
        assert codes.count("W620") == 1
    elif wanted is None:
        assert codes.count("W620") == 2   # variants and conjecture, each once
        # said at the first unit of the type, in the editor's file
        root = etree.parse(str(FIXTURE)).getroot()
        for d in result.diagnostics:
            if d.code == "W620":
                kind = d.message.split("'")[1]
                first = root.find(f".//t:app[@type='{kind}']", NS)
                assert Path(d.path).resolve() == FIXTURE and d.line == first.sourceline


def test_a_type_of_the_tei_is_not_refused():
    from edition.render.pdf.options import pdf_options

    assert pdf_options({}, apparatus="variants").apparatus == ["variants"]
    from edition.diagnostics import EditionError

    with pytest.raises(EditionError):
        pdf_options({}, apparatus_tiers={"variants": 3})


def test_the_project_file_maps_types_to_tiers(tmp_path):
    from edition.project import load_project
    from edition.render.pdf.options import pdf_options

    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('[edition]\ntitle = "T"\n\n[pdf]\napparatus_tiers = { variants = "own" }\n',
                                           encoding="utf-8")
    assert pdf_options(load_project(tmp_path).pdf).apparatus_tiers == {"variants": "own"}
