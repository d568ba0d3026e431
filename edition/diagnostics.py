"""Diagnostics: what every stage reports to a person.

In: findings from any stage (ingest, collate, validate, render).
Out: ``Diagnostic`` records printed as ``path:line:col: severity[CODE] message`` (like
compilers and ruff), or as JSON, and counted by a ``Report`` that decides the exit code.

Every code is defined once in ``edition.codes``; ``error``/``warning``/``info`` refuse a code
that is not there, or that the catalogue gives another severity (a mistake of ours, caught by
the tests, not a finding to report).

A stage that cannot go on raises ``EditionError`` carrying one or more diagnostics;
the CLI prints them and exits non-zero. Nothing is half-written: stages write through
``edition.fsutil.write_atomic`` only after their work succeeded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from edition.codes import CODES


class Severity(str, Enum):
    """How bad a finding is; errors stop a build, warnings do not (unless strict)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Diagnostic:
    """One finding, with where it is and what to do about it."""

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    detail: str | None = None

    def format(self, verbose: bool = False) -> str:
        """Render as ``path:line:col: severity[CODE] message`` (the hint after ``; ``)."""
        where = self.path or "<edition>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.severity.value}[{self.code}] {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if verbose and self.detail:
            text += f"\n    detail: {self.detail}"
        return text

    def as_dict(self) -> dict:
        """A JSON-ready mapping (severity as its plain string)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(code: str, message: str, path: str | Path | None = None, line: int | None = None,
          col: int | None = None, hint: str | None = None, detail: str | None = None) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(code, _checked(code, Severity.ERROR), message, _path(path), line, col, hint, detail)


def warning(code: str, message: str, path: str | Path | None = None, line: int | None = None,
            col: int | None = None, hint: str | None = None, detail: str | None = None) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(code, _checked(code, Severity.WARNING), message, _path(path), line, col, hint, detail)


def info(code: str, message: str, path: str | Path | None = None, line: int | None = None,
         col: int | None = None, hint: str | None = None, detail: str | None = None) -> Diagnostic:
    """Shorthand for an informational diagnostic (reported, never a reason to stop)."""
    return Diagnostic(code, _checked(code, Severity.INFO), message, _path(path), line, col, hint, detail)


def _checked(code: str, severity: Severity) -> Severity:
    """The severity, once the catalogue agrees that ``code`` exists with it (a dict look-up)."""
    entry = CODES.get(code)
    if entry is None or entry.severity != severity.value:
        found = f"a {entry.severity}" if entry else "not in the catalogue"
        raise ValueError(f"diagnostic code {code!r} made as a {severity.value} is {found} (edition/codes.py)")
    return severity


def _path(path: str | Path | None) -> str | None:
    if path is None:
        return None
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a link that loops, a vanished cwd
        return str(p)


class EditionError(Exception):
    """A stage could not go on; carries the diagnostics that say why."""

    exit_code = 1  # the command's exit status (``edition.cli_support.reports_errors``)

    def __init__(self, *diagnostics: Diagnostic):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class CannotRun(EditionError):
    """The command could not run at all (a missing or unreadable folder or file, a full disk):
    exit status 2, as ``edition validate`` gives when it cannot read its input."""

    exit_code = 2


@dataclass
class Report:
    """Collects diagnostics, counts them and decides the exit code."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    # what was recorded: the same finding met again (the HTML and the PDF render the same
    # text, the volume lays out each text again) is said once
    _seen: set = field(default_factory=set, repr=False, compare=False)

    def add(self, *diagnostics: Diagnostic) -> None:
        """Record findings (each one once)."""
        self.extend(diagnostics)

    def extend(self, diagnostics) -> None:
        """Record an iterable of findings (each one once)."""
        if len(self._seen) < len(self.diagnostics):   # the list was filled directly
            self._seen.update(self.diagnostics)
        for diagnostic in diagnostics:
            if diagnostic not in self._seen:
                self._seen.add(diagnostic)
                self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        """The findings of severity error."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The findings of severity warning."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Findings in file, line, column order (stable for equal positions)."""
        return sorted(self.diagnostics, key=lambda d: (d.path or "", d.line or 0, d.col or 0))

    def summary(self) -> str:
        """``3 errors, 1 warning in 4 files``."""
        e, w = len(self.errors), len(self.warnings)
        return (f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
                f" in {self.files} file{'s' if self.files != 1 else ''}")

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when errors were found (warnings count as errors if strict)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def to_json(self) -> str:
        """All findings and the counts, as JSON."""
        return json.dumps({
            "diagnostics": [d.as_dict() for d in self.sorted()],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "files": self.files,
        }, ensure_ascii=False, indent=2)
