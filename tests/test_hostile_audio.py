"""Hostile and odd audio (issue 6): a correct result, or one error line and nothing written.

Broken files fail before any output exists; odd but valid audio (telephone
rate, 48 kHz stereo, a video container, 10 minutes of silence before the
speech, under a second, a name with spaces and non-ASCII) is aligned like
any other. Aligned cases are checked against the fixture episode's truth,
not against a copy of our own output. Generated audio is built in tmp_path.
"""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

import numpy as np
import pytest

from conftest import AUDIO
from hostile_support import (
    CLIP_END_MS,
    CLIP_START_MS,
    CLIP_TRANSCRIPT,
    EPISODE_MD,
    RATE,
    assert_one_line_error,
    clip_samples,
    clip_truth,
    encode,
    file_hash,
    read_outputs,
    run,
    tones,
    tree,
    write_wav,
)

PREVIOUS = {"srt": "1\n00:00:00,000 --> 00:00:01,000\nold\n", "vtt": "WEBVTT\n\nold\n", "json": "{}\n"}


def _previous_outputs(out: Path, stem: str) -> dict[str, str]:
    """Outputs of an earlier run, which a failing run must leave exactly as they are."""
    out.mkdir(parents=True, exist_ok=True)
    for ext, text in PREVIOUS.items():
        (out / f"{stem}.{ext}").write_text(text, encoding="utf-8")
    return tree(out)


def _clip_transcript(tmp_path: Path) -> Path:
    path = tmp_path / "clip.md"
    path.write_text(CLIP_TRANSCRIPT, encoding="utf-8")
    return path


def _assert_clip_aligned(data: dict, truth: dict, offset_ms: int = 0) -> None:
    """Every spoken word matched, word starts within Whisper tiny's usual error of the truth."""
    words = [w for w in data["words"] if w["kind"] == "word"]
    assert [w["status"] for w in words].count("matched") >= len(words) - 1, data["summary"]
    expected = clip_truth(truth)
    ours = [w for w in words if w["status"] == "matched"]
    errors = []
    for word, start_ms in expected:
        candidates = [w for w in ours if w["heard"] and w["heard"].strip(".,").lower() == word.lower()]
        if candidates:
            errors.append(min(abs(w["start"] * 1000 - (start_ms + offset_ms)) for w in candidates))
    assert len(errors) >= len(expected) - 2
    assert statistics.median(errors) <= 250, errors


# --- broken files: one line, nothing written, earlier outputs kept ------------------------------------


BROKEN = {
    "0 bytes": (lambda tmp: AUDIO / "empty.mp3", "empty"),
    "a text file named .mp3": (lambda tmp: AUDIO / "not_audio.mp3", "not_audio.mp3"),
    "a truncated m4a (index missing)": (lambda tmp: AUDIO / "truncated.m4a", "truncated.m4a"),
    "zero-length WAV": (lambda tmp: AUDIO / "zero_length.wav", "zero_length.wav"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_audio_is_one_line_and_keeps_earlier_outputs(case, tmp_path):
    make, fragment = BROKEN[case]
    audio = make(tmp_path)
    out = tmp_path / "out"
    before = _previous_outputs(out, audio.stem)
    audio_hash = file_hash(audio)
    result = run("align", audio, EPISODE_MD, "-o", out, "--cache-dir", tmp_path / "cache")
    assert_one_line_error(result, fragment)
    assert tree(out) == before
    assert file_hash(audio) == audio_hash


# --- odd audio that must align ------------------------------------------------------------------------

@pytest.mark.model
def test_truncated_mp3_aligns_the_half_that_is_there(tmp_path, truth, cache_dir):
    whole = encode(tmp_path / "whole.mp3", clip_samples(), rate=44100, layout="mono", codec="mp3").read_bytes()
    audio = tmp_path / "half.mp3"
    audio.write_bytes(whole[: len(whole) // 2])  # a download cut off half way
    out = tmp_path / "out"
    result = run("align", audio, _clip_transcript(tmp_path), "-o", out, "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "half")
    duration_ms = doc["audio"]["duration"] * 1000
    assert 3000 < duration_ms < 4500
    words = [w for w in doc["words"] if w["kind"] == "word"]
    spoken = [(w["word"], w["start_ms"] - CLIP_START_MS, w["end_ms"] - CLIP_START_MS) for w in truth["spoken_words"]
              if CLIP_START_MS <= w["start_ms"] < CLIP_END_MS and w["transcript_index"] is not None]
    assert [s[0] for s in spoken] == [w["text"].strip(".,") for w in words]
    before = [w for w, (_, _, end) in zip(words, spoken) if end < duration_ms - 300]
    after = [w for w, (_, start, _) in zip(words, spoken) if start > duration_ms + 300]
    assert len(before) >= 6 and len(after) >= 8
    assert all(w["status"] == "matched" for w in before), before
    # What was cut off is reported, not timed somewhere it was never said.
    assert all(w["status"] == "not_in_audio" and w["start"] is None for w in after), after


@pytest.mark.model
def test_pure_silence_is_refused_unless_forced(tmp_path, cache_dir):
    audio = AUDIO / "silence.wav"
    transcript = _clip_transcript(tmp_path)
    out = tmp_path / "out"
    result = run("align", audio, transcript, "-o", out, "--cache-dir", cache_dir)
    assert_one_line_error(result, "silence.wav", "no speech")
    assert tree(out) == {}
    forced = run("align", audio, transcript, "-o", out, "--cache-dir", cache_dir, "--force")
    assert forced.exit_code == 0, forced.stderr
    doc = read_outputs(out, "silence")
    assert {w["status"] for w in doc["words"]} == {"not_in_audio"}
    assert doc["cues"] == []


@pytest.mark.model
def test_pure_music_is_refused_unless_forced(tmp_path, cache_dir):
    audio = write_wav(tmp_path / "music.wav", tones(8.0))
    transcript = _clip_transcript(tmp_path)
    out = tmp_path / "out"
    result = run("align", audio, transcript, "-o", out, "--cache-dir", cache_dir)
    # Whisper may hear nothing or hallucinate a word or two: either way not this transcript.
    line = assert_one_line_error(result, "--force")
    assert "music.wav" in line
    assert tree(out) == {}
    forced = run("align", audio, transcript, "-o", out, "--cache-dir", cache_dir, "--force")
    assert forced.exit_code == 0, forced.stderr
    doc = read_outputs(out, "music")
    assert doc["summary"]["matched"] <= 2


@pytest.mark.model
def test_under_one_second(tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("align", AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "hello")
    assert doc["audio"]["duration"] < 1.0
    assert [(w["text"], w["status"]) for w in doc["words"]] == [("Hello", "matched"), ("there.", "matched")]
    assert len(doc["cues"]) == 1


@pytest.mark.model
def test_ten_minutes_of_silence_before_the_speech(tmp_path, truth, cache_dir):
    lead_ms = 10 * 60 * 1000
    samples = np.concatenate([np.zeros(lead_ms * RATE // 1000, dtype=np.float32), clip_samples()])
    audio = write_wav(tmp_path / "late start.wav", samples)
    out = tmp_path / "out"
    result = run("align", audio, _clip_transcript(tmp_path), "-o", out, "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "late start")
    _assert_clip_aligned(doc, truth, offset_ms=lead_ms)
    assert doc["cues"][0]["start"] >= lead_ms / 1000


ODD_CONTAINERS = {
    "8 kHz telephone (mu-law WAV)": ("phone.wav", dict(rate=8000, layout="mono", codec="pcm_mulaw")),
    "48 kHz stereo FLAC": ("studio.flac", dict(rate=48000, layout="stereo", codec="flac")),
    "video with an audio track (MPEG-4 + AAC in MP4)": ("interview.mp4", dict(rate=44100, layout="stereo", codec="aac", video=True)),
}


@pytest.mark.model
@pytest.mark.parametrize("case", sorted(ODD_CONTAINERS))
def test_odd_rates_channels_and_containers_align(case, tmp_path, truth, cache_dir):
    name, options = ODD_CONTAINERS[case]
    audio = encode(tmp_path / name, clip_samples(), **options)
    out = tmp_path / "out"
    result = run("align", audio, _clip_transcript(tmp_path), "-o", out, "--cache-dir", cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, Path(name).stem)
    assert abs(doc["audio"]["duration"] * 1000 - (CLIP_END_MS - CLIP_START_MS)) <= 100
    _assert_clip_aligned(doc, truth)


@pytest.mark.model
def test_names_with_spaces_and_non_ascii(tmp_path, cache_dir):
    folder = tmp_path / "Sendungen 2024 — été"
    folder.mkdir()
    audio = folder / "Épisode 12 – café ☕ (final).wav"
    shutil.copy(AUDIO / "hello.wav", audio)
    transcript = folder / "transcrição 12 ✓.md"
    transcript.write_text("### Zoë Ñúñez\n\nHello there.\n", encoding="utf-8")
    out = folder / "sortie été"
    hashes = {audio: file_hash(audio), transcript: file_hash(transcript)}
    result = run("align", audio, transcript, "-o", out, "--cache-dir", cache_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    stem = "Épisode 12 – café ☕ (final)"
    doc = read_outputs(out, stem)
    assert doc["audio"]["path"].endswith(audio.name)
    assert doc["speakers"] == ["Zoë Ñúñez"]
    assert {p.name for p in out.iterdir()} >= {f"{stem}.srt", f"{stem}.vtt", f"{stem}.json"}
    assert str(out / f"{stem}.srt") in result.stdout
    assert all(file_hash(path) == digest for path, digest in hashes.items())
