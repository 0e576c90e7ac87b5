"""Align transcript words to recognized words: a pure function of two word lists.

No audio, no I/O: the input is the matching keys of each side (see
:mod:`aligner.normalize`), the output is a list of :class:`AlignOp` covering
every transcript word and every recognized word exactly once, in order.

Why two phases
--------------
A full dynamic-programming alignment of a 15,000-word transcript against
15,000 recognized words is 225 million cells: minutes in Python. But most of
an edited transcript matches the audio word for word, so we first fix
*anchors*, stretches that can only match one way, and run the dynamic
programme only inside the small gaps between them.

1. **Anchors (patience diff).** An n-gram of keys that occurs exactly once in
   the transcript window and exactly once in the recognized window is almost
   certainly the same speech. We collect those pairs, keep the longest chain
   that is increasing on both sides (so the alignment stays monotone and a
   stray coincidence is outvoted), grow each anchor over neighbouring equal
   keys, and recurse into each gap with shorter n-grams (3, then 2, then 1)
   whose uniqueness is now judged within the gap only.

2. **Gaps (weighted LCS).** Inside a gap, a dynamic programme maximises the
   summed similarity of paired words. Besides one-to-one pairs it allows one
   transcript word to take up to three recognized words ("neuroscience" heard
   as "neuro science", "193" heard as "one ninety three") and up to three
   transcript words to share one recognized word ("I am" heard as "I'm").
   Fuzzy pairs (misrecognitions such as "Stachenfeld" heard as "Stackenfeld")
   count for their similarity, above a floor; skipping a word costs nothing,
   so an unrelated word is never forced into a pair.

Worked example: transcript ``the cut paragraph here so the original mission``
against audio ``the ad read buy now so the original mission``. The trigram
``so the original`` is unique in both: anchor. Recursing left of it, ``the``
is unique in both windows: anchor. What is left is ``cut paragraph here``
against ``ad read buy now``: no pair is similar enough, so all seven become
DELETE and INSERT ops, which the timing stage reports as text not in the audio
and speech not in the transcript.

3. **Islands.** A lone match of one or two words stranded inside a long
   mismatch (a common word of a cut paragraph coinciding with a word of an ad
   read) is more likely chance than speech; it is undone.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.normalize import word_keys
from aligner.types import AlignOp, AsrWord, OpKind, Token, TokenKind

Keys = tuple[str, ...]

MIN_FUZZY_SIMILARITY = 0.72
"""Below this similarity two different words are never paired."""

MAX_MERGE = 3
"""Most words on one side of a merged pair."""

MAX_GAP_CELLS = 600_000
"""Largest gap (transcript words x recognized words) given to the dynamic programme.

Bigger gaps with no anchor at all are text and audio that do not correspond;
they are left unpaired rather than searched for coincidences.
"""

_DIRECT_DP_CELLS = 400
"""Gaps this small skip the anchor search and go straight to the programme."""

ISLAND_MAX_WORDS = 2
ISLAND_MIN_MISMATCH = 4


# --------------------------------------------------------------------------- similarity


def _levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


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
        cached = _similarity_memo[key] = 1.0 - _levenshtein(a, b) / longer
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
    if len(left) > 1 or len(right) > 1:
        if set(left).intersection(right):
            return 1.0
    return string_similarity(left[0], right[0])


def _concat(keys: Sequence[Keys]) -> Keys:
    """Keys of several consecutive words taken as one: primaries joined, plus
    each word's alternatives joined with the others' primaries (bounded)."""
    primary = "".join(k[0] for k in keys)
    forms = [primary]
    for position, word in enumerate(keys):
        for alternative in word[1:4]:
            forms.append("".join(alternative if p == position else k[0] for p, k in enumerate(keys)))
    return tuple(dict.fromkeys(forms))


# --------------------------------------------------------------------------- anchors


@dataclass(frozen=True, slots=True)
class _Pair:
    t: int  # transcript word position (among alignable words)
    a: int  # recognized word position
    length: int  # consecutive positions matched on both sides


def _unique_ngrams(keys: Sequence[str], lo: int, hi: int, n: int) -> dict[tuple[str, ...], int]:
    seen: dict[tuple[str, ...], int] = {}
    for i in range(lo, hi - n + 1):
        gram = tuple(keys[i : i + n])
        seen[gram] = -1 if gram in seen else i
    return {g: i for g, i in seen.items() if i >= 0}


def _longest_chain(pairs: list[_Pair]) -> list[_Pair]:
    """Longest subsequence increasing in both t and a (pairs come sorted by t)."""
    tails: list[int] = []  # a-values ending the best chain of each length
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(pairs)
    for index, pair in enumerate(pairs):
        slot = bisect.bisect_left(tails, pair.a)
        if slot == len(tails):
            tails.append(pair.a)
            tail_index.append(index)
        else:
            tails[slot] = pair.a
            tail_index[slot] = index
        parent[index] = tail_index[slot - 1] if slot else -1
    chain: list[_Pair] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = parent[index]
    chain.reverse()
    return chain


def _find_anchors(
    tk: Sequence[str], ak: Sequence[str], t_lo: int, t_hi: int, a_lo: int, a_hi: int
) -> list[_Pair]:
    """Anchors in a window, non-overlapping and increasing, grown over equal neighbours."""
    for n in (3, 2, 1):
        t_grams = _unique_ngrams(tk, t_lo, t_hi, n)
        if not t_grams:
            continue
        a_grams = _unique_ngrams(ak, a_lo, a_hi, n)
        pairs = sorted(
            (_Pair(t, a_grams[g], n) for g, t in t_grams.items() if g in a_grams), key=lambda p: p.t
        )
        chain = _longest_chain(pairs)
        if not chain:
            continue
        anchors: list[_Pair] = []
        t_free, a_free = t_lo, a_lo  # first positions not yet claimed by an anchor
        for pair in chain:
            if pair.t < t_free or pair.a < a_free:
                continue  # overlaps the previous anchor's growth
            t, a = pair.t, pair.a
            while t > t_free and a > a_free and tk[t - 1] == ak[a - 1]:
                t, a = t - 1, a - 1
            end_t, end_a = pair.t + pair.length, pair.a + pair.length
            while end_t < t_hi and end_a < a_hi and tk[end_t] == ak[end_a]:
                end_t, end_a = end_t + 1, end_a + 1
            anchors.append(_Pair(t, a, end_t - t))
            t_free, a_free = end_t, end_a
        return anchors
    return []


# --------------------------------------------------------------------------- gap programme

_MOVES = [(1, 1)] + [(1, k) for k in range(2, MAX_MERGE + 1)] + [(k, 1) for k in range(2, MAX_MERGE + 1)]


def _pair_score(t_keys: Sequence[Keys], a_keys: Sequence[Keys]) -> float:
    """Score of pairing these transcript words with these recognized words."""
    if len(t_keys) == 1 and len(a_keys) == 1:
        similarity = keys_similarity(t_keys[0], a_keys[0])
    else:
        left = t_keys[0] if len(t_keys) == 1 else _concat(t_keys)
        right = a_keys[0] if len(a_keys) == 1 else _concat(a_keys)
        # Only a close match justifies a merge: a loose one is usually a
        # fuzzy 1:1 pair plus an extra word.
        similarity = keys_similarity(left, right)
        if similarity < 0.85:
            return 0.0
    if similarity < MIN_FUZZY_SIMILARITY:
        return 0.0
    # Count covered transcript words so "I am" = "I'm" beats "I" = "I'm";
    # a merge costs a hair more than the 1:1 pairs it replaces.
    return similarity * len(t_keys) - 0.01 * (len(t_keys) + len(a_keys) - 2)


def _align_gap(
    t_keys: Sequence[Keys], a_keys: Sequence[Keys], t_off: int, a_off: int
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Weighted-LCS pairs inside one gap, as (t positions, a positions, similarity)."""
    n, m = len(t_keys), len(a_keys)
    if n == 0 or m == 0 or n * m > MAX_GAP_CELLS:
        return []
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        row, brow = score[i], back[i]
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, move = -1.0, None
            if i and score[i - 1][j] > best:
                best, move = score[i - 1][j], (1, 0)
            if j and row[j - 1] > best:
                best, move = row[j - 1], (0, 1)
            for di, dj in _MOVES:
                if di > i or dj > j:
                    continue
                gain = _pair_score(t_keys[i - di : i], a_keys[j - dj : j])
                if gain > 0 and score[i - di][j - dj] + gain > best + 1e-9:
                    best, move = score[i - di][j - dj] + gain, (di, dj)
            row[j] = best
            brow[j] = move
    pairs = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        if di and dj:
            t_span = t_keys[i - di : i]
            a_span = a_keys[j - dj : j]
            left = t_span[0] if di == 1 else _concat(t_span)
            right = a_span[0] if dj == 1 else _concat(a_span)
            pairs.append(
                (
                    tuple(range(t_off + i - di, t_off + i)),
                    tuple(range(a_off + j - dj, a_off + j)),
                    keys_similarity(left, right),
                )
            )
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


# --------------------------------------------------------------------------- driver


def align_keys(t_keys: Sequence[Keys], a_keys: Sequence[Keys]) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Pair positions of two key sequences, monotonically.

    Args:
        t_keys: keys of each transcript word (every entry non-empty).
        a_keys: keys of each recognized word (every entry non-empty).

    Returns:
        Pairs (transcript positions, recognized positions, similarity) in
        increasing order on both sides; positions not in any pair are
        unmatched.
    """
    tk = [k[0] for k in t_keys]
    ak = [k[0] for k in a_keys]
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
    # Explicit stack instead of recursion: a long episode can nest deeply.
    stack = [(0, len(tk), 0, len(ak))]
    while stack:
        t_lo, t_hi, a_lo, a_hi = stack.pop()
        if t_lo >= t_hi or a_lo >= a_hi:
            continue
        cells = (t_hi - t_lo) * (a_hi - a_lo)
        anchors = [] if cells <= _DIRECT_DP_CELLS else _find_anchors(tk, ak, t_lo, t_hi, a_lo, a_hi)
        if not anchors:
            pairs.extend(_align_gap(t_keys[t_lo:t_hi], a_keys[a_lo:a_hi], t_lo, a_lo))
            continue
        t_prev, a_prev = t_lo, a_lo
        for anchor in anchors:
            stack.append((t_prev, anchor.t, a_prev, anchor.a))
            for offset in range(anchor.length):
                pairs.append(((anchor.t + offset,), (anchor.a + offset,), 1.0))
            t_prev, a_prev = anchor.t + anchor.length, anchor.a + anchor.length
        stack.append((t_prev, t_hi, a_prev, a_hi))
    pairs.sort(key=lambda p: p[0][0])
    return _drop_islands(pairs, len(tk), len(ak))


def _drop_islands(
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], n_t: int, n_a: int
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Undo runs of at most ISLAND_MAX_WORDS paired words with a long mismatch on both sides."""
    if not pairs:
        return pairs
    # Group pairs into runs that are contiguous on both sides.
    runs: list[list[int]] = [[0]]
    for k in range(1, len(pairs)):
        prev, cur = pairs[k - 1], pairs[k]
        if cur[0][0] == prev[0][-1] + 1 and cur[1][0] == prev[1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])

    def mismatch(before: tuple | None, after: tuple | None) -> int:
        t0 = before[0][-1] + 1 if before else 0
        a0 = before[1][-1] + 1 if before else 0
        t1 = after[0][0] if after else n_t
        a1 = after[1][0] if after else n_a
        return max(t1 - t0, a1 - a0)

    keep: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
    previous_kept = None
    for r, run in enumerate(runs):
        first, last = pairs[run[0]], pairs[run[-1]]
        words = sum(len(pairs[k][0]) for k in run)
        after = pairs[runs[r + 1][0]] if r + 1 < len(runs) else None
        if (
            words <= ISLAND_MAX_WORDS
            and mismatch(previous_kept, first) >= ISLAND_MIN_MISMATCH
            and mismatch(last, after) >= ISLAND_MIN_MISMATCH
        ):
            continue
        keep.extend(pairs[k] for k in run)
        previous_kept = last
    return keep


def is_alignable(token: Token) -> bool:
    """Words with letters or digits take part; notes and bare punctuation don't."""
    return token.kind is TokenKind.WORD and bool(word_keys(token.text))


def align_tokens(tokens: Sequence[Token], words: Sequence[AsrWord]) -> tuple[AlignOp, ...]:
    """Align transcript tokens to recognized words.

    Returns:
        Ops in transcript order, interleaved with INSERT ops for recognized
        words in recognized order; every alignable token and every
        recognized word appears in exactly one op. Tokens that are not
        alignable (notes, bare punctuation) appear in none.
    """
    token_positions = [i for i, t in enumerate(tokens) if is_alignable(t)]
    t_keys = [word_keys(tokens[i].text) for i in token_positions]
    word_positions = [j for j, w in enumerate(words) if word_keys(w.text)]
    a_keys = [word_keys(words[j].text) for j in word_positions]
    pairs = [
        (tuple(token_positions[t] for t in t_span), tuple(word_positions[a] for a in a_span), similarity)
        for t_span, a_span, similarity in align_keys(t_keys, a_keys)
    ]

    ops: list[AlignOp] = []
    t_next = 0  # index into token_positions
    a_next = 0  # index into words
    for t_span, a_span, similarity in pairs:
        ops.extend(AlignOp(OpKind.INSERT, (), (j,)) for j in range(a_next, a_span[0]))
        while token_positions[t_next] < t_span[0]:
            ops.append(AlignOp(OpKind.DELETE, (token_positions[t_next],), ()))
            t_next += 1
        ops.append(AlignOp(OpKind.MATCH, t_span, a_span, round(similarity, 4)))
        t_next += len(t_span)
        a_next = a_span[-1] + 1
    ops.extend(AlignOp(OpKind.INSERT, (), (j,)) for j in range(a_next, len(words)))
    ops.extend(AlignOp(OpKind.DELETE, (p,), ()) for p in token_positions[t_next:])
    return tuple(ops)
