"""Signal processing for the condition episodes: a telephone line, a room, a producer's music bed, laughter.

Nothing here moves a word in time: the filters are zero-phase (``sosfiltfilt``; ``resample_poly``'s FIR is
symmetric and centred) and the room's impulse response has its direct path at lag 0, so a clip's truth times
hold after processing (verify.py measures the lag of every processed clip against its dry version). Every
random draw comes from a ``numpy.random.Generator`` seeded by the episode, so the bytes repeat.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

SAMPLE_RATE_HZ = 16_000
SPEECH_RMS_DBFS = -20.0  # the level make_episode.cut_speech gives every sentence (before a speaker's gain)


def db(x: float) -> float:
    """Gain factor of ``x`` decibels."""
    return float(10 ** (x / 20))


def rms_dbfs(x: np.ndarray) -> float:
    """RMS level of int16-scaled samples, in dBFS."""
    x = np.asarray(x, dtype=np.float64) / 32768.0
    return float(20 * np.log10(max(np.sqrt(np.mean(x**2)) if len(x) else 0.0, 1e-9)))


# --- telephone --------------------------------------------------------------------------------------------

TELEPHONE_BAND_HZ = (300.0, 3400.0)


def _mu_law(x: np.ndarray) -> np.ndarray:
    """G.711 mu-law at 8 bits: compress, quantize to 256 levels, expand (x in -1..1)."""
    mu = 255.0
    compressed = np.sign(x) * np.log1p(mu * np.abs(np.clip(x, -1, 1))) / np.log1p(mu)
    quantized = np.round(compressed * 127.0) / 127.0
    return np.sign(quantized) * ((1 + mu) ** np.abs(quantized) - 1) / mu


def telephone(x: np.ndarray) -> np.ndarray:
    """A call-in line: 300-3400 Hz band-pass, down to 8 kHz, G.711 mu-law, back up to 16 kHz.

    ``x`` is int16-scaled float at 16 kHz; the result has the same length and scale, and no delay.
    """
    sos = signal.butter(4, TELEPHONE_BAND_HZ, btype="bandpass", fs=SAMPLE_RATE_HZ, output="sos")
    band = signal.sosfiltfilt(sos, np.asarray(x, dtype=np.float64))
    narrow = signal.resample_poly(band, 1, 2)  # 8 kHz
    coded = _mu_law(narrow / 32768.0) * 32768.0
    wide = signal.resample_poly(coded, 2, 1)[: len(x)]
    return np.pad(wide, (0, len(x) - len(wide)))


def line_noise(n: int, level_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """The hiss of an open telephone line: noise in the telephone band at ``level_dbfs``."""
    sos = signal.butter(4, TELEPHONE_BAND_HZ, btype="bandpass", fs=SAMPLE_RATE_HZ, output="sos")
    noise = signal.sosfiltfilt(sos, rng.standard_normal(n))
    return noise * (db(level_dbfs) * 32768 / np.sqrt(np.mean(noise**2)))


def same_level(effect):
    """``effect`` followed by a gain that gives the processed clip the dry clip's RMS, as a producer sets a
    caller's or a guest's level on the mixer (the band-pass alone takes 4-5 dB off a voice)."""

    def leveled(x: np.ndarray) -> np.ndarray:
        y = effect(x)
        return y * np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2) / max(np.mean(y[: len(x)] ** 2), 1e-12))

    return leveled


# --- a room ------------------------------------------------------------------------------------------------


def room_impulse_response(rt60_s: float, direct_to_reverberant_db: float, rng: np.random.Generator) -> np.ndarray:
    """A synthetic room: the direct path (1.0 at lag 0), then exponentially decaying noise from 3 ms on,
    falling 60 dB in ``rt60_s`` and a little darker with time (air and walls absorb the highs), scaled so
    that the direct path is ``direct_to_reverberant_db`` louder than the tail."""
    n = int(1.5 * rt60_s * SAMPLE_RATE_HZ)
    t = np.arange(n) / SAMPLE_RATE_HZ
    tail = rng.standard_normal(n) * 10 ** (-3 * t / rt60_s)
    tail = signal.lfilter([0.35], [1, -0.65], tail)  # one-pole low-pass
    tail[: int(0.003 * SAMPLE_RATE_HZ)] = 0.0
    tail *= np.sqrt(10 ** (-direct_to_reverberant_db / 10) / np.sum(tail**2))
    ir = tail
    ir[0] = 1.0
    return ir


def reverberate(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """``x`` in the room: convolved with ``ir``, its tail kept (the result is len(ir) - 1 samples longer)."""
    return signal.fftconvolve(np.asarray(x, dtype=np.float64), ir)


# --- music --------------------------------------------------------------------------------------------------


def _hz(midi: int) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _tone(freq: float, n: int, harmonics: tuple[float, ...] = (1.0, 0.3, 0.1)) -> np.ndarray:
    t = np.arange(n) / SAMPLE_RATE_HZ
    return sum(a * np.sin(2 * np.pi * freq * (k + 1) * t) for k, a in enumerate(harmonics))


def _envelope(n: int, attack: int, release: int, decay_s: float | None = None) -> np.ndarray:
    env = np.ones(n)
    attack, release = min(attack, n), min(release, n)
    env[:attack] = np.linspace(0, 1, attack)
    if release:
        env[n - release :] *= np.linspace(1, 0, release)
    if decay_s is not None:
        env *= np.exp(-np.arange(n) / (decay_s * SAMPLE_RATE_HZ))
    return env


PROGRESSIONS = (  # chord roots and qualities (MIDI notes of the triad above the root), a bar each
    ((60, (0, 4, 7)), (67, (0, 4, 7)), (69, (0, 3, 7)), (65, (0, 4, 7))),  # C G Am F
    ((57, (0, 3, 7)), (65, (0, 4, 7)), (60, (0, 4, 7)), (67, (0, 4, 7))),  # Am F C G
    ((62, (0, 3, 7)), (67, (0, 4, 7)), (60, (0, 4, 7)), (57, (0, 3, 7))),  # Dm G C Am
)


def producer_bed(duration_ms: int, level_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """A music bed as a producer lays one under speech: a four-chord loop at 88-104 bpm with pads, a
    plucked bass on every beat, an arpeggio in eighth notes and a soft hi-hat on the off-beats; faded in
    over 0.4 s and out over 2 s, at ``level_dbfs`` RMS (int16-scaled float)."""
    n = duration_ms * SAMPLE_RATE_HZ // 1000
    bpm = int(rng.integers(88, 105))
    beat = int(60 / bpm * SAMPLE_RATE_HZ)
    progression = PROGRESSIONS[int(rng.integers(len(PROGRESSIONS)))]
    out = np.zeros(n + 8 * beat)
    pads, bass, arps, hats = (np.zeros_like(out) for _ in range(4))
    bar = 4 * beat
    for b, start in enumerate(range(0, n, bar)):
        root, triad = progression[b % len(progression)]
        length = bar + beat // 2
        for step in triad:
            pads[start : start + length] += _tone(_hz(root + step - 12), length) * _envelope(
                length, beat // 2, beat // 2
            )
        for k in range(4):
            at = start + k * beat
            note = _tone(_hz(root - 24), beat, (1.0, 0.5, 0.25)) * _envelope(beat, 80, 400, decay_s=0.18)
            bass[at : at + beat] += note
        pattern = [triad[i % 3] + 12 * (i // 3) for i in (0, 1, 2, 3, 2, 1, 0, 1)]
        for k, step in enumerate(pattern):
            at = start + k * beat // 2
            m = beat // 2
            arps[at : at + m] += _tone(_hz(root + step), m, (1.0, 0.2)) * _envelope(m, 40, 200, decay_s=0.09)
        for k in range(4):
            at = start + k * beat + beat // 2
            m = int(0.03 * SAMPLE_RATE_HZ)
            hats[at : at + m] += rng.standard_normal(m) * _envelope(m, 8, 8, decay_s=0.008)
    hats = signal.sosfiltfilt(signal.butter(2, 6000, btype="highpass", fs=SAMPLE_RATE_HZ, output="sos"), hats)
    mix = pads / 3 + 0.5 * bass + 0.3 * arps + 0.12 * hats * np.sqrt(np.mean(pads**2) / max(np.mean(hats**2), 1e-12))
    mix = mix[:n] * _envelope(n, int(0.4 * SAMPLE_RATE_HZ), 2 * SAMPLE_RATE_HZ)
    return mix * (db(level_dbfs) * 32768 / np.sqrt(np.mean(mix**2)))


# --- laughter -----------------------------------------------------------------------------------------------


def _resonator(x: np.ndarray, freq: float, bandwidth: float) -> np.ndarray:
    r = np.exp(-np.pi * bandwidth / SAMPLE_RATE_HZ)
    theta = 2 * np.pi * freq / SAMPLE_RATE_HZ
    return signal.lfilter([1 - r], [1, -2 * r * np.cos(theta), r * r], x)


def laughter(rng: np.random.Generator, level_dbfs: float) -> np.ndarray:
    """A laugh: 4-7 "ha" pulses, each a breathy /h/ into a voiced /a/ (a glottal pulse train at a falling
    250-330 Hz through formant resonators at 800, 1250 and 2600 Hz), 60-110 ms apart, fading; at
    ``level_dbfs`` RMS over its voiced part (int16-scaled float)."""
    pulses = int(rng.integers(4, 8))
    f0 = float(rng.uniform(250, 330))
    parts = []
    for k in range(pulses):
        voiced_n = int(rng.uniform(0.11, 0.17) * SAMPLE_RATE_HZ)
        breath_n = int(rng.uniform(0.03, 0.05) * SAMPLE_RATE_HZ)
        gap_n = int(rng.uniform(0.06, 0.11) * SAMPLE_RATE_HZ)
        freq = f0 * (1 - 0.04 * k) * (1 + 0.02 * rng.standard_normal())
        t = np.arange(voiced_n) / SAMPLE_RATE_HZ
        phase = (freq * t) % 1.0
        source = (phase - 0.5) * 2 + 0.15 * rng.standard_normal(voiced_n)  # sawtooth plus breath
        vowel = sum(_resonator(source, f, bw) * a for f, bw, a in ((800, 90, 1.0), (1250, 110, 0.6), (2600, 160, 0.3)))
        vowel *= _envelope(voiced_n, int(0.015 * SAMPLE_RATE_HZ), int(0.05 * SAMPLE_RATE_HZ))
        breath = _resonator(rng.standard_normal(breath_n), 1500, 1500)
        breath *= _envelope(breath_n, int(0.01 * SAMPLE_RATE_HZ), int(0.01 * SAMPLE_RATE_HZ))
        breath *= 0.3 * np.std(vowel) / max(np.std(breath), 1e-12)  # the /h/ about 10 dB under the vowel
        gain = 0.85**k
        parts += [breath * gain, vowel * gain, np.zeros(gap_n)]
    x = np.concatenate(parts)
    voiced = x[np.abs(x) > 0.05 * np.max(np.abs(x))]
    return x * (db(level_dbfs) * 32768 / np.sqrt(np.mean(voiced**2)))
