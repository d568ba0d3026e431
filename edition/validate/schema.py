"""Schema validation: a parsed TEI file against RELAX NG (tei_all, or an editor's own schema).

In: an lxml tree, the file's raw bytes and its path. Out: every schema error as a
``Diagnostic`` with file, line, column, the element's path, a plain-words message and lxml's
raw text as ``detail``.

Compiling tei_all takes about ten seconds, so a file is first checked against the schema cut
down to its own elements (``pruned``: the same yes/no, compiled in milliseconds); only a file
with errors, or a very large one, makes the process compile the whole schema (kept per process,
keyed by the schema file's sha256), whose messages are the ones reported. Results are cached
across runs by ``ResultCache`` (below).

libxml2 stops checking an element's content at its first error, and reports only the first
bad attribute of an element, where jing reports them all. To report every error, the
validator repairs a copy of the tree (drops the rejected attribute or element, strips the
stray text) and validates again, a few rounds at most, collecting the new errors each time.
Errors that merely echo a child's error ("Element p failed to validate content") are dropped.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lxml import etree

import edition.validate.messages as messages  # a module, not the package: no circle through validate/__init__
import edition.validate.pruned as pruned
from edition.diagnostics import Diagnostic, EditionError, Severity, error, warning
from edition.fsutil import write_atomic
from edition.resources import TEI_ALL_RNG, package_fingerprint
from edition.tei.xmlio import XML_ID, attributes_named
from edition.validate.grammar import grammar_for
from edition.validate.locate import SourceMap, element_path, resolve_libxml2_path

XI_INCLUDE = "{http://www.w3.org/2001/XInclude}include"
XI_FALLBACK = "{http://www.w3.org/2001/XInclude}fallback"
MAX_ROUNDS = 12
_NCNAME = re.compile(r"[^\W\d][\w.-]*")
MAX_FINDINGS = 5000
_COMPILED: dict[str, etree.RelaxNG] = {}
CUT_LIMIT = 4 * 2**20   # bytes: larger files are validated with the whole schema (see Schema.accepts)
_PARSED: dict[str, etree._ElementTree] = {}


@dataclass
class Finding:
    """One schema error, tied to an element of the original tree."""

    wording: messages.Wording
    element: etree._Element
    where: str  # start | end | attribute | text
    attribute: str | None
    detail: str


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

    def accepts(self, tree: etree._ElementTree, size: int) -> bool | None:
        """Whether the file is valid, if that can be decided without compiling the whole schema.

        The schema cut to the file's elements (``pruned``) decides files of up to ``CUT_LIMIT``
        bytes: it compiles in milliseconds but validates about ten times slower than the whole
        schema, so a larger file, or a process that has the whole schema already, uses that.
        None: not decided here.
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
            work, to_orig = _copy(root)
            _replace_includes(work)
        if self.accepts(work.getroottree(), len(data)):
            findings = []
        else:
            if not self.compiled and compiling:
                compiling()
            findings = _collect(self.relaxng(), root, work, to_orig, grammar_for(str(self.path)))
        if not findings and not includes:
            return []
        source = SourceMap(data, root)
        for include in includes:
            line, col = source.start(include)
            notes.append(warning("W210", f"XInclude of '{include.get('href', '')}' is not followed (nothing is "
                                 "ever fetched); its fallback was validated instead", path, line, col,
                                 hint="put the included content into the file to validate it"))
        return notes + [_diagnostic(f, source, path) for f in findings]


def _copy(root: etree._Element) -> tuple[etree._Element, dict]:
    """A deep copy of the tree and a map from the copy's elements back to the originals."""
    work = copy.deepcopy(root)
    pairs = list(zip(work.iter(etree.Element), root.iter(etree.Element)))
    mapping = {id(w): (w, o) for w, o in pairs}  # the tuples keep both proxies alive
    return work, mapping


def _replace_includes(work: etree._Element) -> None:
    for include in list(work.iter(XI_INCLUDE)):
        fallback = include.find(XI_FALLBACK)
        parent = include.getparent()
        if parent is None:
            continue
        position = parent.index(include)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(position + offset, child)
        _remove(include)


def _remove(element: etree._Element) -> None:
    """Remove an element from its parent, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _collect(relaxng, root, work, to_orig, grammar) -> list[Finding]:
    """Validate, repair the copy, validate again, until nothing new turns up."""
    findings: list[Finding] = []
    seen: set[tuple] = set()
    repaired: set[int] = set()  # originals that lost an attribute: later echoes are not errors
    emptied: set[int] = set()  # originals that lost a child: "incomplete" later is our doing
    for _ in range(MAX_ROUNDS):
        if relaxng.validate(work.getroottree()):
            break
        entries = [(e, _node(work, e)) for e in relaxng.error_log]
        if to_orig is None:  # first error: from now on work on a copy
            work, to_orig = _copy(root)
            back = {id(o): w for w, o in to_orig.values()}
            entries = [(e, back.get(id(n)) if n is not None else None) for e, n in entries]
        new = 0
        stop = False
        for entry, node in entries:
            kind = messages.classify(entry.type_name)
            if node is None:
                node = work
            if kind == "incomplete" or entry.type_name.endswith("EXTRACONTENT"):
                if _echoes_child(node, entries):
                    continue
            if entry.type_name.endswith("EXTRACONTENT"):
                child = _child_named(node, messages.raw_extra_child(entry.message))
                node = child if child is not None else node
            original = to_orig[id(node)][1] if id(node) in to_orig else root
            attr = messages.raw_attribute_name(entry.message) if kind == "attribute" else None
            if attr == "id" and _NCNAME.fullmatch(node.get(XML_ID, "")):
                _repair(kind, node, attr)  # a well-formed id used twice: the id rule (E304) says so
                new += 1  # validate again: libxml2 skipped the element's other attributes
                continue
            key = (id(original), kind, attr)
            if key in seen or (id(original) in repaired and kind not in ("attribute", "value")):
                continue
            if kind == "incomplete" and id(original) in emptied:
                continue
            seen.add(key)
            new += 1
            if original is root and kind in ("unexpected", "namespace"):
                findings.append(Finding(messages.root_wording(original), original, "start", None, entry.message))
                stop = True
                continue
            findings.append(_finding(kind, original, attr, entry.message, grammar))
            parent = node.getparent()
            if kind in ("unexpected", "namespace") and parent is not None and id(parent) in to_orig:
                emptied.add(id(to_orig[id(parent)][1]))
            _repair(kind, node, attr)
            if attr:
                repaired.add(id(original))
        if stop or not new or len(findings) > MAX_FINDINGS:  # no progress: what is left repeats
            break
    return findings


def _node(work: etree._Element, entry) -> etree._Element | None:
    node = resolve_libxml2_path(work, entry.path)
    if node is None and entry.line:
        node = next((el for el in work.iter(etree.Element) if el.sourceline == entry.line), None)
    return node


def _echoes_child(node: etree._Element, entries) -> bool:
    """True when another error of the round concerns an element inside ``node``."""
    return any(other is not None and other is not node and _inside(other, node) for _, other in entries)


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _child_named(node: etree._Element, name: str | None) -> etree._Element | None:
    for child in node.iterchildren(etree.Element):
        if etree.QName(child).localname == name:
            return child
    return None


def _finding(kind: str, element, attr, detail: str, grammar) -> Finding:
    if kind == "unexpected":
        return Finding(messages.unexpected(element, grammar), element, "start", None, detail)
    if kind == "incomplete":
        return Finding(messages.incomplete(element, grammar), element, "end", None, detail)
    if kind == "attribute" and attr:
        return Finding(messages.attribute(element, attr, grammar), element, "attribute", attr, detail)
    if kind == "text":
        return Finding(messages.text(element, grammar), element, "text", None, detail)
    if kind == "empty":
        name = etree.QName(element).localname
        return Finding(messages.Wording("empty", f"<{name}> must be empty"), element, "start", None, detail)
    if kind == "namespace":
        return Finding(messages.unexpected(element, grammar), element, "start", None, detail)
    name = etree.QName(element).localname
    return Finding(messages.Wording("other", f"<{name}> does not match the schema: {detail}"), element,
                   "start", None, detail)


def _repair(kind: str, node: etree._Element, attr: str | None) -> None:
    """Change the copy so that validation can go on past this error."""
    if kind in ("unexpected", "namespace"):
        _remove(node)
    elif kind in ("attribute", "value") and attr:
        for key, _ in attributes_named(node, attr):  # one scan in C, whatever the number of attributes
            del node.attrib[key]
    elif kind == "text":
        if node.text and node.text.strip():
            node.text = None
        for child in node:
            if child.tail and child.tail.strip():
                child.tail = None
    elif kind == "empty":
        node.text = None
        for child in list(node):
            node.remove(child)


def _diagnostic(finding: Finding, source: SourceMap, path: str | Path) -> Diagnostic:
    element = finding.element
    if finding.where == "end":
        line, col = source.end(element)
    elif finding.where == "attribute":
        line, col = source.attribute(element, finding.attribute)
    elif finding.where == "text":
        line, col = _first_text(element, source)
    else:
        line, col = source.start(element)
    wording = finding.wording
    return error(wording.code, f"{wording.message} (at {element_path(element)})", path, line, col,
                 hint=wording.hint, detail=finding.detail)


def _first_text(element: etree._Element, source: SourceMap) -> tuple[int, int | None]:
    """Where the first non-blank text directly inside the element starts."""
    pieces = [(element, False, element.text)] + [(c, True, c.tail) for c in element]
    for owner, tail, value in pieces:
        if value and value.strip():
            return source.text_offset(owner, tail, len(value) - len(value.lstrip()))
    return source.start(element)


# --- the result cache ----------------------------------------------------------------
# The schema-result cache: an unchanged file is not validated against the schema again.
#
# In: a file's bytes, the schema's sha256 and the validator's version. Out: the schema
# diagnostics of an earlier run (without their path, which is set again on reading), or None.
#
# Why: compiling tei_all costs about ten seconds per process, validating is cheap. Keyed by
# sha256(file bytes) + sha256(schema) + the tool's version + a hash of this code, an entry is
# valid forever: any change to the file, the schema or the validator makes a new key. So a
# second ``edition validate`` or a no-op ``edition build`` finds every file in the cache and
# never compiles the schema. Cross-file and integrity rules always run (they are cheap and
# depend on the other files).
#
# Where: ``<project>/.cache/validate/`` (git-ignored; not under ``build/``, which a failing build
# must leave untouched), or ``$XDG_CACHE_HOME/edition/validate`` outside a project. One small
# JSON file per entry, written atomically; deleting the folder is always safe.

# The tool's code is part of the key (``package_fingerprint``), so that a changed message,
# position or repair never serves stale results (no version number to forget to bump).


def default_dir(project_root: Path | None) -> Path:
    """Where the cache lives for a project (or for loose files)."""
    if project_root is not None:
        return project_root / ".cache" / "validate"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "edition" / "validate"


class ResultCache:
    """Schema diagnostics by content hash; a disabled cache never hits and never writes."""

    def __init__(self, folder: Path | None, schema_sha256: str):
        self.folder = folder
        self.salt = f"{schema_sha256}:{package_fingerprint()}".encode()
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes) -> str:
        """The entry name of a file with these bytes."""
        return hashlib.sha256(self.salt + b"\0" + data).hexdigest()

    def get(self, data: bytes, path: str | None) -> list[Diagnostic] | None:
        """The cached schema diagnostics for these bytes, re-attached to ``path``."""
        if self.folder is None:
            return None
        entry = self.folder / f"{self.key(data)}.json"
        try:
            records = json.loads(entry.read_text(encoding="utf-8"))
            found = [Diagnostic(r["code"], Severity(r["severity"]), r["message"], path, r.get("line"),
                                r.get("col"), r.get("hint"), r.get("detail")) for r in records]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, data: bytes, diagnostics: list[Diagnostic]) -> None:
        """Remember the schema diagnostics of these bytes (silently skipped if not writable)."""
        if self.folder is None:
            return
        records = [{k: v for k, v in d.as_dict().items() if k != "path"} for d in diagnostics]
        try:
            write_atomic(self.folder / f"{self.key(data)}.json", json.dumps(records, ensure_ascii=False))
        except OSError:
            pass  # a read-only project still validates; it just pays the compilation again
