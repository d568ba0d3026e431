"""The project file (``edition.toml``): the edition's texts and settings.

In: ``edition.toml`` at the project root. Out: a ``Project`` with the edition's settings
and a ``TextConfig`` per text (its id, its source witness or witnesses, its rules file).
An unknown or mistyped key is an error naming the file, the line and the closest valid key.

Texts that are not listed but lie in ``tei/`` (an editor's own TEI files) are part of the
edition too: ``Project.tei_files()`` lists every TEI file the build renders.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import EditionError, error

PROJECT_FILE = "edition.toml"

# Every key the project file may hold, by table. A value is the expected Python type.
SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "edition": {
        "title": str, "subtitle": str, "editors": list, "publisher": str, "base_url": str,
        "licence": str, "language": str, "languages": list, "outputs": list, "tei_dir": str,
        "build_dir": str, "templates": str, "description": str, "date": str,
    },
    "pdf": {
        "trim": str, "press": bool, "line_numbers": str, "apparatus": list,
        "line_interval": int, "variant": str,
    },
    "html": {"search": bool},
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
    # Set by the build while it writes into its staging folder (``edition.build.publish``).
    output_dir: Path | None = None

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

    def tei_files(self) -> list[Path]:
        """Every TEI file of the edition, in a stable order."""
        if not self.tei_dir.is_dir():
            return []
        return sorted(self.tei_dir.glob("*.xml"))


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``edition.toml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise EditionError(error("E100", f"no {PROJECT_FILE} here or in any parent folder", here,
                             hint="run the command inside an edition project, or create one with 'edition init DIR'"))


def load_project(root: Path | None = None) -> Project:
    """Read and check ``edition.toml``; raise ``EditionError`` on any fault."""
    root = find_project_root(root)
    path = root / PROJECT_FILE
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise EditionError(error("E102", f"the project file is not valid TOML: {exc}", path, line, col)) from None
    _check_keys(data, path, text)
    project = Project(root=root, settings=data.get("edition", {}), pdf=data.get("pdf", {}),
                      html=data.get("html", {}))
    for entry in data.get("text", []):
        project.texts.append(_text_config(entry, root, path, text))
    return project


def _text_config(entry: dict, root: Path, path: Path, text: str) -> TextConfig:
    if "id" not in entry:
        raise EditionError(error("E103", "a [[text]] entry has no 'id'", path, hint="add id = \"my-text\""))
    witnesses = [WitnessConfig(siglum=w["siglum"], source=root / w["source"],
                               settings={k: v for k, v in w.items() if k not in ("siglum", "source")})
                 for w in entry.get("witness", [])]
    for w in entry.get("witness", []):
        for key in ("siglum", "source"):
            if key not in w:
                raise EditionError(error("E103", f"a witness of text '{entry['id']}' has no '{key}'", path,
                                         _line_of(text, entry["id"])))
    return TextConfig(
        id=entry["id"],
        source=root / entry["source"] if "source" in entry else None,
        rules=root / entry["rules"] if "rules" in entry else None,
        base=entry.get("base"),
        witnesses=witnesses,
        settings={k: v for k, v in entry.items() if k not in ("id", "source", "rules", "base", "witness")},
    )


def check_keys(data: dict, schema: dict[str, dict], path: Path, text: str, table_names: dict[str, str] | None = None) -> None:
    """Check a parsed TOML mapping against a ``{table: {key: type}}`` schema.

    Raises ``EditionError`` naming the file, the line of the bad key and the closest valid key.
    Shared by the project file and the rules files.
    """
    for table, value in data.items():
        if table not in schema:
            raise _unknown(table, list(schema), path, text, "table")
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            _check_table(entry, table, schema, path, text)


def _check_table(entry: dict, table: str, schema: dict, path: Path, text: str) -> None:
    allowed = schema[table]
    for key, value in entry.items():
        if key not in allowed:
            raise _unknown(key, list(allowed), path, text, f"key in [{table}]")
        expected = allowed[key]
        if not isinstance(value, expected):
            names = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
            raise EditionError(error("E105", f"'{key}' in [{table}] must be a {names}, not {type(value).__name__}",
                                     path, _line_of(text, key)))
        if key in schema and isinstance(value, list):
            for sub in value:
                if isinstance(sub, dict):
                    _check_table(sub, key, schema, path, text)


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
    check_keys(data, SCHEMA, path, text)


def _unknown(key: str, valid: list[str], path: Path, text: str, what: str) -> EditionError:
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"valid: {', '.join(sorted(valid))}"
    return EditionError(error("E104", f"unknown {what} '{key}'", path, _line_of(text, key), 1, hint=hint))


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets ``key`` (or opens a table of that name)."""
    pattern = re.compile(rf"^\s*(\[\[?\s*)?(\w+\.)*\"?{re.escape(key)}\"?\s*(=|\]|\.)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_position(message: str) -> tuple[int | None, int | None]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)
