"""Which stretches of the episode the edited transcript leaves out, and exactly where to cut them.

The alignment already knows, to about 10 ms, what the transcript keeps: its
timed words and notes. Everything the recognizer heard that no transcript
word took (``Result.extra_words``) lies in the gaps between them. A gap's
extra words are one *removable stretch*, of a kind:

- ``filler``: every word a hesitation or a filler phrase the transcript
  dropped ("um", "uh", "you know", "I mean", "like");
- ``repetition``: a false start, the words (fillers aside) repeating the
  transcript words just after or just before ("the the", "we, we went");
- ``passage``: other speech of ``MIN_PASSAGE_WORDS`` or more, a sentence the
  producer cut (one or two other words go only if they are backchannels or
  conjunctions, "Okay.", "So, and"; otherwise they may be a transcript word
  misheard, and stay);
- ``ad``: such speech lasting at least ``ad_min_seconds`` (an ad read), never
  a passage.

A gap with no extra words, longer than ``max_pause_s`` and quiet throughout,
is a ``pause``. A gap next to transcript words that are ``not_in_audio`` is
not cut if the speech there is like those words (the matcher pairs some): the
transcript says words belong there that the alignment did not place, and the
speech may be them. Speech unlike them is a sentence the producer replaced,
and goes.

Where to cut (:func:`plan_cuts`): never inside a kept word or note. The cut
lies between the kept word before and the kept word after, ``MARGIN_MS``
clear of each refined boundary and at most ``EDGE_REACH_MS`` beyond the
removed speech (a ``[music]`` sting around an ad read stays); each edge is moved to the quietest
``QUIET_WINDOW_MS`` of the audio between the removed stretch and that
margin, so the join falls in the pause around the filler and not on its
first or last sound. A pause keeps ``keep_pause_s``, half on each side.

Worked example: "a neuroscientist" kept at 10.00-10.35 s ("a") and
10.92 s ("neuroscientist"), with "um" heard at 10.41-10.78 s. The stretch
is a filler; the cut may run from 10.375 s to 10.895 s; the quietest 20 ms
between 10.375 and 10.41 s is 10.38-10.40 s, and between 10.78 and 10.895 s
10.84-10.86 s, so 10.39-10.85 s is removed (``tests/cut/test_plan.py``).

:class:`TimeMap` maps times of the source to times of the edited audio.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.normalize import is_filler, word_keys
from aligner.options import CutOptions
from aligner.types import AsrWord, ExtraWord, OpKind, Result, TimedWord, Token, TokenKind, WordStatus

__all__ = [
    "Between",
    "Cut",
    "Gap",
    "Loudness",
    "TimeMap",
    "droppable",
    "kept_gaps",
    "plan_cuts",
    "removable_gaps",
    "search_spans",
]

MARGIN_MS = 25
"""A cut stays this far from a kept word's refined boundary (the boundaries are good to about 10 ms)."""

QUIET_WINDOW_MS = 20
"""The edge of a cut goes to the middle of the quietest stretch this long."""

MIN_CUT_MS = 30
"""Shorter cuts are not worth a join."""

QUIET_DBFS = -40.0
"""A pause is cut only if its loudest 10 ms frame (90th percentile) is below this: music is never a pause."""

MIN_PASSAGE_WORDS = 3
"""A passage (a cut sentence) has this many words; fewer, unknown, are left (see :func:`_kind`)."""

EDGE_REACH_MS = 500
"""A cut reaches at most this far beyond the speech it removes, whatever the kept words' distance."""

BACKCHANNELS = frozenset(
    {"okay", "ok", "yeah", "yes", "wow", "oh", "mhm", "mmhmm", "uhhuh", "sure", "and", "but", "or"}
)
"""Short words a producer drops between sentences: the other speaker's backchannels, and conjunctions."""

FILLER_PHRASES = frozenset(
    {"you know", "i mean", "like", "so", "kind of", "sort of", "actually", "basically", "well", "just", "right"}
)
"""Words and phrases a producer drops as fillers, besides hesitations (aligner.normalize.is_filler)."""


@dataclass(frozen=True, slots=True)
class Cut:
    """One stretch of the source removed: ``[start_ms, end_ms)``, its kind, and what the recognizer heard."""

    start_ms: int
    end_ms: int
    kind: str
    heard: str


@dataclass(frozen=True, slots=True)
class Gap:
    """What lies between two kept items: the extra words there, and where a cut may go."""

    lo_ms: int  # earliest cut start (margin past the kept item before)
    hi_ms: int  # latest cut end (margin before the kept item after)
    words: tuple[ExtraWord, ...]
    kind: str
    after: TimedWord  # the kept word after the gap (the review page links to it)


@dataclass(frozen=True, slots=True)
class Between:
    """Two kept words next to each other in time, and what lies between them."""

    before: TimedWord
    after: TimedWord
    words: tuple[ExtraWord, ...]  # extra words in the gap (one overlapping a kept word is not in it)
    missing: tuple[Token, ...]  # transcript words between the two that were not placed
    note: bool  # a timed note ([laughs], [music]) lies in the gap


def kept_gaps(result: Result) -> list[Between]:
    """Every pair of kept words next to each other in time, in time order (what a cut may lie between)."""
    kept = [
        w for w in result.words if w.start_ms is not None and w.end_ms is not None and w.token.kind is TokenKind.WORD
    ]
    kept.sort(key=lambda w: (w.start_ms or 0, w.end_ms or 0))
    notes = [w.start_ms for w in result.words if w.token.kind is TokenKind.NOTE and w.start_ms is not None]
    unplaced = {
        w.token.index
        for w in result.words
        if w.status is WordStatus.NOT_IN_AUDIO and w.token.kind is TokenKind.WORD and not w.token.is_heading
    }
    extra = sorted(result.extra_words, key=lambda w: w.start_ms)
    starts = [w.start_ms for w in extra]
    pairs: list[Between] = []
    for before, after in itertools.pairwise(kept):
        a_end, b_start = before.end_ms or 0, after.start_ms or 0
        inside = tuple(  # a word overlapping a kept one (a backchannel over it) stays: it is not in the gap
            w
            for w in extra[bisect.bisect_left(starts, a_end) : bisect.bisect_left(starts, b_start)]
            if w.end_ms <= b_start
        )
        low, high = sorted((before.token.index, after.token.index))
        missing = tuple(result.words[i].token for i in range(low + 1, high) if i in unplaced)
        note = any(a_end <= n <= b_start for n in notes)
        pairs.append(Between(before, after, inside, missing, note))
    return pairs


def removable_gaps(result: Result, options: CutOptions) -> list[Gap]:
    """The gaps between kept items holding something of a kind ``options.remove`` names, in time order."""
    gaps: list[Gap] = []
    for between in kept_gaps(result):
        before, after, inside = between.before, between.after, between.words
        a_end, b_start = before.end_ms or 0, after.start_ms or 0
        lo, hi = a_end + MARGIN_MS, b_start - MARGIN_MS
        if hi - lo < MIN_CUT_MS:
            continue
        if between.missing and (not inside or _could_be(between.missing, inside)):
            continue  # transcript words belong here that were not placed, perhaps this very speech: it stays
        if inside:
            kind = _kind(inside, before, after, result, options)
            lo = max(lo, inside[0].start_ms - EDGE_REACH_MS)  # a [music] sting or a laugh beside it stays
            hi = min(hi, inside[-1].end_ms + EDGE_REACH_MS)
        elif "pause" in options.remove and b_start - a_end > options.max_pause_s * 1000 and not between.note:
            kind = "pause"
        else:
            continue
        if kind in options.remove:  # never "unknown"
            gaps.append(Gap(lo, hi, inside, kind, after))
    return gaps


def _could_be(tokens: Sequence[Token], words: Sequence[ExtraWord]) -> bool:
    """Whether any of the speech heard is like any of the unplaced transcript words (the matcher pairs them).

    A producer who replaced a sentence ("The report was published in 1990."
    written where "That changed how we planned the whole project." was said)
    wants the said one cut; a sentence the alignment failed to place, heard
    as something like it, must stay.
    """
    from aligner.match import align_tokens

    heard = [AsrWord(w.text, w.start_ms, w.end_ms, 1.0) for w in words]
    return any(op.kind is OpKind.MATCH for op in align_tokens(tokens, heard))


def _kind(words: Sequence[ExtraWord], before: TimedWord, after: TimedWord, result: Result, options: CutOptions) -> str:
    keys = [k for w in words for k in word_keys(w.text)[:1]]
    if len(keys) < len(words):
        return "unknown"  # a sign or a word in another script: what was said is not known, so it stays
    if all(is_filler(k) for k in keys) or _all_filler_phrases(keys):
        return "filler"
    content = [k for k in keys if not is_filler(k)]
    following = _keys_from(result, after.token.index, len(content), step=1)
    preceding = _keys_from(result, before.token.index, len(content), step=-1)
    if content and (content == following or content == preceding[::-1]):
        return "repetition"
    if words[-1].end_ms - words[0].start_ms >= options.ad_min_seconds * 1000:
        return "ad"
    if len(content) < MIN_PASSAGE_WORDS:
        # One or two words: a backchannel or a conjunction left over from an edit ("Okay.", "So, and")
        # goes; anything else may be a transcript word misheard beside a mistimed neighbour ("the" for
        # "uh, a"), so it stays.
        return "filler" if all(droppable(k) for k in content) else "unknown"
    return "passage"


def droppable(key: str) -> bool:
    """Whether one or two heard words of this key go as a filler: a hesitation, a backchannel, a conjunction."""
    return is_filler(key) or key in BACKCHANNELS or key in FILLER_PHRASES


def _all_filler_phrases(keys: Sequence[str]) -> bool:
    """Whether ``keys`` split into hesitations and :data:`FILLER_PHRASES` ("you know, uh, like")."""
    k = 0
    while k < len(keys):
        if is_filler(keys[k]):
            k += 1
        elif k + 1 < len(keys) and f"{keys[k]} {keys[k + 1]}" in FILLER_PHRASES:
            k += 2
        elif keys[k] in FILLER_PHRASES:
            k += 1
        else:
            return False
    return True


def _keys_from(result: Result, index: int, count: int, *, step: int) -> list[str]:
    """The keys of ``count`` transcript words from token ``index`` on (``step`` -1: backwards, ``index`` included)."""
    keys: list[str] = []
    i = index
    while 0 <= i < len(result.words) and len(keys) < count:
        token = result.words[i].token
        if token.kind is TokenKind.WORD:
            keys.extend(word_keys(token.text)[:1])
        i += step
    return keys


def plan_cuts(result: Result, options: CutOptions, loudness: Loudness) -> list[Cut]:
    """The cuts, in time order, not overlapping (see the module docstring).

    Args:
        loudness: 10 ms frame levels of the source around each gap (:func:`gap_loudness`).
    """
    cuts: list[Cut] = []
    for gap in removable_gaps(result, options):
        heard = " ".join(w.text for w in gap.words)
        if gap.kind == "pause":
            keep = round(options.keep_pause_s * 500)
            a_end, b_start = gap.lo_ms - MARGIN_MS, gap.hi_ms + MARGIN_MS
            if loudness.loudest(a_end, b_start) >= QUIET_DBFS:
                continue  # music or room noise, not a pause
            start, end = a_end + keep, b_start - keep
        else:
            first, last = max(gap.words[0].start_ms, gap.lo_ms), min(gap.words[-1].end_ms, gap.hi_ms)
            start = loudness.quietest(gap.lo_ms, first) if first - gap.lo_ms >= QUIET_WINDOW_MS else gap.lo_ms
            end = loudness.quietest(last, gap.hi_ms) if gap.hi_ms - last >= QUIET_WINDOW_MS else gap.hi_ms
            start, end = max(start, gap.lo_ms), min(end, gap.hi_ms)
        if end - start >= MIN_CUT_MS:
            cuts.append(Cut(start, end, gap.kind, heard))
    return cuts


class Loudness:
    """Frame levels (dBFS, 10 ms frames) of the source, known over some spans."""

    FRAME_MS = 10

    def __init__(self, frames: dict[int, float] | None = None) -> None:
        self._frames = frames or {}  # frame number -> dBFS

    @classmethod
    def of_spans(cls, samples_by_span: Sequence[tuple[int, object]]) -> Loudness:
        """From ``(start_ms, samples)`` pairs, float32 mono 16 kHz."""
        import numpy as np

        from aligner.level import frame_levels_db

        frames: dict[int, float] = {}
        per_frame = 16 * cls.FRAME_MS
        for start_ms, samples in samples_by_span:
            x = np.asarray(samples, dtype=np.float32)
            first = -(-start_ms // cls.FRAME_MS)
            skip = (first * cls.FRAME_MS - start_ms) * 16
            body = x[skip:]
            n = len(body) // per_frame
            if n == 0:
                continue
            levels = frame_levels_db(body, per_frame)
            for k, level in enumerate(levels):
                frames[first + k] = float(level)
        return cls(frames)

    def _level(self, frame: int) -> float:
        return self._frames.get(frame, 0.0)  # unknown audio counts as loud: never chosen, never a pause

    def quietest(self, lo_ms: int, hi_ms: int) -> int:
        """The middle of the quietest ``QUIET_WINDOW_MS`` between ``lo_ms`` and ``hi_ms`` (ms)."""
        width = QUIET_WINDOW_MS // self.FRAME_MS
        first, last = -(-lo_ms // self.FRAME_MS), hi_ms // self.FRAME_MS - width
        if last < first:
            return (lo_ms + hi_ms) // 2
        best = min(range(first, last + 1), key=lambda f: (sum(self._level(f + k) for k in range(width)), -f))
        return best * self.FRAME_MS + QUIET_WINDOW_MS // 2

    def loudest(self, lo_ms: int, hi_ms: int) -> float:
        """The 90th percentile frame level between ``lo_ms`` and ``hi_ms`` (dBFS)."""
        levels = sorted(
            self._level(f)
            for f in range(lo_ms // self.FRAME_MS, max(hi_ms // self.FRAME_MS, lo_ms // self.FRAME_MS + 1))
        )
        return levels[min(len(levels) - 1, int(0.9 * len(levels)))]


def search_spans(gaps: Sequence[Gap]) -> list[tuple[int, int]]:
    """The spans of the source whose loudness :func:`plan_cuts` needs: each gap, margins included."""
    return [(max(g.lo_ms - MARGIN_MS, 0), g.hi_ms + MARGIN_MS) for g in gaps]


class TimeMap:
    """Times of the source to times of the edited audio, given the cuts (sorted, not overlapping)."""

    def __init__(self, cuts: Sequence[Cut]) -> None:
        self._starts = [c.start_ms for c in cuts]
        self._ends = [c.end_ms for c in cuts]
        self._removed_before: list[int] = []  # removed ms before cut k
        total = 0
        for c in cuts:
            self._removed_before.append(total)
            total += c.end_ms - c.start_ms
        self.removed_ms = total

    def __call__(self, ms: int) -> int:
        """The edited time of source time ``ms``; a time inside a cut goes to where the cut was."""
        k = bisect.bisect_right(self._starts, ms) - 1
        if k < 0:
            return ms
        if ms < self._ends[k]:
            return self._starts[k] - self._removed_before[k]
        return ms - self._removed_before[k] - (self._ends[k] - self._starts[k])
