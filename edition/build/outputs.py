"""What each renderer made, as the build record keeps it, and the removal of what it no longer makes.

In: the build folder, the record (``edition.build.cache.Manifest``), one renderer's target and
the files it wrote or counted as made (``edition.fsutil.recording_writes``). Out: the list of
its outputs (paths relative to the build folder) for the record; after a complete run, the
outputs it made before and makes no more are deleted (those of a removed text), never by their
names: a text called ``html`` or ``index`` removes only its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from edition.build.cache import CACHE_DIR, Manifest


def track_outputs(root: Path, manifest: Manifest, target: str, made: set[Path], complete: bool) -> list[str]:
    """The renderer's outputs, as the manifest records them; after a complete run, delete the
    outputs it made before and makes no more (those of removed texts), never a file of the
    build record (``.cache``) nor one another renderer made. Paths are plain strings here: a
    corpus's build has tens of thousands of files."""
    top = os.path.abspath(root) + os.sep
    made_rel = set()
    for path in made:
        full = os.path.abspath(path)
        if full.startswith(top):
            made_rel.add(Path(full[len(top):]).as_posix() if os.sep != "/" else full[len(top):])
    known = set(manifest.step(target).outputs)
    if not complete:
        return sorted(known | made_rel)
    others = {rel for name, record in manifest.steps.items() if name != target for rel in record.outputs}
    for rel in sorted(known - made_rel - others):
        if Path(rel).parts[:1] != (CACHE_DIR,):
            (root / rel).unlink(missing_ok=True)
            _prune_empty(root, (root / rel).parent)
    return sorted(made_rel)


def _prune_empty(root: Path, folder: Path) -> None:
    """Remove folders left empty by a deletion, up to (not including) ``root``."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
