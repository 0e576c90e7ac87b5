"""A line of the fixture episode made quiet and far from the microphone, as the benchmark's remote guest is."""

from __future__ import annotations

import numpy as np


def quiet_in_a_room(samples: np.ndarray, lo_ms: int, hi_ms: int, quiet_db: float) -> np.ndarray:
    """``samples`` with ``lo_ms``-``hi_ms`` ``quiet_db`` down in a synthetic room (RT60 0.43 s,
    direct-to-reverberant 0.4 dB, as the benchmark's quiet remote guest), the rest as it was."""
    from scipy.signal import fftconvolve, lfilter

    rng = np.random.default_rng(0)
    t = np.arange(int(0.65 * 16_000)) / 16_000
    ir = lfilter([0.35], [1, -0.65], rng.standard_normal(len(t)) * 10 ** (-3 * t / 0.43))
    ir[:48] = 0.0
    ir *= np.sqrt(10 ** (-0.4 / 10) / np.sum(ir**2))
    ir[0] = 1.0
    out = samples.copy()
    a, b = lo_ms * 16, hi_ms * 16
    out[a:b] = fftconvolve(samples[a:b], ir)[: b - a] * 10 ** (-quiet_db / 20)
    return out
