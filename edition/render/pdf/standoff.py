"""Stand-off apparatus in print: keying ``@loc`` and ``@from``/``@to`` entries to printed lines.

In: the print HTML, where the shared renderer marked each placed stand-off unit's lemma with
``data-so-start``/``data-so-end`` marks (``edition.render.standoff``; ``printhtml.streams``
records their stream positions) and rendered the unit's entry where it stands
(``.app-entry[data-so]``, ``edition.render.apparatus``); the printed lines of a layout. Out:
where each lemma stands (block, stream position, first and last line index: ``spans``), each
entry's lemma, readings and sigla (``standoff_entries``), and the call of a footnote put right after the
lemma's first printed word (``insert_at``). A unit whose marks are in no numbered line is not
keyed: its entry stays where it stands and prints there.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from edition.render.pdf.printhtml import classes, visible_text


@dataclass
class SpanAt:
    """Where a stand-off lemma is printed: its block and stream position, its lines."""

    key: str
    pos: int
    end: int | None        # stream position of its end when in the same block
    first_index: int
    last_index: int


@dataclass
class StandoffEntry:
    """A stand-off unit's entry as the print HTML has it."""

    kind: str
    lemma: str
    lemma_wit: list[str]
    readings: list[tuple[str, list[str]]]
    whole: frozenset[str]


def spans(lines, html_streams) -> dict[str, SpanAt]:
    """Each marked stand-off lemma that stands in the numbered lines, by app id."""
    starts_of: dict[str, list[int]] = {}
    index_of: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.key is not None and line.start is not None:
            starts_of.setdefault(line.key, []).append(line.start)
            index_of.setdefault(line.key, []).append(i)

    def line_at(key: str, pos: int) -> int | None:
        found = starts_of.get(key)
        if not found:
            return None
        k = bisect_right(found, pos) - 1
        return index_of[key][max(k, 0)]

    ends: dict[str, tuple[str, int]] = {}
    for key, stream in html_streams.items():
        for app_id, pos in stream.ends.items():
            ends[app_id] = (key, pos)
    result: dict[str, SpanAt] = {}
    for key, stream in html_streams.items():
        for app_id, pos in stream.starts.items():
            first = line_at(key, pos)
            if first is None:
                continue
            end_key, end_pos = ends.get(app_id, (key, pos))
            # the line of the lemma's last character (the end mark stands after it)
            last = line_at(end_key, max(end_pos - 1, pos if end_key == key else 0))
            last = first if last is None or last < first else last
            result[app_id] = SpanAt(key, pos, end_pos if end_key == key else None, first, last)
    return result


def standoff_entries(tree) -> dict[str, StandoffEntry]:
    """The entries of the placed stand-off units (``.app-entry[data-so]``), by app id."""
    found: dict[str, StandoffEntry] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or not el.get("data-so") or "app-entry" not in classes(el):
            continue
        lemma, lemma_wit = "", []
        readings: list[tuple[str, list[str]]] = []
        whole = set()
        for part in el.iter():
            if not isinstance(part.tag, str):
                continue
            cls = classes(part)
            if "ae-lem" in cls:
                lemma = "" if "empty" in cls else visible_text(part)
                lemma_wit = _sigla(part)
            elif "ae-rdg" in cls:
                text_el = next((c for c in part.iter() if isinstance(c.tag, str) and "ae-text" in classes(c)), part)
                text = "" if "om" in cls else _words(text_el)
                readings.append((text, _sigla(part)))
                if part.xpath(".//*[contains(concat(' ', @class, ' '), ' unresolved ')]"):
                    whole.add(text)
        found[el.get("data-so")] = StandoffEntry(el.get("data-type") or "untyped", lemma, lemma_wit,
                                                 readings, frozenset(whole))
    return found


def _words(el) -> str:
    """A reading's words, without the ``add.`` the web entry prints before an addition."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and "ae-add" not in classes(child):
            parts.append(visible_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _sigla(el) -> list[str]:
    return [s.replace("\u00a0", " ") for s in (el.get("data-sigla") or "").split(" ") if s]


def insert_at(stream, pos: int, span) -> None:
    """Put ``span`` right after the printed word that starts at stream position ``pos`` (a call
    after a space could be laid out at the end of the line above)."""
    if not stream.chars:
        return
    j = min(pos, len(stream.chars) - 1)
    while j + 1 < len(stream.chars) and not stream.word_start[j + 1]:
        j += 1
    holder, which, offset = stream.where[j]
    text = getattr(holder, which) or ""
    setattr(holder, which, text[:offset + 1])
    span.tail = text[offset + 1:]
    if which == "text":
        holder.insert(0, span)
    else:
        holder.addnext(span)
        holder.tail = text[:offset + 1]


def remove_entries(tree, app_ids: set[str]) -> None:
    """Take the entries of these units out of the tree (they print at the foot of the page), and
    the list item that held only the entry."""
    for el in [e for e in tree.iter() if isinstance(e.tag, str) and e.get("data-so") in app_ids
               and "app-entry" in classes(e)]:
        parent = el.getparent()
        _remove(el)
        if parent is not None and parent.tag == "li" and not len(parent) and not (parent.text or "").strip():
            _remove(parent)


def _remove(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
