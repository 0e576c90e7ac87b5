"""Precise word boundaries: the recognizer's words, re-timed against the audio.

Whisper's word times are about a tenth of a second off; a forced aligner that
knows which words were said places them to within a frame or two. Whisper
still decides *what* was said and roughly *when* (which is what lets an
edited transcript align without drift); this stage only moves each
recognized word's start and end, and only within a short window around
where Whisper put it.

It runs between recognition and timing, on the recognized words, so the
text aligned is what was said (the recognizer's "193", spoken "one ninety
three"; its "it is" where the transcript has "it's"; the fillers and
repetitions the transcript edited out) and everything downstream (matching,
interpolation, captions) uses the refined times. :func:`aligner.timing.label_methods`
then records on each transcript word which method timed it.

How, in order:

1. **Chunks.** The recognized words are cut into chunks at pauses of at
   least ``SPLIT_GAP_MS`` between Whisper's words, and so that no chunk spans
   more than ``MAX_CHUNK_MS`` (the forced aligner's search fails on minutes of
   audio and its cost grows with the window).
2. **Windows.** A chunk that borders a pause is aligned in a window reaching
   ``MAX_LEAD_MS`` into it (at most to the neighbouring word): Whisper often
   starts the first word after a pause several hundred ms late, and a window
   that cut into the word would misplace it. A chunk cut from running speech
   (at ``MAX_CHUNK_MS``) would cut its neighbour in half instead, so that
   neighbour is aligned too, as context (its own times are thrown away), and
   the window reaches ``PAD_MS`` past the chunk and half that past the
   context word.
3. **Alignment** (:class:`~aligner.refine.sphinx.SphinxAligner`): pocketsphinx
   finds every word's frames. A chunk that fails is split in half and each
   half tried again, so one hallucinated word costs only its half.
4. **Checks.** A chunk's alignment is believed only if its words lie a
   median of at most ``MAX_MEDIAN_APART_MS`` from Whisper's spans of them,
   and each word only if it lies within ``MAX_APART_MS`` of Whisper's span:
   a forced aligner always returns *something*, and text that is not in the
   window comes back squeezed into odd places. The last word before a pause
   is not believed either where it starts after Whisper's end of it: Whisper
   ends such a word late, not early, so the aligner has put it in the pause
   or on the first sound of the next speaker (festival's "really fun.
   Thanks": "fun" placed on the /th/ of "Thanks", 949 ms late, and its own
   audio left as silence). Where the aligner skipped a
   word Whisper was sure of (probability at least ``SURE_PROBABILITY``), that
   word was most likely said and its audio given to a neighbour (espeak's
   "training plans changed. Do you": "changed." skipped at 0.98, "Do" placed
   on its audio 1.3 s early), so its neighbours in the chunk are not believed
   either; so too for a word whose time Whisper lost (no duration: the
   held-out espeak guest's "Yeah," at 0.44, "we" placed on its audio 592 ms
   early); a skipped word Whisper doubted (a hallucinated "It" at 0.02, with a
   duration) leaves them alone. A word that fails keeps Whisper's times (method ``whisper``).
5. **Pause edges** (:mod:`aligner.refine.onsets`): where the aligner found a pause
   of at least ``MIN_PAUSE_MS`` before (after) a word, the start (end) moves
   to where the energy rises out of (falls into) the pause, when that is
   within ``MAX_EDGE_SHIFT_MS`` (method ``onset``). A pause is silence: a
   filler or a first saying the aligner put there ends it, so "we, we" gives
   the second "we" no pause to search. Where the "pause" holds a sound as
   loud as the word, running on into it, the aligner started the word inside
   it (a real "Mouth" was started after its loudest frames, 178 ms late): the
   start goes back to that sound's onset, up to ``MAX_SWALLOWED_MS``
   (:func:`~aligner.refine.onsets.find_swallowed_onset`). A word beginning
   with a voiceless fricative whose "pause" holds a faint sound over a steady
   noise floor began with that sound: a telephone line keeps little of /s/,
   /f/, /th/, and the aligner takes it for silence
   (:func:`~aligner.refine.onsets.find_faint_onset`, ``FAINT_FIRST_PHONES``).
   A chunk's first word started at its window's first frame, where the
   window's lead holds music, starts where it rises out of that level
   (:func:`~aligner.refine.onsets.find_rise_after_lead`: "[music] I'm
   Robert", "I'm" 338 ms early).
   The other way round, such a word placed against the word before it whose
   span holds that word's tail, then a pause at the floor, then its own
   sound, begins after the pause: the aligner took the silence for the
   fricative (espeak's "George, thank you": "thank" started on the end of
   "George", 179 ms early; :func:`~aligner.refine.onsets.find_start_after_pause`).
6. **Order.** Starts never decrease, words do not overlap, and every time
   lies in ``[0, duration_ms]``.

Audio arrives as *windows*: an iterable of ``(offset_ms, samples)`` in
increasing order of offset, float32 mono at 16 kHz, with no gaps; consecutive
windows may overlap by any amount (samples already seen are skipped by their
offset). Chunks are processed in time order as the windows stream by (a
sequential merge), so memory holds one chunk's window plus one input
window, never the episode.

Worked example (the fixture episode): Whisper heard "Sam," at 15.21-15.49 s
and "thanks" at 15.63-15.99 s, after the music sting. The chunk "Sam,
thanks for joining us, ..." borders a pause, so its window starts 0.4 s
early, at 14.81 s. Pocketsphinx puts "Sam" at 15.10-15.45 s after 0.29 s of
silence and "thanks" at 15.54 s after a 90 ms pause. Both pauses are long
enough for the energy envelope, which moves "Sam" to 15.099-15.445 s and the
start of "thanks" to 15.559 s (``onset``); the synthesizer's truth is
15.098-15.438 s and 15.536 s. "for" keeps pocketsphinx's 15.89 s (``sphinx``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import statistics
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aligner.types import SAMPLE_RATE, AsrWord, Refinement, TimingMethod

if TYPE_CHECKING:  # numpy, pocketsphinx and the modules using them load when refining, not before:
    # a re-run with the refinement cached never refines
    import numpy as np

    from aligner.refine.sphinx import AlignedWord, SphinxAligner

__all__ = ["REFINE_RECIPE", "Refiner", "refine_words", "refinement_from", "refinement_key"]

SAMPLES_PER_MS = SAMPLE_RATE // 1000

SPLIT_GAP_MS = 600
"""A pause this long between Whisper's words may end a chunk."""

MAX_CHUNK_MS = 12_000
"""Longest stretch of speech aligned at once (ms, Whisper's times)."""

PAD_MS = 300
"""Audio aligned before a chunk's first and after its last word (ms)."""

MAX_LEAD_MS = 400
"""Where a chunk borders a pause, its window reaches this far into it (ms)."""

SURE_PROBABILITY = 0.5
"""A word Whisper heard this surely that the aligner skips has likely gone into a neighbour."""

LOST_WORD_MS = 40
"""A Whisper word shorter than this has lost its time (see :func:`_lead`)."""

LOST_LEAD_MS = 1000
"""How far a window reaches into the pause before such a word."""

MAX_APART_MS = 500
"""A word placed further than this from Whisper's span of it keeps Whisper's time."""

MAX_MEDIAN_APART_MS = 150
"""A chunk whose words are placed a larger median distance from Whisper's is not believed."""

MIN_PAUSE_MS = 60
"""A pause this long beside a word lets the energy envelope place that edge."""

MAX_EDGE_SHIFT_MS = 60
"""How far the envelope may move the aligner's edge (ms)."""

MAX_LATER_ONSET_MS = 20
"""How much later than the aligner's start an energy onset may put a word (ms); earlier is up to MAX_EDGE_SHIFT_MS.

The aligner's silence swallows a word's quiet start, so its starts err late;
an energy rise after its start is a louder part of the same word (the vowel
after an /s/ or a burst that a telephone line left faint). Allowing 60 ms
later put the telephone guest's onsets a median +15 ms late; with 20 ms the
telephone row's starts within 100 ms went 94.7 -> 97.0% and the real voices'
sentences 94.2 -> 96.2% (docs/accuracy.md)."""

# The values above were chosen on the benchmark (benchmarks/run_benchmark.py, seeds 1-4): within
# a few tenths of a point of the best accuracy found, at the lowest cost. Fewer, longer chunks
# (SPLIT_GAP_MS 600 rather than 150) cost 20% less; a 400 ms lead timed as well as 600 ms (better than
# 300 ms and 1 s) on seeds 1-4 and the held-out 5-8, in 5% less time; moving
# an edge by energy further than 60 ms was as often wrong as right.

MAX_SWALLOWED_MS = 300
"""How far before the aligner's start a word it started inside may begin (:func:`~aligner.refine.onsets.find_swallowed_onset`)."""

FAINT_FIRST_PHONES = frozenset({"S", "SH", "F", "TH"})
"""Voiceless fricatives: a word beginning with one may begin faintly, where the aligner sees pause (step 5).

Not /h/: a breath before a word is the same sound (a real voice's "He" was put on its breath, 246 ms early)."""

STOPS = frozenset({("P",), ("T",), ("K",)})
"""Second phones after which the fricative and the aligner's start lie a closure apart ("started")."""

MAX_FAINT_MS = 200
"""How far before the aligner's start such a word may begin: a long fricative."""

PAUSE_MARKS = ",.?!;:"
"""Punctuation Whisper writes where the speaker paused (:func:`_start_after_pause`)."""

FLOOR_PERCENTILE = 10
"""The window's frame at this percentile of loudness is its noise floor."""

STEADY_FLOOR_DB = 2.5
"""A noise floor steadier than this (see :func:`_floor_db`) lets a faint sound above it be told apart."""

MIN_WORD_BODY_MS = 50
"""What a start moved out of a window's lead leaves of the word at least (:func:`_pause_edges`)."""

_MAX_SPLITS = 2  # a failing chunk is halved at most this many times
_WORD_BODY_MS = 300  # audio past an edge that holds the word's loud part, for the energy search

WHISPER_LAG_MS = 90
"""How late faster-whisper's word times run: a word the aligner could not place is moved this much earlier.

Measured as the median signed error of the raw recognizer's starts (ends
alike) on every row of the benchmark: +94 ms on the project benchmark, +77
(fast talker) to +102 ms (telephone) on the synthetic conditions, +152 and
+193 ms on the real voices (``python benchmarks/run_benchmark.py --conditions
--systems whisper --details``, "start bias")."""

REFINE_RECIPE = 65  # 2: apostrophe look-alikes folded; 4: lost words; 6: Whisper lag; 8: onsets later by 20 ms at most;
# 15: a word started inside is traced back, and a pause ends at a filler; 22: a sure word skipped discredits its
# neighbours; 32: a faint fricative is its word's start; 35: each window aligned afresh; 37: energy about the
# frame's mean; 43: a faint fricative followed back over its fade; 52: a fricative given the pause before it
# starts after it; 56: the last word before a pause not placed after Whisper's end; 58: a pause mark before a
# fricative lets its span begin with the pause; 62: a word started on its window's lead rises out of it;
# 65: a lost word skipped discredits its neighbours too (3, 5, 7, 9-14, 16-21, 23-31, 33, 34, 36, 38-42, 44-51,
# 53-55, 57, 59-61, 63, 64 were experiments)
"""The version of what this subpackage computes: part of a cached refinement's key.

Bump it in the same change as anything that alters refined times: a tuning
constant above, the chunking, the checks, :mod:`aligner.refine.sphinx`'s
grammar, the pronunciations or the onset search (and the matching keys of
:mod:`aligner.normalize` they use). A docstring or a refactor that leaves
every time as it was keeps it, so cached refinements stay valid."""

WindowStream = Iterable[tuple[int, "np.ndarray"]]


class _AudioCursor:
    """Reads stretches of audio, forward only, out of a stream of windows."""

    def __init__(self, windows: WindowStream) -> None:
        import numpy as np

        self._windows: Iterator[tuple[int, np.ndarray]] = iter(windows)
        self._buffer = np.zeros(0, dtype=np.float32)
        self._start = 0  # sample index of self._buffer[0]

    def read(self, start_ms: int, end_ms: int, *, keep_from_ms: int | None = None) -> np.ndarray:
        """Samples of ``[start_ms, end_ms)``; shorter where the audio ends.

        ``keep_from_ms`` (at most ``start_ms``): audio from there on stays for
        a later read (the next chunk may start before the last half of a split one).

        Raises:
            ValueError: ``start_ms`` is before what an earlier read kept, or the
                windows go backwards or leave a gap.
        """
        import numpy as np

        first, stop = start_ms * SAMPLES_PER_MS, end_ms * SAMPLES_PER_MS
        if first < self._start:
            raise ValueError(f"audio read backwards: {start_ms} ms after {self._start // SAMPLES_PER_MS} ms")
        keep = min(first, keep_from_ms * SAMPLES_PER_MS) if keep_from_ms is not None else first
        drop = max(keep - self._start, 0)
        self._buffer = self._buffer[drop:]
        self._start += drop
        while self._start + len(self._buffer) < stop:
            window = next(self._windows, None)
            if window is None:
                break
            offset_ms, samples = window
            have = self._start + len(self._buffer)
            offset = offset_ms * SAMPLES_PER_MS
            if offset > have:
                raise ValueError(f"audio windows leave a gap before {offset_ms} ms")
            skip = have - offset
            if skip < len(samples):
                self._buffer = np.concatenate([self._buffer, np.asarray(samples[skip:], dtype=np.float32)])
        return self._buffer[first - self._start : stop - self._start]


@dataclass(frozen=True, slots=True)
class _Chunk:
    words: tuple[int, ...]  # indices of the words whose times it refines
    before: tuple[int, ...]  # context words aligned with it, times discarded
    after: tuple[int, ...]
    start_ms: int  # its window
    end_ms: int


def _chunks(words: Sequence[AsrWord], names: Sequence[str | None]) -> list[list[int]]:
    """Indices of alignable words, cut at pauses and at MAX_CHUNK_MS."""
    chunks: list[list[int]] = []
    current: list[int] = []
    for i, word in enumerate(words):
        if names[i] is None:
            continue
        if current:
            last = words[current[-1]]
            gap = word.start_ms - last.end_ms
            if gap >= SPLIT_GAP_MS or word.end_ms - words[current[0]].start_ms > MAX_CHUNK_MS:
                chunks.append(current)
                current = []
        current.append(i)
    if current:
        chunks.append(current)
    return chunks


def _window(
    core: Sequence[int],
    alignable: Sequence[int],
    position: dict[int, int],
    words: Sequence[AsrWord],
    duration_ms: int,
    not_before_ms: int,
) -> _Chunk:
    """The chunk's window and context words (step 2 of the module docstring).

    ``alignable`` lists every alignable word's index in order (``position``
    maps an index to its place there); the context is at most one alignable
    word on each side. The window starts no earlier
    than ``not_before_ms`` (the audio is read forward only).
    """
    first, last = words[core[0]], words[core[-1]]
    before: tuple[int, ...] = ()
    after: tuple[int, ...] = ()
    k = position[core[0]]
    previous = words[alignable[k - 1]] if k > 0 else None
    if previous is not None and previous.end_ms > first.start_ms - 2 * PAD_MS:
        before = (alignable[k - 1],)
        start = min(first.start_ms - PAD_MS, previous.start_ms - PAD_MS // 2)
    else:  # reach back into the pause: Whisper often starts the first word after one late
        start = max(first.start_ms - _lead(first), previous.end_ms if previous else 0)
    k = position[core[-1]]
    following = words[alignable[k + 1]] if k + 1 < len(alignable) else None
    if following is not None and following.start_ms < last.end_ms + 2 * PAD_MS:
        after = (alignable[k + 1],)
        end = max(last.end_ms + PAD_MS, following.end_ms + PAD_MS // 2)
    else:
        end = min(last.end_ms + MAX_LEAD_MS, following.start_ms if following else duration_ms)
    start = min(max(start, not_before_ms, 0), duration_ms)
    return _Chunk(tuple(core), before, after, start, max(min(end, duration_ms), start))


def _lead(word: AsrWord) -> int:
    """How far a window reaches back into the pause before ``word``: further where Whisper lost its time.

    A word Whisper gives (nearly) no duration after a pause ("Woman," at
    116.57-116.57 s, said at 115.98-116.35 s) is earlier than Whisper says:
    a window reaching only ``MAX_LEAD_MS`` before it starts inside the word.
    """
    return LOST_LEAD_MS if _is_lost(word) else MAX_LEAD_MS


def _is_lost(word: AsrWord) -> bool:
    return word.end_ms - word.start_ms < LOST_WORD_MS


def refinement_key(audio_sha256: str, words: Sequence[AsrWord]) -> str:
    """Cache key of a refinement: the audio's content, the words refined, and how they are refined.

    "How" is :data:`REFINE_RECIPE` and the pocketsphinx version (its model
    and search ship in the wheel).
    """
    from importlib.metadata import version

    material = {
        "audio": audio_sha256,
        "words": [[w.text, w.start_ms, w.end_ms] for w in words],
        "recipe": REFINE_RECIPE,
        "pocketsphinx": version("pocketsphinx"),
    }
    return "refine-" + hashlib.sha256(json.dumps(material).encode()).hexdigest()


class Refiner:
    """Refines recognized words batch by batch, as recognition produces them.

    Recognition hands over the words of each window it finishes, so the
    refinement can run beside it (on a core the recognizer leaves idle)
    instead of after it. A batch must follow every earlier one in time, and
    should begin after a pause (recognition windows are cut in pauses):
    chunks never span two batches.

    Refiners can share the work (:class:`aligner.refine.alongside.RefineInProcess`
    runs them as a pool): each is given every batch, and aligns only its
    ``share`` of the chunks, ``(k, n)``: the k-th of every n, counting from
    the episode's first. A chunk's alignment depends on nothing but its own
    window (:class:`~aligner.refine.sphinx.SphinxAligner` starts each afresh),
    and its window on nothing but the words, so the shares'
    :meth:`times` together, through :func:`refinement_from`, give what one
    refiner gives.

    Args:
        windows: the audio as ``(offset_ms, samples)`` windows (float32 mono
            16 kHz), in increasing order, gapless, overlapping by any amount;
            read forward only, as the batches need it.
        aligner: the forced aligner to use (default: a new SphinxAligner).
        share: ``(k, n)``: align the chunks numbered k mod n (default: all).
    """

    def __init__(
        self, windows: WindowStream, *, aligner: SphinxAligner | None = None, share: tuple[int, int] = (0, 1)
    ) -> None:
        from aligner.refine.sphinx import SphinxAligner

        if not 0 <= share[0] < share[1]:
            raise ValueError(f"no such share of the chunks: {share}")
        self._aligner = aligner or SphinxAligner()
        self._cursor = _AudioCursor(windows)
        self._share = share
        self._chunks_seen = 0
        self._words: list[AsrWord] = []
        self._names: list[str | None] = []
        self._alignable: list[int] = []
        self._position: dict[int, int] = {}
        self._times: dict[int, tuple[int, int, TimingMethod]] = {}
        self._read_from = 0

    def add(self, words: Sequence[AsrWord], *, duration_ms: int, stop: Callable[[], bool] = lambda: False) -> None:
        """Refine the next batch of words; ``duration_ms`` bounds the windows (the audio's length, if known).

        ``stop`` is asked between chunks; when it says so, the rest of the
        batch is left unrefined (for a run that is being abandoned).
        """
        first = len(self._words)
        self._words.extend(words)
        names = [self._aligner.word_name(word.text) for word in words]
        self._names.extend(names)
        for i, name in enumerate(names, start=first):
            if name is not None:
                self._position[i] = len(self._alignable)
                self._alignable.append(i)
        for core in _chunks(words, names):
            number, self._chunks_seen = self._chunks_seen, self._chunks_seen + 1
            chunk = self._chunk([first + i for i in core], duration_ms)
            self._read_from = chunk.start_ms  # every share windows every chunk alike: the audio is read forward
            if number % self._share[1] != self._share[0]:
                continue
            if stop():
                return
            self._times.update(self._align(chunk, duration_ms))

    def _chunk(self, core: Sequence[int], duration_ms: int) -> _Chunk:
        return _window(core, self._alignable, self._position, self._words, duration_ms, self._read_from)

    def _align(self, chunk: _Chunk, duration_ms: int) -> dict[int, tuple[int, int, TimingMethod]]:
        """The chunk's refined words; a chunk that fails is halved and each half tried (step 3)."""
        times: dict[int, tuple[int, int, TimingMethod]] = {}
        pending = deque([(chunk, 0)])
        while pending:
            part, depth = pending.popleft()
            samples = self._cursor.read(part.start_ms, part.end_ms, keep_from_ms=chunk.start_ms)
            found = _align_chunk(part, samples, self._words, self._names, self._aligner)
            if found is None and depth < _MAX_SPLITS and len(part.words) > 1:
                half = len(part.words) // 2
                halves = [self._chunk(part.words[:half], duration_ms), self._chunk(part.words[half:], duration_ms)]
                pending.extendleft([(halves[1], depth + 1), (halves[0], depth + 1)])  # first half next
                continue
            times.update(found or {})
        return times

    def times(self, words: Sequence[AsrWord]) -> dict[int, tuple[int, int, TimingMethod]]:
        """Refined (start, end, method) of the words this refiner aligned, by index into ``words``.

        Raises:
            ValueError: ``words`` are not the words added.
        """
        if [w.text for w in words] != [w.text for w in self._words]:
            raise ValueError("the words refined are not the recognition's words")
        return dict(self._times)

    def result(self, words: Sequence[AsrWord], *, duration_ms: int) -> Refinement:
        """The refinement of ``words``: every word added so far, as the recognition finally returned them.

        Raises:
            ValueError: ``words`` are not the words added.
        """
        return _ordered(words, self.times(words), duration_ms)


def refinement_from(
    words: Sequence[AsrWord], shares: Iterable[dict[int, tuple[int, int, TimingMethod]]], *, duration_ms: int
) -> Refinement:
    """The refinement of ``words`` from the :meth:`Refiner.times` of refiners that shared the chunks."""
    times: dict[int, tuple[int, int, TimingMethod]] = {}
    for share in shares:
        times.update(share)
    return _ordered(words, times, duration_ms)


def refine_words(
    words: Sequence[AsrWord],
    windows: WindowStream,
    *,
    duration_ms: int,
    aligner: SphinxAligner | None = None,
) -> Refinement:
    """Re-time recognized words against the audio (see the module docstring).

    Args:
        words: the recognizer's words, starts never decreasing.
        windows: the audio as ``(offset_ms, samples)`` windows (float32 mono
            16 kHz), in increasing order, gapless, overlapping by any amount.
        duration_ms: length of the audio.
        aligner: the forced aligner to use (default: a new SphinxAligner).

    Returns:
        The words with refined times, in the same order, starts never
        decreasing, every time within ``[0, duration_ms]``; and how each was
        timed.
    """
    if not words:
        return Refinement((), ())
    refiner = Refiner(windows, aligner=aligner)
    refiner.add(words, duration_ms=duration_ms)
    return refiner.result(words, duration_ms=duration_ms)


def _align_chunk(
    chunk: _Chunk,
    samples: np.ndarray,
    words: Sequence[AsrWord],
    names: Sequence[str | None],
    aligner: SphinxAligner,
) -> dict[int, tuple[int, int, TimingMethod]] | None:
    """Refined (start, end, method) of the chunk's words, or None if the chunk failed."""
    indices = (*chunk.before, *chunk.words, *chunk.after)
    aligned = aligner.align(samples, [names[i] for i in indices])  # type: ignore[misc]
    if aligned is None:
        return None
    core = aligned[len(chunk.before) : len(chunk.before) + len(chunk.words)]
    # a word skipped that Whisper was sure of: its neighbours may hold its audio (step 4)
    doubtful = {
        k
        for k, (i, placed) in enumerate(zip(chunk.words, core))
        if placed is None and (words[i].probability >= SURE_PROBABILITY or _is_lost(words[i]))
    }
    core = [None if doubtful & {k - 1, k + 1} else placed for k, placed in enumerate(core)]
    found = [(i, placed) for i, placed in zip(chunk.words, core) if placed is not None]
    if not found:
        return None
    apart = [_apart(chunk.start_ms + p.start_ms, chunk.start_ms + p.end_ms, words[i]) for i, p in found]
    if statistics.median(apart) > MAX_MEDIAN_APART_MS:
        return None
    result = {}
    floor = functools.cache(lambda: _floor_db(samples))  # the window's noise floor, once a word needs it
    last = None if chunk.after else chunk.words[-1]  # the word before the pause after the chunk
    for (i, placed), distance in zip(found, apart):
        if distance > MAX_APART_MS or (i == last and chunk.start_ms + placed.start_ms > words[i].end_ms):
            continue
        start, end, method = _pause_edges(placed, samples, chunk.start_ms)
        name = names[i]
        if method is TimingMethod.SPHINX and placed.pause_before_ms >= MIN_PAUSE_MS and name is not None:
            faint = _faint_start(placed, samples, aligner.first_phones(name), floor)
            if faint is not None:
                start, method = chunk.start_ms + faint, TimingMethod.ONSET
        elif name is not None:  # the start is the aligner's (its end may have moved to an energy edge)
            comma = i > 0 and words[i - 1].text.rstrip()[-1:] in PAUSE_MARKS
            after = _start_after_pause(placed, samples, aligner.first_phones(name), floor, comma)
            if after is not None:
                start, method = chunk.start_ms + after, TimingMethod.ONSET
        result[i] = (start, end, method)
    return result


def _floor_db(samples: np.ndarray) -> float | None:
    """The window's noise floor (its ``FLOOR_PERCENTILE`` frame), or None where the pauses are not steady.

    Steady: the 5th and 20th percentile frames lie within ``STEADY_FLOOR_DB``,
    as a line's or a room's noise does (the telephone call-in: 1.0-1.3 dB);
    a music bed swells and fades (4.7 dB), and its swells are no fricative.
    """
    import numpy as np

    from aligner.refine.onsets import energy_db

    envelope = energy_db(samples)
    if not len(envelope):
        return None
    low, floor, high = np.percentile(envelope, [5, FLOOR_PERCENTILE, 20])
    return float(floor) if high - low <= STEADY_FLOOR_DB else None


def _faint_start(
    placed: AlignedWord, samples: np.ndarray, begins: frozenset[tuple[str, ...]], floor: Callable[[], float | None]
) -> int | None:
    """Where a word beginning with a voiceless fricative begins, when the aligner took its faint start for pause.

    ``begins``: the first two phones of each of the word's pronunciations;
    ``floor``: the window's noise floor (:func:`_floor_db`), asked only for such a word.
    """
    from aligner.refine.onsets import find_faint_onset

    if not begins or not all(phones[0] in FAINT_FIRST_PHONES for phones in begins):
        return None
    floor_db = floor()
    if floor_db is None:
        return None
    lo = placed.start_ms - placed.pause_before_ms
    piece = samples[lo * SAMPLES_PER_MS : placed.end_ms * SAMPLES_PER_MS]
    onset = find_faint_onset(
        piece,
        expected_ms=placed.pause_before_ms,
        floor_db=floor_db,
        max_back_ms=min(MAX_FAINT_MS, placed.pause_before_ms),
        closure=all(phones[1:2] in STOPS for phones in begins),
    )
    return None if onset is None else lo + onset


def _start_after_pause(
    placed: AlignedWord,
    samples: np.ndarray,
    begins: frozenset[tuple[str, ...]],
    floor: Callable[[], float | None],
    comma: bool = False,
) -> int | None:
    """Where a word beginning with a voiceless fricative begins, when the aligner gave it the pause before it.

    Only a word the aligner put against the one before (no pause of
    ``MIN_PAUSE_MS``) is looked at, and not one whose fricative comes before a
    stop ("spent", "students": the closure is a silence inside the word).
    ``comma``: Whisper wrote punctuation after the word before ("Maria,
    thanks"), so a pause is expected there and the span may begin with it.
    Other arguments as :func:`_faint_start`'s.
    """
    from aligner.refine.onsets import find_start_after_pause

    if placed.pause_before_ms >= MIN_PAUSE_MS or not begins:
        return None
    if not all(phones[0] in FAINT_FIRST_PHONES and phones[1:2] not in STOPS for phones in begins):
        return None
    floor_db = floor()
    if floor_db is None:
        return None
    piece = samples[placed.start_ms * SAMPLES_PER_MS : placed.end_ms * SAMPLES_PER_MS]
    after = find_start_after_pause(piece, floor_db=floor_db, pause_expected=comma)
    return None if after is None else placed.start_ms + after


def _apart(start_ms: int, end_ms: int, heard: AsrWord) -> int:
    """Distance between a placed span and Whisper's span of the same word (0 where they overlap).

    Whisper squeezes a word after a pause into its last part (starting up to
    half a second late but ending about right), so a distance between spans
    says more about a wrong placement than a distance between starts.
    """
    if _is_lost(heard):  # its time is lost (see _lead): anywhere in the pause before it is as near
        return max(0, start_ms - heard.end_ms, heard.start_ms - LOST_LEAD_MS - end_ms)
    return max(0, start_ms - heard.end_ms, heard.start_ms - end_ms)


def _pause_edges(placed: AlignedWord, samples: np.ndarray, offset_ms: int) -> tuple[int, int, TimingMethod]:
    """The aligner's edges, moved to the energy edge where the word borders a pause (step 5)."""
    from aligner.refine.onsets import find_offset, find_onset, find_rise_after_lead, find_swallowed_onset

    start, end, method = placed.start_ms, placed.end_ms, TimingMethod.SPHINX
    if placed.pause_before_ms >= MIN_PAUSE_MS:
        lo = placed.start_ms - placed.pause_before_ms
        piece = samples[lo * SAMPLES_PER_MS : (placed.end_ms + _WORD_BODY_MS) * SAMPLES_PER_MS]
        onset = find_onset(
            piece,
            pause_end_ms=placed.pause_before_ms,
            expected_ms=placed.pause_before_ms,
            max_shift_ms=MAX_EDGE_SHIFT_MS,
        )
        if onset is not None and lo + onset < end and lo + onset <= placed.start_ms + MAX_LATER_ONSET_MS:
            start, method = lo + onset, TimingMethod.ONSET
        else:
            swallowed = find_swallowed_onset(
                piece, expected_ms=placed.pause_before_ms, max_back_ms=min(MAX_SWALLOWED_MS, placed.pause_before_ms)
            )
            if swallowed is not None:
                start, method = lo + swallowed, TimingMethod.ONSET
    elif placed.start_ms == 0:  # started at the window's first frame: maybe on what plays in its lead
        rise = find_rise_after_lead(samples[: placed.end_ms * SAMPLES_PER_MS])
        if rise is not None and rise < end - MIN_WORD_BODY_MS:
            start, method = rise, TimingMethod.ONSET
    if placed.pause_after_ms >= MIN_PAUSE_MS:
        lo = max(placed.start_ms - _WORD_BODY_MS, 0)
        hi = placed.end_ms + placed.pause_after_ms
        piece = samples[lo * SAMPLES_PER_MS : hi * SAMPLES_PER_MS]
        offset = find_offset(
            piece,
            pause_start_ms=placed.end_ms - lo,
            expected_ms=placed.end_ms - lo,
            max_shift_ms=MAX_EDGE_SHIFT_MS,
        )
        if offset is not None and lo + offset > start:
            end, method = lo + offset, TimingMethod.ONSET
    return offset_ms + start, offset_ms + end, method


def _ordered(words: Sequence[AsrWord], times: dict[int, tuple[int, int, TimingMethod]], duration_ms: int) -> Refinement:
    """Apply the refined times; keep starts non-decreasing, words apart, times in range (step 6).

    Refined words take precedence: two of them that overlap (each from its
    own window) meet half way, and a word that kept Whisper's time (less
    ``WHISPER_LAG_MS``) is moved into the gap its refined neighbours leave (zero length if none), so that a
    coarse time never pushes a precise one.
    """
    spans: list[list[int]] = []
    methods: list[TimingMethod] = []
    for i, word in enumerate(words):
        lagged = (word.start_ms - WHISPER_LAG_MS, word.end_ms - WHISPER_LAG_MS, TimingMethod.WHISPER)
        start, end, method = times.get(i, lagged)
        start = min(max(start, 0), duration_ms)
        spans.append([start, min(max(end, start), duration_ms)])
        methods.append(method)
    refined = [i for i, method in enumerate(methods) if method is not TimingMethod.WHISPER]
    for a, b in itertools.pairwise(refined):
        if spans[b][0] < spans[a][1]:
            meet = max((spans[a][1] + spans[b][0]) // 2, spans[a][0])
            spans[a][1] = spans[b][0] = meet
            spans[b][1] = max(spans[b][1], spans[b][0])
    floor, ceiling = [0] * len(spans), [duration_ms] * len(spans)
    low = 0
    for i, span in enumerate(spans):
        floor[i] = low
        if methods[i] is not TimingMethod.WHISPER:
            low = span[1]
    high = duration_ms
    for i in range(len(spans) - 1, -1, -1):
        ceiling[i] = high
        if methods[i] is not TimingMethod.WHISPER:
            high = spans[i][0]
    for i, span in enumerate(spans):
        if methods[i] is TimingMethod.WHISPER:
            lo, hi = floor[i], max(ceiling[i], floor[i])
            span[0] = min(max(span[0], lo), hi)
            span[1] = min(max(span[1], span[0]), hi)
    for previous, current in itertools.pairwise(spans):
        current[0] = max(current[0], previous[0])
        current[1] = max(current[1], current[0])
    timed = tuple(AsrWord(word.text, s, e, word.probability) for word, (s, e) in zip(words, spans))
    return Refinement(timed, tuple(methods))
