"""Transpositions: a phrase one witness has elsewhere, typed as moved instead of omitted and added.

In: the units of a collation in text order (each reading's text and witnesses; reading 0 of
a unit holds the copy-text), a word pattern and the rules' ``[transpositions] min_words``.
Out: the same units, where a witness omits a phrase of at least ``min_words`` words at one
place and adds the same words (case-folded) at another, both readings marked as a
transposition (``Reading.cause``) and pointing at the other unit (``Reading.partner``); the
writer gives them ``@cause="transposition"`` and ``@corresp``. A phrase a witness omits or
adds more than once is left as it is (which of the places pairs with which would be a guess).
A phrase moved over a few words can also fall inside one unit (the rules' ``[merge]`` joins
what lies close): a reading whose words are the lemma's with a part of at least
``min_words`` words moved from its end to its start (or the reverse) is marked too, without
a partner.
"""

from __future__ import annotations

import re
from collections import defaultdict

from edition.collate.model import Unit

TRANSPOSITION = "transposition"


def mark_transpositions(units: list[Unit], word: re.Pattern, min_words: int) -> int:
    """Mark every transposed phrase; return how many phrases were found moved."""
    if min_words < 1:
        return 0
    omitted: dict[tuple[int, tuple], list[Unit]] = defaultdict(list)   # (witness, words) → units
    added: dict[tuple[int, tuple], list[Unit]] = defaultdict(list)
    for unit in units:
        base = unit.readings[0]
        base_words = _words(base.text, word)
        for reading in unit.readings[1:]:
            words = _words(reading.text, word)
            if not words and len(base_words) >= min_words:
                for w in reading.wits:
                    omitted[(w, base_words)].append(unit)
            elif not base_words and len(words) >= min_words:
                for w in reading.wits:
                    added[(w, words)].append(unit)
    pairs: dict[tuple[int, int], set[int]] = defaultdict(set)        # (omission unit, addition unit) → witnesses
    for key, where in omitted.items():
        there = added.get(key, [])
        if len(where) == 1 and len(there) == 1:
            pairs[(id(where[0]), id(there[0]))].add(key[0])
    moved = sum(_mark_within(unit, word, min_words) for unit in units)
    by_id = {id(u): u for u in units}
    for (a, b), wits in pairs.items():
        omission, addition = by_id[a], by_id[b]
        marked = [_mark(omission, wits, addition), _mark(addition, wits, omission)]
        moved += all(marked)
    return moved


def _mark_within(unit: Unit, word: re.Pattern, min_words: int) -> int:
    """Mark the readings of one unit that are its copy-text reading with two parts swapped."""
    base = _words(unit.readings[0].text, word)
    found = 0
    for reading in unit.readings[1:]:
        words = _words(reading.text, word)
        if len(words) != len(base) or words == base or sorted(words) != sorted(base):
            continue
        for cut in range(1, len(base)):
            if words == base[cut:] + base[:cut] and max(cut, len(base) - cut) >= min_words:
                reading.cause = TRANSPOSITION
                found += 1
                break
    return found


def _mark(unit: Unit, wits: set[int], partner: Unit) -> bool:
    """Mark the reading of ``unit`` held by exactly the witnesses ``wits`` (no other: a reading
    shared with a witness that did not move the phrase is not a transposition)."""
    for reading in unit.readings[1:]:
        if set(reading.wits) == wits:
            reading.cause, reading.partner = TRANSPOSITION, partner
            return True
    return False


def _words(text: str, word: re.Pattern) -> tuple[str, ...]:
    return tuple(m.group(0).casefold() for m in word.finditer(text))
