"""Draft builds: the outputs of TEI that has errors, each marked as a draft.

In: the project and a build's result (its report holds the validator's errors, which a draft
build does not stop at). Out, under ``build/``: every HTML page carries a banner "Draft — N
errors" linking to ``html/errors.html`` (the errors listed: file, line, column, code, message,
hint) and ``<meta name="robots" content="noindex">``, so a draft put online by mistake is not
indexed; every text file starts with a line saying the same; every PDF has the mark as a
running head on each page. The errors come back as warnings (the build asked
for a draft and got one: exit status 0); ``edition validate`` still exits 1 on them.

The marks are put on the files the renderers wrote, not by the renderers: no renderer needs to
know about drafts, and a page the renderer did not rewrite in an incremental build is marked
again with the current count. Marking is idempotent (a page already marked is marked anew, not
twice; unchanged bytes are not rewritten), so a no-op draft build writes nothing. A build that
is not a draft removes ``errors.html``; the pages themselves are rendered anew, since whether a
build is a draft is part of every renderer's key (``edition.build.cache``) and of every web
page's (``edition.render.sitetext``). A draft build after a draft build keeps the pages of the
texts that did not change: their records match the pages once the marks are off.

What a draft PDF is not: the running head is drawn in Helvetica, which is not embedded, so a
draft PDF is no longer PDF/A; it is not meant to be archived.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from pathlib import Path

from edition.diagnostics import Diagnostic, Report, Severity
from edition.fsutil import write_atomic
from edition.render.draftmark import unmarked

ERRORS_PAGE = "errors.html"
_TEXT_MARK = re.compile(r"\ADRAFT — [^\n]*\n\n")


def label(errors: int) -> str:
    """The mark every output carries."""
    return f"Draft — {errors} error{'s' if errors != 1 else ''}"


def finish(project, report: Report) -> Report:
    """Mark the outputs of a draft build with errors (else clear the errors page of an earlier one).

    Returns the report to print: in a draft, the errors made warnings.
    """
    errors_page = project.build_dir / "html" / ERRORS_PAGE
    errors = report.errors
    if not project.draft or not errors:   # (a draft of valid TEI is no draft: nothing to mark)
        if errors_page.is_file():   # the last build was a draft: take its marks off what is left
            _unmark(project.build_dir)
            errors_page.unlink()
        return report
    html_dir = project.build_dir / "html"
    if html_dir.is_dir():
        write_atomic(errors_page, errors_html(errors, project.build_dir))
        for page in sorted(html_dir.rglob("*.html")):
            if page != errors_page:
                _rewrite(page, mark_html(page.read_text(encoding="utf-8"), len(errors),
                                         os.path.relpath(errors_page, page.parent)))
    for text in sorted((project.build_dir / "txt").glob("**/*.txt")):
        _rewrite(text, mark_text(text.read_text(encoding="utf-8"), len(errors)))
    for pdf in sorted((project.build_dir / "pdf").glob("*.pdf")):   # (written now or earlier)
        stamp_pdf(pdf, label(len(errors)))
    return demoted(report)


def _unmark(build_dir: Path) -> None:
    for page in sorted((build_dir / "html").rglob("*.html")):
        _rewrite(page, unmarked(page.read_text(encoding="utf-8")))
    for text in sorted((build_dir / "txt").glob("**/*.txt")):
        _rewrite(text, _TEXT_MARK.sub("", text.read_text(encoding="utf-8")))
    for pdf in sorted((build_dir / "pdf").glob("*.pdf")):
        unstamp_pdf(pdf)


def unstamp_pdf(path: Path) -> None:
    """Take the running head of a draft off a PDF (one no renderer wrote anew)."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/EditionDraft" not in pdf.Root:
            return
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            if isinstance(contents, pikepdf.Array) and len(contents) >= 2 \
                    and contents[-1].read_bytes().startswith(_STAMP) and contents[0].read_bytes() == b"q\n":
                page.obj.Contents = pikepdf.Array(list(contents)[1:-1])
        del pdf.Root["/EditionDraft"]
        temporary = path.with_name(f".{path.name}.draft")
        pdf.save(temporary)
    os.replace(temporary, path)


def demoted(report: Report) -> Report:
    """The report with every error made a warning (a draft was asked for: the errors do not stop it)."""
    made = [dataclasses.replace(d, severity=Severity.WARNING) if d.severity is Severity.ERROR else d
            for d in report.diagnostics]
    return Report(diagnostics=made, files=report.files)


def _rewrite(path: Path, text: str) -> None:
    if path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)


def mark_html(page: str, errors: int, link: str) -> str:
    """The page with the draft banner after ``<body>`` and ``noindex`` in its head (once)."""
    page = unmarked(page)
    meta = '<!-- edition:draft --><meta name="robots" content="noindex"><!-- /edition:draft -->\n'
    banner = ('<!-- edition:draft --><div class="edition-draft" role="note" style="background:#fff3cd;'
              'color:#5c3c00;border-bottom:2px solid #c8a100;padding:.5em 1em;font:600 1rem/1.4 sans-serif">'
              f'{html.escape(label(errors))}: this is a draft, built from TEI that does not validate. '
              f'<a href="{html.escape(link)}">See the errors</a>.</div><!-- /edition:draft -->\n')
    page = _insert_after(page, r"<head\b[^>]*>", meta)
    return _insert_after(page, r"<body\b[^>]*>", banner)


def _insert_after(page: str, tag: str, insert: str) -> str:
    match = re.search(tag, page, re.IGNORECASE)
    if match is None:
        return insert + page
    return page[:match.end()] + "\n" + insert + page[match.end():].lstrip("\n")


def mark_text(text: str, errors: int) -> str:
    """The text with a first line saying it is a draft (once)."""
    return f"DRAFT — {label(errors).split(' — ')[1]}; see build/html/{ERRORS_PAGE}\n\n" + _TEXT_MARK.sub("", text)


def errors_html(errors: list[Diagnostic], build_dir: Path) -> str:
    """The page listing the errors of a draft build."""
    rows = []
    for d in sorted(errors, key=lambda d: (str(d.path), d.line or 0, d.col or 0)):
        where = f"{_shown(d.path, build_dir)}:{d.line or ''}:{d.col or ''}".rstrip(":")
        hint = f"<br><small>{html.escape(d.hint)}</small>" if d.hint else ""
        rows.append(f"<tr><td><code>{html.escape(where)}</code></td><td><code>{html.escape(d.code)}</code></td>"
                    f"<td>{html.escape(d.message)}{hint}</td></tr>")
    body = "\n".join(rows) or '<tr><td colspan="3">No errors.</td></tr>'
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n"
            f"<title>{html.escape(label(len(errors)))}</title>\n"
            "<style>body{font:1rem/1.5 sans-serif;margin:2em}td{vertical-align:top;padding:.3em .6em;"
            "border-bottom:1px solid #ddd}th{text-align:left}code{white-space:nowrap}</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(label(len(errors)))}</h1>\n"
            "<p>This edition was built as a draft: its TEI has the errors below, which a normal build "
            "refuses. Correct them and build again without <code>--draft</code>.</p>\n"
            f"<table>\n<tr><th>Where</th><th>Code</th><th>Error</th></tr>\n{body}\n</table>\n</body>\n</html>\n")


def _shown(path, build_dir: Path) -> str:
    """A path relative to the project (the folder above ``build/``) when it lies inside it."""
    if path is None:
        return ""
    try:
        return Path(path).resolve().relative_to(build_dir.resolve().parent).as_posix()
    except ValueError:
        return str(path)


_STAMP = b"\nQ\nq 0.75 0.1 0.1 rg BT "   # how our running head's content stream begins


def stamp_pdf(path: Path, text: str) -> None:
    """Draw ``text`` as a running head, centred at the top of every page of the PDF.

    A PDF stamped before (its catalogue's ``/EditionDraft`` says with what) gets the new text in
    place of the old one, never a second head.
    """
    import pikepdf

    encoded = text.encode("cp1252")   # WinAnsiEncoding: the em dash is one byte
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        before = str(pdf.Root.get("/EditionDraft", ""))
        if before == text:
            return
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica,
                                                    Encoding=pikepdf.Name.WinAnsiEncoding))
        for page in pdf.pages:
            box = [float(v) for v in (page.trimbox if "/TrimBox" in page.obj else page.mediabox)]
            name = page.add_resource(font, pikepdf.Name.Font, prefix="Draft")
            width = len(encoded) * 9 * 0.5   # Helvetica averages about half an em
            x, y = box[0] + (box[2] - box[0] - width) / 2, box[3] - 16
            literal = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            stream = (_STAMP + str(name).encode() + b" 9 Tf " + f"{x:.1f} {y:.1f}".encode()
                      + b" Td (" + literal + b") Tj ET Q")
            contents = page.obj.get("/Contents")
            last = contents[-1] if isinstance(contents, pikepdf.Array) and len(contents) else None
            if before and last is not None and last.read_bytes().startswith(_STAMP):
                last.write(stream)   # the head of an earlier draft build: its count is out of date
                continue
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(stream), prepend=False)
        pdf.Root.EditionDraft = pikepdf.String(text)
        temporary = path.with_name(f".{path.name}.draft")
        pdf.save(temporary)
    os.replace(temporary, path)   # (pikepdf reads the input until it is closed)
