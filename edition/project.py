"""The project file (``edition.toml``): the edition's texts and settings.

In: ``edition.toml`` at the project root. Out: a ``Project`` with the edition's settings
and a ``TextConfig`` per text (its id, its source witness or witnesses, its rules file).
An unknown or mistyped key is an error naming the file, the line and the closest valid key.

Texts that are not listed but lie in ``tei/`` (an editor's own TEI files) are part of the
edition too: ``Project.tei_files()`` lists every TEI file the build renders.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import CannotRun, EditionError, error
from edition.fsutil import check_input_file
from edition.tomlcheck import _line_of, _line_of_value, _toml_position, check_keys

PROJECT_FILE = "edition.toml"

# Every key the project file may hold, by table. A value is the expected Python type.
SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "edition": {
        "title": str, "subtitle": str, "editors": list[str], "publisher": str, "base_url": str,
        "licence": str, "language": str, "languages": list[str], "outputs": list[str], "tei_dir": str,
        "build_dir": str, "templates": str, "description": str, "date": str, "max_file_mb": int,
    },
    "pdf": {
        "trim": str, "press": bool, "line_numbers": str, "apparatus": list[str],
        "line_interval": int, "variant": str, "apparatus_tiers": dict, "chapters_open": str,
        "lemma_witnesses": bool, "chapters_from": int, "volume": (str, bool), "volume_max_texts": int,
    },
    "html": {"search": bool, "split_above": int, "texts_by": str, "texts_per_page": int},
    "validate": {"schema": str},
    "build": {"draft": bool, "worker_tasks": int, "worker_memory_mb": int},
    "text": {
        "id": str, "source": str, "rules": str, "base": str, "witness": list, "title": str,
        "kind": str,
    },
    "witness": {
        "siglum": str, "source": str, "title": str, "publication": str, "date": str,
        "kind": str, "url": str, "note": str,
    },
}
DEFAULT_OUTPUTS = ["txt", "html", "pdf"]
# Tables that are arrays of tables ([[text]], [[text.witness]]); the others are plain tables.
ARRAYS_OF_TABLES = {"text", "witness"}
# A TEI file larger than this is refused before it is read ([edition] max_file_mb raises it).
MAX_FILE_MB = 64
# A text's id names its files (tei/<id>.xml, build/html/<id>.html): letters, digits, - _ .
TEXT_ID = re.compile(r"[^\W][\w.-]*\Z")
# A BCP 47 language tag, as far as a tag can be checked without the registry: en, grc, en-GB, zh-Hant.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
# Names the build gives pages of its own, beside the texts' pages and PDFs (build/html/<id>.html,
# build/pdf/<id>.pdf): a text of that id would be overwritten by them (compared case-blind, as
# some file systems do). edition.render.site and edition.render.pdf write these.
GENERATED_NAMES = {"index": "the home page (html/index.html)", "search": "the search page (html/search.html)",
                   "edition": "the whole volume (pdf/edition.pdf)"}


@dataclass
class WitnessConfig:
    """One witness of a collated text."""

    siglum: str
    source: Path
    settings: dict = field(default_factory=dict)


@dataclass
class TextConfig:
    """One text of the edition: a single-witness text, or a collation of witnesses."""

    id: str
    source: Path | None = None
    rules: Path | None = None
    base: str | None = None
    witnesses: list[WitnessConfig] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def is_collation(self) -> bool:
        """True when the text is made by collating several witnesses."""
        return bool(self.witnesses)


@dataclass
class Project:
    """The edition project: its root folder, settings and texts."""

    root: Path
    settings: dict = field(default_factory=dict)
    texts: list[TextConfig] = field(default_factory=list)
    pdf: dict = field(default_factory=dict)
    html: dict = field(default_factory=dict)
    validate: dict = field(default_factory=dict)
    build: dict = field(default_factory=dict)
    # Set by the build while it writes into its staging folder (``edition.build.publish``).
    output_dir: Path | None = None

    @property
    def schema_path(self) -> Path | None:
        """The RELAX NG schema the TEI is validated against (``[validate] schema``, relative to
        the project; an absolute path as given), or None for TEI P5 tei_all."""
        given = self.validate.get("schema")
        return self.root / given if given else None

    @property
    def draft(self) -> bool:
        """Build despite errors, marking every output as a draft (``[build] draft``)."""
        return bool(self.build.get("draft", False))

    @property
    def tei_dir(self) -> Path:
        """Where the edition's TEI files live."""
        return self.root / self.settings.get("tei_dir", "tei")

    @property
    def build_dir(self) -> Path:
        """Where outputs are written."""
        if self.output_dir is not None:
            return self.output_dir
        return self.root / self.settings.get("build_dir", "build")

    @property
    def rules_dir(self) -> Path:
        """Editorial decisions as data."""
        return self.root / "rules"

    @property
    def user_templates(self) -> Path:
        """An editor's own template folder, which shadows the packaged templates."""
        return self.root / self.settings.get("templates", "templates")

    @property
    def outputs(self) -> list[str]:
        """Which renderers the build runs (txt, html, pdf)."""
        return list(self.settings.get("outputs", DEFAULT_OUTPUTS))

    def text(self, text_id: str) -> TextConfig:
        """The configured text with this id, or an error listing close matches."""
        for text in self.texts:
            if text.id == text_id:
                return text
        ids = [t.id for t in self.texts] + [p.stem for p in self.tei_files()]
        close = difflib.get_close_matches(text_id, ids, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"known texts: {', '.join(sorted(set(ids)))}"
        raise EditionError(error("E101", f"no text with id '{text_id}'", self.root / PROJECT_FILE, hint=hint))

    def check_tei_dir(self) -> None:
        """Raise ``CannotRun`` (exit 2) when the TEI folder is missing, not a folder or unreadable."""
        folder = self.tei_dir
        hint = f"create it, or set tei_dir in {PROJECT_FILE}: it is now '{self.settings.get('tei_dir', 'tei')}'"
        if not folder.exists():
            raise CannotRun(error("E150", "the TEI folder does not exist", folder, hint=hint))
        if not folder.is_dir():
            raise CannotRun(error("E150", "the TEI folder is not a folder", folder, hint=hint))
        try:
            os.listdir(folder)
        except OSError as exc:
            raise CannotRun(error("E151", f"cannot read the TEI folder: {exc.strerror}", folder,
                                  hint="check its permissions")) from None

    def tei_files(self) -> list[Path]:
        """Every TEI file of the edition, in a stable order ([] when there is no TEI folder).

        Raises ``CannotRun`` (exit 2) for an entry that must not be read (not a regular file,
        a link out of the project or to nowhere, over the size limit) or an unreadable folder,
        and ``EditionError`` for a file whose name is one the build gives a page of its own.
        """
        if not self.tei_dir.is_dir():
            return []
        try:
            os.listdir(self.tei_dir)  # glob says nothing when the folder cannot be read
        except OSError as exc:
            raise CannotRun(error("E151", f"cannot read the TEI folder: {exc.strerror}", self.tei_dir,
                                  hint="check its permissions")) from None
        paths = sorted(self.tei_dir.glob("*.xml"))
        problems = [p for p in (check_input_file(path, self.root, self.max_file_bytes) for path in paths) if p]
        if problems:
            raise CannotRun(*problems)
        clashes = [error("E159", f"the text id '{path.stem}' is the name of {GENERATED_NAMES[path.stem.casefold()]}",
                         path, hint=f"rename the file (e.g. {path.stem}-text.xml)")
                   for path in paths if path.stem.casefold() in GENERATED_NAMES]
        if clashes:
            raise EditionError(*clashes)
        return paths

    @property
    def max_file_bytes(self) -> int:
        """The size limit of one TEI file."""
        return int(self.settings.get("max_file_mb", MAX_FILE_MB)) * 1024 * 1024


def find_project_root(start: Path | None = None) -> Path:
    """The project folder: ``start`` itself when given (``-C``), else the nearest folder at or
    above the current one holding ``edition.toml``.

    A folder given by name is taken at its word: searching above it would build whatever
    project happens to enclose a mistyped path.
    """
    if start is not None:
        return _given_root(start)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise EditionError(error("E100", f"no {PROJECT_FILE} here or in any parent folder", here,
                             hint="run the command inside an edition project, or create one with 'edition init DIR'"))


def _given_root(folder: Path) -> Path:
    folder = folder.resolve()
    if not folder.is_dir():
        raise CannotRun(error("E108", "the project folder given does not exist", folder,
                              hint="check the path given with -C/--project"))
    if not (folder / PROJECT_FILE).is_file():
        raise EditionError(error("E108", f"not an edition project: this folder holds no {PROJECT_FILE}", folder,
                                 hint="give the folder that holds edition.toml, or create one with 'edition init DIR'"))
    return folder


def load_project(root: Path | None = None) -> Project:
    """Read and check ``edition.toml``; raise ``EditionError`` on any fault."""
    root = find_project_root(root)
    path = root / PROJECT_FILE
    text = _read_project_file(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise EditionError(error("E102", f"the project file is not valid TOML: {exc}", path, line, col)) from None
    except RecursionError:
        raise EditionError(error("E102", "the project file is not valid TOML: arrays or tables nested too deep",
                                 path)) from None
    _check_keys(data, path, text)
    project = Project(root=root, settings=data.get("edition", {}), pdf=data.get("pdf", {}),
                      html=data.get("html", {}), validate=data.get("validate", {}), build=data.get("build", {}))
    for entry in data.get("text", []):
        project.texts.append(_text_config(entry, root, path, text))
    check_values(project, path, text)
    return project


def _read_project_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CannotRun(error("E155", f"cannot read the project file: {exc.strerror}", path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EditionError(error("E156", f"the project file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                 path, line, col, hint="save it as UTF-8")) from None


def check_values(project: Project, path: Path, text: str) -> None:
    """Values the types alone do not rule out: ids, the build folder, numbers."""
    seen: set[str] = set()
    for config in project.texts:
        if not TEXT_ID.match(config.id) or config.id in seen:
            problem = "is used twice" if config.id in seen else "is not a usable file name"
            raise EditionError(error("E157", f"the text id '{config.id}' {problem}", path,
                                     _line_of_value(text, "id", config.id), hint="an id is letters, digits, '-', '_' and '.', "
                                     "and names one text"))
        if config.id.casefold() in GENERATED_NAMES:
            raise EditionError(error("E159", f"the text id '{config.id}' is the name of "
                                     f"{GENERATED_NAMES[config.id.casefold()]}", path,
                                     _line_of_value(text, "id", config.id), hint="choose another id"))
        seen.add(config.id)
    build, where = project.build_dir, _line_of(text, "build_dir")
    if build.exists() and not build.is_dir():
        raise EditionError(error("E158", f"build_dir '{project.settings.get('build_dir', 'build')}' is a file, "
                                 "not a folder", path, where, hint="remove the file or choose another build_dir"))
    build = build.resolve()
    inputs = [project.tei_dir.resolve(), project.rules_dir.resolve(), project.user_templates.resolve()]
    if build == project.root.resolve() or project.root.resolve().is_relative_to(build) or \
            any(build == p or p.is_relative_to(build) or build.is_relative_to(p) for p in inputs):
        raise EditionError(error("E158", "build_dir must be a folder of its own: not the project, nor holding "
                                 "or inside tei/, rules/ or templates/ (each build replaces it whole)", path, where))
    # the language goes into every page's lang attribute and the search index's settings
    for key in ("language", "languages"):
        value = project.settings.get(key)
        bad = [v for v in ([value] if isinstance(value, str) else value or []) if not LANGUAGE_TAG.match(v)]
        if bad:
            raise EditionError(error("E107", f"'{key}' holds '{bad[0][:40]}', which is not a language tag", path,
                                     _line_of(text, key), hint="a BCP 47 tag such as en, de, la, grc, en-GB"))
    for key, value in (("max_file_mb", project.settings.get("max_file_mb")),
                       ("line_interval", project.pdf.get("line_interval")),
                       ("split_above", project.html.get("split_above"))):
        if value is not None and value < 1:
            raise EditionError(error("E107", f"'{key}' must be a whole number of at least 1, not {value}", path,
                                     _line_of(text, key)))


def _text_config(entry: dict, root: Path, path: Path, text: str) -> TextConfig:
    if "id" not in entry:
        raise EditionError(error("E103", "a [[text]] entry has no 'id'", path, _line_of(text, "text"),
                                 hint="add id = \"my-text\""))
    for number, w in enumerate(entry.get("witness", [])):
        for key in ("siglum", "source"):
            if key not in w:
                raise EditionError(error("E103", f"a witness of text '{entry['id']}' has no '{key}'", path,
                                         _witness_line(text, entry["id"], number),
                                         hint=f"add {key} = \"…\" to its [[text.witness]] table"))
    witnesses = [WitnessConfig(siglum=w["siglum"], source=root / w["source"],
                               settings={k: v for k, v in w.items() if k not in ("siglum", "source")})
                 for w in entry.get("witness", [])]
    return TextConfig(
        id=entry["id"],
        source=root / entry["source"] if "source" in entry else None,
        rules=root / entry["rules"] if "rules" in entry else None,
        base=entry.get("base"),
        witnesses=witnesses,
        settings={k: v for k, v in entry.items() if k not in ("id", "source", "rules", "base", "witness")},
    )


@dataclass
class RulesFile:
    """A checked rules file (``rules/<id>.toml``) and the accessors every stage uses on it."""

    path: Path | None
    data: dict = field(default_factory=dict)

    def table(self, name: str) -> dict:
        """A table ({} when absent)."""
        value = self.data.get(name, {})
        return value if isinstance(value, dict) else {}

    def tables(self, name: str) -> list[dict]:
        """An array of tables (``[[part]]``), [] when absent."""
        value = self.data.get(name, [])
        return value if isinstance(value, list) else [value]

    @property
    def prefix(self) -> str:
        """The prefix of every xml:id of the text (``[ids] prefix``)."""
        return self.table("ids").get("prefix", "")


def read_rules_file(path: Path, schema: dict[str, dict]) -> tuple[dict, str]:
    """Read a TOML rules file and check its keys against ``schema``; return the data and its text.

    Shared by every stage that keeps editorial decisions in ``rules/``: an unreadable file, a
    file that is not UTF-8 or not TOML, and an unknown key each raise ``EditionError`` naming
    the file and, where known, the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(error("E111", f"the rules file is not UTF-8 (byte {exc.start})", path,
                                 hint="save it as UTF-8")) from None
    except OSError as exc:
        raise EditionError(error("E110", f"cannot read the rules file: {exc.strerror}", path,
                                 hint="create it, or fix 'rules' in edition.toml")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise EditionError(error("E112", f"the rules file is not valid TOML: {exc}", path, line, col)) from None
    check_keys(data, schema, path, text)
    return data, text


def _check_keys(data: dict, path: Path, text: str) -> None:
    check_keys(data, SCHEMA, path, text, arrays=ARRAYS_OF_TABLES)


def _witness_line(text: str, text_id: str, number: int) -> int | None:
    """The line of the ``number``-th ``[[text.witness]]`` header after the text's id."""
    start = _line_of_value(text, "id", text_id) or 1
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines[start:], start + 1)
               if re.match(r"\s*\[\[\s*text\.witness\s*\]\]", line)]
    return headers[number] if number < len(headers) else start
