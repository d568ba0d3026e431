"""Normalised forms of tokens: for alignment (``n``) and for typing units.

In: a token's original form (``t``) and the general rules (``rules/collation.toml``).
Out: its normalised form ``n`` (case-folded, apostrophes unified, British spelling mapped to
American, punctuation reduced to its class), and the comparison keys the classifier uses at
each level (exact words, case-folded words, spelling-resolved words).

The spelling-variant resource is the PyPI package ``breame`` (Apache-2.0): a curated table of
British spellings with their American equivalents, inflected forms included, maintained as a
package made for exactly this question. It is offline, small and needs no dictionary files;
Debian's word lists (wbritish/wamerican) only say that a word exists in one variety, not which
word it corresponds to, so they serve the tests as an independent check instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from edition.collate.rules import CollationRules


@lru_cache(maxsize=1)
def _british_to_american() -> dict[str, str]:
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return BRITISH_ENGLISH_SPELLINGS


class Normaliser:
    """Normalised forms by the general rules; one per collation, with a cache per word."""

    def __init__(self, rules: CollationRules):
        norm = rules.table("normalise")
        self.punct_class: dict[str, str] = {}
        for name, default in (("dash", "—"), ("double_quote", '"'), ("single_quote", "'")):
            for mark in norm.get(name, []):
                self.punct_class[mark] = default
        self.apostrophes = set(norm.get("apostrophe", ["'", "’"]))
        ortho = rules.table("orthographic")
        self.prefixes = sorted(ortho.get("prefixes", []), key=len, reverse=True)
        self.acronyms = bool(ortho.get("acronyms", True))
        self.plurals = list(ortho.get("acronym_plural", ["s"]))
        self._spelling = _british_to_american()
        self._cache: dict[str, str] = {}

    def n(self, t: str, is_word: bool) -> str:
        """The normalised form used to align a token."""
        if not is_word:
            return self.punct_class.get(t, t)
        cached = self._cache.get(t)
        if cached is None:
            cached = self._cache[t] = "".join(self.american(part) for part in re.split(r"[-\u2010\u2011]", self.fold(t)))
        return cached

    def fold(self, word: str) -> str:
        """Case-fold, unify apostrophes, compose accents."""
        word = unicodedata.normalize("NFC", word).casefold()
        for mark in self.apostrophes:
            word = word.replace(mark, "'")
        return word

    def american(self, word: str) -> str:
        """The American form of a (folded) word, by the resource, also behind a general prefix."""
        found = self._spelling.get(word)
        if found is not None:
            return found
        for prefix in self.prefixes:
            if word.startswith(prefix) and len(word) > len(prefix) + 2:
                found = self._spelling.get(word[len(prefix):])
                if found is not None:
                    return prefix + found
        return word

    def spelling_key(self, words: list[str]) -> str:
        """Words joined without spaces or hyphens, each in its American form: compounds written
        open, hyphenated or closed, and British/American spellings, give the same key."""
        return "".join(self.n(w, True) for w in words)

    def is_acronym_of(self, short: list[str], long: list[str]) -> bool:
        """True when ``short`` is one acronym (optionally plural) spelt by the initials of ``long``."""
        if not self.acronyms or len(short) != 1 or len(long) < 2:
            return False
        word = short[0]
        for ending in [""] + self.plurals:
            stem = word[: len(word) - len(ending)] if ending and word.endswith(ending) else word
            if ending and not word.endswith(ending):
                continue
            if len(stem) < 2 or not stem.isupper():
                continue
            initials = "".join(w[0] for w in long)
            if initials.upper() == stem and all(w[0].isupper() for w in long):
                if not ending or long[-1].endswith(ending):
                    return True
        return False
