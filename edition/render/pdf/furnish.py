"""The print furniture put on the volume's HTML tree once the template has made it.

In: the print HTML tree (``lxml.html``) of ``edition.render.pdf.document.compose_book``. Out:
the same tree, changed in place: running titles on the headings, a PDF bookmark on every
division (one without a heading labelled by its type and first words), ``opening`` on each
text's first paragraph, each footnote's kind and its rule, additions joined to the word before
them, and stand-in anchors for link targets that other pieces of the volume hold.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from edition.render.pdf.bookparts import running_title
from edition.render.pdf.printhtml import collapse_space, visible_text
from edition.render.pdf.units import ORDER


def furnish(tree, link_targets) -> None:
    """Running titles, bookmarks, apparatus rules, additions and stand-in link targets."""
    for head in tree.iter("h2", "h3"):
        # the heading as printed: not its variants' hidden readings nor their marks
        head.set("data-running", running_title(visible_text(head)))
    _bookmark_headless(tree)
    mark_opening_paragraphs(tree)
    _rule_notes(tree)
    _attach_additions(tree)
    add_link_targets(tree, link_targets)


def add_link_targets(tree, ids) -> None:
    """Stand-in anchors for ``ids``: each on the first link to it (so that no element is added
    to the page or to the PDF's structure), else an empty span at the end of the body."""
    spare = []
    for anchor in ids:
        link = next((a for a in tree.xpath("//a[@href=$h]", h="#" + anchor) if a.get("id") is None), None)
        if link is not None:
            link.set("id", anchor)
            link.set("data-stand-in", "")
        else:
            spare.append(anchor)
    if not spare:
        return
    holder = (tree.xpath("//nav[@id='contents']") or tree.xpath("//section[@data-text]") or [tree.body])[-1]
    box = lxml_html.Element("div")
    box.set("class", "link-targets")
    box.set("aria-hidden", "true")
    for anchor in spare:
        span = lxml_html.Element("span")
        span.set("id", anchor)
        span.set("data-stand-in", "")
        box.append(span)
    holder.append(box)


_NOT_READ = ("pn", "cite", "app-mark", "rdg", "alt", "note", "margin-note", "pb", "ms", "ln", "surplus-mark")


def division_label(div) -> str:
    """A bookmark label for a division without a heading: whose part it is, else its type and first words."""
    said = div.xpath("./p[contains(concat(' ', @class, ' '), ' div-label ')]")
    if said:
        said = " ".join(said[0].text_content().split())
        return said[:1].upper() + said[1:]
    kind = (div.get("data-type") or "part").replace("_", " ")
    kind = kind[:1].upper() + kind[1:]
    first = next(iter(div.xpath(".//p | .//li | .//*[contains(concat(' ', @class, ' '), ' l ')]")), None)
    if first is None:
        return kind
    copy = lxml_html.fragment_fromstring(lxml_html.tostring(first, encoding="unicode"), create_parent="div")
    for el in list(copy.iter()):
        if el.getparent() is not None and set((el.get("class") or "").split()) & set(_NOT_READ):
            el.drop_tree()   # margin numbers, hidden readings, footnotes: not words of the division
    words = copy.text_content().split()
    return f"{kind}: {' '.join(words[:6])}{' …' if len(words) > 6 else ''}" if words else kind


def mark_opening_paragraphs(tree) -> None:
    """Class ``opening`` on each text's first paragraph, however deep its divisions nest: set
    under the text's title, it is not indented (CSS cannot find the first of a kind in a tree)."""
    for body in tree.xpath("//div[contains(concat(' ', @class, ' '), ' tei-text ')]"
                           "/div[contains(concat(' ', @class, ' '), ' body ')]"):
        first = next(iter(body.xpath(".//p[not(ancestor::*[contains(concat(' ', @class, ' '), ' note ')])]")), None)
        if first is not None:
            first.set("class", f"{first.get('class') or ''} opening".strip())


def _bookmark_headless(tree) -> None:
    """Give every division without a heading a bookmark, at the level its heading would have."""
    for div in tree.xpath("//div[contains(concat(' ', @class, ' '), ' div ')]"):
        depth = len(div.xpath("ancestor::*[(self::section or self::div) and "
                              "contains(concat(' ', @class, ' '), ' div ')]"))
        label = division_label(div).replace("\\", "\\\\").replace('"', '\\"')
        div.set("style", f'bookmark-level: {min(depth + 2, 6)}; bookmark-label: "{label}"')


def _rule_notes(tree) -> None:
    """Give each note its kind and a footnote rule (the page keeps one), so notes sit under a rule."""
    for note in tree.xpath("//span[contains(concat(' ', @class, ' '), ' note ')]"):
        rule = lxml_html.Element("span")
        rule.set("class", "lk-sep")
        rule.set("data-tier", "notes")
        rule.set("data-fn-order", str(ORDER["rule-notes"]))
        rule.set("aria-hidden", "true")
        note.set("data-fn-order", str(ORDER["notes"]))
        # WeasyPrint keeps the source's line ends in a footnote body as breaks: collapse them.
        tail, note.tail = note.tail, None
        collapse_space(note)
        note.tail = tail
        note.text = (note.text or "").lstrip()   # no indent from the source's line end
        label = (note.get("data-n") or "").strip()
        if label and re.match(rf"\s*[(\[]?{re.escape(label)}[)\].]", "".join(note.itertext())):
            note.set("class", note.get("class") + " labelled")   # the note prints its own number
        rule.tail, note.tail = note.tail, None
        note.addnext(rule)   # after the note: the rule (no height) goes wherever the note went


def _attach_additions(tree) -> None:
    """Join an addition (a unit with an empty lemma) to the word before it.

    ``word <empty unit> next`` puts an empty box between two spaces, where WeasyPrint may break
    the line early; ``word<empty unit> next`` reads the same and keys the addition to its word.
    """
    for app in tree.xpath("//span[contains(concat(' ', @class, ' '), ' app ')]"):
        lem = next((c for c in app if "lem" in (c.get("class") or "").split()), None)
        if lem is None or "".join(lem.itertext()).strip():
            continue
        previous = app.getprevious()
        if previous is not None:
            before = previous.tail or ""
            previous.tail = before.rstrip()
        else:
            before = app.getparent().text or ""
            app.getparent().text = before.rstrip()
        if before != before.rstrip() and not (app.tail or "")[:1].isspace():
            app.tail = " " + (app.tail or "")
