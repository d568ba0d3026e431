"""Memory a layout freed, given back to the system (glibc's ``malloc_trim``); and Python's
cyclic collector run less often while a layout is made (``fewer_collections``), and never again
over what a process holds before its first layout (``spare_the_settled``).

In: nothing. Out: nothing; the process's resident memory shrinks to what it still uses.

Why: a layout pass (WeasyPrint's boxes) and a join of pieces (qpdf's objects, ``assemble``)
free their memory when done, but glibc keeps the freed heap for the process, so a build that
goes on to lay out the next text, or a worker its next piece, holds the last one's peak on top
of its own: a book's join left 130 MiB that the next text's layout then stood on. A no-op
where the C library has no ``malloc_trim`` (macOS, musl).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc

_settled = False   # whether this process has set aside what it held before its first layout


@functools.cache
def _trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Give the heap the process freed back to the system, where the C library can."""
    trim = _trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def fewer_collections(young: int = 5):
    """While the block runs, Python's cyclic collector looks at new objects ``young`` times less
    often (its first generation's threshold), then as before.

    Why: a layout makes millions of objects that live until it is done (boxes, styles, text
    layouts), and each collection of the young ones hands them on to be traversed again by the
    older generations' collections: a quarter of a book chapter's layout went to the collector.
    Five times less often: the book fixture's layout took 16 % less CPU, its largest worker 8 MiB
    more (129 → 137 MiB: cycles left for a later collection); ten times: 150 MiB for little more."""
    before = gc.get_threshold()
    gc.set_threshold(before[0] * young, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def spare_the_settled() -> None:
    """Once per process, before its first layout: what it holds now (the modules, WeasyPrint's
    and fontTools' tables, the project) is left out of every later collection (``gc.freeze``).

    Why: a full collection traverses every object the process tracks, and each layout makes two
    or three (the estimate's boxes let go, the full pass's): without the ~70,000 objects of the
    imports, a 19-page text's took 0.08 s instead of 0.13 s. What is held then is held to the end (code,
    caches); it is still freed when no longer referenced, but a cycle among it, garbage then or
    later, stays: once per process, at a time when the process has made no layout's garbage."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
