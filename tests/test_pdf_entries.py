"""Apparatus entries as printed (reledmac conventions), from hand-written HTML that follows the
shared renderer's contract and hand-made line readings (no layout: fast)."""

from __future__ import annotations

from lxml import html

from edition.render.pdf.entries import EntryBuilder
from edition.render.pdf.linekeys import Line, Reading
from edition.render.pdf.printhtml import key_blocks, streams
from edition.render.pdf.units import LemmaPlace

PARAGRAPH = (
    '<html><body><section class="text lk-text" data-text="t"><div class="tei-text"><p class="p" id="p1">'
    'the cat saw '
    '<span class="app" id="a1" data-type="substantive"><span class="lem" data-wit="W">the</span>'
    '<span class="rdg" data-wit="P">a</span></span> dog and '
    '<span class="app" id="a2" data-type="orthographic"><span class="lem" data-wit="W">colour</span>'
    '<span class="rdg" data-wit="P">color</span></span> '
    '<span class="app" id="a3" data-type="substantive"><span class="lem" data-wit="W">came</span>'
    '<span class="rdg" data-wit="P"></span></span> COB'
    '<span class="app" id="a4" data-type="substantive"><span class="lem" data-wit="W"></span>'
    '<span class="rdg" data-wit="P">(the union)</span></span> '
    '<span class="app" id="a5" data-type="substantive"><span class="lem" data-wit="P" data-cause="emendation" data-resp="ed">crashing</span>'
    '<span class="rdg" data-wit="W">come crashing</span></span> '
    '<span class="app" id="a6" data-type="case"><span class="lem" data-wit="W">who rules society who is</span>'
    '<span class="rdg" data-wit="P">WHO RULES SOCIETY WHO IS</span></span>'
    '</p></div></section></body></html>')


def entries(types=None):
    tree = html.document_fromstring(PARAGRAPH)
    owners = key_blocks(tree)
    key = tree.get_element_by_id("p1").get("data-lk")
    assert key in owners
    stream = streams(tree)[key]
    text = "".join(stream.chars)
    # one printed line 12 up to "colour", line 13 after it; a6 runs over lines 13–14
    split = text.index("came")
    lines = [Line(0, 0, key, "t", 0, 12), Line(0, 10, key, "t", split, 13), Line(0, 20, key, "t", len(text) - 5, 14)]
    def place(app, word, first, last):
        return LemmaPlace(app, key, text.index(word), first, last, 0, lines[first].number, lines[last].number)
    places = {"a1": place("a1", "thedog", 0, 0), "a2": place("a2", "colour", 0, 0),
              "a3": place("a3", "came", 1, 1),
              "a4": LemmaPlace("a4", key, text.index("COB") + 3, 1, 1, 0, 13, 13),
              "a5": place("a5", "crashing", 1, 1), "a6": place("a6", "whorules", 1, 2)}
    builder = EntryBuilder(tree, types)
    builder.insert(tree, Reading(lines, places, []))
    return [(fn.get("data-tier"), " ".join(fn.text_content().split()))
            for fn in tree.iter() if "lk-fn" in (fn.get("class") or "")]


def test_reledmac_forms():
    found = dict((text.split()[0] + tier, text) for tier, text in entries())
    assert found["12A"] == "12 the²] a P"                      # the word occurs twice on line 12
    assert found["12B"] == "12 colour] color P"
    assert found["13A"] == "13 came] om. P | COB] add. (the union) P | crashing] P : come crashing W"
    assert found["13–14B"] == "13–14 who … is] WHO … IS P"     # long lemma shortened, over two lines


def test_only_chosen_types():
    found = entries(types=["substantive"])
    assert found and all(tier == "A" for tier, _ in found)
    assert not any("colour" in text for _, text in found)


def test_line_ranges_are_unambiguous():
    from edition.render.pdf.entries import line_label

    assert line_label(12, 12) == "12"
    assert line_label(31, 32) == "31–32"          # en dash, as reledmac prints it
    assert line_label(38, 1) == "38 sq."          # numbering restarted on the next page
    assert "~" not in line_label(31, 32)          # ~ would read as a transposition


def test_same_punctuation_lemma_twice_on_a_line_is_counted():
    tree = html.document_fromstring(
        '<html><body><section class="text lk-text" data-text="t"><div class="tei-text"><p class="p" id="p1">'
        'war <span class="app" id="d1" data-type="punctuation"><span class="lem" data-wit="W">–</span>'
        '<span class="rdg" data-wit="P">—</span></span> and peace '
        '<span class="app" id="d2" data-type="punctuation"><span class="lem" data-wit="W">–</span>'
        '<span class="rdg" data-wit="P">—</span></span> end</p></div></section></body></html>')
    key_blocks(tree)
    key = tree.get_element_by_id("p1").get("data-lk")
    text = "".join(streams(tree)[key].chars)
    lines = [Line(0, 0, key, "t", 0, 7)]
    first, second = text.index("–"), text.rindex("–")
    places = {"d1": LemmaPlace("d1", key, first, 0, 0, 0, 7, 7), "d2": LemmaPlace("d2", key, second, 0, 0, 0, 7, 7)}
    EntryBuilder(tree, None).insert(tree, Reading(lines, places, []))
    found = [" ".join(fn.text_content().split()) for fn in tree.iter() if "lk-fn" in (fn.get("class") or "")]
    # never punctuation alone: the lemma is the word with its mark (issue 17)
    assert found == ["7 war –] war — P | peace –] peace — P"]


def one_line(body: str, marks: dict[str, str]) -> list[str]:
    """The entries of a one-line paragraph (line 7); ``marks`` gives each app the text it starts at."""
    tree = html.document_fromstring(
        '<html><body><section class="text lk-text" data-text="t"><div class="tei-text"><p class="p" id="p1">'
        f'{body}</p></div></section></body></html>')
    key_blocks(tree)
    key = tree.get_element_by_id("p1").get("data-lk")
    text = "".join(streams(tree)[key].chars)
    lines = [Line(0, 0, key, "t", 0, 7)]
    places, start = {}, 0
    for app, at in marks.items():
        pos = text.index(at, start)
        places[app] = LemmaPlace(app, key, pos, 0, 0, 0, 7, 7)
        start = pos + 1
    EntryBuilder(tree, None).insert(tree, Reading(lines, places, []))
    return [" ".join(fn.text_content().split()) for fn in tree.iter() if "lk-fn" in (fn.get("class") or "")]


def app(app_id: str, lem: str, rdg: str, kind: str = "punctuation") -> str:
    return (f'<span class="app" id="{app_id}" data-type="{kind}"><span class="lem" data-wit="W">{lem}</span>'
            f'<span class="rdg" data-wit="P">{rdg}</span></span>')


def test_a_mark_glued_to_its_word_is_printed_with_it():
    found = one_line(f"so-called “patriotism{app('q', '”.', '.”')} Like", {"q": "”."})
    assert found == ["7 patriotism”.] patriotism.” P"]


def test_a_spaced_dash_against_a_closed_one_keeps_each_witness_spacing():
    found = one_line(f"working class{app('d', ' – ', '—')}but society", {"d": "–"})
    assert found == ["7 class –] class— P"]


def test_an_opening_mark_takes_the_word_after_it():
    found = one_line(f"the {app('o', '“', '')}Who said", {"o": "“"})
    assert found == ["7 “Who] Who P"]


def test_a_pair_of_quotation_marks_is_one_entry():
    found = one_line(f"an organ ({app('o', '“', '')}instrument{app('c', '”', '')}) of power",
                     {"o": "“", "c": "”"})
    assert found == ["7 “instrument”] instrument P"]


def test_every_repeated_lemma_on_a_line_has_its_counter():
    found = one_line(f"said yes{app('a', '”,', ',”')} then yes{app('b', '”,', ',”')} again",
                     {"a": "”,", "b": "”,"})
    assert found == ["7 yes”,¹] yes,” P | yes”,²] yes,” P"]
