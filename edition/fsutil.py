"""Atomic file output: write to a temporary path beside the target, then rename.

In: bytes or text and a target path. Out: the target replaced whole, or left as it was.
An interrupted build therefore never leaves a half-written output, and an unchanged
output is not rewritten (its mtime stays), which keeps no-op rebuilds cheap.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes | str, *, only_if_changed: bool = True,
                 durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically; return True if the file was (re)written.

    With ``only_if_changed`` an identical existing file is left untouched. ``durable=False``
    skips the fsync, for outputs of thousands of small files (the rename stays atomic).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if only_if_changed and path.is_file():
        try:
            if path.read_bytes() == payload:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True
