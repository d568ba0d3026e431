"""Four witnesses of a generated novel with planted changes: each change is found as one unit of
the right type and witnesses, nothing else is, each witness is rebuilt byte for byte, and the
project validates and builds.

The text is made here from a seeded generator (invented words, four chapters, dialogue);
witnesses B, C and D are copies of A with the changes of ``PLANTED`` applied. The expected
units are written down from the plan, not taken from the collator; the TEI is read with lxml.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from edition.tei.witnesses import witness_text
from edition.tei.xmlio import NSMAP

SIGLA = ["A", "B", "C", "D"]
ROMAN = ["I", "II", "III", "IV"]


def vocabulary(rng: random.Random, size: int = 2500) -> list[str]:
    """Invented words (two or three syllables), each once: enough landmarks to align by."""
    onsets, vowels, codas = "bcdfghklmnprstvw", "aeiou", ["", "n", "r", "l", "s", "th"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                          for _ in range(rng.choice((2, 3)))))
    return sorted(words)


def make_book(seed: int = 7) -> list[list[list[str]]]:
    """Chapters → paragraphs → words (a full stop ends each sentence; the first sentence of a
    paragraph is 18 words long, so changes at positions 2–15 stay inside it)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    chapters = []
    for _ in ROMAN:
        paragraphs = []
        for _ in range(5):
            para: list[str] = []
            for length in (18, rng.randint(8, 14), rng.randint(8, 14)):
                sentence = [rng.choice(words) for _ in range(length)]
                sentence[0] = sentence[0].capitalize()
                sentence[-1] += "."
                para += sentence
            paragraphs.append(para)
        chapters.append(paragraphs)
    return chapters


# The plan: (witnesses, chapter, paragraph, change). Each change is in a paragraph of its own.
PLANTED = [
    ({"B", "C"}, 0, 1, ("insert", 5, ["verily"])),
    ({"D"}, 0, 3, ("delete", 5, 1)),
    ({"C"}, 1, 0, ("substitute", 6, "quartzite")),
    ({"B"}, 1, 2, ("substitute", 3, "zephyrous")),
    ({"D"}, 1, 2, ("substitute", 3, "marbleline")),
    ({"B"}, 2, 1, ("move", 2, 4, 12)),
    ({"C", "D"}, 2, 3, ("move", 3, 3, 14)),
    ({"D"}, 3, 0, ("insert", 8, ["and", "then"])),
]
HEADING_CHANGE = ({"D"}, 3)          # D writes "CHAPTER IV." for "CHAPTER IV"


def apply(para: list[str], change) -> list[str]:
    kind, at, *rest = change
    out = list(para)
    if kind == "insert":
        out[at:at] = rest[0]
    elif kind == "delete":
        del out[at:at + rest[0]]
    elif kind == "substitute":
        out[at] = rest[0]
    else:                                   # move `length` words at `at` to after word `after`
        length, after = rest
        phrase = out[at:at + length]
        del out[at:at + length]
        out[after - length + 1:after - length + 1] = phrase
    return out


def witness(book, siglum: str) -> str:
    lines = ["THE FOUR WITNESSES", ""]
    for c, chapter in enumerate(book):
        heading = f"CHAPTER {ROMAN[c]}"
        if siglum in HEADING_CHANGE[0] and c == HEADING_CHANGE[1]:
            heading += "."
        lines += [heading, ""]
        for p, para in enumerate(chapter):
            for wits, pc, pp, change in PLANTED:
                if siglum in wits and (pc, pp) == (c, p):
                    para = apply(para, change)
            lines += [" ".join(para), "", '"Yes."', ""]
    return "\n".join(lines)


def expected_units(book) -> list[tuple[str, str, frozenset, dict[str, frozenset]]]:
    """(type, lemma, lemma witnesses, {reading: witnesses}) of every planted change."""
    everyone = frozenset(SIGLA)
    out = []
    seen_substitution: dict[tuple, dict] = {}
    for wits, c, p, change in PLANTED:
        para = book[c][p]
        kind, at, *rest = change
        if kind == "insert":
            out.append(("substantive", "", everyone - wits, {" ".join(rest[0]): frozenset(wits)}))
        elif kind == "delete":
            out.append(("substantive", " ".join(para[at:at + rest[0]]), everyone - wits, {"": frozenset(wits)}))
        elif kind == "substitute":
            entry = seen_substitution.setdefault((c, p, at), {"lemma": para[at], "readings": {}})
            entry["readings"][rest[0]] = frozenset(wits)
        else:
            phrase = " ".join(para[at:at + rest[0]])
            out.append(("transposition", phrase, everyone - wits, {"": frozenset(wits)}))
            out.append(("transposition", "", everyone - wits, {phrase: frozenset(wits)}))
    for entry in seen_substitution.values():
        moved = frozenset().union(*entry["readings"].values())
        out.append(("substantive", entry["lemma"], everyone - moved, entry["readings"]))
    out.append(("punctuation", "", frozenset(SIGLA) - HEADING_CHANGE[0], {".": frozenset(HEADING_CHANGE[0])}))
    return out


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def wits(element) -> frozenset:
    return frozenset(w.lstrip("#") for w in element.get("wit").split())


def found_units(root) -> list[tuple[str, str, frozenset, dict[str, frozenset]]]:
    out = []
    for app in root.xpath("//tei:app", namespaces=NSMAP):
        lem = app.find("tei:lem", NSMAP)
        rdgs = app.findall("tei:rdg", NSMAP)
        causes = {r.get("cause") for r in rdgs}
        kind = "transposition" if causes == {"transposition"} else app.get("type")
        out.append((kind, words(lem), wits(lem), {words(r): wits(r) for r in rdgs}))
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("four")
    book = make_book()
    (root / "sources").mkdir()
    config = ['[edition]\ntitle = "Four Witnesses"\n', '[[text]]\nid = "four"\nbase = "A"\n']
    for siglum in SIGLA:
        (root / "sources" / f"{siglum}.txt").write_text(witness(book, siglum), encoding="utf-8")
        config.append(f'[[text.witness]]\nsiglum = "{siglum}"\nsource = "sources/{siglum}.txt"\n'
                      f'title = "Witness {siglum}"\n')
    (root / "edition.toml").write_text("\n".join(config), encoding="utf-8")
    run = edition(root, "collate")
    assert run.returncode == 0, run.stderr
    return root, book, run.stdout


def edition(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "-C", str(root), *args],
                          capture_output=True, text=True, cwd=root)


def test_every_planted_change_is_one_unit_and_nothing_else_is(project):
    root, book, _ = project
    tei = etree.parse(str(root / "tei" / "four.xml")).getroot()
    found = found_units(tei)
    for unit in expected_units(book):
        assert found.count(unit) == 1, (unit, found)
    assert len(found) == len(expected_units(book)), found


def test_the_two_places_of_a_transposition_point_at_each_other(project):
    root, _, stdout = project
    tei = etree.parse(str(root / "tei" / "four.xml")).getroot()
    moved = tei.xpath("//tei:rdg[@cause='transposition']", namespaces=NSMAP)
    assert len(moved) == 4
    for rdg in moved:
        other = tei.xpath("//tei:app[@xml:id=$id]", namespaces=NSMAP, id=rdg.get("corresp").lstrip("#"))[0]
        back = other.xpath("tei:rdg[@cause='transposition']/@corresp", namespaces=NSMAP)
        assert back == [f"#{rdg.getparent().get('{http://www.w3.org/XML/1998/namespace}id')}"]
    assert "2 transposed phrases" in stdout


def test_only_the_chapters_are_headings(project):
    root, _, _ = project
    tei = etree.parse(str(root / "tei" / "four.xml")).getroot()
    heads = [" ".join("".join(h.xpath(".//text()[not(ancestor::tei:rdg)]", namespaces=NSMAP)).split())
             for h in tei.xpath("//tei:body//tei:head", namespaces=NSMAP)]
    assert heads == ["CHAPTER I", "CHAPTER II", "CHAPTER III", "CHAPTER IV"]
    assert tei.xpath("//tei:body//tei:div/@type", namespaces=NSMAP) == ["article"] + ["chapter"] * 4


def test_each_witness_is_rebuilt_byte_identical(project):
    root, _, _ = project
    tei = etree.parse(str(root / "tei" / "four.xml")).getroot()
    for siglum in SIGLA:
        assert witness_text(tei, siglum)[0].encode("utf-8") == (root / "sources" / f"{siglum}.txt").read_bytes()


def test_the_project_validates_and_builds(project):
    root, _, _ = project
    run = edition(root, "validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors, 0 warnings" in run.stdout + run.stderr
    run = edition(root, "build", "-o", "txt", "-o", "html")
    assert run.returncode == 0, run.stderr
    for siglum in SIGLA:
        assert (root / "build" / "txt" / f"four.{siglum}.txt").read_bytes() == \
            (root / "sources" / f"{siglum}.txt").read_bytes()


def test_a_phrase_moved_inside_one_unit_is_a_transposition(tmp_path):
    from edition.collate.rules import CollatedTextRules, load_collation_rules
    from edition.collate.run import collate_to_tei

    base = "Of Our House\n\nMy ancestors had been for many years counsellors and syndics of the republic.\n"
    texts = [("A", tmp_path / "a.txt", base),
             ("B", tmp_path / "b.txt", base.replace("many years counsellors", "several years councillors")),
             ("C", tmp_path / "c.txt", base.replace("for many years counsellors and syndics",
                                                    "counsellors and syndics for many years"))]
    tei, _, _ = collate_to_tei("t", texts, load_collation_rules(tmp_path), CollatedTextRules(path=None), {})
    root = etree.fromstring(tei)
    (app,) = root.xpath("//tei:body//tei:app", namespaces=NSMAP)
    assert words(app.find("tei:lem", NSMAP)) == "for many years counsellors and syndics"
    readings = {words(r): (r.get("wit"), r.get("cause"), r.get("corresp")) for r in app.findall("tei:rdg", NSMAP)}
    assert readings == {"for several years councillors and syndics": ("#B", None, None),
                        "counsellors and syndics for many years": ("#C", "transposition", None)}
