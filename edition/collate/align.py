"""Aligning witnesses: which tokens correspond, in near-linear time.

In: the normalised token sequences (``n``) of the copy-text and of each other witness.
Out: ``columns``: one column per position of the collation, each holding for every witness the
index of its token there, or -1 where the witness has nothing (an omission or an addition).

Method (an anchored diff, as patience diff and MUM-based aligners do): strip the common head
and tail of a range; find tokens, or failing that short runs of tokens, that occur exactly once
in both sides of the range; keep the longest chain of them in the same order (longest
increasing subsequence, O(k log k)); extend each anchor into a run of equal tokens and recurse
into the gaps. A gap small enough is aligned exactly by ``difflib.SequenceMatcher`` (longest
matching blocks, junk heuristics off). Each level costs time linear in its range and the ranges
shrink fast, so a book-length text aligns in about linear time where a full comparison of every
token with every other (as CollateX's graph alignment) grows with the square of the length.

Several witnesses are each aligned with the copy-text; their additions at the same place are
aligned with one another the same way, so agreeing additions share columns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher

SMALL = 4096          # a gap with at most this many token pairs is aligned exactly
LARGE = 4_000_000     # without anchors, a gap with more pairs than this is not aligned
KGRAMS = (1, 2, 3, 5, 8)


def match_pairs(a: list, b: list) -> list[tuple[int, int]]:
    """Indices (i, j) of corresponding equal tokens, increasing in both."""
    out: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            out.append((alo, blo))
            alo += 1
            blo += 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
            out.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= SMALL:
            _exact(a, alo, ahi, b, blo, bhi, out)
            continue
        chain = _anchors(a, alo, ahi, b, blo, bhi)
        if not chain:
            # Nothing anchors the two sides: align them exactly when that is cheap; a long
            # stretch with no shared landmark at all is left unaligned (one replacement).
            if (ahi - alo) * (bhi - blo) <= LARGE:
                _exact(a, alo, ahi, b, blo, bhi, out)
            continue
        i0, j0 = alo, blo
        for i, j, k in chain:
            if i < i0 or j < j0:
                continue
            stack.append((i0, i, j0, j))
            while i < ahi and j < bhi and a[i] == b[j]:
                out.append((i, j))
                i += 1
                j += 1
            i0, j0 = i, j
        stack.append((i0, ahi, j0, bhi))
    out.sort()
    return out


def _exact(a, alo, ahi, b, blo, bhi, out) -> None:
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        out.extend((alo + i + d, blo + j + d) for d in range(size))


def _anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int, int]]:
    """The longest ordered chain of k-grams unique in both ranges (smallest k that has any)."""
    for k in KGRAMS:
        if ahi - alo < k or bhi - blo < k:
            break
        keys_a = _kgrams(a, alo, ahi, k)
        keys_b = _kgrams(b, blo, bhi, k)
        count_a = Counter(keys_a)
        count_b = Counter(keys_b)
        where_b = {key: blo + j for j, key in enumerate(keys_b) if count_b[key] == 1}
        pairs = [(alo + i, where_b[key]) for i, key in enumerate(keys_a)
                 if count_a[key] == 1 and key in where_b]
        if pairs:
            return [(i, j, k) for i, j in _longest_increasing(pairs)]
    return []


def _kgrams(seq, lo, hi, k) -> list:
    if k == 1:
        return seq[lo:hi]
    return [tuple(seq[i:i + k]) for i in range(lo, hi - k + 1)]


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs sorted by i whose j increase, the longest such chain (patience sorting)."""
    tails: list[int] = []          # smallest j ending a chain of each length
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        at = bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[at] = j
            tail_index[at] = index
        previous[index] = tail_index[at - 1] if at else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        chain.append(pairs[index])
        index = previous[index]
    chain.reverse()
    return chain


def columns(base: list, others: list[list]) -> list[list[int]]:
    """Columns of the collation: per column, each witness's token index or -1 (base first)."""
    count = 1 + len(others)
    # For each witness: its token matched to each base token, and its unmatched runs per gap.
    matched: list[list[int]] = []
    inserted: list[dict[int, list[int]]] = []
    for seq in others:
        at = [-1] * len(base)
        gaps: dict[int, list[int]] = {}
        last_j = -1
        for i, j in match_pairs(base, seq):
            at[i] = j
            if j > last_j + 1:
                gaps.setdefault(i, []).extend(range(last_j + 1, j))
            last_j = j
        if last_j + 1 < len(seq):
            gaps.setdefault(len(base), []).extend(range(last_j + 1, len(seq)))
        matched.append(at)
        inserted.append(gaps)
    cols: list[list[int]] = []
    gap_points = sorted({g for gaps in inserted for g in gaps})
    next_gap = 0
    for i in range(len(base) + 1):
        while next_gap < len(gap_points) and gap_points[next_gap] == i:
            cols.extend(_gap_columns(others, inserted, i, count))
            next_gap += 1
        if i < len(base):
            cols.append([i] + [matched[w][i] for w in range(len(others))])
    return cols


def _gap_columns(others: list[list], inserted: list[dict[int, list[int]]], gap: int, count: int) -> list[list[int]]:
    """Align the additions of several witnesses at one place with one another."""
    result: list[list[int]] = []
    for w, gaps in enumerate(inserted, start=1):
        run = gaps.get(gap)
        if not run:
            continue
        if not result:
            for j in run:
                col = [-1] * count
                col[w] = j
                result.append(col)
            continue
        # Align this witness's run with the columns so far (by the first witness present in each).
        keys = [others[next(x for x in range(1, count) if c[x] != -1) - 1][_first(c)] for c in result]
        seq = others[w - 1]
        pairs = match_pairs(keys, [seq[j] for j in run])
        merged: list[list[int]] = []
        ci = 0
        ri = 0
        for c, r in pairs + [(len(result), len(run))]:
            merged.extend(result[ci:c])
            for j in run[ri:r]:
                col = [-1] * count
                col[w] = j
                merged.append(col)
            if c < len(result):
                result[c][w] = run[r]
                merged.append(result[c])
            ci, ri = c + 1, r + 1
        result = merged
    return result


def _first(col: list[int]) -> int:
    return next(v for v in col[1:] if v != -1)
