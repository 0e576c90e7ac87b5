"""The second pass for a word or a short phrase: was an unheard transcript word said?

After the stretches are recognised again (:mod:`aligner.relisten`), a word
or two of the transcript can still sit unmatched between two matched
neighbours with nothing heard between them: tiny.en ran "to a good" together
as "to good", or heard "coral reefs are" as "Cora are". Left to the timing
stage, such a word is ``not_in_audio`` and drops out of its caption line.
But a producer who edits for clarity also adds words nobody said ("went to
the store"), and those must stay ``not_in_audio``. What Whisper wrote cannot
tell the two apart; the audio can.

So the forced aligner decides. The gap's words are aligned again together
with ``CONTEXT_WORDS`` recognized words on each side, in a window reaching
``PAD_MS`` past them, through a grammar in which each unheard word is
*optional*: skipping it costs exactly what saying it does
(:data:`aligner.refine.sphinx.OPTIONAL_SKIP_PROBABILITY`), so only the
acoustic match chooses. A word the aligner places, for at least
``MIN_WORD_MS`` and between the neighbours, was said: it is matched with
method ``acoustic`` and confidence ``CONFIDENCE`` (the aligner heard it,
the recognizer did not). The two neighbours take the times of the same
alignment, since they were aligned without the word between them. A word the
aligner skips is left to the timing stage.

A run of ``MIN_SAID_RUN_WORDS`` or more that the aligner places only in
part is aligned again with none of its words skippable, and taken whole if
pocketsphinx finds a path at all: where the words were not said there (a
phrase written into a pause) the search finds none
(``benchmarks/said_or_not.py``: no path in any of 84 such windows, a path in
69 of 73 windows of said words).

Only gaps of at most ``MAX_RUN_WORDS`` words (``MAX_DOUBTFUL_RUN_WORDS`` where
Whisper doubted what it heard in their place) and ``MAX_GAP_MS`` of audio are
checked (a run of three or more counts only if every word is placed), with
at most ``MAX_MISHEARD_WORDS`` recognized words between the neighbours, and not a word that repeats a neighbour ("a very [very] good":
either "very" fits the same audio). Recognized words there are what the gap's
words were misheard as ("origin all" for "original"): the transcript's words
are aligned in their place, so they are timed by the audio instead of spread
over Whisper's times for the misheard words.

Worked example (benchmark seed 2): the guest said "the key to a good life";
tiny.en heard "the key to good life", so "a" sat between "to" (refined
37.16-37.29 s) and "good" (37.29 s). Aligned again as "key to [a] good
life" over 36.83-38.10 s, the aligner puts "a" at 37.25-37.29 s (the
synthesizer's truth: 37.263 s) rather than skip it, so "a" is timed
``acoustic`` and "to" ends at 37.25 s.

Measured in docs/accuracy.md ("Unheard words and restarts"); results are cached per gap
like a refinement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from aligner.audio import AudioFile
from aligner.match import is_alignable
from aligner.normalize import word_keys
from aligner.options import AlignOptions
from aligner.refine.windows import cached_alignments, placed_in_episode
from aligner.relisten import Replacement, SecondPass, splice
from aligner.types import AlignOp, AsrWord, OpKind, Refinement, TimingMethod, Token

if TYPE_CHECKING:  # loaded only when a gap is not in the cache
    import numpy as np

    from aligner.refine.sphinx import AlignedWord, SphinxAligner

__all__ = ["CONFIDENCE", "Gap", "confirm_gaps", "find_gaps"]

MAX_RUN_WORDS = 6
"""Longer unheard runs are stretches (:mod:`aligner.relisten`) or the timing stage's."""

MAX_DOUBTFUL_RUN_WORDS = 12
"""A longer run than ``MAX_RUN_WORDS``, up to this, is checked too where what was heard in its place is doubtful.

Doubtful: the recognized words between the neighbours average under ``DOUBTFUL_PROBABILITY``. The
held-out espeak episode's "One of them wrote that a warm loaf saved her" (a Scottish voice) was heard
as "Well I'm named Roto-Womlof Zend here" (probabilities 0.2-0.5): too unlike the run for the timing
stage to spread it (``aligner.timing._misheard``), and heard again as other words, so ten spoken words
were ``not_in_audio``. A sentence the producer rewrote is heard surely (0.9 and more) and is left alone."""

DOUBTFUL_PROBABILITY = 0.5
"""Whisper's mean word probability under which what it heard in a run's place is taken for a mishearing."""

MAX_GAP_MS = 4000
"""More audio than this between the neighbours leaves the optional word too much room to claim noise
(and shorter unheard stretches are not recognised again: :data:`aligner.relisten.SHORT_GAP_MS`)."""

MAX_MISHEARD_WORDS = 8
"""Recognized words that may lie between the neighbours: what the gap's words were misheard as.

8 rather than 4: espeak's "and this is episode 131." heard as "and DC Daily Software and Dorye one."
(five words for four) was left to the timing stage's spread, 600-700 ms late; checked, each word
is within 12 ms. On the benchmark's rows and the held-out ones, 12 starts better and 3 worse by more
than 20 ms (the worst 4 -> 62 ms), no unsaid word confirmed (``benchmarks/word_diff.py``).

They are left out of the check's text (the transcript's words are aligned
in their place) and, when every gap word is confirmed, out of the alignment;
otherwise the gap stays as it was, for the timing stage to spread its words
over them."""

CONTEXT_WORDS = 2
"""Recognized words aligned on each side of the gap, so the gap's edges are found in running speech."""

MAX_CONTEXT_REACH_MS = 3000
"""A context word further than this from the gap (across a long pause) is left out."""

PAD_MS = 150
"""Audio aligned before the first and after the last context word."""

MIN_WORD_MS = 30
"""A word placed shorter than this (three frames) is taken as skipped."""

MAX_NEIGHBOUR_SHIFT_MS = 500
"""How far the check may move a neighbour's edge facing the gap (the refiner's MAX_APART_MS)."""

CONFIDENCE = 0.5
"""Of a confirmed word: the forced aligner found it, the recognizer did not."""

CONFIRM_RECIPE = 19
"""The version of what this module computes: part of each cached gap's key (2-4, 6, 7, 10-14, 16-18, 20
were experiments: never reuse them; 8: up to 8 misheard words; 9: doubtful runs up to 12 words; 15: a word
that squeezes its left neighbour out is not confirmed; 19: a neighbour heard with the gap's sound in it
aligned as the transcript's word)."""

MIN_SAID_RUN_WORDS = 3
"""A run this long that the optional alignment does not place whole is aligned again with every word said."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Unheard transcript words between two matched neighbours.

    ``first``/``last`` bound the gap's ops (``ops[first:last]``, its DELETEs);
    ``before``/``after`` are the recognized words aligned as context, the
    neighbours last and first; ``said_left``/``said_right``: the
    transcript's word for a neighbour heard with more sound on the gap's
    side (see :func:`_said_as`), None where what was heard is aligned.
    """

    first: int
    last: int
    tokens: tuple[int, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]
    window_start_ms: int
    window_end_ms: int
    said_left: str | None = None
    said_right: str | None = None


def find_gaps(tokens: Sequence[Token], ops: Sequence[AlignOp], words: Sequence[AsrWord], duration_ms: int) -> list[Gap]:
    """The gaps worth checking, in time order (see the module docstring for which)."""
    gaps: list[Gap] = []
    matched = {j for op in ops if op.kind is OpKind.MATCH for j in op.asr_indices}
    previous: int | None = None  # index of the last MATCH op
    pending: list[int] = []
    heard: list[int] = []
    for k, op in enumerate(ops):
        if op.kind is OpKind.DELETE:
            pending.extend(op.token_indices)
            continue
        if op.kind is OpKind.INSERT:
            heard.extend(op.asr_indices)
            continue
        if previous is not None and pending and len(heard) <= MAX_MISHEARD_WORDS:
            doubtful = bool(heard) and sum(words[j].probability for j in heard) < DOUBTFUL_PROBABILITY * len(heard)
            longest = MAX_DOUBTFUL_RUN_WORDS if doubtful else MAX_RUN_WORDS
            gap = _gap(tokens, ops, words, matched, duration_ms, previous, k, pending, longest)
            if gap is not None:
                gaps.append(gap)
        previous, pending, heard = k, [], []
    return gaps


def _gap(
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    matched: set[int],
    duration_ms: int,
    before: int,
    after: int,
    run: list[int],
    longest: int,
) -> Gap | None:
    if len(run) > longest or any(tokens[i].is_heading or not is_alignable(tokens[i]) for i in run):
        return None
    left, right = ops[before].asr_indices[-1], ops[after].asr_indices[0]
    if words[right].start_ms - words[left].end_ms > MAX_GAP_MS:
        return None
    neighbours = {_key(words[left].text), _key(words[right].text)}
    if any(_key(tokens[i].text) in neighbours for i in run):
        return None  # "a very [very] good": the same audio fits either copy
    context_before = _context(
        range(left, max(left - CONTEXT_WORDS, -1), -1), matched, lambda j: words[left].start_ms - words[j].end_ms
    )
    context_after = _context(
        range(right, min(right + CONTEXT_WORDS, len(words))), matched, lambda j: words[j].start_ms - words[right].end_ms
    )
    return Gap(
        first=before + 1,
        last=after,
        tokens=tuple(run),
        before=context_before,
        after=context_after,
        window_start_ms=max(words[context_before[0]].start_ms - PAD_MS, 0),
        window_end_ms=min(words[context_after[-1]].end_ms + PAD_MS, duration_ms),
        said_left=_said_as(tokens, ops[before], words, facing_gap="end"),
        said_right=_said_as(tokens, ops[after], words, facing_gap="start"),
    )


def _said_as(tokens: Sequence[Token], op: AlignOp, words: Sequence[AsrWord], *, facing_gap: str) -> str | None:
    """The transcript's word for a neighbour heard as that word plus more sound on the gap's side, else None.

    Such a recognized word holds the gap's word in its sounds: the held-out
    overlap episode's "with a a regular bedtime" was heard "with irregular
    bedtime"; aligned as "with [a] irregular", pocketsphinx gave the
    neighbour the "a" as well, and "a" was ``not_in_audio``, dropped from
    its caption. Only that shape: a neighbour merely misheard ("city
    planners" heard "heat plunders") is aligned as heard; aligned as the
    transcript's word, the remote guest's "city" before it was no longer
    placed (38 ms from the truth as heard).
    """
    if len(op.token_indices) != 1 or len(op.asr_indices) != 1 or op.similarity >= 1.0:
        return None
    said, heard = _key(tokens[op.token_indices[0]].text), _key(words[op.asr_indices[0]].text)
    if not said or len(heard) <= len(said):
        return None
    holds = heard.startswith(said) if facing_gap == "end" else heard.endswith(said)
    return tokens[op.token_indices[0]].text if holds else None


def _context(outward: range, matched: set[int], reach_ms: Callable[[int], int]) -> tuple[int, ...]:
    """The neighbour and the recognized words beyond it, nearest first, while matched and within reach.

    A word the transcript does not hold is no context: the held-out remote guest's "understand this
    better than", heard "resume this bed or", had two gaps around "this"; checked with the misheard
    "resume" before it, "this" and "better" were placed 330 ms early.
    """
    taken: list[int] = []
    for j in outward:
        if taken and (j not in matched or reach_ms(j) > MAX_CONTEXT_REACH_MS):
            break
        taken.append(j)
    return tuple(sorted(taken))


def _key(text: str) -> str:
    keys = word_keys(text)
    return keys[0] if keys else ""


def confirm_gaps(
    audio: AudioFile,
    tokens: Sequence[Token],
    second: SecondPass,
    duration_ms: int,
    options: AlignOptions,
) -> SecondPass:
    """The alignment with every gap's words the aligner found in the audio matched (``acoustic``).

    Args:
        second: the alignment after :func:`aligner.relisten.relisten`, and the
            (refined) words it is over.

    Returns:
        The same record, with the confirmed words added and the neighbours
        of each re-timed; ``stretches``/``found`` add the gaps checked and
        the words confirmed.
    """
    words, methods, ops = list(second.words), list(second.methods), second.ops
    gaps = find_gaps(tokens, ops, words, duration_ms)
    if not gaps:
        return second
    replacements: list[Replacement] = []
    for gap, placed in zip(gaps, _check(audio, tokens, words, gaps, duration_ms, options)):
        replacement = _replacement(tokens, words, methods, gap, placed)
        if replacement is not None:
            replacements.append(replacement)
    if not replacements:
        return SecondPass(second.words, second.methods, ops, second.stretches + len(gaps), second.found)
    spliced = splice(ops, words, methods, replacements, 0)
    return SecondPass(
        spliced.words, spliced.methods, spliced.ops, second.stretches + len(gaps), second.found + spliced.found
    )


def _candidates(tokens: Sequence[Token], words: Sequence[AsrWord], gap: Gap) -> list[AsrWord]:
    """What is aligned: the context words, and the gap's words placed (for the cache key) at the gap."""
    start, end = words[gap.before[-1]].end_ms, words[gap.after[0]].start_ms
    before = [words[j] for j in gap.before]
    after = [words[j] for j in gap.after]
    if gap.said_left is not None:
        before[-1] = replace(before[-1], text=gap.said_left)
    if gap.said_right is not None:
        after[0] = replace(after[0], text=gap.said_right)
    return [*before, *(AsrWord(tokens[i].text, start, max(end, start), 0.0) for i in gap.tokens), *after]


def _replacement(
    tokens: Sequence[Token],
    words: list[AsrWord],
    methods: list[TimingMethod],
    gap: Gap,
    placed: Refinement,
) -> Replacement | None:
    """The gap's confirmed words and ops; the neighbours re-timed in ``words`` (in place). None: none confirmed.

    ``placed`` is the check's alignment of :func:`_candidates`: a word the
    aligner skipped keeps its candidate time and method ``whisper``. A
    placed word counts if it lasts ``MIN_WORD_MS`` and lies between the
    neighbours, as the check placed them; a neighbour may move by at most
    ``MAX_NEIGHBOUR_SHIFT_MS`` for it (its first alignment had no word to
    leave room for: "Cora are" for "coral reefs are" put "are" over "reefs").
    A confirmed word starting before the left neighbour's start (refinement put
    the neighbour on the word's audio) moves the neighbour's start to the check's
    place for it as well. A single word that would leave its left neighbour
    shorter than ``MIN_WORD_MS`` is not confirmed: the check put the neighbour
    before refinement's start of it and the word on its audio (the held-out
    edits' "most is [the] old", "the" written by the producer and placed where
    "is" was said; ``not_in_audio`` recall 0.975 -> 0.987, no start moved by
    more than 20 ms on any row). Not the right neighbour: a misheard word's
    audio after it ("just [about] out" heard "just an out -out") squeezes it
    where the check is right.
    """
    n_before, right_at = len(gap.before), len(gap.before) + len(gap.tokens)
    left, right = words[gap.before[-1]], words[gap.after[0]]
    new_left, new_right = placed.words[n_before - 1], placed.words[right_at]
    if placed.methods[n_before - 1] is not TimingMethod.SPHINX or placed.methods[right_at] is not TimingMethod.SPHINX:
        return None  # the check lost a neighbour: no evidence where the gap is
    if max(abs(new_left.end_ms - left.end_ms), abs(new_right.start_ms - right.start_ms)) > MAX_NEIGHBOUR_SHIFT_MS:
        return None
    found: list[AsrWord] = []
    local: list[AlignOp] = []
    for k, i in enumerate(gap.tokens):
        word, method = placed.words[n_before + k], placed.methods[n_before + k]
        inside = word.start_ms >= new_left.start_ms and word.end_ms <= new_right.end_ms
        if method is TimingMethod.SPHINX and word.end_ms - word.start_ms >= MIN_WORD_MS and inside:
            local.append(AlignOp(OpKind.MATCH, (i,), (len(found),), 1.0))
            found.append(AsrWord(tokens[i].text, word.start_ms, word.end_ms, CONFIDENCE))
        else:
            local.append(AlignOp(OpKind.DELETE, (i,), ()))
    partial = len(found) < len(gap.tokens)
    if not found or (partial and (gap.last - gap.first > len(gap.tokens) or len(gap.tokens) > 2)):
        return None  # a word left unconfirmed beside misheard words, or a phrase not placed whole: as before
    left_start = left.start_ms
    if found[0].start_ms < left_start:  # the word was said where the neighbour was: the check's place for both
        previous = words[gap.before[-1] - 1].end_ms if gap.before[-1] > 0 else 0
        left_start = min(max(new_left.start_ms, previous), found[0].start_ms)
    end = max(min(new_left.end_ms, found[0].start_ms), left_start)
    start = max(new_right.start_ms, found[-1].end_ms)
    following = words[gap.after[0] + 1].start_ms if gap.after[0] + 1 < len(words) else new_right.end_ms
    right_end = max(min(new_right.end_ms, following), start)
    if len(gap.tokens) == 1 and end - left_start < MIN_WORD_MS:
        return None  # the check put the left neighbour before refinement's start of it, the word on its audio
    words[gap.before[-1]] = AsrWord(left.text, left_start, end, left.probability)
    words[gap.after[0]] = AsrWord(right.text, start, right_end, right.probability)
    return Replacement(gap.first, gap.last, tuple(found), tuple(TimingMethod.ACOUSTIC for _ in found), tuple(local))


def _check(
    audio: AudioFile,
    tokens: Sequence[Token],
    words: Sequence[AsrWord],
    gaps: Sequence[Gap],
    duration_ms: int,
    options: AlignOptions,
) -> list[Refinement]:
    """Each gap's candidates aligned with its words optional; cached per gap like a refinement."""
    candidates = [_candidates(tokens, words, gap) for gap in gaps]
    windows = [(g.window_start_ms, g.window_end_ms) for g in gaps]

    def align(aligner: SphinxAligner, samples: np.ndarray, k: int) -> Refinement:
        return _align_gap(aligner, samples, gaps[k], candidates[k])

    return cached_alignments(
        audio, f"relisten-confirm-{CONFIRM_RECIPE}", candidates, windows, duration_ms, options, align
    )


def _lasts(spot: AlignedWord | None) -> bool:
    return spot is not None and spot.end_ms - spot.start_ms >= MIN_WORD_MS


def _align_gap(aligner: SphinxAligner, samples: np.ndarray, gap: Gap, candidates: list[AsrWord]) -> Refinement:
    """One gap's alignment (times in the episode); words not placed keep their candidate time, ``whisper``."""
    names = [aligner.word_name(w.text) for w in candidates]
    n_before = len(gap.before)
    optional = range(n_before, n_before + len(gap.tokens))
    known = [name for name in names if name is not None]
    aligned = aligner.align(samples, known, optional=optional) if len(known) == len(names) else None
    if aligned is not None and len(gap.tokens) >= MIN_SAID_RUN_WORDS and not all(_lasts(aligned[k]) for k in optional):
        said = aligner.align(samples, known, said=optional)
        aligned = said if said is not None else aligned
    return placed_in_episode(candidates, aligned, gap.window_start_ms)
