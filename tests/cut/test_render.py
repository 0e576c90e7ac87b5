"""The edited audio: exact length, the source's rate and channels, joins without a step (real PyAV encoders)."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from aligner.cut.plan import Cut
from aligner.cut.render import output_format, render_edited

RATE = 44_100


def stereo_tone(path: Path, seconds: float, *, hz: tuple[float, float] = (220, 331)) -> np.ndarray:
    """Two channels of different tones with a little room noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.default_rng(1)
    left = 0.3 * np.sin(2 * np.pi * hz[0] * t) + 0.001 * rng.standard_normal(len(t))
    right = 0.3 * np.sin(2 * np.pi * hz[1] * t) + 0.001 * rng.standard_normal(len(t))
    samples = np.stack([left, right])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((samples.T * 32767).astype("<i2").tobytes())
    return samples


def decode(path: Path) -> tuple[np.ndarray, int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate, channels = stream.rate, len(stream.layout.channels)
        resampler = av.AudioResampler(format="fltp", layout=stream.layout.name, rate=rate)
        frames = []
        for frame in container.decode(stream):
            frame.pts = None
            frames.extend(out.to_ndarray() for out in resampler.resample(frame))
        frames.extend(out.to_ndarray() for out in resampler.resample(None))
    return np.concatenate(frames, axis=1).astype(np.float64), rate, channels


CUTS = [Cut(1005, 1515, "filler", "um"), Cut(2003, 2911, "passage", "a cut sentence")]  # 1st: peak to trough at 50 Hz


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3", "ogg"])
def test_the_edited_audio_is_the_source_less_the_cuts(tmp_path, fmt) -> None:
    source = tmp_path / "source.wav"
    stereo_tone(source, 4.0)
    target = tmp_path / f"edited.{fmt}"
    rendered = render_edited(source, target, CUTS, fmt)
    removed = sum(c.end_ms - c.start_ms for c in CUTS)
    assert abs(rendered.duration_ms - (4000 - removed)) <= 1
    assert (rendered.sample_rate, rendered.channels) == (RATE, 2)
    samples, rate, channels = decode(target)
    assert channels == 2
    expected_rate = 48_000 if fmt == "ogg" else RATE  # Opus runs at 48 kHz
    assert rate == expected_rate
    assert abs(samples.shape[1] / rate * 1000 - (4000 - removed)) <= 20


def test_joins_have_no_step_larger_than_the_signals_own(tmp_path) -> None:
    """A slow tone cut out of phase: a hard splice steps, the crossfade does not."""
    source = tmp_path / "source.wav"
    original = stereo_tone(source, 4.0, hz=(50, 50))
    target = tmp_path / "edited.wav"
    render_edited(source, target, CUTS, "wav")
    samples, _, _ = decode(target)
    steps = np.abs(np.diff(samples[0]))
    ceiling = np.percentile(np.abs(np.diff(original[0])), 99.9)
    joins = [1005 * RATE // 1000, (1005 + 2003 - 1515) * RATE // 1000]
    for join in joins:
        assert steps[join - 3 : join + 3].max() <= 1.5 * ceiling, join
    hard = np.concatenate([original[0][: joins[0]], original[0][1515 * RATE // 1000 :]])  # +0.3 to -0.3
    assert np.abs(np.diff(hard))[joins[0] - 2 : joins[0] + 2].max() > 3 * ceiling


def test_no_cuts_gives_the_same_samples(tmp_path) -> None:
    source = tmp_path / "source.wav"
    original = stereo_tone(source, 1.0)
    render_edited(source, tmp_path / "same.wav", [], "wav")
    samples, _, _ = decode(tmp_path / "same.wav")
    assert samples.shape == original.shape
    assert np.abs(samples - np.round(original * 32767) / 32768).max() < 2e-4


def test_the_output_format_follows_the_source() -> None:
    assert output_format(Path("a.mp3"), None) == "mp3"
    assert output_format(Path("a.MP4"), None) == "m4a"  # a video: its audio
    assert output_format(Path("a.ogg"), None) == "ogg"
    assert output_format(Path("a.mp3"), "flac") == "flac"
