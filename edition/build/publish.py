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

``edition serve``, which builds again and again, keeps the previous build (``.build.spare``)
instead of removing it, and makes the next staging folder from it by its differences
(``edition.build.spare``); any other build removes a kept one.

Builds of one project run one at a time: ``edition.build`` holds a lock (``flock`` on the
folder holding ``build/``) around the whole build, so a second build waits for the first.

``build_lock`` and ``in_staging`` are how a command uses all this (``edition build``,
``edition pdf``): hold the lock, then run the work on a copy of the project whose outputs go to
the staging folder, and publish it when the work returned.
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import glob
import itertools
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, TypeVar

from edition.diagnostics import CannotRun, Diagnostic, EditionError
from edition.failures import system_error
from edition.fsutil import locked

STAGING_SUFFIX = ".staging"
SPARE_SUFFIX = ".spare"   # the previous build kept as the next staging folder (``edition.build.spare``)
ASIDE_SUFFIX = ".previous"
OLD_SUFFIX = ".old-"  # + pid and a number: a previous build being removed (``remove_later``)
_NUMBERS = itertools.count()
_REMOVING: list[threading.Thread] = []
_REMOVING_LOCK = threading.Lock()
_RENAME_EXCHANGE = 2
T = TypeVar("T")
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
    old = list(live.parent.glob(f".{glob.escape(live.name)}{OLD_SUFFIX}*"))
    for leftover in (aside, _sibling(live, STAGING_SUFFIX), *old):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def remove_later(folder: Path, live: Path) -> None:
    """Remove a previous build after the new one is published, in a thread of its own.

    Why later: removing a build's files takes about as long as linking them (0.2 s for 400
    files); done before ``build`` returns, it would delay the moment ``serve`` tells open pages
    that the build changed, after they could already see it. The folder is first renamed to a
    name of its own (``.build.old-<pid>-<n>``), so the next build's staging folder is never
    the one being removed; one left by a killed process is removed by ``recover``.
    """
    target = _sibling(live, f"{OLD_SUFFIX}{os.getpid()}-{next(_NUMBERS)}")
    os.rename(folder, target)
    # not a daemon: the command waits for it at exit rather than leave the folder behind
    thread = threading.Thread(target=shutil.rmtree, args=(target,), kwargs={"ignore_errors": True},
                              name="edition-remove-old-build")
    with _REMOVING_LOCK:
        _REMOVING.append(thread)
    thread.start()


def wait_for_removals() -> None:
    """Wait until every previous build set for removal is gone."""
    with _REMOVING_LOCK:
        threads, _REMOVING[:] = list(_REMOVING), []
    for thread in threads:
        thread.join()


def mirror(source: Path, target: Path) -> int:
    """Make ``target`` a copy of ``source`` by hard links (copies where links fail); files linked."""
    target.mkdir(parents=True)
    if not source.is_dir():
        return 0
    linking = [True]   # until the file system refuses a link: then copies
    return _mirror_folder(os.fspath(source), os.fspath(target), linking)


def _mirror_folder(source: str, target: str, linking: list[bool]) -> int:
    """``mirror`` of one folder, by ``os.scandir`` and plain strings: a build of tens of
    thousands of files (a corpus's DTS answers) is linked in a fraction of a second."""
    count = 0
    with os.scandir(source) as entries:
        for entry in entries:
            dst = os.path.join(target, entry.name)
            if entry.is_symlink():
                continue  # a build never makes links; one put here is not published again
            if entry.is_dir():
                os.mkdir(dst)
                count += _mirror_folder(entry.path, dst, linking)
                continue
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                continue  # a temporary file of a build that was killed
            if linking[0]:
                try:
                    os.link(entry.path, dst)
                    count += 1
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
                        raise
                    linking[0] = False
            shutil.copy2(entry.path, dst)
            count += 1
    return count


class Staging:
    """``with Staging(build_dir) as stage:`` … write into ``stage`` … ``staging.publish()``."""

    def __init__(self, live: Path, keep: bool = False):
        # the real folder, when build/ is a link to one elsewhere: the swap happens there
        self.live = live.resolve() if live.is_symlink() else live.absolute()
        self.stage = _sibling(self.live, STAGING_SUFFIX)
        self.published = False
        # keep the previous build beside build/ to make the next staging copy from it (serve)
        self.keep = keep
        self.spare = _sibling(self.live, SPARE_SUFFIX)

    def __enter__(self) -> Path:
        """Clear what a killed build left and make the staging copy (the caller holds the lock):
        from the kept previous build when there is one and this build keeps them, else anew."""
        recover(self.live)
        try:
            if self.keep and self.spare.is_dir() and not self.spare.is_symlink() and self.live.is_dir():
                from edition.build.spare import sync

                os.rename(self.spare, self.stage)
                sync(os.fspath(self.live), os.fspath(self.stage))
            else:
                drop_spare(self.live)
                mirror(self.live, self.stage)
        except BaseException:
            shutil.rmtree(self.stage, ignore_errors=True)
            raise
        return self.stage

    def publish(self) -> None:
        """Put the staging folder in the place of ``build/``, in one step; drop the old build."""
        if not self.live.exists():
            os.rename(self.stage, self.live)
        elif exchange(self.stage, self.live):   # the staging name now holds the previous build
            if self.keep:
                os.rename(self.stage, self.spare)
            else:
                remove_later(self.stage, self.live)
        else:
            aside = _sibling(self.live, ASIDE_SUFFIX)
            os.rename(self.live, aside)
            os.rename(self.stage, self.live)
            remove_later(aside, self.live)
        self.published = True

    def __exit__(self, *exc) -> None:
        if self.stage.exists():  # a build that stopped: its staging folder is dropped
            shutil.rmtree(self.stage, ignore_errors=True)


def drop_spare(live: Path) -> None:
    """Remove the previous build a build kept (``Staging(keep=True)``), if any."""
    live = live.resolve() if live.is_symlink() else live.absolute()
    spare = _sibling(live, SPARE_SUFFIX)
    if spare.is_dir() and not spare.is_symlink():
        try:
            remove_later(spare, live)
        except FileNotFoundError:
            pass                     # another process's build removed it first


@contextmanager
def build_lock(project):
    """Hold the project's build lock (one build at a time) and undo what a killed
    build left, before anything reads ``build/``."""
    live = project.build_dir
    live.parent.mkdir(parents=True, exist_ok=True)
    with locked(live.parent):
        recover(live)
        yield


def in_staging(project, work: Callable[[Any], T], keep: bool = False) -> tuple[T, Path]:
    """Run ``work`` on the project with its outputs going to a staging copy of ``build/``, then
    publish that copy whole (``Staging``); return what ``work`` returned and the staging
    folder's path (where its outputs were made). Whatever stops ``work`` leaves ``build/`` as it
    was: the error names the files where they would have been published, a refusal of the system
    (a full disk, a folder that cannot be written) is a located ``CannotRun`` (exit 2). The
    caller holds ``build_lock``. ``keep``: the previous build is kept to make the next staging
    copy from (``edition.build.spare``; ``edition serve``, which builds again and again)."""
    live = project.build_dir
    staging = Staging(live, keep)
    with staging as stage:
        staged = dataclasses.replace(project, output_dir=stage)
        try:
            value = work(staged)
        except EditionError as exc:
            raise type(exc)(*unstage(exc.diagnostics, stage, live)) from None
        except OSError as exc:  # a full disk, a folder that cannot be written: say where
            raise CannotRun(*unstage([system_error(exc)], stage, live)) from exc
        staging.publish()
    return value, stage


def unstage(diagnostics: list[Diagnostic], stage: Path, live: Path) -> list[Diagnostic]:
    """Diagnostics that name a file of the staging folder name it where it is published."""
    fixed = []
    for diagnostic in diagnostics:
        if diagnostic.path:
            path = Path(diagnostic.path).absolute()
            if path.is_relative_to(stage):
                diagnostic = dataclasses.replace(diagnostic, path=_display(live / path.relative_to(stage)))
        fixed.append(diagnostic)
    return fixed


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
