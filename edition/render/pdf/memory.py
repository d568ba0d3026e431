"""Memory a layout freed, given back to the system (glibc's ``malloc_trim``).

In: nothing. Out: nothing; the process's resident memory shrinks to what it still uses.

Why: a layout pass (WeasyPrint's boxes) and a join of pieces (qpdf's objects, ``assemble``)
free their memory when done, but glibc keeps the freed heap for the process, so a build that
goes on to lay out the next text, or a worker its next piece, holds the last one's peak on top
of its own: a book's join left 130 MiB that the next text's layout then stood on. A no-op
where the C library has no ``malloc_trim`` (macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


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
