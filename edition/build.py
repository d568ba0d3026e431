"""``edition build``: TEI on disk → every output under ``build/``.

In: the project (``edition.toml``) and its TEI files. Out: ``build/txt/``, ``build/html/``,
``build/pdf/``, ``build/reports/``. The TEI is validated first; when it has errors the build
stops with the validator's messages and writes nothing. Every output is written atomically
(``edition.fsutil.write_atomic``), and an unchanged output is not rewritten.

Renderers are a plain registry (``RENDERERS``): an ordered list of (output name, function)
pairs; every function of a requested output runs, in order. HTML and PDF slot in as further
renderers of the same TEI.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition.diagnostics import Diagnostic, EditionError, Report
from edition.document import Document
from edition.project import Project

# (output name, "module:function"); each function is (project, documents, report) -> list[Path]
# of the files it (re)wrote. Order matters: later renderers may use earlier outputs.
RENDERERS: list[tuple[str, str]] = [
    ("txt", "edition.render.text:render_texts"),
]


@dataclass
class BuildResult:
    """What a build wrote and what it noticed."""

    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)


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


def build(project: Project, outputs: list[str] | None = None,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Validate, then run each requested renderer; raise ``EditionError`` on TEI errors."""
    result = BuildResult()
    documents = load_documents(project)
    report = validate_documents(project, documents)
    result.report = report
    if report.errors:
        raise EditionError(*report.sorted())
    wanted = outputs or project.outputs
    for name, target in RENDERERS:
        if name not in wanted:
            continue
        if progress:
            progress(name)
        module_name, func_name = target.split(":")
        render = getattr(importlib.import_module(module_name), func_name)
        result.written.extend(render(project, documents, result.report))
    return result
