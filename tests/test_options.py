"""The options records (aligner.options) and caption presets (aligner.presets): defaults, checks, overrides.

The records hold every default; the command line takes its defaults from
them (its help shows them, and no flags at all build exactly
``AlignOptions()``).
"""

from __future__ import annotations

import dataclasses
import random
import re

import click
import pytest
from click.testing import CliRunner
from support.handmade import M, make_result

from aligner import AlignOptions, CaptionOptions, OptionsError, OutputOptions, RecognizeOptions
from aligner.cli import cli
from aligner.cli.params import alignment_options
from aligner.presets import DEFAULT_PRESET, PRESETS, preset_options
from aligner.writers.json import result_to_dict

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()


# --- the records' defaults -------------------------------------------------------------------------


def test_align_options_default_to_each_stages_own_defaults():
    assert AlignOptions() == AlignOptions(
        recognize=RecognizeOptions(),
        captions=CaptionOptions(),
        output=OutputOptions(),
        refine=True,
        use_cache=True,
        cache_dir=None,
        force=False,
        transcript_format="auto",
    )
    assert RecognizeOptions() == RecognizeOptions(
        model=None, device="cpu", compute_type="int8", beam_size=1, language="en", vad=True, window_s=300, threads=0
    )
    assert CaptionOptions() == CaptionOptions(
        max_line_chars=42,
        max_lines=2,
        min_duration_ms=833,
        max_duration_ms=7000,
        max_chars_per_second=20.0,
        max_gap_ms=1500,
    )
    assert CaptionOptions().max_cue_chars == 84
    assert OutputOptions() == OutputOptions(
        formats=("srt", "vtt", "json"), srt_speaker_prefix=True, vtt_words=False, podcast_words=False, audio_href=None
    )


def test_records_are_frozen_and_each_default_is_its_own():
    options = AlignOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.refine = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.recognize.beam_size = 5  # type: ignore[misc]
    assert AlignOptions().recognize == options.recognize


# --- the command line takes its defaults from the records ----------------------------------------------


def _help_defaults(command: click.Command) -> dict[str, str]:
    """Each option's ``[default: ...]`` as its help shows it (without a range such as ``1<=x<=20``)."""
    context = click.Context(command, info_name=command.name)
    shown = {}
    for param in command.params:
        record = param.get_help_record(context)
        match = re.search(r"\[default: (.*?)(?:; [^;]*)?\]$", record[1]) if record else None
        if match:
            shown[param.name] = match.group(1)
    return shown


@pytest.mark.parametrize("name", ["align", "batch"])
def test_help_shows_the_records_defaults(name):
    recognize, captions, output, align = (
        RecognizeOptions(),
        PRESETS[DEFAULT_PRESET].options,
        OutputOptions(),
        AlignOptions(),
    )
    shown = _help_defaults(cli.commands[name])
    assert {key: shown[key] for key in ("formats", "device", "compute_type", "beam_size", "language")} == {
        "formats": ",".join(output.formats),
        "device": recognize.device,
        "compute_type": recognize.compute_type,
        "beam_size": str(recognize.beam_size),
        "language": recognize.language,
    }
    assert (shown["window_seconds"], shown["threads"]) == (str(recognize.window_s), str(recognize.threads))
    assert (shown["transcript_format"], shown["preset"]) == (align.transcript_format, DEFAULT_PRESET)
    # caption flags default to the preset's values, shown in parentheses (the flag itself defaults to None)
    assert (shown["max_line_chars"], shown["max_lines"]) == (f"({captions.max_line_chars})", f"({captions.max_lines})")
    assert (shown["min_duration"], shown["max_duration"], shown["max_gap"]) == (
        f"({captions.min_duration_ms / 1000:g})",
        f"({captions.max_duration_ms / 1000:g})",
        f"({captions.max_gap_ms / 1000:g})",
    )
    assert shown["max_cps"] == f"({captions.max_chars_per_second:g})"
    assert "[default: 1; 1<=x<=20]" in " ".join(RUNNER.invoke(cli, [name, "--help"]).stdout.split())


def test_no_flags_build_exactly_the_default_options():
    received: list[AlignOptions] = []

    @click.command()
    @alignment_options
    def probe(options: AlignOptions) -> None:
        received.append(options)

    result = RUNNER.invoke(probe, [], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert received == [AlignOptions()]


# --- checks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_line_chars": 9}, "max line length must be at least 10 characters, not 9"),
        ({"max_lines": 0}, "max lines must be at least 1, not 0"),
        ({"min_duration_ms": -1}, "cue durations must be positive and the maximum at least 0.5 s"),
        ({"max_duration_ms": 499}, "cue durations must be positive and the maximum at least 0.5 s"),
        ({"min_duration_ms": 3000, "max_duration_ms": 2000}, "min cue duration (3000 ms) exceeds max (2000 ms)"),
        ({"max_chars_per_second": 0.0}, "max characters per second must be positive"),
    ],
)
def test_impossible_caption_limits_are_refused(fields, message):
    with pytest.raises(OptionsError) as raised:
        CaptionOptions(**fields)
    assert str(raised.value) == message


def test_the_tightest_caption_limits_that_can_work_are_taken():
    options = CaptionOptions(max_line_chars=10, max_lines=1, min_duration_ms=0, max_duration_ms=500)
    assert options.max_cue_chars == 10
    assert CaptionOptions(min_duration_ms=7000).min_duration_ms == CaptionOptions().max_duration_ms


def test_window_length_is_checked():
    with pytest.raises(OptionsError, match="window"):
        RecognizeOptions(window_s=5)
    assert RecognizeOptions().window_s == 300


def test_thread_count_is_checked():
    with pytest.raises(OptionsError, match="threads"):
        RecognizeOptions(threads=-1)
    assert RecognizeOptions().threads == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"window_s": 9}, "the recognition window must be 10 to 3600 seconds, not 9"),
        ({"window_s": 3601}, "the recognition window must be 10 to 3600 seconds, not 3601"),
        ({"threads": 257}, "the recognizer's threads must be 0 (its default) to 256, not 257"),
        ({"streams": 0}, "the recognizer's streams must be 1 to 64, not 0"),
        ({"streams": 65}, "the recognizer's streams must be 1 to 64, not 65"),
    ],
)
def test_recognition_limits_are_refused_with_their_range(fields, message):
    with pytest.raises(OptionsError) as raised:
        RecognizeOptions(**fields)
    assert str(raised.value) == message
    RecognizeOptions(window_s=10, threads=256, streams=1)
    RecognizeOptions(window_s=3600, threads=0, streams=64)


# --- presets ---------------------------------------------------------------------------------------------


def test_presets_hold_the_documented_numbers():
    netflix, bbc, podcast = (PRESETS[name].options for name in ("netflix", "bbc", "podcast"))
    assert (netflix.max_line_chars, netflix.max_lines, netflix.min_duration_ms, netflix.max_duration_ms) == (
        42,
        2,
        833,
        7000,
    )
    assert netflix.max_chars_per_second == 20.0
    assert (bbc.max_line_chars, bbc.max_lines, bbc.max_chars_per_second) == (37, 2, 17.0)
    assert podcast == CaptionOptions() and DEFAULT_PRESET == "podcast"
    assert all(PRESETS[name].source for name in PRESETS)


def test_explicit_options_override_a_preset():
    options = preset_options("bbc", max_lines=3, max_gap_ms=900)
    assert (options.max_line_chars, options.max_lines, options.max_gap_ms) == (37, 3, 900)
    with pytest.raises(TypeError, match="speaker_prefix"):  # an output choice now: OutputOptions.srt_speaker_prefix
        preset_options("bbc", speaker_prefix=False)  # type: ignore[call-arg]
    assert preset_options("bbc") == PRESETS["bbc"].options
    with pytest.raises(OptionsError, match="unknown caption preset 'itv'"):
        preset_options("itv")
    with pytest.raises(OptionsError, match="line"):
        preset_options("netflix", max_line_chars=5)


@pytest.mark.parametrize("seed", range(5))
def test_bbc_preset_cues_fit_its_lines(seed):
    rng = random.Random(seed)
    vocabulary = [
        "the",
        "a",
        "podcast",
        "memory",
        "machines",
        "learning",
        "children",
        "thousands",
        "of",
        "pictures,",
        "quickly.",
        "today",
    ]
    rows = []
    t = 0
    for k in range(120):
        step = rng.randint(150, 600)
        rows.append((rng.choice(vocabulary), "Host" if k < 60 else "Guest", M, t, t + step - 20, k // 30, False, False))
        t += step + (rng.randint(0, 2000) if rng.random() < 0.1 else 0)
    result = make_result(rows, duration_ms=t + 1000, options=PRESETS["bbc"].options)
    for cue in result_to_dict(result)["cues"]:
        assert len(cue["lines"]) <= 2
        assert all(len(line) <= 37 for line in cue["lines"]), cue


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_line_chars", 60),
        ("max_lines", 3),
        ("min_duration_ms", 1000),
        ("max_duration_ms", 6000),
        ("max_chars_per_second", 12.5),
        ("max_gap_ms", 700),
    ],
)
def test_preset_options_replace_only_the_fields_given(name, field, value):
    preset = PRESETS[name].options
    assert preset_options(name, **{field: value}) == dataclasses.replace(preset, **{field: value})
    assert preset_options(name, **{field: None}) == preset
