"""Progress of long work: texts and pieces done, the layout pass, the page being laid out.

In: events from the PDF renderer (``task`` when a run of books starts, ``book`` and ``finished``
around each book, ``layout_pass`` per WeasyPrint pass, and WeasyPrint's own page messages,
read from its ``weasyprint.progress`` logger), and from the web pages' renderer (``task``, then
``book_done`` as each text's pages are made, here or by a worker). Out: on a terminal, one status line redrawn in
place (a bar of the books done, the time left at the pace so far, the current book, pass and
page); otherwise plain lines, one per book started and per pass, for logs. Nothing when no
``Progress`` is active (``reporting``), as in the tests and for ``--quiet``.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import sys
import time

_CURRENT: contextvars.ContextVar[Progress | None] = contextvars.ContextVar("edition_pdf_progress", default=None)
_PAGE = re.compile(r"Creating layout - Page (\d+)")
WIDTH = 24


class Progress:
    """Where progress is shown (module doc): ``bar`` on a terminal, plain lines otherwise."""

    def __init__(self, stream=None, *, bar: bool | None = None):
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.label, self.total, self.done = "", 0, 0
        self.current, self.passes, self.page = "", 0, 0
        self.started = time.monotonic()
        self._drawn = 0

    def task(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = time.monotonic()

    def book(self, name: str) -> None:
        self.current, self.passes, self.page = name, 0, 0
        if not self.bar:
            self._line(f"{self.label} {self.done + 1}/{self.total}: laying out {name}")
        self._draw()

    def part(self, name: str) -> None:
        """A piece of the book being laid out (the volume's), not counted as a book done."""
        self.current, self.passes, self.page = name, 0, 0
        if not self.bar:
            self._line(f"  laying out {name}")
        self._draw()

    def book_done(self, name: str, note: str = "", done: str = "laid out") -> None:
        """A book laid out elsewhere (a worker process) is done: counted and said at once
        (``done``: what was done to it, a text's web pages "made")."""
        self.done += 1
        if not self.bar:
            self._line(f"{self.label} {self.done}/{self.total}: {name} {done}" + (f" ({note})" if note else ""))
        self._draw()

    def layout_pass(self) -> None:
        self.passes += 1
        self.page = 0
        if not self.bar and self.passes > 1:
            self._line(f"  {self.current}: layout pass {self.passes}")
        self._draw()

    def page_done(self, page: int) -> None:
        self.page = page
        self._draw()

    def finished(self, note: str = "") -> None:
        self.done += 1
        if not self.bar and note:
            self._line(f"  {self.current}: {note}")
        # the line is cleared between books: what the caller prints next starts on a clean line
        self.close()

    def close(self) -> None:
        if self.bar and self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def _left(self) -> str:
        if not self.done or self.done >= self.total:
            return ""
        per = (time.monotonic() - self.started) / self.done
        return f", ~{per * (self.total - self.done):.0f} s left"

    def _draw(self) -> None:
        if not self.bar:
            return
        filled = WIDTH * self.done // max(self.total, 1)
        where = self.current + (f": pass {self.passes}" if self.passes else "") + (f", page {self.page}" if self.page else "")
        text = (f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self.done}/{self.total}"
                f"{self._left()} · {where}")[:150]
        self.stream.write("\r" + text.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(text)

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class _Null:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def current() -> Progress | _Null:
    """The active ``Progress``, or one that shows nothing."""
    return _CURRENT.get() or _Null()


class _Pages(logging.Handler):
    """WeasyPrint's page messages, as pages laid out."""

    def emit(self, record: logging.LogRecord) -> None:
        found = _PAGE.search(record.getMessage())
        progress = _CURRENT.get()
        if found and progress is not None:
            progress.page_done(int(found.group(1)))


@contextlib.contextmanager
def reporting(progress: Progress | None):
    """Within the block, the PDF renderer reports to ``progress`` (None: to nothing)."""
    if progress is None:
        yield None
        return
    token = _CURRENT.set(progress)
    logger = logging.getLogger("weasyprint.progress")
    handler, level = _Pages(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield progress
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        _CURRENT.reset(token)
        progress.close()
