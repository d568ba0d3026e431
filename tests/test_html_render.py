"""The TEI → HTML renderer (edition.render.html): the HTML contract, element by element."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lhtml

from edition.render.behaviours import rule_for
from edition.render.html import RenderContext, render_text
from edition.tei.document import Document
from edition.tei.xmlio import XML_ID, tei

FIXTURES = Path(__file__).parent / "fixtures" / "html"
COLLATED = FIXTURES / "project" / "tei" / "collated-sample.xml"
NOTES = FIXTURES / "project" / "tei" / "notes-sample.xml"


def fragment(text: str):
    return lhtml.fragment_fromstring(text, create_parent="div")


@pytest.fixture(scope="module")
def collated():
    doc = Document.load(COLLATED)
    rendered = render_text(doc)
    return doc, rendered, fragment(rendered.body), fragment(f"<ol>{rendered.apparatus_html}</ol>")


@pytest.fixture(scope="module")
def notes():
    doc = Document.load(NOTES)
    rendered = render_text(doc)
    return doc, rendered, fragment(rendered.body), fragment(f"<ul>{rendered.notes_html}</ul>")


def test_render_text_returns_fragment_and_no_warnings_for_known_elements():
    rendered = render_text(Document.load(COLLATED))
    body, diagnostics = rendered.body, rendered.diagnostics
    assert body.startswith('<div class="tei-text"')
    assert diagnostics == []


def test_every_xml_id_of_the_text_becomes_an_html_id(collated):
    doc, _, body, _ = collated
    html_ids = set(body.xpath("//@id"))
    tei_ids = {el.get(XML_ID) for el in doc.xpath("tei:text//*[@xml:id]")}
    assert tei_ids and tei_ids <= html_ids


def test_paragraphs_are_numbered_permalinks(collated):
    _, rendered, body, _ = collated
    p = body.get_element_by_id("intro.p2")
    assert p.tag == "p" and p.get("data-n") == "2"
    permalink = p.find_class("pn")[0]
    assert permalink.get("href") == "#intro.p2" and permalink.text == "2"
    assert p.find_class("cite")[0].get("data-cite") == "intro.p2"
    assert rendered.paragraphs == [("intro.p1", 1), ("intro.p2", 2), ("intro.p3", 3)]


def test_heading_is_h2_in_top_division_and_h3_below(notes):
    _, rendered, body, _ = notes
    assert body.get_element_by_id("q1.head").tag == "h2"
    assert body.get_element_by_id("q1.sub.head").tag == "h3"
    assert [e.label for e in rendered.toc] == ["The Role of the Intellectuals"]
    assert [e.label for e in rendered.toc[0].children] == ["A Table of Forces"]


def test_app_contract_lemma_readings_and_sigla(collated):
    doc, _, body, _ = collated
    for app in doc.xpath("//tei:app"):
        span = body.get_element_by_id(app.get(XML_ID))
        assert span.get("class") == "app" and span.get("data-type") == app.get("type")
        lem = app.find(tei("lem"))
        [html_lem] = span.find_class("lem")
        assert html_lem.text_content() == "".join(lem.itertext())
        assert html_lem.get("data-wit") == lem.get("wit").replace("#", "")
        rdgs = app.findall(tei("rdg"))
        html_rdgs = span.find_class("rdg")
        assert [r.get("data-wit") for r in html_rdgs] == [r.get("wit").replace("#", "") for r in rdgs]
        assert [r.text_content() for r in html_rdgs] == ["".join(r.itertext()) for r in rdgs]
        assert span.find_class("app-mark")[0].get("href") == f"#apparatus:{app.get(XML_ID)}"
        # search indexes the lemma in the running text and the readings in the apparatus list
        assert html_lem.get("data-pagefind-ignore") is None
        assert all(r.get("data-pagefind-ignore") == "" for r in html_rdgs)


def test_apparatus_entries_give_lemma_reading_sigla_and_type(collated):
    _, rendered, _, entries = collated
    entry = entries.get_element_by_id("apparatus:intro.p1.a1")
    assert entry.find_class("ae-lem")[0].text_content() == "paralysed"
    assert entry.find_class("ae-text")[0].text_content() == "paralyzed"
    assert [s.text for s in entry.find_class("sig")] == ["W", "P"]
    assert entry.find_class("ae-type")[0].text == "orthographic"
    omission = entries.get_element_by_id("apparatus:intro.p1.a4")
    assert omission.find_class("ae-text")[0].text_content() == "om."
    addition = entries.get_element_by_id("apparatus:intro.p2.a2")
    assert addition.find_class("ae-text")[0].text_content() == "add. at once"
    assert rendered.type_counts == {"case": 1, "orthographic": 1, "punctuation": 1, "substantive": 4}


def test_line_break_without_break_joins_the_word(collated, notes):
    assert "capital." in collated[2].text_content()
    assert "movement." in notes[2].text_content()
    assert "capi" not in collated[2].text_content().replace("capital", "")


def test_page_break_is_a_margin_marker(notes):
    [pb] = notes[2].find_class("pb")
    assert pb.get("data-n") == "12" and pb.text == "[p. 12]"
    assert pb.get("data-pagefind-ignore") is not None


def test_gap_and_choice_and_translator_addition(collated):
    body = collated[2]
    [gap] = body.find_class("gap")
    assert gap.tag == "abbr" and gap.text == "[…]" and "illegible" in gap.get("title")
    [choice] = body.find_class("choice")
    assert choice.find_class("corr")[0].text == "government" and "goverment" in choice.get("title")
    assert body.find_class("translator")[0].text == "[the people]"


def test_note_references_link_to_notes_and_back(notes):
    _, rendered, body, listed = notes
    ref = body.get_element_by_id("n1.r1")
    assert ref.tag == "a" and ref.get("href") == "#n1" and "noteref" in ref.get("class")
    note = listed.get_element_by_id("n1")
    assert note.get("data-n") == "1" and "for a living" in note.text_content()
    assert [a.get("href") for a in note.find_class("backref")] == ["#n1.r1", "#n1.r2"]
    assert rendered.note_count == 2


def test_uncertain_note_link_is_marked(notes):
    _, _, body, listed = notes
    ref = body.get_element_by_id("n2.r1")
    assert "uncertain" in ref.get("class").split() and "uncertain" in ref.get("title")
    assert listed.get_element_by_id("n2").find_class("cert-low")
    assert "uncertain" not in body.get_element_by_id("n1.r1").get("class")


def test_inline_notes_mode_puts_note_text_after_its_first_reference(notes):
    rendered = render_text(notes[0], RenderContext(notes="inline"))
    body = fragment(rendered.body)
    note = body.get_element_by_id("n1")
    assert note.get("class") == "note" and "for a living" in note.text_content()
    assert note.getprevious().get("id") == "n1.r1"
    assert 'id="n1"' not in rendered.notes_html   # no duplicate id in the list


def test_table_and_list(notes):
    body = notes[2]
    table = body.get_element_by_id("q1.sub.table1")
    assert table.tag == "table"
    assert [th.text for th in table.iter("th")] == ["Class", "Strength"]
    assert [li.text for li in body.get_element_by_id("q1.list1").iter("li")] == ["to study,", "to write,", "to organise."]


def test_unknown_element_renders_content_and_warns_with_file_and_line():
    path = FIXTURES / "unknown-element.xml"
    rendered = render_text(Document.load(path))
    body, diagnostics = rendered.body, rendered.diagnostics
    assert "the mark text" in body and "wholly made up" in body
    by_name = {d.message.split("<")[1].split(">")[0]: d for d in diagnostics}
    assert set(by_name) == {"metamark", "fancyThing"}
    assert by_name["metamark"].code == "W601" and by_name["metamark"].line == 6
    assert by_name["metamark"].path.endswith("unknown-element.xml")
    assert "1 more" in by_name["metamark"].message
    assert by_name["fancyThing"].line == 7


def test_blocks_inside_a_paragraph_keep_the_html_valid():
    rendered = render_text(Document.load(FIXTURES / "nested.xml"))
    body = fragment(rendered.body)
    p = body.get_element_by_id("v.p1")
    # verse inside a quote inside a paragraph: the verse becomes spans shown as blocks
    assert p.tag == "p" and not p.xpath(".//div | .//p | .//ul | .//table")
    assert [line.text_content() for line in p.find_class("l")] == ["first line,", "5fifth line"]
    assert [h.tag for h in body.iter("h2", "h3", "h4")] == ["h2", "h3", "h4"]
    assert not body.xpath("//a//a")   # a link inside a link is rendered as a span
    assert "footnote" in rendered.notes_html.replace("<b>", "").replace("</b>", "")


def test_behaviour_table_first_matching_predicate_wins():
    from lxml import etree
    hi = etree.fromstring('<hi xmlns="http://www.tei-c.org/ns/1.0" rend="italic"/>')
    assert rule_for(hi).tag == "i"
    hi.set("rend", "bold")
    assert rule_for(hi).tag == "b"
    hi.set("rend", "wavy")
    assert rule_for(hi).cls == "hi"
    unknown = etree.fromstring('<zzz xmlns="http://www.tei-c.org/ns/1.0"/>')
    assert rule_for(unknown) is None


@pytest.mark.parametrize("code, expected", [("en", "en"), ("deu", "de"), ("fra", "fr"), ("lat", "la"),
                                            ("grc", "grc"), ("la-Latn", "la-Latn"), ("MP", None),
                                            ("x y", None), (None, None)])
def test_tei_language_codes_become_bcp47(code, expected):
    from edition.render.lang import html_lang
    assert html_lang(code) == expected


@pytest.fixture(scope="module")
def surplus():
    doc = Document.load(FIXTURES / "surplus.xml")
    rendered = render_text(doc)
    return doc, rendered, fragment(rendered.body), fragment(f"<ul>{rendered.setaside_html}</ul>")


def test_surplus_is_not_read_but_marked_and_listed_after_the_text(surplus):
    doc, rendered, body, listed = surplus
    p2 = body.get_element_by_id("s.p2")
    # the repeated words are not in the reading text, only a discreet mark where they stand
    assert "The standfirst" not in p2.text_content()
    assert body.text_content().count("The standfirst") == 1
    [mark] = p2.find_class("surplus-mark")
    assert mark.tag == "a" and mark.text == "[repeated in the witness]"
    assert mark.get("data-pagefind-ignore") is not None
    # the mark leads to the entry, which gives the words, where, why, who and what they repeat
    entry = listed.get_element_by_id(mark.get("href")[1:])
    assert " ".join(entry.find_class("sa-words")[0].text_content().split()) == "The standfirst, read once."
    assert entry.find_class("sa-words")[0].find("i").text == "read"
    assert entry.find_class("sa-why")[0].text == "Repeated in the witness; set aside by the editors"
    assert entry.find_class("ae-loc")[0].get("href") == "#" + mark.get("id")
    assert entry.find_class("ae-loc")[0].text == "¶ 2"
    [repeats] = entry.xpath(".//a[@href='#s.p1']")
    assert repeats.text == "¶ 1"
    assert p2.text_content().rstrip().endswith("(May 2004)")


def test_surplus_without_reason_and_forme_work(surplus):
    _, rendered, body, listed = surplus
    p3 = body.get_element_by_id("s.p3")
    assert "and on" not in p3.text_content()
    assert p3.find_class("surplus-mark")[0].text == "[set aside]"
    assert [" ".join(e.find_class("sa-words")[0].text_content().split()) for e in listed.find_class("setaside")] == \
        ["The standfirst, read once.", "and on"]
    assert "RUNNING HEAD" not in body.text_content() + rendered.setaside_html   # fw is omitted on purpose
    assert rendered.diagnostics == []


def test_surplus_in_print_mode_is_an_unlinked_mark(surplus):
    rendered = render_text(surplus[0], RenderContext(notes="inline"))
    p2 = fragment(rendered.body).get_element_by_id("s.p2")
    [mark] = p2.find_class("surplus-mark")
    assert mark.tag == "span" and "The standfirst" not in p2.text_content()
    # the words are still listed, for print to place (their entry points back to the mark)
    entry = fragment(f"<ul>{rendered.setaside_html}</ul>").find_class("setaside")[0]
    assert entry.find_class("ae-loc")[0].get("href") == "#" + mark.get("id")


def test_emendation_entry_says_it_is_the_editors_decision_with_rejected_reading_and_reason(tmp_path):
    path = tmp_path / "emended.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>E</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="W"/><witness xml:id="P"/>'
        '</listWit></sourceDesc></fileDesc></teiHeader><text><body><p xml:id="e.p1">bring it '
        '<app type="substantive" xml:id="e.a1"><lem wit="#P" resp="#ed" cause="emendation"/><rdg wit="#W">come </rdg>'
        '<note type="emendation" resp="#ed">W is ungrammatical.</note></app>crashing down.</p></body></text></TEI>',
        encoding="utf-8")
    rendered = render_text(Document.load(path))
    entry = fragment(f"<ol>{rendered.apparatus_html}</ol>").get_element_by_id("apparatus:e.a1")
    assert entry.find_class("ae-emend")[0].text == "Emended by the editors:"
    assert entry.find_class("ae-text")[0].text_content() == "add. come"
    assert [s.text for s in entry.find_class("ae-rdg")[0].find_class("sig")] == ["W"]
    assert entry.find_class("ae-rejected")[0].text == "(rejected)"
    assert entry.find_class("ae-note")[0].text_content() == "Reason: W is ungrammatical."
    body = fragment(rendered.body)
    # the reason is read in the entry, not as a bare note number inside the sentence
    assert not body.find_class("noteref") and "crashing down" in body.text_content()
    assert "emended by the editors" in body.find_class("app-mark")[0].get("aria-label")
    # and it is still listed with the notes, linking back to its entry
    notes = fragment(f"<ul>{rendered.notes_html}</ul>")
    assert [a.get("href") for a in notes.find_class("backref")] == ["#apparatus:e.a1"]


def test_list_run_into_the_sentence_stays_in_its_paragraph(tmp_path):
    path = tmp_path / "inline-list.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>L</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p xml:id="l.p1">(See <list rend="inline"><item>Part One</item><item>Part Two</item></list>)</p>'
        '</body></text></TEI>', encoding="utf-8")
    p = fragment(render_text(Document.load(path)).body).get_element_by_id("l.p1")
    assert p.tag == "p" and not p.xpath(".//ul | .//li")
    assert [i.text for i in p.find_class("item")] == ["Part One", "Part Two"]


def test_parts_only_some_witnesses_have_are_marked_with_their_sigla(tmp_path):
    path = tmp_path / "paratext.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="W"/><witness xml:id="P"/>'
        '</listWit><bibl xml:id="b1">A book</bibl></sourceDesc></fileDesc></teiHeader><text><front><titlePage>'
        '<byline source="#P" xml:id="t.by">By A. Writer</byline></titlePage><argument source="#W" xml:id="t.arg">'
        '<p>A summary.</p></argument></front><body><p xml:id="t.p1"><quote source="#b1">Quoted</quote> words.</p>'
        '</body></text></TEI>', encoding="utf-8")
    body = fragment(render_text(Document.load(path)).body)
    assert body.get_element_by_id("t.by").get("data-source") == "P"
    argument = body.get_element_by_id("t.arg")
    assert argument.get("data-source") == "W" and argument.find_class("div-label")[0].text == "summary of W"
    # a @source that is not a witness (a quotation's source) is not a witness's part
    assert body.find_class("quote")[0].get("data-source") is None


def test_endnotes_keep_the_source_order_and_doubts_are_shown(tmp_path):
    path = tmp_path / "endnotes.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>N</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p xml:id="e.p1">One <ref target="#m2" cert="low" xml:id="m2.r1">(2)</ref> and '
        '<ref target="#m1" xml:id="m1.r1">(1)</ref> and <ref target="#m2" xml:id="m2.r2">(2)</ref>.'
        '<pb n="4" cert="low"/>Page.</p></body>'
        '<back><div type="notes"><note xml:id="m1" n="1">First.</note><note xml:id="m2" n="2">Second.</note></div>'
        '</back></text></TEI>', encoding="utf-8")
    rendered = render_text(Document.load(path))
    listed = fragment(f"<ul>{rendered.notes_html}</ul>")
    assert [li.get("id") for li in listed.find_class("note")] == ["m1", "m2"]
    backrefs = listed.get_element_by_id("m2").find_class("backref")
    assert [(a.text, "uncertain" in a.get("class")) for a in backrefs] == [("↑?", True), ("↑", False)]
    [pb] = fragment(rendered.body).find_class("pb")
    assert pb.text == "[p. 4?]" and pb.get("title") == "The page number is uncertain"


def test_web_apparatus_locates_by_paragraph_and_word_and_shows_a_mark_with_its_word():
    """Two variants of one paragraph are told apart by their word; "–] — P" is never an entry."""
    from lxml import html as lxml_html

    from edition.render.html import RenderContext, render_text
    from edition.tei.document import Document

    tei = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
           b'</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
           b'</teiHeader><text><body><p>One two class<app type="punctuation"><lem wit="#W"> \xe2\x80\x93 </lem>'
           b'<rdg wit="#P">\xe2\x80\x94</rdg></app>but so-called \xe2\x80\x9cthing<app type="punctuation">'
           b'<lem wit="#W">\xe2\x80\x9d.</lem><rdg wit="#P">.\xe2\x80\x9d</rdg></app> End.</p></body></text></TEI>')
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xml"
        path.write_bytes(tei)
        rendered = render_text(Document.load(path), RenderContext())
    entries = [" ".join(li.text_content().split())
               for li in lxml_html.fromstring(f"<div>{rendered.apparatus_html}</div>").iter("li")]
    # words counted by hand (a dash alone is no word): One two class → 3; but so-called “thing → 6
    assert entries[0].startswith("¶ 1, word 3 class – W] class— P")
    assert entries[1].startswith("¶ 1, word 6 thing”. W] thing.” P")


def test_a_note_no_call_points_to_is_named_by_its_type_not_numbered(tmp_path):
    """A translator's note at the head of the endnotes is not labelled "1" like note (1)."""
    from lxml import html as lxml_html

    from edition.render.html import RenderContext, render_text
    from edition.tei.document import Document

    path = tmp_path / "t.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body><p>Text <ref type="noteref" target="#n1">(1)</ref> here.</p></body>'
        '<back><div type="notes"><note xml:id="nt" type="translator">Mind for spirit.</note>'
        '<note xml:id="n1" n="1">(1) The first note.</note></div></back></text></TEI>', encoding="utf-8")
    rendered = render_text(Document.load(path), RenderContext())
    items = lxml_html.fromstring(f"<ul>{rendered.notes_html}</ul>").iter("li")
    labels = {li.get("id") or li.get("data-n"): (li.get("data-n"), li.get("class")) for li in items}
    assert labels["nt"] == ("Translator’s note", "note named")
    assert [v for k, v in labels.items() if k != "nt"][0][0] == "1"
