"""Table-driven tests of variation units and their types, on small invented pairs of witnesses.

Each case collates two tiny witnesses (W the base, P the other) with the real general rules
(rules/collation.toml) and states the units expected: type, W's reading, P's reading (spaces
at the edges of a reading ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.collate.model import LineStart
from edition.collate.rules import load_collation_rules
from edition.collate.run import collate_witnesses, units_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def crules():
    return load_collation_rules(ROOT / "rules")


def units(crules, w: str, p: str) -> list[tuple[str, str, str]]:
    texts = [("W", Path("W.txt"), f"A Title\n\n{w}\n"), ("P", Path("P.txt"), f"A Title\n\n{p}\n")]
    _, containers = collate_witnesses(texts, crules)
    found = []
    for unit in units_of(containers):
        lem = next(r.text for r in unit.readings if 0 in r.wits)
        rdg = next(r.text for r in unit.readings if 1 in r.wits)
        found.append((unit.type, lem.strip(), rdg.strip()))
    return found


CASES = [
    # punctuation: dash form and its spacing only
    ("dash form only", "new forms – action committees", "new forms—action committees",
     [("punctuation", "–", "—")]),
    ("quote moved across a full stop", "their so-called “patriotism”. Like every",
     "their so-called “patriotism.” Like every", [("punctuation", "”.", ".”")]),
    ("comma dropped", "This question, however, must be answered.", "This question, however must be answered.",
     [("punctuation", ",", "")]),
    ("quotation marks dropped", "an organ (“instrument”) of it", "an organ (instrument) of it",
     [("punctuation", "“", ""), ("punctuation", "”", "")]),
    # case
    ("Soviet/soviet", "the principles of Soviet power", "the principles of soviet power",
     [("case", "Soviet", "soviet")]),
    ("capitals over a question mark are one unit", "simply stated: WHO RULES SOCIETY? WHO IS THE MASTER?",
     "simply stated: who rules society? who is the master?",
     [("case", "WHO RULES SOCIETY? WHO IS THE MASTER", "who rules society? who is the master")]),
    # orthographic: spelling variants by the resource, compounding, abbreviation
    ("British/American -ise/-ize", "the class is paralysed and impotent", "the class is paralyzed and impotent",
     [("orthographic", "paralysed", "paralyzed")]),
    ("variant behind a general prefix", "while disorganising the class", "while disorganizing the class",
     [("orthographic", "disorganising", "disorganizing")]),
    ("variant inside a hyphenated compound", "units of self-defence here", "units of self-defense here",
     [("orthographic", "self-defence", "self-defense")]),
    ("variant with a capital", "The Neighbourhood committees", "The neighborhood committees",
     [("orthographic", "Neighbourhood", "neighborhood")]),
    ("compound hyphenated or open", "the thousand year-old regime", "the thousand year old regime",
     [("orthographic", "year-old", "year old")]),
    ("compound hyphenated or closed", "they co-operate closely", "they cooperate closely",
     [("orthographic", "co-operate", "cooperate")]),
    # an abbreviation spelled out in other words is substantive (rules/collation.toml: acronyms = false)
    ("acronym against its expansion", "centrists (Mensheviks and SRs). When", "centrists (Mensheviks and Socialist Revolutionaries). When",
     [("substantive", "SRs", "Socialist Revolutionaries")]),
    # substantive
    ("substitution around a shared word is one unit", "and communicating to them the necessary inspiration",
     "and inspiring them with the necessary inspiration",
     [("substantive", "communicating to them", "inspiring them with")]),
    ("bracketed gloss added beside a closed dash", "revolutionary cabildos – which are broad",
     "revolutionary cabildos [councils]—which are broad",
     [("substantive", "", "[councils]"), ("punctuation", "–", "—")]),
    ("parenthetical addition", "the COB, which has organized", "the COB (Bolivia’s federation), which has organized",
     [("substantive", "", "(Bolivia’s federation)")]),
    ("word omitted", "the whole structure come crashing down", "the whole structure crashing down",
     [("substantive", "come", "")]),
    ("a false friend of -our/-or is not a spelling variant", "at four o'clock", "at for o'clock",
     [("substantive", "four", "for")]),
    ("identical witnesses give no unit", "Nothing differs here.", "Nothing differs here.", []),
]


@pytest.mark.parametrize("name,w,p,expected", CASES, ids=[c[0] for c in CASES])
def test_unit_types(crules, name, w, p, expected):
    assert units(crules, w, p) == expected


def test_the_acronym_rule_is_data(crules, tmp_path):
    """An editor whose convention types an expanded acronym orthographic says so in the rules
    (the packaged general rules say false; a project's rules/collation.toml overrides them)."""
    import re

    from edition.resources import DATA_DIR

    text = (DATA_DIR / "collation.toml").read_text(encoding="utf-8")
    assert re.search(r"^acronyms = false", text, re.M)
    (tmp_path / "collation.toml").write_text(re.sub(r"^acronyms = false", "acronyms = true", text, flags=re.M),
                                             encoding="utf-8")
    other = load_collation_rules(tmp_path)
    assert units(other, "the SRs said", "the Socialist Revolutionaries said") == [
        ("orthographic", "SRs", "Socialist Revolutionaries")]
    assert units(crules, "the SRs said", "the Socialist Revolutionaries said") == [
        ("substantive", "SRs", "Socialist Revolutionaries")]


def test_omission_of_a_whole_verse_line(crules):
    w = "A Title\n\nIn the words of the song:\n\n“First line of verse,\nSecond line here.\nThird line there.”\n\nAfter.\n"
    p = "A Title\nIn the words of the song:\nSecond line here.\nThird line there.”\nAfter.\n"
    witnesses, containers = collate_witnesses([("W", Path("W.txt"), w), ("P", Path("P.txt"), p)], crules)
    assert [b.kind for b in witnesses[0].blocks] == ["title", "p", "lg", "p"]
    lines = [c for c in containers if c.kind == "l"]
    assert len(lines) == 3
    found = units_of(containers)
    assert [(u.type, u.readings[0].text, u.readings[1].text) for u in found] == [
        ("substantive", "“First line of verse,", "")]
    # P has no line start in the omitted verse line, but one in each of the others.
    starts = [[e for e in c.events if isinstance(e, LineStart)] for c in lines]
    assert [s.wit for s in starts[0]] == [0]
    assert [(s.wit, s.line) for s in starts[1]] == [(0, 6), (1, 3)]
