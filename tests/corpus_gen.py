"""A generated corpus: an ``edition init`` project holding N letters made from real prose.

The words come from the third-party corpora (``../shared/corpora``: Mitford's sketch, the
Kleist drama, the Schnitzler letter), so the texts break lines, hyphenate and fill pages as
real ones do. Each letter has an author, a date (``correspDesc``) and a number of paragraphs
drawn (seeded, so reproducible) to fill from ``min_pages`` to ``max_pages`` book pages, a
footnote every few paragraphs. Used by the corpus-scale tests and ``bench/bench_corpus.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from edition.scaffold import init_project

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SOURCES = ["mitford/OVTheTalkingLady.xml", "gerdracor/kleist-robert-guiskard.xml",
           "schnitzler-briefe/L02960.xml"]
AUTHORS = ["Mary Russell Mitford", "Heinrich von Kleist", "Arthur Schnitzler", "Felix Salten"]
WORDS_PER_PARAGRAPH = 120
PARAGRAPHS_PER_PAGE = 2.5    # a book page (156 × 234 mm) holds about 300 words


def corpus_words() -> list[str]:
    """Every word of the sources' ``<text>``, in order."""
    words: list[str] = []
    for rel in SOURCES:
        tree = etree.parse(str(CORPORA / rel))
        body = tree.find(".//{http://www.tei-c.org/ns/1.0}text")
        words.extend(re.findall(r"\S+", " ".join(body.itertext())))
    return words


def letter(number: int, paragraphs: int, words: list[str], rng: random.Random) -> str:
    """One TEI letter of ``paragraphs`` paragraphs."""
    author = AUTHORS[number % len(AUTHORS)]
    date = f"{1880 + rng.randrange(40)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
    body = []
    for p in range(paragraphs):
        start = rng.randrange(max(1, len(words) - WORDS_PER_PARAGRAPH))
        text = escape(" ".join(words[start:start + WORDS_PER_PARAGRAPH]))
        note = f'<note place="foot">Note {p + 1} to letter {number}.</note>' if p % 3 == 2 else ""
        body.append(f"<p>{text}{note}</p>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter {number}</title><author>{author}</author></titleStmt>
      <publicationStmt><p>Generated for testing.</p></publicationStmt>
      <sourceDesc><p>Words from the shared corpora.</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc><correspAction type="sent"><persName>{author}</persName><date when="{date}"/></correspAction></correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><div><head>Letter {number}</head>
{chr(10).join(body)}
  </div></body></text>
</TEI>
"""


def make_corpus(root: Path, texts: int, *, min_pages: int = 1, max_pages: int = 15, seed: int = 22,
                outputs: tuple[str, ...] = ("txt", "html", "pdf"), extra_settings: str = "") -> Path:
    """``edition init`` at ``root`` with ``texts`` generated letters (and no example text)."""
    init_project(root)
    (root / "tei" / "example.xml").unlink()
    toml = root / "edition.toml"
    settings = toml.read_text(encoding="utf-8").replace(
        'outputs = ["txt", "html", "pdf"]', "outputs = [" + ", ".join(f'"{o}"' for o in outputs) + "]")
    toml.write_text(settings + extra_settings, encoding="utf-8")
    rng = random.Random(seed)
    words = corpus_words()
    for number in range(1, texts + 1):
        pages = rng.randint(min_pages, max_pages)
        paragraphs = max(1, round(pages * PARAGRAPHS_PER_PAGE) - 1)
        (root / "tei" / f"letter{number:04d}.xml").write_text(letter(number, paragraphs, words, rng), encoding="utf-8")
    return root
