"""The search index in shards (``edition.render.search``): one page changed re-indexes its
shard and the index of the shards' words, nothing else; an unchanged site runs Pagefind not at
all; a site that shrinks to one shard loses the others' folders.

Which shard holds a page is read from Pagefind's own output (the page's fragment names it),
not from the dealing code. That a search over the shards finds what one index finds is
``tests/browser/test_search_shards.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from edition.render import search

PAGES = 12
WORDS = ["harbour", "lantern", "meadow", "orchard", "quarry", "river", "saddle", "thimble"]


def page(n: int, extra: str = "") -> str:
    words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(3))
    return (f'<!DOCTYPE html><html lang="en"><head><title>Page {n}</title></head><body>'
            f"<article data-pagefind-body><h1>Page {n}</h1><p>{words} {extra}</p></article></body></html>")


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def holder(out: Path, name: str) -> str:
    """The folder (in ``pagefind/``) whose fragments hold the page ``name``."""
    for fragment in out.rglob("fragment/*.pf_fragment"):
        if json.loads(gzip.decompress(fragment.read_bytes())[12:])["url"] == f"/{name}":
            folder = fragment.parent.parent.relative_to(out).as_posix()
            return "" if folder == "." else folder
    raise AssertionError(f"{name} is in no shard")


def where(rel: str) -> str:
    """The shard a file of ``pagefind/`` belongs to ("" the first; "words"; "shards.json")."""
    parts = rel.split("/")
    return "/".join(parts[:2]) if parts[0] == "shards" else parts[0] if parts[0] in ("words", "shards.json") else ""


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    runs = []
    real = search._index
    monkeypatch.setattr(search, "_index", lambda pages, output: (runs.append(sorted(pages)), real(pages, output)))
    out, stamp = tmp_path / "pagefind", tmp_path / ".cache" / "search.json"
    pages = {f"p{n:02d}.html": page(n) for n in range(PAGES)}
    search.index_shards(pages, out, stamp)
    return out, stamp, pages, runs


def test_one_page_changed_reindexes_its_shard_and_the_words_only(site):
    out, stamp, pages, runs = site
    listing = json.loads((out / "shards.json").read_text())
    assert len(listing["merge"]) + 1 == len({holder(out, name) for name in pages}) >= 2
    before = stamps(out)
    runs.clear()
    pages["p05.html"] = page(5, "weathervane")
    written = search.index_shards(pages, out, stamp)
    own = holder(out, "p05.html")
    # Pagefind ran twice: on the changed page's shard, then on the shards' words
    assert len(runs) == 2 and "p05.html" in runs[0] and all(n in runs[0] for n in pages if holder(out, n) == own)
    after = stamps(out)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    others = [rel for rel in changed if where(rel) not in (own, "words", "shards.json")]
    assert others == [] and any(where(rel) == own for rel in changed), sorted(changed)
    assert {p.relative_to(out).as_posix() for p in written} <= changed
    runs.clear()
    assert search.index_shards(pages, out, stamp) == [] and runs == []   # nothing changed: no Pagefind
    assert stamps(out) == after


def test_a_site_of_one_shard_keeps_no_other(site):
    out, stamp, pages, runs = site
    assert (out / "shards").is_dir() and (out / "words").is_dir()
    few = {name: html for name, html in sorted(pages.items())[:3]}
    search.index_shards(few, out, stamp)
    assert not (out / "shards").exists() and not (out / "words").exists()
    assert json.loads((out / "shards.json").read_text()) == {"first": "0", "merge": {}, "words": None, "pages": {}}
    assert {holder(out, name) for name in few} == {""}


def test_a_build_after_one_text_changed_keeps_every_shard(tmp_path, monkeypatch):
    """Through ``edition build``: the unchanged shards are still the build's outputs (counted
    as made, so not deleted as a removed text's), and the changed text's shard finds its edit."""
    from corpus_gen import make_corpus

    from edition import build as builder
    from edition.project import load_project

    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    root = make_corpus(tmp_path / "ed", 8, max_pages=1, outputs=("html",))
    builder.build(load_project(root), jobs=1)
    out = root / "build" / "html" / "pagefind"
    before = stamps(out)
    assert len(json.loads((out / "shards.json").read_text())["merge"]) >= 2
    letter = root / "tei" / "letter0003.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("\n  </div></body>", "<p>A weathervane.</p>\n  </div></body>"),
                      encoding="utf-8")
    builder.build(load_project(root), jobs=1)
    after = stamps(out)
    own = holder(out, "letter0003.html")
    assert {where(rel) for rel in after} == {where(rel) for rel in before}   # no shard lost, none added
    unchanged = {rel: stamp for rel, stamp in before.items() if where(rel) not in (own, "words", "shards.json")}
    assert unchanged and unchanged == {rel: after.get(rel) for rel in unchanged}
    fragment = next(f for f in (out / own if own else out).glob("fragment/*")
                    if "/letter0003.html" in gzip.decompress(f.read_bytes()).decode())
    assert "weathervane" in gzip.decompress(fragment.read_bytes()).decode()
