"""Run every benchmark (``bench/bench_*.py``) and print its measurements and ratios.

Each benchmark module has a ``run() -> list[str]`` that measures in this same run both our
code and its baseline, and returns the lines to print (ratios against the baseline and the
goal). ``make bench`` calls this script; ``python bench/run.py NAME`` runs only ``bench_NAME``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the selected benchmarks; exit 1 if one of them failed to run."""
    wanted = set(argv)
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            for line in module.run():
                print(f"   {line}", flush=True)
        except Exception as exc:  # a broken benchmark must not hide the others
            failed += 1
            print(f"   FAILED: {exc!r}", flush=True)
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
