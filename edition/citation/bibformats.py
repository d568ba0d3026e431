"""BibTeX and RIS records from a CSL-JSON item (neither is a CSL style, so they are serialised here).

In: a CSL-JSON item (``edition.citation.item``). Out: one BibTeX entry or one RIS record as
text. Both carry the same facts as the CSL styles: authors, title, the edition, its editors and
publisher, the date, the passage, the PDF page and the URL.
"""

from __future__ import annotations

import re

_BIBTEX_TYPES = {"book": "book", "chapter": "incollection"}
_RIS_TYPES = {"book": "BOOK", "chapter": "CHAP"}
# LaTeX specials in BibTeX field values (not in url, which BibTeX takes verbatim).
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
          "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _latex(value: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in value)


def _bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"  # braces: an organisation, not "Family, Given"
    return _latex(f"{name['family']}, {name['given']}" if name.get("given") else name["family"])


def _parts(date: dict | None) -> list[int]:
    if not date or not date.get("date-parts"):
        return []
    return [int(p) for p in date["date-parts"][0]]


def bibtex_key(item: dict) -> str:
    """A citation key from the item id: BibTeX keys may not hold spaces, commas or braces."""
    return re.sub(r"[^\w:.\-]", "-", item["id"])


def to_bibtex(item: dict) -> str:
    """One BibTeX entry (``@incollection`` for a text or passage, ``@book`` for the edition)."""
    fields: list[tuple[str, str]] = []
    if item.get("author"):
        fields.append(("author", " and ".join(_bibtex_name(n) for n in item["author"])))
    fields.append(("title", "{" + _latex(item["title"]) + "}"))  # keep the title's capitals
    if item.get("container-title"):
        fields.append(("booktitle", _latex(item["container-title"])))
    if item.get("editor"):
        fields.append(("editor", " and ".join(_bibtex_name(n) for n in item["editor"])))
    if item.get("translator"):
        fields.append(("translator", " and ".join(_bibtex_name(n) for n in item["translator"])))
    if item.get("publisher"):
        fields.append(("publisher", _latex(item["publisher"])))
    parts = _parts(item.get("issued"))
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
    original = _parts(item.get("original-date"))
    if original:
        fields.append(("origdate", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(original))))
    if item.get("page"):
        fields.append(("pages", _latex(item["page"])))
    if item.get("section"):
        fields.append(("note", _latex(item["section"][:1].upper() + item["section"][1:])))
    if item.get("URL"):
        fields.append(("url", item["URL"]))
    if item.get("language"):
        fields.append(("language", _latex(item["language"])))
    entry_type = _BIBTEX_TYPES.get(item.get("type", ""), "misc")
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(item)},\n{body}\n}}\n"


def _ris_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def to_ris(item: dict) -> str:
    """One RIS record (``TY  - CHAP`` for a text or passage, ``BOOK`` for the edition)."""
    lines = [("TY", _RIS_TYPES.get(item.get("type", ""), "GEN"))]
    lines += [("AU", _ris_name(n)) for n in item.get("author", [])]
    lines += [("ED", _ris_name(n)) for n in item.get("editor", [])]
    lines += [("A4", _ris_name(n)) for n in item.get("translator", [])]  # RIS: translator
    lines.append(("TI", item["title"]))
    if item.get("container-title"):
        lines.append(("T2", item["container-title"]))
    if item.get("publisher"):
        lines.append(("PB", item["publisher"]))
    parts = _parts(item.get("issued"))
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join([str(parts[0])] + [f"{p:02d}" for p in parts[1:]]) + "/"))
    original = _parts(item.get("original-date"))
    if original:
        lines.append(("OP", "/".join([str(original[0])] + [f"{p:02d}" for p in original[1:]]) + "/"))
    if item.get("page"):
        lines.append(("SP", item["page"]))
    if item.get("section"):
        lines.append(("SE", item["section"]))
    if item.get("URL"):
        lines.append(("UR", item["URL"]))
    if item.get("language"):
        lines.append(("LA", item["language"]))
    lines.append(("ID", item["id"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)
