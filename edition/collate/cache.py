"""The collation's cache: the witnesses read and aligned into containers, kept between runs.

In: what ``collate_witnesses`` reads (the witnesses' sigla, paths and texts, the general rules,
the text's ``[[paratext]]`` and ``[structure]``, the units an editor split or merged) and the
folder of the cache. Out: the witnesses and containers of an earlier run with the same inputs,
or None; ``store`` keeps a run's.

Why: an editor's overrule of a unit's type, an accepted decision or an emendation changes
nothing that comes before the containers are built (reading, alignment, segmentation: about
three quarters of collating a book), yet each runs the collation again. Loading the pickled
containers takes a quarter of the time of making them (measured on two 100,000-word witnesses:
0.24 s against 0.90 s).

Correct for any text because the key is a hash of every input of those steps, and of the
tool's own code (``package_fingerprint``): a changed witness, rule or program makes a new key;
nothing is ever invalidated by hand. The steps after (placing, emending, typing, writing the
TEI) run on every collation, so the TEI is the same bytes either way (tested).

Where: ``<project>/.cache/collate/<text id>-<key>.pickle`` (git-ignored; beside the validator's
cache, not in ``build/``, which a build replaces whole), at most ``KEEP`` a text, the oldest
dropped. An entry that cannot be read is ignored; deleting the folder is always safe. The
files are the tool's own, written by it in the project: nothing else is unpickled.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pickle
from pathlib import Path

from edition.fsutil import write_atomic
from edition.resources import package_fingerprint

FOLDER = Path(".cache") / "collate"
KEEP = 3          # entries a text: the units as aligned, as the editor split or merged them, one more
VERSION = "1"


def key(texts: list[tuple[str, Path, str]], crules, trules, forced: dict | None) -> str:
    """The hash of every input of reading, aligning and segmenting the witnesses."""
    digest = hashlib.sha256(f"collate-cache {VERSION}\0{package_fingerprint()}\0".encode())
    for siglum, path, text in texts:
        digest.update(f"{siglum}\0{path}\0{len(text)}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
    rules = {"general": [str(crules.path), crules.data],
             "text": [str(trules.path), trules.tables("paratext"), trules.table("structure")],
             "forced": sorted([list(at), action] for at, action in (forced or {}).items())}
    digest.update(json.dumps(rules, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:32]


def _path(folder: Path, text_id: str, ident: str) -> Path:
    return folder / f"{text_id}-{ident}.pickle"


def load(folder: Path, text_id: str, ident: str):
    """(witnesses, containers) of an earlier run with this key, or None."""
    path = _path(folder, text_id, ident)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        made = pickle.loads(data)
    except Exception:  # noqa: BLE001 (a file cut short, or not ours: made again)
        return None
    try:
        os.utime(path)     # the most recently used are kept (``store``)
    except OSError:
        pass
    return made


def store(folder: Path, text_id: str, ident: str, made) -> None:
    """Keep ``made`` (witnesses, containers) under the key; drop the text's oldest beyond ``KEEP``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(_path(folder, text_id, ident), pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        mine = sorted(folder.glob(f"{glob.escape(text_id)}-{'[0-9a-f]' * 32}.pickle"),
                      key=lambda p: p.stat().st_mtime_ns)
        for old in mine[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass               # a cache that cannot be written is only slower next time
