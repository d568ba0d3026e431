"""The ``edition`` command line: thin Click commands over the pipeline.

Each command parses its options, loads the project and calls one function of a
pipeline module; errors come back as diagnostics (``file:line:col: error[CODE] …``)
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from edition import __version__
from edition.diagnostics import EditionError, Severity


def reports_errors(func):
    """Turn ``EditionError`` into printed diagnostics and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except EditionError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.format(), err=True)
            errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
            click.echo(f"stopped: {errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
            sys.exit(1)

    return wrapper


def _project(ctx: click.Context):
    from edition.project import load_project

    return load_project(ctx.obj.get("root"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The edition project folder (default: the nearest folder with edition.toml).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Build a digital critical edition: witnesses → TEI → HTML, PDF and text.

    \b
    A typical session:
      edition ingest        witness text files → TEI in tei/
      edition collate       several witnesses of one text → TEI with an apparatus
      edition validate      check the TEI (schema and the edition's own rules)
      edition build         validate, then write build/txt, build/html, build/pdf
    Settings and the list of texts live in edition.toml at the project root.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@main.command()
@click.argument("text_ids", nargs=-1)
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if a file in tei/ differs from what the sources and rules give now.")
@click.pass_context
@reports_errors
def ingest(ctx: click.Context, text_ids: tuple[str, ...], check: bool) -> None:
    """Encode single-witness texts as TEI: sources/*.txt + rules/ → tei/<id>.xml.

    Runs the ordered ingest steps (normalise, dehyphenate, recover doubled headings,
    structure, link notes, mark pages and gaps, header) for each text listed in
    edition.toml with a 'source' (or only TEXT_IDS). Reports go to build/reports/.
    """
    from edition.ingest import run_ingest

    project = _project(ctx)
    sys.exit(run_ingest(project, list(text_ids), check=check, echo=click.echo))


@main.command()
@click.option("-o", "--output", "outputs", multiple=True,
              help="Only these outputs (txt, html, pdf); repeatable. Default: the project's 'outputs'.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
@reports_errors
def build(ctx: click.Context, outputs: tuple[str, ...], quiet: bool) -> None:
    """Validate the TEI, then write every output under build/.

    Nothing is written when the TEI has errors; the validator's messages say what to fix.
    Unchanged outputs are not rewritten.
    """
    from edition.build import build as run_build

    project = _project(ctx)
    progress = None if quiet else (lambda name: click.echo(f"rendering {name} …", err=True))
    result = run_build(project, list(outputs) or None, progress=progress)
    if not quiet:
        for diagnostic in result.report.warnings:
            click.echo(diagnostic.format(), err=True)
        click.echo(f"built: {len(result.written)} file(s) written under {project.build_dir}", err=True)
