"""``edition build``: TEI on disk → every output under ``build/``.

In: the project (``edition.toml``) and its TEI files. Out: ``build/txt/``, ``build/html/``,
``build/pdf/``, ``build/reports/``. The TEI is validated first; when it has errors the build
stops with the validator's messages and writes nothing. Every output is written atomically
(``edition.fsutil.write_atomic``), and an unchanged output is not rewritten.

Renderers are a plain registry (``RENDERERS``): an ordered list of (output name, function)
pairs; every function of a requested output runs, in order. HTML and PDF slot in as further
renderers of the same TEI.

Incremental builds (``edition.buildcache`` keeps the record in ``build/.cache/``):

- Before anything is parsed, every input is hashed: each TEI file (with ``rules/<id>.toml``),
  the other rules files, the templates (the editor's and the packaged ones), ``edition.toml``
  and the tool itself. When no hash changed, the build returns at once: it parses nothing,
  compiles no schema, runs no renderer and writes no file.
- Validation runs only on the texts that changed (``documents`` is a ``DocumentSet`` whose
  ``.all`` holds every text, for checks across texts); the warnings of the other texts are
  replayed from the record.
- A renderer runs when one of its inputs changed. A change to the settings, rules shared by
  all texts, templates or the tool re-runs it on every text. A change to one text re-runs it
  with ``documents`` = every text, unless the renderer declares itself incremental by setting
  ``incremental = True`` on its function: it is then called with ``documents`` = only the
  texts that changed (a ``DocumentSet``; ``documents.all`` is every text, for pages that list
  them, such as a home page or a search index) and must (re)write only those texts' outputs
  plus such shared pages.
- Outputs of a text removed from ``tei/`` are deleted, if a renderer had reported them (an
  output belongs to a text when it is named ``<id>.*`` or lies in a folder named ``<id>``).
- The record is saved after each step that succeeded, so an interrupted build keeps the
  previous outputs whole (each is written atomically) and the next build redoes the rest.
"""

from __future__ import annotations

import difflib
import importlib
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition import buildcache
from edition.diagnostics import Diagnostic, EditionError, Report, error
from edition.document import Document
from edition.project import DEFAULT_OUTPUTS, PROJECT_FILE, Project

# (output name, "module:function"); each function is (project, documents, report) -> list[Path]
# of the files it (re)wrote. Order matters: later renderers may use earlier outputs.
RENDERERS: list[tuple[str, str]] = [
    ("txt", "edition.render.text:render_texts"),
    ("txt", "edition.collate.witnesstext:render_witness_texts"),
    ("html", "edition.render.site:build_site"),
    ("html", "edition.citation.dts:write_dts"),
    ("pdf", "edition.render.pdf:render_pdfs"),
]


@dataclass
class BuildResult:
    """What a build wrote and what it noticed."""

    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    # (output name, ids of the texts rendered) for each renderer that ran; empty on a no-op.
    ran: list[tuple[str, list[str]]] = field(default_factory=list)


class DocumentSet(list):
    """The documents a step is asked to handle; ``.all`` is every document of the edition."""

    def __init__(self, documents, all_documents=None):
        super().__init__(documents)
        self.all = list(self if all_documents is None else all_documents)


def load_documents(project: Project) -> list[Document]:
    """Parse every TEI file of the edition (raises on a file that is not well-formed)."""
    problems: list[Diagnostic] = []
    documents = []
    for path in project.tei_files():
        try:
            documents.append(Document.load(path))
        except EditionError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise EditionError(*problems)
    return documents


def validate_documents(project: Project, documents: list[Document]) -> Report:
    """Run ``edition validate`` on the documents if the validator is installed."""
    try:
        validator = importlib.import_module("edition.validate")
    except ModuleNotFoundError:
        return Report(files=len(documents))
    return validator.validate_documents(project, documents)


def _renderer(target: str) -> Callable:
    module_name, func_name = target.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def build(project: Project, outputs: list[str] | None = None,
          progress: Callable[[str], None] | None = None, *, force: bool = False) -> BuildResult:
    """Validate, then run each requested renderer; raise ``EditionError`` on TEI errors.

    ``progress`` is told each step as it starts ("rendering html").

    Only what changed since the last build is redone (see the module docstring); ``force``
    ignores the record and rebuilds everything.
    """
    result = BuildResult()
    wanted = outputs or project.outputs
    _check_outputs(project, wanted, from_project=not outputs)
    inputs = buildcache.survey(project)
    manifest = buildcache.Manifest(project.build_dir / buildcache.CACHE_DIR / buildcache.MANIFEST_NAME) \
        if force else buildcache.Manifest.load(project)
    plans = []
    for name, target in RENDERERS:
        if name in wanted:
            everything, changed, removed = manifest.step(target).stale(inputs.renderer_key(name, target), inputs.docs)
            if everything or changed or removed:
                plans.append((name, target, everything, changed, removed))
    checked = manifest.step("validate")
    _, to_check, gone = checked.stale(inputs.validation_key, inputs.docs)
    if not plans and not to_check and not gone:
        result.report = Report(files=len(inputs.docs))
        result.report.extend(checked.replay())
        for name, target in RENDERERS:
            if name in wanted:
                result.report.extend(manifest.step(target).replay())
        return result

    buildcache.remove_stale_temps(project.build_dir)
    documents = load_documents(project)
    by_id = {d.id: d for d in documents}
    paths = {d.id: d.path for d in documents}
    if to_check or gone:
        if progress:
            progress(f"validating {len(to_check)} text(s)")
        subset = DocumentSet([by_id[i] for i in to_check], documents)
        fresh = validate_documents(project, subset) if subset else Report()
        if fresh.errors:
            raise EditionError(*fresh.sorted())
        checked.key = inputs.validation_key
        checked.docs = dict(inputs.docs)
        # an unchanged text keeps its own findings; those across texts (ids, pointers) are fresh
        across = getattr(importlib.import_module("edition.validate"), "EDITION_WIDE", frozenset())
        checked.diagnostics = {i: [d for d in ds if d.get("code") not in across]
                               for i, ds in checked.diagnostics.items() if i in by_id and i not in to_check}
        for i, ds in buildcache.group_by_text(fresh.diagnostics, paths).items():
            checked.diagnostics[i] = checked.diagnostics.get(i, []) + ds
        manifest.save()
    report = Report(files=len(documents))
    report.extend(checked.replay())
    result.report = report

    for name, target, everything, changed, removed in plans:
        if progress:
            progress(f"rendering {name}")
        render = _renderer(target)
        record = manifest.step(target)
        incremental = getattr(render, "incremental", False) and not everything
        subset = [by_id[i] for i in changed] if incremental else documents
        before = len(report.diagnostics)
        written = render(project, DocumentSet(subset, documents), report)
        result.written.extend(written)
        result.ran.append((name, [d.id for d in subset]))
        redone = {d.id for d in subset}
        fresh = buildcache.group_by_text(report.diagnostics[before:], paths)
        kept = {} if everything else {i: d for i, d in record.diagnostics.items()
                                      if i in by_id and i not in redone and i != ""}
        report.extend(buildcache.Step(diagnostics=kept).replay())
        record.diagnostics = {**kept, **fresh}
        record.outputs = _track_outputs(project, record.outputs, written, removed)
        record.key = inputs.renderer_key(name, target)
        record.docs = dict(inputs.docs)
        manifest.save()
    for name, target in RENDERERS:
        if name in wanted and target not in {p[1] for p in plans}:
            report.extend(manifest.step(target).replay())
    return result


def _check_outputs(project: Project, wanted: list[str], from_project: bool) -> None:
    """An output nobody renders is a typo: name it, where it was asked for, and the known ones."""
    known = list(dict.fromkeys([*DEFAULT_OUTPUTS, *(name for name, _ in RENDERERS)]))
    for name in wanted:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known outputs: {', '.join(known)}"
            path = project.root / PROJECT_FILE if from_project else None
            line = None
            if from_project:
                text = path.read_text(encoding="utf-8").splitlines()
                line = next((i for i, t in enumerate(text, 1) if re.match(r"\s*outputs\s*=", t)), None)
            raise EditionError(error("E106", f"unknown output '{name}'", path, line, hint=hint))


def _track_outputs(project: Project, known: list[str], written: list[Path], removed: list[str]) -> list[str]:
    """Remember a renderer's outputs; delete those of the texts that were removed."""
    root = project.build_dir
    outputs = set(known)
    for path in written:
        try:
            outputs.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue
    for rel in sorted(outputs):
        if any(buildcache.owned_by(rel, text_id) for text_id in removed):
            (root / rel).unlink(missing_ok=True)
            outputs.discard(rel)
    return sorted(outputs)


def exit_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit, so a temporary file being written is removed."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
