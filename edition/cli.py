"""The ``edition`` command line: thin Click commands over the pipeline.

Each command parses its options, loads the project and calls one function of a
pipeline module; errors come back as diagnostics (``file:line:col: error[CODE] …``)
and a non-zero exit, never a traceback. What the commands share (the error handling, the
project with the options over its settings, the shared options, what ``build`` and ``review``
print) is in ``edition.cli_support``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from edition import __version__
from edition.cli_support import (
    DRAFT_OPTION,
    SCHEMA_OPTION,
    project_from,
    report_build,
    reports_errors,
    run_review,
)
from edition.ledger import KINDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The edition project folder (default: the nearest folder with edition.toml).")
@click.option("--debug", is_flag=True, help="On a failure, show the traceback as well as the message.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Build a digital critical edition: witnesses → TEI → HTML, PDF and text.

    \b
    A typical session:
      edition ingest        witness text files → TEI in tei/
      edition collate       several witnesses of one text → TEI with an apparatus
      edition validate      check the TEI (schema and the edition's own rules)
      edition build         validate, then write build/txt, build/html, build/pdf
    Settings and the list of texts live in edition.toml at the project root.

    \b
    Exit status: 0 done; 1 errors in the input (each message says where);
    2 could not run (a missing or unreadable folder, a full disk); 3 a fault of
    the tool (run with --debug and report the traceback); 130 Ctrl-C; 143 SIGTERM.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["debug"] = debug


@main.command()
@click.argument("text_ids", nargs=-1)
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if a file in tei/ differs from what the sources and rules give now.")
@click.option("--force", is_flag=True,
              help="Replace tei/<id>.xml even if it was edited since it was written (the old file goes to build/.trash/).")
@click.pass_context
@reports_errors
def ingest(ctx: click.Context, text_ids: tuple[str, ...], check: bool, force: bool) -> None:
    """Encode single-witness texts as TEI: sources/*.txt + rules/ → tei/<id>.xml.

    Runs the ordered ingest steps (normalise, dehyphenate, recover doubled headings,
    structure, link notes, mark pages and gaps, header) for each text listed in
    edition.toml with a 'source' (or only TEXT_IDS). Reports go to build/reports/.
    """
    from edition.ingest import run_ingest

    project = project_from(ctx)
    sys.exit(run_ingest(project, list(text_ids), check=check, echo=lambda line: click.echo(line, err=True),
                        force=force))


@main.command()
@click.argument("text_ids", nargs=-1)
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if a file in tei/ differs from what the witnesses and rules give now.")
@click.option("--force", is_flag=True,
              help="Replace tei/<id>.xml even if it was edited since it was written (the old file goes to build/.trash/).")
@click.pass_context
@reports_errors
def collate(ctx: click.Context, text_ids: tuple[str, ...], check: bool, force: bool) -> None:
    """Collate several witnesses of a text into TEI with a typed apparatus.

    For each text of edition.toml with [[text.witness]] entries (or only TEXT_IDS): align the
    witnesses with the base text, type every variation unit (substantive, orthographic,
    punctuation, case) by rules/collation.toml, apply the text's rules/<id>.toml (paratext,
    emendations, ids), check the result by the integrity rules of `edition validate` (with the
    other texts of tei/), and write tei/<id>.xml and build/reports/<id>.variants.tsv.
    Without rules/collation.toml the packaged general rules are used.
    `edition build -o txt` then rebuilds every witness as build/txt/<id>.<SIGLUM>.txt.
    """
    from edition.collate import run_collate
    from edition.validate import check_integrity

    project = project_from(ctx)
    sys.exit(run_collate(project, list(text_ids), check=check, echo=click.echo, verify=check_integrity,
                         force=force))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'path:line:col: severity[CODE] message' per line, then a summary; json: for tools.")
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1 on any warning).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, no summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print lxml's raw message, each code's meaning, progress and timing.")
@click.option("--schema", "schema_path", type=click.Path(path_type=Path),
              help="Validate against this RELAX NG schema (an ODD customisation) instead of TEI P5 tei_all.")
@click.option("--no-cache", is_flag=True, help="Validate every file again (ignore .cache/validate/).")
@click.pass_context
@reports_errors
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool, quiet: bool, verbose: bool,
             schema_path: Path | None, no_cache: bool) -> None:
    """Check TEI files: well-formedness, the TEI schema and the edition's integrity rules.

    PATHS are files or folders (default: the edition's tei/); they are checked together,
    so ids must be unique and pointers resolve across them. Exit status: 0 clean,
    1 errors found, 2 could not run (unreadable file, bad option). Schema results are
    cached in .cache/validate/, so unchanged files are not validated again.
    """
    from edition.validate.runner import run_validate

    sys.exit(run_validate(list(paths), project_root=ctx.obj.get("root"), fmt=fmt, strict_mode=strict,
                          quiet=quiet, verbose=verbose, schema_path=schema_path, use_cache=not no_cache,
                          echo=click.echo, note=lambda line: click.echo(line, err=True)))


@main.command()
@click.option("-o", "--output", "outputs", multiple=True,
              help="Only these outputs (txt, html, pdf, epub); repeatable. Default: the project's 'outputs'.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--force", is_flag=True, help="Rebuild everything, not only what changed since the last build.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Lay out this many texts at once, each in a process of its own. Default: the machine's cores.")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Send the texts to the workers of this Dask scheduler (pip install 'edition[cluster]').")
@SCHEMA_OPTION
@DRAFT_OPTION
@click.pass_context
@reports_errors
def build(ctx: click.Context, outputs: tuple[str, ...], quiet: bool, force: bool, jobs: int | None,
          scheduler: str | None, schema_path: Path | None, draft: bool) -> None:
    """Validate the TEI, then write every output under build/.

    Nothing is written when the TEI has errors; the validator's messages say what to fix.
    With --draft (or [build] draft = true) the outputs are written all the same, each marked
    "Draft — N errors", the errors listed in build/html/errors.html and printed as warnings;
    the exit status is then 0 (the draft asked for was built: check with 'edition validate',
    which exits 1). Only what changed since the last build is redone (the record is in
    build/.cache/); unchanged outputs are not rewritten.
    """
    from edition.signals import exit_on_signals

    exit_on_signals()   # before the imports below: they take a second or more
    from edition.build import build as run_build
    from edition.render.pdf.progress import Progress, reporting

    project = project_from(ctx, schema_path, draft)
    progress = None if quiet else (lambda step: click.echo(f"{step} …", err=True))
    with reporting(None if quiet else Progress()):
        result = run_build(project, list(outputs) or None, progress=progress, force=force,
                           jobs=jobs, scheduler=scheduler)
    report_build(project, result, quiet)


@main.command()
@click.argument("text_ids", nargs=-1)
@click.option("--trim", type=click.Choice(["book", "a4", "letter"]),
              help="Page size: book (156 × 234 mm), a4 or letter. Default: [pdf] trim in edition.toml.")
@click.option("--press/--no-press", default=None,
              help="Add 3 mm bleed and crop marks for the printer. Default: [pdf] press.")
@click.option("--apparatus", "apparatus",
              help="Variant types printed in the apparatus (values of app/@type), comma-separated: "
                   "substantive,orthographic,punctuation,case or the TEI's own (e.g. variants). "
                   "Default: [pdf] apparatus (all).")
@click.option("--line-numbers", type=click.Choice(["text", "page"]),
              help="Line numbering restarts per text or per page. Default: [pdf] line_numbers.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Processes that lay out the chapters of a book-length text at once. Default: one per core.")
@SCHEMA_OPTION
@DRAFT_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings: no progress, no summary.")
@click.pass_context
@reports_errors
def pdf(ctx: click.Context, text_ids: tuple[str, ...], trim, press, apparatus, line_numbers, jobs,
        schema_path: Path | None, draft: bool, quiet: bool) -> None:
    """Write the print PDF of TEXT_IDS (default: every text, and the whole volume).

    Writes build/pdf/<id>.pdf (and build/pdf/edition.pdf): book typography, footnotes, and
    for collated texts every fifth line numbered with the apparatus keyed to those lines at
    the foot of each page. PDF/A-3a, tagged, with the TEI source attached.
    """
    from edition.signals import exit_on_signals

    exit_on_signals()   # Ctrl-C and SIGTERM stop the layout's worker processes too; before the imports below
    from edition.build.pdf import run_pdf
    from edition.render.pdf.progress import Progress, reporting

    project = project_from(ctx, schema_path, draft)
    with reporting(None if quiet else Progress()):
        status = run_pdf(project, list(text_ids), echo=lambda line: click.echo(line, err=True), quiet=quiet,
                         jobs=jobs, trim=trim, press=press, apparatus=apparatus, line_numbers=line_numbers)
    sys.exit(status)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("witness_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--witnesses", "witnesses_flag", is_flag=True,
              help="The files after FOLDER are plain-text witnesses of one text to collate (2 to 10).")
@click.option("--force", is_flag=True, help="Write into FOLDER even if it is not empty (files of the same name are replaced).")
@click.option("--title", help="The edition's title (default: made from the folder name).")
@reports_errors
def init(folder: Path, witness_files: tuple[Path, ...], witnesses_flag: bool, force: bool, title: str | None) -> None:
    """Start a new edition project in FOLDER (new or empty).

    Writes edition.toml (every setting listed, with a comment), tei/example.xml (a small
    text with a note and an apparatus entry), rules/ (with collation.toml: the general
    collation rules, every setting commented out), templates/ (for your own templates and
    CSS), a .gitignore and a README. Then: cd FOLDER && edition build.

    \b
    To collate plain-text witnesses of one text instead of the example:
      edition init FOLDER --witnesses A.txt B.txt C.txt
    copies them into sources/ and lists them in edition.toml (the first is the base text;
    sigla from the file names, or A, B, C …). Then: edition -C FOLDER collate, edition build.
    """
    from edition.scaffold import init_project

    if witnesses_flag and not witness_files:
        raise click.UsageError("--witnesses needs the witness files after FOLDER")
    written = init_project(folder, force=force, title=title, witnesses=list(witness_files) or None)
    if witness_files:
        click.echo(f"created {len(written)} file(s) in {folder}; next: edition -C {folder} collate, then build")
    else:
        click.echo(f"created {len(written)} file(s) in {folder}; next: cd {folder} && edition serve")


@main.command()
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
@click.pass_context
@reports_errors
def serve(ctx: click.Context, port: int) -> None:
    """Serve build/html on http://127.0.0.1:PORT/ and rebuild as you edit.

    Watches tei/, rules/, templates/ and edition.toml; rebuilds only what changed and
    reloads open pages. A TEI error is shown in the terminal and on the page, while the
    last good build stays served. Only this computer can connect. Ctrl-C stops.
    """
    from edition.signals import exit_on_signals

    exit_on_signals()   # before the imports below: they take a second or more
    from edition.serve import serve as run_serve

    run_serve(ctx.obj.get("root"), port=port, echo=lambda line: click.echo(line, err=True))


@main.command()
@click.option("--list", "show", is_flag=True, help="List the decisions (the default), uncertain first.")
@click.option("--kind", type=click.Choice(KINDS), help="Only decisions of this kind.")
@click.option("--text", "text_id", help="Only decisions of this text.")
@click.option("--uncertain", is_flag=True, help="Only decisions of low or medium certainty.")
@click.option("--json", "as_json", is_flag=True, help="The list as JSON (every field of the ledger).")
@click.option("--accept", "accept_id", metavar="ID", help="Record that you checked decision ID and agree.")
@click.option("--overrule", nargs=2, metavar="ID VALUE",
              help="Decide ID as VALUE: written to the text's rules, then the text is ingested or collated again.")
@click.option("--undo", is_flag=True, help="Put back the files of the last accept or overrule, byte for byte.")
@click.pass_context
@reports_errors
def review(ctx: click.Context, show: bool, kind: str | None, text_id: str | None, uncertain: bool, as_json: bool,
           accept_id: str | None, overrule: tuple[str, str] | None, undo: bool) -> None:
    """Review the automatic decisions of ingest and collate: list, accept, overrule, undo.

    Every decision (hyphen, page break, paragraph, note link, heading, unit, variant type,
    emendation) has a stable id in build/reports/decisions.json. An overrule is kept as data in
    the text's rules/<id>.toml (a paragraph break in [paragraphs], the others as [[overrule]]);
    an accept in rules/reviewed.toml. Either way the text is ingested or collated again and its
    TEI marks the decision as the editor's (resp="#ed"). The review page of `edition serve`
    (/review) does the same in the browser.

    \b
    VALUE of --overrule, by kind (--json gives each decision's "choices"):
      hyphen        join | keep
      paragraph     break | continue     (keep or add a break at a page start; or run on)
      page-break    LINE                 (the witness line the page begins at; a few either way)
      heading       0 | 1 | 2 | 3        (0: not a heading; 1: a division of the part; 2: inside the last 1 ...)
      note-link     N                    (the number of the note the reference cites)
      unit          split | merge        (into the pieces [merge] joined; with the next unit)
      variant-type  punctuation | case | orthographic | substantive
    """
    run_review(project_from(ctx), kind=kind, text_id=text_id, uncertain=uncertain, as_json=as_json,
               accept_id=accept_id, overrule=overrule, undo=undo)


@main.command()
@click.argument("ref", required=False)
@click.option("-s", "--style", default="chicago", show_default=True,
              type=click.Choice(["chicago", "mla", "apa", "bibtex", "ris", "csl-json"], case_sensitive=False),
              help="Chicago (notes and bibliography), MLA and APA are CSL styles; BibTeX, RIS and CSL-JSON are data.")
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]),
              help="json: the citation, its CSL-JSON item, URL and PDF page, for programs.")
@click.pass_context
@reports_errors
def cite(ctx: click.Context, ref: str | None, style: str, fmt: str) -> None:
    """Print a full citation of a passage, a text, or (without REF) the whole edition.

    \b
    REF is TEXT or TEXT:PASSAGE, the same id as the web page's anchor, e.g.
      edition cite my-text:q12.p3 --style mla
      edition cite my-text --style bibtex > my-text.bib
    A passage's citation names the edition, the text, the passage, its URL (from base_url in
    edition.toml) and, once the PDF is built, the PDF page where it stands.
    """
    from edition.citation.cite import run_cite

    click.echo(run_cite(project_from(ctx), ref, style.lower(), fmt))


@main.command()
@click.argument("ref")
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]),
              help="json: the same facts for programs.")
@click.pass_context
@reports_errors
def resolve(ctx: click.Context, ref: str, fmt: str) -> None:
    """Show where the passage REF (TEXT:PASSAGE) stands in every output, and its text.

    \b
    Prints the TEI file and line, the HTML URL (and whether the built page has the anchor),
    the PDF page, the line of build/txt/TEXT.txt, the EPUB location, and the passage's reading text, e.g.
      edition resolve my-text:q12.p3
    An unknown REF is an error that lists the closest passages.
    """
    from edition.citation.resolve import run_resolve

    click.echo(run_resolve(project_from(ctx), ref, fmt))
