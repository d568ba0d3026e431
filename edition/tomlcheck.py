"""Checking a parsed TOML file against a schema of tables and typed keys, with located messages.

In: the parsed mapping, the file's text and a ``{table: {key: type}}`` schema (a type may be
``list[str]``: a list whose every item is a str). Out: nothing, or an ``EditionError`` naming
the file, the line of the bad key or table and the closest valid key (E104), or what type was
expected and what was found (E105). Shared by ``edition.toml`` (``edition.project``) and the
rules files of every stage.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from edition.diagnostics import EditionError, error


def check_keys(data: dict, schema: dict[str, dict], path: Path, text: str, table_names: dict[str, str] | None = None,
               arrays: set[str] | None = None) -> None:
    """Check a parsed TOML mapping against a ``{table: {key: type}}`` schema.

    Raises ``EditionError`` naming the file, the line of the bad key and the closest valid key.
    Shared by the project file and the rules files. With ``arrays`` (the names of the arrays of
    tables), every other table must be a table and those arrays of tables.
    """
    for table, value in data.items():
        if table not in schema:
            raise _unknown(table, list(schema), path, text, "table")
        if arrays is not None:
            _check_shape(table, value, table in arrays, path, text)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict):
                _check_table(entry, table, schema, path, text, arrays)


def _check_shape(table: str, value, array: bool, path: Path, text: str) -> None:
    """A table must be a table, an array of tables an array of tables."""
    if array and isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return
    if not array and isinstance(value, dict):
        return
    header = f"[[{table}]]" if array else f"[{table}]"
    want = "an array of tables" if array else "a table"
    raise EditionError(error("E105", f"'{table}' must be {want} ({header}), not {_type_name(value)}", path,
                             _line_of(text, table), hint=f"write {header} on a line of its own, then its keys below"))


def _type_name(value) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), type(value).__name__)


# What a message calls each type of the schema.
_WORDS = {str: "a string", int: "a whole number", float: "a number", bool: "true or false", list: "an array",
          dict: "a table"}


def _expected_words(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_WORDS.get(k, k.__name__) for k in kinds)


def _expected(expected) -> tuple:
    """(the type or types, the type of its items for ``list[str]``, else None)."""
    if getattr(expected, "__origin__", None) is list:
        return list, expected.__args__[0]
    return expected, None


def _check_table(entry: dict, table: str, schema: dict, path: Path, text: str, arrays: set[str] | None) -> None:
    allowed = schema[table]
    for key, value in entry.items():
        if key not in allowed:
            raise _unknown(key, list(allowed), path, text, f"key in [{table}]", _line_in(text, table, key))
        kind, item = _expected(allowed[key])
        # true/false is a Python int: a number is never a bool
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            raise EditionError(error("E105", f"'{key}' in [{table}] must be {_expected_words(kind)}, "
                                     f"not {_type_name(value)}", path, _line_in(text, table, key)))
        odd = next((v for v in value if not isinstance(v, item)), None) if item else None
        if odd is not None:
            raise EditionError(error("E105", f"'{key}' in [{table}] must be an array of strings, "
                                     f"not hold {_type_name(odd)}", path, _line_in(text, table, key),
                                     hint=f"for example {key} = [\"…\"]"))
        if arrays is not None and key in arrays:
            _check_shape(key, value, True, path, text)
        # an array of tables inside a table ([[text.witness]]) is checked against its own
        # schema; a plain value that happens to share a table's name (merge.orthographic) is not
        if key in schema and isinstance(value, list):
            for sub in value:
                if isinstance(sub, dict):
                    _check_table(sub, key, schema, path, text, arrays)


def _unknown(key: str, valid: list[str], path: Path, text: str, what: str, line: int | None = None) -> EditionError:
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"valid: {', '.join(sorted(valid))}"
    return EditionError(error("E104", f"unknown {what} '{key}'", path, line or _line_of(text, key), 1, hint=hint))


def _line_in(text: str, table: str, key: str) -> int | None:
    """The first line that sets ``key`` below a header of ``table`` (``[table]``, ``[[a.table]]``),
    before the next header; else the first line that sets ``key`` anywhere."""
    headers = list(re.finditer(r"^\s*\[\[?\s*([\w.\"' -]+?)\s*\]\]?", text, re.MULTILINE))
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE)
    for number, header in enumerate(headers):
        if header.group(1).split(".")[-1].strip("\"' ") != table:
            continue
        end = headers[number + 1].start() if number + 1 < len(headers) else len(text)
        match = pattern.search(text, header.end(), end)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return _line_of(text, key)


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets ``key`` (or opens a table of that name)."""
    pattern = re.compile(rf"^\s*(\[\[?\s*)?(\w+\.)*\"?{re.escape(key)}\"?\s*(=|\]|\.)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _line_of_value(text: str, key: str, value: str) -> int | None:
    """The last line that sets ``key`` to ``value`` (the later of two equal ids), else ``key``'s."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*[\"']{re.escape(value)}[\"']", re.MULTILINE)
    found = list(pattern.finditer(text))
    return text.count("\n", 0, found[-1].start()) + 1 if found else _line_of(text, key)


def _toml_position(message: str) -> tuple[int | None, int | None]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)
