"""The review's journal: the files an accept or overrule is about to change, kept to undo it.

In: the project root and the files an action will write (the text's rules, ``rules/reviewed.toml``,
the TEI file and the tool's record of it, the reports and the ledger). Out: one entry per action
in ``.cache/review/journal/NNNNNN.json`` (each file's bytes, or null when it did not exist; the
hashes of the files as the action left them in ``NNNNNN.after``), and
``undo``, which puts the files of the last entry back byte for byte (deleting those that did not
exist) and drops the entry; when one of them changed after the action (an editor's edit, another
text ingested), it refuses rather than lose that change. The journal lives beside the cache of written TEI (``.cache/``), not
in ``build/``, which a build replaces as a whole.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.fsutil import write_atomic

FOLDER = Path(".cache") / "review" / "journal"


def _entries(root: Path) -> list[Path]:
    folder = root / FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def record(root: Path, action: str, paths: list[Path]) -> Path:
    """Keep the current bytes of ``paths`` (absolute, inside ``root``) as the next journal entry."""
    files = {}
    for path in paths:
        key = path.relative_to(root).as_posix()
        files[key] = base64.b64encode(path.read_bytes()).decode("ascii") if path.is_file() else None
    entries = _entries(root)
    number = int(entries[-1].stem) + 1 if entries else 1
    target = root / FOLDER / f"{number:06d}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps({"action": action, "files": files}, indent=0) + "\n")
    return target


def seal(root: Path, entry: Path, paths: list[Path]) -> None:
    """Note how the action left its files (``paths``, those given to ``record``), so that ``undo``
    can tell a file changed since: in a small file beside the entry (``NNNNNN.after``), so the
    entry, which holds a book's TEI and ledger, is not read and written again."""
    after = {path.relative_to(root).as_posix(): _sha(path) for path in paths}
    write_atomic(_after(entry), json.dumps(after, indent=0) + "\n")


def _after(entry: Path) -> Path:
    return entry.with_suffix(".after")


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def changed_since(root: Path, entry: Path) -> list[str]:
    """The files of ``entry`` that are no longer as its action left them (someone wrote them since)."""
    try:
        after = json.loads(_after(entry).read_text(encoding="utf-8"))
    except FileNotFoundError:      # an entry of an older version kept them in itself
        after = json.loads(entry.read_text(encoding="utf-8")).get("after", {})
    return [key for key, sha in after.items() if _sha(root / key) != sha]


def drop(entry: Path) -> None:
    """Forget an entry (its action failed and the files were put back)."""
    entry.unlink(missing_ok=True)
    _after(entry).unlink(missing_ok=True)


def restore(root: Path, entry: Path) -> str:
    """Put back the files of ``entry``; return its action."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    for key, content in data["files"].items():
        path = root / key
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, base64.b64decode(content))
    return data["action"]


def undo(root: Path) -> str:
    """Undo the last action of the journal; return what it was (E506 when there is none)."""
    entries = _entries(root)
    if not entries:
        raise EditionError(error("E506", "nothing to undo: the review journal is empty", root / FOLDER))
    changed = changed_since(root, entries[-1])
    if changed:
        raise EditionError(error("E508", f"cannot undo: {', '.join(changed)} changed since the last review action; "
                                 "putting the old bytes back would lose that change", root / changed[0],
                                 hint="overrule or accept again to change the decision"))
    action = restore(root, entries[-1])
    drop(entries[-1])
    return action


def last_action(root: Path) -> str | None:
    """What the last journal entry did (for the review page), or None."""
    entries = _entries(root)
    return json.loads(entries[-1].read_text(encoding="utf-8"))["action"] if entries else None
