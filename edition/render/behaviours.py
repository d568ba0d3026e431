"""The behaviour table: which TEI element (and predicate) renders how.

In: a TEI element. Out: the ``Rule`` saying how the HTML renderer treats it (the idea of
TEI Publisher's processing model and CETEIcean's default behaviours, as plain data).

A rule is ``(element, predicate, behaviour, tag, cls)``; for one element the first rule whose
predicate holds wins. Behaviours are a closed set implemented once in ``edition.render.html``:

``paragraph``  a numbered, citable block (``<p>``, or ``<div class="p">`` when it holds blocks)
``heading``    ``<h2>``/``<h3>``… by division depth; a head elsewhere is a styled block
``division``   a ``<div>`` that counts for heading depth and the table of contents
``block``      a ``<div>`` (a ``<span>`` with display block inside running text)
``inline``     a ``<span>`` or the given phrasing tag (``i``, ``b``, ``sup`` …)
``content``    the element's content only, no wrapper
``omit``       nothing at all (metadata, analysis, forme work), no warning
``link``       ``<a href>`` for ``ref``/``ptr``; a reference to a note becomes a note reference
``anchor``     an empty target (``anchor``, ``witStart`` …) that keeps its id
``break``      ``lb`` (invisible, honours ``break="no"``), ``pb`` (margin marker), ``cb``
``milestone``  a section divider
``list``/``item``/``verse``/``line``  lists and verse
``note``/``alternate``/``table``/``choice``/``gap``  handled by code in ``edition.render.handlers``
``set-aside``  words in the source the editors do not read (``surplus``): out of the reading text,
               a discreet mark there, the words listed after the text

An element with no rule renders its content and the renderer warns (W601) naming file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lxml import etree

from edition.tei import vocabulary as V
from edition.tei.xmlio import local_name

Predicate = Callable[[etree._Element], bool]


@dataclass(frozen=True)
class Rule:
    """How one element renders: a behaviour, and optionally an HTML tag and class."""

    element: str
    behaviour: str
    predicate: Predicate | None = None
    tag: str | None = None
    cls: str | None = None
    title: str | None = None    # shown on hover (what the markup means)


def rend_has(*words: str) -> Predicate:
    """True when the element's ``@rend``/``@rendition`` mentions one of ``words``."""
    def test(el: etree._Element) -> bool:
        rend = (el.get("rend", "") + " " + el.get("rendition", "")).lower()
        return any(word in rend for word in words)
    return test


def attr_is(name: str, *values: str) -> Predicate:
    """True when attribute ``name`` has one of ``values``."""
    return lambda el: el.get(name) in values


def parent_is(*names: str) -> Predicate:
    """True when the element's parent is one of ``names``."""
    return lambda el: el.getparent() is not None and local_name(el.getparent()) in names


def _standoff_app(el: etree._Element) -> bool:
    # Location-referenced or double-end-point apparatus, or one gathered in a listApp:
    # it is not in the running text, so it renders as an entry where it stands.
    return bool(el.get("from") or el.get("loc")) or parent_is("listApp")(el)


def _many(behaviour: str, names: str, tag: str | None = None, cls: str | None = None) -> list[Rule]:
    return [Rule(name, behaviour, tag=tag, cls=cls or name) for name in names.split()]


BEHAVIOURS: list[Rule] = [
    # structure
    *_many("content", "text group"),
    *_many("block", "front body back", cls=None),
    *_many("division", "div div1 div2 div3 div4 div5 div6 div7"),
    Rule("head", "heading", parent_is("div", "div1", "div2", "div3", "div4", "div5", "div6", "div7",
                                      "body", "front", "back")),
    Rule("head", "block", cls="head"),
    # a paragraph the source prints in bold (an unmade doubled heading: rendition="#doubled-bold")
    Rule("p", "paragraph", rend_has("bold"), cls="p bold"),
    *_many("paragraph", "p ab"),
    # notes, apparatus and the other handlers
    Rule("note", "note"),
    Rule("app", "apparatus-entry", _standoff_app),
    Rule("app", "alternate"),
    Rule("listApp", "list", cls="listapp"),
    # witDetail is shown in its apparatus entry; fw (running heads, page numbers) is not text
    *_many("omit", " ".join(sorted(V.NEVER_TEXT | V.WITNESS_DETAIL | V.FIGURE_DATA))),
    Rule("figure", "block", cls="figure"),
    Rule("interpGrp", "list", cls="interpGrp"),
    Rule("interp", "item", cls="interp"),
    Rule("spanGrp", "list", cls="spanGrp"),
    Rule("span", "item", parent_is("spanGrp"), cls="annotation"),
    Rule("span", "inline", cls="span"),
    Rule("rdgGrp", "content"),
    Rule("lem", "inline", cls="lem"),
    Rule("rdg", "inline", cls="rdg"),
    Rule("table", "table"),
    Rule("choice", "choice"),
    Rule("gap", "gap"),
    # in the source but not read: a mark in the text, the words listed apart (render.setaside)
    Rule("surplus", "set-aside"),
    # breaks and empty markers
    *_many("break", " ".join(sorted(V.BREAKS))),  # and "space" below: a space
    *_many("anchor", " ".join(sorted(V.MARKERS))),
    Rule("milestone", "milestone"),
    Rule("space", "break"),
    # links
    *_many("link", "ref ptr"),
    # lists and verse
    *_many("list", "list listBibl listPerson listPlace listOrg listWit castList castGroup"),
    *_many("item", "item castItem person place org witness"),
    Rule("label", "item", parent_is("list"), cls="label"),
    Rule("bibl", "item", parent_is("listBibl")),
    Rule("biblStruct", "item", parent_is("listBibl")),
    Rule("lg", "verse"),
    Rule("l", "line"),
    # emphasis and phrases with their own HTML tag
    Rule("hi", "inline", rend_has("italic", "ital"), tag="i"),
    Rule("hi", "inline", rend_has("bold"), tag="b"),
    Rule("hi", "inline", rend_has("sup"), tag="sup"),
    Rule("hi", "inline", rend_has("sub"), tag="sub"),
    Rule("hi", "inline", rend_has("small-caps", "smallcaps", "smcap", "sc"), cls="sc"),
    Rule("hi", "inline", rend_has("underline"), cls="ul"),
    Rule("hi", "inline", cls="hi"),
    Rule("emph", "inline", tag="em"),
    Rule("foreign", "inline", tag="i", cls="foreign"),
    Rule("term", "inline", tag="i", cls="term"),
    Rule("mentioned", "inline", tag="i", cls="mentioned"),
    Rule("title", "inline", tag="cite", cls="title"),
    Rule("del", "inline", tag="del"),
    Rule("add", "inline", attr_is("resp", "#translator"), cls="add translator", title="Added by the translator"),
    Rule("add", "inline", attr_is("resp", "#ed"), cls="add editorial", title="Added by the editors"),
    Rule("add", "inline", cls="add"),
    *_many("inline", "supplied unclear damage sic corr orig reg abbr expan subst restore "
                     "q quote said soCalled distinct cit seg w pc c g rs name persName placeName "
                     "orgName geogName roleName forename surname addName genName nameLink date time "
                     "num measure unit author editor publisher pubPlace biblScope citedRange idno "
                     "series imprint monogr analytic bibl biblStruct respStmt resp label "
                     "settlement region country geo location birth death occupation sex "
                     "stage speaker role roleDesc docEdition docImprint docDate docAuthor "
                     "titlePart byline dateline salute signed affiliation email address addrLine "
                     "street postCode gloss desc catchwords origDate origPlace objectType material"),
    # blocks
    *_many("block", "titlePage docTitle argument epigraph opener closer postscript trailer "
                    "sp set prologue epilogue performance floatingText"),
]

_INDEX: dict[str, list[Rule]] = {}
for _rule in BEHAVIOURS:
    _INDEX.setdefault(_rule.element, []).append(_rule)

# Elements that, as blocks, make a TEI paragraph render as a ``<div>`` (HTML forbids them in <p>).
BLOCK_CHILDREN = frozenset({
    "p", "ab", "lg", "l", "list", "table", "sp", "div", "floatingText", "listBibl", "castList",
    "head", "titlePage", "opener", "closer", "castList", "listPerson", "listWit",
})


def rule_for(element: etree._Element) -> Rule | None:
    """The first rule whose element and predicate match, or None for an unknown element."""
    for rule in _INDEX.get(local_name(element), ()):
        if rule.predicate is None or rule.predicate(element):
            return rule
    return None
