"""An attribute of another library (WeasyPrint, fontTools) replaced only while a block runs.

In: the owner (a module or class), the attribute's name and its replacement. Out: a context
manager, ``Patch.applied()``, that puts the replacement in place on entering and the original
back when the last block using it leaves.

Why counted and locked: the blocks nest (a volume lays out texts inside its own block) and run
in threads (serve's build, the search index), so the first block to enter patches, the last to
leave restores, and no block finds the original in place while another still relies on the
replacement.
"""

from __future__ import annotations

import contextlib
import threading


class Patch:
    """``owner.name`` replaced by ``replacement`` while any ``applied()`` block runs."""

    def __init__(self, owner, name: str, replacement):
        self.owner, self.name, self.replacement = owner, name, replacement
        self.original = getattr(owner, name)
        self._lock = threading.Lock()
        self._depth = 0

    @contextlib.contextmanager
    def applied(self):
        with self._lock:
            if self._depth == 0:
                setattr(self.owner, self.name, self.replacement)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    setattr(self.owner, self.name, self.original)
