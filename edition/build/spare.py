"""The previous build kept as the next staging folder, brought up to date by its differences.

In: the live output folder (``build/``) and a folder that was an earlier copy of it made of hard
links (the build it replaced, kept by ``edition serve``: ``.build.spare``). Out: that folder made
equal to ``build/`` again: what ``publish.mirror`` makes from nothing, at the cost of what
changed.

Why: ``serve`` rebuilds a text's page in its own build (``edition.serve.phases``), which, like
every build, writes into a staging copy of ``build/``. Made anew, the copy costs a link for every
file and the previous build a removal for every file: in an edition whose DTS answers run to
17,000 files, half a second of the second an editor waits to see an overrule in the text's page.

Why it is right: every output is written by ``edition.fsutil.write_atomic``, which puts a new
file (a new inode) in place and never writes into an existing one. So an entry of the kept
folder that is the same inode as the live file of that name is that file, bytes and all; any
other (a file the last build rewrote, one it removed, one that is new) is linked again, removed
or added. The kept folder is only ever touched under the build lock.
"""

from __future__ import annotations

import errno
import os
import shutil

# A file system that refuses hard links: the file is copied (as ``publish.mirror`` does).
NO_LINKS = (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP)


def sync(source: str, target: str) -> int:
    """Make ``target`` (an earlier hard-link copy of ``source``) equal to ``source``; the number
    of files linked or copied anew."""
    with os.scandir(source) as entries:
        wanted = {e.name: e for e in entries if not e.is_symlink() and not _temporary(e)}
    with os.scandir(target) as entries:
        have = {e.name: e for e in entries}
    count = 0
    for name, old in have.items():
        new = wanted.get(name)
        if new is None or old.is_symlink() or new.is_dir() != old.is_dir(follow_symlinks=False):
            _remove(old)
            have[name] = None
    for name, new in wanted.items():
        old = have.get(name)
        dst = os.path.join(target, name)
        if new.is_dir():
            if old is None:
                os.mkdir(dst)
            count += sync(new.path, dst)
            continue
        if old is not None and old.inode() == new.inode():
            continue                    # the same file (write_atomic never writes into one)
        if old is not None:
            os.unlink(old.path)
        _link(new.path, dst)
        count += 1
    return count


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in NO_LINKS:
            raise
        shutil.copy2(source, target)


def _temporary(entry: os.DirEntry) -> bool:
    return entry.name.startswith(".") and entry.name.endswith(".tmp")   # of a build that was killed


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)
