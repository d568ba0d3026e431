"""Alignment, several witnesses, and the round trip witness → TEI → witness on invented texts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from edition.collate.align import columns, match_pairs
from edition.collate.rules import CollatedTextRules, load_collation_rules
from edition.collate.run import collate_to_tei
from edition.tei.witnesses import witness_text
from edition.tei.xmlio import NSMAP

ROOT = Path(__file__).resolve().parents[1]
RULES = CollatedTextRules(path=None, data={"metadata": {"title": "T"}, "ids": {"prefix": "t-"}})


@pytest.fixture(scope="module")
def crules():
    return load_collation_rules(ROOT / "rules")


def test_match_pairs_finds_the_longest_common_subsequence_in_order():
    a = "the cat sat on the mat and the dog sat on the log".split()
    b = "the cat sat upon the mat and a dog sat on the log".split()
    pairs = match_pairs(a, b)
    assert all(a[i] == b[j] for i, j in pairs)
    assert [i for i, _ in pairs] == sorted(i for i, _ in pairs) and [j for _, j in pairs] == sorted(j for _, j in pairs)
    assert len(pairs) == 11            # all 13 but "on"/"upon" and "the"/"a"


def test_match_pairs_on_long_repetitive_sequences_uses_anchors():
    rng = random.Random(3)
    a = [rng.choice("abcde") for _ in range(3000)] + ["unique"] + [rng.choice("abcde") for _ in range(3000)]
    b = list(a)
    del b[100:110]
    b.insert(5000, "new")
    pairs = match_pairs(a, b)
    assert len(pairs) == len(a) - 10
    assert (3000, 2990) in pairs       # the unique token anchors the two halves


def test_columns_of_three_witnesses_share_agreeing_additions():
    base = "a b c".split()
    one = "a x b c".split()
    two = "a x b y c".split()
    cols = columns(base, [one, two])
    assert cols == [[0, 0, 0], [-1, 1, 1], [1, 2, 2], [-1, -1, 3], [2, 3, 4]]


def test_three_witnesses_group_agreeing_readings(crules):
    texts = [("A", "A Title\n\nThe workers are paralysed and impotent.\n"),
             ("B", "A Title\nThe workers are paralyzed and impotent.\n"),
             ("C", "A Title\nThe workers are paralyzed and quite impotent.\n")]
    tei, units, _ = collate_to_tei("t", [(s, Path(s), t) for s, t in texts], crules, RULES, {})
    root = etree.fromstring(tei)
    apps = root.xpath("//tei:app", namespaces=NSMAP)
    assert [(a.get("type"), [(r.get("wit"), r.text) for r in a]) for a in apps] == [
        ("orthographic", [("#A", "paralysed"), ("#B #C", "paralyzed")]),
        ("substantive", [("#A #B", None), ("#C", "quite ")]),
    ]
    for siglum, text in texts:
        assert witness_text(root, siglum)[0] == text


def _mutate(text: str, rng: random.Random) -> str:
    words = ["alpha", "colour", "Colour", "color", "–", "—", ",", "“", "”", "(gloss)", "  ", "\t"]
    out = []
    for token in text.split(" "):
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.1:
            out.append(rng.choice(words))
        if roll < 0.12:
            token = token.upper()
        out.append(token)
    return " ".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_of_random_witnesses_is_byte_identical(crules, seed):
    rng = random.Random(seed)
    paragraphs = [" ".join(rng.choice(["the", "workers", "power", "colour", "and", "of", "Soviet", "class,",
                                       "“assembly”", "–", "now."]) for _ in range(rng.randrange(3, 40)))
                  for _ in range(rng.randrange(2, 8))]
    base = "A Title\n\n" + "\n\n".join(paragraphs) + rng.choice(["", "\n", "\n\n", "\n  \n"])
    lines = _mutate(base, rng).split("\n")
    # The other witness: its own edits, single line breaks, an indented line, trailing spaces.
    other = "\n".join(line for line in lines if line.strip() or rng.random() < 0.3)
    other = other.replace("\n", "\n  ", 1).replace(" the ", "\nthe ", 1) + rng.choice(["", " ", "\n"])
    texts = [("W", base), ("P", other)]
    if seed % 3 == 0:       # a third witness, made from the second
        texts.append(("X", _mutate(other, rng).replace(" of ", " \n\n of ", 1)))
    if not any(w in other for w in ("the", "workers", "power", "and", "of", "Title")):
        pytest.skip("the random witness kept no word of the base")
    tei, units, _ = collate_to_tei("t", [(s, Path(s), t) for s, t in texts], crules, RULES, {})
    root = etree.fromstring(tei)
    for siglum, text in texts:
        assert witness_text(root, siglum)[0] == text
    for app in root.xpath("//tei:app", namespaces=NSMAP):
        readings = ["".join(r.itertext()) for r in app]
        assert len(set(readings)) == len(readings)


def test_witness_texts_of_an_editors_tei_without_line_starts():
    tei = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc><listWit>
      <witness xml:id="A"/><witness xml:id="B"/><witness xml:id="C"/></listWit></sourceDesc></fileDesc></teiHeader>
      <text><body><p>Arma <app><lem>virumque</lem><rdg wit="#B">virosque</rdg></app> cano<note>a note</note>.</p>
      <p>Troiae <app><lem wit="#A #B">qui</lem><rdg wit="#C"/></app> primus.</p></body></text></TEI>"""
    from edition.tei.witnesses import witness_texts

    texts = witness_texts(etree.fromstring(tei))
    assert texts == {"A": ("Arma virumque cano.\n\nTroiae qui primus.\n", False),
                     "B": ("Arma virosque cano.\n\nTroiae qui primus.\n", False),
                     "C": ("Arma virumque cano.\n\nTroiae  primus.\n", False)}
