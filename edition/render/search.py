"""The offline full-text search of the web edition, built with Pagefind at build time.

In: the HTML of the text pages (``{file name: html}``; the build's renderer ``index_site`` reads
them from ``build/html/``, where ``edition.render.site`` wrote them). Out: the Pagefind bundle in
``build/html/pagefind/`` (index, fragments, ``pagefind.js``), which the site's own
``search.js`` queries in the browser without any server code. Only the part of a page marked
``data-pagefind-body`` is indexed (the text, its notes and apparatus, and so every variant
reading); controls carry ``data-pagefind-ignore``.

Pagefind (its command, on the pages written into a folder of their own) writes into a temporary folder; its files are then copied with ``write_atomic``
(only changed bytes are rewritten) and stale files are removed, so a failed run leaves the
previous index whole. Pagefind needs the page to be served over HTTP (any static server).
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.fsutil import claim, write_atomic
from edition.render.draftmark import unmarked

ENTRY = "pagefind-entry.json"
PAGEFIND_SECONDS = 3600   # a site of many thousand pages; a hung index ends the build rather than block it
SEARCH_STAMP = Path(".cache") / "html-search.sha256"   # in build/: what the index was made from


def index_site(project, documents, report) -> list[Path]:
    """The build's renderer: the search index of the site's pages, as ``edition.render.site``
    wrote them (every page of ``build/html/``; Pagefind indexes those with a
    ``data-pagefind-body``: the texts' pages). A renderer of its own, after the pages: ``edition
    serve`` publishes the pages first and the index after, so an edit shows at once."""
    if not project.html.get("search", True):
        return []
    out_dir = project.build_dir / "html"
    # the pages Pagefind indexes, as the renderer wrote them: a page a draft build kept carries
    # the marks of the last one, a page made now not yet (``edition.build.draft`` marks them
    # all at the end, and lists the errors on a page of its own, which has nothing to index)
    pages = {path.name: unmarked(html) for path in sorted(out_dir.glob("*.html"))
             if "data-pagefind-body" in (html := path.read_text(encoding="utf-8"))}
    job = start_index(pages, out_dir / "pagefind", project.build_dir / SEARCH_STAMP)
    return [] if job is None else job.result()


def start_index(pages: dict[str, str], out_dir: Path, stamp: Path) -> Future | None:
    """Begin (re)building the index of ``pages`` in a thread; None when it is already up to date.

    ``stamp`` keeps a hash of the pages last indexed (outside the published folder): when the
    pages are the same and the index is there, nothing is done. The future's result is the
    list of files written; the stamp is written once the index is whole.
    """
    digest = hashlib.sha256()
    for name, html in sorted(pages.items()):
        digest.update(name.encode() + b"\0" + html.encode() + b"\0")
    key = digest.hexdigest()
    try:
        if (out_dir / ENTRY).is_file() and stamp.read_text(encoding="ascii") == key:
            claim([stamp, *(p for p in out_dir.rglob("*") if p.is_file())])  # still this build's outputs
            return None
    except OSError:
        pass
    pool = ThreadPoolExecutor(max_workers=1)

    def job() -> list[Path]:
        written = index_pages(pages, out_dir)
        write_atomic(stamp, key)
        return written

    future = pool.submit(job)
    pool.shutdown(wait=False)
    return future


def index_pages(pages: dict[str, str], out_dir: Path, any_change: bool = True) -> list[Path]:
    """(Re)build the search index of ``pages``; return the files written."""
    if not any_change and (out_dir / ENTRY).is_file():
        return []
    with tempfile.TemporaryDirectory(prefix="pagefind-") as tmp:
        try:
            _index(pages, tmp)
        except EditionError:
            raise
        except Exception as exc:  # the Pagefind binary failed
            raise EditionError(error("E610", f"the search index could not be built: {exc}", out_dir,
                                     hint="set [html] search = false in edition.toml to build without search")) from None
        fresh = {p.relative_to(tmp).as_posix(): p for p in Path(tmp).rglob("*") if p.is_file()}
        written = []
        for rel, path in sorted(fresh.items()):
            if write_atomic(out_dir / rel, path.read_bytes()):
                written.append(out_dir / rel)
    if out_dir.is_dir():
        for old in sorted(out_dir.rglob("*"), reverse=True):
            rel = old.relative_to(out_dir).as_posix()
            if old.is_file() and rel not in fresh:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    return written


def _index(pages: dict[str, str], output: str) -> None:
    """Pagefind's own command on the pages (those with ``data-pagefind-body``), put in a folder
    of their own: six times as fast as its Python service for a hundred pages (which sends them
    one by one), and the same index for the same pages, build after build."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise RuntimeError("the Pagefind program is not installed (pip install 'pagefind[extended]')")
    with tempfile.TemporaryDirectory(prefix="pagefind-site-") as site:
        for name, html in sorted(pages.items()):
            if "data-pagefind-body" in html:
                Path(site, name).write_text(html, encoding="utf-8")
        done = subprocess.run([str(executable), "--site", site, "--output-path", output, "--root-selector", "html",
                               "--silent"], capture_output=True, text=True, timeout=PAGEFIND_SECONDS)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind exited with status {done.returncode}: {done.stderr.strip()[-500:]}")
