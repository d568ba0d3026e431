"""Incremental builds: fingerprints of a build's inputs, kept in ``build/.cache/``.

In: the project (its TEI files, ``rules/``, templates, ``edition.toml``) and the installed
tool. Out: an ``Inputs`` survey (one hash per input) and a ``Manifest`` that remembers, per
renderer, the inputs it last rendered, the files it wrote and the warnings it gave, so that
``edition.build`` can skip what is up to date (see the design note in ``edition/build.py``).

A survey only hashes files: it never parses TEI nor compiles a schema, so deciding that
nothing changed is cheap. The manifest is written atomically after each successful step,
so an interrupted build is simply redone from the last step that finished.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import Diagnostic, Severity
from edition.fsutil import digest, write_atomic
from edition.project import PROJECT_FILE, Project
from edition.resources import package_fingerprint, templates_dir

CACHE_DIR = ".cache"
MANIFEST_NAME = "manifest.json"
# Bump when the manifest's layout changes: an old manifest is then ignored (a full build).
FORMAT = 1


def _tree_hash(folder: Path, by_content: bool) -> str:
    """One hash for a folder's files: by content (small editor files) or by size and mtime."""
    if not folder.is_dir():
        return "absent"
    parts: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.name.startswith("."):
            continue
        rel = path.relative_to(folder).as_posix()
        if by_content:
            parts.append(f"{rel}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
        else:
            stat = path.stat()
            parts.append(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


@dataclass
class Inputs:
    """Fingerprints of everything a build reads."""

    tool: str
    settings: str
    templates: str
    rules: str
    docs: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)   # the TEI files, as ``project.tei_files()`` found them

    @property
    def validation_key(self) -> str:
        """What validating a text depends on besides the text itself."""
        return digest("validate", self.tool, self.settings, self.rules)

    def renderer_key(self, name: str, target: str) -> str:
        """What a renderer's output depends on besides the texts themselves."""
        return digest("render", name, target, self.tool, self.settings, self.rules, self.templates)


def survey(project: Project) -> Inputs:
    """Hash the project's inputs; a text's hash covers its TEI file and its own rules file."""
    tei = project.tei_files()
    ids = {path.stem for path in tei}
    rules_dir = project.rules_dir
    own_rules: dict[str, bytes] = {}
    shared_rules: list[str] = []
    if rules_dir.is_dir():
        for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.parent == rules_dir and path.suffix == ".toml" and path.stem in ids:
                own_rules[path.stem] = data
            else:
                shared_rules.append(f"{path.relative_to(rules_dir).as_posix()}:{digest(data)}")
    docs = {path.stem: digest(path.read_bytes(), own_rules.get(path.stem, b"")) for path in tei}
    project_file = project.root / PROJECT_FILE
    settings = digest(project_file.read_bytes() if project_file.is_file() else b"absent", _schema_hash(project),
                    f"draft={project.draft}")
    templates = digest(_tree_hash(project.user_templates, by_content=True),
                     _tree_hash(templates_dir(), by_content=False))
    return Inputs(tool=package_fingerprint(), settings=settings, templates=templates,
                  rules=digest(*shared_rules), docs=docs, files=tei)


def _schema_hash(project: Project) -> str:
    """The schema the texts are validated against, by content (tei_all: part of the tool)."""
    path = project.schema_path
    if path is None:
        return "tei_all"
    try:
        return digest(str(path), path.read_bytes())
    except OSError:
        return f"unreadable:{path}"   # validation then says why


@dataclass
class Step:
    """What one step (validation, or one renderer) last did: its key and per-text hashes."""

    key: str = ""
    docs: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    diagnostics: dict[str, list[dict]] = field(default_factory=dict)

    def stale(self, key: str, docs: dict[str, str]) -> tuple[bool, list[str], list[str]]:
        """(everything stale?, ids changed or new, ids removed) against the current inputs."""
        if key != self.key:
            return True, sorted(docs), sorted(set(self.docs) - set(docs))
        changed = sorted(i for i, h in docs.items() if self.docs.get(i) != h)
        removed = sorted(set(self.docs) - set(docs))
        return False, changed, removed

    def replay(self, skip: set[str] = frozenset()) -> list[Diagnostic]:
        """The stored diagnostics of the texts not in ``skip`` (redone texts bring fresh ones)."""
        found = []
        for text_id, items in sorted(self.diagnostics.items()):
            if text_id in skip:
                continue
            for item in items:
                found.append(Diagnostic(**{**item, "severity": Severity(item["severity"])}))
        return found


class Manifest:
    """The record of past builds in ``build/.cache/manifest.json``."""

    def __init__(self, path: Path, steps: dict[str, Step] | None = None):
        self.path = path
        self.steps: dict[str, Step] = steps or {}

    @classmethod
    def load(cls, project: Project) -> "Manifest":
        """Read the manifest; a missing, corrupt or outdated one means "build everything"."""
        path = project.build_dir / CACHE_DIR / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(path)
            return cls(path, {name: Step(**step) for name, step in data["steps"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)

    def step(self, name: str) -> Step:
        """The record of one step (empty if it never ran)."""
        return self.steps.setdefault(name, Step())

    def save(self) -> None:
        """Write the manifest atomically (unchanged content is not rewritten)."""
        data = {"format": FORMAT, "steps": {name: vars(step) for name, step in sorted(self.steps.items())}}
        # one line, by json's C encoder (an indented one is Python's: 0.3 s a save at 1,000 texts)
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")


def group_by_text(diagnostics: list[Diagnostic], paths: dict[str, Path]) -> dict[str, list[dict]]:
    """Diagnostics keyed by the text whose file they name ('' for the rest). A path is matched
    as given first; only one named otherwise (a link, ``..``) has every text's path resolved."""
    as_given = {str(p): text_id for text_id, p in paths.items()}
    resolved: dict[str, str] | None = None
    grouped: dict[str, list[dict]] = {}
    for diagnostic in diagnostics:
        text_id = ""
        if diagnostic.path:
            text_id = as_given.get(str(diagnostic.path), "")
            if not text_id:
                if resolved is None:
                    resolved = {str(p.resolve()): text_id for text_id, p in paths.items()}
                text_id = resolved.get(str(Path(diagnostic.path).resolve()), "")
        grouped.setdefault(text_id, []).append(diagnostic.as_dict())
    return grouped
