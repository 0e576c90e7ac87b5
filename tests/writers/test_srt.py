"""SubRip output (aligner.writers.srt), read back by cdown/srt."""

from __future__ import annotations

from datetime import timedelta

import pytest
import srt
from support.handmade import I, M, Row, Spec, make_cue_result, make_result, random_result

from aligner.options import OutputOptions
from aligner.presets import preset_options
from aligner.types import Cue
from aligner.writers.srt import render_srt
from aligner.writers.vtt import render_vtt


def srt_ms(delta: timedelta) -> int:
    return delta // timedelta(milliseconds=1)


# ---------------------------------------------------------------------------------------------
# Generated cues: the real parser reads back what we wrote


@pytest.mark.parametrize("seed", range(60))
def test_srt_parses_back_to_the_same_times_and_text(seed: int) -> None:
    result = random_result(seed)
    output = OutputOptions(srt_speaker_prefix=seed % 2 == 0)
    parsed = list(srt.parse(render_srt(result, output)))
    assert len(parsed) == len(result.cues)
    previous = object()
    for number, (sub, cue) in enumerate(zip(parsed, result.cues), start=1):
        assert sub.index == number
        following = result.cues[number].start_ms if number < len(result.cues) else cue.end_ms
        assert (srt_ms(sub.start), srt_ms(sub.end)) == (cue.start_ms, min(cue.end_ms, following))
        text = "\n".join(cue.lines)
        if output.srt_speaker_prefix and cue.speaker is not None and cue.speaker != previous:
            text = f"{cue.speaker}: {text}"
        assert sub.content == text
        previous = cue.speaker


def test_srt_speaker_prefix_only_on_speaker_changes_and_never_on_notes() -> None:
    spec: list[Spec] = [
        ("a", 0, 100, "Ann", M),
        ("b", 1000, 1100, "Ann", M),
        ("[music]", 2000, 3000, None, I),
        ("c", 3000, 3100, "Ann", M),
        ("d", 4000, 4100, "Bob", M),
    ]
    cues = [
        Cue(0, 0, 900, ("a",), "Ann", (0,)),
        Cue(1, 1000, 1900, ("b",), "Ann", (1,)),
        Cue(2, 2000, 3000, ("[music]",), None, (2,), is_note=True),
        Cue(3, 3000, 3900, ("c",), "Ann", (3,)),
        Cue(4, 4000, 4900, ("d",), "Bob", (4,)),
    ]
    result = make_cue_result(spec, cues, duration_ms=5000)
    contents = [s.content for s in srt.parse(render_srt(result, OutputOptions(srt_speaker_prefix=True)))]
    assert contents == ["Ann: a", "b", "[music]", "c", "Bob: d"]
    contents = [s.content for s in srt.parse(render_srt(result, OutputOptions(srt_speaker_prefix=False)))]
    assert contents == ["a", "b", "[music]", "c", "d"]


def test_overlapping_cues_of_two_speakers_are_shown_one_at_a_time_in_srt_and_together_in_webvtt() -> None:
    """Bob's "Oh, really?" over the end of Ann's sentence: WebVTT keeps both cues up while both speak;
    SRT ends Ann's where Bob's starts, for the players that show one cue at a time."""
    spec: list[Spec] = [("we", 0, 400, "Ann", M), ("left.", 400, 1500, "Ann", M), ("Oh,", 1200, 1400, "Bob", M)]
    cues = [Cue(0, 0, 1500, ("we left.",), "Ann", (0, 1)), Cue(1, 1200, 2033, ("Oh,",), "Bob", (2,))]
    result = make_cue_result(spec, cues, duration_ms=3000)
    times = [(srt_ms(s.start), srt_ms(s.end)) for s in srt.parse(render_srt(result, OutputOptions()))]
    assert times == [(0, 1200), (1200, 2033)]
    vtt = render_vtt(result, OutputOptions())
    assert "00:00:00.000 --> 00:00:01.500" in vtt and "00:00:01.200 --> 00:00:02.033" in vtt


def test_blank_lines_never_reach_a_cue() -> None:
    result = make_cue_result(
        [("a", 0, 100, "Ann", M)], [Cue(0, 0, 900, ("first", "", "  ", "last"), "Ann", (0,))], duration_ms=1000
    )
    assert [s.content for s in srt.parse(render_srt(result, OutputOptions()))] == ["Ann: first\nlast"]
    vtt = render_vtt(result, OutputOptions())
    assert "first\nlast" in vtt and "\n\n\n" not in vtt


def test_a_speakers_name_fits_in_the_room_the_cue_builder_kept_for_it() -> None:
    def turn(text: str, speaker: str, start_ms: int, paragraph: int) -> list[Row]:
        return [
            (word, speaker, M, start_ms + 300 * k, start_ms + 300 * k + 250, paragraph, False, False)
            for k, word in enumerate(text.split())
        ]

    rows = turn(
        "Welcome back. Today we talk about how monkeys build maps in their heads.", "Paul Middlebrooks", 1000, 0
    )
    rows += turn("Thanks, Paul. It is great to be here.", "Kim Stachenfeld", 6000, 1)
    result = make_result(rows, duration_ms=20_000, options=preset_options("bbc"))  # 37 characters a line
    with_names = [s.content.split("\n") for s in srt.parse(render_srt(result, OutputOptions()))]
    assert with_names == [
        ["Paul Middlebrooks: Welcome back."],
        ["Today we talk about how monkeys", "build maps in their heads."],
        ["Kim Stachenfeld: Thanks, Paul.", "It is great to be here."],
    ]
    # without names, the cue's own lines: the same layout, whether or not the SRT shows the prefix
    without = [s.content.split("\n") for s in srt.parse(render_srt(result, OutputOptions(srt_speaker_prefix=False)))]
    assert without == [list(cue.lines) for cue in result.cues]
    assert without[0] == ["Welcome back."] and without[2] == ["Thanks, Paul.", "It is great to be here."]
