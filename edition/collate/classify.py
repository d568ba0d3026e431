"""Typing a variation unit: substantive, orthographic, punctuation or case.

In: the readings of one unit (each witness's tokens there) and the general rules. Out: one
type. The rules are levels of likeness, tried from the least significant difference to the
most (``[types] order`` in ``rules/collation.toml``); a unit gets the first level at which all
its readings agree:

- ``punctuation``: the words are identical; only punctuation marks or spacing differ (a dash
  form, a quotation mark moved, a comma);
- ``case``: the words agree once case-folded (``Soviet``/``soviet``);
- ``orthographic``: the words agree once each is put in its American spelling by the variant
  resource and compounds are closed up (``paralysed``/``paralyzed``, ``year-old``/``year old``),
  or, only when ``[orthographic] acronyms`` is true, one reading is an acronym of the other;
- ``substantive``: anything else: different words, an addition, an omission, and (with
  ``acronyms = false``, the usual convention) an abbreviation spelled out in other words
  (``SRs``/``Socialist Revolutionaries``).
"""

from __future__ import annotations

from edition.collate.normalise import Normaliser

Words = list[str]


def _same(values: list) -> bool:
    return all(v == values[0] for v in values[1:])


def agree_punctuation(readings: list[Words], normaliser: Normaliser) -> bool:
    """The words are exactly the same (so only punctuation or spacing differs)."""
    return _same(readings)


def agree_case(readings: list[Words], normaliser: Normaliser) -> bool:
    """The words agree once case-folded."""
    return _same([[normaliser.fold(w) for w in words] for words in readings])


def agree_orthographic(readings: list[Words], normaliser: Normaliser) -> bool:
    """The words agree once spelling variants, compounding and abbreviation are resolved."""
    if any(not words for words in readings):
        return False          # an omission or addition of words is never a spelling variant
    if _same([normaliser.spelling_key(words) for words in readings]):
        return True
    first = readings[0]
    return all(words == first or normaliser.is_acronym_of(words, first) or normaliser.is_acronym_of(first, words)
               for words in readings[1:])


def agree_substantive(readings: list[Words], normaliser: Normaliser) -> bool:
    """Every difference is at least substantive."""
    return True


LEVELS = {"punctuation": agree_punctuation, "case": agree_case,
          "orthographic": agree_orthographic, "substantive": agree_substantive}


def classify(readings: list[Words], normaliser: Normaliser, order: list[str]) -> str:
    """The type of a unit whose readings have these words (one list per reading)."""
    for kind in order:
        if LEVELS[kind](readings, normaliser):
            return kind
    return "substantive"
