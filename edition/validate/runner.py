"""Running the validator over files: read, parse safely, schema, rules, one report.

In: paths (files or folders) or the build's parsed documents. Out: a ``Report`` with every
diagnostic. Order of work: each file is read and parsed (refused safely when hostile) and
surveyed in one walk (``survey.py``); its schema result is taken from the cache or computed
(compiling a schema only then); the edition-wide rules (ids, pointers) run over all files
together, then the per-file rules (their findings cached like the schema's).

``run_validate`` is what ``edition validate`` calls: it prints the diagnostics (text or JSON)
and returns the exit status: 0 clean, 1 errors found (or warnings with ``--strict``), 2 could
not run (a file that cannot be read, a path that does not exist, a schema that cannot be
used, a broken project file).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from functools import cached_property, partial
from pathlib import Path
from typing import Callable

from lxml import etree

from edition.codes import explain
from edition.diagnostics import Diagnostic, EditionError, Report, Severity, error
from edition.fsutil import check_input_file
from edition.tei.xmlio import parse_bytes
from edition.validate.leftovers import check_leftovers
from edition.validate.locate import SourceMap
from edition.validate.pointers import Edition, display
from edition.validate.rules import check_file, unreferenced_notes
from edition.validate.schema import ResultCache, Schema, default_dir
from edition.validate.survey import Survey

MAX_BYTES = 512 * 1024 * 1024  # a file above this is refused before parsing (memory)
# Below this many bytes to validate, the schema runs in this thread after the rules: there the
# rules take a few milliseconds, and a worker thread's start and hand-overs cost about as much
# CPU (measured: 1–2 ms on the edition's 0.3 MB) as its overlap could save in wall time.
PARALLEL_BYTES = 2 * 1024 * 1024
COULD_NOT_RUN = {"E000", "E200"}


class Source:
    """One parsed file: its path, bytes and tree, its survey and the positions of its tags (lazily)."""

    def __init__(self, path: Path, data: bytes, root: etree._Element):
        self.path = path
        self.data = data
        self.root = root
        self._map: SourceMap | None = None
        self._survey: Survey | None = None

    @cached_property
    def display(self) -> str:
        """The path as messages print it (resolved only when a message or the cache needs it)."""
        return display(self.path)

    def survey(self, rules: bool = False) -> Survey:
        """The facts the rules read, gathered in one walk over the tree (kept).

        ``rules``: the per-file rules will run too, so gather their facts as well.
        """
        if self._survey is None or (rules and not self._survey.rules):
            self._survey = Survey(self.root, rules)
        return self._survey

    @property
    def has_editions(self) -> bool:
        """Whether pb/lb may be numbered per edition (@ed, @edRef): a byte search, made only when asked."""
        return b"edRef" in self.data or b" ed=" in self.data

    @property
    def map(self) -> SourceMap:
        """The tag positions of the file, computed on first use."""
        if self._map is None:
            self._map = SourceMap(self.data, self.root)
        return self._map

    def start(self, element):
        """(line, col) of the element's start tag."""
        return self.map.start(element)

    def end(self, element):
        """(line, col) of the element's end tag."""
        return self.map.end(element)

    def attribute(self, element, name: str):
        """(line, col) of an attribute of the element."""
        return self.map.attribute(element, name)

    def text_offset(self, element, tail: bool, index: int):
        """(line, col) of a character of the element's text or tail."""
        return self.map.text_offset(element, tail, index)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The XML files named or found (recursively, sorted) in the given folders.

    A folder that cannot be read, and an ``*.xml`` entry that is not a regular file (a folder,
    a FIFO, a link to a device or to nowhere), are problems (E000: could not run), never
    skipped in silence: "0 errors in 0 files" must mean there was nothing to check.
    """
    files, problems = [], []
    for path in paths:
        if path.is_dir():
            found, unread = _walk(path)
            files.extend(found)
            problems.extend(unread)
        elif path.is_file():
            files.append(path)
        else:
            problem = check_input_file(path, None, MAX_BYTES, "file") if os.path.lexists(path) else None
            problems.append(dataclasses.replace(problem, code="E000") if problem else
                            error("E000", "no such file or folder", path, hint="give TEI files or folders that hold them"))
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    unread: list[Diagnostic] = []

    def refused(exc: OSError) -> None:
        unread.append(error("E000", f"cannot read the folder: {exc.strerror}", exc.filename,
                            hint="check its permissions"))

    found = []
    for here, _, names in os.walk(folder, onerror=refused):
        for name in names:
            if name.endswith(".xml"):
                path = Path(here) / name
                problem = check_input_file(path, None, MAX_BYTES, "file")
                if problem is None:
                    found.append(path)
                else:
                    unread.append(dataclasses.replace(problem, code="E000"))
    return sorted(found), unread


def read_source(path: Path) -> Source:
    """Read and parse one file safely; raise ``EditionError`` saying what is wrong."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise EditionError(error("E004", f"the file is larger than {MAX_BYTES // 2**20} MB; it is not parsed",
                                     path, hint="split it into several TEI files"))
        data = path.read_bytes()
    except OSError as exc:
        raise EditionError(error("E000", f"cannot read the file: {exc.strerror}", path,
                                 hint="check the path and its permissions")) from None
    return Source(path, data, parse_safely(data, path).getroot())


def parse_safely(data: bytes, path: Path) -> etree._ElementTree:
    """``xmlio.parse_bytes`` (which leaves an xml:id used twice to E304), limits in plain words."""
    try:
        return parse_bytes(data, path)
    except EditionError as exc:
        first = exc.diagnostics[0]
        if first.code == "E001" and "XML_PARSE_HUGE" in (first.message or ""):
            raise EditionError(dataclasses.replace(first, **_limit_words(first.message))) from None
        raise


def _limit_words(message: str) -> dict:
    """libxml2's resource limits (which protect memory) in plain words."""
    if "depth" in message:
        return dict(message="elements are nested more than 256 levels deep; the file is refused "
                    "(deep nesting is a way to exhaust memory)", hint="flatten the markup")
    return dict(message="a text or name is longer than libxml2's limit (10 MB); the file is refused "
                "(a protection against exhausting memory)", hint="split the text into several elements")


def validate_sources(sources: list[Source], schema: Schema, cache: ResultCache,
                     progress: Callable[[str], None] | None = None,
                     only: list[Source] | None = None) -> list[Diagnostic]:
    """Schema (cached) on each file, then the edition-wide and per-file rules.

    With ``only`` (the files that changed, in an incremental build), the schema and the
    per-file rules run on those alone; ids, pointers and notes still look at all ``sources``.
    """
    found: list[Diagnostic] = []
    pending = []
    only = sources if only is None else only

    def compiling() -> None:
        if progress:
            progress("compiling the schema for the files with errors (results are cached) …")

    rules_cache = RulesCache(cache.folder, schema.sha256)
    cached = cache.folder is not None  # (a disabled cache is not asked: that spares resolving each path)
    # the per-file findings of unchanged files come from their cache; None: run the rules
    own = {id(source): rules_cache.get(source.data, source.display) if cached else None for source in only}
    for source in sources:  # one walk over each tree, gathering the facts of every rule
        source.survey(rules=own.get(id(source), ()) is None)
    # libxml2 validates without holding the GIL, so for a large edition the schema runs in a
    # worker thread while this thread runs the rules on the facts gathered above; both only
    # read the trees.
    parallel = sum(len(source.data) for source in only) >= PARALLEL_BYTES
    with ThreadPoolExecutor(max_workers=1) if parallel else nullcontext() as pool:
        for source in only:
            known = cache.get(source.data, source.display) if cached else None
            if known is not None:
                found.extend(known)
                continue
            if progress:
                progress(f"validating {source.display} …")
            check = partial(schema.check, source.root, source.data, source.path, compiling)
            pending.append((source, pool.submit(check).result if pool else check))
        edition = Edition(sources)
        found.extend(edition.check())
        for source in sources:
            if id(source) in own:
                found.extend(_own_rules(source, rules_cache, own[id(source)]))
            # whether a note is pointed to depends on the other files: never cached
            found.extend(unreferenced_notes(source, edition.referenced_in(source)))
        for source, result in pending:
            checked = result()
            cache.put(source.data, checked)
            found.extend(checked)
    return found


class RulesCache(ResultCache):
    """The findings of the rules that need no other file, by the file's bytes (like the schema's).

    The key holds the tool's fingerprint (as the schema cache's does), so a changed rule never
    serves stale findings.
    """

    def __init__(self, folder: Path | None, schema_sha256: str):
        super().__init__(folder, schema_sha256)
        self.salt = b"rules:" + self.salt


def _own_rules(source: Source, cache: RulesCache, found: list[Diagnostic] | None) -> list[Diagnostic]:
    """The per-file rules (all but the note rule) and the leftovers, unless ``found`` in the cache."""
    if found is None:
        found = check_file(source, None) + check_leftovers(source)
        cache.put(source.data, found)
    return found


def validate_paths(paths: list[Path], *, schema: Schema | None = None, cache: ResultCache | None = None,
                   progress: Callable[[str], None] | None = None) -> Report:
    """Validate TEI files and folders together (as one edition); never raises for bad files."""
    schema = schema or Schema()
    cache = cache or ResultCache(None, schema.sha256)
    files, problems = collect_files(paths)
    report = Report(files=len(files))
    report.extend(problems)
    sources = []
    for path in files:
        try:
            sources.append(read_source(path))
        except EditionError as exc:
            report.extend(exc.diagnostics)
    report.extend(validate_sources(sources, schema, cache, progress))
    return report


def strict(report: Report) -> Report:
    """The same report with every warning made an error (``--strict``)."""
    made = [dataclasses.replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in report.diagnostics]
    return Report(diagnostics=made, files=report.files)


def could_not_run(report: Report) -> bool:
    """True when a file could not be read or the schema not used (exit status 2)."""
    return any(d.code in COULD_NOT_RUN for d in report.diagnostics)


def run_validate(paths: list[Path], *, project_root: Path | None, fmt: str = "text", strict_mode: bool = False,
                 quiet: bool = False, verbose: bool = False, schema_path: Path | None = None,
                 use_cache: bool = True, echo: Callable[[str], None] = print,
                 note: Callable[[str], None] | None = None) -> int:
    """Validate and print the findings with ``echo``; return the exit status.

    ``note`` prints what is not a finding (progress, timing): on standard error by default, so
    that ``--format json`` on standard output stays pure JSON.
    """
    note = note or _to_stderr
    started = time.perf_counter()
    progress = None
    if verbose:
        progress = note
    elif not quiet and fmt == "text":
        progress = _first_compile_notice(note)
    try:
        root = _project_root(project_root, quiet_missing=bool(paths))
        if not paths:
            paths = [_tei_dir(root)]
        if schema_path is None and root is not None:
            schema_path = _project_schema(root)   # [validate] schema in edition.toml
        schema = Schema(schema_path)
        cache = ResultCache(default_dir(root) if use_cache else None, schema.sha256)
        report = validate_paths(paths, schema=schema, cache=cache, progress=progress)
    except EditionError as exc:
        report = Report(diagnostics=exc.diagnostics)
        _print(report, fmt, quiet, verbose, echo)
        return 2
    if strict_mode:
        report = strict(report)
    _print(report, fmt, quiet, verbose, echo)
    if verbose and fmt == "text":
        note(f"({time.perf_counter() - started:.2f} s; schema results from cache: {cache.hits}, "
             f"validated: {cache.misses if cache.folder else report.files})")
    if could_not_run(report):
        return 2
    return report.exit_code()


def _project_root(given: Path | None, quiet_missing: bool = False) -> Path | None:
    from edition.project import find_project_root

    try:
        return find_project_root(given)
    except EditionError:
        if quiet_missing:
            return None
        raise


def _project_schema(root: Path) -> Path | None:
    from edition.project import load_project

    return load_project(root).schema_path


def _tei_dir(root: Path) -> Path:
    from edition.project import load_project

    return load_project(root).tei_dir


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr)


def _first_compile_notice(note: Callable[[str], None]) -> Callable[[str], None]:
    """Say once that the schema is being compiled: the only slow step."""
    said = []

    def notice(text: str) -> None:
        if text.startswith("compiling") and not said:
            said.append(text)
            note(text)

    return notice


def _print(report: Report, fmt: str, quiet: bool, verbose: bool, echo) -> None:
    if fmt == "json":
        echo(report.to_json())
        return
    for diagnostic in report.sorted():
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        echo(diagnostic.format(verbose=verbose))
        if verbose:
            echo(f"    {diagnostic.code}: {explain(diagnostic.code)}")
    if not quiet:
        echo(report.summary())
