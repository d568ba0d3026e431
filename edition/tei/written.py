"""The TEI files the tools write (``ingest``, ``collate``) and an editor's edits to them.

In: the project, and for each text the bytes a tool is about to write to ``tei/<id>.xml``.
Out: the files written, or, before any is written, an ``EditionError`` (E160) for every file an
editor changed since a tool last wrote it, naming the lines the editor changed (when the local
copy of what was written, ``.cache/written/``, is there) and the lines writing would replace.

Why: the workflow the README recommends is to ingest a witness, then correct ``tei/<id>.xml``
by hand. Ingesting again (after a rules change) must not silently throw those corrections away.

The record: ``tei/.edition-written.json`` maps a file name to the SHA-256 of the bytes a tool
last wrote there. It lies beside the files it describes, so it travels with them (a git clone
knows which files are still as the tool wrote them). A file that is absent from the record and
differs from what would be written is treated as an editor's (refused): nothing is lost by
asking for ``--force`` once. With ``force``, the file is replaced and the previous one kept in
``build/.trash/<id>.<UTC time>.xml``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import time
from pathlib import Path

from edition.diagnostics import Diagnostic, EditionError, error
from edition.fsutil import locked, write_atomic
from edition.project import Project

RECORD = ".edition-written.json"
# A copy of what was written last, to say which lines an editor changed (a local cache: the
# record alone, which travels with tei/, is enough to refuse; the copy only words the message).
COPIES = Path(".cache") / "written"
TRASH = ".trash"
MAX_RANGES = 6  # line ranges named in a message; the rest are counted


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(tei_dir: Path) -> dict[str, str]:
    """{file name: SHA-256 of what a tool last wrote}; {} when absent or unreadable."""
    try:
        data = json.loads((tei_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


def edited(path: Path, new: bytes, record: dict[str, str]) -> bytes | None:
    """The file's current bytes when writing ``new`` would lose an editor's work, else None.

    Nothing is lost when the file is absent, already holds ``new``, or is still exactly what a
    tool wrote last.
    """
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return None
    if current == new or record.get(path.name) == _sha(current):
        return None
    return current


def changed_lines(current: bytes, new: bytes) -> list[tuple[int, int]]:
    """The ranges of lines of ``current`` (1-based, inclusive) that ``new`` does not keep."""
    old_lines = current.decode("utf-8", errors="replace").splitlines()
    new_lines = new.decode("utf-8", errors="replace").splitlines()
    ranges = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            ranges.append((i1 + 1, i2))
        else:  # lines inserted: name the line they would follow
            ranges.append((max(i1, 1), max(i1, 1)))
    return ranges


def _ranges_text(ranges: list[tuple[int, int]]) -> str:
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:MAX_RANGES]]
    more = f" and {len(ranges) - MAX_RANGES} more place(s)" if len(ranges) > MAX_RANGES else ""
    return ("line " if len(ranges) == 1 and ranges[0][0] == ranges[0][1] else "lines ") + ", ".join(shown) + more


def _last_written(project: Project, path: Path, record: dict[str, str]) -> bytes | None:
    """What the tool wrote last to ``path``, when the local copy is that (its hash is recorded)."""
    try:
        copy = (project.root / COPIES / path.name).read_bytes()
    except OSError:
        return None
    return copy if record.get(path.name) == _sha(copy) else None


def refusals(project: Project, files: dict[Path, bytes], tool: str) -> list[Diagnostic]:
    """An E160 error for each file an editor changed, saying which lines would be replaced."""
    record = read_record(project.tei_dir)
    problems = []
    for path, new in files.items():
        current = edited(path, new, record)
        if current is None:
            continue
        ranges = changed_lines(current, new)
        why = ("was changed since 'edition " + tool + "' wrote it" if path.name in record
               else "was not written by 'edition " + tool + "' (or its record is missing) and differs")
        last = _last_written(project, path, record)
        edits = changed_lines(last, current) if last is not None else []
        if edits:
            why += f" ({_ranges_text(edits)} edited)"
        problems.append(error(
            "E160", f"{path.name} {why}: writing it again would replace {_ranges_text(ranges)}",
            path, (edits or ranges or [(None, None)])[0][0],
            hint=f"keep your edits (move them into the sources or rules), or run 'edition {tool} --force', "
                 f"which keeps the current file in {project.build_dir.name}/{TRASH}/"))
    return problems


def write_tei(project: Project, files: dict[Path, bytes], tool: str, force: bool = False,
              reports: dict[Path, bytes | str] | None = None) -> dict[Path, bool]:
    """Write every file, or none: raise ``EditionError`` (E160) first when one holds an editor's
    edits and ``force`` is not given. Return {path: whether it was rewritten}.

    ``reports`` (files under ``build/reports/``) are written under the same lock as a build:
    a build publishes the copy of ``build/`` it made when it began, which would drop a report
    written meanwhile."""
    if not force:
        problems = refusals(project, files, tool)
        if problems:
            raise EditionError(*problems)
    project.build_dir.parent.mkdir(parents=True, exist_ok=True)
    written = {}
    # the lock a build holds: build/.trash must not be written while a build swaps build/
    with locked(project.build_dir.parent):
        record = read_record(project.tei_dir)
        for path, new in files.items():
            current = edited(path, new, record)
            if current is not None:
                stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
                write_atomic(project.build_dir / TRASH / f"{path.stem}.{stamp}{path.suffix}", current)
            written[path] = write_atomic(path, new)
            record[path.name] = _sha(new)
            write_atomic(project.root / COPIES / path.name, new, durable=False)
        write_atomic(project.tei_dir / RECORD, json.dumps(record, indent=1, sort_keys=True) + "\n")
        for path, content in (reports or {}).items():
            write_atomic(path, content)
    return written
