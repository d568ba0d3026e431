"""``edition serve``: the seconds from saving a TEI file to the served page showing the change.

The project: ``edition init``'s example, HTML only (the PDF is not served), built before serve
starts, as an editor's project usually is. ``edition serve`` runs on it; the benchmark edits the
TEI EDITS times (a different word each time) and polls the served page until the new word is
on it; SESSIONS times, serve started afresh. The first edit of a session is reported apart: it
is validated by a process that compiled no schema yet. Goal: each median < 2 s. The baseline, measured in the same run on the same edits, is
what an editor would do without serve: ``edition build`` in a new process (start-up and the
schema compiled again). Beside each wall time, the CPU time serve (or the build) spent on it,
since the machine may be shared.
"""

from __future__ import annotations

import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 3       # edition serve started afresh, on a project built before
EDITS = 3          # edits in each session: the first, then the ones after it
ROUNDS = 5         # edits followed by edition build, the baseline
GOAL_SECONDS = 2.0
WORDS = ["whaling", "rowing", "sailing", "pilot", "ferry", "trawling", "herring"]
PAGE = "example.html"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def _edition(*args: str) -> list[str]:
    return [sys.executable, "-m", "edition", *args]


def _cpu_seconds(pid: int) -> float:
    """User + system time of process ``pid`` (its threads, and the children it waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")   # utime stime cutime cstime


class Serve:
    """A running ``edition serve`` and the lines it printed on stderr (``bench_review``'s too)."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen([*_edition("-C", str(root), "serve", "--port", "0")], env=_env(),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(x) for x in self.process.stderr], daemon=True).start()
        self.url = re.search(r"(http://127\.0\.0\.1:\d+/)", self._wait("serving")).group(1)
        self._wait("ready:", 600)

    def _wait(self, start: str, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(start):
                return line
        raise RuntimeError(f"edition serve did not say '{start}'")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=120) as answer:
            return answer.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _until_shown(serve: Serve, wanted: str, seconds: float = 60) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if wanted in serve.get(PAGE):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise RuntimeError(f"the change did not show within {seconds} s")


def _project(folder: Path) -> Path:
    root = folder / "ed"
    subprocess.run(_edition("init", str(root)), check=True, capture_output=True, env=_env())
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"html", "pdf"]', '"html"]'), encoding="utf-8")
    subprocess.run(_edition("-C", str(root), "build", "-q"), check=True, capture_output=True, env=_env())
    return root


def _served(root: Path) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(seconds until the edit shows on the served page, serve's CPU time for it) for each
    session's first edit (the first change is validated by a process that compiled no schema
    yet) and for the edits after it."""
    tei = root / "tei" / "example.xml"
    first, later, old = [], [], "fishing"
    words = iter(WORDS * SESSIONS * EDITS)
    for _ in range(SESSIONS):
        serve = Serve(root)
        try:
            if f"The {old} boats came back" not in serve.get(PAGE):
                raise RuntimeError("the served page does not show the text of tei/example.xml")
            for edit in range(EDITS):
                word = next(words)
                while word == old:
                    word = next(words)
                cpu = _cpu_seconds(serve.process.pid)
                tei.write_text(tei.read_text(encoding="utf-8").replace(f"{old} boats", f"{word} boats"),
                               encoding="utf-8")
                shown = _until_shown(serve, f"The {word} boats came back")
                (later if edit else first).append((shown, _cpu_seconds(serve.process.pid) - cpu))
                old = word
                time.sleep(0.5)   # serve settles (its status, the watcher) before the next edit
        finally:
            serve.stop()
    tei.write_text(tei.read_text(encoding="utf-8").replace(f"{old} boats", "fishing boats"), encoding="utf-8")
    return first, later


def _rebuilt(root: Path) -> tuple[list[float], list[float]]:
    """The baseline: the same edits, each followed by ``edition build`` in a new process."""
    tei = root / "tei" / "example.xml"
    subprocess.run(_edition("-C", str(root), "build", "-q"), check=True, capture_output=True, env=_env())
    walls, cpus, old = [], [], "fishing"
    for word in WORDS[:ROUNDS]:
        tei.write_text(tei.read_text(encoding="utf-8").replace(f"{old} boats", f"{word} boats"), encoding="utf-8")
        before, start = os.times(), time.perf_counter()
        subprocess.run(_edition("-C", str(root), "build", "-q"), check=True, capture_output=True, env=_env())
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
        if f"The {word} boats came back" not in (root / "build" / "html" / PAGE).read_text(encoding="utf-8"):
            raise RuntimeError("edition build did not write the change")
        old = word
    return walls, cpus


def _line(what: str, measured: list[tuple[float, float]]) -> str:
    wall = statistics.median(w for w, _ in measured)
    cpu = statistics.median(c for _, c in measured)
    return (f"{what}: median {wall:.2f} s ({', '.join(f'{w:.2f}' for w, _ in measured)}), serve CPU {cpu:.2f} s; "
            f"goal < {GOAL_SECONDS:.0f} s: {'met' if wall < GOAL_SECONDS else 'NOT met'}")


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        root = _project(Path(folder))
        first, later = _served(root)
        base_walls, base_cpus = _rebuilt(root)
    shown = statistics.median(w for w, _ in first + later)
    base, base_cpu = statistics.median(base_walls), statistics.median(base_cpus)
    return [
        _line("edit → page shown by serve, a session's first edit", first),
        _line("edit → page shown by serve, the edits after it", later),
        f"baseline, edition build in a new process: median {base:.2f} s wall, {base_cpu:.2f} s CPU; "
        f"serve (every edit) = {shown / base:.0%} of its wall time",
        f"(load average {os.getloadavg()[0]:.2f})",
    ]
