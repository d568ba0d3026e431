"""Incremental builds: a rebuild after one text changes, and a rebuild with nothing changed.

The project: ``edition init`` with TEXTS texts grown from its example (PARAGRAPHS paragraphs
each, every one with an apparatus entry and a note). The baseline is a full build of the same
project in the same run, from an empty ``build/``. Goals: one changed text < 20% of a full
build; no-op < 0.5 s. Each is measured as the command an editor runs (a new process, so
start-up and, when a text must be validated, compiling the TEI schema), and in one
long-lived process, as ``edition serve`` rebuilds (the schema stays compiled).

The tool measured is the wheel of this checkout installed in a fresh venv, so that files
being edited in the checkout while the benchmark runs cannot make a build look changed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = 6          # texts in the project
PARAGRAPHS = 30    # paragraphs per text, each with an apparatus entry and a note
CHANGED = "text1.xml"

# Runs inside the installed tool's venv: the builds of one long-lived process, step by step.
IN_PROCESS = """
import json, shutil, sys, time
from pathlib import Path
from edition import build as builder
from edition.project import load_project
root = Path(sys.argv[1]); project = load_project(root)
def timed():
    steps, last = {}, [None, time.perf_counter()]
    def progress(step):
        now = time.perf_counter()
        if last[0]: steps[last[0]] = steps.get(last[0], 0) + now - last[1]
        last[:] = [step, now]
    start = time.perf_counter(); builder.build(project, progress=progress); end = time.perf_counter()
    if last[0]: steps[last[0]] = steps.get(last[0], 0) + end - last[1]
    return end - start, steps
shutil.rmtree(root / "build")
full = timed()
path = root / "tei" / sys.argv[2]
def edit(n):
    path.write_text(path.read_text(encoding="utf-8") + f"<!-- edit {n} -->", encoding="utf-8")
edit(1)
one = timed()
noop = min((timed() for _ in range(3)), key=lambda t: t[0])
print(json.dumps({"full": full, "one": one, "noop": noop}))
"""


def _text(n: int, example: str) -> str:
    """Text ``n``: the scaffold's example grown to PARAGRAPHS paragraphs, with ids of its own."""
    head, _ = example.split("<text>", 1)
    paragraphs, notes = [], []
    for k in range(1, PARAGRAPHS + 1):
        paragraphs.append(
            f'<p xml:id="t{n}.p{k}">Boat {k} of text {n} came back into the harbour at '
            f'<app xml:id="t{n}.p{k}.a1" type="substantive"><lem wit="#A">dawn</lem><rdg wit="#B">noon</rdg></app>, '
            f'and the town went down to the quay to meet it; the nets were full and the day was long.'
            f'<ref type="noteref" target="#t{n}.n{k}" xml:id="t{n}.n{k}.r1">({k})</ref></p>')
        notes.append(f'<note xml:id="t{n}.n{k}" n="{k}" type="editorial" resp="#ed">The reprint has noon ({k}).</note>')
    head = head.replace("An Example Text", f"Text {n}")
    return (head + "<text><body>" + f'<div xml:id="t{n}" type="section"><head xml:id="t{n}.head">Text {n}</head>'
            + "".join(paragraphs) + "</div></body><back>" + f'<div xml:id="t{n}.notes" type="notes">'
            + "".join(notes) + "</div></back></text></TEI>\n")


def _install(tmp: Path) -> Path:
    """The checkout's wheel in a fresh venv (run-time dependencies borrowed from this one)."""
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", tmp / "dist",
                    HERE.parent], check=True, capture_output=True)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", venv / "bin/python", "install", "--quiet",
                    "--no-deps", "--no-index", next((tmp / "dist").glob("*.whl"))], check=True)
    return venv


def _command(venv: Path, root: Path) -> tuple[float, dict[str, float]]:
    """``edition build`` as a new process: its time, and each step's (from its progress lines)."""
    start = time.perf_counter()
    process = subprocess.Popen([venv / "bin/edition", "-C", root, "build"], stderr=subprocess.PIPE, text=True,
                               stdout=subprocess.DEVNULL)
    steps, last = {}, ("start-up", start)
    for line in process.stderr:
        now = time.perf_counter()
        if line.endswith("…\n"):  # a step starts: the one before it ends
            steps[last[0]] = steps.get(last[0], 0) + now - last[1]
            last = (line.rstrip(" …\n"), now)
    if process.wait() != 0:
        raise RuntimeError("edition build failed")
    end = time.perf_counter()
    steps[last[0]] = steps.get(last[0], 0) + end - last[1]
    return end - start, steps


def _steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())


def run() -> list[str]:
    """Measure full, one-text and no-op builds as commands and in one process."""
    sys.path.insert(0, str(HERE.parent))
    from edition.scaffold import init_project

    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        tmp = Path(tmp)
        venv = _install(tmp)
        root = tmp / "ed"
        init_project(root)
        example = root / "tei/example.xml"
        for n in range(1, TEXTS + 1):
            (root / f"tei/text{n}.xml").write_text(_text(n, example.read_text(encoding="utf-8")), encoding="utf-8")
        example.unlink()

        full, full_steps = _command(venv, root)
        changed = root / "tei" / CHANGED
        changed.write_text(changed.read_text(encoding="utf-8") + "<!-- edit -->\n", encoding="utf-8")
        one, one_steps = _command(venv, root)
        noop = min(_command(venv, root)[0] for _ in range(3))
        warm = json.loads(subprocess.run([venv / "bin/python", "-c", IN_PROCESS, root, CHANGED], check=True,
                                         capture_output=True, text=True).stdout)

    (w_full, w_full_steps), (w_one, w_one_steps), (w_noop, _) = warm["full"], warm["one"], warm["noop"]
    return [
        f"project: {TEXTS} texts of {PARAGRAPHS} paragraphs (apparatus and notes); outputs: txt, html, pdf",
        f"command: full build {full:.1f} s (baseline): {_steps(full_steps)}",
        f"command: one text changed {one:.1f} s = {one / full:.0%} of a full build (goal < 20%): {_steps(one_steps)}",
        f"command: nothing changed {noop:.3f} s (goal < 0.5 s)",
        f"one process (serve): full {w_full:.1f} s: {_steps(w_full_steps)}",
        f"one process (serve): one text changed {w_one:.1f} s = {w_one / w_full:.0%} (goal < 20%): {_steps(w_one_steps)}",
        f"one process (serve): nothing changed {w_noop:.3f} s (goal < 0.5 s)",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
