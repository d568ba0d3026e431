"""``edition build --jobs N`` and ``--scheduler``: the same bytes as a build in one process.

The reference is ``jobs=1``: no pool, the renderers' own loop. A local pool of two workers and
a real Dask cluster (a scheduler and two workers started here as processes on 127.0.0.1, on
ports of their choosing, stopped at the end) must give the very same build tree, the build
record included. A worker killed mid-build: Dask runs its texts on the other, and the build
still equals the reference. An unreachable scheduler or a missing ``distributed`` stops the
build with a catalogue code (exit 2) and ``build/`` as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_gen import make_corpus

from edition import build as builder
from edition.cli import main
from edition.project import load_project
from edition.render import site

pytestmark = pytest.mark.slow
EPOCH = "1700000000"
REPO = Path(__file__).resolve().parents[1]
TEXTS = 5


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(one: Path, two: Path) -> None:
    first, second = tree(one), tree(two)
    assert sorted(first) == sorted(second)
    differ = sorted(rel for rel in first if first[rel] != second[rel])
    assert not differ, f"not byte-identical: {differ}"


def built(root: Path, outputs: list[str], **how) -> Path:
    """Build the project at ``root`` (fresh, from nothing) and move its build aside."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        builder.build(load_project(root), outputs, **how)
    label = "-".join(f"{k}{v}" for k, v in how.items()).replace("/", "").replace(":", "")
    target = root.parent / f"build-{label}"
    shutil.rmtree(target, ignore_errors=True)
    (root / "build").rename(target)
    return target


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated corpus of letters of one or two pages."""
    root = make_corpus(tmp_path_factory.mktemp("corpus") / "ed", TEXTS, max_pages=2)
    # The search index is made the same way whatever --jobs says (Pagefind, in this process);
    # Pagefind's entry file was once seen to differ between two builds of the same pages.
    settings = root / "edition.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("\n[html]\n", "\n[html]\nsearch = false\n"),
                        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def reference(corpus) -> Path:
    return built(corpus, ["txt", "html", "pdf"], jobs=1)


def test_generated_corpus_two_jobs_equal_one(corpus, reference):
    pdfs = sorted(p.name for p in (reference / "pdf").glob("*.pdf"))
    tei = sorted(p.stem for p in (corpus / "tei").glob("*.xml"))
    assert pdfs == sorted([f"{t}.pdf" for t in tei] + ["edition.pdf"])
    assert_same_tree(reference, built(corpus, ["txt", "html", "pdf"], jobs=2))


def test_our_edition_two_jobs_equal_one(tmp_path):
    root = tmp_path / "ed"
    root.mkdir()
    for name in ("edition.toml", "tei", "rules", "sources"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    one = built(root, ["pdf"], jobs=1)
    ids = sorted(p.stem for p in (root / "tei").glob("*.xml"))
    assert sorted(p.stem for p in (one / "pdf").glob("*.pdf")) == sorted(ids + ["edition"])
    assert_same_tree(one, built(root, ["pdf"], jobs=2))


def test_workers_replaced_mid_build_give_the_same_build(corpus, reference, monkeypatch):
    """Each worker retires after one text (``[build] worker_tasks``): fresh workers take the
    other texts, the HTML pages and the PDFs alike, and the build is the same bytes."""
    from edition.build import workers

    pools = []

    class Watched(workers.LocalPool):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(workers, "LocalPool", Watched)
    monkeypatch.setitem(workers.DEFAULTS, "worker_tasks", 1)
    monkeypatch.setattr(site, "POOL_FROM", 2)   # the HTML pages of the five texts in the pool too
    assert_same_tree(reference, built(corpus, ["txt", "html", "pdf"], jobs=2))
    (pool,) = pools
    # one worker a unit: 5 texts' pages, then 5 texts' PDFs
    assert pool.started == 2 * TEXTS and pool.replaced == 2 * TEXTS


def test_progress_counts_texts(corpus, reference, capsys):
    from edition.render.pdf.progress import Progress, reporting

    shutil.rmtree(corpus / "build", ignore_errors=True)
    with pytest.MonkeyPatch.context() as monkeypatch, reporting(Progress(sys.stderr, bar=False)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        builder.build(load_project(corpus), ["pdf"], jobs=2)
    lines = capsys.readouterr().err.splitlines()
    # a line per text as a worker finishes it, counted up to N of N + 1 (the volume is the one
    # more, laid out meanwhile), whatever order they finish in
    done = [line.split() for line in lines if line.startswith("pdf ") and line.endswith(")") and "laid out" in line]
    assert sorted(words[2] for words in done) == sorted(f"{p.stem}" for p in (corpus / "tei").glob("*.xml"))
    counts = [int(words[1].split("/")[0]) for words in done]
    assert counts == sorted(counts) and len(set(counts)) == TEXTS and max(counts) <= TEXTS + 1
    assert all(words[1].endswith(f"/{TEXTS + 1}:") for words in done)
    shutil.rmtree(corpus / "build")


def test_pooled_html_counts_texts_and_quiet_says_nothing(corpus, reference, monkeypatch):
    """The texts' web pages made by the workers are counted as they come, as the PDFs are: a
    plain line per text off a terminal, N of N; ``--quiet`` prints none of it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(site, "POOL_FROM", 2)
    ids = sorted(p.stem for p in (corpus / "tei").glob("*.xml"))
    runner = CliRunner()
    for quiet in (False, True):
        shutil.rmtree(corpus / "build", ignore_errors=True)
        done = runner.invoke(main, ["-C", str(corpus), "build", "-o", "html", "--jobs", "2", *(["-q"] if quiet else [])])
        assert done.exit_code == 0, done.output
        lines = [line.split() for line in done.stderr.splitlines() if line.startswith("html ")]
        if quiet:
            assert lines == [] and done.stderr == ""
            continue
        assert [words[1] for words in lines] == [f"{n}/{TEXTS}:" for n in range(1, TEXTS + 1)]
        assert sorted(words[2] for words in lines) == ids and all(words[3] == "made" for words in lines)
    shutil.rmtree(corpus / "build")


# ---- Dask ------------------------------------------------------------------------------------

def _dask(*args: str, log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


@pytest.fixture()
def cluster(tmp_path):
    """A Dask scheduler and two single-threaded workers on 127.0.0.1 (no nanny: a killed
    worker stays dead); yields (address, [worker processes]); all stopped at the end."""
    pytest.importorskip("distributed")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "SOURCE_DATE_EPOCH": EPOCH}
    info = tmp_path / "scheduler.json"
    started = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(info), log=tmp_path / "scheduler.log", env=env)]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        workers = [_dask("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                         "--host", "127.0.0.1", log=tmp_path / f"worker{n}.log", env=env) for n in range(2)]
        started += workers
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for process in reversed(started):
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_dask_build_equals_local_build(corpus, reference, cluster):
    address, _ = cluster
    assert_same_tree(reference, built(corpus, ["txt", "html", "pdf"], scheduler=address))


def test_dask_worker_killed_mid_build(corpus, reference, cluster):
    """One of the two workers is killed once it holds a text: the other finishes the build."""
    from distributed import Client

    address, workers = cluster
    with Client(address, timeout=30) as client:
        pids = client.run(os.getpid)
        assert sorted(pids.values()) == sorted(p.pid for p in workers)
        outcome: dict = {}

        def run():
            try:
                outcome["build"] = built(corpus, ["pdf"], scheduler=address)
            except BaseException as exc:  # noqa: BLE001 — reported below
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        thread.start()
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and thread.is_alive() and time.monotonic() < deadline:
            for worker_address, tasks in client.processing().items():
                if tasks:
                    os.kill(pids[worker_address], signal.SIGKILL)
                    killed = worker_address
                    break
            time.sleep(0.05)
        thread.join(timeout=600)
    assert killed, "no worker ever held a text"
    assert "error" not in outcome, outcome.get("error")
    kept = tree(reference)
    assert_same_tree_of(kept, tree(outcome["build"]), prefix="pdf/")


def assert_same_tree_of(reference: dict[str, bytes], made: dict[str, bytes], prefix: str) -> None:
    wanted = {rel: data for rel, data in reference.items() if rel.startswith(prefix)}
    got = {rel: data for rel, data in made.items() if rel.startswith(prefix)}
    assert sorted(wanted) == sorted(got)
    assert not [rel for rel in wanted if wanted[rel] != got[rel]]


def test_unreachable_scheduler_stops_with_nothing_written(corpus, reference):
    pytest.importorskip("distributed")
    shutil.copytree(reference, corpus / "build")
    (corpus / "tei" / "letter0001.xml").touch()
    before = tree(corpus / "build")
    result = CliRunner().invoke(main, ["-C", str(corpus), "build", "--force", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "E171" in result.output
    assert tree(corpus / "build") == before
    shutil.rmtree(corpus / "build")


def test_missing_distributed_is_named(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(main, ["-C", str(corpus), "build", "-o", "pdf", "--force",
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "E170" in result.output and "edition[cluster]" in result.output
    assert not (corpus / "build" / "pdf").exists()


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_pool_and_leaves_build_untouched(corpus, reference, signum, status):
    """Once the workers are busy, Ctrl-C or SIGTERM ends the build, its workers with it, within
    the grace time, and ``build/`` stays the last whole build."""
    from edition.signals import GRACE_SECONDS, children

    shutil.copytree(reference, corpus / "build")
    # every text changed, and differently for each signal: the run before may have left the
    # layouts of its change in the caches, and a build that finds them all would end before the signal
    changed = f"Made ({signal.Signals(signum).name})"
    for path in (corpus / "tei").glob("*.xml"):   # every PDF to lay out again
        path.write_text(path.read_text(encoding="utf-8").replace("Generated", changed), encoding="utf-8")
    before = tree(corpus / "build")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    build = subprocess.Popen([sys.executable, "-m", "edition", "-C", str(corpus), "build", "-o", "pdf", "--jobs", "2"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
            workers = [pid for pid in children(build.pid) if b"spawn_main" in _cmdline(pid)]
            time.sleep(0.1)
        assert len(workers) >= 2, "the pool never started"
        time.sleep(1.0)   # the workers are laying out texts
        sent = time.monotonic()
        build.send_signal(signum)
        code = build.wait(timeout=GRACE_SECONDS + 30)
        took = time.monotonic() - sent
    finally:
        if build.poll() is None:
            build.kill()
        build.stderr.close()
    assert code == status
    assert took < GRACE_SECONDS + 3, f"took {took:.1f} s to stop"
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the build"
    assert tree(corpus / "build") == before
    assert not (corpus / ".build.staging").exists()
    for path in (corpus / "tei").glob("*.xml"):
        path.write_text(path.read_text(encoding="utf-8").replace(changed, "Generated"), encoding="utf-8")
    shutil.rmtree(corpus / "build")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/stat")
    try:
        return status.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class _FakeClient:
    """Stands for a Dask client whose workers answer ``worker_identity`` with ``answers``."""

    def __init__(self, answers):
        self.answers = answers

    def run(self, func, *args):
        return self.answers


@pytest.mark.parametrize("change, code", [(0, "E172"), (1, "E172"), (2, "E173")],
                         ids=["another version", "another build", "another project"])
def test_a_worker_unlike_this_machine_is_refused(tmp_path, change, code):
    from edition.build import workers
    from edition.diagnostics import CannotRun
    from edition.project import PROJECT_FILE

    root = make_corpus(tmp_path / "ed", 1, max_pages=1)
    here = list(workers.worker_identity(str(root / PROJECT_FILE)))
    theirs = list(here)
    theirs[change] = "something else"
    pool = workers.DaskPool.__new__(workers.DaskPool)
    pool.client = _FakeClient({"tcp://127.0.0.1:1": tuple(here), "tcp://127.0.0.1:2": tuple(theirs)})
    with pytest.raises(CannotRun) as caught:
        pool._check_workers("tcp://127.0.0.1:8786", load_project(root))
    (problem,) = caught.value.diagnostics
    assert problem.code == code and "tcp://127.0.0.1:2" in problem.message
    pool.client = _FakeClient({"tcp://127.0.0.1:1": tuple(here)})
    pool._check_workers("tcp://127.0.0.1:8786", load_project(root))   # the same: accepted
