"""``release_memory``: the heap a layout freed goes back to the system, so a build that lays out
one text after another does not hold the last one's peak (``edition.render.pdf.memory``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_heap_is_given_back():
    from edition.render.pdf.memory import _trim, release_memory

    if _trim() is None:
        pytest.skip("this C library has no malloc_trim")
    release_memory()
    before = resident_mib()
    # many small objects, as a layout's boxes are: from the heap, not mapped one by one
    held = [bytearray(2000) for _ in range(60_000)]   # past pymalloc (512 bytes): glibc's heap
    grown = resident_mib()
    assert grown - before > 100
    del held[:-1]   # all but the last: the heap's top stays in use, so only a trim gives it back
    kept = resident_mib()
    release_memory()
    after = resident_mib()
    assert kept - before > 80, "the C library gave the memory back by itself: nothing to test"
    assert after - before < 30, (before, grown, kept, after)
