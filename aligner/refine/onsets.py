"""Where speech starts after a pause, and stops before one, from the signal's energy.

A forced aligner works in 10 ms frames and its silence model tends to swallow
the quiet first few milliseconds of a word after a pause (a breathy vowel, an
/s/ or /th/). The energy envelope places that edge more finely: in a pause the
envelope sits at the noise floor, and it climbs by tens of decibels within a
few milliseconds of the first sound. These functions are pure numpy, so they
work on any stretch of samples and know nothing about words.

Energy is taken about each frame's mean: a recording whose samples sit off
zero (a DC offset, common in cheap recorders and in the KTuberling words of
the benchmark's real voices, 0.07 of full scale) steps the plain power up
where it begins, and that step was taken for a word's onset (KTuberling's
"Bicycle", whose file starts 250 ms before the word, 250 ms early). About the
mean, the real voices' starts went from a median 19-38 ms off to 10-20 ms
(``benchmarks/run_benchmark.py --conditions``; 64 starts better by more
than 20 ms over every row, 2 worse).

Worked example: a pause at -70 dB (room tone) and a word peaking at -18 dB.
The threshold is the higher of floor + 12 dB (-58 dB, clear of the room tone)
and peak - 45 dB (-63 dB, down where a word's first sound is): -58 dB. The
onset is the first frame from which the envelope stays at or above -58 dB for
20 ms, reported at that frame's centre. Where the pause is no quieter than
the speech by at least 20 dB (music under the voice, a noisy room), there is no
edge to find and the functions return None.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "energy_db",
    "find_faint_onset",
    "find_offset",
    "find_onset",
    "find_rise_after_lead",
    "find_start_after_pause",
    "find_swallowed_onset",
]

from aligner.types import SAMPLE_RATE

HOP_MS = 2
"""Step between envelope frames (ms)."""

FRAME_MS = 10
"""Length of each envelope frame (ms)."""

FLOOR_MARGIN_DB = 12.0
"""Speech must be at least this far above the pause's floor."""

BELOW_PEAK_DB = 45.0
"""... and is taken to have started once within this of the word's peak."""

MIN_CONTRAST_DB = 20.0
"""Peak over floor needed before an edge is looked for at all."""

SUSTAIN_MS = 20
"""The envelope must stay above the threshold this long (a click is not speech)."""

_SILENT_DB = -120.0  # the envelope of digital silence (keeps log10 finite)


def energy_db(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Short-time energy in dB: frame k covers ``[k * HOP_MS, k * HOP_MS + FRAME_MS)`` ms.

    Args:
        samples: mono float samples (full scale 1.0).
        sample_rate: samples per second.

    Returns:
        One value per whole frame (empty when the samples are shorter than a
        frame), the power about the frame's mean; 0 dB is a full-scale
        square wave, digital silence (or a constant) is -120 dB.
    """
    hop = sample_rate * HOP_MS // 1000
    width = sample_rate * FRAME_MS // 1000
    count = (len(samples) - width) // hop + 1
    if count <= 0:
        return np.zeros(0, dtype=np.float64)
    signal = np.asarray(samples, dtype=np.float64)
    sums = np.concatenate(([0.0], np.cumsum(signal)))
    squares = np.concatenate(([0.0], np.cumsum(signal**2)))
    starts = np.arange(count) * hop
    mean = (sums[starts + width] - sums[starts]) / width
    power = (squares[starts + width] - squares[starts]) / width - mean**2  # about the frame's mean: DC is no sound
    return np.maximum(10.0 * np.log10(np.maximum(power, 1e-30)), _SILENT_DB)


def find_onset(
    samples: np.ndarray,
    *,
    pause_end_ms: int,
    expected_ms: int,
    max_shift_ms: int = 100,
    sample_rate: int = SAMPLE_RATE,
) -> int | None:
    """Where speech begins in ``samples``, in ms from their start, or None.

    Args:
        samples: audio holding a pause and then the start of a word.
        pause_end_ms: the first ``pause_end_ms`` are believed to be pause; their
            quietest part sets the noise floor. At least 30 ms are needed.
        expected_ms: where an aligner put the word's start; the onset is
            looked for within ``max_shift_ms`` of it, and the word's peak in the
            300 ms after it.
        max_shift_ms: how far from ``expected_ms`` the onset may be.
        sample_rate: samples per second.

    Returns:
        The onset in ms, or None when there is no clear pause-to-speech edge
        near ``expected_ms``.
    """
    envelope = energy_db(samples, sample_rate=sample_rate)
    pause_frames = (pause_end_ms - FRAME_MS) // HOP_MS + 1  # frames wholly inside the pause
    if pause_end_ms < 30 or pause_frames < 1 or len(envelope) == 0:
        return None
    floor = float(np.percentile(envelope[:pause_frames], 20))
    first_peak = max(expected_ms // HOP_MS, 0)
    word = envelope[first_peak : first_peak + 300 // HOP_MS]
    if len(word) == 0:
        return None
    peak = float(word.max())
    if peak - floor < MIN_CONTRAST_DB:
        return None
    threshold = max(floor + FLOOR_MARGIN_DB, peak - BELOW_PEAK_DB)
    sustain = SUSTAIN_MS // HOP_MS
    lo = max((expected_ms - max_shift_ms - FRAME_MS // 2) // HOP_MS, 0)
    hi = min((expected_ms + max_shift_ms - FRAME_MS // 2) // HOP_MS + 1, len(envelope) - sustain + 1)
    above = envelope >= threshold
    for k in range(lo, hi):
        if above[k : k + sustain].all():
            if k == lo and k > 0 and above[k - 1]:
                return None  # already loud where the search begins: no edge in range
            return k * HOP_MS + FRAME_MS // 2
    return None


def find_offset(
    samples: np.ndarray,
    *,
    pause_start_ms: int,
    expected_ms: int,
    max_shift_ms: int = 100,
    sample_rate: int = SAMPLE_RATE,
) -> int | None:
    """Where speech ends in ``samples`` before a pause, in ms from their start, or None.

    The mirror image of :func:`find_onset`: ``samples`` hold the end of a word
    and then a pause that begins at ``pause_start_ms``; ``expected_ms`` is
    where an aligner ended the word.
    """
    length_ms = len(samples) * 1000 // sample_rate
    found = find_onset(
        np.asarray(samples)[::-1],
        pause_end_ms=length_ms - pause_start_ms,
        expected_ms=length_ms - expected_ms,
        max_shift_ms=max_shift_ms,
        sample_rate=sample_rate,
    )
    return None if found is None else length_ms - found


SWALLOWED_LOUD_DB = 6.0
"""A "pause" holding a sound within this of the word's own peak is not a pause (:func:`find_swallowed_onset`)."""

SWALLOWED_BELOW_PEAK_DB = 30.0
"""... and the swallowed word's onset is where it comes within this of its peak (a breath before it stays out)."""


def find_swallowed_onset(
    samples: np.ndarray, *, expected_ms: int, max_back_ms: int = 300, sample_rate: int = SAMPLE_RATE
) -> int | None:
    """Where a word begins that an aligner started inside it, in ms from the samples' start, or None.

    A forced aligner's silence model sometimes takes the first part of a word
    after a pause, vowel and all: KTuberling's "Mouth" (a real recording) was
    started 178 ms late, after its loudest frames (found here: 5 ms early). :func:`find_onset` cannot
    help, since it looks for the word's peak after the aligner's start and an
    edge near it. Here the "pause" before ``expected_ms`` is checked for a
    sound as loud as the word (within ``SWALLOWED_LOUD_DB`` of the louder of
    the two), running on unbroken into ``expected_ms``; its onset, where the
    envelope first stays within ``SWALLOWED_BELOW_PEAK_DB`` of the peak for
    ``SUSTAIN_MS``, is the word's start. A filler or a false start said before
    the word is not taken: the envelope dips to the floor between them.

    Args:
        samples: a pause, then the word; the pause's quiet part sets the floor.
        expected_ms: the aligner's start of the word.
        max_back_ms: how far before ``expected_ms`` the sound may begin.
    """
    envelope = energy_db(samples, sample_rate=sample_rate)
    at = expected_ms // HOP_MS
    back = max(at - max_back_ms // HOP_MS, 0)
    if at - back < SUSTAIN_MS // HOP_MS or at >= len(envelope) or back == 0:
        return None  # the pause must reach back past the search: its start is the floor
    floor = float(np.percentile(envelope[:at], 10))
    body = float(envelope[at : at + 300 // HOP_MS].max())
    before = envelope[back : at - FRAME_MS // HOP_MS]  # frames wholly before the aligner's start
    if len(before) == 0:
        return None
    loud_at = back + int(np.argmax(before))
    loud = float(envelope[loud_at])
    peak = max(loud, body)
    if loud < peak - SWALLOWED_LOUD_DB or peak - floor < MIN_CONTRAST_DB:
        return None
    if (envelope[loud_at:at] < floor + FLOOR_MARGIN_DB).any():
        return None  # a dip between the sound and the word: a sound of its own (a filler, a false start)
    threshold = max(floor + FLOOR_MARGIN_DB, peak - SWALLOWED_BELOW_PEAK_DB)
    k = loud_at
    while k > back and envelope[k - 1] >= threshold:
        k -= 1
    if k == back:
        return None  # loud all the way back: no edge in reach
    sustain = SUSTAIN_MS // HOP_MS
    while k < loud_at and not (envelope[k : k + sustain] >= threshold).all():
        k += 1
    return k * HOP_MS + FRAME_MS // 2


FAINT_DB = 4.0
"""A frame this far over the noise floor holds sound: a faint fricative where nothing else is (:func:`find_faint_onset`)."""

FAINT_UNDER_PEAK_DB = 15.0
"""... and is faint while at least this far under the word's peak (a louder sound is another word)."""

VOWEL_SLACK_MS = 20
"""How far into the loud part of the word the aligner's start may lie (its frames are 10 ms)."""

MIN_FAINT_MS = 30
"""The least faint sound that counts as a fricative's."""

MAX_CLOSURE_MS = 60
"""Silence allowed between an /s/ and the aligner's start, where the word goes on with a stop: /st/, /sp/, /sk/."""

FADED_DB = 1.0
"""Elsewhere, as long a stretch this far over the floor (and under ``FAINT_DB``) is the fricative fading.

The project telephone call-in's "I see": the /s/ 5-7 dB over the line, then 1.5-4.5 dB for about 40 ms
before the vowel (10 ms frames), where the aligner started "see" (112 ms late; now 7 ms, that row 96.8 -> 97.0% within 100 ms,
no other start moved by more than 20 ms). A gap of any silence instead put espeak's "thanks" on the decay
of the word before it, over 60 ms at the floor."""


def find_faint_onset(
    samples: np.ndarray,
    *,
    expected_ms: int,
    floor_db: float,
    max_back_ms: int = 200,
    closure: bool = False,
    sample_rate: int = SAMPLE_RATE,
) -> int | None:
    """Where a word that begins with a voiceless fricative begins, when its fricative is faint; or None.

    A telephone line keeps little of /s/, /f/ or /th/ (their energy lies
    mostly above 3.4 kHz): the telephone call-in's "I see" has the /s/ at -48
    dBFS between the vowels at -26 dBFS, over a line whose pauses sit at -54.
    The forced aligner takes it for silence and starts "see" at its vowel,
    110 ms late; :func:`find_onset` takes that faint sound for the pause's
    floor. Here the floor is given (a quiet frame of the stretch around), and
    the word's start goes back from ``expected_ms`` (the aligner's start) over
    sound at least ``FAINT_DB`` above the floor and ``FAINT_UNDER_PEAK_DB``
    under the word's peak, lasting ``MIN_FAINT_MS`` or more, to where that
    sound begins; at most ``max_back_ms`` back (where the pause before the
    word ends). With ``closure`` (an /s/ and then a stop: "started"), up to
    ``MAX_CLOSURE_MS`` of silence may lie between the sound and the aligner's start; without,
    as long a stretch where the sound fades to ``FADED_DB`` over the floor.

    Args:
        samples: audio holding the pause (or what the aligner took for one) and then the word.
        expected_ms: the aligner's start of the word, in ms from the samples' start.
        floor_db: the noise floor around, in dBFS (see :func:`energy_db`).
        max_back_ms: how far before ``expected_ms`` the word may begin.
        closure: the fricative is followed by a stop's closure.
    """
    envelope = energy_db(samples, sample_rate=sample_rate)
    at = min((expected_ms - FRAME_MS // 2) // HOP_MS, len(envelope))  # the frame centred on the aligner's start
    back = max(at - max_back_ms // HOP_MS, 0)
    word = envelope[at : at + 300 // HOP_MS]
    if at <= back or len(word) == 0:
        return None
    loudest = float(word.max()) - FAINT_UNDER_PEAK_DB
    faint = (envelope >= floor_db + FAINT_DB) & (envelope <= loudest)
    k = at - 1
    while k >= back and envelope[k] > loudest and at - k <= (FRAME_MS + VOWEL_SLACK_MS) // HOP_MS:
        k -= 1  # frames reaching into the loud part the aligner started a frame or two late
    silent = envelope < floor_db + FAINT_DB
    faded = silent & (envelope >= floor_db + FADED_DB)
    while k >= back and (silent[k] if closure else faded[k]) and at - k <= MAX_CLOSURE_MS // HOP_MS:
        k -= 1
    if k < back or not faint[k]:
        return None
    end = k
    while k >= back and faint[k]:
        k -= 1
    if (end - k) * HOP_MS < MIN_FAINT_MS:
        return None
    return (k + 1) * HOP_MS + FRAME_MS // 2


PAUSE_DB = 2.0
"""A frame within this of the noise floor is pause, where a word's own sound must be told from it (:func:`find_start_after_pause`)."""

MIN_INNER_PAUSE_MS = 60
"""The least pause, inside what an aligner gave a word, that the word starts after."""


def find_start_after_pause(
    samples: np.ndarray, *, floor_db: float, pause_expected: bool = False, sample_rate: int = SAMPLE_RATE
) -> int | None:
    """Where a word begins, in ms from the samples' start, when an aligner started it before a pause; or None.

    ``samples`` run from the aligner's start of the word (placed against the
    word before) to its end. A forced aligner can take a pause for a voiceless
    fricative: espeak's "George, thank you" (a 210 ms pause after "George")
    had "thank" started where "George" ends, over the pause, 179 ms early.
    Its span then holds sound first (the tail of "George", 4-8 dB over the
    floor), then a pause, then the fricative and the vowel. From the word's
    loud part (its first frame within ``FAINT_UNDER_PEAK_DB`` of its peak)
    the start goes back over sound more than ``PAUSE_DB`` over the floor; if
    what lies before that is ``MIN_INNER_PAUSE_MS`` or more under ``FAINT_DB``
    (a pause), and sound of at least ``MIN_FAINT_MS`` comes before the pause,
    the word begins where the pause ends. A span that begins with the pause
    (a telephone line's /th/ sits at the floor: "thought" was started right,
    over what looks like silence) is left alone, unless ``pause_expected``
    (the recognizer wrote a comma or a full stop before the word: seed 2's
    "Maria, thanks", started 218 ms early over the pause after "Maria").

    Args:
        samples: the word as the aligner placed it.
        floor_db: the noise floor around, in dBFS (see :func:`energy_db`).
        pause_expected: a pause before the word is likely, so the span may begin with it.
    """
    envelope = energy_db(samples, sample_rate=sample_rate)
    if len(envelope) == 0:
        return None
    k = int(np.argmax(envelope >= float(envelope.max()) - FAINT_UNDER_PEAK_DB)) - 1
    while k >= 0 and envelope[k] > floor_db + PAUSE_DB:
        k -= 1  # back over the word's own sound, down to the pause
    pause = MIN_INNER_PAUSE_MS // HOP_MS
    if k + 1 < pause or (envelope[k + 1 - pause : k + 1] >= floor_db + FAINT_DB).any():
        return None
    before = k + 1 - pause
    while before > 0 and envelope[before - 1] < floor_db + FAINT_DB:
        before -= 1
    if before * HOP_MS < MIN_FAINT_MS and not pause_expected:
        return None  # no sound before the pause: the aligner may have heard the word in it
    return (k + 1) * HOP_MS + FRAME_MS // 2


LEAD_LEVEL_MS = 50
"""The opening of a window whose level is its lead's: what plays in the pause before the chunk (:func:`find_rise_after_lead`)."""

MIN_LEAD_MS = 200
"""How long the level must stay there before a word rises out of it: longer than a word's weak first sound."""

LEAD_DB = 6.0
"""Within this of the opening level is still the lead (music swells and fades by as much)."""

RISE_DB = 12.0
"""... and the word is this far over it, for ``SUSTAIN_MS``."""


def find_rise_after_lead(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> int | None:
    """Where a word rises out of the lead of a window, in ms from the window's start; or None.

    ``samples`` run from the window's start, where an aligner started the
    word, to the word's end. A chunk's window reaches 0.4 s into the pause
    before its first word; where music plays there, pocketsphinx can take the
    music for the word and start it at the window's first frame: "Welcome to
    Field Notes. [music] I'm Robert Wilson", "I'm" 262-338 ms early in three
    episodes. Then the envelope stays within ``LEAD_DB`` of the window's
    opening level (its first ``LEAD_LEVEL_MS``) for ``MIN_LEAD_MS`` or more,
    then rises ``RISE_DB`` over it: the word starts where the lead ends. A
    word that truly starts at the window's start (a window cut into it) is
    loud from the opening on and never rises out of its own level; a dip back
    to the lead's level between them means another sound, and None.
    """
    envelope = energy_db(samples, sample_rate=sample_rate)
    opening = (LEAD_LEVEL_MS - FRAME_MS) // HOP_MS + 1
    if len(envelope) <= opening:
        return None
    level = float(np.median(envelope[:opening]))
    k = 0
    while k < len(envelope) and envelope[k] < level + LEAD_DB:
        k += 1
    if k * HOP_MS < MIN_LEAD_MS:
        return None
    sustain = SUSTAIN_MS // HOP_MS
    rise = k
    while rise + sustain <= len(envelope) and not (envelope[rise : rise + sustain] >= level + RISE_DB).all():
        if envelope[rise] < level + LEAD_DB:
            return None
        rise += 1
    if rise + sustain > len(envelope):
        return None
    return k * HOP_MS + FRAME_MS // 2
