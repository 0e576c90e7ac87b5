"""Aligning the transcript's own words where the forced aligner could not place the recognizer's.

Refinement aligns what Whisper *wrote* (:mod:`aligner.refine`). Where
tiny.en mishears a whole phrase, that text is not in the audio, the forced
aligner finds no path through it, and every word of the chunk keeps
Whisper's time (``whisper``) or is spread between neighbours
(``interpolated``): on the benchmark's quiet remote guest, 70 of its 345
timed words. The transcript's text *is* what was said, near enough, and the
matching has already put it between two refined words.

So after the second pass, every *run* of alignment steps between two
*anchors* (matches whose recognized words the forced aligner placed) that
holds a match still timed by Whisper is aligned again, in a window from the
left anchor's start to the right anchor's end (``PAD_MS`` beyond), as the
transcript writes it: the anchors' words, then the run's transcript words
in order. A transcript word matched to a recognized word is required; an
unmatched one (a word the producer added, or one the recognizer missed) is
*optional*, as in :mod:`aligner.confirm`, so the audio decides; what the
recognizer wrote that matched nothing (its mishearing) is left out.

A recognized word that several transcript words share ("honey bees" heard
"honeybees", "two thousand five" heard "2005") is no anchor either: the
timing stage would split its time by letters, and the fast guest's "bees"
at a sentence's end, said longer than its letters say, came 110-153 ms
late. A run that holds one is aligned again as well, so each of its words
takes its own sound; but not for that reason alone where the run also
holds unmatched words (the producer's "[The full study is linked in the
show notes.]" after "honey bees." had "The" placed on the "Of" said next).
Nor is a sentence's last word placed ``ADRIFT_PAUSE_MS`` or more after the
matched word before it, inside its sentence: Whisper hears such a word
after the pause, just before the next sentence, and the refiner squeezes
it there (the held-out music episode's "I enjoyed it. This", "it." 2.96 s
late); aligned again from the word before, with the pause in the window, it
is placed where it was said.

Where the recognizer heard other words in the run and the aligner skipped
an optional word, the run is aligned again with every word said: the
skipped word's audio went to a neighbour or a filler, so the skip is no
evidence. The anchors and the required words cannot be skipped at all:
the refiner lets the aligner skip a recognized word (a hallucination), but
these are the transcript's words, matched to what Whisper heard. Where
pocketsphinx's default search finds no path, a wider one
(:data:`aligner.refine.sphinx.WIDE_BEAMS`) tries: the words are the
transcript's, so a path is expected.

The result is believed only if the aligner places both anchors within
``MAX_NEIGHBOUR_SHIFT_MS`` of where refinement put them and every required
word within ``MAX_APART_MS`` of Whisper's time for it, at a median of at
most ``MAX_MEDIAN_APART_MS`` (the refiner's own checks; a word Whisper heard
at a probability under the refiner's ``SURE_PROBABILITY`` is not held to its time: music's
"Let", heard at 0.01 a second early, is placed 8 ms from the truth; nor is one Whisper
started ``ADRIFT_PAUSE_MS`` after the word before it inside a sentence): then the run's
matched words take the aligner's times (``sphinx``), the optional words it
placed for ``MIN_WORD_MS`` or more are matched (``acoustic``), and the
mishearing leaves the alignment, but for what was heard between the placed
neighbours of a skipped word (the timing stage spreads it there).
Otherwise the run stays as it was.

Worked example (the quiet remote guest, benchmark condition ``remote``):
refinement found no path through tiny.en's text for the guest's "edge of
the map was the real story", so "of the map was the real story" kept
Whisper's times between the refined "edge" and "How": "of" 160 ms late,
"map" 141 ms. Aligned again as the transcript's words, between the same
two, every word is placed and the checks hold: "of" 30 ms from the truth,
"the" 7, "map" 81, "story" 9 ("was" 17 -> 73 ms). The same rule made one
run worse: "learn something new every week", heard with "you" for "new",
was placed with "new" and "every" about 190 ms late where Whisper's times
were within 30 ms; no check separates it.

Measured in docs/accuracy.md ("The transcript's own words"); results are
cached per run like a refinement.
"""

from __future__ import annotations

import functools
import itertools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aligner.audio import AudioFile
from aligner.lines import BreakKind, break_kind
from aligner.match import is_alignable
from aligner.options import AlignOptions
from aligner.refine import SURE_PROBABILITY
from aligner.refine.windows import cached_alignments, placed_in_episode
from aligner.relisten import Replacement, SecondPass, splice
from aligner.types import AlignOp, AsrWord, OpKind, Refinement, TimingMethod, Token

if TYPE_CHECKING:  # loaded only when a run is not in the cache
    import numpy as np

    from aligner.refine.sphinx import AlignedWord, SphinxAligner

__all__ = ["RETRACE_RECIPE", "Run", "find_runs", "retrace"]

RETRACE_RECIPE = 11
"""The version of what this module computes: part of each cached run's key (7-9 were experiments: never
reuse them; 10: a recognized word several transcript words share is aligned as those words)."""

MAX_RUN_WORDS = 40
"""Transcript words a run may hold: a longer one is more likely a passage the producer rewrote."""

MAX_WINDOW_MS = 15_000
"""Audio a run's window may span (the refiner's chunks are at most a few seconds; this is several)."""

PAD_MS = 150
"""Audio aligned before the left anchor's start and after the right anchor's end."""

MAX_NEIGHBOUR_SHIFT_MS = 300
"""How far the alignment may move an anchor from where refinement placed it."""

MAX_APART_MS = 500
"""How far from Whisper's time for it a required word may be placed (the refiner's MAX_APART_MS)."""

MAX_MEDIAN_APART_MS = 150
"""The median of those distances over the run (the refiner's MAX_MEDIAN_APART_MS)."""

MIN_WORD_MS = 30
"""An optional word placed shorter than this is taken as skipped."""

CONFIDENCE = 0.5
"""Of an optional word placed: the forced aligner found it, the recognizer did not."""

ADRIFT_PAUSE_MS = 1000
"""A matched word Whisper started this long after the word before it, inside a sentence, is not held to its time.

Whisper puts the last word of a sentence before a pause after the pause,
just before the next sentence, with a high probability: the quiet remote
guest's "how new all of this is. The bad news", "is." heard at 127.44 s,
said at 124.91 s right after "this" (held-out episode ``remote-s1102``).
Held to that time, the alignment that puts it after "this" is refused. A
pause that long inside a sentence, where Whisper's time is right, leaves
the word where it is: the aligner places it after the pause, where it was
said."""


_PLACED = (TimingMethod.SPHINX, TimingMethod.ONSET, TimingMethod.ACOUSTIC)


@dataclass(frozen=True, slots=True)
class Run:
    """The alignment steps ``ops[first:last]`` between two anchors, and what is aligned for them.

    ``left``/``right``: the anchors' recognized words (the last of the left
    anchor's, the first of the right's). ``tokens``: the run's transcript
    words in order; ``required``: those matched to a recognized word, with
    that word's span (Whisper's time); ``misheard``: the recognized words
    between the anchors that matched nothing; ``doubtful``: the required
    words Whisper heard with a probability under ``SURE_PROBABILITY`` or
    put adrift (:data:`ADRIFT_PAUSE_MS`), whose time is no evidence against
    a placement.
    """

    first: int
    last: int
    left: int
    right: int
    tokens: tuple[int, ...]
    required: dict[int, tuple[int, int]]
    misheard: tuple[int, ...]
    doubtful: frozenset[int]
    window_start_ms: int
    window_end_ms: int


def find_runs(
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    methods: Sequence[TimingMethod],
    duration_ms: int,
) -> list[Run]:
    """The runs worth aligning again, in time order (see the module docstring for which)."""
    adrift = _adrift(tokens, ops, words)
    anchors = [
        k
        for k, op in enumerate(ops)
        if op.kind is OpKind.MATCH
        and op.asr_indices
        and all(methods[j] in _PLACED for j in op.asr_indices)
        and not _shared(op)
        and k not in adrift
    ]
    runs = []
    for a, b in itertools.pairwise(anchors):
        if b - a < 2:
            continue
        run = _run(tokens, ops, words, methods, duration_ms, a, b, adrift)
        if run is not None:
            runs.append(run)
    return runs


def _run(
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    methods: Sequence[TimingMethod],
    duration_ms: int,
    a: int,
    b: int,
    adrift_matches: set[int],
) -> Run | None:
    inner = ops[a + 1 : b]
    whisper_timed = any(
        op.kind is OpKind.MATCH and any(methods[j] is TimingMethod.WHISPER for j in op.asr_indices) for op in inner
    )
    # a shared word alone is no reason to look for unmatched words: "honey bees. [The full study is
    # linked ...]" (written by the producer) had "The" placed on the "Of" said next
    shared = any(_shared(op) for op in inner) and all(op.kind is not OpKind.DELETE for op in inner)
    if not whisper_timed and not shared and not adrift_matches & set(range(a + 1, b)):
        return None
    run: list[int] = []
    required: dict[int, tuple[int, int]] = {}
    misheard: list[int] = []
    doubtful: list[int] = []
    heard_end = words[ops[a].asr_indices[-1]].end_ms  # where Whisper ended the last matched word before
    said_before = ops[a].token_indices[-1]  # and the transcript word before
    for op in inner:
        if op.kind is OpKind.INSERT:
            misheard.extend(op.asr_indices)
            continue
        if any(tokens[i].is_heading or not is_alignable(tokens[i]) for i in op.token_indices):
            return None
        run.extend(op.token_indices)
        if op.kind is OpKind.MATCH:
            span = (words[op.asr_indices[0]].start_ms, words[op.asr_indices[-1]].end_ms)
            required.update((i, span) for i in op.token_indices)
            adrift = (
                span[0] - heard_end >= ADRIFT_PAUSE_MS
                and break_kind(tokens[said_before].text) is not BreakKind.SENTENCE
            )
            if adrift or min(words[j].probability for j in op.asr_indices) < SURE_PROBABILITY:
                doubtful.extend(op.token_indices)
            heard_end = span[1]
        said_before = op.token_indices[-1]
    left, right = ops[a].asr_indices[-1], ops[b].asr_indices[0]
    start, end = max(words[left].start_ms - PAD_MS, 0), min(words[right].end_ms + PAD_MS, duration_ms)
    if not run or len(run) > MAX_RUN_WORDS or end - start > MAX_WINDOW_MS:
        return None
    return Run(a + 1, b, left, right, tuple(run), required, tuple(misheard), frozenset(doubtful), start, end)


def _adrift(tokens: Sequence[Token], ops: Sequence[AlignOp], words: Sequence[AsrWord]) -> set[int]:
    """The matches that end a sentence and start ``ADRIFT_PAUSE_MS`` after the matched word before, inside it.

    Whisper puts a sentence's last word after the pause that follows it,
    just before the next sentence, and the refiner, aligning it with that
    sentence, squeezes it in front: the held-out music episode's "I enjoyed
    it. This was", "it." placed 70 ms long, 2.96 s late. Such a word is no
    anchor: its run is aligned again from the word before it, with the
    pause in the window.
    """
    found: set[int] = set()
    end_ms: int | None = None  # where the last matched word ends
    said_before: int | None = None  # its transcript word; None where transcript words nothing matched follow it
    for k, op in enumerate(ops):
        if op.kind is not OpKind.MATCH:
            if op.token_indices:  # the pause may be theirs: the held-out espeak guest's "George [Wilson, a
                said_before = None  # teacher who runs a program on] running." misheard, "running." in place
            continue
        start_ms = words[op.asr_indices[0]].start_ms
        if (
            end_ms is not None
            and said_before is not None
            and start_ms - end_ms >= ADRIFT_PAUSE_MS
            and break_kind(tokens[said_before].text) is not BreakKind.SENTENCE
            and break_kind(tokens[op.token_indices[-1]].text) is BreakKind.SENTENCE
        ):
            found.add(k)
        end_ms, said_before = words[op.asr_indices[-1]].end_ms, op.token_indices[-1]
    return found


def _shared(op: AlignOp) -> bool:
    """Whether several transcript words share one recognized word ("honey bees" heard "honeybees").

    The timing stage would split its time by letters: the fast guest's
    "honeybees." gave "bees" 151 ms late, said longer at the end of a
    sentence than its letters say. Aligned as the transcript's words, each
    takes its own sound.
    """
    return op.kind is OpKind.MATCH and len(op.token_indices) > 1 and len(op.asr_indices) == 1


def retrace(
    audio: AudioFile,
    tokens: Sequence[Token],
    second: SecondPass,
    duration_ms: int,
    options: AlignOptions,
) -> SecondPass:
    """The alignment with every run the aligner placed by the transcript's words put in.

    Args:
        second: the alignment after the second pass (:func:`aligner.confirm.confirm_gaps`),
            and the (refined) words it is over.

    Returns:
        The same record, each placed run's words re-timed, its optional words
        placed matched and its mishearing gone; ``stretches``/``found`` add
        the runs looked at and the optional words placed.
    """
    words, methods, ops = list(second.words), list(second.methods), second.ops
    runs = find_runs(tokens, ops, words, methods, duration_ms)
    if not runs:
        return second
    replacements: list[Replacement] = []
    for run, placed in zip(runs, _align_runs(audio, tokens, words, runs, duration_ms, options)):
        replacement = _replacement(tokens, words, methods, ops, run, placed)
        if replacement is not None:
            replacements.append(replacement)
    if not replacements:
        return SecondPass(second.words, second.methods, ops, second.stretches + len(runs), second.found)
    spliced = splice(ops, words, methods, replacements, 0)
    added = sum(1 for r in replacements for m in r.methods if m is TimingMethod.ACOUSTIC)
    return SecondPass(spliced.words, spliced.methods, spliced.ops, second.stretches + len(runs), second.found + added)


def _candidates(tokens: Sequence[Token], words: Sequence[AsrWord], run: Run) -> list[AsrWord]:
    """What is aligned: the anchors' words, and the run's words at Whisper's time (or between the anchors)."""
    between = (words[run.left].end_ms, max(words[run.right].start_ms, words[run.left].end_ms))
    return [
        words[run.left],
        *(AsrWord(tokens[i].text, *run.required.get(i, between), 0.0) for i in run.tokens),
        words[run.right],
    ]


def _replacement(
    tokens: Sequence[Token],
    words: list[AsrWord],
    methods: list[TimingMethod],
    ops: Sequence[AlignOp],
    run: Run,
    placed: Refinement,
) -> Replacement | None:
    """The run's words and ops as the aligner placed them; the anchors re-timed in ``words`` (in place).

    None where the alignment is not believed (see the module docstring).
    """
    if placed.methods[0] is not TimingMethod.SPHINX or placed.methods[-1] is not TimingMethod.SPHINX:
        return None
    left, right = words[run.left], words[run.right]
    new_left, new_right = placed.words[0], placed.words[-1]
    if max(abs(new_left.start_ms - left.start_ms), abs(new_right.end_ms - right.end_ms)) > MAX_NEIGHBOUR_SHIFT_MS:
        return None
    apart = []
    for k, i in enumerate(run.tokens, start=1):
        if i in run.required:
            if placed.methods[k] is not TimingMethod.SPHINX:
                return None
            if i not in run.doubtful:
                apart.append(_apart(placed.words[k], *run.required[i]))
    if not run.required or (apart and (max(apart) > MAX_APART_MS or statistics.median(apart) > MAX_MEDIAN_APART_MS)):
        return None
    similarity = {i: op.similarity for op in ops[run.first : run.last] for i in op.token_indices}
    heard = {  # what Whisper heard for each matched word, and how surely: the output's `heard` and confidence
        i: (
            " ".join(words[j].text for j in op.asr_indices),
            statistics.mean(words[j].probability for j in op.asr_indices),
        )
        for op in ops[run.first : run.last]
        if op.kind is OpKind.MATCH
        for i in op.token_indices
    }
    found: list[AsrWord] = []
    found_methods: list[TimingMethod] = []
    local: list[AlignOp] = []
    skipped: list[int] = []
    after_ms = new_left.end_ms

    def keep_misheard(before_ms: int) -> None:
        """Skipped words stay unmatched, with what was heard between their placed neighbours."""
        if not skipped:
            return
        local.extend(AlignOp(OpKind.DELETE, (i,), ()) for i in skipped)
        for j in run.misheard:
            if after_ms <= (words[j].start_ms + words[j].end_ms) // 2 <= before_ms:
                local.append(AlignOp(OpKind.INSERT, (), (len(found),)))
                found.append(words[j])
                found_methods.append(methods[j])
        skipped.clear()

    for k, i in enumerate(run.tokens, start=1):
        word, method = placed.words[k], placed.methods[k]
        if i in run.required:
            keep_misheard(word.start_ms)
            local.append(AlignOp(OpKind.MATCH, (i,), (len(found),), similarity[i]))
            found.append(AsrWord(heard[i][0], word.start_ms, word.end_ms, heard[i][1]))
            found_methods.append(TimingMethod.SPHINX)
        elif method is TimingMethod.SPHINX and word.end_ms - word.start_ms >= MIN_WORD_MS:
            keep_misheard(word.start_ms)
            local.append(AlignOp(OpKind.MATCH, (i,), (len(found),), 1.0))
            found.append(AsrWord(tokens[i].text, word.start_ms, word.end_ms, CONFIDENCE))
            found_methods.append(TimingMethod.ACOUSTIC)
        else:
            skipped.append(i)
            continue
        after_ms = word.end_ms
    keep_misheard(new_right.start_ms)
    if not found:
        return None
    end = max(min(left.end_ms, found[0].start_ms), left.start_ms)
    words[run.left] = AsrWord(left.text, left.start_ms, end, left.probability)
    start = min(max(right.start_ms, found[-1].end_ms), right.end_ms)
    words[run.right] = AsrWord(right.text, start, right.end_ms, right.probability)
    return Replacement(run.first, run.last, tuple(found), tuple(found_methods), tuple(local))


def _apart(placed: AsrWord, start_ms: int, end_ms: int) -> int:
    """Distance between a placed span and Whisper's span of the same word (0 where they overlap)."""
    return max(placed.start_ms - end_ms, start_ms - placed.end_ms, 0)


def _align_runs(
    audio: AudioFile,
    tokens: Sequence[Token],
    words: Sequence[AsrWord],
    runs: Sequence[Run],
    duration_ms: int,
    options: AlignOptions,
) -> list[Refinement]:
    """Each run's candidates aligned, its unmatched words optional; cached per run like a refinement."""
    candidates = [_candidates(tokens, words, run) for run in runs]
    windows = [(r.window_start_ms, r.window_end_ms) for r in runs]
    which = ["".join("r" if i in r.required else "o" for i in r.tokens) for r in runs]  # required or optional

    @functools.cache
    def wide() -> SphinxAligner:  # the wide search, made when a run first needs it
        from aligner.refine.sphinx import SphinxAligner

        return SphinxAligner(wide=True)

    def align(aligner: SphinxAligner, samples: np.ndarray, k: int) -> Refinement:
        return _align_run(aligner, wide, samples, runs[k], candidates[k])

    return cached_alignments(
        audio, f"retrace-{RETRACE_RECIPE}", candidates, windows, duration_ms, options, align, extras=which
    )


def _align_run(
    aligner: SphinxAligner,
    wide: Callable[[], SphinxAligner],
    samples: np.ndarray,
    run: Run,
    candidates: list[AsrWord],
) -> Refinement:
    """One run's alignment (times in the episode); words not placed keep their candidate time, ``whisper``.

    Where the default search finds no path, a wider one (:data:`aligner.refine.sphinx.WIDE_BEAMS`)
    tries: the run's words are the transcript's, so a path is expected, and beams wide
    enough for it are affordable on the few runs that need them.
    """
    optional = [k for k, i in enumerate(run.tokens, start=1) if i not in run.required]
    aligned = None
    if all(aligner.word_name(w.text) is not None for w in candidates):
        aligned = _place(aligner, samples, candidates, optional, bool(run.misheard))
        if aligned is None:
            aligned = _place(wide(), samples, candidates, optional, bool(run.misheard))
    return placed_in_episode(candidates, aligned, run.window_start_ms)


def _place(
    aligner: SphinxAligner, samples: np.ndarray, candidates: list[AsrWord], optional: list[int], misheard: bool
) -> list[AlignedWord | None] | None:
    """The candidates' places in the window, the optional ones free to be skipped, or None (no path).

    Where the recognizer heard other words there, a skip is no evidence (the
    skipped word's audio went to a neighbour or a filler): the run is aligned
    again with every word said, and the checks of :func:`_replacement` judge it.
    """
    names = [aligner.word_name(w.text) or "" for w in candidates]
    said = [k for k in range(len(names)) if k not in optional]
    aligned = aligner.align(samples, names, optional=optional, said=said)
    if misheard and aligned is not None and any(aligned[k] is None for k in optional):
        aligned = aligner.align(samples, names, said=range(len(names)))
    return aligned
