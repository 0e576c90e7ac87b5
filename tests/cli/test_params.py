"""The shared options of ``align`` and ``batch`` (aligner.cli.params) as they reach the run (click's CliRunner).

Where each default comes from (the options records): tests/test_options.py.
"""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from support.paths import EPISODE

from aligner.cli import cli
from aligner.cli.params import alignment_options, parse_formats
from aligner.options import AlignOptions, CaptionOptions, OutputOptions, RecognizeOptions
from aligner.presets import PRESETS, preset_options

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()


def _align(tmp_path, cache_dir, *extra: str, transcript: str = "episode.md"):
    return RUNNER.invoke(
        cli,
        [
            "align",
            str(EPISODE / "episode.mp3"),
            str(EPISODE / transcript),
            "-o",
            str(tmp_path),
            "--cache-dir",
            str(cache_dir),
            *extra,
        ],
        catch_exceptions=False,
    )


@pytest.mark.model
def test_word_options_reach_the_writers(tmp_path, cache_dir):
    result = _align(tmp_path, cache_dir, "--formats", "vtt,podcast,json", "--vtt-words", "--podcast-words", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "<00:00:0" in (tmp_path / "episode.vtt").read_text(encoding="utf-8")
    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    segments = json.loads((tmp_path / "episode.podcast.json").read_text(encoding="utf-8"))["segments"]
    assert len(segments) == sum(1 for w in words if w["kind"] == "word" and w["start"] is not None)


@pytest.mark.model
def test_preset_sets_caption_limits_and_explicit_options_win(tmp_path, cache_dir):
    def cues(*extra: str) -> list[dict]:
        folder = tmp_path / "_".join(extra).replace("-", "")
        result = _align(folder, cache_dir, "--formats", "json", "-q", *extra)
        assert result.exit_code == 0, result.stderr
        return json.loads((folder / "episode.json").read_text(encoding="utf-8"))["cues"]

    default, netflix, bbc, bbc_wide = (
        cues(),
        cues("--preset", "netflix"),
        cues("--preset", "bbc"),
        cues("--preset", "bbc", "--max-line-chars", "60"),
    )
    assert netflix == default  # the core defaults are Netflix's numbers
    assert max(len(line) for cue in bbc for line in cue["lines"]) <= 37
    assert max(len(line) for cue in default for line in cue["lines"]) > 37  # so the preset changed something
    assert max(len(line) for cue in bbc_wide for line in cue["lines"]) > 37


def test_unknown_preset_is_a_usage_error(tmp_path):
    result = RUNNER.invoke(cli, ["align", "a.mp3", "b.md", "--preset", "itv"])
    assert result.exit_code == 2
    assert "itv" in result.stderr


# --- flags to the options record, without the model ---------------------------------------------


def probe(received: list[AlignOptions]) -> click.Command:
    """A command taking the shared options, as ``align`` and ``batch`` do; it records what it receives."""

    @click.command()
    @alignment_options
    def command(options: AlignOptions) -> None:
        received.append(options)

    return command


def options_from(*args: str) -> AlignOptions:
    """The AlignOptions a command decorated with ``alignment_options`` receives for these flags."""
    received: list[AlignOptions] = []
    result = RUNNER.invoke(probe(received), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    (options,) = received
    return options


def test_parse_formats_keeps_the_order_given_and_each_name_once():
    assert parse_formats("vtt,SRT, json ,vtt,") == ("vtt", "srt", "json")


@pytest.mark.parametrize(("value", "named"), [("srt,docx", "docx"), ("docx,ass", "docx, ass"), (" , ", "' , '")])
def test_parse_formats_refuses_unknown_names_and_an_empty_list(value, named):
    with pytest.raises(click.ClickException) as raised:
        parse_formats(value)
    assert raised.value.message == (
        f"unknown format {named}: choose from audacity, chapters, html, json, podcast, srt, textgrid, vtt"
    )


def test_every_flag_reaches_its_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    flags = (
        "--formats json,vtt --model base.en --device cuda --compute-type float16 --beam-size 5 --language de "
        "--no-vad --window-seconds 60 --threads 2 --no-cache --cache-dir cache --force --max-line-chars 30 "
        "--max-lines 3 --min-duration 1.2 --max-duration 6.5 --max-cps 15 --max-gap 0.9 --no-speaker-prefix "
        "--transcript-format srt --preset bbc --vtt-words --podcast-words --no-refine"
    )
    options = options_from(*flags.split())
    assert options == AlignOptions(
        recognize=RecognizeOptions(
            model="base.en",
            device="cuda",
            compute_type="float16",
            beam_size=5,
            language="de",
            vad=False,
            window_s=60,
            threads=2,
        ),
        captions=CaptionOptions(
            max_line_chars=30,
            max_lines=3,
            min_duration_ms=1200,
            max_duration_ms=6500,
            max_chars_per_second=15.0,
            max_gap_ms=900,
        ),
        output=OutputOptions(formats=("json", "vtt"), srt_speaker_prefix=False, vtt_words=True, podcast_words=True),
        refine=False,
        use_cache=False,
        cache_dir=tmp_path / "cache",  # made absolute: batch workers may run elsewhere
        force=True,
        transcript_format="srt",
    )


def test_a_preset_keeps_its_values_for_the_caption_flags_not_given():
    assert options_from("--preset", "bbc", "--max-lines", "3").captions == preset_options("bbc", max_lines=3)
    assert options_from("--preset", "bbc").captions == PRESETS["bbc"].options


def test_impossible_caption_limits_are_a_click_error_of_one_line():
    received: list[AlignOptions] = []
    result = RUNNER.invoke(probe(received), ["--min-duration", "9", "--max-duration", "2"])
    assert result.exit_code == 1 and received == []
    assert result.stderr == "Error: min cue duration (9000 ms) exceeds max (2000 ms)\n"
