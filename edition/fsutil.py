"""Atomic file output: write to a temporary path beside the target, then rename.

In: bytes or text and a target path. Out: the target replaced whole, or left as it was.
An interrupted build therefore never leaves a half-written output, and an unchanged
output is not rewritten (its mtime stays), which keeps no-op rebuilds cheap.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from edition.diagnostics import Diagnostic, error

try:
    import fcntl
except ImportError:  # not on POSIX: builds are not serialised
    fcntl = None

# Sets that ``recording_writes`` hands out: every path given to ``write_atomic`` meanwhile
# (rewritten or found unchanged) is added, so the build knows every output a renderer makes.
_RECORDERS: list[set[Path]] = []
_RECORDERS_LOCK = threading.Lock()


@contextmanager
def recording_writes():
    """Collect every path ``write_atomic`` is asked to write (from any thread) meanwhile."""
    seen: set[Path] = set()
    with _RECORDERS_LOCK:
        _RECORDERS.append(seen)
    try:
        yield seen
    finally:
        with _RECORDERS_LOCK:
            _RECORDERS.remove(seen)


def claim(paths) -> None:
    """Count files as made by the current step although they were not written again
    (an output kept because its inputs did not change)."""
    with _RECORDERS_LOCK:
        for seen in _RECORDERS:
            seen.update(Path(p) for p in paths)


@contextmanager
def locked(folder: str | Path):
    """Hold an exclusive lock on ``folder`` (waits for another process holding it)."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_atomic(path: str | Path, data: bytes | str, *, only_if_changed: bool = True,
                 durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically; return True if the file was (re)written.

    With ``only_if_changed`` an identical existing file is left untouched. ``durable=False``
    skips the fsync, for outputs of thousands of small files (the rename stays atomic).
    """
    path = Path(path)
    if _RECORDERS:
        claim([path])
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if only_if_changed and path.is_file():
        try:
            if path.read_bytes() == payload:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.filename in (None, tmp):
            raise _naming(exc, path) from exc
        raise
    return True


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` as it names the file being written: a write to a full disk names no file at all,
    a temporary file's name means nothing to the user."""
    return type(exc)(exc.errno, exc.strerror, str(path))


def check_input_file(path: Path, root: Path | None, limit: int, what: str = "TEI file") -> Diagnostic | None:
    """None when ``path`` may be read: a regular file (inside ``root`` when given) of at most
    ``limit`` bytes, readable; else the error that says why not.

    Checked before a byte is read: reading a FIFO blocks for ever, /dev/zero never ends, a
    folder named x.xml cannot be read at all.
    """
    try:
        info = path.stat()
    except OSError as exc:
        if path.is_symlink():
            cause = "a link that loops" if exc.errno == 40 else "a link that leads nowhere"
        else:
            cause = f"unreadable ({exc.strerror})"
        return error("E152", f"the {what} is {cause}", path, hint="remove it or make it a regular file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, a device, a socket)"
        return error("E152", f"'{path.name}' is {kind}; a {what} must be a regular file", path,
                     hint="rename or remove it")
    if root is not None:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            return error("E153", f"the {what} is a link to a file outside the project ({real})", path,
                         hint="copy the file into the project instead of linking to it")
    if info.st_size > limit:
        return error("E154", f"the {what} is {info.st_size / 1048576:.0f} MB, over the limit of "
                     f"{limit // 1048576} MB", path, hint="split the text, or raise [edition] max_file_mb")
    if not os.access(path, os.R_OK):
        return error("E152", f"the {what} cannot be read (permission denied)", path,
                     hint="check its permissions")
    return None


def digest(*parts: bytes | str) -> str:
    """The SHA-256 of the parts, each ended by a NUL byte (so ("ab", "c") and ("a", "bc") differ)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()
