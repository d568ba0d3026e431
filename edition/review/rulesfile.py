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
import tomllib

MARK = "# review: "


def _string(value: str) -> str:
    # A TOML basic string is a JSON string (the escapes TOML knows are JSON's).
    return json.dumps(value, ensure_ascii=False)


def _one_line(text: str, limit: int = 100) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def overrule_block(entry: dict, value: str, comment: str | None = None) -> str:
    """The ``[[overrule]]`` block for a decision, with the comment saying what it overrides
    (``comment``: the one of an earlier overrule of the decision, which saw what the tool had)."""
    at = f"{entry['source']}:{entry['line']}"
    comment = comment or (f"{MARK}overrules {entry['kind']} at {at}: the tool had "
                          f"\"{_one_line(entry['value'], 60)}\" ({_one_line(entry['rule'], 50)})")
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


# Where a rule form of its own exists, the overrule is written in it: a paragraph break goes into
# ``[paragraphs] break_before`` (a break before the line) or ``continue_after`` (none after it).
PARAGRAPH_RULES = {"break": "break_before", "continue": "continue_after"}


def paragraph_rule(entry: dict, value: str) -> tuple[str, int]:
    """(key of ``[paragraphs]``, witness line) that make the paragraph decision ``value``."""
    key = PARAGRAPH_RULES[value]
    return key, entry["line"] if key == "break_before" else entry["after_line"]


def array_comment(entry: dict, earlier: str | None = None) -> str:
    """The comment beside an array entry the review wrote: it names the decision, to find it again
    (``earlier``: the comment of an earlier overrule of the decision, which saw what the tool had)."""
    at = f"{entry['source']}:{entry['line']}"
    return earlier or (f"{MARK}{entry['id']} overrules {entry['kind']} at {at}: the tool had "
                       f"\"{_one_line(entry['value'], 40)}\" ({_one_line(entry['reason'], 70)})")


def earlier_comment(text: str, ident: str) -> str | None:
    """The review's comment on an earlier overrule of decision ``ident`` in a rules file, if any."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == f"id = {_string(ident)}" and i > 1 and lines[i - 1].strip() == "[[overrule]]" \
                and lines[i - 2].startswith(MARK):
            return lines[i - 2]
        if f"{MARK}{ident} " in line and re.match(r"\s*-?\d+,", line):
            return line[line.index(MARK):]
    return None


def without_array_entries(text: str, ident: str) -> str:
    """The text without the array entries the review wrote for decision ``ident``."""
    pattern = re.compile(rf"^\s*-?\d+,\s*{re.escape(MARK + ident)} .*\n?", re.M)
    return pattern.sub("", text)


def with_array_entry(text: str, table: str, key: str, number: int, comment: str) -> str | None:
    """The text with ``number`` added to the integer array ``[table] key`` (the table or the key made
    when absent), on a line of its own with ``comment``; None when the file's layout is one this
    cannot edit safely (the result is checked by reading it back)."""
    entry = f"  {number},  {comment}\n"
    lines = text.splitlines(keepends=True)
    header = next((i for i, ln in enumerate(lines) if re.match(rf"\[{re.escape(table)}\]\s*(#.*)?$", ln.strip())), None)
    if header is None:
        out = text + ("" if not text or text.endswith("\n") else "\n") + f"\n[{table}]\n{key} = [\n{entry}]\n"
    else:
        end = next((i for i in range(header + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        at = next((i for i in range(header + 1, end) if re.match(rf"\s*{re.escape(key)}\s*=\s*\[", lines[i])), None)
        if at is None:
            out = "".join(lines[:header + 1]) + f"{key} = [\n{entry}]\n" + "".join(lines[header + 1:])
        else:
            close = _closing_bracket(text, sum(len(ln) for ln in lines[:at]) + lines[at].index("["))
            if close is None:
                return None
            inside = re.sub(r"#.*", "", text[text.index("[", sum(len(ln) for ln in lines[:at])) + 1:close]).strip()
            before = text[:close].rstrip(" ")
            comma = "," if inside and not inside.endswith(",") else ""
            out = before + comma + ("" if before.endswith("\n") else "\n") + entry + text[close:]
    try:
        old = tomllib.loads(text).get(table, {}).get(key, [])
        new = tomllib.loads(out).get(table, {}).get(key)
    except tomllib.TOMLDecodeError:
        return None
    return out if new == [*old, number] else None


def _closing_bracket(text: str, start: int) -> int | None:
    """The index of the ``]`` that closes the array opened at ``start`` (comments skipped)."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            if i < 0:
                return None
        elif char in "\"'":
            return None          # strings in an array of line numbers: not ours to edit
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None
