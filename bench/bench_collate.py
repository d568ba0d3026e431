"""Benchmark of ``edition collate`` against CollateX, and its growth on longer texts.

In one run: (1) CollateX (PyPI ``collatex``, the bench extra; its default graph aligner) and
``edition collate`` (tokens, alignment, typing, TEI bytes; no disk) on the first 1,500 tokens
of each of the two witnesses of the first collated text in ``edition.toml``; (2) ``edition
collate`` alone on the whole text (as the command runs it, from disk to TEI bytes); (3) on
synthetic witnesses 1×, 10× and 100× as long, made here from the two witnesses: copy *i* of
both renames a random tenth of the vocabulary the same way (so the copies read like different
chapters of one book), then each witness gets its own random edits (1 % of the words
substituted, dropped or doubled). Peak memory: ``tracemalloc`` for ours, the peak resident
size of a child process for CollateX.

Goals (issue 4): ≥ 200× faster than CollateX on 1,500 tokens; the whole text < 1 s; 100× the
text in < 150× the time.

(4) Four witnesses of a book (issue 15): synthetic witnesses made the same way from the two
witnesses (taken twice, each copy with its own edits) to about 100,000 and 200,000 tokens
each, collated in a child process (from the texts to the TEI bytes): wall and CPU time, and
the peak resident size; then the time of the integrity check the command runs before writing. Goals: 4 × 100,000 tokens in < 10 s and < 500 MB; 2× the text in
≤ 2.3× the time. ``python bench/bench_collate.py four`` runs this part alone.
"""

from __future__ import annotations

import gc
import json
import random
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.collate.rules import CollatedTextRules, load_collation_rules  # noqa: E402
from edition.collate.run import collate_text, collate_to_tei  # noqa: E402
from edition.project import load_project  # noqa: E402

EXCERPT_TOKENS = 1500
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")

COLLATEX_CHILD = r"""
import json, resource, sys, time
from collatex import Collation, collate
texts = json.load(sys.stdin)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
collation = Collation()
for siglum, text in texts:
    collation.add_plain_witness(siglum, text)
start, cpu = time.perf_counter(), time.process_time()
collate(collation, output="table", segmentation=False)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": peak, "base_kib": base}))
"""


def _excerpt(text: str, tokens: int) -> str:
    """The text up to the end of its ``tokens``-th token."""
    for count, match in enumerate(TOKEN.finditer(text), 1):
        if count == tokens:
            return text[: match.end()]
    return text


def _best(func, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs (CPU time is what the ratios use:
    it does not count the time other processes on a shared machine take)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _peak_mib(func) -> float:
    gc.collect()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _synthetic(texts: list[str], copies: int, seed: int = 7) -> list[str]:
    """``copies`` chapters made from the witnesses: shared renamings, then each witness's own edits."""
    rng = random.Random(seed)
    vocabulary = sorted({w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)})
    outputs: list[list[str]] = [[] for _ in texts]
    for copy in range(copies):
        renamed = {w: f"{w}{copy}x{rng.randrange(10**6)}" for w in rng.sample(vocabulary, len(vocabulary) // 10)}

        def rename(match: re.Match) -> str:
            word = match.group(0)
            return renamed.get(word.lower(), word)

        for index, text in enumerate(texts):
            chapter = re.sub(r"[A-Za-z]+", rename, text.strip("\n"))
            outputs[index].append(_edit(chapter, rng, 0.01))
    separators = ["\n\n", "\n"]
    return [separators[min(i, 1)].join(chapters) + "\n" for i, chapters in enumerate(outputs)]


def _edit(text: str, rng: random.Random, rate: float) -> str:
    def change(match: re.Match) -> str:
        word = match.group(0)
        roll = rng.random()
        if roll >= rate:
            return word
        kind = rng.randrange(3)
        return "" if kind == 0 else f"{word} {word}" if kind == 1 else f"w{rng.randrange(10**6)}"

    return re.sub(r"[A-Za-z]+", change, text)


def _collatex(texts: list[tuple[str, str]]) -> dict:
    run = subprocess.run([sys.executable, "-c", COLLATEX_CHILD], input=json.dumps(texts),
                         capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise RuntimeError(f"CollateX failed: {run.stderr.strip().splitlines()[-1:]}")
    return json.loads(run.stdout)


def run() -> list[str]:
    """Measure, and return the lines to print."""
    project = load_project(ROOT)
    text = next(t for t in project.texts if t.is_collation)
    crules = load_collation_rules(project.rules_dir)
    ordered = sorted(text.witnesses, key=lambda w: w.siglum != (text.base or text.witnesses[0].siglum))
    raw = [(w.siglum, w.source.read_text(encoding="utf-8")) for w in ordered]
    lines = []
    bare = CollatedTextRules(path=None, data={"metadata": {"title": "Benchmark"}})

    def ours(texts: list[tuple[str, str]]):
        return lambda: collate_to_tei("bench", [(s, Path(f"{s}.txt"), t) for s, t in texts], crules,
                                      bare, dict(project.settings))

    excerpt = [(s, _excerpt(t, EXCERPT_TOKENS)) for s, t in raw]
    try:
        cx = _collatex(excerpt)
    except RuntimeError as exc:
        cx = None
        lines.append(f"CollateX could not run ({exc}); install the bench extra: pip install -e '.[bench]'")
    _, ours_excerpt = _best(ours(excerpt), 5)
    mem_excerpt = _peak_mib(ours(excerpt))
    if cx:
        speedup = cx["cpu"] / ours_excerpt
        cx_mib = (cx["peak_kib"] - cx["base_kib"]) / 1024
        lines.append(f"first {EXCERPT_TOKENS} tokens (CPU time): CollateX {cx['cpu']:.2f} s "
                     f"(wall {cx['seconds']:.2f} s), {cx_mib:.0f} MiB peak; "
                     f"edition collate {ours_excerpt * 1000:.1f} ms, {mem_excerpt:.1f} MiB peak")
        lines.append(f"  speed-up {speedup:.0f}× (goal ≥ 200×: {'met' if speedup >= 200 else 'NOT met'})")

    whole_wall, whole = _best(lambda: collate_text(project, text, crules), 5)
    mem_whole = _peak_mib(lambda: collate_text(project, text, crules))
    tokens = sum(len(TOKEN.findall(t)) for _, t in raw)
    lines.append(f"whole {text.id} ({tokens} tokens, from disk to TEI): {whole * 1000:.0f} ms CPU, "
                 f"{whole_wall * 1000:.0f} ms wall, {mem_whole:.1f} MiB peak "
                 f"(goal < 1 s: {'met' if max(whole, whole_wall) < 1 else 'NOT met'})")

    times = {}
    for copies in (1, 10, 100):
        synthetic = list(zip([s for s, _ in raw], _synthetic([t for _, t in raw], copies)))
        size = sum(len(TOKEN.findall(t)) for _, t in synthetic)
        wall, times[copies] = _best(ours(synthetic), 5 if copies < 100 else 2)
        peak = _peak_mib(ours(synthetic))
        lines.append(f"synthetic {copies:>3}× ({size} tokens): {times[copies]:.2f} s CPU "
                     f"({wall:.2f} s wall), {peak:.0f} MiB peak")
    ratio10, ratio100 = times[10] / times[1], times[100] / times[1]
    lines.append(f"  growth: 10× text → {ratio10:.1f}× time; 100× text → {ratio100:.1f}× time "
                 f"(goal < 150×: {'met' if ratio100 < 150 else 'NOT met'})")
    return lines + four_witnesses()


FOUR_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from edition.collate.rules import CollatedTextRules, load_collation_rules
from edition.collate.run import collate_to_tei
texts = json.load(sys.stdin)
crules = load_collation_rules(Path(sys.argv[1]) / "rules")
bare = CollatedTextRules(path=None, data={"metadata": {"title": "Benchmark"}})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
tei, units, witnesses = collate_to_tei("bench", [(s, Path(f"{s}.txt"), t) for s, t in texts], crules, bare,
                                       {"title": "Benchmark"})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
from edition.validate import check_integrity
check_start = time.perf_counter()
found = check_integrity(Path("bench.xml"), tei, [])
check = time.perf_counter() - check_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": peak, "base_kib": base, "units": len(units),
                  "check": check, "findings": len(found),
                  "tokens": [len(w.tokens) for w in witnesses], "tei_bytes": len(tei)}))
"""
FOUR_SIGLA = ["A", "B", "C", "D"]


def four_witnesses(targets=(100_000, 200_000)) -> list[str]:
    """Four synthetic witnesses of about ``target`` tokens each, collated in a child process."""
    project = load_project(ROOT)
    text = next(t for t in project.texts if t.is_collation)
    sources = [w.source.read_text(encoding="utf-8") for w in text.witnesses][:2]
    per_copy = len(TOKEN.findall(sources[0]))
    lines, seconds = [], {}
    for target in targets:
        copies = -(-target // per_copy)
        synthetic = _synthetic(sources * 2, copies)
        run = subprocess.run([sys.executable, "-c", FOUR_CHILD, str(ROOT)],
                             input=json.dumps(list(zip(FOUR_SIGLA, synthetic))),
                             capture_output=True, text=True, timeout=3600)
        if run.returncode != 0:
            raise RuntimeError(f"the collation failed: {run.stderr.strip().splitlines()[-1:]}")
        result = json.loads(run.stdout)
        seconds[target] = result["cpu"]
        lines.append(f"4 witnesses × ~{target:,} tokens ({' + '.join(map(str, result['tokens']))} tokens, "
                     f"{result['units']} units, {result['tei_bytes'] / 2**20:.1f} MiB of TEI): "
                     f"{result['seconds']:.2f} s wall, {result['cpu']:.2f} s CPU, "
                     f"{result['peak_kib'] / 1024:.0f} MiB peak resident; then the integrity check "
                     f"'edition collate' runs before writing: {result['check']:.2f} s wall, "
                     f"{result['findings']} finding(s)")
    small, large = targets[0], targets[-1]
    ratio = seconds[large] / seconds[small]
    lines.append(f"  goal 4 × {small:,} tokens < 10 s and < 500 MB; {large // small}× the text → {ratio:.2f}× "
                 f"the CPU time (goal ≤ 2.3×: {'met' if ratio <= 2.3 else 'NOT met'})")
    return lines


if __name__ == "__main__":
    for line in (four_witnesses() if sys.argv[1:] == ["four"] else run()):
        print(line)
