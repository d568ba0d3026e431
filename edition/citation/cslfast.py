"""citeproc-py's lookups in a CSL style, remembered: the same strings, a third of the time.

In: citeproc-py's element classes (patched once, on first use, by ``remember_lookups``). Out:
the same classes, whose questions about the style's tree are answered once per element:

- ``xpath_search`` (a macro by name, a term, the enclosing ``cs:layout``, a ``cs:substitute``,
  a name's ``cs:et-al``): citeproc-py evaluates an XPath expression each time, about 650
  times per formatted item, half of the time it takes to format one;
- ``calls_variable`` (does a ``cs:group`` call a variable, through its macros): a walk of the
  group's subtree, asked again for every item;
- and, for the item being formatted, ``CitationItem.reference`` (its bibliography's entry,
  looked up through three dictionaries some 300 times a citation): kept on the item once
  found; an item is made for one citation and cites one entry all its life.

Both depend on the style's tree alone, never on the item formatted. citeproc-py changes the
tree in one place only: a ``cs:names`` without a ``cs:name`` gets one, the first time it is
rendered, which no remembered expression looks at (the expressions select ancestors, a macro
or term by name, a ``cs:substitute``, a following ``cs:et-al``, a ``cs:date-part``), and
``calls_variable`` of a ``cs:names`` is true whatever its children. The answers are kept
with their elements (the key holds the element, so lxml keeps the one Python object for it)
in a table per process; the styles are parsed once per process (``cite._csl_style``), so the
table holds the answers for three styles and their locale.

tests/test_cite_oracle.py compares the strings with citeproc-js's.
"""

from __future__ import annotations

_XPATH: dict = {}
_CALLS: dict = {}


def remember_lookups() -> None:
    """Patch citeproc-py's ``xpath_search`` and ``calls_variable`` to remember their answers."""
    from citeproc import model

    if getattr(model.CitationStylesElement, "_edition_remembers", False):
        return

    def xpath_search(self, expression):
        key = (self, expression)
        found = _XPATH.get(key)
        if found is None:
            found = _XPATH[key] = tuple(self.xpath(expression, namespaces=self.nsmap))
        return found

    model.CitationStylesElement.xpath_search = xpath_search
    for cls in (model.Parent, model.Text):
        cls.calls_variable = _remembered(cls.calls_variable)
    _keep_reference()
    model.CitationStylesElement._edition_remembers = True


def _keep_reference() -> None:
    from citeproc.source import CitationItem

    find = CitationItem.reference.fget

    def reference(self):
        kept = self.__dict__.get("_edition_reference")
        if kept is None:
            kept = find(self)   # raises until the item is registered with a bibliography
            self.__dict__["_edition_reference"] = kept
        return kept

    CitationItem.reference = property(reference)


def _remembered(calls_variable):
    def remembered(self):
        found = _CALLS.get(self)
        if found is None:
            found = _CALLS[self] = calls_variable(self)
        return found
    return remembered
