"""A pool of worker processes on this machine whose workers are replaced as they grow.

In: units of work (a module-level function and its picklable arguments) and the pool's limits:
``jobs`` workers, each replaced after ``tasks_per_worker`` units or once its resident memory
passed ``memory_mb`` (0: no such limit; ``[build] worker_tasks`` and ``worker_memory_mb`` in
``edition.toml``). Out: ``(index, result)`` pairs as the units finish (``run``).

Why our own pool: memory must stay bounded over thousands of texts (WeasyPrint's and lxml's
caches grow with every text a process lays out), and ``ProcessPoolExecutor``'s
``max_tasks_per_child`` waited forever on Python 3.11 once a worker retired (seen at 48 texts).
Here the parent gives each worker one unit at a time over a pipe; the worker answers with the
result and its resident memory, and the parent, between two units, tells a worker that reached
a limit to stop and starts a fresh one (``spawn``: a clean interpreter) in its place. A unit is
never lost in a replacement, and the results are the same whichever worker made them.

Workers ignore Ctrl-C: the parent decides. A worker that dies in a unit (killed, out of
memory) stops the run with E176 rather than wait for it for ever.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections import deque
from multiprocessing import get_context
from multiprocessing.connection import wait
from typing import Any, Callable, Iterator

from edition.diagnostics import EditionError, error

TASKS_PER_WORKER = 200      # units a worker makes before a fresh one takes its place
MEMORY_MB = 2048            # resident memory after which a worker is replaced
RECURSION_LIMIT = 8000      # as edition.build.RECURSION_LIMIT, in every worker
STOP_SECONDS = 10           # for a retiring worker to end before it is terminated
# What a worker takes from the build's environment, whatever its own: the date the outputs
# carry (two builds of the same inputs give the same bytes on any worker).
PASSED_ON = ("SOURCE_DATE_EPOCH",)

Work = tuple[Callable[..., Any], tuple]


def call(func: Callable[..., Any], args: tuple, environ: dict[str, str | None]) -> Any:
    """Run one unit in a worker, with the build's ``PASSED_ON`` environment and the parser's
    deep trees allowed (``allow_deep_nesting``)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    for name, value in environ.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return func(*args)


def environ() -> dict[str, str | None]:
    """The ``PASSED_ON`` variables of this process (None: unset)."""
    return {name: os.environ.get(name) for name in PASSED_ON}


def resident_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


def serve_units(conn) -> None:
    """A worker's life: make the units the parent sends until it sends None (or goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)   # the parent's SIGTERM ends this one
    while True:
        try:
            unit = conn.recv()
        except (EOFError, OSError):
            return
        if unit is None:
            return
        func, args, env = unit
        try:
            answer = ("ok", call(func, args, env))
        except BaseException as exc:  # noqa: BLE001 — raised again in the parent
            if not isinstance(exc, EditionError):
                exc.add_note("in a worker process:\n" + "".join(traceback.format_exception(exc)))
            answer = ("error", exc)
        try:
            conn.send((answer, resident_mb()))
        except Exception as exc:  # noqa: BLE001 — a result or error that does not pickle
            conn.send((("error", RuntimeError(f"a worker's answer could not be sent back: {exc!r}")), resident_mb()))


class _Worker:
    def __init__(self, context):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve_units, args=(child,), daemon=True, name="edition-worker")
        self.process.start()
        child.close()
        self.units = 0

    def retire(self) -> None:
        """Ask the worker to end (it ends once it read this; ``stop`` waits for it)."""
        try:
            self.conn.send(None)
        except OSError:
            pass   # gone already

    def stop(self, terminate: bool = False) -> None:
        """End the worker: asked to (it finishes nothing more), or terminated."""
        if not terminate:
            self.retire()
        elif self.process.is_alive():
            self.process.terminate()
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class LocalPool:
    """``jobs`` worker processes on this machine (module docstring)."""

    def __init__(self, jobs: int, tasks_per_worker: int = TASKS_PER_WORKER, memory_mb: int = MEMORY_MB):
        self.jobs = jobs
        self.tasks_per_worker = tasks_per_worker
        self.memory_mb = memory_mb
        self.started = 0          # workers started, replacements included
        self.replaced = 0         # workers replaced on reaching a limit
        self._context = get_context("spawn")
        self._idle: list[_Worker] = []
        self._retired: list[_Worker] = []   # told to end; waited for by ``close``

    def _send(self, unit: tuple) -> _Worker:
        """Give a unit to an idle worker, or to a new one (an idle one gone meanwhile is replaced)."""
        while self._idle:
            worker = self._idle.pop()
            try:
                worker.conn.send(unit)
                return worker
            except OSError:
                worker.stop(terminate=True)
        self.started += 1
        worker = _Worker(self._context)
        worker.conn.send(unit)
        return worker

    def _spent(self, worker: _Worker, memory: float) -> bool:
        return ((self.tasks_per_worker > 0 and worker.units >= self.tasks_per_worker)
                or (self.memory_mb > 0 and memory > self.memory_mb))

    def run(self, work: list[Work]) -> Iterator[tuple[int, Any]]:
        """Each unit's result with its index in ``work``, as the units finish."""
        env = environ()
        queue = deque(enumerate(work))
        busy: dict[Any, tuple[_Worker, int]] = {}
        try:
            while queue or busy:
                while queue and len(busy) < self.jobs:
                    index, (func, args) = queue.popleft()
                    worker = self._send((func, args, env))
                    busy[worker.conn] = (worker, index)
                ready = wait([*busy, *(w.process.sentinel for w, _ in busy.values())])
                for conn in [c for c in busy if c in ready or busy[c][0].process.sentinel in ready]:
                    worker, index = busy.pop(conn)
                    try:
                        (status, value), memory = conn.recv()
                    except (EOFError, OSError):
                        worker.stop(terminate=True)
                        raise EditionError(error(
                            "E176", f"a worker process stopped while it made unit {index + 1} of {len(work)} "
                                    f"(exit status {worker.process.exitcode})",
                            hint="it may have run out of memory: lower [build] worker_memory_mb, or build with "
                                 "fewer --jobs")) from None
                    worker.units += 1
                    if status == "error":
                        self._idle.append(worker)
                        raise value
                    if self._spent(worker, memory):
                        self.replaced += 1
                        worker.retire()   # the next unit starts a fresh worker meanwhile
                        self._retired.append(worker)
                    else:
                        self._idle.append(worker)
                    yield index, value
        finally:
            for worker, _ in busy.values():   # a run given up half-way: its units are not wanted
                worker.stop(terminate=True)

    def close(self) -> None:
        """Stop the workers; what is still queued is dropped (a build that stops early)."""
        while self._idle:
            self._idle.pop().stop()
        while self._retired:
            self._retired.pop().stop()
