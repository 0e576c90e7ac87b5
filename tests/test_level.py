"""Quiet speech lifted before it is heard again: the gain it gets, what it leaves alone, and (with the real
model) that a quiet answer under loud backchannels is heard once lifted and not before."""

from __future__ import annotations

import numpy as np
import pytest
from support.alignment import tokens
from support.paths import EPISODE_MP3
from support.rooms import quiet_in_a_room

from aligner.level import MAX_GAIN_DB, MIN_LIFT_DB, REACH_MS, TARGET_DB, frame_levels_db, lift_quiet_speech
from aligner.match import align_tokens
from aligner.types import AsrWord, OpKind

RATE = 16_000


def _speech(seconds: float, db: float, seed: int = 0) -> np.ndarray:
    """Noise bursts at ``db`` dBFS (RMS), 200 ms on and 100 ms off, like syllables and the gaps between."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    out = rng.standard_normal(n) * 10 ** (db / 20)
    on = (np.arange(n) // (RATE // 10)) % 3 != 2
    return (out * on).astype(np.float32)


def _median_db(samples: np.ndarray) -> float:
    frames = samples[: len(samples) // 320 * 320].reshape(-1, 320).astype(np.float64)
    db = 10 * np.log10(np.maximum(np.mean(frames**2, axis=1), 1e-12))
    return float(np.median(db[db > db.min() + 15]))


def test_quiet_speech_is_brought_to_the_target_and_the_input_kept() -> None:
    quiet = _speech(6, -45)
    lifted = lift_quiet_speech(quiet)
    assert lifted is not None and lifted.dtype == np.float32
    assert abs(_median_db(lifted) - TARGET_DB) < 1.0
    assert abs(_median_db(quiet) + 45) < 1.0  # not changed in place


def test_speech_at_an_ordinary_level_or_nearly_is_left_as_it_is() -> None:
    assert lift_quiet_speech(_speech(6, TARGET_DB + 3)) is None
    assert lift_quiet_speech(_speech(6, TARGET_DB - MIN_LIFT_DB + 1)) is None
    assert lift_quiet_speech(_speech(6, TARGET_DB - MIN_LIFT_DB - 2)) is not None
    assert lift_quiet_speech(np.zeros(RATE, dtype=np.float32)) is None  # digital silence: no speech
    assert lift_quiet_speech(np.zeros(100, dtype=np.float32)) is None


def test_the_lift_is_capped() -> None:
    lifted = lift_quiet_speech(_speech(6, -80))
    assert lifted is not None
    assert abs(_median_db(lifted) - (-80 + MAX_GAIN_DB)) < 1.0


def test_the_gain_follows_the_speech_a_loud_passage_beside_a_quiet_one_is_not_lifted() -> None:
    """The quiet guest's answer and then the host's loud ad read, in one stretch: only the answer comes up."""
    quiet, loud = _speech(8, -44, seed=1), _speech(8, -18, seed=2)
    lifted = lift_quiet_speech(np.concatenate([quiet, loud]))
    assert lifted is not None
    reach = REACH_MS * RATE // 1000
    assert abs(_median_db(lifted[: len(quiet) - reach]) - TARGET_DB) < 1.0
    np.testing.assert_allclose(lifted[len(quiet) + reach :], loud[reach:], atol=1e-6)


@pytest.mark.model
def test_a_quiet_answer_under_loud_backchannels_is_heard_once_lifted() -> None:
    """The guest's answer (42.4-55.2 s of the fixture episode) 32 dB down in a room, the host's "So how
    wide" and "Thank you, Sam" said over it at full level every 3 s: as the benchmark's quiet remote guest
    was, tiny.en hears mostly the host ("Place to stop."). Lifted, it hears half of the answer."""
    from aligner.audio import load_audio
    from aligner.options import RecognizeOptions
    from aligner.recognize import load_model, recognize_span

    samples = load_audio(EPISODE_MP3).samples
    lo, hi = 42_400, 55_200
    mixed = quiet_in_a_room(samples, lo, hi, 32)
    over = [(36_700, 37_500), (56_960, 57_900)]  # the host's words, said over the answer
    for k, at in enumerate(range(lo + 1500, hi - 1000, 3000)):
        a, b = over[k % 2]
        mixed[at * 16 : (at + b - a) * 16] += samples[a * 16 : b * 16]
    answer = tokens(
        "In one test, the models made 40% more mistakes than people did. You can read about it in a recent "
        "study from our group. People call this learning to learn, and it's still really hard for machines."
    )
    options = RecognizeOptions()
    model = load_model(options.model, options.device, options.compute_type, options.threads)

    def found(clip: np.ndarray) -> int:
        heard: list[AsrWord] = recognize_span(model, lo, clip, options)
        return sum(len(op.token_indices) for op in align_tokens(answer, heard) if op.kind is OpKind.MATCH)

    clip = mixed[lo * 16 : hi * 16]
    lifted = lift_quiet_speech(clip)
    assert lifted is not None
    before, after = found(clip), found(lifted)
    assert after >= 3 * before and after >= 0.4 * len(answer)  # here 3 and 19 of 37, (before, after, len(answer))


def test_a_frames_level_is_taken_about_its_mean() -> None:
    """A DC offset (0.07 of full scale, as KTuberling's recordings have) adds nothing; silence has a floor."""
    rng = np.random.default_rng(0)
    tone = (0.01 * rng.standard_normal(1600)).astype(np.float32)  # -40 dBFS
    levels = frame_levels_db(np.concatenate([tone, tone + np.float32(0.07), np.zeros(320, np.float32)]), 160)
    assert len(levels) == 22
    assert np.allclose(levels[:10], levels[10:20], atol=0.01) and abs(float(np.median(levels[:10])) + 40) < 1.5
    assert list(levels[20:]) == [-140.0, -140.0]
    assert list(frame_levels_db(np.zeros(320, np.float32), 160, silent_db=-120.0)) == [-120.0, -120.0]
