"""An editor's review written into the rules files as data, the rest of each file left as it is.

In: a rules file's text and one decision with what the editor made of it. Out: the file's new
text, with one block added at its end (or the block of the same decision replaced):

    # review: overrules hyphen at sources/x.txt:854 ('disor-|ganize'): the tool had "join" (dictionary)
    [[overrule]]
    id = "hyphen-3f2a91c0d4"
    kind = "hyphen"
    value = "keep"
    at = "sources/x.txt:854"

An array-of-tables block at the end of a TOML file is valid whatever precedes it, so the
editor's comments, order and spacing are never touched (no TOML round trip). The blocks are
found again by their ``id`` line, to replace one when the same decision is overruled again.
"""

from __future__ import annotations

import json
import re

MARK = "# review: "


def _string(value: str) -> str:
    # A TOML basic string is a JSON string (the escapes TOML knows are JSON's).
    return json.dumps(value, ensure_ascii=False)


def _one_line(text: str, limit: int = 100) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def overrule_block(entry: dict, value: str) -> str:
    """The ``[[overrule]]`` block for a decision, with the comment saying what it overrides."""
    at = f"{entry['source']}:{entry['line']}"
    comment = (f"{MARK}overrules {entry['kind']} at {at}: the tool had \"{_one_line(entry['value'], 60)}\" "
               f"({_one_line(entry['rule'], 50)})")
    return "\n".join([comment, "[[overrule]]", f"id = {_string(entry['id'])}", f"kind = {_string(entry['kind'])}",
                      f"value = {_string(value)}", f"at = {_string(at)}"]) + "\n"


def accepted_block(entry: dict) -> str:
    """The ``[[accepted]]`` block of ``rules/reviewed.toml`` for a decision."""
    at = f"{entry['source']}:{entry['line']}"
    comment = f"{MARK}accepted {entry['kind']} at {at}: \"{_one_line(entry['value'], 60)}\""
    return "\n".join([comment, "[[accepted]]", f"id = {_string(entry['id'])}", f"text = {_string(entry['text'])}",
                      f"kind = {_string(entry['kind'])}", f"at = {_string(at)}"]) + "\n"


REVIEWED_HEADER = ("# Decisions of ingest and collate an editor checked and accepted (edition review --accept,\n"
                   "# or the review page of edition serve). An overruled decision is in the text's own rules.\n")


def without_block(text: str, table: str, ident: str) -> str:
    """The text with the review block of ``ident`` in ``[[table]]`` taken out (unchanged if absent)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == f"[[{table}]]" and i + 1 < len(lines) and lines[i + 1].strip() == f"id = {_string(ident)}":
            start = i - 1 if i and lines[i - 1].startswith(MARK) else i
            end = i + 1
            while end < len(lines) and lines[end].strip() and not lines[end].lstrip().startswith(("[", "#")):
                end += 1
            if start and not lines[start - 1].strip():
                start -= 1               # the blank line put before the block
            return "".join(lines[:start] + lines[end:])
    return text


def with_block(text: str, table: str, ident: str, block: str) -> str:
    """The text with ``block`` at its end, replacing an earlier block of the same decision."""
    text = without_block(text, table, ident)
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text else "") + block
