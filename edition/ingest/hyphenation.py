"""Step 3, dehyphenate: decide every hyphen at the end of a witness line.

In: the lines of a witness (normalised, undoubled), the explicit exceptions of
``rules/hyphenation.toml`` and a ``Vocabulary`` of the edition's own sources. Out: the lines,
each line that ends in a hyphen carrying a ``HyphenDecision``; nothing is joined here (the
encoder removes a soft hyphen and writes ``<lb break="no"/>``, so the printed lines stay
recoverable).

Evidence, in this order; the first that decides wins:

1. ``rules``: the exception lists of ``rules/hyphenation.toml`` (``keep``: real compounds,
   ``join``: words the other evidence gets wrong). Certain.
2. ``vocabulary``: the same word written elsewhere in the edition's sources, inside a line,
   with or without the hyphen (``anti-capitalist`` in one line decides ``anti-`` / ``capitalist``
   at a line end). Certain when one form clearly dominates.
3. ``dictionary``: the English word-frequency list of **pyspellchecker** (PyPI, MIT; a
   maintained, pure-Python package whose list ships inside the wheel, so ingest runs offline
   and the same on every machine; it is a frequency list, so a rare entry can be told from a
   common one). Its list is American, so a British form is also tried as American
   (``-isation`` → ``-ization``, ``-our`` → ``-or``, ``-tre`` → ``-ter``). A common joined word
   joins; a joined form that is not a word while both halves are keeps the hyphen.
4. ``default``: join (most line-end hyphens in typeset prose are soft), marked uncertain.

Three cases come before the evidence: a hyphen after a space is a dash (``Lora too -``), not
a hyphen; a capital after a hyphen within a page marks a compound (``anti-`` / ``USSR``); and a
word that breaks off before a page whose first word is capitalised did not continue there:
the text between was lost (``aban-`` / ``A flurry``), so it is not joined and the encoder
writes a ``<gap>``. That inference is marked uncertain unless the text's rules confirm it
(``[[gap]] after_line``), which also decides a loss the heuristic cannot see.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from edition.ingest.model import HyphenDecision, Line
from edition.ingest.rules import HyphenRules

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LEAD = "‘“\"'([{"
_TRAIL = ".,;:!?’”\"')]}…"
COMMON = 100        # pyspellchecker frequency from which a word counts as common
DOMINANT = 2        # vocabulary: one spelling must be this many times as frequent as the other


class Vocabulary:
    """Word counts of the edition's sources, from words written whole inside a line."""

    def __init__(self, counts: Counter | None = None):
        self.counts: Counter = counts or Counter()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Vocabulary":
        """Count every word of the texts, leaving out the two halves of line-end hyphenations."""
        counts: Counter = Counter()
        for text in texts:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                words = WORD.findall(line)
                if line.rstrip().endswith("-") and words:
                    words = words[:-1]
                if i and lines[i - 1].rstrip().endswith("-") and words:
                    words = words[1:]
                counts.update(w.lower() for w in words)
        return cls(counts)

    def __getitem__(self, word: str) -> int:
        return self.counts[word.lower()]


@lru_cache(maxsize=1)
def _spellchecker():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", case_sensitive=False)


def american(word: str) -> str:
    """The American spelling of a British form, by the regular correspondences only."""
    word = re.sub(r"is(ations?|e|ed|es|ing|ers?)$", r"iz\1", word)
    word = word.replace("our", "or")
    return re.sub(r"tre(s)?$", r"ter\1", word)


def frequency(word: str) -> int:
    """pyspellchecker's frequency of ``word`` (or of its American form), 0 if unknown."""
    freq = _spellchecker().word_frequency
    word = word.lower()
    return max(freq[word], freq[american(word)])


def _edge_words(line: Line, following: Line) -> tuple[str, str]:
    left = line.text[:-1].rstrip().split(" ")[-1].lstrip(_LEAD)
    right = following.text.split(" ")[0].rstrip(_TRAIL)
    right = re.sub(r"[’']s$", "", right)
    return left, right


Decision = tuple[str, str, bool, str]   # (action, evidence, certain, reason)


def by_vocabulary(left: str, right: str, vocabulary: Vocabulary) -> Decision | None:
    """Evidence 2: the edition's sources write the word elsewhere, with or without the hyphen."""
    joined, hyphened = left + right, f"{left}-{right}"
    with_h, without = vocabulary[hyphened], vocabulary[joined]
    if not (with_h or without):
        return None
    action = "keep" if with_h > without else "join"
    certain = min(with_h, without) == 0 or max(with_h, without) >= DOMINANT * min(with_h, without)
    return action, "vocabulary", certain, f"the sources write '{hyphened}' {with_h}×, '{joined}' {without}×"


def by_dictionary(left: str, right: str) -> Decision | None:
    """Evidence 3: pyspellchecker's word list, judging the two pieces that meet at the line end.

    (``two-`` / ``year-olds``: the pieces are ``two`` and ``year``.)
    """
    head, tail = left.split("-")[-1], right.split("-")[0]
    piece, halves_known = head + tail, bool(frequency(head) and frequency(tail))
    piece_freq = frequency(piece)
    if piece_freq >= COMMON:
        return "join", "dictionary", True, f"'{piece}' is a common word (frequency {piece_freq})"
    if piece_freq and halves_known:
        return "keep", "dictionary", False, (f"'{piece}' is a rare word (frequency {piece_freq}) "
                                             f"and '{head}', '{tail}' are words: read as a compound")
    if piece_freq:
        return "join", "dictionary", True, f"'{piece}' is a word (frequency {piece_freq})"
    if halves_known:
        return "keep", "dictionary", True, f"'{piece}' is not a word, but '{head}' and '{tail}' are"
    return None


def decide(left: str, right: str, *, page_break: bool, rules: HyphenRules,
           vocabulary: Vocabulary) -> Decision:
    """(action, evidence, certain, reason) for ``left-`` at a line end followed by ``right``.

    A decision of the vocabulary that the dictionary contradicts is marked uncertain.
    """
    joined, hyphened = left + right, f"{left}-{right}"
    if not left or not re.search(r"\w$", left):
        return "dash", "dash", True, "no word before the hyphen: a dash"
    if hyphened.lower() in rules.keep:
        return "keep", "rules", True, f"'{hyphened}' is in the keep list of rules/hyphenation.toml"
    if joined.lower() in rules.join:
        return "join", "rules", True, f"'{joined}' is in the join list of rules/hyphenation.toml"
    if right[:1].isupper() and left[-1:].islower():
        if page_break:
            # Weak evidence (a page may begin with a capitalised word that does continue it):
            # uncertain until an editor confirms the loss with a [[gap]] entry in the text's rules.
            return "gap", "lost-text", False, ("the next page begins with a capital: the word does not "
                                               "continue there, text is probably lost (confirm with "
                                               "[[gap]] after_line in the text's rules)")
        return "keep", "orthography", True, "a capital after the hyphen: a compound (anti-USSR)"
    found = by_vocabulary(left, right, vocabulary)
    second = by_dictionary(left, right)
    if found:
        action, evidence, certain, reason = found
        if second and second[0] != action:
            return action, evidence, False, f"{reason}; but the dictionary says: {second[3]}"
        return found
    return second or ("join", "default", False, "no evidence either way: joined as a soft hyphen")


def dehyphenate(lines: list[Line], rules: HyphenRules, vocabulary: Vocabulary,
                forced_gaps: Iterable[int] = ()) -> list[Line]:
    """Attach a ``HyphenDecision`` to every text line that ends in a hyphen."""
    forced = set(forced_gaps)
    result = list(lines)
    texts = [i for i, line in enumerate(lines) if line.kind == "text"]
    for pos, i in enumerate(texts):
        line = lines[i]
        if not re.search(r"([^\W\d_]|\s)-$", line.text) or pos + 1 >= len(texts):
            continue
        following = lines[texts[pos + 1]]
        page_break = following.page_start is not None
        left, right = _edge_words(line, following)
        if line.text.endswith(" -"):
            action, evidence, certain, reason = "dash", "dash", True, "a spaced dash, not a hyphen"
        elif line.n in forced:
            action, evidence, certain, reason = "gap", "rules", True, ("[[gap]] in the text's rules: text is "
                                                                      "lost after this line")
            if decide(left, right, page_break=page_break, rules=rules, vocabulary=vocabulary)[0] == "gap":
                reason += " (so the lost-text inference says too: the next page begins with a capital)"
        else:
            action, evidence, certain, reason = decide(left, right, page_break=page_break,
                                                       rules=rules, vocabulary=vocabulary)
        decision = HyphenDecision(line.n, following.n, left, right, action, evidence, certain, reason)
        result[i] = dataclasses.replace(line, hyphen=decision)
    return result


def decisions(lines: list[Line]) -> list[HyphenDecision]:
    """Every hyphen decision of the lines, in witness order."""
    return [line.hyphen for line in lines if line.hyphen is not None]


def tsv(decided: list[HyphenDecision]) -> str:
    """The hyphenation report: one row per decision (see ``build/reports/<id>.hyphenation.tsv``)."""
    rows = ["line\tnext_line\tleft\tright\tresult\taction\tevidence\tcertainty\treason"]
    for d in decided:
        rows.append("\t".join([str(d.line), str(d.next_line), d.left, d.right, d.result, d.action,
                               d.evidence, "certain" if d.certain else "uncertain", d.reason]))
    return "\n".join(rows) + "\n"
