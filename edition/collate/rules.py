"""Editorial decisions of a collation, as data.

In: the general rules (tokens, normalisation, structure, types, merging; shared by every
collated text): the packaged ``edition/data/collation.toml``, with the keys a project sets in
its own ``rules/collation.toml`` (optional) replacing those of the same table; and the text's
``rules/<id>.toml`` (header metadata, witness
descriptions, paratext, emendations, id prefix). Out: a ``CollationRules`` and a
``CollatedTextRules``. A mistyped key is an ``EditionError`` naming the file, the line and the
closest valid key (``edition.project.check_keys``); a decision that names an unknown witness
is an error at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from edition.collate.structure import heading_rules
from edition.diagnostics import EditionError, error
from edition.project import RulesFile, read_rules_file
from edition.resources import DATA_DIR

COLLATION_FILE = "collation.toml"
PACKAGED_RULES = DATA_DIR / COLLATION_FILE

COLLATION_SCHEMA: dict[str, dict] = {
    "tokens": {"word": str},
    "normalise": {"dash": list, "double_quote": list, "single_quote": list, "apostrophe": list},
    "structure": {"title": str, "list_item": str, "multi_line": str, "heading_max_words": int,
                  "heading_not_ending": str, "heading_not_starting": str, "headings": list,
                  "short_line_headings": str, "front_matter": str, "wrapped_line_min": int,
                  "heading_max_lines": int},
    "types": {"order": list},
    "orthographic": {"resource": str, "prefixes": list, "acronyms": bool, "acronym_plural": list},
    "merge": {"substantive": dict, "case": dict, "punctuation": dict, "orthographic": dict},
    "transpositions": {"min_words": int},
}

TEXT_SCHEMA: dict[str, dict] = {
    "metadata": {"title": str, "subtitle": str, "author": str, "translator": str, "date": str,
                 "date_text": str, "language": str, "edition_date": str},
    "source": {"description": str, "title": str, "publisher": str, "date": str, "when": str,
               "place": str, "url": str},
    "editorial": {"project": str, "correction": str, "normalization": str, "hyphenation": str,
                  "segmentation": str, "interpretation": str, "quotation": str, "apparatus": str},
    "change": {"when": str, "who": str, "text": str},
    "ids": {"prefix": str},
    "structure": COLLATION_SCHEMA["structure"],
    "witness": {"siglum": str, "title": str, "publication": str, "publisher": str, "date": str,
                "when": str, "kind": str, "url": str, "note": str},
    "paratext": {"wit": str, "lines": list, "type": str, "place": str, "element": str, "expect": str,
                 "note": str},
    "emendation": {"adopt": str, "reject": str, "context": str, "reason": str, "resp": str},
    "overrule": {"id": str, "kind": str, "value": str, "at": str},
}
TYPES = ("punctuation", "case", "orthographic", "substantive")
# Paratext elements that may stand on a title page beside the title (in the witness's order).
TITLE_PAGE_PARTS = frozenset({"argument", "byline", "docDate", "docEdition", "docImprint", "epigraph"})


# Rules files are read the same way by every stage (edition.project.read_rules_file).
read_toml = read_rules_file


def line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` containing ``needle`` (for diagnostics)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


@dataclass
class CollationRules:
    """The general rules (``rules/collation.toml``)."""

    path: Path
    data: dict

    def table(self, name: str) -> dict:
        """A table of the rules ({} when absent)."""
        return self.data.get(name, {})

    @property
    def word_pattern(self) -> str:
        """The regular expression of a word token."""
        return self.table("tokens").get("word", r"\w+(?:[-'’]\w+)*")

    @property
    def type_order(self) -> list[str]:
        """The types, from the least to the most significant."""
        return list(self.table("types").get("order", TYPES))

    def merge(self, kind: str) -> tuple[int, frozenset[str]]:
        """How many unchanged tokens of which kinds may separate two units of ``kind`` merged."""
        entry = self.table("merge").get(kind, {})
        return int(entry.get("gap", 0)), frozenset(entry.get("across", []))


def load_collation_rules(rules_dir: Path) -> CollationRules:
    """The packaged general rules, with the project's ``rules/collation.toml`` (when there is
    one) replacing them key by key within each table; checked."""
    data, _ = read_toml(PACKAGED_RULES, COLLATION_SCHEMA)
    path = rules_dir / COLLATION_FILE
    if path.is_file():
        own, _ = read_toml(path, COLLATION_SCHEMA)
        data = {name: {**data.get(name, {}), **own.get(name, {})} for name in {*data, *own}}
    else:
        path = PACKAGED_RULES
    order = data.get("types", {}).get("order", list(TYPES))
    if sorted(order) != sorted(TYPES):
        raise EditionError(error("E413", f"[types] order must list exactly {', '.join(TYPES)}", path,
                                 line_of(path.read_text(encoding="utf-8"), "order")))
    check_structure(data.get("structure", {}), path)
    resource = data.get("orthographic", {}).get("resource", "breame")
    if resource != "breame":
        raise EditionError(error("E413", f"unknown spelling-variant resource '{resource}'", path,
                                 line_of(path.read_text(encoding="utf-8"), "resource"), hint='use "breame"'))
    return CollationRules(path=path, data=data)


def commented_rules() -> str:
    """The packaged rules as a project's ``rules/collation.toml``: every setting commented out
    (so the packaged value holds until the editor switches a line on), the explanations kept."""
    lines = ["# The general collation rules of this edition (`edition collate`). Every setting below",
             "# is the packaged default, switched off by '#': `collate` uses the packaged value until",
             "# you remove the '#' of a line and change the value here. A text's rules/<id>.toml may",
             "# set its own [structure].", ""]
    packaged = PACKAGED_RULES.read_text(encoding="utf-8")
    for line in packaged[packaged.index("\n\n") + 2:].splitlines():     # (its own header left out)
        setting = line.strip() and not line.startswith("#") and not line.startswith("[")
        lines.append(f"# {line}" if setting else line)
    return "\n".join(lines) + "\n"


STRUCTURE_CHOICES = {"short_line_headings": ("unless-patterns", "always", "never"),
                     "front_matter": ("before-first-heading", "none"), "multi_line": ("auto", "verse", "paragraph"),
                     "title": ("first-block", "none")}


def check_structure(structure: dict, path: Path | None) -> None:
    """The [structure] table's patterns compile and its choices are known ones."""
    _check_regex(structure.get("list_item"), "list_item", path)
    heading_rules(structure, path)
    for key, allowed in STRUCTURE_CHOICES.items():
        if key in structure and structure[key] not in allowed:
            text = path.read_text(encoding="utf-8") if path else ""
            raise EditionError(error("E413", f"[structure] {key} must be one of {', '.join(allowed)}, "
                                     f"not '{structure[key]}'", path, line_of(text, key)))


def _check_regex(source: str | None, key: str, path: Path) -> None:
    if source is None:
        return
    try:
        re.compile(source)
    except re.error as exc:
        raise EditionError(error("E414", f"'{key}' is not a valid regular expression: {exc}", path,
                                 line_of(path.read_text(encoding="utf-8"), key))) from None


@dataclass
class CollatedTextRules(RulesFile):
    """The rules of one collated text (``rules/<id>.toml``)."""

    text: str = ""

    def witness(self, siglum: str) -> dict:
        """The description of a witness ({} when not described)."""
        for entry in self.tables("witness"):
            if entry.get("siglum") == siglum:
                return entry
        return {}

    def line(self, needle: str) -> int | None:
        """The line of the rules file holding ``needle``."""
        return line_of(self.text, needle)

    def check_sigla(self, sigla: list[str]) -> None:
        """Every decision must name a configured witness; else an error at its line."""
        problems = []
        for table, key in (("witness", "siglum"), ("paratext", "wit"), ("emendation", "adopt")):
            for entry in self.tables(table):
                siglum = entry.get(key)
                if siglum is not None and siglum not in sigla:
                    problems.append(error(
                        "E420", f"[[{table}]] names the unknown siglum '{siglum}'", self.path,
                        self.line(f'"{siglum}"'), hint=f"the witnesses of this text are {', '.join(sigla)}"))
        if problems:
            raise EditionError(*problems)


def load_text_rules(path: Path | None) -> CollatedTextRules:
    """Read a collated text's rules file (``None``: no rules, a title is then required elsewhere)."""
    if path is None:
        return CollatedTextRules(path=None)
    data, text = read_toml(path, TEXT_SCHEMA)
    if "title" not in data.get("metadata", {}):
        raise EditionError(error("E413", "the rules file has no [metadata] title", path, 1,
                                 hint="add [metadata] with title = \"…\" (the header needs a title)"))
    check_structure(data.get("structure", {}), path)
    for entry in data.get("paratext", []):
        lines = entry.get("lines", [])
        if len(lines) != 2 or not all(isinstance(n, int) and n > 0 for n in lines) or lines[0] > lines[1]:
            raise EditionError(error("E415", "[[paratext]] lines must be [first, last] line numbers",
                                     path, line_of(text, "lines"), hint="e.g. lines = [3, 3]"))
        if entry.get("place", "front") not in ("front", "back"):
            raise EditionError(error("E415", "[[paratext]] place must be \"front\" or \"back\"",
                                     path, line_of(text, "place")))
        element = entry.get("element", "div")
        allowed = TITLE_PAGE_PARTS | {"div"} if entry.get("place", "front") == "front" else {"div"}
        if element not in allowed:
            raise EditionError(error("E415", f"[[paratext]] element '{element}' cannot stand in the "
                                     f"{entry.get('place', 'front')} matter", path, line_of(text, "element"),
                                     hint=f"use one of {', '.join(sorted(allowed))}"))
    return CollatedTextRules(path=path, data=data, text=text)
