"""``edition build``: TEI on disk → every output under ``build/``.

The build, in named steps (``build``): 1. plan — hash the inputs and decide what is stale
(``edition.build.cache``); 2. if nothing is, replay the last warnings and stop; 3. load — parse
every TEI file; 4. check — validate the texts that changed; 5. render — run each stale renderer,
recording its outputs and warnings; 6. replay the warnings of the renderers that did not run.

In: the project (``edition.toml``) and its TEI files. Out: ``build/txt/``, ``build/html/``,
``build/pdf/``, ``build/reports/``. The TEI is validated first; when it has errors the build
stops with the validator's messages and writes nothing, unless it is a draft (``--draft``,
``[build] draft``: ``edition.build.draft`` marks every output and lists the errors). Every output is written atomically
(``edition.fsutil.write_atomic``), and an unchanged output is not rewritten.

Renderers are a plain registry (``RENDERERS``): an ordered list of (output name, function)
pairs; every function of a requested output runs, in order. HTML and PDF slot in as further
renderers of the same TEI.

Incremental builds (``edition.build.cache`` keeps the record in ``build/.cache/``):

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

from edition import validate
from edition.build import cache as buildcache
from edition.build import draft
from edition.diagnostics import Diagnostic, EditionError, Report, error
from edition.project import DEFAULT_OUTPUTS, PROJECT_FILE, Project
from edition.tei.document import Document, DocumentSet

__all__ = ["RENDERERS", "BuildResult", "DocumentSet", "build", "exit_on_sigterm", "load_documents",
           "validate_documents"]

# (output name, "module:function"); each function is (project, documents, report) -> list[Path]
# of the files it (re)wrote. Order matters: later renderers may use earlier outputs. Named by
# string, so that a command that renders nothing (``edition validate``) never imports WeasyPrint.
RENDERERS: list[tuple[str, str]] = [
    ("txt", "edition.render.text:render_texts"),
    ("txt", "edition.render.witnesses:render_witness_texts"),
    ("html", "edition.render.site:build_site"),
    ("html", "edition.citation.dts:write_dts"),
    ("pdf", "edition.render.pdf:render_pdfs"),
    ("epub", "edition.render.epub:render_epubs"),   # after pdf: its page list reads the PDFs
]


@dataclass
class BuildResult:
    """What a build wrote and what it noticed."""

    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    # (output name, ids of the texts rendered) for each renderer that ran; empty on a no-op.
    ran: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class RendererPlan:
    """One renderer that must run: on everything, or on the texts changed and removed."""

    name: str
    target: str
    everything: bool
    changed: list[str]
    removed: list[str]


@dataclass
class BuildPlan:
    """What is stale, decided from hashes alone (nothing parsed yet)."""

    wanted: list[str]
    inputs: buildcache.Inputs
    manifest: buildcache.Manifest
    renderers: list[RendererPlan]
    to_check: list[str]
    gone: list[str]

    @property
    def up_to_date(self) -> bool:
        """True when no renderer needs to run and no text needs checking."""
        return not self.renderers and not self.to_check and not self.gone


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
    """Run ``edition validate`` on the documents (the schema and the edition's rules)."""
    return validate.validate_documents(project, documents)


def _renderer(target: str) -> Callable:
    module_name, func_name = target.split(":")
    return getattr(importlib.import_module(module_name), func_name)


def build(project: Project, outputs: list[str] | None = None,
          progress: Callable[[str], None] | None = None, *, force: bool = False) -> BuildResult:
    """Validate, then run each requested renderer; raise ``EditionError`` on TEI errors.

    ``progress`` is told each step as it starts ("rendering html"). Only what changed since the
    last build is redone (see the module docstring); ``force`` ignores the record.
    """
    plan = plan_build(project, outputs, force)
    if plan.up_to_date:
        result = replay_all(plan)
        result.report = draft.finish(project, result.report)
        return result
    buildcache.remove_stale_temps(project.build_dir)
    documents = load_documents(project)
    result = BuildResult(report=check_texts(project, plan, documents, progress))
    for step in plan.renderers:
        run_renderer(project, plan, step, documents, result, progress)
    ran = {step.target for step in plan.renderers}
    for name, target in RENDERERS:
        if name in plan.wanted and target not in ran:
            result.report.extend(plan.manifest.step(target).replay())
    result.report = draft.finish(project, result.report)
    return result


def plan_build(project: Project, outputs: list[str] | None, force: bool) -> BuildPlan:
    """Step 1: hash the inputs and decide which renderers must run and which texts need checking."""
    wanted = outputs or project.outputs
    _check_outputs(project, wanted, from_project=not outputs)
    inputs = buildcache.survey(project)
    manifest = buildcache.Manifest(project.build_dir / buildcache.CACHE_DIR / buildcache.MANIFEST_NAME) \
        if force else buildcache.Manifest.load(project)
    renderers = []
    for name, target in RENDERERS:
        if name in wanted:
            everything, changed, removed = manifest.step(target).stale(inputs.renderer_key(name, target), inputs.docs)
            if everything or changed or removed:
                renderers.append(RendererPlan(name, target, everything, changed, removed))
    _, to_check, gone = manifest.step("validate").stale(inputs.validation_key, inputs.docs)
    return BuildPlan(wanted, inputs, manifest, renderers, to_check, gone)


def replay_all(plan: BuildPlan) -> BuildResult:
    """Step 2: nothing is stale: the result is the warnings of the last build, nothing written."""
    report = Report(files=len(plan.inputs.docs))
    report.extend(plan.manifest.step("validate").replay())
    for name, target in RENDERERS:
        if name in plan.wanted:
            report.extend(plan.manifest.step(target).replay())
    return BuildResult(report=report)


def check_texts(project: Project, plan: BuildPlan, documents: list[Document],
                progress: Callable[[str], None] | None) -> Report:
    """Step 4: validate the texts that changed; raise on errors; record and replay the findings."""
    checked = plan.manifest.step("validate")
    by_id = {d.id: d for d in documents}
    if plan.to_check or plan.gone:
        if progress:
            progress(f"validating {len(plan.to_check)} text(s)")
        subset = DocumentSet([by_id[i] for i in plan.to_check], documents)
        fresh = validate_documents(project, subset) if subset else Report()
        if fresh.errors and not project.draft:   # a draft goes on; ``draft.finish`` marks its outputs
            raise EditionError(*fresh.sorted())
        checked.key = plan.inputs.validation_key
        checked.docs = dict(plan.inputs.docs)
        # an unchanged text keeps its own findings; those across texts (ids, pointers) are fresh
        checked.diagnostics = {i: [d for d in ds if d.get("code") not in validate.EDITION_WIDE]
                               for i, ds in checked.diagnostics.items() if i in by_id and i not in plan.to_check}
        paths = {d.id: d.path for d in documents}
        for i, ds in buildcache.group_by_text(fresh.diagnostics, paths).items():
            checked.diagnostics[i] = checked.diagnostics.get(i, []) + ds
        plan.manifest.save()
    report = Report(files=len(documents))
    report.extend(checked.replay())
    return report


def run_renderer(project: Project, plan: BuildPlan, step: RendererPlan, documents: list[Document],
                 result: BuildResult, progress: Callable[[str], None] | None) -> None:
    """Step 5: run one renderer on the texts it must redo; record its outputs and warnings."""
    if progress:
        progress(f"rendering {step.name}")
    render = _renderer(step.target)
    record = plan.manifest.step(step.target)
    by_id = {d.id: d for d in documents}
    incremental = getattr(render, "incremental", False) and not step.everything
    subset = [by_id[i] for i in step.changed] if incremental else documents
    report = result.report
    before = len(report.diagnostics)
    written = render(project, DocumentSet(subset, documents), report)
    result.written.extend(written)
    result.ran.append((step.name, [d.id for d in subset]))
    redone = {d.id for d in subset}
    fresh = buildcache.group_by_text(report.diagnostics[before:], {d.id: d.path for d in documents})
    kept = {} if step.everything else {i: d for i, d in record.diagnostics.items()
                                       if i in by_id and i not in redone and i != ""}
    report.extend(buildcache.Step(diagnostics=kept).replay())
    record.diagnostics = {**kept, **fresh}
    record.outputs = _track_outputs(project, record.outputs, written, step.removed)
    record.key = plan.inputs.renderer_key(step.name, step.target)
    record.docs = dict(plan.inputs.docs)
    plan.manifest.save()


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
