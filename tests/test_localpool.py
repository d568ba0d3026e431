"""The local pool's workers replaced as they grow (``edition.build.localpool``), and its limits
set in ``edition.toml`` (``[build] worker_tasks``, ``worker_memory_mb``).

The units are plain functions of this module (a spawned worker imports it): which process ran a
unit is its pid, so a replacement is seen as a new pid, and a result as the unit's own value.
"""

from __future__ import annotations

import itertools
import os
import signal

import pytest

from edition.build import workers
from edition.build.localpool import LocalPool
from edition.diagnostics import EditionError
from edition.project import load_project
from edition.scaffold import init_project


def pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def grow_then_pid(megabytes: int) -> int:
    """Hold ``megabytes`` of memory for the rest of the worker's life, as a layout's caches do."""
    grow_then_pid.kept = getattr(grow_then_pid, "kept", []) + [b"\x01" * (megabytes * 2**20)]   # touched: resident
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_each_worker_retires_after_its_units_and_no_unit_is_lost():
    pool = LocalPool(2, tasks_per_worker=3, memory_mb=0)
    try:
        results = dict(pool.run([(pid_and_square, (n,)) for n in range(10)]))
    finally:
        pool.close()
    assert {index: square for index, (_, square) in results.items()} == {n: n * n for n in range(10)}
    per_worker: dict[int, int] = {}
    for pid, _ in results.values():
        per_worker[pid] = per_worker.get(pid, 0) + 1
    assert max(per_worker.values()) <= 3
    assert len(per_worker) >= 4 and pool.started == len(per_worker)   # 10 units, 3 a worker
    assert os.getpid() not in per_worker


def test_a_worker_past_the_memory_limit_is_replaced():
    pool = LocalPool(1, tasks_per_worker=0, memory_mb=400)
    try:
        pids = [pid for _, pid in pool.run([(grow_then_pid, (150,)) for _ in range(6)])]
    finally:
        pool.close()
    # a fresh worker holds well under 250 MB; with 150 MB more a unit it passes 400 MB at its
    # second or third unit, and a fresh worker takes the next
    runs = [len(list(group)) for _, group in itertools.groupby(pids)]
    assert runs[0] >= 2 and max(runs) <= 3 and len(runs) >= 2
    assert pool.replaced >= len(runs) - 1


def test_a_worker_that_dies_stops_the_run_with_e176():
    pool = LocalPool(2, tasks_per_worker=0, memory_mb=0)
    try:
        with pytest.raises(EditionError) as caught:
            list(pool.run([(pid_and_square, (1,)), (die, ()), (pid_and_square, (2,))]))
    finally:
        pool.close()
    assert caught.value.diagnostics[0].code == "E176"


def test_a_unit_that_fails_raises_its_own_error_here():
    pool = LocalPool(1)
    try:
        with pytest.raises(ZeroDivisionError):
            list(pool.run([(divmod, (1, 0))]))
        # the pool goes on: the worker that raised takes the next unit
        assert dict(pool.run([(pid_and_square, (3,))]))[0][1] == 9
    finally:
        pool.close()


def test_limits_come_from_edition_toml(tmp_path):
    init_project(tmp_path / "ed")
    toml = tmp_path / "ed" / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("\n[build]\n", "\n[build]\nworker_tasks = 7\n"
                                                                          "worker_memory_mb = 900\n"), encoding="utf-8")
    assert workers.worker_limits(load_project(tmp_path / "ed")) == (7, 900)
    toml.write_text(toml.read_text(encoding="utf-8").replace("worker_tasks = 7", "worker_tasks = -1"),
                    encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        workers.worker_limits(load_project(tmp_path / "ed"))
    (problem,) = caught.value.diagnostics
    assert problem.code == "E177"
    assert toml.read_text(encoding="utf-8").splitlines()[problem.line - 1] == "worker_tasks = -1"
