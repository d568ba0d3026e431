"""What the ``edition`` commands share: turning failures into messages, the project with the
command's options over its settings, the shared options, and what ``build`` and ``review`` print.

In: the Click context (the ``-C`` folder and ``--debug``), a command's options, and the results
of the pipeline functions the commands call. Out: the ``Project``; the messages on stderr (and
``review``'s listing on stdout); the documented exit status for every failure
(``reports_errors``), never a traceback unless ``--debug``. The commands themselves, thin, are in
``edition.cli``.
"""

from __future__ import annotations

import functools
import signal
import sys
from pathlib import Path

import click

from edition.failures import as_error
from edition.signals import received


def reports_errors(func):
    """Turn every failure into printed messages and the documented exit status, never a traceback.

    Exit status: 1 the input has errors (``EditionError``), 2 the command could not run (an
    unreadable or missing folder, a full disk: ``CannotRun``, ``OSError``), 3 a fault of the
    tool itself, 130 Ctrl-C. ``edition --debug`` shows the traceback as well.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 (the one place every failure is turned into a message)
            # a failure met while a signal's stop unwinds (a worker it stopped, seen as lost by
            # a thread it did not interrupt) is the stop's doing: the signal decides the status
            stopped = received()
            if stopped is not None and stopped != signal.SIGINT:
                sys.exit(128 + stopped)
            failure = as_error(KeyboardInterrupt() if stopped is not None else exc)
            if _debug():
                import traceback

                traceback.print_exception(exc)
            for diagnostic in failure.diagnostics:
                click.echo(diagnostic.format(), err=True)
            click.echo(failure.closing, err=True)
            sys.exit(failure.exit_code)

    return wrapper


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("debug"))


def project_from(ctx: click.Context, schema_path: Path | None = None, draft: bool = False):
    """The project, with ``--schema`` and ``--draft`` put over its [validate] and [build] settings."""
    from edition.project import load_project

    project = load_project(ctx.obj.get("root"))
    if schema_path is not None:
        project.validate["schema"] = str(schema_path.resolve())   # given relative to the current folder
    if draft:
        project.build["draft"] = True
    return project


SCHEMA_OPTION = click.option(
    "--schema", "schema_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Validate against this RELAX NG schema (an ODD customisation) instead of TEI P5 tei_all. "
         "Default: [validate] schema in edition.toml.")
DRAFT_OPTION = click.option(
    "--draft", is_flag=True,
    help="Build despite errors: every output marked as a draft, the errors listed in build/html/errors.html "
         "and printed as warnings; exit status 0. Default: [build] draft in edition.toml.")


def report_build(project, result, quiet: bool) -> None:
    """What ``edition build`` says when done: warnings, what was written, whether it is a draft."""
    if not quiet:
        for diagnostic in result.report.warnings:
            click.echo(diagnostic.format(), err=True)
        if not result.ran:
            click.echo("up to date: nothing changed since the last build.", err=True)
        else:
            click.echo(f"built: {len(result.written)} file(s) written under {project.build_dir}", err=True)
    if project.draft:
        errors = sum(1 for d in result.report.diagnostics if d.code.startswith("E"))
        click.echo(f"draft: {errors} error(s) in the TEI, listed in {project.build_dir / 'html' / 'errors.html'}; "
                   "every output is marked as a draft.", err=True)


def run_review(project, *, kind: str | None, text_id: str | None, uncertain: bool, as_json: bool,
               accept_id: str | None, overrule: tuple[str, str] | None, undo: bool) -> None:
    """``edition review``: undo, accept, overrule, or list the decisions (the default)."""
    from edition import review as reviewing

    if undo:
        click.echo(f"undone: {reviewing.undo(project)}")
    elif accept_id:
        entry = reviewing.accept(project, accept_id, echo=lambda line: click.echo(line, err=True))
        click.echo(f"accepted {entry['id']} ({entry['kind']} at {entry['source']}:{entry['line']})")
    elif overrule:
        entry = reviewing.overrule(project, *overrule, echo=lambda line: click.echo(line, err=True))
        click.echo(f"overruled {entry['id']}: now {entry['value']} ({entry['kind']} at {entry['source']}:{entry['line']})")
    else:
        entries = reviewing.listing(project, kind, uncertain, text_id)
        if as_json:
            click.echo(reviewing.as_json(entries))
        else:
            for line in reviewing.as_lines(entries):
                click.echo(line)
            unreviewed = sum(1 for d in entries if d["review"] == "unreviewed")
            click.echo(f"{len(entries)} decision(s), {unreviewed} unreviewed", err=True)
