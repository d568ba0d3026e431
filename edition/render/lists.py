"""Lists and verse in the HTML: the behaviours ``list``, ``item``, ``verse`` and ``line`` of the
table in ``edition.render.behaviours``.

In: a ``list``/``item``/``lg``/``l`` element met by ``edition.render.html.HtmlRenderer`` (passed
as ``r``) with the walk's mode. Out: HTML appended to ``out``: ``<ul>``/``<ol>`` (spans inside a
sentence), a list whose items carry their own numbers as ``<ol class="source-numbered">`` with
no automatic number beside them, a verse group as a block, each line with its number every
fifth line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from lxml import etree

from edition.render.behaviours import Rule, rule_for
from edition.tei.xmlio import local_name

_ITEM_NUMBER = re.compile(r"\s*(\(?\d+[.):]|\(?[a-zA-Z][.)]|\(?[ivxlcIVXLC]+[.)])(\s|$)")


def _numbers_its_items(el: etree._Element) -> bool:
    """True when every item of the list starts with its own number (a ``label`` or "1." in the text)."""
    items = [c for c in el if isinstance(c.tag, str) and local_name(c) == "item"]
    if not items:
        return False
    for item in items:
        first = next((c for c in item if isinstance(c.tag, str)
                      and local_name(c) not in ("lb", "pb", "cb", "milestone", "anchor")), None)
        if first is not None and local_name(first) == "label" and not (item.text or "").strip():
            continue
        words = "".join(item.itertext())
        if not _ITEM_NUMBER.match(words):
            return False
    return True


def render_list(r, el, out, mode, rule: Rule) -> None:
    """A list: ``<ul>``/``<ol>``, spans inside a sentence; its own numbers printed once."""
    if "inline" in (el.get("rend") or "").split():   # a list run into the sentence
        mode = replace(mode, phrasing=True)
        rule = replace(rule, cls=f"{rule.cls} inline")
    if mode.phrasing:
        tag, item_tag = "span", "span"
    else:
        ordered = (el.get("type") or el.get("rend") or "") in ("ordered", "numbered")
        tag, item_tag = ("ol" if ordered else "ul"), "li"
    if tag != "span" and _numbers_its_items(el):
        # the source's own numbers are printed: a second, automatic one would read "1. 1."
        tag = "ol"
        out.append(f'<ol{r.attrs(el, mode, f"{rule.cls} source-numbered")} style="list-style-type: none">')
    else:
        out.append(f"<{tag}{r.attrs(el, mode, rule.cls)}>")
    inner = replace(mode, numbered=False)
    for child in el:
        if not isinstance(child.tag, str):
            continue
        child_rule = rule_for(child)
        if child_rule is not None and child_rule.behaviour == "item":
            render_item(r, child, out, inner, child_rule, item_tag)
        else:
            out.append(f'<{item_tag} class="list-part">')
            r.render(child, out, inner if item_tag == "li" else replace(inner, phrasing=True))
            out.append(f"</{item_tag}>\n")
    if tag == "span" and out[-1].endswith("\n"):
        out[-1] = out[-1][:-1]   # in a sentence: no space before what follows, e.g. ")"
    out.append(f"</{tag}>" if tag == "span" else f"</{tag}>\n")


def render_item(r, el, out, mode, rule: Rule, tag: str | None = None) -> None:
    """An item (``tag``: ``li`` in a list, else a block, or a span in running text)."""
    tag = tag or ("span" if mode.phrasing else "div")
    out.append(f"<{tag}{r.attrs(el, mode, rule.cls)}>")
    r.render_children(el, out, replace(mode, numbered=False, phrasing=mode.phrasing or tag == "span"))
    out.append(f"</{tag}>\n")


def render_verse(r, el, out, mode, rule: Rule) -> None:
    """A verse group: a block of lines, not numbered as a paragraph."""
    r._block(el, out, replace(mode, numbered=False), Rule("lg", "block", cls="lg"))


def render_line(r, el, out, mode, rule: Rule) -> None:
    """A verse line, with its number in the margin every fifth line."""
    tag = "span" if mode.phrasing else "div"
    out.append(f"<{tag}{r.attrs(el, mode, 'l', dir_=r.block_direction(el))}>")
    n = el.get("n")
    if n and n.isdigit() and int(n) % 5 == 0:
        out.append(f'<span class="ln" data-pagefind-ignore="">{escape(n)}</span>')
    r.render_children(el, out, replace(mode, phrasing=True))
    out.append(f"</{tag}>\n")
