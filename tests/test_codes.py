"""The one code catalogue (``edition/codes.py``) against the code that raises the codes.

The package's sources are read with ``ast`` (a module no test imports is checked too): every code
written in ``edition/`` is in the catalogue and every catalogue code is written somewhere; each
code is written in one module only (a short list below says which other modules may name it,
and why), so no two places give one code for two things; a literal code given to
``error``/``warning``/``info`` has the catalogue's severity; no message or hint sends the
editor to our own source files. ``docs/codes.md`` lists exactly the catalogue.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from edition.codes import CODES, LETTERS, SEVERITIES, STAGES, explain, markdown
from edition.diagnostics import error, info, warning

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "edition"
CODE = re.compile(r"[EWI]\d{3}")
MAKERS = {"error": "error", "warning": "warning", "info": "info"}

# Modules that name a code another module raises, each with its reason. Nothing else may.
ALSO_NAMED = [
    ("edition/validate/runner.py", {"E000"},
     "the validator reads the files it is given itself (a missing path, an unreadable file), as xmlio does"),
    ("edition/validate/runner.py", {"E001"}, "rewords xmlio's E001 when libxml2's size or depth limit refused a file"),
    ("edition/validate/runner.py", {"E200"}, "COULD_NOT_RUN: an unusable schema gives exit status 2"),
    ("edition/validate/__init__.py", {"E304", "W301", "W302", "W303", "W305", "W307"},
     "EDITION_WIDE: the findings recomputed for every text after a change to one"),
]


def sources() -> dict[str, ast.Module]:
    return {p.relative_to(ROOT).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(PACKAGE.rglob("*.py")) if p.name != "codes.py" or p.parent != PACKAGE}


SOURCES = sources()


def code_literals(tree: ast.AST) -> set[str]:
    """The string constants of a module that are exactly a code (docstrings and comments never are)."""
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value)}


def modules_naming() -> dict[str, set[str]]:
    found = defaultdict(set)
    for module, tree in SOURCES.items():
        for code in code_literals(tree):
            found[code].add(module)
    return found


NAMED = modules_naming()


def makers_of(tree: ast.AST) -> dict[str, str]:
    """Local names of ``edition.diagnostics``' error/warning/info in a module (``error as error_diagnostic``)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "edition.diagnostics":
            names |= {alias.asname or alias.name: MAKERS[alias.name] for alias in node.names if alias.name in MAKERS}
    return names


def calls_to_makers() -> list[tuple[str, int, str, ast.Call]]:
    """(module, line, severity, call) for each call of error/warning/info."""
    found = []
    for module, tree in SOURCES.items():
        names = makers_of(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                found.append((module, node.lineno, names[node.func.id], node))
    return found


CALLS = calls_to_makers()


def test_every_code_written_in_the_package_is_in_the_catalogue():
    unknown = {code: sorted(modules) for code, modules in NAMED.items() if code not in CODES}
    assert not unknown, f"add these to edition/codes.py: {unknown}"


def test_every_catalogue_code_is_given_somewhere():
    assert sorted(set(CODES) - set(NAMED)) == []


def test_each_code_is_raised_from_one_module():
    allowed = defaultdict(set)
    for module, codes, reason in ALSO_NAMED:
        assert reason
        for code in codes:
            allowed[code].add(module)
    for code, modules in sorted(NAMED.items()):
        raising = modules - allowed[code]
        assert len(raising) == 1, f"{code} is written in {sorted(raising)}: one meaning, one module"
    # the list of exceptions holds nothing stale
    for code, modules in allowed.items():
        assert modules <= NAMED[code], f"{code} is no longer named in {sorted(modules - NAMED[code])}"


def test_the_colliding_codes_have_one_meaning_each():
    """E102, E110, E111, E200, E201 and E202 were each given by two stages for two things."""
    assert NAMED["E102"] == {"edition/project.py"}
    assert NAMED["E110"] == NAMED["E111"] == {"edition/project.py"}
    assert NAMED["E200"] - {"edition/validate/runner.py"} == {"edition/validate/schema.py"}
    assert NAMED["E201"] == NAMED["E202"] == {"edition/validate/messages.py"}
    assert NAMED["E130"] == NAMED["E131"] == {"edition/scaffold.py"}
    assert {code for code in CODES if NAMED[code] == {"edition/ingest/__init__.py"}} >= {"E222", "E223"}


def test_a_literal_code_is_made_with_its_catalogue_severity():
    checked = 0
    for module, line, severity, call in CALLS:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            assert first.value in CODES, f"{module}:{line}: {first.value} is not in the catalogue"
            assert CODES[first.value].severity == severity, (
                f"{module}:{line}: {first.value} made as {severity}, the catalogue says {CODES[first.value].severity}")
            checked += 1
    assert checked >= 70  # most codes are given where they are made


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_message_or_hint_sends_the_editor_to_our_sources():
    ours = re.compile(r"edition/[\w/]+|\b\w+\.py\b")
    found = [f"{module}:{line}: {text!r}" for module, line, _, call in CALLS
             for text in _strings(call) if ours.search(text)]
    assert found == []


def test_makers_refuse_an_unknown_code_or_another_severity():
    with pytest.raises(ValueError, match="'E999'.*not in the catalogue"):
        error("E999", "no such code")
    with pytest.raises(ValueError, match="'W601' made as a error is a warning"):
        error("W601", "a warning made as an error")
    assert warning("W601", "x").severity.value == "warning"
    assert info("I303", "x").severity.value == "info"


def test_the_catalogue_is_well_formed():
    for code, entry in CODES.items():
        assert CODE.fullmatch(code), code
        assert entry.severity in SEVERITIES and entry.stage in STAGES, code
        assert entry.explanation and "\n" not in entry.explanation and not entry.explanation.endswith("."), code
        assert explain(code) == entry.explanation
        if code not in ("I301", "I302"):  # printed as warnings since they were made
            assert LETTERS[code[0]] == entry.severity, code
    explanations = [entry.explanation for entry in CODES.values()]
    assert len(set(explanations)) == len(explanations)
    assert explain("X000") == "unknown code"


def test_validate_catalogue_is_the_view_of_reading_and_validating():
    from edition.validate import CATALOGUE

    assert CATALOGUE == {code: (e.severity, e.explanation) for code, e in CODES.items()
                         if e.stage in ("tei", "validate")}
    assert {"E000", "E004", "E200", "E209", "W210", "E304", "W403"} <= set(CATALOGUE)
    assert not {"E222", "E401", "W601", "E801"} & set(CATALOGUE)


def test_docs_list_exactly_the_catalogue():
    text = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert text == markdown(), "regenerate: python -m edition.codes > docs/codes.md"
    rows = re.findall(r"^\| ([EWI]\d{3}) \| (\w+) \| (.+) \|$", text, re.MULTILINE)
    assert sorted(code for code, _, _ in rows) == sorted(CODES)
    for code, severity, _ in rows:
        assert severity == CODES[code].severity


def test_an_unknown_element_is_reported_at_the_editors_file_and_line():
    """W601 names the TEI file and line of the element and speaks of the text, not of our code."""
    from lxml import etree

    from edition.render.html import render_text
    from edition.tei.document import Document

    path = ROOT / "tests" / "fixtures" / "html" / "unknown-element.xml"
    first = next(e for e in etree.parse(str(path)).iter() if etree.QName(e).localname == "metamark")
    found = [d for d in render_text(Document.load(path)).diagnostics if "<metamark>" in d.message]
    assert [(d.code, Path(d.path).name, d.line) for d in found] == [("W601", path.name, first.sourceline)]
    assert "its content is shown as plain text" in found[0].message
    assert "edition/" not in found[0].hint and ".py" not in found[0].hint
