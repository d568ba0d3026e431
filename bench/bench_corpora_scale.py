"""Scale of a real edition: HTML + PDF of a 2.6 MB TEI with ~8,700 ``<app type="variants">``.

The edition of issue 14 that took 175 s and 1.2 GB (an Aramaic text, Hebrew script, five
witnesses, an apparatus of the editor's own type, notes) is made here with the same shape:
``edition(...)`` writes a TEI of ``chapters`` divisions of paragraphs of words in Hebrew letters,
every ``app_every``-th word a variation unit (lemma of three witnesses, a reading of the others,
now and then an omission), a note every ``note_every``-th paragraph. Measured in a fresh
process (``edition build -o html -o pdf --force`` in a scratch project): wall time, the CPU time
of all its processes (the layout workers too) and peak resident memory of the build. Goal: under
60 s and under 1 GB.

Run alone: ``python bench/run.py corpora_scale`` (several minutes on a shared machine);
``CORPORA_SCALE_CHAPTERS=15`` builds a tenth of it (the same pages, fewer of them).
"""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 60
GOAL_MB = 1024
LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
FINALS = {"כ": "ך", "מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ"}
SIGLA = ("A", "B", "C", "D", "E")


def _word(rng: random.Random) -> str:
    word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 7)))
    return word[:-1] + FINALS.get(word[-1], word[-1])


def edition(chapters: int = 150, paragraphs: int = 10, words: int = 105, app_every: int = 18,
            note_every: int = 2, seed: int = 14) -> bytes:
    """The TEI of the benchmark edition (module doc)."""
    rng = random.Random(seed)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="arc">',
           "<teiHeader><fileDesc><titleStmt><title>A generated Aramaic edition</title>"
           "<author>Anonymous</author><editor>The bench</editor></titleStmt>"
           "<publicationStmt><publisher>bench</publisher><availability><licence target="
           '"https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability>'
           "</publicationStmt><sourceDesc><listWit>"]
    out += [f'<witness xml:id="{s}"><idno type="siglum">{s}</idno>Codex {s}</witness>' for s in SIGLA]
    out.append("</listWit></sourceDesc></fileDesc></teiHeader><text><body>")
    n = 0
    for c in range(1, chapters + 1):
        out.append(f'<div type="chapter" n="{c}"><head>פרק {c}</head>')
        for p in range(1, paragraphs + 1):
            parts = []
            for w in range(words):
                word = _word(rng)
                n += 1
                if n % app_every:
                    parts.append(word)
                    continue
                other = "" if rng.random() < 0.1 else _word(rng)
                parts.append(f'<app type="variants"><lem wit="#A #B #C">{word}</lem>'
                             f'<rdg wit="#D #E">{other}</rdg></app>')
            note = (f'<note xml:id="n{c}.{p}">{" ".join(_word(rng) for _ in range(24))}</note>'
                    if p % note_every == 0 else "")
            out.append(f"<p>{' '.join(parts)}.{note}</p>")
        out.append("</div>")
    out.append("</body></text></TEI>")
    return "\n".join(out).encode("utf-8")


def _project(folder: Path, tei: bytes) -> None:
    (folder / "tei").mkdir()
    (folder / "tei" / "aramaic.xml").write_bytes(tei)
    (folder / "edition.toml").write_text('[edition]\ntitle = "Scale"\neditors = ["The bench"]\n'
                                         'outputs = ["html", "pdf"]\n\n[html]\nsearch = false\n',
                                         encoding="utf-8")


def _cpu_of(pid: int) -> tuple[int, float] | None:
    """(parent id, CPU seconds so far) of a process, from /proc (Linux); None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_while(process: subprocess.Popen) -> float:
    """The CPU seconds of ``process`` and every process it starts, until it ends: the build's
    layout workers are children of a fork server, not of the build, so the build's own
    ``RUSAGE_CHILDREN`` misses them; they are read from /proc every 0.1 s (0 where there is none)."""
    if not Path("/proc/self/stat").is_file():
        process.wait()
        return 0.0
    seen = {process.pid: 0.0}
    while process.poll() is None:
        table = {pid: found for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                 if (found := _cpu_of(pid)) is not None}
        for pid in sorted(table):   # a child has a larger id than its parent, as a rule; else next round
            if table[pid][0] in seen:
                seen[pid] = max(seen.get(pid, 0.0), table[pid][1])
        time.sleep(0.1)
    return sum(seen.values())


def measure(tei: bytes) -> tuple[float, float, int, str, int, float, str]:
    """(seconds, peak MB, exit status, last lines of output, W701 warnings: a layout that did not
    settle, CPU seconds of all the build's processes, what the volume laid out anew) of one build
    in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _project(folder, tei)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with tempfile.TemporaryFile("w+") as output:
            process = subprocess.Popen([sys.executable, "-m", "edition", "build", "-o", "html", "-o", "pdf", "--force"],
                                       cwd=folder, stdout=output, stderr=subprocess.STDOUT, text=True,
                                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": tmp})
            cpu = _cpu_while(process)
            output.seek(0)
            said = output.read()
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # the build itself, whole (the last samples of it may miss its last tenth of a second)
        cpu = max(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        # ru_maxrss of the children is the largest child's peak (KB on Linux)
        tail = "\n".join(said.strip().splitlines()[-4:])
        unsettled = said.count("[W701]")
        return (seconds, max(after.ru_maxrss, before.ru_maxrss) / 1024, process.returncode, tail, unsettled, cpu,
                _anew(said))


def _anew(said: str) -> str:
    """What the volume laid out anew, from the build's progress after it says it lays out the
    volume: the chapters ("<text>: <chapter> laid out (…)") and the build's own count."""
    _, found, volume = said.partition("laying out the volume")
    if not found:
        return "no volume in the build's output"
    chapters = re.findall(r": (?!front matter)\S+ laid out \(\d+ piece", volume)
    count = next(iter(re.findall(r"\d+ piece\(s\) laid out anew", volume)), "no count")
    return f"{len(chapters)} chapter piece(s) laid out anew (the build: {count})"


def run() -> list[str]:
    """Measure and return the lines to print."""
    tei = edition(chapters=int(os.environ.get("CORPORA_SCALE_CHAPTERS", "150")))
    apps, notes = tei.count(b"<app "), tei.count(b"<note ")
    seconds, peak, status, tail, unsettled, cpu, volume = measure(tei)
    verdict = "meets" if seconds < GOAL_SECONDS and peak < GOAL_MB and status == 0 else "misses"
    lines = [f"edition: {len(tei) / 1e6:.1f} MB, {apps} <app type=\"variants\">, {notes} notes",
             f"build -o html -o pdf: {seconds:.1f} s ({cpu:.1f} CPU-s, all its processes), peak {peak:.0f} MB, exit {status} "
             f"({verdict} the goal: < {GOAL_SECONDS} s, < {GOAL_MB} MB); {unsettled} W701 (layouts that did not settle)",
             f"cores used: {cpu / seconds / (os.cpu_count() or 1):.0%} of {os.cpu_count()}", f"volume: {volume}"]
    if status:
        lines.append(f"build output: {tail}")
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1:   # write the edition: python bench/bench_corpora_scale.py OUT.xml
        Path(sys.argv[1]).write_bytes(edition())
    else:
        print("\n".join(run()))
