"""What ``edition validate`` does between parsing its options and exiting.

In: the options of the command. Out: diagnostics printed (text or JSON) and the exit status:
0 clean, 1 errors found (or warnings with ``--strict``), 2 could not run (a file that cannot be
read, a path that does not exist, a schema that cannot be used, a broken project file).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable

from edition.diagnostics import EditionError, Report, Severity
from edition.validate.cache import ResultCache, default_dir
from edition.validate.rules import explain
from edition.validate.runner import could_not_run, strict, validate_paths
from edition.validate.schema import Schema


def run_validate(paths: list[Path], *, project_root: Path | None, fmt: str = "text", strict_mode: bool = False,
                 quiet: bool = False, verbose: bool = False, schema_path: Path | None = None,
                 use_cache: bool = True, echo: Callable[..., None] = print) -> int:
    """Validate and print; return the exit status."""
    started = time.perf_counter()
    progress = None
    if verbose:
        progress = lambda text: echo(text, err=True)  # noqa: E731
    elif not quiet and fmt == "text":
        progress = _first_compile_notice(echo)
    try:
        root = _project_root(project_root, quiet_missing=bool(paths))
        if not paths:
            paths = [_tei_dir(root)]
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
        echo(f"({time.perf_counter() - started:.2f} s; schema results from cache: {cache.hits}, "
             f"validated: {cache.misses if cache.folder else report.files})", err=True)
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


def _tei_dir(root: Path) -> Path:
    from edition.project import load_project

    return load_project(root).tei_dir


def _first_compile_notice(echo) -> Callable[[str], None]:
    """Say once that the schema is being compiled: the only slow step."""
    said = []

    def notice(text: str) -> None:
        if text.startswith("compiling") and not said:
            said.append(text)
            echo(text, err=True)

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


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    sys.exit(run_validate([Path(p) for p in sys.argv[1:]], project_root=None))
