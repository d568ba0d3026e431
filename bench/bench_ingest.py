"""Benchmark of ``edition ingest`` on the edition's single-witness texts (issue 3).

In one run: (1) cold, in a fresh process: ``edition ingest --check`` as the command runs it
(interpreter start, imports, the word list of pyspellchecker loaded, every text encoded and
compared with ``tei/``); (2) cold in this process: the first ``run_ingest`` after the word
list's cache is cleared; (3) warm: the median of further runs (word list loaded), and of each
text alone (``ingest_text``: normalise … header, serialised, nothing written). The check mode
does all the work of an ingest except writing files, so ``tei/`` is never touched here.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.ingest import (  # noqa: E402
    corpus_vocabulary,
    hyphenation,  # noqa: E402
    ingest_text,
    run_ingest,
    single_witness_texts,
)
from edition.ingest.rules import load_hyphen_rules  # noqa: E402
from edition.project import load_project  # noqa: E402

WARM_RUNS = 5


def _quiet(*args, **kwargs) -> None:
    pass


def _ingest_all() -> float:
    start = time.perf_counter()
    status = run_ingest(load_project(ROOT), [], check=True, echo=_quiet)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError("tei/ is not up to date: run 'edition ingest' first")
    return seconds


def run() -> list[str]:
    """Measure and return the lines to print."""
    lines = []
    exe = Path(sys.executable).with_name("edition")
    command = [str(exe)] if exe.is_file() else [sys.executable, "-m", "edition"]
    start = time.perf_counter()
    subprocess.run([*command, "-C", str(ROOT), "ingest", "--check"], check=True, capture_output=True)
    lines.append(f"cold, new process ('edition ingest --check'): {time.perf_counter() - start:.2f} s")

    hyphenation._spellchecker.cache_clear()
    lines.append(f"cold, in process (word list loaded):        {_ingest_all():.2f} s")
    warm = [_ingest_all() for _ in range(WARM_RUNS)]
    lines.append(f"warm, in process, all texts: median {statistics.median(warm):.3f} s "
                 f"(min {min(warm):.3f}, {WARM_RUNS} runs)")

    project = load_project(ROOT)
    hyphen_rules = load_hyphen_rules(project.rules_dir / "hyphenation.toml")
    start = time.perf_counter()
    vocabulary = corpus_vocabulary(project)
    lines.append(f"  of which the corpus vocabulary: {time.perf_counter() - start:.3f} s")
    for text in single_witness_texts(project, []):
        times = []
        for _ in range(WARM_RUNS):
            start = time.perf_counter()
            result = ingest_text(project, text, hyphen_rules, vocabulary)
            times.append(time.perf_counter() - start)
        size = text.source.stat().st_size / 1024
        lines.append(f"  {text.id}: median {statistics.median(times) * 1000:.0f} ms "
                     f"({size:.0f} KiB witness → {len(result.tei) / 1024:.0f} KiB TEI)")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
