"""A search index in shards finds the same pages as one index of them all.

The build deals a corpus's pages into Pagefind indexes of their own (``edition.render.search``:
shards, merged in the browser by ``static/search-index.js`` with Pagefind's ``mergeIndex``),
so that one text changed re-indexes one shard. Here a generated corpus of letters is built
twice: with one index (shards larger than the corpus), then in shards of four pages; both are
served on 127.0.0.1 and searched in headless Chromium through the site's own
``search-index.js``. For several queries (words chosen by reading the TEI here: rare, common,
two words, a footnote's word, a word in no letter) the set of pages found must be the same,
and must hold every letter whose TEI has the word.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
from corpus_gen import make_corpus

from edition import build as builder
from edition.project import load_project
from edition.render import search

LETTERS = 24


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _words(tei: Path) -> set[str]:
    """The lower-case words of a letter's paragraphs and notes, read from its TEI."""
    body = tei.read_text(encoding="utf-8").split("<body>", 1)[1]
    return set(re.findall(r"[a-zäöüß]+", re.sub(r"<[^>]+>", " ", body).lower()))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(served address, {"one": one index, "shards": in shards}, {letter: its words})."""
    top = tmp_path_factory.mktemp("shards")
    root = make_corpus(top / "ed", LETTERS, max_pages=1, outputs=("html",))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        monkeypatch.setattr(search, "SHARD_PAGES", 1000)
        builder.build(load_project(root), jobs=1)
        (root / "build").rename(top / "one")
        monkeypatch.setattr(search, "SHARD_PAGES", 4)
        builder.build(load_project(root), jobs=1)
        (root / "build").rename(top / "shards")
    listed = json.loads((top / "shards" / "html" / "pagefind" / "shards.json").read_text())
    assert len(listed["merge"]) >= 4 and listed["words"], listed   # 8 shards of about 3 letters (one may be empty)
    alone = json.loads((top / "one" / "html" / "pagefind" / "shards.json").read_text())
    assert alone["merge"] == {} and alone["words"] is None
    words = {tei.stem: _words(tei) for tei in sorted((root / "tei").glob("*.xml"))}
    handler = functools.partial(_Quiet, directory=str(top))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", words
    httpd.shutdown()
    httpd.server_close()
    shutil.rmtree(top, ignore_errors=True)


FIND = """async (query) => {
  const { openIndex } = await import("./static/search-index.js");
  const pagefind = await openIndex();
  const found = await pagefind.search(query);
  return (await Promise.all(found.results.map((r) => r.data()))).map((page) => page.url.split("/").pop()).sort();
}"""


def _queries(words: dict[str, set[str]]) -> list[str]:
    """Words to search for, chosen by how many letters have them: whole words first (each in
    at least one letter), then a beginning of a word, a word no letter has that begins with a
    rare one (one index matches it by the longest word it begins with), a phrase in quotes,
    and a word in none."""
    counts = Counter(word for seen in words.values() for word in seen if len(word) >= 4)
    by_count = sorted(counts.items(), key=lambda item: (item[1], item[0]))
    rare = next(word for word, n in by_count if n == 1)
    few = next(word for word, n in by_count if 3 <= n <= 5)
    half = min(by_count, key=lambda item: (abs(item[1] - len(words) // 2), item[0]))[0]
    common = max(by_count, key=lambda item: (item[1], item[0]))[0]
    pair = next(f"{a} {b}" for a, n in by_count if 4 <= n <= 10 for b, m in by_count
                if b != a and 4 <= m <= 10 and 0 < sum(a in s and b in s for s in words.values()) < n)
    return [rare, few, half, common, pair, f"{rare} {common}", "note", few[:3], rare + "qzx", f'"{pair}"', "zqxjvwk"]


WHOLE = 7   # the queries above made of whole words of the letters


def test_shards_find_the_same_pages_as_one_index(browser, sites):
    address, words = sites
    seen: dict[str, dict[str, list[str]]] = {}
    for site in ("one", "shards"):
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{address}/{site}/html/search.html")
        seen[site] = {query: page.evaluate(FIND, query) for query in _queries(words)}
        assert errors == []
        page.close()
    assert seen["shards"] == seen["one"]
    for query in _queries(words)[:WHOLE]:
        found = {Path(name).stem for name in seen["shards"][query]}
        having = {letter for letter, own in words.items() if all(w in own for w in query.split())}
        assert having <= found, (query, sorted(having - found))
    queries = _queries(words)
    assert seen["shards"]["zqxjvwk"] == [] and 0 < len(seen["shards"][queries[0]]) < LETTERS
    assert seen["one"][queries[8]], "one index finds a word by a word it begins with"


def test_the_search_page_counts_every_shard(browser, sites):
    """The page an editor's reader uses says as many texts found as one index finds."""
    address, words = sites
    common = _queries(words)[3]
    said = {}
    for site in ("one", "shards"):
        page = browser.new_page()
        page.goto(f"{address}/{site}/html/search.html?q={common}")
        page.wait_for_function("document.getElementById('ed:search-status').textContent.includes('found')",
                               timeout=30000)
        said[site] = page.evaluate("document.getElementById('ed:search-status').textContent")
        page.close()
    having = sum(common in own for own in words.values())
    assert said["shards"] == said["one"] and said["one"].startswith(f"{having} text")
