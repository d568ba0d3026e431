"""Where the packaged data lives: the TEI schema, templates and static assets.

In a wheel, templates are package data under ``edition/templates``; in a checkout
(editable install) they are the repository's top-level ``templates/`` folder.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from edition import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
TEI_ALL_RNG = DATA_DIR / "tei_all.rng"


def templates_dir() -> Path:
    """The packaged templates folder (wheel) or the checkout's ``templates/``."""
    packaged = PACKAGE_DIR / "templates"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "templates"


def static_dir() -> Path:
    """Static assets (CSS, JS, fonts) shipped with the templates."""
    return templates_dir() / "static"


@functools.cache
def package_fingerprint() -> str:
    """One fingerprint of the installed tool: its version and every file of the package.

    Every cache that must not outlive a change of the code keys on it (the build record, the
    validator's results, the volume's pieces, the formatted citations), so no list of "the
    files that matter" is kept by hand. Computed once per process.
    """
    return fingerprint_of(PACKAGE_DIR)


def fingerprint_of(folder: Path) -> str:
    """The version and the stamp (size and mtime) of every file below ``folder``: stat-based,
    so an edited checkout changes it without every font and schema being read on each build."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        stat = path.stat()
        digest.update(f"{path.relative_to(folder).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
