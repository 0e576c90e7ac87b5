"""Energy edges (aligner.refine.onsets): onsets and offsets on synthetic signals."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.refine.onsets import (
    energy_db,
    find_faint_onset,
    find_offset,
    find_onset,
    find_rise_after_lead,
    find_start_after_pause,
    find_swallowed_onset,
)
from aligner.types import SAMPLE_RATE

SR = SAMPLE_RATE


def tone(ms: int, db: float, freq: float = 220.0, seed: int = 0) -> np.ndarray:
    """A voiced-like sound: a tone plus a little noise, at ``db`` RMS (0 dB = full-scale square)."""
    rng = np.random.default_rng(seed)
    t = np.arange(ms * SR // 1000) / SR
    wave = np.sin(2 * np.pi * freq * t) + 0.3 * rng.standard_normal(len(t))
    return (wave / np.sqrt(np.mean(wave**2)) * 10 ** (db / 20)).astype(np.float32)


def noise(ms: int, db: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(ms * SR // 1000) * 10 ** (db / 20)).astype(np.float32)


def test_energy_of_silence_and_of_a_known_level() -> None:
    assert np.all(energy_db(np.zeros(SR // 10, dtype=np.float32)) == -120.0)
    levels = energy_db(tone(200, -20.0))
    assert len(levels) == (3200 - 160) // 32 + 1
    assert abs(np.median(levels) + 20.0) < 1.0
    assert len(energy_db(np.zeros(100, dtype=np.float32))) == 0  # shorter than one frame


def test_a_dc_offset_is_no_sound() -> None:
    """A real recording (KTuberling's "Bicycle") whose samples sit 0.07 off zero from 250 ms before its
    word: the offset's step was taken for the word's onset, 250 ms early."""
    quiet, step, word = noise(250, -60.0), noise(250, -60.0, seed=3) - 0.07, tone(400, -20.0) - 0.07
    signal = np.concatenate([quiet, step, word]).astype(np.float32)
    assert abs(np.median(energy_db(step)) + 60.0) < 1.0  # the offset adds nothing to the energy
    onset = find_onset(signal, pause_end_ms=450, expected_ms=500)
    assert onset is not None and abs(onset - 500) <= 6


@pytest.mark.parametrize("floor_db", [-120.0, -70.0, -55.0])
@pytest.mark.parametrize("expected_ms", [440, 500, 570])
def test_onset_is_found_within_a_few_ms(floor_db: float, expected_ms: int) -> None:
    quiet = np.zeros(500 * SR // 1000, dtype=np.float32) if floor_db == -120.0 else noise(500, floor_db)
    signal = np.concatenate([quiet, tone(400, -18.0) + noise(400, floor_db, seed=2) * (floor_db > -120)])
    onset = find_onset(signal, pause_end_ms=400, expected_ms=expected_ms)
    assert onset is not None and abs(onset - 500) <= 6


def test_no_onset_without_a_pause_quieter_than_the_speech() -> None:
    signal = np.concatenate([noise(500, -25.0), tone(400, -18.0)])  # music or noise under the voice
    assert find_onset(signal, pause_end_ms=400, expected_ms=500) is None


def test_no_onset_out_of_reach_of_the_expected_time() -> None:
    signal = np.concatenate([np.zeros(500 * SR // 1000, dtype=np.float32), tone(400, -18.0)])
    assert find_onset(signal, pause_end_ms=400, expected_ms=300, max_shift_ms=100) is None
    assert find_onset(signal, pause_end_ms=20, expected_ms=500) is None  # too little pause to judge


def test_a_click_is_not_an_onset() -> None:
    signal = np.concatenate(
        [
            np.zeros(450 * SR // 1000, dtype=np.float32),
            tone(5, -10.0),
            np.zeros(45 * SR // 1000, dtype=np.float32),
            tone(400, -18.0),
        ]
    )
    onset = find_onset(signal, pause_end_ms=400, expected_ms=490)
    assert onset is not None and abs(onset - 500) <= 6


def test_offset_mirrors_onset() -> None:
    signal = np.concatenate([tone(400, -18.0), noise(500, -65.0)])
    offset = find_offset(signal, pause_start_ms=450, expected_ms=430)
    assert offset is not None and abs(offset - 400) <= 6


def test_a_word_the_aligner_started_inside_is_traced_back_to_its_onset() -> None:
    """Room tone, a word loud at 600-800 ms and quieter after: the aligner's start at 750 ms is inside it."""
    signal = np.concatenate([noise(600, -62.0), tone(200, -14.0), tone(250, -28.0, seed=3), noise(300, -62.0)])
    onset = find_swallowed_onset(signal, expected_ms=750)
    assert onset is not None and abs(onset - 600) <= 10


def test_a_breath_before_the_word_stays_out() -> None:
    breath = noise(80, -45.0, seed=4)
    signal = np.concatenate([noise(520, -62.0), breath, tone(200, -14.0), tone(250, -28.0, seed=3)])
    onset = find_swallowed_onset(signal, expected_ms=750)
    assert onset is not None and abs(onset - 600) <= 10  # the word's onset, not the breath's at 520 ms


@pytest.mark.parametrize(
    "before, why",
    [
        ([noise(600, -62.0), tone(200, -14.0), noise(100, -62.0)], "a dip: a filler of its own before the word"),
        ([noise(600, -62.0), tone(150, -40.0)], "the pause's sound is far quieter than the word: a real pause"),
        ([noise(100, -62.0), tone(650, -14.0)], "loud all the way back past the search: no edge in reach"),
    ],
)
def test_no_swallowed_word_where_the_pause_is_a_pause_or_holds_another_sound(before, why) -> None:
    head = np.concatenate(before)
    at = len(head) * 1000 // SR
    signal = np.concatenate([head, tone(300, -14.0, seed=5), noise(200, -62.0)])
    assert find_swallowed_onset(signal, expected_ms=at) is None, why


def _faint_word(*, closure_ms: int = 0, closure_db: float = 0.0) -> tuple[np.ndarray, int, int]:
    """A telephone line's "I see": a vowel, then an /s/ 6 dB over the line's noise (-54 dB) for 120 ms,
    (a stop's closure, or the /s/ faded ``closure_db`` over the line), then the next vowel; the /s/'s start
    and the vowel's (where an aligner starts it)."""
    line = -54.0
    parts = [
        tone(300, -26.0) + noise(300, line, seed=3),
        noise(120, line + 6.0, seed=4),
        noise(closure_ms, line + closure_db, seed=5),
        tone(300, -26.0) + noise(300, line, seed=6),
    ]
    return np.concatenate(parts), 300, 420 + closure_ms


def test_a_faint_fricative_the_aligner_took_for_pause_is_the_words_start() -> None:
    samples, fricative, vowel = _faint_word()
    onset = find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0, max_back_ms=200)
    assert onset is not None and abs(onset - fricative) <= 10, onset
    short = find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0, max_back_ms=60)
    assert short is None or short >= vowel - 60 - 5  # never further back than allowed (to a frame centre)


def test_a_closure_is_passed_over_only_where_the_word_goes_on_with_a_stop() -> None:
    samples, fricative, vowel = _faint_word(closure_ms=50)
    assert find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0) is None  # "see": silence before its vowel
    onset = find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0, closure=True)  # "started"
    assert onset is not None and abs(onset - fricative) <= 10, onset


def test_a_fricative_fading_into_the_line_before_its_vowel_is_followed_back() -> None:
    """The project telephone call-in's "I see": the /s/ fades to 2-3 dB over the line for 40 ms before the
    vowel, where the aligner starts "see" (112 ms late before this); silence at the line's level is no fade."""
    samples, fricative, vowel = _faint_word(closure_ms=40, closure_db=2.5)
    onset = find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0)
    assert onset is not None and abs(onset - fricative) <= 10, onset
    samples, _, vowel = _faint_word(closure_ms=40, closure_db=-3.0)
    assert find_faint_onset(samples, expected_ms=vowel, floor_db=-54.0) is None


def test_silence_a_loud_sound_or_a_click_before_the_word_is_no_faint_start() -> None:
    line = -54.0
    vowel = tone(300, -26.0) + noise(300, line, seed=6)
    silent = np.concatenate([noise(300, line), vowel])
    assert find_faint_onset(silent, expected_ms=300, floor_db=line) is None
    loud = np.concatenate([noise(180, line), tone(120, -30.0), vowel])  # another word, not 15 dB under this one
    assert find_faint_onset(loud, expected_ms=300, floor_db=line) is None
    click = np.concatenate([noise(280, line), noise(20, line + 10, seed=7), vowel])  # shorter than MIN_FAINT_MS
    assert find_faint_onset(click, expected_ms=300, floor_db=line) is None


def _thank_after_a_pause(*, tail_ms: int, pause_ms: int) -> tuple[np.ndarray, int]:
    """Espeak's "George, thank you" as the aligner placed "thank": from where "George" ends, its faint tail
    (6 dB over a -61 dB floor) for ``tail_ms``, the pause, then the /th/ (10 dB over) and the vowel; the /th/'s
    start in ms from the span's start."""
    floor = -61.0
    parts = [
        noise(tail_ms, floor + 6.0, seed=3),
        noise(pause_ms, floor, seed=4),
        noise(40, floor + 10.0, seed=5),
        tone(250, -20.0) + noise(250, floor, seed=6),
    ]
    return np.concatenate(parts), tail_ms + pause_ms


@pytest.mark.parametrize("pause_ms", [80, 200])
def test_a_word_given_the_pause_before_it_starts_after_the_pause(pause_ms: int) -> None:
    samples, fricative = _thank_after_a_pause(tail_ms=100, pause_ms=pause_ms)
    start = find_start_after_pause(samples, floor_db=-61.0)
    assert start is not None and abs(start - fricative) <= 10, start


@pytest.mark.parametrize(
    ("tail_ms", "pause_ms", "why"),
    [
        (0, 150, "the span begins with the pause: the word may be in it (a telephone /th/ at the floor)"),
        (20, 150, "a tail shorter than MIN_FAINT_MS: the decay of the word before, into the word's own silence"),
        (100, 40, "a pause shorter than MIN_INNER_PAUSE_MS"),
        (100, 0, "no pause at all"),
    ],
)
def test_no_start_after_pause_without_sound_then_a_pause(tail_ms: int, pause_ms: int, why: str) -> None:
    samples, _ = _thank_after_a_pause(tail_ms=tail_ms, pause_ms=pause_ms)
    assert find_start_after_pause(samples, floor_db=-61.0) is None, why


def test_where_a_pause_is_expected_the_span_may_begin_with_it() -> None:
    """Seed 2's "Maria, thanks": the span begins with the pause after "Maria", which Whisper marked with a comma."""
    samples, fricative = _thank_after_a_pause(tail_ms=0, pause_ms=150)
    assert find_start_after_pause(samples, floor_db=-61.0) is None
    start = find_start_after_pause(samples, floor_db=-61.0, pause_expected=True)
    assert start is not None and abs(start - fricative) <= 10, start


def test_a_word_started_on_its_windows_lead_of_music_starts_where_it_rises_out_of_it() -> None:
    """ "[music] I'm Robert": the window opens on 350 ms of music under the pause, then "I'm"."""
    lead, word = noise(350, -40.0) + tone(350, -42.0, freq=440.0), tone(300, -18.0)
    rise = find_rise_after_lead(np.concatenate([lead, word]))
    assert rise is not None and abs(rise - 350) <= 10


@pytest.mark.parametrize(
    ("signal", "why"),
    [
        (np.concatenate([tone(300, -18.0), tone(200, -20.0, freq=300.0)]), "loud from the window's first frame"),
        (np.concatenate([noise(120, -40.0), tone(300, -18.0)]), "a lead shorter than a word's weak first sound"),
        (
            np.concatenate([noise(300, -40.0), tone(60, -31.0), noise(150, -40.0, seed=4), tone(300, -18.0)]),
            "a dip back to the lead's level between them: another sound",
        ),
        (noise(600, -40.0), "no rise at all"),
        (noise(30, -40.0), "shorter than the opening"),
    ],
)
def test_no_rise_after_lead(signal: np.ndarray, why: str) -> None:
    assert find_rise_after_lead(signal) is None, why
