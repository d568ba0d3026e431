"""Editorial decisions as data: the rules files an ingest reads.

In: ``rules/<id>.toml`` (one per text) and ``rules/hyphenation.toml`` (shared by all texts).
Out: a ``TextRules`` holding the header metadata and the structure hints of one text, and a
``HyphenRules`` holding the explicit hyphenation exceptions. A mistyped table or key is an
``EditionError`` naming the file, the line and the closest valid key (the same check as the
project file, ``edition.project.check_keys``); a value of the wrong type likewise.

Every key is optional except ``[metadata] title``: a text with no rules at all still ingests
(its paragraphs are found by blank lines, its headings by doubled characters or by shape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.project import RulesFile, read_rules_file

# {table: {key: type}}; an array of tables ([[part]]) is checked entry by entry.
TEXT_SCHEMA: dict[str, dict] = {
    "metadata": {"title": str, "subtitle": str, "author": str, "translator": str, "date": str,
                 "date_text": str, "language": str, "edition_date": str},
    "source": {"description": str, "title": str, "publisher": str, "date": str, "when": str,
               "place": str, "url": str},
    "editorial": {"project": str, "correction": str, "normalization": str, "hyphenation": str,
                  "segmentation": str, "interpretation": str, "quotation": str, "pages": str,
                  "notes": str, "structure": str},
    "change": {"when": str, "who": str, "text": str},
    "ids": {"prefix": str, "main": str},
    "pages": {"leading_space": bool, "blank_run": int, "running_foot": str},
    "paragraphs": {"continue_after": list, "break_before": list},
    "part": {"id": str, "type": str, "place": str, "lines": list, "head": list, "byline": int, "argument": list,
             "dateline": list, "date": str, "salute": list, "closer_salute": list,
             "signed": list, "closer_dateline": list},
    "division": {"id": str, "type": str, "start": int, "parent": str},
    "heading": {"match": str, "id": str, "type": str, "n": str},
    "headings": {"max_chars": int, "doubled": bool, "shape": bool},
    "notes": {"ref": str, "note": str, "unnumbered_id": str, "unnumbered_type": str},
    "brackets": {"pattern": str, "type": str, "resp": str, "skip": str},
    "table": {"lines": list, "header": int, "header_cells": str, "row_cells": str},
    "navigation": {"line": int, "pattern": str, "item": str, "type": str},
    "gap": {"after_line": int, "reason": str, "extent": str, "unit": str, "note": str},
    "overrule": {"id": str, "kind": str, "value": str, "at": str},
}

HYPHEN_SCHEMA: dict[str, dict] = {
    "exceptions": {"keep": list, "join": list},
}


@dataclass
class TextRules(RulesFile):
    """The rules of one text (``rules/<id>.toml``), with defaults for what is absent."""

    def line_of(self, key: str) -> int | None:
        """The line of the rules file that sets ``key`` (for diagnostics)."""
        if self.path is None or not self.path.is_file():
            return None
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
        return None

    def pattern(self, table: str, key: str, default: str, entry: dict | None = None) -> re.Pattern:
        """Compile a regular expression from the rules; a bad one is an error at its line."""
        source = (entry if entry is not None else self.table(table)).get(key, default)
        try:
            return re.compile(source)
        except re.error as exc:
            raise EditionError(error("E214", f"'{key}' in [{table}] is not a valid regular expression: {exc}",
                                     self.path, self.line_of(key), hint="fix the pattern")) from None


@dataclass
class HyphenRules:
    """Explicit decisions on line-end hyphens: ``keep`` (real compounds) and ``join`` words."""

    path: Path | None = None
    keep: frozenset[str] = frozenset()
    join: frozenset[str] = frozenset()


def _read_toml(path: Path, schema: dict) -> dict:
    return read_rules_file(path, schema)[0]


def load_text_rules(path: Path | None) -> TextRules:
    """Read and check a text's rules file; ``None`` gives empty rules."""
    if path is None:
        return TextRules(path=None)
    data = _read_toml(path, TEXT_SCHEMA)
    rules = TextRules(path=path, data=data)
    if "title" not in rules.table("metadata"):
        raise EditionError(error("E213", "the rules file has no [metadata] title", path, 1,
                                 hint="add [metadata] with title = \"…\" (the header needs a title)"))
    return rules


def load_hyphen_rules(path: Path) -> HyphenRules:
    """Read ``rules/hyphenation.toml`` (absent → no exceptions)."""
    if not path.is_file():
        return HyphenRules(path=None)
    data = _read_toml(path, HYPHEN_SCHEMA).get("exceptions", {})
    return HyphenRules(path=path, keep=frozenset(w.lower() for w in data.get("keep", [])),
                       join=frozenset(w.lower() for w in data.get("join", [])))
