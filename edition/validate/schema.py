"""Schema validation: a parsed TEI file against RELAX NG (tei_all, or an editor's own schema).

In: an lxml tree, the file's raw bytes and its path. Out: every schema error as a
``Diagnostic`` with file, line, column, the element's path, a plain-words message and lxml's
raw text as ``detail``.

Compiling tei_all takes about ten seconds, so a file is first checked against the schema cut
down to its own elements (``pruned.cut``: the same yes/no, compiled in milliseconds). A file
with errors (or larger than ``CUT_LIMIT``) is validated with the schema hollowed to its
elements (``pruned.hollow``: the content models of its elements as in the whole schema, so
libxml2 reports the same errors, compiled in a fraction of a second). A process that has the
whole schema compiled (``edition serve`` warms it up) uses that.
Results are cached across runs by ``ResultCache`` (below).

libxml2 stops at the first error of an element where jing reports them all: the repair loop
(``repair``) finds the rest; W230 says when ``repair.MAX_ROUNDS`` cut it short.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from lxml import etree

import edition.validate.pruned as pruned
from edition.diagnostics import Diagnostic, EditionError, error, warning
from edition.resources import TEI_ALL_RNG
from edition.validate.grammar import grammar_for
from edition.validate.locate import SourceMap
from edition.validate.repair import (
    XI_INCLUDE,
    check_misplaced,
    collect,
    copy_tree,
    diagnostic,
    replace_includes,
)
from edition.validate.resultcache import ResultCache, default_dir  # noqa: F401  (imported from here too)

_COMPILED: dict[str, etree.RelaxNG] = {}
CUT_LIMIT = 4 * 2**20   # bytes: larger files are validated with the hollow schema (see Schema.accepts)
_PARSED: dict[str, etree._ElementTree] = {}


class Schema:
    """A RELAX NG schema file, compiled on first use and shared within the process."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else TEI_ALL_RNG
        try:
            self.sha256 = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError as exc:
            raise EditionError(error("E200", f"cannot read the schema: {exc.strerror}", self.path,
                                     hint="give the path of a RELAX NG schema in XML syntax (.rng)")) from None

    @property
    def compiled(self) -> bool:
        """True when this process has already compiled the schema."""
        return self.sha256 in _COMPILED

    def parsed(self) -> etree._ElementTree:
        """The schema file as a tree (parsed once per process)."""
        if self.sha256 not in _PARSED:
            try:
                parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
                _PARSED[self.sha256] = etree.parse(str(self.path), parser)
            except etree.XMLSyntaxError as exc:
                raise EditionError(error("E200", f"the schema cannot be read: {exc}", self.path,
                                         hint="check that it is a RELAX NG schema in XML syntax")) from None
        return _PARSED[self.sha256]

    def relaxng(self) -> etree.RelaxNG:
        """The compiled schema (compiling it now if this process has not yet)."""
        if self.sha256 not in _COMPILED:
            try:
                _COMPILED[self.sha256] = etree.RelaxNG(self.parsed())
            except etree.RelaxNGParseError as exc:
                raise EditionError(error("E200", f"the schema cannot be compiled: {exc}", self.path,
                                         hint="check that it is a RELAX NG schema in XML syntax")) from None
        return _COMPILED[self.sha256]

    def for_messages(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The compiled schema whose errors are reported for this file.

        The whole schema if this process has it (``warm_up``); else the schema hollowed to the
        file's elements (``pruned.hollow``: the same content models for them, so the same
        errors, compiled in a fraction of a second).
        """
        if self.compiled:
            return self.relaxng()
        try:
            return pruned.hollowed(self.parsed(), self.sha256, pruned.used_names(tree.getroot()))
        except etree.RelaxNGParseError:
            return self.relaxng()   # the whole schema then says why it does not compile

    def any_root(self, used: frozenset) -> etree.RelaxNG | None:
        """The schema hollowed to these elements, any of which may be the root (``pruned.any_root``)."""
        try:
            return pruned.any_root(self.parsed(), self.sha256, used)
        except etree.RelaxNGParseError:
            return None

    def accepts(self, tree: etree._ElementTree, size: int) -> bool | None:
        """Whether the file is valid, if that can be decided without compiling the whole schema.

        The schema cut to the file's elements (``pruned``) decides files of up to ``CUT_LIMIT``
        bytes: it compiles in milliseconds but validates about ten times slower than the whole
        schema, so a larger file, or a process that has the whole schema already, is validated
        with the schema of ``for_messages`` (as fast as the whole). None: not decided here.
        """
        if self.compiled or size > CUT_LIMIT:
            return None
        try:
            return pruned.accepts(self.parsed(), self.sha256, tree)
        except etree.RelaxNGParseError:
            return None   # the cut schema does not compile: let the whole schema decide and say why

    def check(self, root: etree._Element, data: bytes, path: str | Path,
              compiling: Callable[[], None] | None = None) -> list[Diagnostic]:
        """Validate one parsed file; every error and XInclude note as a diagnostic.

        ``compiling`` is called before the whole schema is compiled (a file with errors, in a
        process that has not compiled it yet): the one slow step, worth a word to the user.
        """
        notes: list[Diagnostic] = []
        work, to_orig = root, None
        includes = list(root.iter(XI_INCLUDE))
        if includes:
            work, to_orig = copy_tree(root)
            replace_includes(work)
        findings, cut_short = [], False
        if not self.accepts(work.getroottree(), len(data)):
            if not self.compiled and compiling:
                compiling()
            grammar, seen = grammar_for(str(self.path)), set()
            findings, cut_short, misplaced, to_orig = collect(self.for_messages(work.getroottree()), root, work,
                                                               to_orig, grammar, seen)
            # the side schema needs only the names inside the misplaced elements (a small compile)
            used = frozenset().union(*(pruned.used_names(to_orig[id(node)][1]) for node in misplaced))
            inner, short = check_misplaced(lambda: self.any_root(used), misplaced, to_orig, grammar, seen)
            findings, cut_short = findings + inner, cut_short or short
        if not findings and not includes:
            return []
        source = SourceMap(data, root)
        if cut_short:
            notes.append(warning("W230", f"the schema check stopped after {len(findings)} errors; more errors "
                                 "may follow", path, 1, 1, hint="correct these and validate again"))
        for include in includes:
            line, col = source.start(include)
            notes.append(warning("W210", f"XInclude of '{include.get('href', '')}' is not followed (nothing is "
                                 "ever fetched); its fallback was validated instead", path, line, col,
                                 hint="put the included content into the file to validate it"))
        return notes + [diagnostic(f, source, path) for f in findings]
