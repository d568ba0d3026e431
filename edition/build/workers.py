"""Per-text work spread over processes: every core of this machine, or a Dask cluster.

In: units of work, each a module-level function and its (picklable) arguments: one text's
layout, say (``edition.render.pdf.pertext``). Out: ``(index, result)`` pairs as the units finish,
in any order; the caller puts them back in the texts' order, so that no output depends on which
worker finished first. A worker writes nothing of the build: its results come back as data
and the build writes them into its staging folder (``edition.build.publish``).

Two backends behind one interface (``run``, ``close``), chosen by ``open_pool``:

- ``LocalPool`` (``edition.build.localpool``): ``--jobs`` worker processes on this machine
  (``spawn``ed, so a worker starts from a clean interpreter). A worker is replaced after
  ``[build] worker_tasks`` units or once its memory passed ``[build] worker_memory_mb``, which
  bounds the memory a long run can gather (WeasyPrint's and lxml's caches). Workers ignore
  Ctrl-C: the parent decides, drops what is queued and stops them (``edition.signals``
  sends them SIGTERM on Ctrl-C and SIGTERM alike).
- ``DaskPool``: the workers of a Dask ``distributed`` scheduler (``--scheduler tcp://host:8786``;
  the optional extra ``edition[cluster]``). On connect every worker must run the same tool
  (``package_fingerprint``) and see the project at the same path with the same
  ``edition.toml``, else nothing is sent (E172, E173). A worker lost mid-build has its texts
  run again by Dask on another; when none is left for ``NO_WORKER_SECONDS`` the build stops
  (E174) and ``build/`` stays as it was.

``--jobs 1`` and no scheduler mean no pool at all: the renderers run their own loop in this
process, the reference the pools are tested against (byte-identical outputs).
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from edition import __version__
from edition.build.localpool import (
    MEMORY_MB,
    TASKS_PER_WORKER,
    LocalPool,
    Work,
    call,
    environ,
)
from edition.diagnostics import CannotRun, EditionError, error
from edition.project import PROJECT_FILE, Project
from edition.resources import package_fingerprint
from edition.tomlcheck import _line_in

CONNECT_SECONDS = 10        # to reach a scheduler, and for its first worker to show up
CHECK_SECONDS = 1.0         # nothing finished for this long: the cluster is asked whether it has workers
NO_WORKER_SECONDS = 60      # a cluster without a single worker for this long: the build stops


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class DaskPool:
    """The workers of a Dask scheduler (module docstring)."""

    def __init__(self, address: str, project: Project, warm: tuple[str, ...] = ()):
        try:
            import dask
            import distributed
        except ImportError:
            raise CannotRun(error("E170", "--scheduler needs Dask's distributed, which is not installed",
                                  hint="pip install 'edition[cluster]'")) from None
        self._distributed = distributed
        # results straight from the workers, not through the scheduler (one copy of each PDF
        # less, on the scheduler's core), unless Dask's own settings say otherwise
        direct = dask.config.get("distributed.client.direct-to-workers", None)
        try:
            self.client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False,
                                             direct_to_workers=True if direct is None else direct)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CannotRun(error("E171", f"cannot reach the Dask scheduler at {address}: {exc}",
                                  hint="start it with 'dask scheduler', or check the address")) from None
        try:
            try:
                self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            except TimeoutError:
                raise CannotRun(error("E171", f"the Dask scheduler at {address} has no worker",
                                      hint="start one with 'dask worker " + address + "'")) from None
            self._check_workers(address, project)
        except BaseException:
            self.client.close()
            raise
        # each worker imports the renderers' modules now, while this process still validates
        self._warming = [self.client.submit(warm_up, warm, workers=[worker], allow_other_workers=False, pure=False)
                         for worker in sorted(self.client.scheduler_info()["workers"])] if warm else []

    def _check_workers(self, address: str, project: Project) -> None:
        """Every worker runs our tool and sees our project: else nothing is sent (E172, E173)."""
        here = worker_identity(str(project.root / PROJECT_FILE))
        try:
            theirs = self.client.run(worker_identity, str(project.root / PROJECT_FILE))
        except (OSError, TimeoutError) as exc:
            raise CannotRun(error("E171", f"the Dask scheduler at {address} did not answer: {exc}")) from None
        for worker, (version, fingerprint, project_file) in sorted(theirs.items()):
            if (version, fingerprint) != here[:2]:
                same = "its files differ from this one's" if version == __version__ else f"this one runs {__version__}"
                raise CannotRun(error(
                    "E172", f"the Dask worker {worker} runs another build of edition {version} ({same})",
                    hint="install the same edition on every worker, then restart the workers"))
            if project_file != here[2]:
                raise CannotRun(error(
                    "E173", f"the Dask worker {worker} does not see this project at {project.root}",
                    hint="workers read the texts where this machine does: share the folder at the same path"))

    def run(self, work: list[Work]) -> Iterator[tuple[int, Any]]:
        """Each unit's result with its index, as the units finish; E174 when no worker is left.
        Finished units are gathered together, straight from their workers; whether the cluster
        still has workers is asked only when nothing finished for ``CHECK_SECONDS``."""
        env = environ()
        futures = [self.client.submit(dask_call, func, args, env, pure=False) for func, args in work]
        pending = dict(zip(futures, range(len(futures))))
        alone_since, asked = None, time.monotonic()
        try:
            while pending:
                finished = [future for future in pending if future.done()]   # known here: no call
                if finished:
                    alone_since, asked = None, time.monotonic()
                    for future, value in zip(finished, self.client.gather(finished)):   # a task's error is raised here
                        yield pending.pop(future), value
                    continue
                if time.monotonic() - asked >= CHECK_SECONDS:
                    alone_since, asked = self._still_workers(alone_since), time.monotonic()
                time.sleep(0.05)
        finally:
            for future in pending:
                future.cancel()
            self._warming = []

    def _still_workers(self, alone_since: float | None) -> float | None:
        """None while the cluster has workers; raise E174 once it has had none for too long."""
        if self.client.scheduler_info().get("workers"):
            return None
        now = time.monotonic()
        if alone_since is not None and now - alone_since > NO_WORKER_SECONDS:
            raise EditionError(error("E174", f"the Dask cluster has had no worker for {NO_WORKER_SECONDS} s: "
                                     "the build stopped, build/ is as it was", hint="start workers, then build again"))
        return alone_since or now

    def close(self) -> None:
        self.client.close()


def warm_up(modules: tuple[str, ...]) -> None:
    """Import ``modules`` (in a worker, before its first unit)."""
    import importlib

    keep_freed_memory()
    for name in modules:
        importlib.import_module(name)


def dask_call(func, args: tuple, env: dict[str, str | None]) -> Any:
    """One unit in a Dask worker: ``call``, in a worker that keeps freed memory."""
    keep_freed_memory()
    return call(func, args, env)


M_TRIM_THRESHOLD = -1            # glibc's mallopt parameter
TRIM_BYTES = 128 * 2**20         # free memory a Dask worker keeps for its next text
_KEEPING: list[bool] = []


def keep_freed_memory() -> None:
    """Let glibc keep up to ``TRIM_BYTES`` of freed memory in this process (once). Why: Dask's
    nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``, so memory goes back to the
    system after nearly every free, and a layout, which allocates and frees much, took a fifth
    more CPU than in a worker of our own (40 texts: workers 31.3 CPU-s, 26.0 with this). The
    memory a worker holds stays bounded by its largest text (Dask's own limits still apply)."""
    if _KEEPING:
        return
    _KEEPING.append(True)
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(M_TRIM_THRESHOLD, TRIM_BYTES)
    except (OSError, AttributeError):
        pass   # not glibc: its own defaults


def worker_identity(project_file: str) -> tuple[str, str, str]:
    """What a worker must share with us: the tool's version and fingerprint, the project file."""
    try:
        seen = hashlib.sha256(Path(project_file).read_bytes()).hexdigest()
    except OSError:
        seen = "absent"
    return __version__, package_fingerprint(), seen


DEFAULTS = {"worker_tasks": TASKS_PER_WORKER, "worker_memory_mb": MEMORY_MB}


def worker_limits(project: Project) -> tuple[int, int]:
    """``[build] worker_tasks`` and ``worker_memory_mb`` (0: no limit; E177 below 0)."""
    values = tuple(project.build.get(key, default) for key, default in DEFAULTS.items())
    for key, value in zip(DEFAULTS, values):
        if value < 0:
            path = project.root / PROJECT_FILE
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            raise EditionError(error("E177", f"[build] {key} is {value}: it must be 0 (no limit) or more", path,
                                     _line_in(text, "build", key) if text else None,
                                     hint=f"remove it for the default ({DEFAULTS[key]})"))
    return values


@contextmanager
def open_pool(project: Project, jobs: int | None = None, scheduler: str | None = None,
              warm: tuple[str, ...] = ()):
    """The pool the build asks for: a Dask cluster (``scheduler``), else ``jobs`` local workers,
    else (one job) None; closed at the end, early on an error or a signal. ``warm``: modules a
    Dask worker imports at once (a local worker starts only when a unit is there for it)."""
    if scheduler:
        pool: LocalPool | DaskPool | None = DaskPool(scheduler, project, warm)
    else:
        jobs = default_jobs() if jobs is None else jobs
        pool = LocalPool(jobs, *worker_limits(project)) if jobs > 1 else None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.close()
