"""Where things are in the source text: columns for elements, attributes, end tags and text.

In: the raw bytes of a parsed file and its lxml tree. Out: 1-based (line, column) positions,
columns counted in characters, for an element's start tag (its ``<``), its end tag, one of its
attributes, or a place inside its text. lxml records only the line of each element, so a
``SourceMap`` tokenises the file once (start tags, end tags, skipping comments, CDATA and
processing instructions) and pairs the n-th start tag with the n-th element of the tree in
document order. It is built lazily, only for files that have something to report.
"""

from __future__ import annotations

import bisect
import re

from lxml import etree

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|<(/?)([^\s/>!?]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.DOTALL,
)
# An attribute in a start tag: its name (as written, prefix and all) and its quoted value.
_ATTRIBUTE = re.compile(r"""\s([^\s=<>"'/]+)\s*=\s*(?:"[^"]*"|'[^']*')""")
_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def decode_source(data: bytes) -> str:
    """The file's text, decoded as its XML declaration says (UTF-8 by default)."""
    match = _ENCODING.match(data[:200])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


class SourceMap:
    """Start and end tag offsets of every element of one file, in document order."""

    def __init__(self, data: bytes, root: etree._Element):
        self.text = decode_source(data)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.starts: list[tuple[int, int]] = []  # (offset of '<', offset after '>')
        self.ends: list[tuple[int, int] | None] = []  # end tag span; None when self-closing
        stack: list[int] = []
        for match in _TOKEN.finditer(self.text):
            if match.group(2) is None:
                continue
            if match.group(1):  # an end tag closes the innermost open element
                if stack:
                    self.ends[stack.pop()] = (match.start(), match.end())
                continue
            self.starts.append((match.start(), match.end()))
            self.ends.append(None)
            if not match.group(4):
                stack.append(len(self.starts) - 1)
        # Holding the proxies keeps them alive, so lxml hands back the same objects later
        # and their ids stay valid keys.
        self._elements = list(root.iter(etree.Element))
        self._index = {id(el): i for i, el in enumerate(self._elements)}
        self._attribute_offsets: dict[int, tuple[dict[str, int], dict[str, int]]] = {}

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _i(self, element: etree._Element) -> int | None:
        i = self._index.get(id(element))
        return i if i is not None and i < len(self.starts) else None

    def start(self, element: etree._Element) -> tuple[int, int | None]:
        """Where the element's start tag begins (falls back to its line, no column)."""
        i = self._i(element)
        if i is None:
            return element.sourceline or 1, None
        return self.position(self.starts[i][0])

    def end(self, element: etree._Element) -> tuple[int, int | None]:
        """Where the element's end tag begins (its start tag when it is self-closing)."""
        i = self._i(element)
        if i is None or self.ends[i] is None:
            return self.start(element)
        return self.position(self.ends[i][0])

    def attribute(self, element: etree._Element, name: str) -> tuple[int, int | None]:
        """Where an attribute's name is written in the start tag.

        ``name`` as written (``p:doctype``), or a local name (any prefix is then stepped over).
        """
        i = self._i(element)
        if i is None:
            return self.start(element)
        written, by_local = self._attributes(i)
        offset = written.get(name)
        if offset is None:
            offset = by_local.get(name.split(":")[-1], self.starts[i][0])
        return self.position(offset)

    def _attributes(self, i: int) -> tuple[dict[str, int], dict[str, int]]:
        """The offsets of the attributes of start tag ``i``: by name as written, and by local
        name (the first of that local name). Read once per tag: an element may carry 100,000
        attributes, and each may have a message."""
        if i not in self._attribute_offsets:
            begin, stop = self.starts[i]
            written: dict[str, int] = {}
            by_local: dict[str, int] = {}
            for match in _ATTRIBUTE.finditer(self.text, begin, stop):
                name = match.group(1)
                written.setdefault(name, match.start(1))
                by_local.setdefault(name.split(":")[-1], match.start(1))
            self._attribute_offsets[i] = (written, by_local)
        return self._attribute_offsets[i]

    def text_offset(self, element: etree._Element, tail: bool, index: int) -> tuple[int, int | None]:
        """Where character ``index`` of the element's text (or tail) is in the file.

        Exact for plain text; character references in the text may shift the column.
        """
        i = self._i(element)
        if i is None:
            return element.sourceline or 1, None
        if tail:
            span = self.ends[i] or self.starts[i]
            offset = span[1]
        else:
            offset = self.starts[i][1]
        return self.position(min(offset + index, len(self.text)))


def element_path(element: etree._Element) -> str:
    """A readable path such as ``/TEI/text/body/div[2]/p[3]`` (index only when needed)."""
    steps = []
    node = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is None:
            steps.append(name)
            break
        same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(steps))


def resolve_libxml2_path(root: etree._Element, path: str | None) -> etree._Element | None:
    """Find the element a libxml2 node path (``/*/*[2]/xi:include[1]``) names, or None."""
    if not path or not path.startswith("/"):
        return None
    steps = path[1:].split("/")
    node = None
    for depth, step in enumerate(steps):
        match = re.fullmatch(r"([^\[]+)(?:\[(\d+)\])?", step)
        if not match:
            return None
        name, index = match.group(1), int(match.group(2) or 1)
        candidates = [root] if depth == 0 else [c for c in node if isinstance(c.tag, str)]
        if name != "*":
            local = name.split(":")[-1]
            prefixed = ":" in name
            candidates = [c for c in candidates if etree.QName(c).localname == local
                          and (prefixed or etree.QName(c).namespace is None)]
        if len(candidates) < index:
            return None
        node = candidates[index - 1]
    return node
