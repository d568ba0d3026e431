"""Edition-wide integrity: xml:ids and the pointers between them.

In: every parsed file validated together (the edition). Out: diagnostics for an xml:id used
twice (in one file or across files), a pointer (``@target``, ``@targetEnd``, ``@wit``,
``@corresp``, ``@source``, ``@from``, ``@to``) that resolves to nothing, a bare name where a
``#`` is needed, a reading whose witness is not declared in ``<listWit>``; and, per file, the
xml:ids something points to (the note rule needs them).

These are warnings: a pointer that leads nowhere is a defect to fix, but other editions
publish files with such pointers, and they still render (``--strict`` makes them errors).

A pointer is a list of URI references. ``#x`` must name an xml:id of the same file;
``other.xml#x`` an xml:id of another file of the edition; a URI with a scheme (``http:``,
``urn:``, a private prefix) is left alone. Files are never fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, error, warning
from edition.tei.xmlio import XML_ID, attributes
from edition.validate.survey import (
    HEADER,
    POINTER_ATTRIBUTES,
    POINTER_SET,
    RANGE,
    SPANNING,
)

__all__ = ["POINTER_ATTRIBUTES", "Edition", "display"]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Edition:
    """The files validated together, their xml:ids, and where each pointer leads.

    Ids are kept as values, not elements: holding a Python proxy for every element with an
    id costs more than the whole walk. An element is looked up again only to report it.
    """

    def __init__(self, files: list):
        self.files = files  # runner.Source objects (path, root, position helpers)
        self._by_path: dict[Path, int] | None = None
        self._number = {id(f): n for n, f in enumerate(files)}
        self.ids: list[set[str]] = []
        self.referenced: list[set[str]] = [set() for _ in files]  # ids some pointer names, per file

    @property
    def by_path(self) -> dict[Path, int]:
        """Each file's resolved path → its number (resolved on first use: a pointer into a file)."""
        if self._by_path is None:
            self._by_path = {f.path.resolve(): n for n, f in enumerate(self.files)}
        return self._by_path

    def referenced_in(self, source) -> set[str]:
        """The xml:ids of a file that some pointer of the edition names (the note rule needs them)."""
        return self.referenced[self._number[id(source)]]

    def check(self) -> list[Diagnostic]:
        """Duplicate ids first (they decide what a pointer means), then every pointer."""
        found = self._index_ids()
        for number, source in enumerate(self.files):
            found.extend(self._check_pointers(number, source))
        return found

    def _index_ids(self) -> list[Diagnostic]:
        """Index every file's ids; E304 for an id used twice."""
        found = []
        first: dict[str, int] = {}  # text ids of the files so far → the number of their file
        for number, source in enumerate(self.files):
            survey = source.survey()
            header_ids, text_ids = survey.header_ids, survey.text_ids
            local = set(header_ids)
            local.update(text_ids)
            if len(local) == len(header_ids) + len(text_ids) and (not first or first.keys().isdisjoint(text_ids)):
                # the common case: no clash (and no later file looks up the last file's ids)
                if number + 1 < len(self.files):
                    first.update(dict.fromkeys(text_ids, number))
            else:
                found.extend(self._clashes(number, source, first))
                local = set(header_ids) | set(text_ids)
            self.ids.append(local)
        return found

    def _clashes(self, number: int, source, first: dict[str, int]) -> list[Diagnostic]:
        """E304 for each id of this file used before (in it, or in the text of an earlier file)."""
        found = []
        local: dict[str, etree._Element] = {}
        # header ids (a file's own respStmt, taxonomies) need only be unique in the file;
        # ids in the text are citation keys and must be unique across the edition
        for in_header, element in _with_ids(source.root):
            value = element.get(XML_ID)
            clash = None
            if value in local:
                clash = (source, local[value])
            elif not in_header and value in first:
                other = self.files[first[value]]
                clash = (other, next(e for _, e in _with_ids(other.root) if e.get(XML_ID) == value))
            if clash is not None:
                found.append(_duplicate(value, element, clash, source))
                continue
            if not in_header:
                first[value] = number
            local[value] = element
        return found

    def _check_pointers(self, number: int, source) -> list[Diagnostic]:
        """Every pointer of one file; the tokens are checked in bulk, the elements read only to report."""
        ids = self.ids[number]
        survey = source.survey()
        witnesses = self._declared_witnesses(survey)
        sigla = {w.get("n") for w in survey.witnesses if w.get("n")}
        if ids.issuperset(survey.targets):  # the common case: every '#id' names an id of the file
            self.referenced[number].update(survey.targets)
            if not any(self._resolve(token, number, source, ids, attr, witnesses, sigla)
                       for attr, token in survey.other_pointers):
                return []
        found = []
        referenced = self.referenced[number]
        for element in survey.pointing():  # something to report: go through the elements
            for attr, value in attributes(element):  # linear, where .items() is not
                if attr not in POINTER_SET or (attr in RANGE and element.tag not in SPANNING):
                    continue  # @from/@to of <biblScope>, <locus>, <citedRange> are page or line numbers
                problems: dict[str, list[str]] = {}
                for token in value.split():
                    if attr != "wit" and token[0] == "#" and token[1:] in ids:
                        referenced.add(token[1:])
                        continue
                    code = self._resolve(token, number, source, ids, attr, witnesses, sigla)
                    if code:
                        problems.setdefault(code, []).append(token)
                for code, tokens in problems.items():
                    found.append(_pointer_diagnostic(code, element, attr, tokens, source, ids, sigla))
        return found

    def _resolve(self, token, number, source, ids, attr, witnesses, sigla) -> str | None:
        """None when the token resolves (and remember its target), else a diagnostic code."""
        if "(" in token:
            return None
        if token[0] == "#":  # (no scheme begins with '#': the common case first)
            target = token[1:]
            if target not in ids:
                return "W307" if attr == "wit" and witnesses is not None else "W301"
            self.referenced[number].add(target)
            if attr == "wit" and witnesses is not None and target not in witnesses:
                return "W307"
            return None
        if _SCHEME.match(token):
            return None
        file_part, _, fragment = token.partition("#")
        if not fragment and (file_part in ids or file_part in sigla):
            return "W302"
        if "/" not in file_part and "." not in file_part:
            # a bare word is a relative URI: a file that is not here (or a '#' left out)
            return "W307" if attr == "wit" and witnesses is not None else "W303"
        target_path = (source.path.parent / file_part).resolve()
        other = self.by_path.get(target_path)
        if other is None:
            return None if target_path.exists() else "W303"
        if not fragment:
            return None
        if fragment not in self.ids[other]:
            return "W301"
        self.referenced[other].add(fragment)
        return None

    @staticmethod
    def _declared_witnesses(survey) -> set[str] | None:
        """The xml:ids of the witnesses (and witness groups) a file declares; None without a listWit."""
        if not survey.list_wits:
            return None
        return {w.get(XML_ID) for w in survey.list_wits + survey.witnesses if w.get(XML_ID) is not None}


def _with_ids(root: etree._Element):
    """(in a teiHeader?, element) for each element with an xml:id, in document order."""
    for element in root.iter(etree.Element):
        if element.get(XML_ID) is not None:
            yield any(a.tag == HEADER for a in element.iterancestors(HEADER)), element


def _duplicate(value: str, element, clash: tuple, source) -> Diagnostic:
    other, other_el = clash
    where = "earlier in this file" if other is source else f"in {other.display}"
    line, col = source.attribute(element, "id")
    return error("E304", f"xml:id '{value}' is already used {where} (line {other_el.sourceline})",
                 source.path, line, col, hint="ids must be unique across the whole edition; rename one of them")


def _pointer_diagnostic(code, element, attr, tokens, source, ids, sigla) -> Diagnostic:
    line, col = source.attribute(element, attr)
    name = etree.QName(element).localname
    shown = ", ".join(f"'{t}'" for t in tokens[:5]) + (f" and {len(tokens) - 5} more" if len(tokens) > 5 else "")
    if code == "W302":
        bare = tokens[0]
        how = ("an xml:id of this file" if bare in ids else "the siglum (@n) of a witness with no xml:id")
        return warning(code, f"@{attr} on <{name}> names {shown} without '#'; '{bare}' is {how}", source.path,
                     line, col, hint=f"write '#{bare}'" + ("" if bare in ids else f" and give that witness xml:id=\"{bare}\""))
    if code == "W307":
        return warning(code, f"@wit on <{name}> names {shown}, not declared as a witness in <listWit>", source.path,
                     line, col, hint="declare the witness in <listWit> (<witness xml:id=\"…\">) or correct the siglum")
    if code == "W303":
        return warning(code, f"@{attr} on <{name}> points to {shown}, neither an xml:id ('#…') nor a file here",
                       source.path, line, col, hint="write '#id' for an xml:id; check the file name, or add "
                       "that file to the edition")
    names = "which names" if len(tokens) == 1 else "which name"
    return warning(code, f"@{attr} on <{name}> points to {shown}, {names} no xml:id", source.path, line, col,
                 hint="correct the pointer or add the xml:id it should name")


def display(path: Path) -> str:
    """A path as printed in messages (relative to the working folder when possible)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
