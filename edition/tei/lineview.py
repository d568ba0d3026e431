"""The witness, line by line, regenerated from the TEI alone (the "nothing lost" check).

In: a TEI tree written by ``ingest`` (or corrected by an editor). Out: ``{line number: text}``
for every ``<lb n="…"/>`` of the text, rebuilt from the markup: a line is the text from its
``<lb>`` to the next; an ``<lb break="no"/>`` after a line that does not already end in a
hyphen gives that line back its soft hyphen; a divider (``<milestone rend="* * *"/>``) is its
``@rend``; forme work is its text; cells of a table row are separated by a space. Also the
lines whose difference from the witness an editorial intervention explains
(``explained_lines``): heads given a ``@rendition`` (recovered doubled headings) and table rows.

Compared with the source (``compare``), every witness line must come back, in order, equal
to the source apart from spaces at either end, or be explained.
"""

from __future__ import annotations

from lxml import etree

from edition.tei.vocabulary import METADATA
from edition.tei.xmlio import TEI_NS, local_name

_TEXT = f"{{{TEI_NS}}}text"


def witness_lines(root: etree._Element) -> tuple[dict[int, str], list[int]]:
    """(``{line: text}``, the line numbers in document order) regenerated from ``<text>``."""
    lines: dict[int, list[str]] = {}
    order: list[int] = []
    state = {"current": None}

    def add(text: str | None) -> None:
        if text and state["current"] is not None:
            lines[state["current"]].append(text)

    def visit(element: etree._Element) -> None:
        name = local_name(element)
        if name == "lb" and element.get("n", "").isdigit():
            previous = state["current"]
            if element.get("break") == "no" and previous is not None:
                if not "".join(lines[previous]).rstrip().endswith("-"):
                    lines[previous] = ["".join(lines[previous]).rstrip() + "-"]
            state["current"] = int(element.get("n"))
            lines.setdefault(state["current"], [])
            order.append(state["current"])
        elif name == "milestone" and element.get("rend"):
            add(element.get("rend"))
        elif name == "cell" and element.getprevious() is not None:
            add(" ")
        if name not in METADATA and name != "gap":  # a gap's description is ours, not the witness's
            add(element.text)
            for child in element:
                if isinstance(child.tag, str):
                    visit(child)
                add(child.tail)

    text = root.find(_TEXT) if root.tag != _TEXT else root
    if text is not None:
        visit(text)
    return {n: "".join(parts) for n, parts in lines.items()}, order


def explained_lines(root: etree._Element) -> dict[int, str]:
    """Lines whose text the edition changed on purpose, with the intervention that explains it."""
    explained: dict[int, str] = {}
    for head in root.iter(f"{{{TEI_NS}}}head"):
        if head.get("rendition"):
            for lb in head.iter(f"{{{TEI_NS}}}lb"):
                explained[int(lb.get("n"))] = f"recovered heading (rendition {head.get('rendition')})"
    for table in root.iter(f"{{{TEI_NS}}}table"):
        for lb in table.iter(f"{{{TEI_NS}}}lb"):
            explained[int(lb.get("n"))] = "spacing of a table row"
    return explained


def compare(root: etree._Element, source_text: str) -> list[str]:
    """Unexplained differences between the regenerated lines and the witness (empty: nothing lost)."""
    regenerated, order = witness_lines(root)
    explained = explained_lines(root)
    problems = []
    if order != sorted(order) or len(order) != len(set(order)):
        problems.append("lines are not in witness order (or repeated) in the TEI")
    source = source_text.split("\n")
    for number, raw in enumerate(source, 1):
        want = raw.strip()
        got = regenerated.get(number)
        if not want:
            if got and got.strip():
                problems.append(f"line {number}: blank in the witness, TEI has {got.strip()!r}")
            continue
        if got is None:
            problems.append(f"line {number}: missing from the TEI: {want!r}")
        elif got.strip() != want and number not in explained:
            problems.append(f"line {number}:\n  witness: {want!r}\n  TEI:     {got.strip()!r}")
    extra = [n for n in regenerated if n > len(source)]
    problems += [f"line {n}: in the TEI but not in the witness" for n in extra]
    return problems
