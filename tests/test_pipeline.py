"""The real bundled model on the fixture episode, end to end, against its truth.

The fixture's truth comes from the synthesizer (see fixtures/make_episode.py),
so these tests measure the aligner, not a golden copy of its own output.
"""

from __future__ import annotations

import itertools
import statistics

import pytest
from truth import body_words_by_key, spoken_truth

from aligner import AlignOptions, align
from aligner.types import TimingMethod, TokenKind, WordStatus

pytestmark = pytest.mark.model


def test_spoken_words_are_matched_and_timed(episode_result, truth):
    ours = body_words_by_key(episode_result)
    spans = spoken_truth(truth)
    assert len(spans) >= 140
    missing = [k for k in spans if k not in ours]
    assert not missing, f"truth words the parser did not produce: {missing}"
    matched = [k for k in spans if ours[k].status is WordStatus.MATCHED]
    timed = [k for k in spans if ours[k].start_ms is not None]
    assert len(matched) / len(spans) >= 0.95, [k for k in spans if k not in matched]
    assert len(timed) / len(spans) >= 0.97


def test_word_start_errors_against_truth(episode_result, truth):
    ours = body_words_by_key(episode_result)
    errors = [
        abs(ours[k].start_ms - start)
        for k, (start, _end) in spoken_truth(truth).items()
        if ours[k].start_ms is not None
    ]
    # Whisper tiny.en's own word times: median error around 0.1 s.
    assert statistics.median(errors) <= 200
    assert sum(e <= 500 for e in errors) / len(errors) >= 0.9


def test_unspoken_text_is_not_in_audio(episode_result, truth):
    ours = body_words_by_key(episode_result)
    added = [w for w in truth["transcript_words"] if w["kind"] == "added"]
    assert added
    for word in added:
        key = (word["transcript_text"].casefold(), word["occurrence"])
        assert ours[key].status is WordStatus.NOT_IN_AUDIO, key
        assert ours[key].start_ms is None
    headings = [w for w in episode_result.words if w.token.is_heading and w.token.kind is TokenKind.WORD]
    assert len(headings) >= 40  # title, subtitle, byline, disclaimer, closing line
    assert all(w.status is WordStatus.NOT_IN_AUDIO for w in headings)


def test_missing_passages_report_the_added_sentence(episode_result):
    texts = [p.text for p in episode_result.missing]
    assert any("Our lab has repeated this test with adults." in t for t in texts), texts


def test_changed_word_is_timed_where_the_original_was_said(episode_result, truth):
    ours = body_words_by_key(episode_result)
    large = ours[("large", 0)]
    said = next(w for w in truth["spoken_words"] if w["edit"] == "substitution")
    assert large.status is not WordStatus.NOT_IN_AUDIO
    assert abs(large.start_ms - said["start_ms"]) <= 300


def test_times_are_monotone_and_inside_the_audio(episode_result):
    last = 0
    for word in episode_result.words:
        if word.start_ms is None:
            continue
        assert 0 <= word.start_ms <= word.end_ms <= episode_result.duration_ms
        if word.token.kind is TokenKind.WORD:
            assert word.start_ms >= last
            last = word.start_ms


def test_no_word_inside_the_music_sting(episode_result, truth):
    sting = next(m for m in truth["music"] if m["kind"] == "sting")
    for word in episode_result.words:
        if word.token.kind is TokenKind.WORD and word.start_ms is not None:
            middle = (word.start_ms + word.end_ms) / 2
            assert not sting["start_ms"] + 200 < middle < sting["end_ms"] - 200, word


def test_cues_keep_the_limits(episode_result):
    cues = episode_result.cues
    assert cues
    for cue in cues:
        assert 0 <= cue.start_ms < cue.end_ms <= episode_result.duration_ms
        assert len(cue.lines) <= 2
        assert all(len(line) <= 42 for line in cue.lines)
        assert cue.end_ms - cue.start_ms <= 7000
    for a, b in itertools.pairwise(cues):
        assert a.end_ms <= b.start_ms
    speakers = {cue.speaker for cue in cues if not cue.is_note}
    assert speakers == {"Jane Miller", "Sam Carter"}


# ----------------------------------------------------------------------------------------------
# refined word times (aligner.refine), against the truth


@pytest.mark.model
def test_pipeline_words_are_refined_against_the_truth(episode_result, truth) -> None:
    ours = body_words_by_key(episode_result)
    spans = spoken_truth(truth)
    timed = [k for k in spans if ours[k].start_ms is not None]
    starts = [abs(ours[k].start_ms - spans[k][0]) for k in timed]
    ends = [abs(ours[k].end_ms - spans[k][1]) for k in timed]
    assert statistics.median(starts) <= 40 and statistics.median(ends) <= 40
    assert sum(e <= 100 for e in starts) / len(starts) >= 0.9
    methods = {ours[k].method for k in timed}
    assert methods <= {
        TimingMethod.SPHINX,
        TimingMethod.ONSET,
        TimingMethod.ACOUSTIC,
        TimingMethod.INTERPOLATED,
        TimingMethod.WHISPER,
    }
    assert sum(ours[k].method in (TimingMethod.SPHINX, TimingMethod.ONSET) for k in timed) / len(timed) >= 0.9
    for word in episode_result.words:
        assert (word.method is None) == (word.start_ms is None)
        if word.status is WordStatus.INTERPOLATED:
            assert word.method is TimingMethod.INTERPOLATED


@pytest.mark.model
def test_refinement_beats_whisper_times_and_can_be_turned_off(
    episode_result, episode_audio, episode_transcript, truth, cache_dir
) -> None:
    raw = align(
        episode_audio, episode_transcript, AlignOptions(cache_dir=cache_dir, refine=False)
    )  # cached recognition
    spans = spoken_truth(truth)

    def median_start_error(result) -> float:
        ours = body_words_by_key(result)
        return statistics.median(abs(ours[k].start_ms - spans[k][0]) for k in spans if ours[k].start_ms is not None)

    assert {w.method for w in raw.words if w.status is WordStatus.MATCHED} == {TimingMethod.WHISPER}

    def word_statuses(result) -> list[WordStatus]:
        return [w.status for w in result.words if w.token.kind is TokenKind.WORD]

    # refinement moves times and changes no status (the second pass may: it finds words)
    refined = align(episode_audio, episode_transcript, AlignOptions(cache_dir=cache_dir, second_pass=False))
    assert word_statuses(raw) == word_statuses(refined)  # notes may gain room for a time
    assert median_start_error(refined) < median_start_error(raw) / 2
    assert median_start_error(episode_result) <= median_start_error(refined) + 1


@pytest.mark.model
def test_cues_start_with_their_speech(episode_result, truth) -> None:
    ours = body_words_by_key(episode_result)
    spans = spoken_truth(truth)
    true_start = {id(ours[k]): spans[k][0] for k in spans}
    spoken = [(w["start_ms"], w["end_ms"]) for w in truth["spoken_words"]]  # fillers and repetitions too
    errors = []
    for cue in episode_result.cues:
        first = episode_result.words[cue.word_indices[0]]
        if cue.is_note or id(first) not in true_start:
            continue
        # never more than a frame before speech: some word is under way, or starts within 40 ms
        assert any(start - 40 <= cue.start_ms < end for start, end in spoken), cue
        errors.append(abs(cue.start_ms - true_start[id(first)]))
    assert len(errors) >= 10
    assert sum(e <= 200 for e in errors) / len(errors) >= 0.9
