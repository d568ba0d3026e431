"""Parts of the shared HTML contract the print edition reads: lists that number their own
items (no second, automatic number) and the emendation facts on an ``app``'s lemma."""

from __future__ import annotations

from lxml import html as lhtml

from edition.render.html import render_text
from edition.tei.document import Document

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>L</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit><witness xml:id="W"/>'
        '<witness xml:id="P"/></listWit></sourceDesc></fileDesc></teiHeader><text><body>')
TAIL = '</body></text></TEI>'


def body(tmp_path, text: str):
    path = tmp_path / "t.xml"
    path.write_text(HEAD + text + TAIL, encoding="utf-8")
    return lhtml.fragment_fromstring(render_text(Document.load(path)).body, create_parent="div")


def test_items_with_label_numbers_are_not_numbered_again(tmp_path):
    page = body(tmp_path, '<list type="ordered" xml:id="l1"><item><lb n="3"/><label>1.</label> Free elections.</item>'
                          '<item><label>2.</label> No army.</item></list>')
    ol = page.get_element_by_id("l1")
    assert ol.tag == "ol" and "list-style-type: none" in ol.get("style", "")
    assert [" ".join(li.text_content().split()) for li in ol.findall("li")] == ["1. Free elections.", "2. No army."]


def test_items_numbered_in_their_text_are_not_numbered_again(tmp_path):
    page = body(tmp_path, '<list xml:id="l2"><item>1) one</item><item>2) two</item></list>')
    ol = page.get_element_by_id("l2")
    assert ol.tag == "ol" and "list-style-type: none" in ol.get("style", "")


def test_ordered_list_without_own_numbers_keeps_automatic_numbers(tmp_path):
    page = body(tmp_path, '<list type="ordered" xml:id="l3"><item>one</item><item>two 2.</item></list>'
                          '<list xml:id="l4"><item>apples</item></list>')
    assert page.get_element_by_id("l3").tag == "ol" and not page.get_element_by_id("l3").get("style")
    assert page.get_element_by_id("l4").tag == "ul" and not page.get_element_by_id("l4").get("style")


def test_emended_lemma_carries_cause_and_resp(tmp_path):
    page = body(tmp_path, '<p xml:id="p1">bring it <app xml:id="a1" type="substantive"><lem wit="#P" resp="#ed" '
                          'cause="emendation">crashing</lem><rdg wit="#W">come crashing</rdg></app> down. '
                          '<app xml:id="a2" type="case"><lem wit="#W">who</lem><rdg wit="#P">WHO</rdg></app></p>')
    lem = page.get_element_by_id("a1").find_class("lem")[0]
    assert (lem.get("data-cause"), lem.get("data-resp"), lem.get("data-wit")) == ("emendation", "ed", "P")
    plain = page.get_element_by_id("a2").find_class("lem")[0]
    assert plain.get("data-cause") is None and plain.get("data-resp") is None
    # only the lemma says so, not the rejected reading
    assert page.get_element_by_id("a1").find_class("rdg")[0].get("data-cause") is None


def test_note_opening_with_its_own_number_shows_it_once(tmp_path):
    path = tmp_path / "n.xml"
    path.write_text(HEAD + '<p xml:id="p1">Text <ref type="noteref" target="#n8">(8)</ref> and '
                    '<ref target="#n9">9</ref>.</p></body><back><div type="notes">'
                    '<note xml:id="n8" n="8" place="end">(8) The MNR became the government.</note>'
                    '<note xml:id="n9" n="9" place="end">No number of its own.</note></div></back></text></TEI>',
                    encoding="utf-8")
    notes = lhtml.fragment_fromstring(render_text(Document.load(path)).notes_html, create_parent="ol")
    n8, n9 = notes.get_element_by_id("n8"), notes.get_element_by_id("n9")
    assert " ".join(n8.text_content().split()).startswith("(8) The MNR")
    assert n8.find_class("note-label")[0].text_content() == "" and n8.get("data-n") == "8"
    assert n9.find_class("note-label")[0].text_content() == "9"
