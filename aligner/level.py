"""Quiet speech brought up to a speaking level before the recognizer hears it again.

A quiet voice alone is heard well enough (Whisper's log-mel features are
taken relative to the clip's loudest frame): the fixture's closing line 44 dB
down came back word for word. A quiet voice beside a loud one in the same
clip is not: the held-out quiet remote guest's 15 s answer, 20 dB under the
host, with the host's "I thought", "Wow", "Okay" said over it, came back as
just the host's words, in the first pass and heard again. The same 17.5 s,
the guest's speech brought to an ordinary level (the host's words clipping),
came back word for word.

One gain for a whole stretch does not do: a stretch may hold the quiet
guest's answer and the host's loud ad read after it. So the gain follows the
speech: at each moment it brings the typical level of the speech within
``REACH_MS`` (the median of its frames clear of the noise floor) to
``TARGET_DB``, never cuts, and never lifts more than ``MAX_GAIN_DB``; samples
it would take past full scale are clipped (a loud word said over the quiet
one is the one that clips, and the quiet one is what is being listened for).

Worked example: the remote guest's speech has a frame median of -42 dBFS,
the host's -20 dBFS, the pauses -90 dBFS. Within the guest's answer the gain
is +20 dB (to ``TARGET_DB`` -22 dBFS), the host's backchannels over it
clip; from 2 s into the host's ad after it the gain is 0 dB, and the ad is
heard as it was. Speech already at -22 dBFS or louder is not touched, so
an episode at an ordinary level is heard exactly as before.
"""

from __future__ import annotations

import warnings

import numpy as np

from aligner.types import SAMPLE_RATE

__all__ = ["MAX_GAIN_DB", "MIN_LIFT_DB", "TARGET_DB", "frame_levels_db", "lift_quiet_speech"]

TARGET_DB = -22.0
"""The level quiet speech is brought to: the median 20 ms frame of ordinary podcast speech, about."""

MAX_GAIN_DB = 30.0
"""The most it is lifted: a pause's noise floor stays a floor."""

MIN_LIFT_DB = 6.0
"""Speech that would be lifted less than this anywhere is left as it is (and heard as it was)."""

REACH_MS = 2000
"""Speech this far either side of a moment sets its gain."""

ABOVE_FLOOR_DB = 15.0
"""A frame counts as speech when this far over the stretch's noise floor (its 5th-percentile frame)."""

FRAME_MS = 20
SMOOTH_MS = 300
"""The gain is averaged over this long, so it never pumps within a word."""


def frame_levels_db(samples: np.ndarray, frame_len: int, *, silent_db: float = -140.0) -> np.ndarray:
    """Each whole ``frame_len``-sample frame's level in dBFS, never under ``silent_db``.

    The level is the RMS about the frame's mean: a recording whose samples sit off zero (a DC offset, as
    the KTuberling words of the benchmark's real voices do, 0.07 of full scale) is no louder for it. Used
    by the lift here and by ``aligner cut`` (its quietest points and its unheard sounds).
    """
    count = len(samples) // frame_len
    frames = np.asarray(samples[: count * frame_len], dtype=np.float64).reshape(count, frame_len)
    levels: np.ndarray = np.maximum(10.0 * np.log10(np.maximum(np.var(frames, axis=1), 1e-300)), silent_db)
    return levels


def lift_quiet_speech(samples: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray | None:
    """``samples`` with quiet speech lifted to ``TARGET_DB`` (float32, a copy), or None where none is quiet.

    None: no speech in ``samples`` is ``MIN_LIFT_DB`` or more under ``TARGET_DB``.
    """
    hop = sample_rate * FRAME_MS // 1000
    count = len(samples) // hop
    if count < 2:
        return None
    db = frame_levels_db(samples, hop, silent_db=-120.0)
    floor = float(np.percentile(db, 5))
    speech = db >= floor + ABOVE_FLOOR_DB
    reach = REACH_MS // FRAME_MS
    if not speech.any():
        return None
    near = np.lib.stride_tricks.sliding_window_view(
        np.pad(np.where(speech, db, np.nan), reach, constant_values=np.nan), 2 * reach + 1
    )
    with warnings.catch_warnings():  # a moment with no speech within reach has no level (NaN)
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.nanmedian(near, axis=1)
    if np.isnan(level).all():
        return None
    gain_db = np.clip(TARGET_DB - np.nan_to_num(level, nan=TARGET_DB), 0.0, MAX_GAIN_DB)
    if gain_db.max() < MIN_LIFT_DB:
        return None
    width = max(SMOOTH_MS // FRAME_MS, 1)
    padded = np.pad(gain_db, width // 2, mode="edge")
    smooth = np.convolve(padded, np.ones(width) / width, mode="valid")[:count]
    centres = (np.arange(count) + 0.5) * hop
    gain = 10.0 ** (np.interp(np.arange(len(samples)), centres, smooth) / 20.0)
    return np.clip(np.asarray(samples, dtype=np.float64) * gain, -1.0, 1.0).astype(np.float32)
