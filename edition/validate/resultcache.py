"""The schema-result cache: an unchanged file is not validated against the schema again.

In: a file's bytes, the schema's sha256 and the validator's version. Out: the schema
diagnostics of an earlier run (without their path, which is set again on reading), or None.

Why: compiling a schema costs seconds per process, validating is cheap. Keyed by
sha256(file bytes) + sha256(schema) + the tool's code (``package_fingerprint``, so that a
changed message, position or repair never serves stale results), an entry is valid forever:
any change to the file, the schema or the validator makes a new key. So a second
``edition validate`` or a no-op ``edition build`` finds every file in the cache and never
compiles the schema. Cross-file and integrity rules always run (they are cheap and depend on
the other files).

Where: ``<project>/.cache/validate/`` (git-ignored; not under ``build/``, which a failing build
must leave untouched), or ``$XDG_CACHE_HOME/edition/validate`` outside a project. One small
JSON file per entry, written atomically; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from edition.diagnostics import Diagnostic, Severity
from edition.fsutil import write_atomic
from edition.resources import package_fingerprint


def default_dir(project_root: Path | None) -> Path:
    """Where the cache lives for a project (or for loose files)."""
    if project_root is not None:
        return project_root / ".cache" / "validate"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "edition" / "validate"


class ResultCache:
    """Schema diagnostics by content hash; a disabled cache never hits and never writes."""

    def __init__(self, folder: Path | None, schema_sha256: str):
        self.folder = folder
        self.salt = f"{schema_sha256}:{package_fingerprint()}".encode()
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes) -> str:
        """The entry name of a file with these bytes."""
        return hashlib.sha256(self.salt + b"\0" + data).hexdigest()

    def get(self, data: bytes, path: str | None) -> list[Diagnostic] | None:
        """The cached schema diagnostics for these bytes, re-attached to ``path``."""
        if self.folder is None:
            return None
        entry = self.folder / f"{self.key(data)}.json"
        try:
            records = json.loads(entry.read_text(encoding="utf-8"))
            found = [Diagnostic(r["code"], Severity(r["severity"]), r["message"], path, r.get("line"),
                                r.get("col"), r.get("hint"), r.get("detail")) for r in records]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, data: bytes, diagnostics: list[Diagnostic]) -> None:
        """Remember the schema diagnostics of these bytes (silently skipped if not writable)."""
        if self.folder is None:
            return
        records = [{k: v for k, v in d.as_dict().items() if k != "path"} for d in diagnostics]
        try:
            write_atomic(self.folder / f"{self.key(data)}.json", json.dumps(records, ensure_ascii=False))
        except OSError:
            pass  # a read-only project still validates; it just pays the compilation again
