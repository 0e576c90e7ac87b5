"""Bad and odd inputs from the outside: a correct result, or one error line and nothing written.

Audio: broken files fail before any output exists; odd but valid audio
(telephone rate, 48 kHz stereo, a video container, 10 minutes of silence
before the speech, under a second, a name with spaces and non-ASCII) is
aligned like any other. Options and output locations: impossible caption
limits, an output folder that is a file or cannot be written, an unknown
model give one error line and write nothing; writes never leave the output
folder and never replace an input. Transcripts: unreadable ones fail in one
line naming the file; odd encodings, odd text and a transcript that does not
fit the audio align correctly or are refused.

Aligned cases are checked against the fixture episode's truth
(fixtures/episode/truth.json), not against a copy of our own output: a word
we time must be one that is spoken then. Generated audio is built in
tmp_path. The transcript cases run the fixture episode's audio against an
edited copy of its transcript; the recognition is cached for the session
(tests/conftest.py), so each case costs an alignment, not a recognition.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from support.hostile import (
    CLIP_END_MS,
    CLIP_START_MS,
    CLIP_TRANSCRIPT,
    DRIVER,
    RATE,
    assert_one_line_error,
    clip_samples,
    clip_truth,
    encode,
    env_for_subprocess,
    file_hash,
    read_outputs,
    run,
    tones,
    tree,
    write_wav,
)
from support.paths import AUDIO, EPISODE_MD, EPISODE_MP3, TRANSCRIPTS
from truth import truth_key

from aligner.errors import OutputError
from aligner.options import OutputOptions
from aligner.writers import write_outputs

# ======================================================================================== audio

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
    spoken = [
        (w["word"], w["start_ms"] - CLIP_START_MS, w["end_ms"] - CLIP_START_MS)
        for w in truth["spoken_words"]
        if CLIP_START_MS <= w["start_ms"] < CLIP_END_MS and w["transcript_index"] is not None
    ]
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
    "video with an audio track (MPEG-4 + AAC in MP4)": (
        "interview.mp4",
        dict(rate=44100, layout="stereo", codec="aac", video=True),
    ),
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


# ======================================================================================== options and output locations


def _earlier_run(out: Path, stem: str = "hello") -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nold\n", encoding="utf-8")
    (out / f"{stem}.json").write_text("{}\n", encoding="utf-8")
    return tree(out)


IMPOSSIBLE = {
    "5 characters a line": (["--max-line-chars", "5"], "line"),
    "no lines": (["--max-lines", "0"], "lines"),
    "minimum longer than maximum": (["--min-duration", "9", "--max-duration", "2"], "exceeds"),
    "reading speed zero": (["--max-cps", "0"], "characters per second"),
}


@pytest.mark.parametrize("case", sorted(IMPOSSIBLE))
def test_impossible_caption_limits_are_one_line(case, tmp_path):
    args, fragment = IMPOSSIBLE[case]
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", *args)
    assert_one_line_error(result, fragment)
    assert tree(out) == before


def test_output_folder_that_is_a_file(tmp_path):
    out = tmp_path / "out"
    out.write_text("I am a file\n", encoding="utf-8")
    cache = tmp_path / "cache"
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--cache-dir", cache, "--force", "--no-refine")
    assert_one_line_error(result, str(out), "not a folder")
    assert out.read_text(encoding="utf-8") == "I am a file\n"
    assert not cache.exists()  # refused before recognition


def test_a_file_where_a_folder_above_the_output_folder_would_be(tmp_path):
    (tmp_path / "captions").write_text("I am a file\n", encoding="utf-8")
    out = tmp_path / "captions" / "2024" / "ep1"
    cache = tmp_path / "cache"
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--cache-dir", cache, "--force", "--no-refine")
    assert_one_line_error(
        result, f"{out}: cannot create output folder: {tmp_path / 'captions'} is a file, not a folder"
    )
    assert (tmp_path / "captions").read_text(encoding="utf-8") == "I am a file\n"
    assert not cache.exists()  # refused before recognition


@pytest.mark.model
def test_missing_parents_of_the_output_folder_are_made_only_when_writing(tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out = tmp_path / "captions" / "2024" / "ep1"
    bad = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--cache-dir", cache_dir, "--no-refine")
    assert_one_line_error(bad, "--force")  # fails after the folder check, before writing
    assert not (tmp_path / "captions").exists()  # so nothing was created
    good = run("align", AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir, "--no-refine")
    assert good.exit_code == 0, good.stderr
    assert tree(out).keys() == {"hello.json", "hello.srt", "hello.vtt"}


@pytest.mark.parametrize("model", ["no-such-model", "./missing-folder"])
def test_unknown_model_is_one_line(model, tmp_path):
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", "--model", model)
    assert_one_line_error(result, model)
    assert tree(out) == before


def test_model_folder_without_weights_is_one_line(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", "--model", folder)
    assert_one_line_error(result, "model.bin")
    assert tree(out) == before


@pytest.mark.skipif(sys.platform != "linux", reason="capabilities are Linux's")
def test_output_folder_without_write_permission_fails_before_recognition(tmp_path):
    # Run as a child that obeys permissions even as root (see support/hostile_driver.py --drop-dac).
    out = tmp_path / "locked"
    before = _earlier_run(out)
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out.chmod(0o555)
    try:
        for target in (out, out / "new sub folder"):
            child = subprocess.run(
                [
                    sys.executable,
                    str(DRIVER),
                    "--drop-dac",
                    "--",
                    "align",
                    str(AUDIO / "hello.wav"),
                    str(transcript),
                    "-o",
                    str(target),
                    "--cache-dir",
                    str(tmp_path / "cache"),
                    "--no-refine",
                ],
                capture_output=True,
                text=True,
                timeout=300,
                env=env_for_subprocess(tmp_path),
            )
            assert child.returncode == 1, child.stderr
            lines = child.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: ") and "ermission denied" in lines[0], child.stderr
            assert str(target) in lines[0]
    finally:
        out.chmod(0o755)
    assert tree(out) == before
    assert not (tmp_path / "cache").exists()  # refused before an hour of recognition, not after


# --- writes stay in the output folder and never replace an input -------------------------------------


@pytest.mark.parametrize("stem", ["../../x", "../x", "a/b", "/tmp/x", "..", ".", "", "x\0y", "..\\x"])
def test_a_stem_that_leaves_the_folder_is_refused(stem, tmp_path, episode_result):
    out = tmp_path / "a" / "b" / "out"
    out.parent.mkdir(parents=True)
    before = tree(tmp_path)
    with pytest.raises(OutputError, match="invalid output name"):
        write_outputs(episode_result, out_dir=out, stem=stem, output=OutputOptions(formats=("srt", "vtt", "json")))
    assert tree(tmp_path) == before
    assert not out.exists()


@pytest.mark.model
def test_a_link_in_the_output_folder_is_replaced_not_followed(tmp_path, cache_dir):
    outside = tmp_path / "outside.srt"
    outside.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "hello.srt").symlink_to(outside)
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    result = run("align", AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir, "--no-refine")
    assert result.exit_code == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "hello.srt").is_symlink()
    read_outputs(out, "hello")


@pytest.mark.model
@pytest.mark.parametrize("extension", ["vtt", "srt"])
def test_an_output_never_replaces_the_input_transcript(extension, tmp_path, cache_dir):
    # A caption file used as the transcript, beside its audio, with the default output folder.
    folder = tmp_path / "episode"
    folder.mkdir()
    audio = folder / "hello.wav"
    shutil.copy(AUDIO / "hello.wav", audio)
    transcript = folder / f"hello.{extension}"
    if extension == "vtt":
        transcript.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:00.700\nHello there.\n", encoding="utf-8")
    else:
        transcript.write_text("1\n00:00:00,000 --> 00:00:00,700\nHello there.\n", encoding="utf-8")
    before = tree(folder)
    result = run("align", audio, transcript, "--cache-dir", cache_dir, "--no-refine")
    assert_one_line_error(result, str(transcript), "input transcript")
    assert tree(folder) == before
    # Elsewhere it is fine.
    result = run("align", audio, transcript, "-o", tmp_path / "out", "--cache-dir", cache_dir, "--no-refine")
    assert result.exit_code == 0, result.stderr
    assert tree(folder) == before


SWAPPED_AUDIO = {
    "WAV": AUDIO / "hello.wav",
    "MP3": AUDIO / "hello.mp3",
    "MP4/M4A": AUDIO / "hello.m4a",
    "Ogg": AUDIO / "hello.ogg",
    "FLAC": AUDIO / "hello.flac",
}


@pytest.mark.parametrize("kind", sorted(SWAPPED_AUDIO))
def test_swapped_arguments_are_named_as_such(kind, tmp_path):
    audio = SWAPPED_AUDIO[kind]
    out = tmp_path / "out"
    before = _previous_outputs(out, "episode")
    result = run("align", EPISODE_MD, audio, "-o", out, "--no-cache")  # the transcript first
    assert_one_line_error(
        result,
        f"Error: {audio}: looks like audio ({kind}) and {EPISODE_MD} like a transcript: "
        "are the arguments swapped? (AUDIO first, then TRANSCRIPT)",
    )
    assert tree(out) == before


@pytest.mark.model
def test_audio_named_dot_dot_is_one_line(tmp_path, cache_dir):
    audio = tmp_path / "..wav"  # its stem is ".": there is no sensible output name
    shutil.copy(AUDIO / "hello.wav", audio)
    digest = file_hash(audio)
    result = run("align", audio, EPISODE_MD, "-o", tmp_path / "out", "--cache-dir", cache_dir, "--force", "--no-refine")
    assert_one_line_error(result, "output name")
    assert file_hash(audio) == digest
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ======================================================================================== transcripts

SOURCE = EPISODE_MD.read_text(encoding="utf-8")
MOVED = SOURCE[
    SOURCE.index("In one test,") : SOURCE.index("really* hard for machines.") + len("really* hard for machines.")
]
SHORT = "So how wide is that gap today?"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def _align(tmp_path: Path, transcript: Path, cache_dir: Path, *extra: str):
    """Align with the session's cached recognition; refinement off (it re-times recognized words,
    which the transcript does not change) to keep each case to an alignment."""
    out = tmp_path / "out"
    hashes = (file_hash(EPISODE_MP3), file_hash(transcript))
    result = run("align", EPISODE_MP3, transcript, "-o", out, "--cache-dir", cache_dir, "--no-refine", *extra)
    assert (file_hash(EPISODE_MP3), file_hash(transcript)) == hashes, "an input was modified"
    return result, out


def _spoken_starts(truth: dict) -> dict[str, list[int]]:
    starts: dict[str, list[int]] = {}
    for word in truth["spoken_words"]:
        starts.setdefault(truth_key(word["word"]), []).append(word["start_ms"])
        if word["transcript_text"]:
            starts.setdefault(truth_key(word["transcript_text"]), []).append(word["start_ms"])
    return starts


def _assert_matched_words_are_spoken_then(doc: dict, truth: dict, tolerance_ms: int = 700) -> None:
    """Every matched word has a spoken word of the same text near its start: nothing is mis-timed."""
    starts = _spoken_starts(truth)
    for word in doc["words"]:
        if word["status"] != "matched":
            continue
        near = [s for s in starts.get(truth_key(word["text"]), []) if abs(s - word["start"] * 1000) <= tolerance_ms]
        heard = [
            s for s in starts.get(truth_key(word["heard"] or ""), []) if abs(s - word["start"] * 1000) <= tolerance_ms
        ]
        assert near or heard, word


def _paragraph_words(doc: dict, first_text: str) -> list[list[dict]]:
    """The words of every paragraph that starts with ``first_text``'s first word run."""
    first = first_text.split()[:3]
    by_paragraph: dict[int, list[dict]] = {}
    for word in doc["words"]:
        if word["kind"] == "word":
            by_paragraph.setdefault(word["paragraph"], []).append(word)
    return [ws for ws in by_paragraph.values() if [w["text"] for w in ws[:3]] == first]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, cache_dir) -> dict:
    """The unedited transcript's JSON, aligned the same way as every case here."""
    tmp_path = tmp_path_factory.mktemp("baseline")
    result, out = _align(tmp_path, EPISODE_MD, cache_dir)
    assert result.exit_code == 0, result.stderr
    return read_outputs(out, "episode")


# --- unreadable transcripts: one line naming the file (and the line), earlier outputs kept -------------

UNREADABLE = {
    "empty": (b"", "holds no words"),
    "only notes and dividers": (b"[music]\n\n---\n\n[laughs]\n", "holds no words"),
    "Latin-1": ("### Kim\n\nA caf\xe9 in Z\xfcrich.\n".encode("latin-1"), "line 3"),
    "MacRoman quotes": ("### Kim\n\n\u201cHello,\u201d she said. It\u2019s late.\n".encode("mac_roman"), "line 3"),
    "UTF-16 without a byte-order mark": ("### Kim\n\nHello.\n".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    "UTF-16 mark, odd byte count": (b"\xff\xfe" + "Hello.".encode("utf-16-le") + b"\x00", "not valid UTF-16"),
    "binary": (bytes(range(256)) * 4, "episode.md"),
    "unclosed HTML comment": (b"Hello <!-- there\n\nand more.\n", "never closed"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_transcript_is_one_line_and_keeps_earlier_outputs(case, tmp_path):
    data, fragment = UNREADABLE[case]
    transcript = _write(tmp_path, "episode.md", data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "episode.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nold\n", encoding="utf-8")
    before = tree(out)
    result = run("align", EPISODE_MP3, transcript, "-o", out, "--no-cache")
    assert_one_line_error(result, str(transcript), fragment)
    assert tree(out) == before


# --- encodings and line endings: decoded when certain, same alignment as plain UTF-8 -------------------

ENCODINGS = {
    "UTF-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "UTF-16 LE with BOM": lambda text: text.encode("utf-16"),  # Python writes the native (LE) mark
    "UTF-16 BE with BOM": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "UTF-32 with BOM": lambda text: text.encode("utf-32"),
    "CRLF line endings": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "CR line endings": lambda text: text.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.model
@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_encodings_and_line_endings_align_like_utf8(case, tmp_path, baseline, cache_dir):
    transcript = _write(tmp_path, "episode.md", ENCODINGS[case](SOURCE))
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")

    def view(d: dict) -> list:
        return [(w["text"], w["status"], w["start"], w["end"]) for w in d["words"]]

    assert view(doc) == view(baseline)
    assert [c["lines"] for c in doc["cues"]] == [c["lines"] for c in baseline["cues"]]


@pytest.mark.model
def test_windows_1252_with_curly_quotes_aligns_like_utf8_with_a_warning(tmp_path, baseline, cache_dir):
    transcript = _write(tmp_path, "episode.md", SOURCE.encode("cp1252"))  # its “Brain Talk.” as 0x93 and 0x94
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Warning: {transcript}: not UTF-8; decoded as Windows-1252 (the curly quotes say so); save it as UTF-8 to be sure"
    ]
    doc = read_outputs(out, "episode")
    assert [(w["text"], w["status"], w["start"]) for w in doc["words"]] == [
        (w["text"], w["status"], w["start"]) for w in baseline["words"]
    ]


# --- structure --------------------------------------------------------------------------------------


@pytest.mark.model
def test_only_headings_is_refused_unless_forced(tmp_path, cache_dir):
    transcript = _write(tmp_path, "headings.md", "# Brain Talk\n\n## Episode 193: memory and machines\n")
    result, out = _align(tmp_path, transcript, cache_dir)
    assert_one_line_error(result, "headings.md", "--force")
    assert tree(out) == {}
    forced, out = _align(tmp_path, transcript, cache_dir, "--force")
    assert forced.exit_code == 0, forced.stderr
    doc = read_outputs(out, "episode")
    assert doc["summary"]["words"] == 7


@pytest.mark.model
def test_one_200_kb_line_without_breaks(tmp_path, truth, cache_dir):
    spoken = " ".join(line for line in SOURCE.splitlines()[10:] if line and not line.startswith(("#", "*", "-", "[")))
    rng = random.Random(6)
    vocabulary = "river stone lantern copper meadow violet harbor quiet ember willow signal canvas orbit".split()
    filler = " ".join(rng.choice(vocabulary) for _ in range(40_000))
    line = (spoken + " " + filler)[:200_000]
    assert len(line.encode("utf-8")) >= 199_000 and "\n" not in line
    transcript = _write(tmp_path, "one line.txt", line)
    forced, out = _align(tmp_path, transcript, cache_dir, "--force")  # 0.4% of it is in the audio
    assert forced.exit_code == 0, forced.stderr
    doc = read_outputs(out, "episode")
    assert doc["summary"]["matched"] >= 100
    _assert_matched_words_are_spoken_then(doc, truth)
    for cue in doc["cues"]:
        assert len(cue["lines"]) <= 2 and all(len(line) <= 42 for line in cue["lines"]), cue


@pytest.mark.model
def test_emoji_zero_width_and_right_to_left_text(tmp_path, truth, baseline, cache_dir):
    text = (
        SOURCE.replace("Hello and welcome", "Hello \U0001f44b and wel\u200bcome")
        .replace("memory and", "memory \u202b\u05e9\u05dc\u05d5\u05dd\u202c and")
        .replace("two times", "two\u200d times \U0001f436\U0001f415\u200d\U0001f9ba")
        .replace("So how wide", "So how \u200fwide")
    )
    transcript = _write(tmp_path, "episode.md", text)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")
    texts = [w["text"] for w in doc["words"]]
    for written in ("wel\u200bcome", "\U0001f44b", "\u200fwide", "\u202b\u05e9\u05dc\u05d5\u05dd\u202c"):
        assert any(written in t for t in texts), written
    welcome = next(w for w in doc["words"] if w["text"] == "wel\u200bcome")
    assert welcome["status"] == "matched"
    assert doc["summary"]["matched"] >= baseline["summary"]["matched"] - 2
    _assert_matched_words_are_spoken_then(doc, truth)
    assert "\U0001f44b" in (out / "episode.vtt").read_text(encoding="utf-8")


@pytest.mark.model
def test_script_tags_and_cue_arrows_in_the_text(tmp_path, truth, cache_dir):
    text = SOURCE.replace(SHORT, 'So how <script>alert("x")</script> wide is --> that gap today? </v> & <b>')
    transcript = _write(tmp_path, "episode.md", text)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")  # srt and webvtt-py read back as many cues as the JSON holds
    vtt = (out / "episode.vtt").read_text(encoding="utf-8")
    assert "<script" not in vtt and "alert" not in vtt
    # escaped, so players read one cue (wherever the line wraps: "Jane Miller: " now takes room on the first line)
    assert "--&gt; that gap today?" in vtt.replace("\n", " ") and " &amp;" in vtt
    assert sum("-->" in line for line in vtt.splitlines()) == len(doc["cues"])  # only timing lines
    srt_text = (out / "episode.srt").read_text(encoding="utf-8")
    assert "<script" not in srt_text
    _assert_matched_words_are_spoken_then(doc, truth)


@pytest.mark.model
def test_unbalanced_emphasis_and_brackets(tmp_path, truth, baseline, cache_dir):
    text = SOURCE.replace("a *large* question.", "a **large question. [See").replace(
        "[a recent study](http://example.org)", "[a recent study(http://example.org"
    )
    transcript = _write(tmp_path, "episode.md", text)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")
    assert doc["summary"]["matched"] >= baseline["summary"]["matched"] - 3
    _assert_matched_words_are_spoken_then(doc, truth)


# --- a transcript that does not fit the audio ------------------------------------------------------


@pytest.mark.model
def test_transcript_of_a_different_episode_is_refused_unless_forced(tmp_path, cache_dir):
    real = (TRANSCRIPTS / "real_example.md").read_text(encoding="utf-8")  # another podcast's episode
    other = _write(tmp_path, "real_example.md", real[: real.index("\n\n", 6000)])
    result, out = _align(tmp_path, other, cache_dir)
    assert_one_line_error(result, "real_example.md", "--force")
    assert tree(out) == {}
    forced, out = _align(tmp_path, other, cache_dir, "--force")
    assert forced.exit_code == 0, forced.stderr
    doc = read_outputs(out, "episode")
    assert doc["summary"]["matched"] < 0.1 * doc["summary"]["words"]


@pytest.mark.model
def test_transcript_of_the_first_half_only(tmp_path, truth, cache_dir):
    half = SOURCE[: SOURCE.index("### **Sam Carter**")]  # up to "What can the brain do that computers can't?"
    transcript = _write(tmp_path, "episode.md", half)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")
    _assert_matched_words_are_spoken_then(doc, truth)
    cut_ms = next(u["start_ms"] for u in truth["utterances"] if u["speaker"] == "Sam Carter")
    end_ms = truth["utterances"][-1]["end_ms"]
    spoken_here = {w["transcript_index"] for w in truth["spoken_words"] if w["end_ms"] < cut_ms} - {None}
    body = [w for w in doc["words"] if w["kind"] == "word" and w["speaker"]]
    assert sum(w["status"] == "matched" for w in body) >= 0.9 * len(spoken_here)
    # The half is not stretched over the rest of the audio...
    assert all(w["end"] is None or w["end"] * 1000 <= cut_ms + 500 for w in doc["words"])
    # ...which is reported as speech the transcript lacks, from the cut to the end.
    regions = doc["audio_only"]
    assert regions and abs(regions[0]["start"] * 1000 - cut_ms) <= 1000
    assert abs(regions[-1]["end"] * 1000 - end_ms) <= 1000
    assert sum(r["word_count"] for r in regions) >= 80
    assert "Speech not in the transcript" in result.stdout


@pytest.mark.model
def test_paragraph_in_a_different_place_than_spoken_is_reported_not_mistimed(tmp_path, truth, cache_dir):
    # Sam's answer (spoken at 0:41-0:55) moved before Jane's first question (0:15).
    text = SOURCE.replace(MOVED + "\n\n", "").replace(
        "**Jane Miller**\n\nSam, thanks", MOVED + "\n\n**Jane Miller**\n\nSam, thanks"
    )
    assert text.index(MOVED) < text.index("Sam, thanks")
    transcript = _write(tmp_path, "episode.md", text)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")
    _assert_matched_words_are_spoken_then(doc, truth)
    (moved,) = _paragraph_words(doc, MOVED)
    spoken = [u for u in truth["utterances"] if u["text"].startswith(("In one test", "People call"))]
    start_ms, end_ms = spoken[0]["start_ms"], spoken[-1]["end_ms"]
    for word in moved:  # untimed, or timed where it is really said: never squeezed in elsewhere
        assert word["start"] is None or start_ms - 500 <= word["start"] * 1000 <= end_ms + 500, word
    # Reported three ways: text not found, speech not in the transcript, and the pair named as moved.
    assert any("In one test, the models made 40% more mistakes" in m["text"] for m in doc["missing"])
    assert any(r["start"] * 1000 < end_ms and r["end"] * 1000 > start_ms for r in doc["audio_only"])
    assert "spoken at another point in the audio" in result.stdout
    assert "In one test, the models made 40% more mistakes" in result.stdout.split("spoken at another point")[1]


@pytest.mark.model
@pytest.mark.parametrize("paragraph", [SHORT, MOVED], ids=["one sentence", "a long answer"])
def test_paragraph_repeated_twice(paragraph, tmp_path, truth, cache_dir):
    text = SOURCE.replace(paragraph, paragraph + "\n\n" + paragraph, 1)
    transcript = _write(tmp_path, "episode.md", text)
    result, out = _align(tmp_path, transcript, cache_dir)
    assert result.exit_code == 0, result.stderr
    doc = read_outputs(out, "episode")
    _assert_matched_words_are_spoken_then(doc, truth)
    first, second = _paragraph_words(doc, paragraph)
    assert [w["text"] for w in first] == [w["text"] for w in second]
    timed = [(a["start"] is not None) + (b["start"] is not None) for a, b in zip(first, second)]
    assert max(timed) == 1, "a word was timed in both copies"  # each spoken word once...
    matched = sum(a["status"] == "matched" or b["status"] == "matched" for a, b in zip(first, second))
    assert matched >= 0.8 * len(first)  # ...in one copy or the other
    assert any(m["text"] for m in doc["missing"] if m["first_word"] >= first[0]["index"])
