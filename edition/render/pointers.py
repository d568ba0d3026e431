"""Empty pointers (``<ptr target="#x"/>``, ``<ref target="#x"/>``) shown as what they point to.

In: an empty ``ptr``/``ref`` met by ``edition.render.html.HtmlRenderer`` (passed as ``r``) and the
id it names. Out: HTML that never prints the raw identifier: a witness as its declared siglum
(``edition.tei.witnesses.Sigla``); in a reading, the text the pointer gives (the reading is
elsewhere in the file) or "reading given elsewhere (→ target)" when the file does not hold it;
elsewhere a link labelled with the target's first words (``pointer_label``).
"""

from __future__ import annotations

from html import escape

from lxml import etree

from edition.tei.text import plain_text
from edition.tei.xmlio import local_name


def in_reading(el: etree._Element) -> bool:
    """True inside a reading (``lem``, ``rdg``) of a variation unit."""
    return any(isinstance(a.tag, str) and local_name(a) in ("lem", "rdg") for a in el.iterancestors())


def pointer_label(target: etree._Element, words: int = 6) -> str:
    """A readable label for a link to ``target``: its first words (or, for an empty marker such
    as an anchor, the words that follow it), its heading, else its kind and number."""
    head = next((c for c in target if isinstance(c.tag, str) and local_name(c) == "head"), None)
    text = plain_text(head) if head is not None else plain_text(target)
    if not text:
        following: list[str] = [target.tail or ""]
        for sibling in target.itersiblings():
            if len(" ".join(following).split()) > words:
                break
            following.append(plain_text(sibling) + " " + (sibling.tail or ""))
        text = " ".join(" ".join(following).split())
    found = text.split()
    if found:
        return "→ “" + " ".join(found[:words]) + (" …" if len(found) > words else "") + "”"
    kind = local_name(target)
    return f"→ {kind} {target.get('n')}" if target.get("n") else f"→ {kind}"


def render_pointer(r, el, key: str, out, mode, rule) -> None:
    """An empty ``ptr``/``ref`` to ``#key`` in this file, shown as what it points to (never as
    the raw id): a witness as its siglum; in a reading, the text it points to (the reading
    given by pointer), or says it is given elsewhere; otherwise a link labelled with the
    target's first words."""
    target = r.by_id.get(key)
    reading = in_reading(el)
    if target is not None and local_name(target) == "witness":
        out.append(f'<span{r.attrs(el, mode, "sig")} title="Witness {escape(key)}">'
                   f"{escape(r.apparatus.sigla.of(key))}</span>")
        return
    in_text = target is not None and any(isinstance(a.tag, str) and local_name(a) == "text"
                                         for a in target.iterancestors())
    if target is None or (reading and not plain_text(target)):
        # in a reading, say that its text is elsewhere (an empty reading would read "om.");
        # in running text, an identifier is not words: the title keeps it
        note = f"reading given elsewhere (→ {key})" if reading else ""
        out.append(f'<span{r.attrs(el, mode, rule.cls + " unresolved")} '
                   f'title="A pointer to {escape(key)}, which this file does not hold">{escape(note)}</span>')
        return
    label = plain_text(target) if reading else pointer_label(target)
    if in_text and not mode.in_link:
        out.append(f'<a{r.attrs(el, mode, rule.cls)} href="#{escape(key)}">{escape(label)}</a>')
    else:
        out.append(f"<span{r.attrs(el, mode, rule.cls)}>{escape(label)}</span>")
