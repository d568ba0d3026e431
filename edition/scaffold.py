"""``edition init``: a new edition project, ready to build.

In: a folder (new or empty), and optionally plain-text witnesses of one text. Out:
``edition.toml`` (every setting listed, with a comment), ``tei/example.xml`` (a small text
valid against tei_all, with a note and an apparatus entry), ``rules/`` with the general
collation rules (``collation.toml``: the packaged rules, every setting commented out), an
empty ``templates/`` whose README explains how to shadow a packaged template, a
``.gitignore`` and a README for the edition. The files are copied from the package data in
``edition/data/scaffold/``, with the edition's title filled in.

With witnesses, the project is a collation ready for ``edition collate``: the files are
copied into ``sources/``, ``edition.toml`` gets a ``[[text]]`` with one ``[[text.witness]]``
each (sigla from the file names when they can be XML names, else A, B, C …; the first file
is the base text), and there is no example text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from edition.collate.rules import commented_rules
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
    files["rules/collation.toml"] = commented_rules().encode("utf-8")
    return files


# A siglum becomes the witness's xml:id: a short XML name (NCName).
SIGLUM = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,11}")


def witness_sigla(files: list[Path]) -> list[str]:
    """The sigla of witness files: their names without extension when every one is a short XML
    name and they differ; else A, B, C … in the order given."""
    stems = [f.stem for f in files]
    if all(SIGLUM.fullmatch(s) for s in stems) and len(set(stems)) == len(stems):
        return stems
    return [chr(ord("A") + i) for i in range(len(files))]


def text_id(folder: Path) -> str:
    """The collated text's id (its TEI file name and citation prefix), from the folder name."""
    words = re.findall(r"[a-z0-9]+", folder.resolve().name.lower())
    slug = "-".join(words) or "text"
    return slug if slug[0].isalpha() else f"text-{slug}"


def witness_files(folder: Path, witnesses: list[Path]) -> tuple[dict[str, bytes], str]:
    """The copied witnesses (``sources/<name>`` → bytes) and the ``[[text]]`` entry naming them."""
    if len(witnesses) < 2 or len(witnesses) > 10:
        raise EditionError(error("E443", f"a collation needs 2 to 10 witnesses; {len(witnesses)} given", folder,
                                 hint="edition init FOLDER --witnesses A.txt B.txt …"))
    names = [w.name for w in witnesses]
    clash = next((n for n in names if names.count(n) > 1), None)
    if clash:
        raise EditionError(error("E443", f"two witness files are named {clash}; they would be one file in sources/",
                                 folder, hint="rename one of them"))
    files = {}
    for path in witnesses:
        try:
            data = path.read_bytes()
            data.decode("utf-8")
        except OSError as exc:
            raise EditionError(error("E442", f"cannot read the witness: {exc.strerror}", path,
                                     hint="give plain-text files (UTF-8)")) from None
        except UnicodeDecodeError as exc:
            raise EditionError(error("E442", f"the witness is not UTF-8 (byte {exc.start})", path,
                                     hint="save it as UTF-8")) from None
        files[f"sources/{path.name}"] = data
    sigla = witness_sigla(witnesses)
    entry = ["\n# The text collated from the witnesses given to `edition init` (`edition collate` writes",
             f"# tei/{text_id(folder)}.xml). Sigla and base can be changed here.",
             "[[text]]", f'id = "{text_id(folder)}"', f'base = "{sigla[0]}"']
    for siglum, path in zip(sigla, witnesses):
        entry += ["", "[[text.witness]]", f'siglum = "{siglum}"', f"source = {json.dumps('sources/' + path.name)}",
                  f"title = {json.dumps(path.name, ensure_ascii=False)}"]
    return files, "\n".join(entry) + "\n"


def init_project(folder: str | Path, *, force: bool = False, title: str | None = None,
                 witnesses: list[Path] | None = None) -> list[Path]:
    """Create a new edition project in ``folder``; return the files written.

    Refuses a folder that exists and is not empty, unless ``force``: then the scaffold's
    files replace files of the same name, and every other file is left alone. With
    ``witnesses`` (plain-text files), the project collates them (see the module's docstring).
    """
    folder = Path(folder)
    files = scaffold_files(title or title_from_folder(folder))
    if witnesses:
        copied, entry = witness_files(folder, [Path(w) for w in witnesses])
        del files["tei/example.xml"]
        files["edition.toml"] += entry.encode("utf-8")
        files.update(copied)
    if folder.exists() and not folder.is_dir():
        raise EditionError(error("E130", "not a folder", folder, hint="give the path of a new or empty folder"))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise EditionError(error(
            "E131", "the folder is not empty; nothing was written", folder,
            hint="choose a new folder, or use --force to add the project files here "
                 "(files of the same name are replaced)"))
    written = []
    for rel, content in files.items():
        target = folder / rel
        write_atomic(target, content, only_if_changed=False)
        written.append(target)
    return written
