"""``edition validate``: TEI checked against the schema and the edition's integrity rules.

In: TEI files (the edition's ``tei/`` by default, or any files and folders), or the documents
``edition build`` has parsed. Out: a ``Report`` of diagnostics, each with file, line, column,
a code from ``CATALOGUE`` and a message saying what to do; printed as
``path:line:col: severity[CODE] message`` or as JSON.

Stages: safe parsing (``edition.xmlio``; entities, DTDs and the network are refused) →
RELAX NG (``schema``; tei_all by default, compiled once per process, results cached across
runs by ``schema.ResultCache``) → edition-wide rules (``pointers``: ids, pointers, witnesses) → per-file
rules (``rules``: apparatus, notes, empty heads and paragraphs, numbering, header, text left
over from extraction). ``runner.run_validate`` is what the CLI calls.
"""

from __future__ import annotations

from lxml import etree

from edition.diagnostics import Report
from edition.validate.rules import CATALOGUE
from edition.validate.runner import Source, validate_paths, validate_sources
from edition.validate.schema import ResultCache, Schema, default_dir

__all__ = ["CATALOGUE", "validate_documents", "validate_paths"]


def validate_documents(project, documents) -> Report:
    """Validate the build's parsed documents as one edition (schema results cached).

    ``documents`` may be a subset with ``.all`` holding every document of the edition (an
    incremental build): then all are checked, since an id or pointer in a changed file can make
    an unchanged one wrong; unchanged files cost no schema work (their results are cached).
    """
    documents = list(getattr(documents, "all", documents))
    schema = Schema()
    cache = ResultCache(default_dir(project.root), schema.sha256)
    sources = [Source(doc.path, _bytes_of(doc), doc.root) for doc in documents]
    report = Report(files=len(documents))
    report.extend(validate_sources(sources, schema, cache))
    return report


def _bytes_of(document) -> bytes:
    """The file's bytes (for the cache key and columns); the tree's if the file went away."""
    try:
        return document.path.read_bytes()
    except OSError:
        return etree.tostring(document.root, encoding="utf-8")
