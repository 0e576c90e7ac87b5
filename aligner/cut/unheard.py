"""Hesitations no recognizer wrote: the "um" between two kept words, which a cut should take too.

tiny.en leaves most "um"s and "uh"s out of its text, so the alignment's
extra words (what :mod:`aligner.cut.plan` cuts) miss them: on the project
benchmark a quarter of the fillers' audio stayed in the edited episode. The
kept words' refined boundaries are good to about 10 ms, so a sound between
two of them is speech the transcript lacks. Two tests find one, and both must
agree:

1. **Energy.** Between the two kept words (and clear of any extra word
   there), 10 ms frames louder than the gap's floor + ``FLOOR_MARGIN_DB``
   and than the words' own level (90th percentile) − ``BELOW_WORDS_DB``,
   for ``MIN_SOUND_MS`` to ``MAX_SOUND_MS``, with at least ``CLEAR_MS`` of
   quieter frames between the sound and the word before (and any heard word
   there). A sound touching the word before is that word's own decay, or the
   word mistimed; it is not cut. A sound running on into the word after is
   marked so (:class:`Sound`): it is that word's first saying ("I, I
   thought") or its own start, mistimed. Any other sound must be voiced
   (``MIN_VOICING``: a breath is not an "um"), and a gap holding more than
   ``MAX_SOUNDS`` of them holds laughter, music or unwritten speech, and
   is left whole.
2. **The forced aligner.** The two kept words and the heard words between
   them, aligned again over the stretch with a filler as likely as silence
   (:meth:`aligner.refine.sphinx.SphinxAligner.hesitations`), must put a
   filler over the sound and the two kept words' facing edges within
   ``AGREE_MS`` of where the alignment has them. Where a transcript word was
   mistimed beside the sound (the sound is the word), the words come out
   elsewhere and nothing is cut. A sound running into the word after must
   be, on that path, the word's first saying (pocketsphinx's repeat loop,
   for words of up to four letters), not a filler; it joins the extra words
   as "(I)", and the plan calls it a repetition.

Worked example (seed 4 of the benchmark): "started." kept at 345.48-346.07 s
and "I" at 346.80 s; Whisper wrote nothing between. Frames over -37 dB run
from 346.47 to 346.71 s, 400 ms after "started." and 90 ms before "I": a
sound. Aligned again with free fillers, "started." ends at 346.07 s and "I"
starts at 346.83 s (both within 40 ms) with "um" at 346.48-346.71 s, so an
"(um)" at 346.47-346.71 s joins the extra words, and the cut takes it.

On the benchmark's condition episodes every sound of the energy test that lay
over a transcript word (mistimed words of the quiet remote guest, a word
matched one word late) failed the second test; what passed were fillers and
the other speaker's backchannels in a pause ("Sure.", "Wow."), which the
transcript leaves out as well. ``benchmarks/cut_conditions.py`` plans the
cuts on those episodes with and without this search (no transcript word
newly cut); ``benchmarks/cut_accuracy.py`` measures the cut on seeds 1-4
(figures in docs/accuracy.md, "Cutting the audio").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.audio import read_spans
from aligner.cut.plan import Between, droppable, kept_gaps
from aligner.normalize import word_keys
from aligner.types import SAMPLE_RATE, ExtraWord, Result

if TYPE_CHECKING:
    import numpy as np

    from aligner.refine.sphinx import SphinxAligner

__all__ = ["Sound", "Unheard", "find_sounds", "unheard_hesitations", "voicing"]

PUNCTUATION = ".,;:!?\"'“”‘’()"

FRAME_MS = 10
FLOOR_MARGIN_DB = 15.0
"""A sound is this far above the gap's floor (its 5th percentile frame) ..."""

BELOW_WORDS_DB = 20.0
"""... and within this of the two kept words' level."""

MIN_SOUND_MS = 80
MAX_SOUND_MS = 700
"""A hesitation's length; longer is music, laughter or a sentence, which the energy test cannot tell apart."""

CLEAR_MS = 50
"""Quiet between the sound and each kept (or heard) word."""

MIN_VOICING = 0.35
"""A hesitation is voiced; a breath, a lip smack or a cough between sentences is not (see :func:`voicing`)."""

MIN_GAP_MS = MIN_SOUND_MS + 2 * CLEAR_MS
"""Shorter gaps between kept words are not looked at."""

PAD_MS = 100
"""Audio beyond the two kept words given to the forced aligner."""

AGREE_MS = 40
"""How far the kept words' facing edges may move in the second alignment."""

MAX_SOUNDS = 2
"""A gap holding more sounds than this holds laughter, music or unwritten speech (an ad read nobody
transcribed): with the transcript's notes left out, the search cut a laugh into five "(uh)"s and an ad into
nine; so none of them is cut."""


@dataclass(frozen=True, slots=True)
class Unheard:
    """What the audio adds to the extra words, and the heard words it finds were a filler instead."""

    added: tuple[ExtraWord, ...] = ()
    replaced: tuple[ExtraWord, ...] = ()  # a lone heard word the forced aligner hears as a filler ("Dumb," for "um")


def unheard_hesitations(audio_path: Path, result: Result, *, aligner: SphinxAligner | None = None) -> Unheard:
    """Hesitations and first sayings between kept words that no recognizer wrote (see the module docstring).

    Reads the audio of every gap between kept words (decoding the file once)
    and aligns again only those holding a sound. A gap holding one heard
    word the cut would leave (not a filler or a backchannel: "Dumb,", "At,")
    is tried once more with that word optional: where the forced aligner
    skips it for a filler over the same sound, the word was the filler
    misheard, and it is ``replaced``.
    """
    candidates = [
        g for g in kept_gaps(result) if not g.note and (g.after.start_ms or 0) - (g.before.end_ms or 0) >= MIN_GAP_MS
    ]
    if not candidates:
        return Unheard()
    spans = [(max((g.before.start_ms or 0) - PAD_MS, 0), (g.after.end_ms or 0) + PAD_MS) for g in candidates]
    added: list[ExtraWord] = []
    replaced: list[ExtraWord] = []
    for gap, (offset, _), samples in zip(candidates, spans, read_spans(audio_path, spans)):
        sounds = find_sounds(samples, offset, gap)
        lone = gap.words[0] if len(gap.words) == 1 and not gap.missing and _unsure(gap.words[0]) else None
        over_lone = []
        if lone is not None:
            middle = (lone.start_ms + lone.end_ms) // 2
            over_lone = [
                s for s in find_sounds(samples, offset, replace(gap, words=())) if s.start_ms <= middle < s.end_ms
            ]
        if len(sounds) > MAX_SOUNDS or len(over_lone) > MAX_SOUNDS:
            continue  # laughter, music or a passage nobody wrote: not a hesitation, nothing is cut
        if not sounds and not over_lone:
            continue
        if aligner is None:
            from aligner.refine.sphinx import SphinxAligner

            aligner = SphinxAligner()
        if sounds:
            added.extend(_confirmed(aligner, samples, offset, gap, sounds))
        if lone is not None and over_lone:
            filler = _confirmed(
                aligner, samples, offset, gap, [replace(s, touches=False) for s in over_lone], lone=True
            )
            if filler:
                added.extend(filler)
                replaced.append(lone)
    return Unheard(tuple(added), tuple(replaced))


def _unsure(word: ExtraWord) -> bool:
    """Whether the cut would leave this heard word, alone in its gap (it may be a transcript word misheard)."""
    keys = word_keys(word.text)[:1]
    return bool(keys) and not droppable(keys[0])


@dataclass(frozen=True, slots=True)
class Sound:
    """A sound between two kept words; ``touches``: it runs on into the word after (no quiet between)."""

    start_ms: int
    end_ms: int
    touches: bool = False


def find_sounds(samples: np.ndarray, offset_ms: int, gap: Between) -> list[Sound]:
    """The energy test: sounds in the gap clear of the word before and the heard words (``samples`` from
    ``offset_ms``); one running into the word after is marked so."""
    import numpy as np

    from aligner.level import frame_levels_db

    per_frame = SAMPLE_RATE * FRAME_MS // 1000
    n = len(samples) // per_frame
    if n == 0:
        return []
    level = frame_levels_db(samples, per_frame)

    def frame(ms: int) -> int:
        return min(max((ms - offset_ms) // FRAME_MS, 0), n)

    a_start, a_end = gap.before.start_ms or 0, gap.before.end_ms or 0
    b_start, b_end = gap.after.start_ms or 0, gap.after.end_ms or 0
    words = np.concatenate([level[frame(a_start) : frame(a_end)], level[frame(b_start) : frame(b_end)]])
    inside = level[frame(a_end) : frame(b_start)]
    if len(words) == 0 or len(inside) == 0:
        return []
    threshold = max(float(np.percentile(inside, 5)) + FLOOR_MARGIN_DB, float(np.percentile(words, 90)) - BELOW_WORDS_DB)
    # What a sound must stay clear of: the kept word before and the heard words (the word after: see Sound).
    occupied = [(a_start, a_end), *((w.start_ms, w.end_ms) for w in gap.words)]
    sounds: list[Sound] = []
    k, first, last = frame(a_end), frame(a_end), frame(b_start)
    while k < last:
        if level[k] <= threshold:
            k += 1
            continue
        j = k
        while j < last and level[j] > threshold:
            j += 1
        start, end = offset_ms + k * FRAME_MS, min(offset_ms + j * FRAME_MS, b_start)
        clear = all(end + CLEAR_MS <= lo or start - CLEAR_MS >= hi for lo, hi in occupied)
        touches = end + CLEAR_MS > b_start  # runs into the word after: its first saying, or its own start
        if MIN_SOUND_MS <= end - start <= MAX_SOUND_MS and clear and k > first:
            piece = samples[(start - offset_ms) * SAMPLE_RATE // 1000 : (end - offset_ms) * SAMPLE_RATE // 1000]
            if touches or voicing(piece) >= MIN_VOICING:  # a first saying may begin unvoiced ("so, so")
                sounds.append(Sound(start, end, touches))
        k = j
    return sounds


def voicing(samples: np.ndarray) -> float:
    """How periodic a sound is: the median over 30 ms frames of the normalised autocorrelation peak at a
    pitch of 70-400 Hz (0.6-0.8 for the benchmark's "um"s, about 0.1 for noise)."""
    import numpy as np

    width, hop = SAMPLE_RATE * 30 // 1000, SAMPLE_RATE * 10 // 1000
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 70
    peaks = []
    for start in range(0, len(samples) - width + 1, hop):
        frame = np.asarray(samples[start : start + width], dtype=np.float64)
        frame = frame - frame.mean()
        energy = float(np.dot(frame, frame))
        if energy <= 0:
            peaks.append(0.0)
            continue
        correlation = np.correlate(frame, frame, "full")[width - 1 :]
        peaks.append(float(correlation[lo : hi + 1].max()) / energy)
    return float(np.median(peaks)) if peaks else 0.0


def _confirmed(
    aligner: SphinxAligner,
    samples: np.ndarray,
    offset_ms: int,
    gap: Between,
    sounds: Sequence[Sound],
    *,
    lone: bool = False,
) -> list[ExtraWord]:
    """The forced-aligner test: the sounds it hears as a filler, with the kept words where they were.

    Transcript words between the two that the alignment did not place are
    offered too, each free to be skipped: a sound that is one of them is
    not a filler. With ``lone``, the gap's heard word is free to be skipped
    as well, and must be.
    """
    heard = sorted(gap.words, key=lambda w: w.start_ms)
    texts = [gap.before.token.text, *(t.text for t in gap.missing), *(w.text for w in heard), gap.after.token.text]
    names = [aligner.word_name(text) for text in texts]
    if any(name is None for name in names):
        return []
    optional = range(1, 1 + len(gap.missing) + (len(heard) if lone else 0))
    found = aligner.hesitations(samples, [name for name in names if name is not None], optional=optional)
    if found is None:
        return []
    aligned, said = found
    first, last = aligned[0], aligned[-1]
    if first is None or last is None:
        return []
    if lone and any(placed is not None for placed in aligned[1:-1]):
        return []  # the heard word was said: not a filler
    if (
        abs(offset_ms + first.end_ms - (gap.before.end_ms or 0)) > AGREE_MS
        or abs(offset_ms + last.start_ms - (gap.after.start_ms or 0)) > AGREE_MS
    ):
        return []  # the kept words moved: the sound may be one of them
    after = names[-1]
    out: list[ExtraWord] = []
    for sound in sounds:
        # A sound clear of the word after must be a filler; one running into it, that word's first saying.
        wanted = {after} if sound.touches else {"um", "uh"}
        overlaps = [
            (min(sound.end_ms, offset_ms + e) - max(sound.start_ms, offset_ms + s), label)
            for s, e, label in said
            if label in wanted
        ]
        best = max(overlaps, default=(0, ""))
        if best[0] > 0:
            text = f"({gap.after.token.text.strip(PUNCTUATION)})" if sound.touches else f"({best[1]})"
            out.append(ExtraWord(text, sound.start_ms, sound.end_ms))
    return out
