"""Helpers for the bad-input, interruption and concurrency tests (tests/system/).

Every hostile case ends one of two ways: a correct result, or exit status 1
with one ``Error:`` line naming the problem. In both, no output file is ever
partial, files that were there before are either kept byte for byte (on
error) or replaced whole, and the inputs are never modified. These helpers
check exactly that, from the outside: hashes of folders before and after,
and independent parsers (srt, webvtt-py, the JSON schema) reading the files
back.
"""

from __future__ import annotations

import hashlib
import json
import os
import wave
from fractions import Fraction
from pathlib import Path

import av
import jsonschema
import numpy as np
import srt
import webvtt
from click.testing import CliRunner

from aligner.cli import cli
from aligner.types import SAMPLE_RATE
from aligner.writers.json import load_schema
from support.paths import EPISODE_MP3

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()

RATE = SAMPLE_RATE
DRIVER = Path(__file__).resolve().parent / "hostile_driver.py"
"""Run as a script: ``python DRIVER [driver options] -- ALIGNER ARGS...`` (see its docstring)."""

# Utterances 6 and 7 of the fixture episode (truth.json): Sam Carter, 23.09-29.99 s.
CLIP_START_MS = 22800
CLIP_END_MS = 30150
CLIP_TRANSCRIPT = (
    "### Sam Carter\n\n"
    "That's the question I hear most. I think the brain is very good at learning from a few examples.\n"
)


def run(*args: object, catch_exceptions: bool = True):
    """The ``aligner`` command in-process; stderr kept apart."""
    return RUNNER.invoke(cli, [str(a) for a in args], catch_exceptions=catch_exceptions)


def assert_one_line_error(result, *fragments: str) -> str:
    """Exit 1, exactly one ``Error:`` line on stderr holding every fragment, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) -> its sha256; {} if there is no folder."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): file_hash(p) for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()
    }


def temp_files(folder: Path) -> list[str]:
    """Temporary files the writers or the cache leave if a clean-up was skipped."""
    return sorted(p.name for p in Path(folder).rglob("*") if p.name.endswith(".tmp"))


def read_outputs(out_dir: Path, stem: str) -> dict:
    """Read SRT, VTT and JSON back with independent parsers; check they agree and keep the rules.

    Returns the JSON document.
    """
    data = json.loads((out_dir / f"{stem}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    duration = data["audio"]["duration"]
    cues = data["cues"]
    parsed_srt = list(srt.parse((out_dir / f"{stem}.srt").read_text(encoding="utf-8")))
    parsed_vtt = webvtt.read(str(out_dir / f"{stem}.vtt")).captions
    assert len(parsed_srt) == len(parsed_vtt) == len(cues)
    previous_end = 0.0
    for cue, s in zip(cues, parsed_srt):
        assert 0 <= cue["start"] < cue["end"] <= duration + 1e-9, cue
        assert cue["start"] >= previous_end - 1e-9, "cues overlap"
        previous_end = cue["end"]
        assert round(s.start.total_seconds(), 3) == cue["start"]
        assert round(s.end.total_seconds(), 3) == cue["end"]
    for word in data["words"]:
        if word["start"] is not None:
            assert 0 <= word["start"] <= word["end"] <= duration + 1e-9, word
    assert not temp_files(out_dir)
    return data


def episode_samples() -> np.ndarray:
    """The fixture episode as float32 mono 16 kHz samples (PyAV, as the aligner decodes)."""
    from aligner.audio import load_audio

    return load_audio(EPISODE_MP3).samples


def clip_samples() -> np.ndarray:
    samples = episode_samples()
    return samples[CLIP_START_MS * RATE // 1000 : CLIP_END_MS * RATE // 1000]


def clip_truth(truth: dict) -> list[tuple[str, int]]:
    """(word, start ms within the clip) for the clip's spoken words, fillers and repeats aside."""
    return [
        (w["word"], w["start_ms"] - CLIP_START_MS)
        for w in truth["spoken_words"]
        if CLIP_START_MS <= w["start_ms"] < CLIP_END_MS and w["transcript_index"] is not None
    ]


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """16-bit PCM WAV, mono, or stereo when ``samples`` is (n, 2)."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1 if pcm.ndim == 1 else pcm.shape[1])
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())
    return path


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Linear-interpolation resampling from 16 kHz (good enough for speech tests)."""
    n = int(len(samples) * rate / RATE)
    return np.interp(np.arange(n) * RATE / rate, np.arange(len(samples)), samples).astype(np.float32)


def encode(path: Path, samples: np.ndarray, *, rate: int, layout: str, codec: str, video: bool = False) -> Path:
    """Encode 16 kHz mono ``samples`` at ``rate`` with PyAV (no system ffmpeg).

    Audio only, or audio plus a small moving-picture stream (``video``); a
    stereo layout carries the same signal on both channels.
    """
    channels = 2 if layout == "stereo" else 1
    pcm = (np.clip(resample(samples, rate), -1, 1) * 32767).astype(np.int16)
    interleaved = np.repeat(pcm, channels) if channels == 2 else pcm
    with av.open(str(path), mode="w") as container:
        vstream = None
        if video:
            vstream = container.add_stream("mpeg4", rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        astream = container.add_stream(codec, rate=rate)
        astream.layout = layout
        frame_size = 1024
        seconds = len(pcm) / rate
        if vstream is not None:
            for i in range(int(seconds * 10) + 1):
                image = np.full((48, 64, 3), (i * 7) % 255, dtype=np.uint8)
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = i
                frame.time_base = Fraction(1, 10)
                for packet in vstream.encode(frame):
                    container.mux(packet)
        resampler = av.AudioResampler(format=astream.codec_context.format or "fltp", layout=layout, rate=rate)
        for start in range(0, len(pcm), frame_size):
            chunk = interleaved[start * channels : (start + frame_size) * channels]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout=layout)
            frame.sample_rate = rate
            frame.pts = start
            for converted in resampler.resample(frame):
                for packet in astream.encode(converted):
                    container.mux(packet)
        for converted in resampler.resample(None):
            for packet in astream.encode(converted):
                container.mux(packet)
        for packet in astream.encode(None):
            container.mux(packet)
        if vstream is not None:
            for packet in vstream.encode(None):
                container.mux(packet)
    return path


def tones(seconds: float) -> np.ndarray:
    """Music without words: a chord sequence with a beat, numpy only."""
    t = np.arange(int(seconds * RATE)) / RATE
    chords = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6), (196.0, 246.9, 329.6)]
    out = np.zeros_like(t)
    for k, chord in enumerate(chords * int(seconds // 2 + 1)):
        part = (t >= 2 * k * 0.5) & (t < (2 * k + 2) * 0.5)
        for f in chord:
            out[part] += np.sin(2 * np.pi * f * t[part])
    beat = 0.5 * np.exp(-30 * (t % 0.5)) * np.sin(2 * np.pi * 60 * t)
    return (0.15 * out + beat).astype(np.float32) * 0.8


def word_statuses(data: dict) -> list[tuple[str, str]]:
    return [(w["text"], w["status"]) for w in data["words"]]


def env_for_subprocess(tmp_path: Path) -> dict[str, str]:
    """Environment for ``python -m aligner`` children: never the user's cache."""
    env = dict(os.environ)
    env["ALIGNER_CACHE_DIR"] = str(tmp_path / "default-cache")
    env.pop("PYTHONWARNINGS", None)
    return env
