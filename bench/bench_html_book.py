"""Benchmark of the web edition of a book: four witnesses of ~100,000 tokens, HTML alone.

In: the two witnesses of the first collated text in ``edition.toml``, made into four witnesses
of about 100,000 tokens each as ``bench_collate`` makes them (each copy renames a tenth of the
vocabulary, each witness has its own edits), here with a ``CHAPTER n`` heading before each copy
so the book has chapters; collated in this process with the packaged rules (not timed). Out:
the time of ``edition.render.site.build_site`` (every page, the contents page, the DTS-free HTML
output, the Pagefind index) into an empty folder, for the text published one page per chapter
(``[html] split_above = 200000``), and the pages it wrote. Run once (a build of a book is long).

Goal (issue 15): HTML alone < 20 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_collate import FOUR_SIGLA, TOKEN, _synthetic  # noqa: E402

from edition.build import load_documents  # noqa: E402
from edition.collate.rules import CollatedTextRules, load_collation_rules  # noqa: E402
from edition.collate.run import collate_to_tei  # noqa: E402
from edition.diagnostics import Report  # noqa: E402
from edition.project import load_project  # noqa: E402
from edition.render.site import build_site  # noqa: E402

GOAL = 20.0
TARGET = 100_000
SPLIT_ABOVE = 200_000


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def book_witnesses(target: int = TARGET) -> list[tuple[str, str]]:
    """(siglum, text) of four witnesses of about ``target`` tokens, a chapter per copy."""
    project = load_project(ROOT)
    text = next(t for t in project.texts if t.is_collation)
    sources = [w.source.read_text(encoding="utf-8") for w in text.witnesses][:2]
    copies = -(-target // len(TOKEN.findall(sources[0])))
    chapters: list[list[str]] = [[] for _ in FOUR_SIGLA]
    for number in range(1, copies + 1):
        for k, chapter in enumerate(_synthetic(sources * 2, 1, seed=number)):
            chapters[k].append(f"CHAPTER {_roman(number)}\n\n{chapter.strip()}")
    return [(siglum, "\n\n".join(parts) + "\n") for siglum, parts in zip(FOUR_SIGLA, chapters)]


def run() -> list[str]:
    witnesses = book_witnesses()
    start = time.perf_counter()
    tei, units, parsed = collate_to_tei("book", [(s, Path(f"{s}.txt"), t) for s, t in witnesses],
                                        load_collation_rules(ROOT / "rules"),
                                        CollatedTextRules(path=None, data={"metadata": {"title": "Benchmark"}}),
                                        {"title": "A Book in Four Witnesses"})
    collated = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="bench-html-book-") as tmp:
        root = Path(tmp)
        (root / "tei").mkdir()
        (root / "tei" / "book.xml").write_bytes(tei)
        (root / "edition.toml").write_text(
            f'[edition]\ntitle = "Bench"\nbase_url = "https://example.org/"\noutputs = ["html"]\n\n'
            f"[html]\nsplit_above = {SPLIT_ABOVE}\n", encoding="utf-8")
        project = load_project(root)
        documents = load_documents(project)
        report = Report()
        start, cpu = time.perf_counter(), time.process_time()
        written = build_site(project, documents, report)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        pages = sorted((root / "build" / "html").glob("book*.html"))
        largest = max(p.stat().st_size for p in pages)
    return [f"the book: {' + '.join(str(len(w.tokens)) for w in parsed)} tokens, {len(units)} units, "
            f"{len(tei) / 2**20:.1f} MiB of TEI (collated in {collated:.1f} s, not counted)",
            f"HTML build (one page per chapter): {seconds:.2f} s wall, {cpu:.2f} s CPU in this process "
            f"(Pagefind runs beside it); {len(pages)} pages of the text (the largest {largest / 2**10:.0f} KiB), "
            f"{len(written)} files written; {len(report.diagnostics)} finding(s)",
            f"  goal < {GOAL:.0f} s: {'met' if seconds < GOAL else 'NOT met'}"]


if __name__ == "__main__":
    for line in run():
        print(line)
