"""The ingest steps one by one: normalise, undouble, dehyphenate, structure, notes."""

from collections import Counter
from pathlib import Path

import pytest

from edition.diagnostics import EditionError
from edition.ingest.doubled import is_doubled, recover_doubled, undouble
from edition.ingest.hyphenation import Vocabulary, decide, dehyphenate
from edition.ingest.model import Line
from edition.ingest.normalise import normalise
from edition.ingest.pages import mark_pages
from edition.ingest.rules import HyphenRules, TextRules
from edition.ingest.structure import Layout, page_paragraph, paragraph_break, paragraphs

SRC = Path("x.txt")


def lines_of(text: str, **pages) -> list[Line]:
    return normalise(text.encode("utf-8"), SRC, TextRules(None, {"pages": pages} if pages else {}))


# -- normalise -------------------------------------------------------------------------------

def test_normalise_numbers_lines_and_infers_page_starts():
    lines = lines_of("First page\nrest of it.\n Second page\n\n\n\nthird page\n12 • running foot\n",
                     running_foot=r"^(\d+) • ")
    assert [ln.n for ln in lines] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert lines[2].page_start == "leading-space" and lines[2].text == "Second page"
    assert lines[6].page_start == "blank-run"
    assert lines[7].kind == "fw"
    assert lines[0].page_start is None and lines[1].page_start is None


def test_the_line_after_a_running_foot_starts_a_page_for_sure():
    lines = lines_of("end of a page\n\n38 • a foot\n\nnext page\n", running_foot=r"^(\d+) • ")
    assert lines[2].kind == "fw" and lines[4].page_start == "running-foot"


def test_normalise_makes_no_break_spaces_plain():
    assert lines_of("Annual GDP\u00a0 growth\u00a0\n")[0].text == "Annual GDP  growth"


def test_empty_witness_is_an_error():
    with pytest.raises(EditionError) as info:
        lines_of("\n \n\n")
    assert info.value.diagnostics[0].code == "E225"


def test_undecodable_witness_names_line_and_column():
    with pytest.raises(EditionError) as info:
        normalise("fine\ncaf\xe9 au lait\n".encode("latin-1"), SRC, TextRules(None))
    d = info.value.diagnostics[0]
    assert (d.code, d.line, d.col) == ("E224", 2, 4)


# -- undouble --------------------------------------------------------------------------------

@pytest.mark.parametrize("doubled, plain", [
    ("QQuueessttiioonn  11..  WWhhaatt  iiss  aa  SSoovviieett??", "Question 1. What is a Soviet?"),
    ("tt iimmee??", "time?"),                                            # a word split by a space
    ("aarree  tthhee  ccoonnddiittiioonnss  rreeqquuiirreedd?", "are the conditions required?"),  # single ?
    ("‘‘SSoovviieett  ffuunncc--", "‘Soviet func-"),                      # doubled line-end hyphen
    ("YYoouurr  llaasstt  qquueessttiioonn,,  uunn--nnuummbbeerreedd,,", "Your last question, un-numbered,"),
    ("ccoommmmiitttteeee", "committee"),                                  # real double letters
])
def test_undouble(doubled, plain):
    assert is_doubled(doubled)
    assert undouble(doubled) == plain


@pytest.mark.parametrize("text", ["The bookkeeper's committee will meet.", "Hello", "* * *", "aa bb"])
def test_ordinary_lines_are_not_doubled(text):
    assert not is_doubled(text)


def test_recover_doubled_marks_lines():
    lines = recover_doubled(lines_of("QQuueessttiioonn  22..  HHooww\nplain text\n"))
    assert (lines[0].text, lines[0].doubled) == ("Question 2. How", True)
    assert (lines[1].text, lines[1].doubled) == ("plain text", False)


# -- dehyphenate: one row per kind of evidence -----------------------------------------------

VOCAB = Vocabulary(Counter({"anti-capitalist": 3, "revolutionary": 5, "neighbour-hood": 0}))
RULES = HyphenRules(keep=frozenset({"non-organic"}), join=frozenset({"disorganize"}))


@pytest.mark.parametrize("left, right, action, evidence, certain", [
    ("non", "organic", "keep", "rules", True),              # rules: keep list
    ("dis", "organize", "join", "rules", True),             # rules: join list
    ("anti", "capitalist", "keep", "vocabulary", True),     # written with the hyphen elsewhere
    ("revolu", "tionary", "join", "vocabulary", True),      # written whole elsewhere
    ("bureaucra", "cy", "join", "dictionary", True),        # a common word of the word list
    ("two", "year-olds", "keep", "dictionary", True),       # 'twoyear' is no word; two, year are
    ("more-or", "less", "keep", "dictionary", True),
    ("inter", "changing", "keep", "dictionary", False),     # rare joined word, both halves words
    ("Zqxvo", "blorth", "join", "default", False),          # no evidence: soft, uncertain
])
def test_hyphen_evidence(left, right, action, evidence, certain):
    got = decide(left, right, page_break=False, rules=RULES, vocabulary=VOCAB)
    assert got[:3] == (action, evidence, certain), got[3]


def test_vocabulary_ignores_the_halves_of_line_end_hyphenations():
    vocab = Vocabulary.from_texts(["the revolu-\ntionary masses\nanti-capitalist struggle\n"])
    assert vocab["revolu"] == 0 and vocab["tionary"] == 0
    assert vocab["anti-capitalist"] == 1 and vocab["masses"] == 1


def decided(text: str, **pages):
    lines = dehyphenate(recover_doubled(lines_of(text, **pages)), RULES, VOCAB)
    return [ln.hyphen for ln in lines if ln.hyphen]


def test_hyphen_across_a_page_break_is_joined():
    [d] = decided("commit more mur-\n ders and destroy more\n")
    assert (d.line, d.next_line, d.action, d.result) == (1, 2, "join", "murders")


def test_hyphen_across_blank_lines_of_a_page_break_is_joined():
    [d] = decided("came close to the revo-\n\n\n\nlutionary positions\n")
    assert (d.next_line, d.action, d.result) == (5, "join", "revolutionary")


def test_hyphen_before_lost_text_is_not_joined():
    [d] = decided("Judging that they were aban-\n A flurry of his texts followed\n")
    assert (d.action, d.evidence, d.result, d.certain) == ("gap", "lost-text", "aban-", False)


def test_lost_text_confirmed_by_the_rules_is_certain():
    lines = dehyphenate(lines_of("Judging that they were aban-\n A flurry of his texts followed\n"),
                        RULES, VOCAB, forced_gaps=[1])
    d = lines[0].hyphen
    assert (d.action, d.evidence, d.result, d.certain) == ("gap", "rules", "aban-", True)


def test_capital_after_a_hyphen_on_the_same_page_is_a_compound():
    [d] = decided("its main leaders became anti-\nUSSR and subjective\n")
    assert d.action == "keep" and d.result == "anti-USSR"


def test_spaced_dash_at_line_end_is_not_a_hyphen():
    [d] = decided("Lora too -\nlike the others\n")
    assert d.action == "dash"


def test_doubled_line_end_hyphen_is_decided_after_undoubling():
    [d] = decided("QQuueessttiioonn  44..  ‘‘SSoovviieett  ffuunncc--\nttiioonniinngg’’  aanndd  wwhhaatt\n")
    assert (d.left, d.right, d.action, d.result) == ("func", "tioning", "join", "functioning")


# -- structure: where paragraphs break ---------------------------------------------------------

def _pair(prev: str, nxt: str, page: str | None = None) -> tuple[Line, Line]:
    return Line(1, prev, prev), Line(2, nxt, nxt, page_start=page)


@pytest.mark.parametrize("prev, nxt, page, blanks, expected", [
    ("through which it is applied.", "Any revolutionary organism", "leading-space", 0, True),
    ("the bureaucracy, Communism is still valid. They", "wonder at bureaucracy", "leading-space", 0, False),
    ("which is a [ruling] class", "Instrument of the class", None, 0, False),  # no blank line
    ("first paragraph ends.", "Second one", None, 1, True),
    ("a general in the Cuban", "war of Independence", None, 1, False),         # lower case goes on
    ("their", "cronies. The individual car", "blank-run", 4, False),
])
def test_paragraph_break(prev, nxt, page, blanks, expected):
    a, b = _pair(prev, nxt, page)
    assert paragraph_break(a, b, blanks, TextRules(None)) is expected


def test_paragraph_rules_override():
    a, b = _pair("a general in the Cuban", "War of Independence")
    assert paragraph_break(a, b, 1, TextRules(None)) is True
    assert paragraph_break(a, b, 1, TextRules(None, {"paragraphs": {"continue_after": [1]}})) is False


# -- structure: how sure a paragraph break at a page start is ---------------------------------

LAYOUT = Layout(measure=72, full=67, trailing_ends=True)


@pytest.mark.parametrize("prev, certain, why", [
    ("through which it is applied.", True, "short"),                     # 28 of 72: ended there
    ("and decided every aspect of this construction in freedom. ", True, "ends in a space"),
    ("first. Who are they, then, those who rush to the Moon? What do they want?", False, "full"),
])
def test_page_paragraph_evidence(prev, certain, why):
    a, b = Line(1, prev, prev.rstrip()), Line(2, " Next", "Next", page_start="leading-space")
    got = page_paragraph(a, b, LAYOUT)
    assert got[0] is certain and why in got[1], got


def test_layout_measures_lines_inside_paragraphs():
    text = "\n".join(["x" * 70] * 30 + ["short end.", "", "y" * 60 + " "])
    layout = Layout.of(lines_of(text + "\n"))
    assert (layout.measure, layout.full, layout.trailing_ends) == (70, 65, True)


def test_uncertain_page_paragraph_is_marked_low():
    full = "the world that greater equity in distribution makes for a stronger State."
    lines = lines_of(f"{full}\n At this school, the masses learn\nshort line.\n Then a page.\n")
    blocks = paragraphs(lines, TextRules(None), layout=LAYOUT)
    assert [b.first for b in blocks] == [1, 2, 4]
    assert blocks[1].attrs["cert"] == "low" and blocks[1].attrs["page_start"][0] is False
    assert "cert" not in blocks[2].attrs and blocks[2].attrs["page_start"][0] is True


# -- pages: numbers in doubt before lost text ------------------------------------------------

def test_page_numbers_before_lost_text_are_in_doubt():
    text = "p one\n Two aban-\n A flurry\nmore\n\n7 • foot\n\nlast page\n"
    rules = TextRules(None, {"pages": {"running_foot": r"^(\d+) • "}})
    lines = dehyphenate(normalise(text.encode(), SRC, rules), RULES, VOCAB)
    marks = mark_pages(lines, rules)
    assert [(p.line, p.n, p.cert) for p in marks.pages.values()] == [
        (2, "6", "low"), (3, "7", None), (8, "8", None)]   # the foot ends page 7
    assert 2 in marks.gaps and "too high" in marks.summary


# -- an editor's heading levels (edition review, issue 19) -----------------------------------

def test_heading_levels_make_nest_and_unmake_headings():
    from edition.ingest.structure import structure, walk_blocks

    text = ("Opening words of the text.\n\nFirst part\n\nIts text runs here.\n\nA section\n\n"
            "Text of the section.\n\nSecond part\n\nMore text.\n")
    lines = lines_of(text)
    rules = TextRules(None, {})                 # [headings] shape is off: no line is a heading
    (plain,) = structure(lines, rules)
    assert all(not hasattr(item, "head") for item in plain.content)
    # the short lines alone are heading decisions the tool took (not a heading: level 0)
    candidates = [b.first for b in walk_blocks([plain]) if b.attrs.get("heading") == 0]
    assert candidates == [3, 7, 11]

    (made,) = structure(lines, rules, {3: 1, 7: 2, 11: 1})
    first, second = [item for item in made.content if hasattr(item, "head")]
    assert [first.head.first, second.head.first] == [3, 11]
    (inner,) = [item for item in first.content if hasattr(item, "head")]
    assert inner.head.first == 7 and inner.head.attrs["level"] == 2
    assert [b.first for b in inner.content] == [9]

    (unmade,) = structure(lines, TextRules(None, {"headings": {"shape": True}}), {7: 0})
    heads = [item.head.first for item in unmade.content if hasattr(item, "head")]
    assert heads == [3, 11]
    section = next(b for b in walk_blocks([unmade]) if b.first == 7)
    assert section.kind == "p" and section.attrs["heading"] == 0 and [ln.n for ln in section.lines] == [7]
