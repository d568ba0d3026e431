"""``edition init``: a new edition project, ready to build.

In: a folder (new or empty). Out: ``edition.toml`` (every setting listed, with a comment),
``tei/example.xml`` (a small text valid against tei_all, with a note and an apparatus
entry), ``rules/``, an empty ``templates/`` whose README explains how to shadow a packaged
template, a ``.gitignore`` and a README for the edition. The files are copied from the
package data in ``edition/data/scaffold/``, with the edition's title filled in.
"""

from __future__ import annotations

import json
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.fsutil import write_atomic
from edition.resources import DATA_DIR

SCAFFOLD_DIR = DATA_DIR / "scaffold"
# Package data names that differ from the file they become (a dotfile would be skipped
# or ignored by packaging tools, so it is shipped without its dot).
RENAMED = {"gitignore": ".gitignore"}
TITLE = "__TITLE__"


def title_from_folder(folder: Path) -> str:
    """A readable working title from a folder name: ``my-edition`` → ``My Edition``."""
    words = folder.resolve().name.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "My Edition"


def scaffold_files(title: str) -> dict[str, bytes]:
    """The files of a new project (relative path → content), with ``title`` filled in."""
    files = {}
    for source in sorted(p for p in SCAFFOLD_DIR.rglob("*") if p.is_file()):
        rel = source.relative_to(SCAFFOLD_DIR).as_posix()
        rel = RENAMED.get(rel, rel)
        text = source.read_text(encoding="utf-8")
        if rel == "edition.toml":
            # A TOML basic string: JSON's escaping of quotes and backslashes is the same.
            text = text.replace(TITLE, json.dumps(title, ensure_ascii=False))
        else:
            text = text.replace(TITLE, title)
        files[rel] = text.encode("utf-8")
    return files


def init_project(folder: str | Path, *, force: bool = False, title: str | None = None) -> list[Path]:
    """Create a new edition project in ``folder``; return the files written.

    Refuses a folder that exists and is not empty, unless ``force``: then the scaffold's
    files replace files of the same name, and every other file is left alone.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EditionError(error("E130", "not a folder", folder, hint="give the path of a new or empty folder"))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise EditionError(error(
            "E131", "the folder is not empty; nothing was written", folder,
            hint="choose a new folder, or use --force to add the project files here "
                 "(files of the same name are replaced)"))
    written = []
    for rel, content in scaffold_files(title or title_from_folder(folder)).items():
        target = folder / rel
        write_atomic(target, content, only_if_changed=False)
        written.append(target)
    return written
