"""Where citeproc-py reads a CSL style otherwise than the CSL 1.0.2 specification, read it right.

In: a parsed CSL style (lxml tree), before citeproc-py loads it; citeproc-py's ``Names``
element class (patched once, on first use). Out: the same style, rewritten so that citeproc-py
formats as the specification (and citeproc-js, the engine Zotero uses) does:

- ``initialize="false"`` on a name (Chicago, MLA: full given names) — see ``drop_unused_initials``;
- ``disambiguate="true"``: false for one cited item (citeproc-py takes it as true, and MLA then
  names the title in every in-text citation);
- a label's ``text-case="title"`` (APA "(Ed.)"): citeproc-py never title-cases a label;
- a shorthand ``<names variable="editor"/>`` inside ``cs:substitute`` inherits the ``cs:name``
  and ``cs:label`` of the ``cs:names`` it stands in for (Chicago "The editors, ed.");
- a name variable used as a substitute is not printed again in the same entry (CSL §
  "Substitute": "The substituted variable is suppressed in the rest of the output").

tests/test_cite_oracle.py compares our strings with citeproc-js's for Chicago, MLA and APA.
"""

from __future__ import annotations

import copy

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NO_TYPE = "edition-no-such-type"   # a type no item has: a condition on it is always false
_CONDITIONS = ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position")
_REPRESSED = "edition:substituted-names"


def _csl(name: str) -> str:
    return f"{{{CSL_NS}}}{name}"


def prepare_style(style) -> None:
    """Rewrite a CSL style (its root element) in place; see the module docstring."""
    drop_unused_initials(style)
    single_item_conditions(style)
    label_title_case(style)
    substitute_inherits(style)


def drop_unused_initials(style) -> None:
    """Honour CSL 1.0.1 ``initialize="false"``, which citeproc-py ignores.

    When every ``cs:name`` of a style either says ``initialize="false"``, is a short (family
    only) form or sets its own ``initialize-with``, the style-wide ``initialize-with`` never
    applies, so removing it gives what the style means (Chicago, MLA: full given names).
    """
    names = [n for n in style.iter(_csl("name"))
             if n.getparent().tag not in (_csl("author"), _csl("contributor"))]
    if style.get("initialize-with") and all(
            n.get("initialize") == "false" or n.get("form") == "short" or n.get("initialize-with") for n in names):
        del style.attrib["initialize-with"]


def single_item_conditions(style) -> None:
    """Evaluate ``disambiguate="true"`` as false: one cited item is never ambiguous."""
    for cond in style.iter(_csl("if"), _csl("else-if")):
        if cond.get("disambiguate") != "true":
            continue
        del cond.attrib["disambiguate"]
        others = [name for name in _CONDITIONS if cond.get(name)]
        if not others or cond.get("match", "all") == "all":
            for name in others:
                del cond.attrib[name]
            cond.set("type", _NO_TYPE)   # all(false, …) is false; none(false) is true


def label_title_case(style) -> None:
    """A label's ``text-case="title"`` as ``capitalize-all``: the same for a term ("ed.", "trans.")."""
    for label in style.iter(_csl("label")):
        if label.get("text-case") == "title":
            label.set("text-case", "capitalize-all")


def substitute_inherits(style) -> None:
    """Give each shorthand ``cs:names`` in a ``cs:substitute`` its parent's name, et-al and label."""
    for substitute in style.iter(_csl("substitute")):
        parent = substitute.getparent()
        inherited = [c for c in parent if c.tag in (_csl("name"), _csl("et-al"), _csl("label"))]
        for names in substitute.iter(_csl("names")):
            if len(names) == 0:
                for child in inherited:
                    names.append(copy.deepcopy(child))


def patch_names() -> None:
    """Make citeproc-py's ``Names`` skip a name variable already printed as a substitute."""
    from citeproc import model
    from citeproc.model import VariableError

    if getattr(model.Names, "_edition_patched", False):
        return
    original = model.Names.process

    def process(self, item, names_context=None, context=None, **kwargs):
        layout = (context if context is not None else self).get_layout()
        done = layout.repressed.setdefault(_REPRESSED, set())
        roles = self.get("variable").split()
        kept = [role for role in roles if role not in done]
        if not kept:
            raise VariableError
        if kept != roles:
            self.set("variable", " ".join(kept))
        try:
            text = original(self, item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))
        if text and self.xpath("ancestor::cs:substitute", namespaces={"cs": CSL_NS}):
            done.update(role for role in kept if role in item.reference)
        return text

    model.Names.process = process
    model.Names._edition_patched = True
