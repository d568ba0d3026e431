"""Any failure of a command, as the messages and exit status a user sees: never a traceback.

In: the exception that stopped a command. Out: a ``Failure``: located diagnostics, the closing
line and the exit status (``edition.cli_support.reports_errors`` prints them; ``--debug`` adds the
traceback). The exit statuses, documented in ``edition --help`` and the README:

- 1: the input has errors (an ``EditionError``: the TEI, edition.toml, a rules file);
- 2: the command could not run (``CannotRun``; the system refused: a full disk, a folder
  that cannot be written or read, a file that vanished);
- 3: a fault of the tool itself (a bug: please report it with the ``--debug`` output);
- 130: stopped by Ctrl-C; 143: stopped by SIGTERM (``edition.signals``).

Why here and not in each stage: the stages raise where they are; only the command line knows
the whole command stopped, and the build, being a transaction, left ``build/`` as it was.
"""

from __future__ import annotations

import errno
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import Diagnostic, EditionError, Severity, error

INTERNAL = 3
INTERRUPTED = 130

# errno → (code, what the system said, what to do)
_SYSTEM = {
    errno.ENOSPC: ("E900", "the disk is full", "free some space, then run the command again"),
    errno.EDQUOT: ("E900", "the disk quota is used up", "free some space, then run the command again"),
    errno.EACCES: ("E901", "permission denied", "check the permissions of the file and its folder"),
    errno.EPERM: ("E901", "operation not permitted", "check the permissions of the file and its folder"),
    errno.EROFS: ("E901", "the file system is read-only", "build on a writable disk, or set build_dir"),
}


@dataclass
class Failure:
    """What a command prints when it stops, and its exit status."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    exit_code: int = 1
    closing: str = ""


def as_error(exc: BaseException) -> Failure:
    """The messages and exit status for ``exc`` (see the module docstring)."""
    if isinstance(exc, EditionError):
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        if exc.exit_code == 2:
            closing = "could not run; nothing was written."
        else:
            closing = f"stopped: {errors} error{'s' if errors != 1 else ''}; nothing was written."
        return Failure(exc.diagnostics, exc.exit_code, closing)
    if isinstance(exc, KeyboardInterrupt):
        return Failure([], INTERRUPTED, "interrupted; what was being written was not published.")
    if isinstance(exc, OSError):
        return Failure([system_error(exc)], 2, "could not run; nothing was written.")
    if isinstance(exc, RecursionError):
        where = template_frame(exc)
        message = error("E903", "the elements are nested too deeply to be processed", *(where or (None,)),
                        hint="nest elements less deeply (a TEI file is checked for at most a few hundred levels)")
        return Failure([message], 1, "stopped: 1 error; nothing was written.")
    where = template_frame(exc)
    if where is not None:
        cause = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        message = error("E904", f"the template cannot be used: {cause}", *where,
                        hint="fix the template (Jinja2 syntax: https://jinja.palletsprojects.com/templates/)")
        return Failure([message], 1, "stopped: 1 error; nothing was written.")
    message = error("E990", f"internal error: {type(exc).__name__}: {exc}", *_last_own_frame(exc),
                    hint="this is a fault of the tool: run the command with 'edition --debug …' and report "
                         "the traceback")
    return Failure([message], INTERNAL, "stopped by an internal error; nothing was written.")


def system_error(exc: OSError) -> Diagnostic:
    """A located message for what the system refused (the file is the one it names)."""
    code, what, hint = _SYSTEM.get(exc.errno, ("E902", exc.strerror or str(exc), "check the file and its folder"))
    path = exc.filename
    detail = f" (and {exc.filename2})" if exc.filename2 else ""
    return error(code, f"cannot write or read here: {what}{detail}", path, hint=hint)


def template_frame(exc: BaseException) -> tuple[str, int] | None:
    """(template file, line) of the innermost frame that ran inside a template, if any.

    Jinja2 reports a syntax error on the exception itself and rewrites the traceback of an
    error raised while rendering so that its frames name the template file and line.
    """
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if type(exc).__module__.startswith("jinja2") and filename and lineno:
        return str(filename), int(lineno)
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".j2", ".jinja", ".css", ".js")) and Path(name).is_file():
            found = (name, line)
    return found


def _last_own_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """(file, line) of the innermost frame of the tool the error passed through (where to look)."""
    found = (None, None)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if "/edition/" in frame.f_code.co_filename:
            found = (frame.f_code.co_filename, line)
    return found
