"""Where the packaged data lives: the TEI schema, templates and static assets.

In a wheel, templates are package data under ``edition/templates``; in a checkout
(editable install) they are the repository's top-level ``templates/`` folder.
"""

from __future__ import annotations

from pathlib import Path

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
