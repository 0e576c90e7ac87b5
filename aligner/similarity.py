"""How alike two words are, for matching transcript words to recognized words.

A word is compared by its matching keys (:func:`aligner.normalize.word_keys`:
the primary key first, then alternatives such as a number's spoken forms or
an expanded contraction). Equal keys are a match; otherwise the edit
distance between primary keys decides, but only for words long enough that
one edit does not turn a word into another common word.
"""

from __future__ import annotations

Keys = tuple[str, ...]
"""A word's matching keys: the primary key first, then alternatives."""

MIN_FUZZY_SIMILARITY = 0.72
"""Below this similarity two different words are never paired."""


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def align_letters(a: str, b: str) -> list[int]:
    """For each letter of ``a``, the index of the letter of ``b`` it lines up with in a least-edit alignment."""
    n, m = len(a), len(b)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i
    for j in range(1, m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    where = [0] * n
    i, j = n, m
    while i > 0:
        if j > 0 and cost[i][j] == cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            where[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif j > 0 and cost[i][j] == cost[i][j - 1] + 1:
            j -= 1
        else:
            where[i - 1] = max(j - 1, 0)
            i -= 1
    return where


_similarity_memo: dict[tuple[str, str], float] = {}


def string_similarity(a: str, b: str) -> float:
    """1 - edit distance / longer length; 0 for pairs too unlike to bother.

    Words under four letters must match exactly: at that length one edit
    turns any word into a different common word ("in"/"an", "the"/"she").
    """
    if a == b:
        return 1.0
    longer = max(len(a), len(b))
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > longer * (1 - MIN_FUZZY_SIMILARITY):
        return 0.0
    key = (a, b) if a < b else (b, a)
    cached = _similarity_memo.get(key)
    if cached is None:
        if len(_similarity_memo) > 200_000:
            _similarity_memo.clear()
        cached = _similarity_memo[key] = 1.0 - levenshtein(a, b) / longer
    return cached


def keys_similarity(left: Keys, right: Keys) -> float:
    """Similarity of two words given their keys (primary key first, then alternatives).

    Any shared key (a spoken form of a number, an expanded contraction) is an
    exact match; otherwise the primary keys are compared fuzzily.
    """
    if not left or not right:
        return 0.0
    if left[0] == right[0]:
        return 1.0
    if (len(left) > 1 or len(right) > 1) and set(left).intersection(right):
        return 1.0
    return string_similarity(left[0], right[0])
