"""Corpus scale: a generated correspondence of TEXTS letters built on one core, two, a Dask cluster.

The corpus: ``tests/corpus_gen.py``, letters of 1 to 15 book pages made of the shared corpora's
prose (seeded). Measured, each as the command an editor runs (a new process, from an empty
``build/``, the checkout's code):

- the texts' PDFs (``-o pdf``, no volume: ``[pdf] volume = false``) with ``--jobs 1`` and
  ``--jobs 2``: texts per second, and the ratio (goal ≥ 1.8× on 2 cores);
- the same through a local Dask cluster (a scheduler and 2 single-threaded workers started
  here as the README says, the workers' profiler off): the ratio to one core (goal ≥ 1.7×);
- the whole corpus's HTML (``-o html``, with the search index): goal < 60 s at 1,000 texts;
- one text changed in the corpus built with every output: the rebuild, goal < 5 s.

TEXTS is 1,000 for the goals; ``EDITION_BENCH_CORPUS_TEXTS`` sets a smaller size on a shared
machine (the lines say which size was run). Each line ends with the build's CPU time (user +
system, its worker processes and Pagefind included; not for Dask, whose workers are not the
build's) and the load averages (1, 5, 15 minutes) when it was measured: on a shared machine a
ratio is only as good as the load was even.

The run for the goals (about 25 minutes on 2 cores, from 100 texts measured quiet: 53 s with --jobs 1)::

    EDITION_BENCH_CORPUS_TEXTS=1000 python bench/bench_corpus.py
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEXTS = int(os.environ.get("EDITION_BENCH_CORPUS_TEXTS", "1000"))
EPOCH = "1700000000"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")]), "SOURCE_DATE_EPOCH": EPOCH}


CPU: list[float] = []   # the CPU seconds of each build measured, in order (``_cpu``)


def _build(root: Path, *args: str) -> float:
    """Seconds for ``edition build ARGS`` in a new process; raises if it fails. Its CPU time
    (user + system, its workers and Pagefind included) is kept in ``CPU``: on a shared machine
    the wall time says more about the load than about the build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "edition", "-C", str(root), "build", "-q", *args],
                          env=_env(), capture_output=True, text=True, cwd=root)   # not a checkout on sys.path
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"edition build {' '.join(args)} failed: {done.stderr[-2000:]}")
    return took


def _cpu() -> str:
    """The CPU time of the last build measured."""
    return f"CPU {CPU[-1]:.1f} s"


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _fresh(root: Path) -> None:
    subprocess.run(["rm", "-rf", str(root / "build")], check=True)


def _cluster(folder: Path) -> tuple[str, list[subprocess.Popen]]:
    """A Dask scheduler and two single-threaded workers on 127.0.0.1."""
    info = folder / "scheduler.json"
    run = [sys.executable, "-m"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": _env()}
    started = [subprocess.Popen([*run, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--no-dashboard", "--scheduler-file", str(info)], **quiet)]
    deadline = time.monotonic() + 60
    while not info.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(info.read_text())["address"]
    # as the README starts them: Dask's statistical profiler off (a tenth of a worker's CPU)
    workers = {**quiet, "env": {**_env(), "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}}
    for _ in range(2):
        started.append(subprocess.Popen([*run, "distributed.cli.dask_worker", address, "--nthreads", "1",
                                         "--no-dashboard", "--host", "127.0.0.1"], **workers))
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=120)
    return address, started


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def run() -> list[str]:
    sys.path.insert(0, str(REPO / "tests"))
    from corpus_gen import make_corpus

    lines = [f"corpus: {TEXTS} generated letters of 1-15 pages (goals are for 1,000)"]
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        root = make_corpus(Path(tmp) / "ed", TEXTS, extra_settings="")
        settings = root / "edition.toml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("\n[pdf]\n", "\n[pdf]\nvolume = false\n"),
                            encoding="utf-8")
        one = _build(root, "-o", "pdf", "--jobs", "1")
        load_one = f"{_cpu()}, {_load()}"
        _fresh(root)
        two = _build(root, "-o", "pdf", "--jobs", "2")
        kept = Path(tmp) / "pdf-build"
        (root / "build").rename(kept)   # the PDFs an edit starts from (below)
        lines.append(f"PDFs, --jobs 1: {one:.1f} s, {TEXTS / one:.2f} texts/s ({load_one})")
        lines.append(f"PDFs, --jobs 2: {two:.1f} s, {TEXTS / two:.2f} texts/s: {one / two:.2f}x one core "
                     f"(goal >= 1.8x; {_cpu()}, {_load()})")
        _fresh(root)
        try:
            address, cluster = _cluster(Path(tmp))
        except Exception as exc:  # no distributed installed: say so, measure the rest
            lines.append(f"Dask: not measured ({exc!r}); pip install 'edition[cluster]'")
        else:
            try:
                dask = _build(root, "-o", "pdf", "--scheduler", address)
            finally:
                _stop(cluster)
            lines.append(f"PDFs, Dask, 2 workers: {dask:.1f} s, {TEXTS / dask:.2f} texts/s: "
                         f"{one / dask:.2f}x one core (goal >= 1.7x; {_load()})")
        _fresh(root)
        page_one = _build(root, "-o", "html", "--jobs", "1")
        load_page_one = f"{_cpu()}, {_load()}"
        _fresh(root)
        page = _build(root, "-o", "html", "--jobs", "2")
        lines.append(f"HTML of the whole corpus (with search), --jobs 1: {page_one:.1f} s ({load_page_one})")
        lines.append(f"HTML of the whole corpus (with search), --jobs 2: {page:.1f} s, {page_one / page:.2f}x one core "
                     f"(goal < 60 s at 1,000 texts; {_cpu()}, {_load()})")
        changed = root / "tei" / "letter0002.xml"
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            "\n  </div></body>", "<p>A sentence added for the benchmark.</p>\n  </div></body>"), encoding="utf-8")
        edit_html = _build(root, "-o", "html")
        lines.append(f"one text changed, HTML rebuilt: {edit_html:.1f} s ({_cpu()}, {_load()})")
        _fresh(root)
        kept.rename(root / "build")
        _build(root, "--jobs", "2")   # every output, the PDFs made above: the state an edit starts from
        changed = root / "tei" / "letter0001.xml"
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            "\n  </div></body>", "<p>A sentence added for the benchmark.</p>\n  </div></body>"), encoding="utf-8")
        edit = _build(root)
        lines.append(f"one text changed, rebuilt (txt, html, pdf): {edit:.1f} s (goal < 5 s; {_cpu()}, {_load()})")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
