"""Pieces of a book laid out in parallel (a process pool) and kept by what they are made of.

In: ``Job``s (one piece's HTML, with its first page number in it, its first line number, the
running heads it inherits, where its seed is kept) and how many processes to use. Out: each
piece's PDF bytes and ``PdfResult`` (pages, numbered lines, the strings it ends with, the levels
of its bookmarks), from ``build/.cache/pdf-pieces/`` when the same job was laid out before.

A job is a piece's layout (``layout.make_pdf``), or only its first pass (``reading``:
``layout.first_reading``, which keeps the piece's seed and makes no PDF). Each job is laid out in a worker process (``jobs`` of them; one: in this
process). A worker ignores Ctrl-C (the build answers it) and dies with the build: the pool's
processes are ended when the build is interrupted (``KeyboardInterrupt``, SIGTERM turned into
an exception by the CLI), and a worker ends itself when the build is killed outright (it
watches the build's sentinel). Nothing is written but whole files in the cache (``write_atomic``), so
an interrupted pool leaves the previous PDF and every cached piece whole.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import weasyprint
from lxml import html as lxml_html

from edition.diagnostics import Diagnostic, Severity
from edition.fsutil import write_atomic
from edition.render.pdf.document import PrintBook, stylesheet_path
from edition.render.pdf.forkserver import start_server
from edition.render.pdf.layout import PdfResult, first_reading, make_pdf
from edition.render.pdf.memory import release_memory, spare_the_settled
from edition.render.pdf.options import PdfOptions
from edition.resources import package_fingerprint

CACHE_DIR = Path(".cache") / "pdf-pieces"
FORMAT = "1"   # bump when what a cached piece holds changes


@dataclass
class Job:
    """One piece to lay out: everything its layout depends on (so its key is its cache name)."""

    label: str
    html: str
    title: str
    authors: list[str]
    lang: str
    first_line: int = 1
    strings: dict[str, str] = field(default_factory=dict)
    seed: Path | None = None
    attachments: list[Path] = field(default_factory=list)
    reading: bool = False   # only the first pass, to know the piece's lines before it is laid out
    _keys: dict = field(default_factory=dict, repr=False, compare=False)

    def key(self, salt: str) -> str:
        if salt not in self._keys:
            self._keys[salt] = self._digest(salt)
        return self._keys[salt]

    def _digest(self, salt: str) -> str:
        digest = hashlib.sha256(salt.encode("utf-8"))
        for part in ("reading" if self.reading else "pdf", self.html, self.title, "\0".join(self.authors), self.lang, str(self.first_line),
                     json.dumps(self.strings, sort_keys=True), "\0".join(p.name for p in self.attachments)):
            digest.update(part.encode("utf-8") + b"\0")
        for path in self.attachments:   # files carried in the PDF: their bytes, not only their names
            digest.update(f"{int(path.stat().st_mtime)}\0".encode("utf-8") + hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()[:32]


@dataclass
class LaidOut:
    """A laid-out piece (or one found in the cache)."""

    data: bytes
    info: PdfResult
    fresh: bool = False   # laid out now, not taken from the cache


def _lay_out(job: Job, options: PdfOptions, root: Path) -> tuple[bytes, PdfResult, tuple[int, float]]:
    """The piece's PDF (none for a reading), its ``PdfResult``, and (this process's id, the CPU
    seconds it has taken so far: its layouts and all between them, as a worker's whole cost)."""
    if not job.html:
        raise ValueError(f"the job of {job.label} was laid out and let go (``pieces``): it is not laid out again")
    release_memory()   # a worker's last piece: not under this one's peak
    cpu = time.process_time()
    book = PrintBook(lxml_html.document_fromstring(job.html), job.title, job.authors, job.lang,
                     attachments=list(job.attachments))
    if job.reading:
        data, info = b"", first_reading(book, options, root, seed=job.seed, first_line=job.first_line,
                                        strings=job.strings)
    else:
        data, info = make_pdf(book, options, root, attach=bool(job.attachments), seed=job.seed,
                              first_line=job.first_line, strings=job.strings)
    info.html = ""   # the final pass's HTML stays in the worker
    info.worker_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info.worker_cpu = time.process_time() - cpu
    return data, info, (os.getpid(), time.process_time())


def _die_with_parent() -> None:
    """A worker: no Ctrl-C of its own (the build stops the pool), and no life after the build.

    The build is not the worker's parent (the fork server is), so the kernel's parent-death
    signal cannot tell; the build's sentinel (a pipe that closes when it dies) can: a thread
    waits on it and ends the worker at once, in the middle of a layout if need be."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    spare_the_settled()   # the layout modules the fork server loaded: no collection's business
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True,
                         name="edition-parent-watch").start()


def _exit_when_gone(sentinel) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _facts(info: PdfResult) -> dict:
    return {"pages": info.pages, "passes": info.passes, "entries": info.entries, "anchors": info.anchors,
            "lines": info.lines, "strings": info.strings, "bookmarks": info.bookmarks, "page_lines": info.page_lines,
            "diagnostics": [dict(asdict(d), severity=d.severity.value) for d in info.diagnostics]}


def _from_facts(facts: dict) -> PdfResult:
    diagnostics = [Diagnostic(**dict(d, severity=Severity(d["severity"]))) for d in facts["diagnostics"]]
    return PdfResult(Path(), facts["pages"], 0, facts["entries"], 0.0, diagnostics, anchors=facts["anchors"],
                     lines=facts["lines"], strings=facts["strings"],
                     bookmarks=[tuple(b) for b in facts["bookmarks"]], page_lines=facts.get("page_lines", []))


class PiecePool:
    """The cache of laid-out pieces and the processes that lay out the missing ones."""

    def __init__(self, project, options: PdfOptions, jobs: int | None = None):
        self.folder = project.build_dir / CACHE_DIR
        self.root = project.root
        self.options = options
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.salt = "\0".join([FORMAT, package_fingerprint(), weasyprint.__version__, repr(options),
                               hashlib.sha256(stylesheet_path().read_bytes()).hexdigest()])
        self.used: set[str] = set()
        self._executor: ProcessPoolExecutor | None = None
        self._cpu: dict[int, float] = {}   # worker process → the CPU seconds it has taken

    @property
    def worker_cpu(self) -> float:
        """The CPU seconds the workers have taken (every layout, readings and layouts done again
        included, and what they did between them), not this process's."""
        return sum(self._cpu.values())

    def cached(self, job: Job) -> LaidOut | None:
        if job.reading:
            return None   # a reading is kept as the piece's seed, not as a piece
        key = job.key(self.salt)
        try:
            facts = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{key}.pdf").read_bytes()
            info = _from_facts(facts)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used.add(key)
        return LaidOut(data, info)

    def _keep(self, job: Job, data: bytes, info: PdfResult, usage: tuple[int, float] | None = None) -> LaidOut:
        if usage is not None:
            self._cpu[usage[0]] = max(self._cpu.get(usage[0], 0.0), usage[1])
        if job.reading:
            return LaidOut(data, info, fresh=True)
        key = job.key(self.salt)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{key}.pdf", data, durable=False)
        write_atomic(self.folder / f"{key}.json", json.dumps(_facts(info), sort_keys=True), durable=False)
        self.used.add(key)
        return LaidOut(data, info, fresh=True)

    def lay_out(self, jobs: list[Job], done=lambda job: None) -> dict[str, LaidOut]:
        """Each job's piece (by label): from the cache, else laid out (in parallel when it pays)."""
        out: dict[str, LaidOut] = {}
        missing = []
        for job in jobs:
            found = self.cached(job)
            if found is None:
                missing.append(job)
            else:
                out[job.label] = found
        if len(missing) <= 1 or self.jobs == 1:
            for job in missing:
                data, info, _ = _lay_out(job, self.options, self.root)
                info.worker_cpu = 0.0   # laid out in this process: its own CPU time counts it
                out[job.label] = self._keep(job, data, info)
                done(job)
            return out
        executor = self._pool()
        try:
            futures = {executor.submit(_lay_out, job, self.options, self.root): job for job in missing}
            for future in as_completed(futures):
                job = futures[future]
                out[job.label] = self._keep(job, *future.result())
                done(job)
        except BaseException:
            self.close(kill=True)
            raise
        return out

    def lay_out_in_turn(self, next_job, finished, between=lambda: None) -> None:
        """Lay out the jobs ``next_job()`` gives (None: none wanted now), asking for the next one
        each time a process is free, so that each job is planned from every piece laid out before
        it; ``finished(job, laid)`` as each is done (from the cache: at once); ``between()`` once
        the free processes have their jobs, before waiting for one (work of this process's that
        no job waits for: the join)."""
        flying: dict = {}
        try:
            while True:
                wanted = []
                # one job more than processes: a process that ends one finds the next waiting,
                # not this one's planning and the round trip of its result (~5 % of their time)
                while len(flying) + len(wanted) < self.jobs + (self.jobs > 1):
                    job = next_job()
                    if job is None:
                        break
                    found = self.cached(job)
                    if found is not None:
                        finished(job, found)
                    else:
                        wanted.append(job)
                if not wanted and not flying:
                    between()
                    return
                if self.jobs == 1 or (len(wanted) == 1 and not flying and self._executor is None):
                    for job in wanted:   # one piece alone (an edit): no process to start for it
                        data, info, _ = _lay_out(job, self.options, self.root)
                        info.worker_cpu = 0.0   # laid out in this process: its own CPU time counts it
                        finished(job, self._keep(job, data, info))
                    continue
                for job in wanted:
                    flying[self._pool().submit(_lay_out, job, self.options, self.root)] = job
                between()
                done, _ = wait(flying, return_when=FIRST_COMPLETED)
                for future in done:
                    job = flying.pop(future)
                    finished(job, self._keep(job, *future.result()))
        except BaseException:
            self.close(kill=True)
            raise

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=start_server(), initializer=_die_with_parent)
        return self._executor

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers (``kill``: now, without waiting for the pieces they are laying out)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)

    def prune(self, before) -> None:
        """Forget the pieces named in ``before`` (the keys the last build used) this one did not use."""
        for key in set(before) - self.used:
            for suffix in (".pdf", ".json"):
                (self.folder / f"{key}{suffix}").unlink(missing_ok=True)
