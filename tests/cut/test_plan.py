"""Which stretches aligner cut removes and where its edges go (pure logic; no audio)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.handmade import M, N, make_result

from aligner.cut.plan import MARGIN_MS, Cut, Loudness, TimeMap, plan_cuts, removable_gaps
from aligner.options import CutOptions
from aligner.types import ExtraWord, Result

QUIET, LOUD = -60.0, -20.0


def episode(
    words: list[tuple[str, int, int]], extra: list[tuple[str, int, int]], *, unplaced: int | None = None
) -> Result:
    rows = [(text, "Ann", M, s, e, 0, False, False) for text, s, e in words]
    if unplaced is not None:
        rows.insert(unplaced, ("never", "Ann", N, None, None, 0, False, False))
    result = make_result(rows, duration_ms=max(e for _, _, e in words) + 1000)
    return replace(result, extra_words=tuple(ExtraWord(t, s, e) for t, s, e in extra))


def loudness(speech: list[tuple[int, int]], until: int = 20_000, quiet: dict[int, float] | None = None) -> Loudness:
    """10 ms frames: loud inside ``speech``, quiet elsewhere (``quiet`` overrides single frames)."""
    frames = {}
    for f in range(until // 10):
        ms = f * 10
        frames[f] = LOUD if any(s <= ms < e for s, e in speech) else -50.0
    frames.update(quiet or {})
    return Loudness(frames)


def kinds(result: Result, **options) -> list[str]:
    return [
        g.kind
        for g in removable_gaps(
            result, CutOptions(remove=("filler", "repetition", "passage", "ad", "pause"), **options)
        )
    ]


def test_a_filler_between_two_kept_words_is_cut_at_the_quietest_points_clear_of_them() -> None:
    """The module docstring's worked example."""
    result = episode([("a", 10_000, 10_350), ("neuroscientist", 10_920, 11_700)], [("um", 10_410, 10_780)])
    quiet = {1038: -70.0, 1039: -70.0, 1084: -70.0, 1085: -70.0}
    speech = [(10_000, 10_350), (10_410, 10_780), (10_920, 11_700)]
    [cut] = plan_cuts(result, CutOptions(), loudness(speech, quiet=quiet))
    assert cut == Cut(10_390, 10_850, "filler", "um")
    assert cut.start_ms >= 10_350 + MARGIN_MS and cut.end_ms <= 10_920 - MARGIN_MS


@pytest.mark.parametrize(
    "extra, expected",
    [
        ([("um", 1000, 1200)], "filler"),
        ([("you", 1000, 1100), ("know,", 1100, 1300)], "filler"),
        ([("Okay.", 1000, 1300)], "filler"),  # another speaker's backchannel
        ([("the", 1000, 1100)], "repetition"),  # "the the pattern": a false start
        ([("Hold", 1000, 1200), ("on,", 1200, 1300), ("let", 1300, 1400), ("me", 1400, 1500)], "passage"),
        ([("paragraph", 1000, 1600)], "unknown"),  # a lone word: perhaps a transcript word misheard
    ],
)
def test_kinds(extra, expected) -> None:
    result = episode([("so", 0, 300), ("the", 2000, 2100), ("pattern", 2100, 2500)], extra)
    found = kinds(result)
    assert found == ([] if expected == "unknown" else [expected])


def test_speech_of_ad_min_seconds_is_an_ad_and_goes_only_when_asked() -> None:
    ad = [(f"w{k}", 1000 + 400 * k, 1300 + 400 * k) for k in range(30)]  # 12 s
    result = episode([("break.", 0, 500), ("And", 14_000, 14_300)], ad)
    assert kinds(result) == ["ad"]
    assert removable_gaps(result, CutOptions()) == []  # the default does not remove ads
    assert kinds(result, ad_min_seconds=20) == ["passage"]


def episode_with_unplaced(unplaced: str, heard: str) -> Result:
    rows = [("so", "Ann", M, 0, 300, 0, False, False)]
    rows += [(w, "Ann", N, None, None, 0, False, False) for w in unplaced.split()]
    rows += [("went", "Ann", M, 3000, 3300, 0, False, False)]
    result = make_result(rows, duration_ms=4000)
    extra = [ExtraWord(w, 1000 + 300 * k, 1250 + 300 * k) for k, w in enumerate(heard.split())]
    return replace(result, extra_words=tuple(extra))


def test_speech_like_transcript_words_the_alignment_did_not_place_stays() -> None:
    """Perhaps it is them, misheard ("we all left" written, "we all laughed" heard)."""
    assert kinds(episode_with_unplaced("we all left", "we all laughed")) == []


def test_speech_unlike_them_is_a_sentence_the_producer_replaced_and_goes() -> None:
    assert kinds(episode_with_unplaced("the report was published", "that changed our plans")) == ["passage"]


def test_a_quiet_long_pause_is_shortened_and_a_loud_one_is_not() -> None:
    result = episode([("so", 0, 300), ("then", 3300, 3600)], [])
    options = CutOptions(remove=("pause",), max_pause_s=1.0, keep_pause_s=0.5)
    [cut] = plan_cuts(result, options, loudness([(0, 300), (3300, 3600)]))
    assert (cut.start_ms, cut.end_ms, cut.kind) == (300 + 250, 3300 - 250, "pause")
    assert plan_cuts(result, options, loudness([(0, 3600)])) == []  # music under it: not a pause


def test_a_word_overlapping_a_kept_word_is_not_in_the_gap() -> None:
    result = episode([("so", 0, 1000), ("then", 2000, 2300)], [("yeah", 900, 1100)])
    assert kinds(result) == []


def test_time_map() -> None:
    timemap = TimeMap([Cut(1000, 1500, "filler", ""), Cut(3000, 4000, "passage", "")])
    assert [timemap(t) for t in (0, 999, 1000, 1200, 1500, 2999, 3500, 4000, 9000)] == [
        0, 999, 1000, 1000, 1000, 2499, 2500, 2500, 7500,
    ]  # fmt: skip
    assert timemap.removed_ms == 1500
