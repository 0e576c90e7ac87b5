"""Planning a batch (aligner.batch.plan): folders, manifests and the up-to-date rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner import BatchError
from aligner.audio import load_audio
from aligner.batch.plan import (
    AUDIO_EXTENSIONS,
    TRANSCRIPT_EXTENSIONS,
    Episode,
    NothingToAlign,
    is_up_to_date,
    plan_folder,
    plan_source,
    read_manifest,
)
from aligner.writers import FORMATS


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def set_mtime(path: Path, seconds: float) -> None:
    os.utime(path, ns=(int(seconds * 1e9), int(seconds * 1e9)))


# ---------------------------------------------------------------- a folder


def test_folder_pairs_by_stem_and_reports_the_rest(tmp_path):
    for name in [
        "a.mp3",
        "a.md",
        "b.WAV",
        "b.txt",
        "c.opus",
        "c.markdown",
        "d.flac",
        "e.md",
        "f.ogg",
        "f.md",
        "f.txt",
        "g.m4a",
        "g.wav",
        "g.md",
        "a.srt",
        "a.json",
        "cover.jpg",
        ".h.mp3",
        ".h.md",
        "j.mp3",
        "j.docx",
        "k.mp3",
        "k.vtt",
    ]:
        touch(tmp_path / name)
    (tmp_path / "sub").mkdir()
    touch(tmp_path / "sub" / "i.mp3")
    touch(tmp_path / "sub" / "i.md")

    plan = plan_folder(tmp_path)

    assert [(e.name, e.audio.name, e.transcript.name) for e in plan.episodes] == [
        ("a", "a.mp3", "a.md"),
        ("b", "b.WAV", "b.txt"),
        ("c", "c.opus", "c.markdown"),
        ("j", "j.mp3", "j.docx"),
    ]
    assert all(e.out_dir == tmp_path.absolute() and e.audio.is_absolute() for e in plan.episodes)
    reasons = {item.path.name: item.reason for item in plan.unpaired}
    # k.vtt is not a transcript in a folder: it is what the batch writes there (captions as transcripts: a manifest).
    assert sorted(reasons) == ["d.flac", "e.md", "f.md", "f.ogg", "f.txt", "g.m4a", "g.md", "g.wav", "k.mp3"]
    assert reasons["d.flac"].startswith("no transcript named d")
    assert reasons["e.md"].startswith("no audio named e")
    assert "2 transcripts named f (f.md, f.txt)" in reasons["f.ogg"]
    assert "2 audio files named g (g.m4a, g.wav)" in reasons["g.md"]


def test_folder_output_dir_and_errors(tmp_path):
    touch(tmp_path / "in" / "a.mp3")
    touch(tmp_path / "in" / "a.md")
    plan = plan_folder(tmp_path / "in", out_dir=tmp_path / "out")
    assert plan.episodes[0].out_dir == (tmp_path / "out").absolute()
    assert plan.episodes[0].outputs(["vtt", "json", "vtt"]) == [tmp_path / "out" / "a.vtt", tmp_path / "out" / "a.json"]

    touch(tmp_path / "lonely" / "a.mp3")
    with pytest.raises(BatchError, match=r"lonely: no audio file with a transcript .*\(1 unpaired file\)"):
        plan_folder(tmp_path / "lonely")
    with pytest.raises(BatchError, match="nowhere: no such folder or manifest"):
        plan_source(tmp_path / "nowhere")


def test_video_and_every_audio_container_pair_as_audio(tmp_path):
    for name in ["a.mp4", "a.md", "b.webm", "b.txt", "c.MOV", "c.md", "d.m4v", "d.docx", "e.mkv", "e.md"]:
        touch(tmp_path / name)
    for name in ["f.aac", "f.md", "g.m4b", "g.md", "h.wma", "h.md", "i.aiff", "i.md", "j.aif", "j.md", "k.oga", "k.md"]:
        touch(tmp_path / name)
    plan = plan_folder(tmp_path)
    assert [(e.audio.name, e.transcript.name) for e in plan.episodes] == [
        ("a.mp4", "a.md"), ("b.webm", "b.txt"), ("c.MOV", "c.md"), ("d.m4v", "d.docx"), ("e.mkv", "e.md"),
        ("f.aac", "f.md"), ("g.m4b", "g.md"), ("h.wma", "h.md"), ("i.aiff", "i.md"), ("j.aif", "j.md"),
        ("k.oga", "k.md"),
    ]  # fmt: skip
    assert plan.unpaired == ()


def test_a_video_gives_way_to_the_audio_of_the_same_name(tmp_path):
    for name in ["ep.mp3", "ep.mp4", "ep.md", "two.mp4", "two.webm", "two.md"]:
        touch(tmp_path / name)
    plan = plan_folder(tmp_path)
    assert [(e.audio.name, e.transcript.name) for e in plan.episodes] == [("ep.mp3", "ep.md")]
    assert {item.path.name for item in plan.unpaired} == {"two.mp4", "two.webm", "two.md"}  # two videos: which?
    assert "2 audio files named two (two.mp4, two.webm)" in plan.unpaired[0].reason


def test_an_unpaired_reason_names_every_extension_that_would_have_paired(tmp_path):
    touch(tmp_path / "notes.txt")
    touch(tmp_path / "a.mp3")
    touch(tmp_path / "a.md")
    (notes,) = plan_folder(tmp_path).unpaired
    assert notes.reason == (
        "no audio named notes.{mp3,m4a,wav,ogg,opus,flac,aac,m4b,oga,wma,aif,aiff,mp4,m4v,mov,mkv,webm}"
    )


def test_rtf_and_htm_transcripts_pair_and_html_does_not(tmp_path):
    for name in ["a.mp3", "a.rtf", "b.mp3", "b.HTM", "c.mp3", "c.html", "d.mp3", "d.vtt"]:
        touch(tmp_path / name)
    plan = plan_folder(tmp_path)
    assert [(e.audio.name, e.transcript.name) for e in plan.episodes] == [("a.mp3", "a.rtf"), ("b.mp3", "b.HTM")]
    reasons = {item.path.name: item.reason for item in plan.unpaired}
    assert sorted(reasons) == ["c.mp3", "d.mp3"]  # c.html and d.vtt are not listed as transcripts
    assert reasons["c.mp3"] == (
        "no transcript named c.{md,markdown,txt,docx,rtf,htm}; c.html is not a transcript in a folder, "
        "where the batch writes its review page (rename it c.htm, or use a manifest)"
    )
    assert reasons["d.mp3"].endswith(
        "; d.vtt is not a transcript in a folder, where the batch writes its captions (use a manifest)"
    )


def test_no_output_the_batch_writes_is_taken_for_a_transcript_on_the_next_run(tmp_path):
    """Every format's output beside the audio (the .html review page, the .labels.txt labels) changes no pairing."""
    assert not {f".{spec.extension}".casefold() for spec in FORMATS.values()} & set(TRANSCRIPT_EXTENSIONS)
    for suffix in TRANSCRIPT_EXTENSIONS:
        touch(tmp_path / f"ep{suffix.strip('.')}.mp3")
        touch(tmp_path / f"ep{suffix.strip('.')}{suffix}")
    first = plan_folder(tmp_path)
    assert len(first.episodes) == len(TRANSCRIPT_EXTENSIONS) and first.unpaired == ()
    for episode in first.episodes:
        for path in episode.outputs(FORMATS):
            touch(path)
    assert (tmp_path / "ephtm.html").exists() and (tmp_path / "eptxt.labels.txt").exists()
    assert plan_folder(tmp_path) == first


def test_a_file_named_like_an_output_without_its_audio_is_still_reported(tmp_path):
    touch(tmp_path / "a.mp3")
    touch(tmp_path / "a.md")
    touch(tmp_path / "notes.labels.txt")  # no notes.mp3: not an output of this folder's batch
    assert [item.path.name for item in plan_folder(tmp_path).unpaired] == ["notes.labels.txt"]


def test_a_folder_of_only_unpaired_files_says_which_and_why(tmp_path):
    touch(tmp_path / "talk.md")
    touch(tmp_path / "intro.wav")
    with pytest.raises(NothingToAlign, match=r"no audio file with a transcript .*\(2 unpaired files\)") as error:
        plan_folder(tmp_path)
    assert isinstance(error.value, BatchError)
    assert [(item.path.name, item.reason.split(" named ")[0]) for item in error.value.unpaired] == [
        ("intro.wav", "no transcript"),
        ("talk.md", "no audio"),
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(NothingToAlign, match="empty: holds no audio files and no transcripts") as error:
        plan_folder(tmp_path / "empty")
    assert error.value.unpaired == ()


# What each extension is written as here: (container, codec, sample rate); decoded back by aligner.audio.
_CONTAINERS = {
    ".mp3": ("mp3", "libmp3lame", 16000),
    ".m4a": ("ipod", "aac", 16000),
    ".wav": ("wav", "pcm_s16le", 16000),
    ".ogg": ("ogg", "libopus", 48000),
    ".opus": ("ogg", "libopus", 48000),
    ".flac": ("flac", "flac", 16000),
    ".aac": ("adts", "aac", 16000),
    ".m4b": ("ipod", "aac", 16000),
    ".oga": ("ogg", "libopus", 48000),
    ".wma": ("asf", "wmav2", 44100),
    ".aif": ("aiff", "pcm_s16be", 16000),
    ".aiff": ("aiff", "pcm_s16be", 16000),
    ".mp4": ("mp4", "aac", 16000),
    ".m4v": ("mp4", "aac", 16000),
    ".mov": ("mov", "aac", 16000),
    ".mkv": ("matroska", "libopus", 48000),
    ".webm": ("webm", "libopus", 48000),
}


def _encode_tone(path: Path, container: str, codec: str, rate: int) -> None:
    """One second of a 440 Hz tone, encoded by PyAV."""
    import av
    import numpy as np

    samples = (0.3 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)).astype(np.float32).reshape(1, -1)
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        stream.bit_rate = 64000
        frame = av.AudioFrame.from_ndarray(samples, format="flt", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.codec.audio_formats[0].name, layout="mono", rate=rate)
        for converted in resampler.resample(frame):
            for packet in stream.encode(converted):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_every_extension_a_folder_takes_for_audio_is_decoded(tmp_path):
    assert sorted(_CONTAINERS) == sorted(AUDIO_EXTENSIONS)
    for extension, (container, codec, rate) in _CONTAINERS.items():
        path = tmp_path / f"tone{extension}"
        _encode_tone(path, container, codec, rate)
        assert 900 <= load_audio(path).duration_ms <= 1100, extension


# ---------------------------------------------------------------- a manifest


def test_csv_manifest_paths_are_relative_to_it(tmp_path):
    manifest = touch(
        tmp_path / "lists" / "catalogue.csv",
        "\ufeffaudio, transcript ,output_dir\n../audio/one.mp3,../text/one.md,../out\n\n/abs/two.m4a,two.txt,\n",
    )
    plan = read_manifest(manifest)
    one, two = plan.episodes
    base = manifest.absolute().parent
    assert one == Episode("../audio/one.mp3", base / "../audio/one.mp3", base / "../text/one.md", base / "../out")
    assert (two.audio, two.transcript, two.out_dir) == (Path("/abs/two.m4a"), base / "two.txt", Path("/abs"))
    assert plan_source(manifest, out_dir=tmp_path / "o").episodes[1].out_dir == (tmp_path / "o").absolute()
    assert plan_source(manifest, out_dir=tmp_path / "o").episodes[0].out_dir == base / "../out"


def test_jsonl_manifest(tmp_path):
    manifest = touch(
        tmp_path / "m.jsonl",
        '{"audio": "a.mp3", "transcript": "a.md", "output_dir": "out"}\n\n{"audio": "b.mp3", "transcript": "b.md"}\n',
    )
    plan = read_manifest(manifest)
    assert [(e.name, e.out_dir) for e in plan.episodes] == [("a.mp3", tmp_path / "out"), ("b.mp3", tmp_path)]


BAD_MANIFESTS = {
    "unknown column": (
        "m.csv",
        "audio,transcript,ouput_dir\na.mp3,a.md,out\n",
        "m.csv, line 2: unknown column 'ouput_dir'",
    ),
    "no audio": ("m.csv", "audio,transcript\n,a.md\n", "m.csv, line 2: no audio given"),
    "extra field": ("m.csv", "audio,transcript\na.mp3,a.md,x\n", "m.csv, line 2: more fields than the header"),
    "same outputs": (
        "m.csv",
        "audio,transcript,output_dir\nx/a.mp3,a.md,out\ny/a.wav,b.md,out/.\n",
        "m.csv, line 3: writes the same outputs as line 2",
    ),
    "empty csv": ("m.csv", "", "m.csv: manifest is empty"),
    "header only": ("m.csv", "audio,transcript\n", "m.csv: manifest lists no episodes"),
    "not json": ("m.jsonl", '{"audio": "a.mp3", "transcript": "a.md"}\n{audio\n', "m.jsonl, line 2: not JSON"),
    "json list": ("m.jsonl", '["a.mp3", "a.md"]\n', "m.jsonl, line 1: expected a JSON object"),
    "json number": ("m.jsonl", '{"audio": 3, "transcript": "a.md"}\n', "m.jsonl, line 1: audio must be a path"),
    "unknown type": ("m.yaml", "audio: a.mp3\n", "m.yaml: unknown manifest type .yaml"),
}


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_bad_manifest_is_one_line_naming_file_and_line(case, tmp_path):
    name, text, message = BAD_MANIFESTS[case]
    with pytest.raises(BatchError) as raised:
        read_manifest(touch(tmp_path / name, text))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


# ---------------------------------------------------------------- the up-to-date rule


def test_up_to_date_needs_every_output_newer_than_both_inputs(tmp_path):
    episode = Episode("a", touch(tmp_path / "a.mp3"), touch(tmp_path / "a.md"), tmp_path / "out")
    outputs = [touch(path) for path in episode.outputs(["srt", "json"])]
    for path in (episode.audio, episode.transcript):
        set_mtime(path, 1_000)
    for path in outputs:
        set_mtime(path, 2_000)
    assert is_up_to_date(episode, ["srt", "json"])
    assert not is_up_to_date(episode, ["srt", "json", "vtt"])  # a requested format is missing

    set_mtime(episode.transcript, 1_500)  # edited after one output? no, both outputs are newer still
    assert is_up_to_date(episode, ["srt", "json"])
    set_mtime(episode.transcript, 2_500)  # the transcript was edited after the outputs
    assert not is_up_to_date(episode, ["srt", "json"])
    set_mtime(episode.transcript, 1_000)
    set_mtime(outputs[1], 1_000)  # as old as the inputs: redone, in case the clock is coarse
    assert not is_up_to_date(episode, ["srt", "json"])
    set_mtime(outputs[1], 2_000)
    episode.audio.unlink()
    assert not is_up_to_date(episode, ["srt", "json"])  # runs, and reports the missing audio
