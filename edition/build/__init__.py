"""``edition build``: TEI on disk → every output under ``build/``.

The build, in named steps (``build``): 1. plan — hash the inputs and decide what is stale
(``edition.build.cache``); 2. if nothing is, replay the last warnings and stop; 3. load — parse
every TEI file; 4. check — validate the texts that changed; 5. render — run each stale renderer,
recording its outputs and warnings; 6. replay the warnings of the renderers that did not run.

In: the project (``edition.toml``) and its TEI files. Out: ``build/txt/``, ``build/html/``,
``build/pdf/``, ``build/reports/``. The TEI is validated first; when it has errors the build
stops with the validator's messages and writes nothing, unless it is a draft (``--draft``,
``[build] draft``: ``edition.build.draft`` marks every output and lists the errors). Every output
is written atomically (``edition.fsutil.write_atomic``) into a staging folder published whole at
the end.

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
- The manifest records every output each renderer makes (every path it gave
  ``write_atomic``, rewritten or not). A text's removal re-runs each renderer on every text,
  and the outputs it made before and makes no more, exactly those of the removed text, are
  deleted: never by their names, so a text called ``html`` or ``index`` removes only its own.
- The build is a transaction (``edition.build.publish``): the renderers write into a staging
  copy of ``build/`` and the copy replaces ``build/`` in one step once every step succeeded.
  A build that stops (an error, a signal, a kill) leaves ``build/`` as the last one left it.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition import validate
from edition.build import cache as buildcache
from edition.build import draft, workers
from edition.build.outputs import track_outputs
from edition.build.publish import build_lock, in_staging, unstage
from edition.diagnostics import Diagnostic, EditionError, Report, error
from edition.fsutil import recording_writes
from edition.project import DEFAULT_OUTPUTS, PROJECT_FILE, Project
from edition.tei.document import Document, DocumentSet

__all__ = ["RENDERERS", "BuildResult", "DocumentSet", "build", "build_lock", "in_staging",
           "load_documents", "validate_documents"]

# (output name, "module:function"); each function is (project, documents, report) -> list[Path]
# of the files it (re)wrote. Order matters: later renderers may use earlier outputs. Named by
# string, so that a command that renders nothing (``edition validate``) never imports WeasyPrint.
RENDERERS: list[tuple[str, str]] = [
    ("txt", "edition.render.text:render_texts"),
    ("txt", "edition.render.witnesses:render_witness_texts"),
    ("html", "edition.render.site:write_pages"),
    ("html", "edition.render.search:index_site"),   # after the pages: it reads them
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
    live: Path = Path("build")   # the published build folder (the renderers write a staging copy)
    steps: list[str] | None = None   # the renderers asked for (None: every one of the outputs)

    def asked(self, name: str, target: str) -> bool:
        """True for a renderer this build is about (run, or its warnings replayed)."""
        return name in self.wanted and (self.steps is None or target in self.steps)

    @property
    def up_to_date(self) -> bool:
        """True when no renderer needs to run and no text needs checking."""
        return not self.renderers and not self.to_check and not self.gone


def load_documents(project: Project, files: list[Path] | None = None) -> list[Document]:
    """Parse every TEI file of the edition, or ``files`` (found by the build's plan already);
    raise on a file that is not well-formed."""
    problems: list[Diagnostic] = []
    documents = []
    for path in project.tei_files() if files is None else files:
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
          progress: Callable[[str], None] | None = None, *, force: bool = False,
          jobs: int | None = 1, scheduler: str | None = None, steps: list[str] | None = None,
          keep: bool = False) -> BuildResult:
    """Validate, then run each requested renderer; raise ``EditionError`` on TEI errors.

    ``progress`` is told each stage as it starts ("validating 3 text(s)", "rendering html": once
    for an output, whichever of its renderers run). Only what changed since the
    last build is redone (see the module docstring); ``force`` ignores the record. ``jobs``
    (None: every core) and ``scheduler`` (a Dask address) spread the per-text work of the
    renderers that take a pool over processes (``edition.build.workers``). ``steps``: only these
    renderers (``RENDERERS`` targets) of the outputs run (``edition serve`` publishes a text's
    page before the search index and the PDF, in builds one after the other). The outputs
    are made in a staging folder and published together (``edition.build.publish``): whatever
    stops the build first leaves ``build/`` as it was. ``keep``: the previous build is kept to
    make the next staging folder from (``edition.build.spare``: ``serve``'s rebuilds).
    """
    # A missing or unreadable TEI folder is not an edition without texts: stop (exit 2) before
    # the plan would take every output for a removed text's.
    project.check_tei_dir()
    allow_deep_nesting()
    with build_lock(project):
        plan = plan_build(project, outputs, force, steps)
        if plan.up_to_date:
            result = replay_all(plan)
            result.report = draft.finish(project, result.report)
            return result
        check_settings(project, plan)
        documents = load_documents(project, plan.inputs.files)
        prepare(project, plan, documents)

        def render_staged(staged: Project) -> BuildResult:
            plan.manifest.path = staged.build_dir / buildcache.CACHE_DIR / buildcache.MANIFEST_NAME
            with _pool_for(project, plan, jobs, scheduler) as pool:
                return _render_all(staged, plan, documents, progress, pool)

        result, stage = in_staging(project, render_staged, keep)
    live = project.build_dir
    result.written = [live / Path(p).relative_to(stage) if Path(p).is_relative_to(stage) else Path(p)
                      for p in result.written]
    return result


def _pool_for(project: Project, plan: "BuildPlan", jobs: int | None, scheduler: str | None):
    """The workers for this build: none when no renderer that takes them has to run."""
    parallel = [step.target.split(":")[0] for step in plan.renderers if getattr(_renderer(step.target), "parallel", False)]
    if not parallel:
        return contextlib.nullcontext(None)
    return workers.open_pool(project, jobs, scheduler, warm=tuple(dict.fromkeys(parallel)))


def _render_all(staged: Project, plan: "BuildPlan", documents: list[Document],
                progress: Callable[[str], None] | None, pool=None) -> BuildResult:
    """Steps 4–6 in the staging folder: check, render what is stale, replay the rest."""
    result = BuildResult(report=check_texts(staged, plan, documents, progress))
    said = None
    later: list = []   # renderers still at work in the background (the search index)
    try:
        for step in plan.renderers:
            # an output is one stage, however many renderers make it (html: pages, search, DTS)
            if progress and step.name != said:
                progress(f"rendering {step.name}")
                said = step.name
            complete = run_renderer(staged, plan, step, documents, result, pool)
            if complete is not None:
                later.append(complete)
        while later:
            later.pop(0)()
    finally:
        for complete in later:   # a build that stopped: their work is not wanted
            complete.cancel()
    ran = {step.target for step in plan.renderers}
    for name, target in RENDERERS:
        if plan.asked(name, target) and target not in ran:
            result.report.extend(plan.manifest.step(target).replay())
    # once, at the end: a build that stops before it drops its staging folder, record and all
    plan.manifest.save()
    result.report = draft.finish(staged, result.report)
    return result


def prepare(project: Project, plan: "BuildPlan", documents: list[Document]) -> None:
    """Before anything is rendered: each renderer that will run starts what it will need and
    can make meanwhile (a renderer's ``prepare(project, documents)``, when it has one: the PDF's
    layout workers' server imports while the web edition is made)."""
    for target in dict.fromkeys(step.target for step in plan.renderers):
        ready = getattr(_renderer(target), "prepare", None)
        if ready is not None:
            ready(project, documents)


def check_settings(project: Project, plan: "BuildPlan") -> None:
    """Before anything is rendered: each renderer that will run checks its own settings (a
    renderer's ``check_settings(project)``, when it has one), so a bad value stops the build
    with nothing made, rather than after the outputs before it."""
    problems: list[Diagnostic] = []
    for target in dict.fromkeys(step.target for step in plan.renderers):
        check = getattr(_renderer(target), "check_settings", None)
        if check is not None:
            try:
                check(project)
            except EditionError as exc:
                problems.extend(exc.diagnostics)
    if problems:
        raise EditionError(*problems)


def plan_build(project: Project, outputs: list[str] | None, force: bool, steps: list[str] | None = None) -> BuildPlan:
    """Step 1: hash the inputs and decide which renderers must run and which texts need checking."""
    wanted = outputs or project.outputs
    _check_outputs(project, wanted, from_project=not outputs)
    inputs = buildcache.survey(project)
    manifest = buildcache.Manifest(project.build_dir / buildcache.CACHE_DIR / buildcache.MANIFEST_NAME) \
        if force else buildcache.Manifest.load(project)
    renderers = []
    for name, target in RENDERERS:
        if name in wanted and (steps is None or target in steps):
            everything, changed, removed = manifest.step(target).stale(inputs.renderer_key(name, target), inputs.docs)
            if everything or changed or removed:
                renderers.append(RendererPlan(name, target, everything, changed, removed))
    _, to_check, gone = manifest.step("validate").stale(inputs.validation_key, inputs.docs)
    return BuildPlan(wanted, inputs, manifest, renderers, to_check, gone, project.build_dir, steps)


def replay_all(plan: BuildPlan) -> BuildResult:
    """Step 2: nothing is stale: the result is the warnings of the last build, nothing written."""
    report = Report(files=len(plan.inputs.docs))
    report.extend(plan.manifest.step("validate").replay())
    for name, target in RENDERERS:
        if plan.asked(name, target):
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
    report = Report(files=len(documents))
    report.extend(checked.replay())
    return report


def run_renderer(project: Project, plan: BuildPlan, step: RendererPlan, documents: list[Document],
                 result: BuildResult, pool=None) -> "Callable[[], None] | None":
    """Step 5: run one renderer on the texts it must redo; record its outputs and warnings.
    A renderer marked ``parallel`` is handed the build's ``pool`` of workers, when there is one.
    A renderer may answer with work still going on in the background (an object with
    ``finish()``, giving the files it wrote, and ``cancel()``): then the recording is returned
    as a callable (with ``cancel``), for the build to call once the other renderers ran."""
    render = _renderer(step.target)
    by_id = {d.id: d for d in documents}
    # A removal is done by a complete run: what it no longer makes is what the removed texts made.
    incremental = getattr(render, "incremental", False) and not step.everything and not step.removed
    subset = [by_id[i] for i in step.changed] if incremental else documents
    report = result.report
    before = len(report.diagnostics)
    with recording_writes() as made:
        extra = {"pool": pool} if pool is not None and getattr(render, "parallel", False) else {}
        written = render(project, DocumentSet(subset, documents), report, **extra)
    report.diagnostics[before:] = unstage(report.diagnostics[before:], project.build_dir, plan.live)
    own = report.diagnostics[before:]
    if not hasattr(written, "finish"):
        result.written.extend(written)
        return _record(project, plan, step, documents, result, subset, incremental, own, made | set(map(Path, written)))

    def complete() -> None:
        with recording_writes() as more:
            files = written.finish()
        result.written.extend(files)
        _record(project, plan, step, documents, result, subset, incremental, own, made | more)

    complete.cancel = written.cancel
    return complete


def _record(project: Project, plan: BuildPlan, step: RendererPlan, documents: list[Document], result: BuildResult,
            subset: list[Document], incremental: bool, own: list[Diagnostic], made: set[Path]) -> None:
    """Record what one renderer did: its outputs (``made``), its warnings (``own``) and those
    of the texts it did not redo, kept from the last build."""
    record = plan.manifest.step(step.target)
    by_id = {d.id: d for d in documents}
    result.ran.append((step.name, [d.id for d in subset]))
    redone = {d.id for d in subset}
    fresh = buildcache.group_by_text(own, {d.id: d.path for d in documents})
    kept = {} if step.everything else {i: d for i, d in record.diagnostics.items()
                                       if i in by_id and i not in redone and i != ""}
    result.report.extend(buildcache.Step(diagnostics=kept).replay())
    record.diagnostics = {**kept, **fresh}
    record.outputs = track_outputs(project.build_dir, plan.manifest, step.target, made, complete=not incremental)
    record.key = plan.inputs.renderer_key(step.name, step.target)
    record.docs = dict(plan.inputs.docs)


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


# The parser refuses more than 256 nested elements (libxml2); the renderers walk a tree by
# recursion, a few Python frames a level, so Python's default of 1000 frames gives out near 240.
RECURSION_LIMIT = 8000


def allow_deep_nesting() -> None:
    """Raise Python's recursion limit so every tree the parser accepts can be rendered."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
