"""Incremental builds: a rebuild after one text changes, and a rebuild with nothing changed.

The project: ``edition init`` with TEXTS texts grown from its example (PARAGRAPHS paragraphs
each, every one with an apparatus entry and a note). The baseline is a full build of
the same project in the same run (from an empty ``build/``). Goals: one changed text < 20% of a full build; no-op < 0.5 s.
Each is measured as the command an editor runs (a new process: start-up, and the TEI schema
compiled if a text must be validated), and in one long-lived process, as ``edition serve``
rebuilds (the schema stays compiled).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = 8          # texts in the project
PARAGRAPHS = 40    # paragraphs per text, each with an apparatus entry and a note
CHANGED = "text1.xml"


def _text(n: int, example: str) -> str:
    """Text ``n``: the scaffold's example grown to PARAGRAPHS paragraphs, with ids of its own."""
    head, rest = example.split("<text>", 1)
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


def _edition(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "edition", "-C", str(root), *args],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"edition {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed


def _clean_build(root: Path) -> float:
    """A build from nothing: no outputs, no record (``--force`` alone would write nothing new)."""
    shutil.rmtree(root / "build", ignore_errors=True)
    return _edition(root, "build")


def _touch_text(root: Path, n: int) -> None:
    """Change one text (a comment is enough: its hash changes, so its outputs are redone)."""
    path = root / "tei" / CHANGED
    path.write_text(path.read_text(encoding="utf-8") + f"<!-- edit {n} -->\n", encoding="utf-8")


def _best(times: list[float]) -> float:
    return min(times)


def run() -> list[str]:
    """Measure full, one-text and no-op builds as commands and in one process."""
    sys.path.insert(0, str(HERE.parent))
    from edition import build as builder
    from edition.project import load_project
    from edition.scaffold import init_project

    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        root = Path(tmp) / "ed"
        init_project(root)
        example = root / "tei/example.xml"
        for n in range(1, TEXTS + 1):
            (root / f"tei/text{n}.xml").write_text(_text(n, example.read_text(encoding="utf-8")), encoding="utf-8")
        example.unlink()
        texts = len(list((root / "tei").glob("*.xml")))

        full = _clean_build(root)
        one = []
        for n in range(2):
            _touch_text(root, n)
            one.append(_edition(root, "build"))
        noop = _best([_edition(root, "build") for _ in range(3)])

        # One long-lived process, as `edition serve` rebuilds.
        project = load_project(root)
        shutil.rmtree(root / "build")
        start = time.perf_counter()
        builder.build(project)
        warm_full = time.perf_counter() - start
        warm_one = []
        for n in range(2, 4):
            _touch_text(root, n)
            start = time.perf_counter()
            builder.build(project)
            warm_one.append(time.perf_counter() - start)
        start = time.perf_counter()
        builder.build(project)
        warm_noop = time.perf_counter() - start

    outputs = ", ".join(project.outputs)
    return [
        f"project: {texts} texts of {PARAGRAPHS} paragraphs (apparatus and notes); outputs: {outputs}",
        f"command: full build {full:.2f} s (baseline)",
        f"command: one text changed {_best(one):.2f} s = {_best(one) / full:.0%} of a full build (goal < 20%)",
        f"command: nothing changed {noop:.3f} s (goal < 0.5 s)",
        f"one process (serve): full {warm_full:.2f} s; one text changed {_best(warm_one):.2f} s"
        f" = {_best(warm_one) / warm_full:.0%} (goal < 20%); nothing changed {warm_noop:.3f} s",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
