"""Decoding through PyAV: every container to 16 kHz mono, bad files to one clear error."""

from __future__ import annotations

import json

import numpy as np
import pytest
from support.paths import AUDIO

from aligner.audio import audio_signature, load_audio
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


# --- signatures: what a file's first bytes say it is (for aligner.swapped) --------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("hello.wav", "WAV"),
        ("hello.mp3", "MP3"),
        ("hello.m4a", "MP4/M4A"),
        ("hello.ogg", "Ogg"),
        ("hello.flac", "FLAC"),
        ("truncated.m4a", "MP4/M4A"),  # a signature, not a decodable file
    ],
)
def test_the_signature_of_each_fixture_container(name: str, kind: str) -> None:
    assert audio_signature((AUDIO / name).read_bytes()[:64]) == kind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xfb\x90\x64" + bytes(60), "MP3"),  # an MPEG-1 layer III frame, no ID3 tag
        (b"\xff\xf3\x48\xc4" + bytes(60), "MP3"),  # MPEG-2 layer III
        (b"\xff\xf1\x50\x80" + bytes(60), "AAC"),  # ADTS
        (b"\x1a\x45\xdf\xa3" + bytes(60), "Matroska/WebM"),
        (b"FORM\x00\x00\x10\x00AIFF" + bytes(52), "AIFF"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c" + bytes(48), "WMA"),
        (b"\x00\x00\x00\x20ftypM4A " + bytes(52), "MP4/M4A"),
    ],
    ids=["mp3 frame", "mpeg-2 frame", "adts", "ebml", "aiff", "asf", "ftyp"],
)
def test_signatures_without_a_fixture(head: bytes, kind: str) -> None:
    assert audio_signature(head) == kind


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"# Brain Talk\n\nJane: Hello.",
        "Hello there.".encode("utf-16"),  # FF FE: UTF-16's mark, not an MPEG layer I frame
        b"\xfe\xff\x00H\x00i",
        b"\xff\xfb\xf0\x64",  # frame sync but a bad bit rate index
        b"PK\x03\x04" + bytes(60),  # a .docx
        b"RIFF\x24\x00\x00\x00AVI ",  # RIFF, not WAVE
        (AUDIO / "not_audio.mp3").read_bytes()[:64],  # text named .mp3
    ],
    ids=["empty", "markdown", "utf-16 le", "utf-16 be", "bad frame", "docx", "avi", "text named mp3"],
)
def test_text_and_other_files_have_no_audio_signature(head: bytes) -> None:
    assert audio_signature(head) is None
