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
   transcript words to share one recognized word ("I am" heard as "I'm"),
   but only a merge that none of its words makes alone ("Parker, a" is not
   "Parker.": the "a" would take the end of "Parker").
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
   read) is more likely chance than speech; it is undone: with
   ``ISLAND_MIN_MISMATCH`` unmatched words on each side, or one fewer when
   its words are short (``SHORT_WORD_LETTERS``: "on", "the", "a", which a
   misheard stretch holds by chance; espeak's "who runs a program on running"
   heard as "who full on the broad ramen running" matched only "on", leaving
   "runs a program" no room). Islands are undone until none is left (an
   island beside another is measured to it), and the runs that stay are then
   grown over equal words beside them that nothing paired: the programme may
   have paired such a word with a chance copy further off, which went as an
   island.

4. **Stamps.** Timestamped transcripts and caption files say roughly when a
   turn or cue starts (:class:`~aligner.types.Stamp`). Words alone cannot
   tell which of two identical phrases a turn is (a retake: "thank you for
   having me" said, flubbed, and said again; the transcript keeps one), and
   growing an anchor over equal neighbours takes the first. So with stamps,
   the top level works in three steps. First the *clear* anchors: n-grams
   unique on both sides (3, else 2), not yet grown, and not running across
   a stamped boundary (the end of one turn and the start of the next are
   separate evidence: turn boundaries are where producers cut and speakers
   retake). Then, in each gap between two clear anchors, a stamp whose turn
   starts there is matched: its first two or three words (or, if the first
   is misheard, the next ones) against recognized words starting within
   ``STAMP_WINDOW_MS`` of the stamp, the longest match and then the nearest
   winning. The stamp is first corrected by the offset its neighbours show
   (the median of recognized minus stamped time over the stamps of nearby
   clear anchors, before and after), so captions of an earlier cut, shifted
   by a cut cold open or an inserted ad, still find their words; where the
   two sides disagree (the stamp sits by the cut), both are tried and the
   nearer match wins. Stamp anchors crossing each other are
   dropped (longest increasing chain), and all anchors are then grown over
   equal neighbours, each stopping at the next. A stamp never overrides a
   clear anchor (it can only fall between them); a wrong stamp finds no
   words near it and changes nothing (the clear anchors are found again
   without its boundary, and with no stamp anchor at all the alignment is
   exactly the one without stamps); and the order of the anchors keeps the
   alignment monotone whatever the stamps say.

   Worked example: transcript ``welcome to the show | thank you for having
   me it is great`` (the second turn stamped 0:08) against audio ``welcome
   to the show thank you for having me sorry let me start again thank you
   for having me it is great`` (the retake at 0:08). Without the stamp,
   ``show thank you`` is a unique trigram and its anchor, grown, pairs the
   turn with the flubbed take. With it, that trigram crosses a boundary;
   the clear anchors are ``welcome to the show`` and ``having me it is
   great``; between them ``thank you for`` is found twice, and the copy at
   0:08 becomes an anchor; the flubbed take is left as speech not in the
   transcript.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence, Set
from dataclasses import dataclass

from aligner.normalize import word_keys
from aligner.similarity import MIN_FUZZY_SIMILARITY, Keys, keys_similarity
from aligner.types import AlignOp, AsrWord, OpKind, Stamp, Token, TokenKind

_Kept = tuple[tuple[int, ...], tuple[int, ...], float]
"""A matched run: transcript indices, recognized indices, similarity."""

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
SHORT_WORD_LETTERS = 3
"""An island of words this short is undone with one unmatched word fewer on each side (see the docstring)."""

MAX_RESTART_WORDS = 3
"""Unmatched recognized words a restart may hold ("I mean I", "you know you", "and and")."""

RUN_ON_MS = 300
"""A restart is said in one breath: no pause longer than this inside it."""

STAMP_WINDOW_MS = 6000
"""How far from its (offset-corrected) stamp a turn's first words are looked for.

Transcription services stamp a turn within a second or two of its first
word; the rest is room for hand-made stamps and the recognizer's own error.
"""

STAMP_MIN_WORDS = 2
"""Consecutive equal words a stamp anchor needs: one common word near a stamp is chance."""

STAMP_MAX_SKIP = 2
"""Leading words of a turn that may be misheard before its stamp anchor starts."""

STAMP_CALIBRATION = 3
"""Clear-anchored stamps on each side whose median offset corrects a stamp."""


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


def _grow(pair: _Pair, tk: Sequence[str], ak: Sequence[str], low: tuple[int, int], high: tuple[int, int]) -> _Pair:
    """``pair`` extended over the equal keys on both sides, not below ``low`` nor to ``high`` (t, a)."""
    t, a = pair.t, pair.a
    while t > low[0] and a > low[1] and tk[t - 1] == ak[a - 1]:
        t, a = t - 1, a - 1
    end_t, end_a = pair.t + pair.length, pair.a + pair.length
    while end_t < high[0] and end_a < high[1] and tk[end_t] == ak[end_a]:
        end_t, end_a = end_t + 1, end_a + 1
    return _Pair(t, a, end_t - t)


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


def _find_anchors(tk: Sequence[str], ak: Sequence[str], t_lo: int, t_hi: int, a_lo: int, a_hi: int) -> list[_Pair]:
    """Anchors in a window, non-overlapping and increasing, grown over equal neighbours."""
    for n in (3, 2, 1):
        t_grams = _unique_ngrams(tk, t_lo, t_hi, n)
        if not t_grams:
            continue
        a_grams = _unique_ngrams(ak, a_lo, a_hi, n)
        pairs = sorted((_Pair(t, a_grams[g], n) for g, t in t_grams.items() if g in a_grams), key=lambda p: p.t)
        chain = _longest_chain(pairs)
        if not chain:
            continue
        anchors: list[_Pair] = []
        t_free, a_free = t_lo, a_lo  # first positions not yet claimed by an anchor
        for pair in chain:
            if pair.t < t_free or pair.a < a_free:
                continue  # overlaps the previous anchor's growth
            grown = _grow(pair, tk, ak, (t_free, a_free), (t_hi, a_hi))
            anchors.append(grown)
            t_free, a_free = grown.t + grown.length, grown.a + grown.length
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
        # Nor one the merge's single word already makes without the others:
        # "Parker, a" against the recognized "Parker." (0.86, the "a" said
        # after a filler and heard as "the") would take the "a" onto the end
        # of "Parker" a second early; "Parker" = "Parker." (1.0) leaves it
        # free to pair or to be found.
        single, several = (a_keys[0], t_keys) if len(a_keys) == 1 else (t_keys[0], a_keys)
        if any(keys_similarity(single, part) >= similarity for part in several):
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


# --------------------------------------------------------------------------- stamps


def _clear_anchors(tk: Sequence[str], ak: Sequence[str], boundaries: frozenset[int]) -> list[_Pair]:
    """Unique trigrams (else bigrams) on both sides, chained, not grown, not overlapping.

    An n-gram running across a stamped boundary (the last words of one turn
    and the first of the next) is no evidence: turn boundaries are where
    producers cut and speakers retake. Overlapping pairs on one diagonal (two
    consecutive unique trigrams of one stretch) merge; one crossing
    another's diagonal is dropped.
    """
    for n in (3, 2):
        t_grams = {
            g: t
            for g, t in _unique_ngrams(tk, 0, len(tk), n).items()
            if not any(b in boundaries for b in range(t + 1, t + n))
        }
        a_grams = _unique_ngrams(ak, 0, len(ak), n)
        pairs = sorted((_Pair(t, a_grams[g], n) for g, t in t_grams.items() if g in a_grams), key=lambda p: p.t)
        chain = _longest_chain(pairs)
        if not chain:
            continue
        merged: list[_Pair] = []
        for pair in chain:
            if merged:
                last = merged[-1]
                if pair.t - last.t == pair.a - last.a and pair.t <= last.t + last.length:
                    merged[-1] = _Pair(last.t, last.a, max(last.length, pair.t + pair.length - last.t))
                    continue
                if pair.t < last.t + last.length or pair.a < last.a + last.length:
                    continue
            merged.append(pair)
        return merged
    return []


def _local_offsets(calibrated: Sequence[tuple[int, int]], position: int) -> set[int]:
    """Offsets (recognized minus stamped ms) shown by the clear-anchored stamps nearest ``position``.

    The medians of up to STAMP_CALIBRATION stamps before and after, taken
    apart so that a stamp just after a cut (an ad inserted, a segment
    removed) can follow either side; {0} when no stamp is anchored.
    """
    if not calibrated:
        return {0}
    at = bisect.bisect_left(calibrated, (position, -(10**12)))
    offsets = set()
    for side in (calibrated[max(0, at - STAMP_CALIBRATION) : at], calibrated[at : at + STAMP_CALIBRATION]):
        if side:
            residuals = sorted(r for _, r in side)
            offsets.add(residuals[len(residuals) // 2])
    return offsets


def _stamp_candidates(
    tk: Sequence[str],
    ak: Sequence[str],
    a_starts_ms: Sequence[int],
    stamps: Sequence[tuple[int, int]],
    clear: list[_Pair],
    calibrated: Sequence[tuple[int, int]],
) -> list[_Pair]:
    """For each stamp between clear anchors, the match of its first words nearest its time, if any."""
    matched_at = {pair.t + k for pair in clear for k in range(pair.length)}
    clear_starts = [pair.t for pair in clear]
    stamp_positions = sorted(p for p, _ in stamps)
    found: list[_Pair] = []
    for p, time in sorted(stamps):
        if p in matched_at:
            continue
        at = bisect.bisect_right(clear_starts, p)  # clear[at - 1] ends before p, clear[at] starts after
        a_lo = clear[at - 1].a + clear[at - 1].length if at else 0
        t_hi = clear[at].t if at < len(clear) else len(tk)
        a_hi = clear[at].a if at < len(clear) else len(ak)
        following = stamp_positions[bisect.bisect_right(stamp_positions, p)] if p < stamp_positions[-1] else len(tk)
        expected = [time + offset for offset in _local_offsets(calibrated, p)]
        first = bisect.bisect_left(a_starts_ms, min(expected) - STAMP_WINDOW_MS, a_lo, a_hi)
        last = bisect.bisect_right(a_starts_ms, max(expected) + STAMP_WINDOW_MS, a_lo, a_hi)
        for skip in range(STAMP_MAX_SKIP + 1):
            q = p + skip
            if q >= min(t_hi, following):
                break
            best: tuple[int, int, int] | None = None  # (-length, distance, recognized position)
            for a in range(first, last):
                distance = min(abs(a_starts_ms[a] - e) for e in expected)
                if distance > STAMP_WINDOW_MS:
                    continue
                length = 0
                while length < 3 and q + length < t_hi and a + length < a_hi and tk[q + length] == ak[a + length]:
                    length += 1
                if length >= STAMP_MIN_WORDS and (best is None or (-length, distance, a) < best):
                    best = (-length, distance, a)
            if best is not None:
                found.append(_Pair(q, best[2], -best[0]))
                break
    return _longest_chain(sorted(found, key=lambda pair: (pair.t, pair.a)))


def _stamp_anchors(
    tk: Sequence[str], ak: Sequence[str], a_starts_ms: Sequence[int], stamps: Sequence[tuple[int, int]]
) -> list[_Pair] | None:
    """Clear anchors plus the anchors stamps give between them, in order, grown (see the module docstring).

    A stamp that finds no words near it must change nothing, so the clear
    anchors are found again without its boundary (at most three rounds, as
    each round can only drop stamps). None when no stamp found its words:
    the caller then aligns exactly as without stamps.
    """
    active = list(stamps)
    for _ in range(3):
        clear = _clear_anchors(tk, ak, frozenset(p for p, _ in active))
        matched_at = {pair.t + k: pair.a + k for pair in clear for k in range(pair.length)}
        calibrated = sorted((p, a_starts_ms[matched_at[p]] - time) for p, time in stamps if p in matched_at)
        chain = _stamp_candidates(tk, ak, a_starts_ms, active, clear, calibrated)
        useful = {pair.t - skip for pair in chain for skip in range(STAMP_MAX_SKIP + 1)}
        kept = [(p, time) for p, time in active if p in useful]
        if not kept:
            return None
        if len(kept) == len(active):
            break
        active = kept
    if not chain:
        return None

    anchors = sorted(clear + chain, key=lambda pair: pair.t)
    grown: list[_Pair] = []
    t_free, a_free = 0, 0
    for index, pair in enumerate(anchors):
        if pair.t < t_free or pair.a < a_free:
            continue  # a stamp anchor overlapping its neighbour's words
        t_stop = anchors[index + 1].t if index + 1 < len(anchors) else len(tk)
        a_stop = anchors[index + 1].a if index + 1 < len(anchors) else len(ak)
        pair = _grow(pair, tk, ak, (t_free, a_free), (t_stop, a_stop))
        grown.append(pair)
        t_free, a_free = pair.t + pair.length, pair.a + pair.length
    return grown


# --------------------------------------------------------------------------- driver


def align_keys(
    t_keys: Sequence[Keys],
    a_keys: Sequence[Keys],
    *,
    stamps: Sequence[tuple[int, int]] = (),
    a_starts_ms: Sequence[int] = (),
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Pair positions of two key sequences, monotonically.

    Args:
        t_keys: keys of each transcript word (every entry non-empty).
        a_keys: keys of each recognized word (every entry non-empty).
        stamps: (transcript position, ms) hints: roughly when that word is
            spoken (see "Stamps" in the module docstring).
        a_starts_ms: start of each recognized word, never decreasing;
            needed only with ``stamps``.

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
    is_top = bool(stamps) and bool(tk) and bool(ak)
    while stack:
        t_lo, t_hi, a_lo, a_hi = stack.pop()
        if t_lo >= t_hi or a_lo >= a_hi:
            continue
        cells = (t_hi - t_lo) * (a_hi - a_lo)
        anchors = _stamp_anchors(tk, ak, a_starts_ms, stamps) if is_top else None
        is_top = False
        if anchors is None:
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
    kept = _drop_islands(
        pairs, len(tk), len(ak), short={t for t, key in enumerate(tk) if len(key) <= SHORT_WORD_LETTERS}
    )
    return _grow_kept(kept, tk, ak)


def _grow_kept(pairs: list[_Kept], tk: Sequence[str], ak: Sequence[str]) -> list[_Kept]:
    """The kept pairs, each run extended over equal words next to it that nothing paired.

    The programme pairs a gap's word with any equal word there, and the one
    it picks may be a chance copy that is then undone as an island: "And"
    (beginning "And we're back.") paired with the "and" of the ad read before
    it, 2 s earlier, while the "And" heard right before "we are back." stayed
    free. Undone, "And" would be left between "break." and "we're", 15 s
    apart; the equal neighbour of a kept run is its word.
    """
    grown: list[_Kept] = []
    for k, (t_span, a_span, similarity) in enumerate(pairs):
        low = (grown[-1][0][-1] + 1, grown[-1][1][-1] + 1) if grown else (0, 0)
        before: list[_Kept] = []
        t, a = t_span[0], a_span[0]
        while t > low[0] and a > low[1] and tk[t - 1] == ak[a - 1]:
            t, a = t - 1, a - 1
            before.append(((t,), (a,), 1.0))
        grown.extend(reversed(before))
        grown.append((t_span, a_span, similarity))
        high = (pairs[k + 1][0][0], pairs[k + 1][1][0]) if k + 1 < len(pairs) else (len(tk), len(ak))
        t, a = t_span[-1] + 1, a_span[-1] + 1
        while t < high[0] and a < high[1] and tk[t] == ak[a]:
            grown.append(((t,), (a,), 1.0))
            t, a = t + 1, a + 1
    return grown


def _drop_islands(
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], n_t: int, n_a: int, short: Set[int] = frozenset()
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Undo runs of at most ISLAND_MAX_WORDS paired words with a long mismatch on both sides.

    Until none is left: an island is measured to the next run, which may be
    an island too. espeak's "Let's take a short break." heard as "Lead to
    stay cash-hot, meag." before an ad read: of the chance pairs into the ad
    ("since then. Let's take a short break. And" against "... using them at
    home for a few months now and ..."), "then." = "them" lay three words
    from "a" = "a", so it stayed while "a" went, and took the stretch's place
    after the ad: six spoken words ``not_in_audio``.
    """
    while True:
        kept = _drop_islands_once(pairs, n_t, n_a, short)
        if len(kept) == len(pairs):
            return kept
        pairs = kept


def _drop_islands_once(
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], n_t: int, n_a: int, short: Set[int]
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
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

    def mismatch(before: _Kept | None, after: _Kept | None) -> int:
        t0 = before[0][-1] + 1 if before else 0
        a0 = before[1][-1] + 1 if before else 0
        t1 = after[0][0] if after else n_t
        a1 = after[1][0] if after else n_a
        return max(t1 - t0, a1 - a0)

    keep: list[_Kept] = []
    previous_kept = None
    for r, run in enumerate(runs):
        first, last = pairs[run[0]], pairs[run[-1]]
        words = sum(len(pairs[k][0]) for k in run)
        after = pairs[runs[r + 1][0]] if r + 1 < len(runs) else None
        weak = all(t in short for k in run for t in pairs[k][0])
        needed = ISLAND_MIN_MISMATCH - 1 if weak else ISLAND_MIN_MISMATCH
        if words <= ISLAND_MAX_WORDS and mismatch(previous_kept, first) >= needed and mismatch(last, after) >= needed:
            continue
        keep.extend(pairs[k] for k in run)
        previous_kept = last
    return keep


def is_alignable(token: Token) -> bool:
    """Words with letters or digits take part; notes and bare punctuation don't."""
    return token.kind is TokenKind.WORD and bool(word_keys(token.text))


def align_tokens(
    tokens: Sequence[Token], words: Sequence[AsrWord], *, stamps: Sequence[Stamp] = ()
) -> tuple[AlignOp, ...]:
    """Align transcript tokens to recognized words.

    Args:
        tokens: every transcript token, in order.
        words: the recognized words, in order.
        stamps: times the transcript gives (``Transcript.stamps``); each
            hints at its first alignable token before the next stamp.

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
    stamp_hints = _stamp_positions(token_positions, stamps)
    a_starts_ms: list[int] = []
    for j in word_positions:  # never decreasing, so stamps can bisect it
        a_starts_ms.append(max(words[j].start_ms, a_starts_ms[-1] if a_starts_ms else 0))
    pairs = [
        (tuple(token_positions[t] for t in t_span), tuple(word_positions[a] for a in a_span), similarity)
        for t_span, a_span, similarity in align_keys(t_keys, a_keys, stamps=stamp_hints, a_starts_ms=a_starts_ms)
    ]
    pairs = _absorb_split_words(_prefer_later_copies(pairs, tokens, words), tokens, words)

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


def _key(word: AsrWord) -> str:
    return (word_keys(word.text) or ("",))[0]


def _prefer_later_copies(
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], tokens: Sequence[Token], words: Sequence[AsrWord]
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Move a word's match onto a later unmatched copy of it that runs on into the next transcript word.

    A speaker who restarts says a word twice, or a filler phrase that holds it,
    and the transcript keeps the last saying: audio "I mean, I think", "and
    and this", "you know, you can" against transcript "I think", "and this",
    "You can". Growing an anchor, or a tie in the gap's programme, pairs the
    transcript word with the first copy, so its start would be the false
    start's, hundreds of ms early. The copy that runs on into the next
    transcript word is the one the transcript wrote, where the restart is
    said in one breath (no pause over ``RUN_ON_MS`` from the first saying to
    the next word) and holds at most ``MAX_RESTART_WORDS`` unmatched words.
    A phrase said again after a pause ("Side left. ... Side left.", the
    second an outtake) keeps its first match: a retake is not a restart.

    A cut sentence that begins with the word the transcript goes on with is
    the same case at length: audio "If it works it could help 200 families.
    If people ...", transcript "If people". The later "If" runs on into
    "people" (the next word heard, within ``RUN_ON_MS``) and the first into
    words no transcript word took, so the later is the transcript's, however
    many unmatched words lie between the two copies; the first went with the
    cut sentence (3.5 s early on the benchmark's producer's-edits episode). A
    retake has nothing between its copies, so it is not taken for this; nor
    is the last word of a phrase matched to a flubbed take ("thank you for
    having me, sorry, ... thank you for having me", the word before the last
    copy the same as the word before the first): moving it alone would split
    the phrase between the takes.
    """
    out = list(pairs)
    for k in range(len(out) - 1):
        (t_span, a_span, similarity), (t_next, a_next, _) = out[k], out[k + 1]
        if len(t_span) != 1 or len(a_span) != 1 or a_next[0] == a_span[0] + 1:
            continue
        if any(is_alignable(tokens[i]) for i in range(t_span[0] + 1, t_next[0])):
            continue  # the next match is not the next transcript word
        key = word_keys(tokens[t_span[0]].text)[0]
        copies = [j for j in range(a_span[0] + 1, a_next[0]) if (word_keys(words[j].text) or ("",))[0] == key]
        if not copies:
            continue
        restart = a_next[0] - a_span[0] - 1 <= MAX_RESTART_WORDS and all(
            words[j + 1].start_ms - words[j].end_ms <= RUN_ON_MS for j in range(a_span[0], a_next[0])
        )  # said in one breath, from the first saying through the last into the next word
        first, last = a_span[0], copies[-1]
        retaken = k > 0 and out[k - 1][1][-1] == first - 1 and _key(words[last - 1]) == _key(words[first - 1])
        runs_on = (  # the last copy runs on into the next word, the first into unmatched speech
            not retaken  # the phrase before the word was said again before the last copy: a retake
            and last == a_next[0] - 1
            and last > first + 1
            and words[a_next[0]].start_ms - words[last].end_ms <= RUN_ON_MS
            and words[first + 1].start_ms - words[first].end_ms <= RUN_ON_MS
        )
        if restart or runs_on:
            out[k] = (t_span, (copies[-1],), similarity)
    return out


_SIGNS = {"%": ("percent",)}
"""Signs a recognizer writes as a word of their own after a number (punctuation aside), read as the word said."""


def _absorb_split_words(
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]], tokens: Sequence[Token], words: Sequence[AsrWord]
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Extend a one-to-one match over the unmatched recognized word after it that completes the written word.

    The recognizer writes "40%" as "40" and "%": the anchors pair "40%" with
    "40" (their primary keys are equal) and leave "%" unmatched, so the word
    ended 630 ms early, and ``aligner cut`` took "percent" for a filler to
    remove. Where the two recognized words' keys joined are one of the
    written word's keys ("40" + "percent" = "40percent"), both are its match.
    A bare sign has no key of its own (it would match words fuzzily
    anywhere); here it is read as said (``_SIGNS``).
    """
    out = list(pairs)
    for k, (t_span, a_span, similarity) in enumerate(out):
        if len(t_span) != 1 or len(a_span) != 1:
            continue
        j = a_span[0] + 1
        if j >= len(words) or (k + 1 < len(out) and out[k + 1][1][0] <= j):
            continue
        first, second = (
            word_keys(words[a_span[0]].text),
            _SIGNS.get(words[j].text.strip(" .,;:!?"), word_keys(words[j].text)),
        )
        if first and second and first[0] + second[0] in word_keys(tokens[t_span[0]].text)[1:]:
            out[k] = (t_span, (a_span[0], j), similarity)
    return out


def _stamp_positions(token_positions: Sequence[int], stamps: Sequence[Stamp]) -> list[tuple[int, int]]:
    """(alignable position, ms) for each stamp whose span holds an alignable token.

    A stamp times the first alignable token at or after its token and before
    the next stamp's token (a cue holding only ``[music]`` times nothing).
    """
    ordered = sorted(stamps, key=lambda s: s.token_index)
    hints: list[tuple[int, int]] = []
    for k, stamp in enumerate(ordered):
        position = bisect.bisect_left(token_positions, stamp.token_index)
        limit = ordered[k + 1].token_index if k + 1 < len(ordered) else None
        if position == len(token_positions) or (limit is not None and token_positions[position] >= limit):
            continue
        if hints and hints[-1][0] == position:
            continue
        hints.append((position, stamp.time_ms))
    return hints
