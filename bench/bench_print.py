"""Print at book scale: ``edition pdf`` against reledmac (pdflatex) on the same TEI, in one run.

Measures, for the book-length fixture (``book_fixture``: ~1,500 entries in 11 chapters) and for
Woods (``tei/woods-2005-bolivia.xml``): our PDF cold (no cache, no seed), passes, pages, W701;
reledmac's three pdflatex runs on the same TEI written as LaTeX (``reledmac``); their ratio. Each
tool runs ``ROUNDS`` times, cold, the two alternating, and the medians are compared: on a shared
machine the speed of the same work drifts by a fifth within minutes.
Then, for the book, one word changed in one chapter and the PDF made again with the previous
build's cache (goal: under 5 s). Goals (issue 16): the book faster than reledmac's three runs,
Woods at most 1.5 × reledmac. Peak memory of the book's cold layout: this process's once it is
laid out (the book first: Woods, laid out here after it, is no part of it) and the largest
worker's (ru_maxrss of each process that laid out its chapters, ``edition.render.pdf.pieces``),
and their sum for the workers running at once (``jobs``, one per core): the whole footprint.
``python bench/bench_print.py --smoke`` runs a two-chapter book, for a quick look.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from book_fixture import make_book  # noqa: E402
from reledmac import tei_to_reledmac  # noqa: E402

RUNS = 3   # reledmac needs three pdflatex runs for its line numbers to settle (often a fourth)
ROUNDS = 3   # each tool cold this many times, one after the other: the medians are compared


def _ours(tei: Path, build_dir: Path, target: Path):
    from edition.project import load_project
    from edition.render.pdf import render_pdf
    from edition.render.pdf.options import pdf_options
    from edition.tei.document import Document

    project = load_project(ROOT)
    project.settings["build_dir"] = str(build_dir)
    start, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    info = render_pdf(project, [Document.load(tei)], pdf_options(project.pdf), volume=False, target=target)
    info.worker_cpu += _cpu(resource.RUSAGE_SELF) - cpu   # all the CPU time the layout took
    return time.perf_counter() - start, info


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _reledmac(tei: Path, folder: Path) -> tuple[float, float] | None:
    if not shutil.which("pdflatex"):
        return None
    tex = folder / f"{tei.stem}-reledmac.tex"
    tex.write_text(tei_to_reledmac(tei), encoding="utf-8")
    start, cpu = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
    for _ in range(RUNS):
        subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", tex.name], cwd=folder,
                       check=True, capture_output=True)
    return time.perf_counter() - start, _cpu(resource.RUSAGE_CHILDREN) - cpu


def _line(name: str, ours: float, info, theirs: tuple[float, float] | None, goal: float) -> str:
    w701 = sum(d.code == "W701" for d in info.diagnostics)
    text = (f"{name}: edition {ours:.1f} s, {info.worker_cpu:.1f} s CPU ({info.pages} pages, {info.passes} passes, "
            f"{info.entries} entries, {info.pieces or 1} piece(s), W701 {w701})")
    if theirs is None:
        return text + "; reledmac: pdflatex not installed (make bench installs it)"
    wall, cpu = theirs
    ratio = ours / wall
    # on a loaded machine the wall times say how busy it was; the CPU times what each tool costs
    return (text + f"; reledmac {RUNS} runs {wall:.1f} s, {cpu:.1f} s CPU; ratio {ratio:.2f} × wall, "
            f"{info.worker_cpu / cpu:.2f} × CPU (goal ≤ {goal} ×: {'met' if ratio <= goal else 'NOT met'})")


def _one_word_changed(tei: Path, out: Path) -> Path:
    text = tei.read_text(encoding="utf-8")
    at = text.find('xml:id="ch5"')
    at = text.find("revolution", at if at >= 0 else 0)
    out.write_text(text[:at] + "Revolution" + text[at + len("revolution"):], encoding="utf-8")
    return out


def run(smoke: bool = False) -> list[str]:
    """Measure and return the lines to print."""
    lines = []
    workers: list[float] = []   # each text's largest layout process (a worker, for chapters)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = folder / "book.xml"
        book.write_bytes(make_book(chapters=2 if smoke else 11))
        texts = [(book, 1.0)]
        woods = ROOT / "tei" / "woods-2005-bolivia.xml"
        if woods.is_file() and not smoke:
            texts.append((woods, 1.5))
        own = 0.0   # this process's peak when the book is laid out (before Woods is, here too)
        rounds = 1 if smoke else ROUNDS
        for tei, goal in texts:
            ours, theirs = [], []
            for k in range(rounds):   # alternately, each cold: a shared machine's speed drifts
                seconds, info = _ours(tei, folder / f"build-{tei.stem}-{k}", folder / f"{tei.stem}.pdf")
                ours.append((seconds, info.worker_cpu))
                if not k:
                    workers.append(info.worker_mib)
                    own = own or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                (folder / f"tex-{tei.stem}-{k}").mkdir()
                theirs.append(_reledmac(tei, folder / f"tex-{tei.stem}-{k}"))
            info.worker_cpu = statistics.median(cpu for _, cpu in ours)
            found = [t for t in theirs if t is not None]
            median = (statistics.median(w for w, _ in found), statistics.median(c for _, c in found)) if found else None
            lines.append(_line(tei.stem, statistics.median(w for w, _ in ours), info, median, goal)
                         + f" [median of {rounds}, alternating]")
            print(lines[-1], file=sys.stderr, flush=True)   # a long run: each result as soon as it is known
        changed = _one_word_changed(book, folder / "book-changed.xml")
        changed.replace(book)
        again, info = _ours(book, folder / f"build-book-{rounds - 1}", folder / "book.pdf")
        lines.append(f"book, one word changed in one chapter: {again:.1f} s, {info.worker_cpu:.1f} s CPU "
                     f"({info.passes} passes, laid out anew: {', '.join(info.laid_out) or 'none'}; goal < 5 s: "
                     f"{'met' if again < 5 else 'NOT met'})")
    worker = workers[0] if workers else 0.0
    jobs = os.cpu_count() or 1
    lines.append(f"peak memory of the book's layout: this process {own:.0f} MiB, the largest worker {worker:.0f} MiB; "
                 f"at most {own + jobs * worker:.0f} MiB with {jobs} workers at once (goal < 500 MiB for the book)")
    return lines


if __name__ == "__main__":
    for line in run(smoke="--smoke" in sys.argv):
        print(line, flush=True)
