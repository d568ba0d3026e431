"""Stand-in renderers for the incremental-build tests: they record how they were called.

``render_pages`` is incremental (one page per text it is given, plus an index of every text);
``render_all`` is not (it always gets every text); ``render_slow`` writes one file per text
with pauses, so a test can kill a build while it runs.
"""

from __future__ import annotations

import re
import sys
import time

from edition.diagnostics import Diagnostic, Severity
from edition.fsutil import write_atomic

CALLS: list[tuple[str, list[str], list[str]]] = []


def _words(document) -> str:
    return " ".join("".join(document.xpath("//tei:text")[0].itertext()).split())


def render_pages(project, documents, report):
    """One page per given text, and an index listing every text of the edition."""
    everyone = getattr(documents, "all", documents)
    CALLS.append(("pages", [d.id for d in documents], [d.id for d in everyone]))
    out = project.build_dir / "fake"
    written = []
    for document in documents:
        # W900 is no code of the tool (warning() refuses it), so a real warning is never taken for this one
        report.add(Diagnostic("W900", Severity.WARNING, f"fake warning for {document.id}", str(document.path), 1, 1))
        if write_atomic(out / document.id / "index.html", _words(document)):
            written.append(out / document.id / "index.html")
    index = "\n".join(d.title for d in sorted(everyone, key=lambda d: d.id))
    if write_atomic(out / "index.html", index):
        written.append(out / "index.html")
    return written


render_pages.incremental = True


def render_all(project, documents, report):
    """One text file per text; not incremental, so it always gets every text."""
    CALLS.append(("all", [d.id for d in documents], [d.id for d in getattr(documents, "all", documents)]))
    written = []
    for document in documents:
        target = project.build_dir / "fakeall" / f"{document.id}.txt"
        if write_atomic(target, _words(document)):
            written.append(target)
    return written


def render_slow(project, documents, report):
    """Like a slow PDF renderer: announces itself, then writes one large file per text slowly."""
    print("fake-slow: started", file=sys.stderr, flush=True)
    written = []
    for document in documents:
        time.sleep(0.4)
        target = project.build_dir / "fakeslow" / f"{document.id}.bin"
        write_atomic(target, (_words(document) + "\n").encode() * 20000)
        written.append(target)
    return written


def render_html(project, documents, report):
    """A minimal web edition: a page per given text and a home page listing every text."""
    everyone = getattr(documents, "all", documents)
    out = project.build_dir / "html"
    written = []
    for document in documents:
        page = (f"<!DOCTYPE html><html><head><title>{document.title}</title></head>"
                f"<body><main>{_words(document)}</main></body></html>\n")
        if write_atomic(out / document.id / "index.html", page):
            written.append(out / document.id / "index.html")
    items = "".join(f'<li><a href="{d.id}/">{d.title}</a></li>' for d in sorted(everyone, key=lambda d: d.id))
    if write_atomic(out / "index.html", f"<!DOCTYPE html><html><body><ul>{items}</ul></body></html>\n"):
        written.append(out / "index.html")
    return written


render_html.incremental = True


def with_own_ids(tei: str, prefix: str) -> str:
    """A copy of a TEI text whose ``xml:id``s (and the pointers to them) start with ``prefix``,
    so that several copies can be texts of one edition (ids are unique edition-wide)."""
    tei = re.sub(r'xml:id="([^"]+)"', rf'xml:id="{prefix}\1"', tei)
    return re.sub(r'(wit|target|resp)="([^"]+)"',
                  lambda m: f'{m.group(1)}="' + " ".join(f"#{prefix}{t[1:]}" if t.startswith("#") else t
                                                         for t in m.group(2).split()) + '"', tei)


def render_stuck(project, documents, report):
    """A step that starts a child process and a busy worker thread, then waits on both: what a
    hung external tool looks like (tests/test_signals.py). Prints the child's pid first."""
    import subprocess
    import sys
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    child = subprocess.Popen(["sleep", "600"])
    print(f"stuck: child {child.pid}", file=sys.stderr, flush=True)
    pool = ThreadPoolExecutor(max_workers=1)  # a non-daemon worker, as the search index uses
    started = threading.Event()
    future = pool.submit(lambda: (started.set(), time.sleep(600)))
    started.wait()
    future.result()
    return []
