"""``edition validate``: TEI checked against the schema and the edition's integrity rules.

In: TEI files (the edition's ``tei/`` by default, or any files and folders), or the documents
``edition build`` has parsed. Out: a ``Report`` of diagnostics, each with file, line, column,
a code from ``CATALOGUE`` and a message saying what to do; printed as
``path:line:col: severity[CODE] message`` or as JSON.

Stages: safe parsing (``edition.tei.xmlio``; entities, DTDs and the network are refused) →
RELAX NG (``schema``; tei_all by default, compiled once per process, results cached across
runs by ``schema.ResultCache``) → edition-wide rules (``pointers``: ids, pointers, witnesses) → per-file
rules (``rules``: apparatus, notes, empty heads and paragraphs, numbering, header; ``leftovers``:
text left over from extraction). The rules read what ``survey`` gathers in one walk over each
tree. ``runner.run_validate`` is what the CLI calls.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, EditionError, Report
from edition.validate.leftovers import check_leftovers
from edition.validate.pointers import Edition
from edition.validate.rules import CATALOGUE, check_file, unreferenced_notes
from edition.validate.runner import (
    Source,
    read_source,
    validate_paths,
    validate_sources,
)
from edition.validate.schema import ResultCache, Schema, default_dir

__all__ = ["CATALOGUE", "EDITION_WIDE", "check_integrity", "validate_documents", "validate_paths", "warm_up"]

# Findings that depend on other files (ids, pointers, whether a note is pointed to): after a
# change to one text they are recomputed for every text; all other findings only for the text.
EDITION_WIDE = frozenset({"E304", "W301", "W302", "W303", "W305", "W307"})


def validate_documents(project, documents) -> Report:
    """Validate the build's parsed documents as one edition (schema results cached).

    ``documents`` may be a subset with ``.all`` holding every document of the edition (an
    incremental build): the schema and the per-file rules run on the subset only, while the
    edition-wide checks (ids unique across files, pointers into other files, notes pointed to
    from elsewhere) look at every document and report their ``EDITION_WIDE`` findings in any
    of them, since a changed file can make an unchanged one wrong. The schema is the
    project's (``[validate] schema``, or ``--schema``), else tei_all.
    """
    everything = list(getattr(documents, "all", documents))
    changed = {id(doc) for doc in documents}
    schema = Schema(project.schema_path)
    cache = ResultCache(default_dir(project.root), schema.sha256)
    sources = [Source(doc.path, _bytes_of(doc), doc.root) for doc in everything]
    only = [source for source, doc in zip(sources, everything) if id(doc) in changed]
    report = Report(files=len(only))
    report.extend(validate_sources(sources, schema, cache, only=only))
    return report


def check_integrity(path: Path, data: bytes, others: list[Path]) -> list[Diagnostic]:
    """The edition's integrity rules (ids, pointers, witnesses, apparatus, notes, numbering,
    header; not the schema) on TEI about to be written at ``path``, read together with the
    edition's other TEI files ``others`` (so that its ids must be unique among theirs too).

    For a command that writes TEI (``edition collate``) to refuse what ``edition build`` would.
    """
    source = Source(path, data, etree.fromstring(data))
    sources = []
    for other in others:
        try:
            sources.append(read_source(other))
        except EditionError:
            continue          # a broken other file is that file's own finding, at build time
    edition = Edition(sources + [source])     # last: an id used before is reported in it
    found = [d for d in edition.check() if d.path == source.display]
    found += check_file(source, None) + check_leftovers(source)
    found += unreferenced_notes(source, edition.referenced_in(source))
    return found


def warm_up(schema_path=None) -> None:
    """Compile the schema now (tei_all: about ten seconds), so that the next validation does not wait.

    The compiled schema is kept for the life of the process and reused by every later
    ``validate_documents`` that needs the whole schema (a file the schema cut to its elements
    accepts needs none: ``pruned``). ``schema_path`` names another RELAX NG schema (the build
    validates against tei_all).
    """
    Schema(schema_path).relaxng()


def _bytes_of(document) -> bytes:
    """The file's bytes (for the cache key and columns); the tree's if the file went away."""
    try:
        return document.path.read_bytes()
    except OSError:
        return etree.tostring(document.root, encoding="utf-8")
