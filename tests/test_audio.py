"""Decoding through PyAV: every container to 16 kHz mono, bad files to one clear error."""

from __future__ import annotations

import json

import numpy as np
import pytest
from support.paths import AUDIO

from aligner.audio import load_audio
from aligner.errors import AudioError
from aligner.types import SAMPLE_RATE

MANIFEST = json.loads((AUDIO / "manifest.json").read_text(encoding="utf-8"))["files"]
GOOD = sorted(name for name, info in MANIFEST.items() if info["expect"] == "decodes" and name != "silence.wav")
BAD = sorted(name for name, info in MANIFEST.items() if info["expect"] != "decodes" and name != "silence.wav")


def test_manifest_covers_every_container():
    assert {name.rsplit(".", 1)[1] for name in GOOD} >= {"wav", "mp3", "m4a", "ogg", "flac"}


@pytest.mark.parametrize("name", GOOD)
def test_each_container_decodes_to_16k_mono(name):
    audio = load_audio(AUDIO / name)
    expected = MANIFEST[name]["duration_ms"]
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    # Lossy encoders add priming/padding: allow a few frames.
    assert abs(audio.duration_ms - expected) <= 80, (audio.duration_ms, expected)
    assert 0.05 < float(np.abs(audio.samples).max()) <= 1.0
    assert len(audio.sha256) == 64


def test_same_file_same_hash_different_file_different_hash():
    assert load_audio(AUDIO / "hello.wav").sha256 == load_audio(AUDIO / "hello.wav").sha256
    assert load_audio(AUDIO / "hello.wav").sha256 != load_audio(AUDIO / "hello.flac").sha256


@pytest.mark.parametrize("name", BAD)
def test_bad_files_raise_audio_error_naming_the_file(name):
    with pytest.raises(AudioError) as caught:
        load_audio(AUDIO / name)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        load_audio(tmp_path / "missing.mp3")
    with pytest.raises(AudioError, match="directory"):
        load_audio(tmp_path)


def test_silence_decodes_as_silence():
    audio = load_audio(AUDIO / "silence.wav")
    assert audio.duration_ms == 2000
    assert float(np.abs(audio.samples).max()) == 0.0
