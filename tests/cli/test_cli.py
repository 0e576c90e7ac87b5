"""The aligner command through click's CliRunner."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import srt
import webvtt
from click.testing import CliRunner
from support.paths import AUDIO, EPISODE

from aligner import __version__
from aligner.cli import cli
from aligner.timecode import format_vtt
from aligner.writers.json import load_schema

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()


def _vtt_time(seconds: float) -> str:
    return format_vtt(round(seconds * 1000))


def invoke(*args: str):
    return RUNNER.invoke(cli, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_schema_command_prints_the_shipped_schema():
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "schema" in CliRunner().invoke(cli, ["--help"]).output


def test_help_has_examples():
    result = invoke("align", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "aligner align episode.mp3 transcript.md" in result.stdout


@pytest.mark.model
def test_align_writes_three_files_and_a_summary(tmp_path, cache_dir):
    result = RUNNER.invoke(
        cli,
        [
            "align",
            str(EPISODE / "episode.mp3"),
            str(EPISODE / "episode.md"),
            "-o",
            str(tmp_path),
            "--cache-dir",
            str(cache_dir),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["episode.json", "episode.srt", "episode.vtt"]
    assert "matched" in result.stdout and "not in audio" in result.stdout
    assert "Transcript text not found in the audio" in result.stdout
    data = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    cues = data["cues"]
    # Independent parsers read back the same cues as the JSON holds.
    parsed_srt = list(srt.parse((tmp_path / "episode.srt").read_text(encoding="utf-8")))
    parsed_vtt = webvtt.read(str(tmp_path / "episode.vtt")).captions
    assert len(parsed_srt) == len(parsed_vtt) == len(cues) > 5
    for cue, s, v in zip(cues, parsed_srt, parsed_vtt):
        assert round(s.start.total_seconds(), 3) == cue["start"]
        assert round(s.end.total_seconds(), 3) == cue["end"]
        assert v.start == _vtt_time(cue["start"]) and v.end == _vtt_time(cue["end"])
        assert v.text == "\n".join(cue["lines"])
        assert s.content.endswith("\n".join(cue["lines"]).split("\n")[-1])


@pytest.mark.model
def test_a_cached_re_align_loads_no_audio_or_recognition_library(tmp_path, cache_dir):
    """Re-aligning after an edit must cost the alignment, not start-up: numpy alone took 0.17 s of 3 s."""
    import subprocess
    import sys

    args = [
        "align",
        str(EPISODE / "episode.mp3"),
        str(EPISODE / "episode.md"),
        "-o",
        str(tmp_path),
        "-q",
        "--cache-dir",
        str(cache_dir),
    ]
    assert invoke(*args).exit_code == 0  # recognition and refinement cached
    code = (
        "import sys; from aligner.cli import cli; cli.main(sys.argv[1:], standalone_mode=False); "
        "print(sorted(m for m in ('numpy', 'av', 'faster_whisper', 'ctranslate2', 'pocketsphinx') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.model
def test_formats_subset_and_default_output_folder(tmp_path, cache_dir):
    audio = tmp_path / "my episode.mp3"
    shutil.copy(EPISODE / "episode.mp3", audio)
    result = invoke("align", audio, EPISODE / "episode.md", "--formats", "vtt", "--cache-dir", cache_dir, "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my episode.mp3", "my episode.vtt"]
    assert result.stdout == ""


@pytest.mark.model
def test_transcript_of_other_audio_is_refused_unless_forced(tmp_path, cache_dir):
    out = tmp_path / "out"
    result = invoke("align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", out, "--cache-dir", cache_dir)
    assert_one_line_error(result, "episode.md", "--force")
    assert not out.exists() or not any(out.iterdir())
    forced = invoke(
        "align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", out, "--cache-dir", cache_dir, "--force"
    )
    assert forced.exit_code == 0, forced.stderr
    assert (out / "hello.json").exists()


ALL_FORMATS = "srt,vtt,json,podcast,html,textgrid,audacity,chapters"
NAMES = [
    "episode.TextGrid",
    "episode.chapters.json",
    "episode.html",
    "episode.json",
    "episode.labels.txt",
    "episode.podcast.json",
    "episode.srt",
    "episode.vtt",
]


def _align_episode(tmp_path, cache_dir, *extra: str):
    return RUNNER.invoke(
        cli,
        [
            "align",
            str(EPISODE / "episode.mp3"),
            str(EPISODE / "episode.md"),
            "-o",
            str(tmp_path),
            "--cache-dir",
            str(cache_dir),
            *extra,
        ],
        catch_exceptions=False,
    )


@pytest.mark.model
def test_every_format_is_written_and_the_rss_lines_printed(tmp_path, cache_dir):
    result = _align_episode(tmp_path, cache_dir, "--formats", ALL_FORMATS, "--base-url", "https://example.com/42/")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == NAMES
    out = result.stdout
    assert "For the episode's <item> in your RSS feed:" in out
    lines = [line for line in out.splitlines() if line.startswith("<podcast:")]
    item = ET.fromstring('<item xmlns:podcast="https://podcastindex.org/namespace/1.0">' + "".join(lines) + "</item>")
    assert sorted(e.get("url") for e in item) == [
        "https://example.com/42/episode.chapters.json",
        "https://example.com/42/episode.podcast.json",
        "https://example.com/42/episode.srt",
        "https://example.com/42/episode.vtt",
    ]
    assert "Chapters: none" in out


@pytest.mark.model
def test_rss_snippet_option_writes_the_lines_to_a_file(tmp_path, cache_dir):
    snippet = tmp_path / "feed-lines.xml"
    result = _align_episode(tmp_path / "out", cache_dir, "--formats", "vtt,podcast", "--rss-snippet", str(snippet))
    assert result.exit_code == 0, result.stderr
    assert "<podcast:" not in result.stdout and str(snippet) in result.stdout
    text = snippet.read_text(encoding="utf-8")
    assert text == (
        '<podcast:transcript url="episode.vtt" type="text/vtt" language="en" rel="captions" />\n'
        '<podcast:transcript url="episode.podcast.json" type="application/json" language="en" rel="captions" />\n'
    )


def _bad_transcript(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD_INPUTS = {
    "missing audio": lambda tmp: (tmp / "nope.mp3", EPISODE / "episode.md", "nope.mp3"),
    "audio is a directory": lambda tmp: (tmp, EPISODE / "episode.md", "directory"),
    "text named mp3": lambda tmp: (AUDIO / "not_audio.mp3", EPISODE / "episode.md", "not_audio.mp3"),
    "empty audio": lambda tmp: (AUDIO / "empty.mp3", EPISODE / "episode.md", "empty.mp3"),
    "zero-length audio": lambda tmp: (AUDIO / "zero_length.wav", EPISODE / "episode.md", "zero_length.wav"),
    "truncated audio": lambda tmp: (AUDIO / "truncated.m4a", EPISODE / "episode.md", "truncated.m4a"),
    "missing transcript": lambda tmp: (AUDIO / "hello.wav", tmp / "nope.md", "nope.md"),
    "transcript is a directory": lambda tmp: (AUDIO / "hello.wav", tmp, str(tmp.name)),
    "empty transcript": lambda tmp: (AUDIO / "hello.wav", _bad_transcript(tmp, "empty.md", b""), "empty.md"),
    "non-UTF-8 transcript": lambda tmp: (
        AUDIO / "hello.wav",
        _bad_transcript(tmp, "latin.md", "Caf\xe9 au lait.\n".encode("latin-1")),
        "latin.md",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_writes_nothing(case, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    audio, transcript, fragment = BAD_INPUTS[case](inputs)
    out = tmp_path / "out"
    result = invoke("align", audio, transcript, "-o", out, "--no-cache")
    assert_one_line_error(result, fragment)
    assert not out.exists() or not any(out.iterdir())


def test_unknown_format_is_one_line(tmp_path):
    result = invoke("align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", tmp_path, "--formats", "srt,docx")
    assert_one_line_error(result, "docx", "srt")
    assert not any(tmp_path.iterdir())


def test_impossible_caption_limits_are_one_line(tmp_path):
    result = invoke("align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", tmp_path, "--max-line-chars", "5")
    assert_one_line_error(result, "line")
    assert not any(tmp_path.iterdir())


def test_unknown_model_is_one_line(tmp_path):
    result = invoke(
        "align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", tmp_path, "--model", "no-such-model", "--no-cache"
    )
    assert_one_line_error(result, "no-such-model")


def test_model_folder_without_weights_is_one_line(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    result = invoke(
        "align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", tmp_path / "out", "--model", folder, "--no-cache"
    )
    assert_one_line_error(result, "model.bin")


# --- workflow: output folders, the batch's audio -------------------------------------------------


@pytest.mark.model
def test_missing_folders_above_the_output_folder_are_created(tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out = tmp_path / "a" / "b" / "c"
    result = invoke("align", AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir, "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["hello.json", "hello.srt", "hello.vtt"]


def test_a_file_above_the_output_folder_is_one_line_before_any_work(tmp_path):
    (tmp_path / "a").write_text("a file\n", encoding="utf-8")
    cache = tmp_path / "cache"
    result = invoke(
        "align", AUDIO / "hello.wav", EPISODE / "episode.md", "-o", tmp_path / "a" / "b", "--cache-dir", cache
    )
    assert_one_line_error(result, str(tmp_path / "a" / "b"), "is a file, not a folder")
    assert not cache.exists()  # refused before recognition


def test_a_batch_folder_of_only_unpaired_files_lists_them_then_fails(tmp_path):
    (tmp_path / "talk.md").write_text("Hello.\n", encoding="utf-8")
    shutil.copy(AUDIO / "hello.wav", tmp_path / "intro.wav")
    result = invoke("batch", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "unpaired intro.wav  no transcript named intro.{md,markdown,txt,docx,rtf,htm}",
        "unpaired talk.md    no audio named talk.{mp3,m4a,wav,ogg,opus,flac,aac,m4b,oga,wma,aif,aiff,mp4,m4v,mov,mkv,webm}",
    ]
    assert result.stderr.splitlines() == [
        f"Error: {tmp_path}: no audio file with a transcript of the same name (2 unpaired files)"
    ]


@pytest.mark.model
def test_a_batch_pairs_a_video_as_audio(tmp_path, cache_dir):
    from support.hostile import encode

    from aligner.audio import load_audio

    encode(
        tmp_path / "hello.mp4",
        load_audio(AUDIO / "hello.wav").samples,
        rate=44100,
        layout="mono",
        codec="aac",
        video=True,
    )
    (tmp_path / "hello.md").write_text("Hello there.\n", encoding="utf-8")
    result = invoke("batch", tmp_path, "--cache-dir", cache_dir, "--no-refine")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("done     hello  matched 100.0%")
    assert result.stdout.splitlines()[-1] == "1 done, 0 skipped, 0 failed"
    assert (tmp_path / "hello.vtt").is_file()


def test_swapped_arguments_say_so_in_one_line(tmp_path):
    transcript = tmp_path / "t.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("align", transcript, AUDIO / "hello.wav", "-o", out, "--no-cache")
    assert_one_line_error(
        result,
        f"{AUDIO / 'hello.wav'}: looks like audio (WAV) and {transcript} like a transcript: "
        "are the arguments swapped? (AUDIO first, then TRANSCRIPT)",
    )
    assert "UTF-8" not in result.stderr
    assert not out.exists()
