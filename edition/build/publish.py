"""The build as a transaction: outputs are made in a staging folder and published at once.

In: the live output folder (``build/``). Out: ``Staging``, a context that gives the build a
private copy of ``build/`` to write into (``.build.staging`` beside it) and, on ``publish()``,
puts that copy in the place of ``build/`` in one step. Whatever stops the build before then
(an error, Ctrl-C, SIGTERM, SIGKILL, a full disk) leaves ``build/`` exactly as the last build
that finished left it; ``serve``, which reads ``build/html`` by name on every request, never
sees half of a build.

Why a copy made of hard links: every output is written by ``edition.fsutil.write_atomic``,
which replaces a file by renaming a new one over it and never writes into an existing file.
So the staging folder can share the unchanged outputs' data with ``build/`` (one link per
file, no bytes copied) and a renderer that rewrites an output there leaves the published one
untouched. Where links are refused (some file systems), files are copied.

Why an exchange: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically (Linux). Where
it is missing, ``build/`` is first renamed aside and the staging folder renamed into place; a
build killed between the two renames leaves ``build/`` absent and the previous build beside it,
which the next build (or ``recover``) puts back before anything else.

Builds of one project run one at a time: ``edition.build`` holds a lock (``flock`` on the
folder holding ``build/``) around the whole build, so a second build waits for the first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path


STAGING_SUFFIX = ".staging"
ASIDE_SUFFIX = ".previous"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _libc_renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system cannot (then nothing changed)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _sibling(live: Path, suffix: str) -> Path:
    return live.parent / f".{live.name}{suffix}"


def recover(live: Path) -> None:
    """Undo what a killed build left: the previous build set aside, a staging folder."""
    aside = _sibling(live, ASIDE_SUFFIX)
    if aside.is_dir() and not live.exists():
        os.rename(aside, live)
    for leftover in (aside, _sibling(live, STAGING_SUFFIX)):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def mirror(source: Path, target: Path) -> int:
    """Make ``target`` a copy of ``source`` by hard links (copies where links fail); files linked."""
    count = 0
    target.mkdir(parents=True)
    if not source.is_dir():
        return 0
    can_link = True
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        for name in dirs:
            (target / rel / name).mkdir()
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                continue  # a temporary file of a build that was killed
            src, dst = Path(folder) / name, target / rel / name
            if src.is_symlink():
                continue  # a build never makes links; one put here is not published again
            if can_link:
                try:
                    os.link(src, dst)
                    count += 1
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
                        raise
                    can_link = False
            shutil.copy2(src, dst)
            count += 1
    return count


class Staging:
    """``with Staging(build_dir) as stage:`` … write into ``stage`` … ``staging.publish()``."""

    def __init__(self, live: Path):
        # the real folder, when build/ is a link to one elsewhere: the swap happens there
        self.live = live.resolve() if live.is_symlink() else live.absolute()
        self.stage = _sibling(self.live, STAGING_SUFFIX)
        self.published = False

    def __enter__(self) -> Path:
        """Clear what a killed build left and make the staging copy (the caller holds the lock)."""
        recover(self.live)
        try:
            mirror(self.live, self.stage)
        except BaseException:
            shutil.rmtree(self.stage, ignore_errors=True)
            raise
        return self.stage

    def publish(self) -> None:
        """Put the staging folder in the place of ``build/``, in one step; drop the old build."""
        if not self.live.exists():
            os.rename(self.stage, self.live)
        elif not exchange(self.stage, self.live):
            aside = _sibling(self.live, ASIDE_SUFFIX)
            os.rename(self.live, aside)
            os.rename(self.stage, self.live)
            shutil.rmtree(aside, ignore_errors=True)
        self.published = True
        shutil.rmtree(self.stage, ignore_errors=True)  # after an exchange: the previous build

    def __exit__(self, *exc) -> None:
        if self.stage.exists():  # a build that stopped: its staging folder is dropped
            shutil.rmtree(self.stage, ignore_errors=True)
