"""The offline full-text search of the web edition, built with Pagefind at build time.

In: the HTML of the text pages (``{file name: html}``; the build's renderer ``index_site`` reads
them from ``build/html/``, where ``edition.render.site`` wrote them). Out: the Pagefind bundle in
``build/html/pagefind/`` (index, fragments, ``pagefind.js``), which the site's own
``search.js`` (through ``search-index.js``) queries in the browser without any server code.
Only the part of a page marked ``data-pagefind-body`` is indexed (the text, its notes and
apparatus, and so every variant reading); controls carry ``data-pagefind-ignore``.

Why shards: Pagefind has no incremental mode, and one index of a thousand letters costs
about 9 CPU-seconds, every time one letter changes. So the pages are dealt into shards of
about ``SHARD_PAGES`` by a hash of their file name (``shard_count``: a power of two, so a
page keeps its shard until the corpus doubles), each shard is a Pagefind index of its own,
and only a shard whose pages changed is indexed again (``.cache/html-search.json`` keeps
each shard's hash and words). The first shard is the whole bundle in ``pagefind/``; the
others, in ``pagefind/shards/<n>/``, hold only their index (the browser searches them with
the first one's program), listed in ``pagefind/shards.json``; ``search-index.js`` merges them
with Pagefind's documented ``mergeIndex``.

Why an index of words (``pagefind/words/``): Pagefind matches a word asked by the words of
its index that begin with it, else by the longest word of its index it begins with; a shard
lacking the first kind falls back on the second where one index of all the pages would not,
and finds pages one index would not. So each shard's words (as Pagefind read them: its
fragments' text) are indexed as a page of their own, and the browser asks that index first:
the pages of words it finds are the shards holding, for every word asked, a word one index
would match, and only those shards are searched, each then matching what one index would. A
search finds the same pages as one index of them all (``tests/browser/test_search_shards.py``);
pages that score alike may come in another order, each shard weighing words by its own pages.
An edition of up to ``SHARD_PAGES`` pages has one shard: the bundle Pagefind alone makes.

Pagefind (its command, on the pages written into a folder of their own) writes into a
temporary folder; its files are then copied with ``write_atomic`` (only changed bytes are
rewritten) and stale files are removed, so a failed run leaves the previous index whole.
Pagefind needs the page to be served over HTTP (any static server).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from edition.diagnostics import EditionError, error, warning
from edition.fsutil import claim, write_atomic
from edition.render.draftmark import unmarked

ENTRY = "pagefind-entry.json"
PAGEFIND_SECONDS = 3600   # a site of many thousand pages; a hung index ends the build rather than block it
SEARCH_STAMP = Path(".cache") / "html-search.json"   # in build/: what each shard was made from
SHARD_PAGES = 64          # pages a shard holds at most on average: what one changed text costs to index
SHARDS_DIR = "shards"     # in pagefind/: the shards after the first
SHARDS_FILE = "shards.json"   # in pagefind/: their folders, for search-index.js
WORDS_DIR = "words"       # in pagefind/: the index of the shards' words (``_word_html``)
DATA = ("index", "fragment", "filter")   # a merged shard's folders: its index, no program
SIGNATURE = b"pagefind_dcd"   # what a Pagefind file begins with, once unzipped
TOP = (SHARDS_DIR, SHARDS_FILE, WORDS_DIR)   # in pagefind/: not the first shard's own files


def index_site(project, documents, report) -> "Indexing | list[Path]":
    """The build's renderer: the search index of the site's pages, as ``edition.render.site``
    wrote them (every page of ``build/html/``; Pagefind indexes those with a
    ``data-pagefind-body``: the texts' pages). A renderer of its own, after the pages: ``edition
    serve`` publishes the pages first and the index after, so an edit shows at once. It answers
    at once, Pagefind at work in the background while the build goes on: an ``Indexing``,
    whose ``finish`` the build calls before it publishes (``[]``: no search)."""
    pages = _pages_to_index(project)
    if pages == {}:
        # Pagefind refuses a site with nothing to index: an edition without a text yet
        report.add(warning("W611", "search is on, but no page has a text to index: the site is built "
                                   "without a search index", project.build_dir / "html",
                           hint="add a text to tei/, or set [html] search = false in edition.toml"))
    if not pages:
        return []
    return Indexing(pages, project.build_dir / "html" / "pagefind", project.build_dir / SEARCH_STAMP)


def _pages_to_index(project) -> dict[str, str] | None:
    """The pages Pagefind indexes, by name (None: search is off)."""
    if not project.html.get("search", True):
        return None
    out_dir = project.build_dir / "html"
    # the pages Pagefind indexes, as the renderer wrote them: a page a draft build kept carries
    # the marks of the last one, a page made now not yet (``edition.build.draft`` marks them
    # all at the end, and lists the errors on a page of its own, which has nothing to index)
    return {path.name: unmarked(html) for path in sorted(out_dir.glob("*.html"))
            if "data-pagefind-body" in (html := path.read_text(encoding="utf-8"))}


def shard_count(pages: int) -> int:
    """The shards for this many pages: the least power of two giving ``SHARD_PAGES`` or fewer each."""
    count = 1
    while count * SHARD_PAGES < pages:
        count *= 2
    return count


def shards(pages: dict[str, str]) -> dict[str, dict[str, str]]:
    """The pages dealt into shards: {folder in ``pagefind/``: pages}, "" the first (whole) one."""
    count = shard_count(len(pages))
    groups: dict[int, dict[str, str]] = {}
    for name, html in sorted(pages.items()):
        number = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count
        groups.setdefault(number, {})[name] = html
    numbers = sorted(groups)
    if not numbers:   # no page to index: the first shard, empty
        return {"": {}}
    return {("" if number == numbers[0] else f"{SHARDS_DIR}/{number}"): groups[number] for number in numbers}


def _key(folder: str, pages: dict[str, str]) -> str:
    digest = hashlib.sha256(folder.encode() + b"\0")
    for name, html in sorted(pages.items()):
        digest.update(name.encode() + b"\0" + html.encode() + b"\0")
    return digest.hexdigest()


def index_shards(pages: dict[str, str], out_dir: Path, stamp: Path) -> list[Path]:
    """Index each shard of ``pages`` whose pages changed since the ``stamp`` was written (or
    whose index is gone), then the index of their words; keep the others; the files written."""
    return Indexing(pages, out_dir, stamp).finish()


class Indexing:
    """The shards of ``pages`` that changed, and the index of the shards' words, made by
    Pagefind in the background into a folder of their own (``_make``), then put into
    ``out_dir`` by ``finish`` (in the thread that calls it: the build's writes are its own);
    the unchanged shards are counted as made at once."""

    def __init__(self, pages: dict[str, str], out_dir: Path, stamp: Path):
        self.out_dir, self.stamp = out_dir, stamp
        self.dealt = shards(pages)
        self.keys = {folder: _key(folder, group) for folder, group in self.dealt.items()}
        try:
            before = json.loads(stamp.read_text(encoding="utf-8"))
            known, self.words, words_key = before["keys"], before["words"], before["words_key"]
        except (OSError, ValueError, KeyError, TypeError):
            known, self.words, words_key = {}, {}, None
        self.stale = [folder for folder in self.dealt if known.get(folder) != self.keys[folder]
                      or folder not in self.words or not (out_dir / folder / ENTRY).is_file()]
        for folder in self.dealt:
            if folder not in self.stale:   # still this build's outputs
                claim(_files(out_dir / folder, skip=() if folder else TOP))
        if len(self.dealt) > 1 and not (out_dir / WORDS_DIR / ENTRY).is_file():
            words_key = None
        self.scratch = Path(tempfile.mkdtemp(prefix="pagefind-"))
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-search")
        self.job = pool.submit(self._make, words_key)
        pool.shutdown(wait=False)

    def _make(self, words_key: str | None) -> str | None:
        """In the background: Pagefind on each stale shard, then on the shards' words when
        they changed, into the scratch folder; the words' key, or None when unchanged."""
        with ThreadPoolExecutor(max_workers=_cores()) as pool:
            runs = [pool.submit(_pagefind, self.dealt[folder], self.scratch / str(n), self.out_dir / folder)
                    for n, folder in enumerate(self.stale)]
            for run in runs:
                run.result()
        for n, folder in enumerate(self.stale):
            self.words[folder] = shard_words(self.scratch / str(n))
        self.words = {folder: self.words[folder] for folder in self.dealt}
        pages = _word_html(self.words)
        fresh = _key(WORDS_DIR, pages)
        if len(self.dealt) == 1 or fresh == words_key:
            return None
        _pagefind(pages, self.scratch / WORDS_DIR, self.out_dir / WORDS_DIR)
        return fresh

    def finish(self) -> list[Path]:
        """Wait for Pagefind; put what it made into ``out_dir``; the files written."""
        try:
            words_key = self.job.result()
            written: list[Path] = []
            for n, folder in enumerate(self.stale):
                written.extend(_copy_in(self.scratch / str(n), self.out_dir / folder, data_only=bool(folder),
                                        keep=() if folder else TOP))
            listing = {"first": _number(next(iter(self.dealt))), "merge": {_number(f): f + "/" for f in self.dealt if f},
                       "words": None, "pages": {}}
            if len(self.dealt) > 1:
                if words_key is None:
                    claim(_files(self.out_dir / WORDS_DIR))
                else:
                    written.extend(_copy_in(self.scratch / WORDS_DIR, self.out_dir / WORDS_DIR, data_only=True))
                listing.update(words=WORDS_DIR + "/", pages=_word_pages(self.out_dir / WORDS_DIR))
            if write_atomic(self.out_dir / SHARDS_FILE, json.dumps(listing, indent=1) + "\n"):
                written.append(self.out_dir / SHARDS_FILE)
            _drop_shards(self.out_dir, set(self.dealt))
            record = {"keys": self.keys, "words": self.words,
                      "words_key": words_key or _key(WORDS_DIR, _word_html(self.words))}
            write_atomic(self.stamp, json.dumps(record, sort_keys=True) + "\n", durable=False)
            return written
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Drop the scratch folder, now or once Pagefind is done (a build that stopped)."""
        self.job.add_done_callback(lambda _: shutil.rmtree(self.scratch, ignore_errors=True))


def _number(folder: str) -> str:
    """A shard's name in ``shards.json`` (and its filter value in the browser): its number."""
    return folder.rsplit("/", 1)[-1] if folder else "0"


def shard_words(folder: Path) -> dict[str, list[str]]:
    """The words of a shard as Pagefind read them, by language: each distinct word (a run of
    characters between spaces) of its pages' fragments, whose ``content`` Pagefind indexed."""
    seen: dict[str, set[str]] = {}
    for path in sorted((folder / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(SIGNATURE):
            raise EditionError(error("E610", "the search index could not be read back (Pagefind's format changed?)",
                                     path, hint="set [html] search = false in edition.toml to build without search"))
        language = path.name.split("_", 1)[0]   # en_1a2b3c4.pf_fragment
        seen.setdefault(language, set()).update(json.loads(data[len(SIGNATURE):])["content"].split())
    return {language: sorted(found) for language, found in sorted(seen.items())}


def _word_html(words: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """The pages of the shards' words: one a shard and language, holding that shard's words."""
    pages = {}
    for folder, languages in words.items():
        for language, found in languages.items():
            pages[f"{_number(folder)}-{language}.html"] = (
                f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
                f"<title>{_number(folder)}</title></head><body data-pagefind-body>"
                f'<p>{escape(" ".join(found))}</p></body></html>\n')
    return pages


def _word_pages(out_dir: Path) -> dict[str, str]:
    """{Pagefind's id of a page of words: its shard}, for ``search-index.js``."""
    pages = {}
    for path in sorted((out_dir / "fragment").glob("*.pf_fragment")):
        url = json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])["url"]
        pages[path.name.removesuffix(".pf_fragment")] = url.strip("/").split("-", 1)[0]
    return pages


def _files(folder: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """The files under ``folder`` but those under its entries named in ``skip`` (a thousand
    texts' index is a thousand files: walked with plain strings)."""
    found = []
    for top, folders, files in os.walk(folder):
        if top == str(folder):
            folders[:] = [name for name in folders if name not in skip]
            files = [name for name in files if name not in skip]
        found.extend(Path(top, name) for name in files)
    return found


def _drop_shards(out_dir: Path, folders: set[str]) -> None:
    """Remove the folders of shards there are no more (the corpus shrank, or was dealt anew)."""
    if len(folders) == 1 and (out_dir / WORDS_DIR).is_dir():
        shutil.rmtree(out_dir / WORDS_DIR)
    top = out_dir / SHARDS_DIR
    if top.is_dir():
        for old in sorted(top.iterdir()):
            if f"{SHARDS_DIR}/{old.name}" not in folders:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        if not any(top.iterdir()):
            top.rmdir()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def index_pages(pages: dict[str, str], out_dir: Path) -> list[Path]:
    """(Re)build one search index of ``pages`` in ``out_dir``; return the files written."""
    with tempfile.TemporaryDirectory(prefix="pagefind-") as tmp:
        _pagefind(pages, Path(tmp), out_dir)
        return _copy_in(Path(tmp), out_dir)


def _pagefind(pages: dict[str, str], output: Path, where: Path | None = None) -> None:
    """Pagefind's index of ``pages`` in the folder ``output`` (E610, naming ``where`` in the
    build, when it fails)."""
    try:
        _index(pages, str(output))
    except EditionError:
        raise
    except Exception as exc:  # the Pagefind binary failed
        raise EditionError(error("E610", f"the search index could not be built: {exc}", where or output,
                                 hint="set [html] search = false in edition.toml to build without search")) from None


def _copy_in(made: Path, out_dir: Path, *, data_only: bool = False, keep: tuple[str, ...] = ()) -> list[Path]:
    """Put the index Pagefind ``made`` into ``out_dir`` (changed files only; stale ones
    removed); the files written. ``data_only``: without Pagefind's program (a merged shard);
    ``keep``: the names in ``out_dir`` that are not this index's (left alone)."""
    fresh = {p.relative_to(made).as_posix(): p for p in made.rglob("*") if p.is_file()}
    if data_only:
        fresh = {rel: p for rel, p in fresh.items()
                 if rel == ENTRY or rel.endswith(".pf_meta") or rel.split("/")[0] in DATA}
    written = []
    for rel, path in sorted(fresh.items()):
        if write_atomic(out_dir / rel, path.read_bytes(), durable=False):
            written.append(out_dir / rel)
    _sweep(out_dir, set(fresh), keep)
    return written


def _sweep(out_dir: Path, fresh: set[str], keep: tuple[str, ...]) -> None:
    """Remove the files of ``out_dir`` not in ``fresh``, and folders left empty, but for the
    names in ``keep`` (other shards, being written meanwhile: never walked)."""
    if not out_dir.is_dir():
        return
    for top in sorted(out_dir.iterdir()):
        if top.name in keep:
            continue
        for old in sorted([top, *top.rglob("*")] if top.is_dir() else [top], reverse=True):
            if old.is_file() and old.relative_to(out_dir).as_posix() not in fresh:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()


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
