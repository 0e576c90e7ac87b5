"""Word refinement (aligner.refine.refiner): the window stream, ordering, and pocketsphinx on the fixture.

Bookkeeping code is tested on synthetic input. The forced aligner is tested
for real (pocketsphinx is fast: no mocks) on the fixture episode, with
recognizer-like input built from the episode's truth: every word moved late
by a deterministic 60-180 ms, as Whisper's times are. The whole pipeline's
refined times are checked against the truth in tests/test_pipeline.py.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import replace

import numpy as np
import pytest

from aligner.audio import iter_windows, load_audio
from aligner.refine import SPLIT_GAP_MS, Refiner, refine_words
from aligner.refine.refiner import SURE_PROBABILITY, WHISPER_LAG_MS, _AudioCursor, _ordered, refinement_from
from aligner.refine.sphinx import SphinxAligner
from aligner.types import SAMPLE_RATE, AsrWord, TimingMethod

SR = SAMPLE_RATE


# ----------------------------------------------------------------------------------------------
# the window stream and ordering


def test_cursor_reads_across_overlapping_windows() -> None:
    signal = np.arange(10 * SR, dtype=np.float32)
    windows = iter_windows(iter(np.array_split(signal, 7)), window_ms=3000, overlap_ms=700)
    cursor = _AudioCursor(windows)
    for start, end in [(0, 500), (400, 2900), (2900, 6100), (6100, 6100), (9000, 12000)]:
        assert np.array_equal(cursor.read(start, end), signal[start * 16 : end * 16])


def test_cursor_refuses_going_back_and_gaps() -> None:
    cursor = _AudioCursor([(0, np.zeros(SR, dtype=np.float32))])
    cursor.read(500, 800)
    with pytest.raises(ValueError, match="backwards"):
        cursor.read(400, 600)
    gapped = _AudioCursor([(0, np.zeros(SR, dtype=np.float32)), (2000, np.zeros(SR, dtype=np.float32))])
    with pytest.raises(ValueError, match="gap"):
        gapped.read(0, 2500)


def test_order_keeps_refined_words_apart_and_fallbacks_out_of_their_way() -> None:
    words = [AsrWord(t, s, e, 0.9) for t, s, e in [("a", 100, 400), ("b", 300, 600), ("c", 500, 900), ("d", 950, 1300)]]
    times = {0: (120, 420, TimingMethod.SPHINX), 1: (380, 610, TimingMethod.SPHINX), 3: (900, 1400, TimingMethod.ONSET)}
    refined = _ordered(words, times, duration_ms=1350)
    spans = [(w.start_ms, w.end_ms) for w in refined.words]
    assert refined.methods == (TimingMethod.SPHINX, TimingMethod.SPHINX, TimingMethod.WHISPER, TimingMethod.ONSET)
    assert spans[0] == (120, 400) and spans[1] == (400, 610)  # overlapping refined words meet half way
    # the fallback keeps Whisper's time less its lag (500-900 -> 410-810), moved out of its neighbours' way
    assert spans[2] == (610, 900 - WHISPER_LAG_MS)
    assert spans[3] == (900, 1350)  # clamped to the audio
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


# ----------------------------------------------------------------------------------------------
# pocketsphinx on the fixture episode (no recognizer: input made from the truth)


@pytest.fixture(scope="module")
def episode_samples(episode_audio) -> np.ndarray:
    return load_audio(episode_audio).samples


@pytest.fixture(scope="module")
def sphinx() -> SphinxAligner:
    return SphinxAligner()


def whisper_like(truth: dict, first: int, stop: int) -> tuple[list[AsrWord], list[tuple[int, int]]]:
    """Spoken words ``first:stop`` as a recognizer might time them (60-180 ms late), and their true spans."""
    spoken = truth["spoken_words"][first:stop]
    late = [60 + (37 * i) % 121 for i in range(len(spoken))]
    words = [AsrWord(w["word"], w["start_ms"] + d, w["end_ms"] + d, 0.9) for w, d in zip(spoken, late)]
    return words, [(w["start_ms"], w["end_ms"]) for w in spoken]


def errors(words, spans) -> tuple[list[int], list[int]]:
    starts = [abs(w.start_ms - s) for w, (s, _) in zip(words, spans)]
    ends = [abs(w.end_ms - e) for w, (_, e) in zip(words, spans)]
    return starts, ends


def check_order(words, duration_ms: int) -> None:
    for a, b in itertools.pairwise(words):
        assert a.start_ms <= b.start_ms and a.end_ms <= b.start_ms
    assert all(0 <= w.start_ms <= w.end_ms <= duration_ms for w in words)


def test_sphinx_refines_recognizer_like_times_on_the_fixture(episode_samples, truth, sphinx) -> None:
    words, spans = whisper_like(truth, 0, 60)
    duration = len(episode_samples) * 1000 // SR
    before, _ = errors(words, spans)
    refined = refine_words(words, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    starts, ends = errors(refined.words, spans)
    assert statistics.median(before) >= 100
    assert statistics.median(starts) <= 25 and statistics.median(ends) <= 35
    assert sum(e <= 100 for e in starts) / len(starts) >= 0.95
    assert all(m in (TimingMethod.SPHINX, TimingMethod.ONSET) for m in refined.methods)
    assert TimingMethod.ONSET in refined.methods  # words after pauses take the energy edge
    check_order(refined.words, duration)


def test_streamed_windows_give_the_same_times_as_one_window(episode_samples, truth, sphinx) -> None:
    words, _ = whisper_like(truth, 0, 60)
    duration = len(episode_samples) * 1000 // SR
    whole = refine_words(words, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    blocks = iter(np.array_split(episode_samples, 13))
    streamed = refine_words(
        words, iter_windows(blocks, window_ms=7000, overlap_ms=1500), duration_ms=duration, aligner=sphinx
    )
    assert streamed == whole


def test_a_spoken_number_is_timed_from_its_first_to_its_last_word(episode_samples, truth, sphinx) -> None:
    spoken = truth["spoken_words"]
    k = next(i for i, w in enumerate(spoken) if w["transcript_text"] == "193")
    said = spoken[k : k + 3]  # "one ninety three"
    words = [AsrWord(w["word"], w["start_ms"] + 90, w["end_ms"] + 90, 0.9) for w in spoken[k - 3 : k]]
    words.append(AsrWord("193,", said[0]["start_ms"] + 120, said[-1]["end_ms"] + 80, 0.9))
    refined = refine_words(words, [(0, episode_samples)], duration_ms=len(episode_samples) * 1000 // SR, aligner=sphinx)
    number = refined.words[-1]
    assert refined.methods[-1] is not TimingMethod.WHISPER
    assert abs(number.start_ms - said[0]["start_ms"]) <= 40 and abs(number.end_ms - said[-1]["end_ms"]) <= 100


def test_words_not_in_the_audio_keep_whisper_times_less_its_lag_and_say_so(episode_samples, truth, sphinx) -> None:
    duration = len(episode_samples) * 1000 // SR
    real, spans = whisper_like(truth, 0, 6)  # "Hello and welcome to Brain Talk."
    # Text the audio does not hold, over the music sting (11.5-14.5 s) where nothing is said.
    fake = [
        AsrWord(t, 12000 + 400 * i, 12350 + 400 * i, 0.4)
        for i, t in enumerate("purple elephants dance quietly tonight".split())
    ]
    refined = refine_words(real + fake, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert refined.methods[len(real) :] == (TimingMethod.WHISPER,) * len(fake)
    lag = WHISPER_LAG_MS
    assert refined.words[len(real) :] == tuple(
        replace(w, start_ms=w.start_ms - lag, end_ms=w.end_ms - lag) for w in fake
    )
    starts, _ = errors(refined.words[: len(real)], spans)
    assert statistics.median(starts) <= 25  # the real words are still refined
    check_order(refined.words, duration)


def test_a_hallucinated_word_is_skipped_and_its_neighbours_refined(episode_samples, truth, sphinx) -> None:
    duration = len(episode_samples) * 1000 // SR
    real, spans = whisper_like(truth, 0, 6)  # "Hello and welcome to Brain Talk."
    between = real[3].end_ms
    heard = [*real[:4], AsrWord("purple", between, between + 40, 0.3), *real[4:]]
    refined = refine_words(heard, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert refined.methods[4] is TimingMethod.WHISPER
    kept = [w for k, w in enumerate(refined.words) if k != 4]
    starts, _ = errors(kept, spans)
    assert max(starts) <= 60
    check_order(refined.words, duration)


def test_the_neighbours_of_a_word_whisper_was_sure_of_and_the_aligner_skipped_keep_whispers_times(
    episode_samples, truth, sphinx
) -> None:
    """A skipped word Whisper heard surely ("changed." at 0.98 on espeak's accents) was often said, its
    audio given to a neighbour ("Do" placed on it, 1.3 s early): the neighbours are not believed."""
    duration = len(episode_samples) * 1000 // SR
    real, spans = whisper_like(truth, 0, 6)  # "Hello and welcome to Brain Talk."
    between = real[3].end_ms
    heard = [*real[:4], AsrWord("purple", between, min(between + 40, real[4].start_ms), SURE_PROBABILITY), *real[4:]]
    refined = refine_words(heard, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert [k for k, m in enumerate(refined.methods) if m is TimingMethod.WHISPER] == [3, 4, 5]
    kept = [w for k, w in enumerate(refined.words) if k not in (3, 4, 5)]
    starts, _ = errors(kept, [s for k, s in enumerate(spans) if k not in (3, 4)])
    assert max(starts) <= 60
    check_order(refined.words, duration)


def test_the_neighbours_of_a_word_whisper_lost_the_time_of_and_the_aligner_skipped_keep_whispers_times(
    episode_samples, truth, sphinx
) -> None:
    """A word Whisper gave no duration was still heard, however unsurely (the held-out espeak guest's
    "Yeah," at 0.44): skipped, its audio went to a neighbour ("we" placed on it, 592 ms early)."""
    duration = len(episode_samples) * 1000 // SR
    real, _spans = whisper_like(truth, 0, 6)  # "Hello and welcome to Brain Talk."
    between = real[3].end_ms
    heard = [*real[:4], AsrWord("purple", between, between, 0.3), *real[4:]]
    refined = refine_words(heard, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert [k for k, m in enumerate(refined.methods) if m is TimingMethod.WHISPER] == [3, 4, 5]
    check_order(refined.words, duration)


def test_a_word_whisper_lost_after_a_pause_is_found_before_its_time(episode_samples, truth, sphinx) -> None:
    """Whisper gives a word after a pause no duration, 600 ms after it was said ("Woman," at 116.57-116.57 s,
    said at 115.98 s): the window reaches far enough back into the pause to find it."""
    words, spans = whisper_like(truth, 0, 90)
    after_pause = [
        k
        for k in range(1, len(words) - 1)
        if spans[k][0] - spans[k - 1][1] >= 1200 and spans[k + 1][0] - spans[k][1] >= SPLIT_GAP_MS
    ] or [k for k in range(1, len(words)) if spans[k][0] - spans[k - 1][1] >= 1200]
    assert after_pause
    k = after_pause[0]
    lost = spans[k][1] + 200
    words[k] = AsrWord(words[k].text, lost, lost, 0.5)
    duration = len(episode_samples) * 1000 // SR
    refined = refine_words(words, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert refined.methods[k] is not TimingMethod.WHISPER
    assert abs(refined.words[k].start_ms - spans[k][0]) <= 60, (refined.words[k], spans[k])
    check_order(refined.words, duration)


def test_no_words_no_work() -> None:
    assert refine_words([], iter(()), duration_ms=1000) == refine_words([], [], duration_ms=0)


def test_refining_in_batches_split_at_a_pause_gives_the_same_times(episode_samples, truth, sphinx) -> None:
    """Recognition hands its words over window by window (cut in pauses); the result must not depend on it."""
    words, _ = whisper_like(truth, 0, 90)
    duration = len(episode_samples) * 1000 // SR
    whole = refine_words(words, [(0, episode_samples)], duration_ms=duration, aligner=SphinxAligner())
    cuts = [i for i in range(1, len(words)) if words[i].start_ms - words[i - 1].end_ms >= SPLIT_GAP_MS]
    assert len(cuts) >= 2
    refiner = Refiner(
        iter_windows(iter(np.array_split(episode_samples, 9)), window_ms=7000, overlap_ms=1500), aligner=SphinxAligner()
    )
    for first, stop in zip([0, *cuts[:2]], [*cuts[:2], len(words)]):
        refiner.add(words[first:stop], duration_ms=duration)
    assert refiner.result(words, duration_ms=duration) == whole
    with pytest.raises(ValueError):
        refiner.result(words[:-1], duration_ms=duration)


def test_refiners_sharing_the_chunks_give_what_one_gives(episode_samples, truth) -> None:
    """A pool's workers each align every n-th chunk of the same batches; their times together are one refiner's,
    whatever history each worker's decoder had (every window is aligned afresh)."""
    words, _ = whisper_like(truth, 0, 90)
    duration = len(episode_samples) * 1000 // SR
    whole = refine_words(words, [(0, episode_samples)], duration_ms=duration)
    cuts = [i for i in range(1, len(words)) if words[i].start_ms - words[i - 1].end_ms >= SPLIT_GAP_MS]
    shares = []
    for k in range(3):
        refiner = Refiner(
            iter_windows(iter(np.array_split(episode_samples, 9)), window_ms=7000, overlap_ms=1500), share=(k, 3)
        )
        for first, stop in zip([0, *cuts[:2]], [*cuts[:2], len(words)]):
            refiner.add(words[first:stop], duration_ms=duration)
        shares.append(refiner.times(words))
    assert all(shares) and not set(shares[0]) & set(shares[1])  # each aligned chunks of its own
    assert refinement_from(words, shares, duration_ms=duration) == whole
    with pytest.raises(ValueError):
        Refiner([], share=(3, 3))


def test_a_window_aligns_the_same_after_any_other(episode_samples, truth) -> None:
    """pocketsphinx's noise estimate runs on from one utterance to the next; the aligner starts each afresh."""
    spoken = truth["spoken_words"]

    def window(first: int) -> tuple[np.ndarray, list[str]]:
        said = spoken[first : first + 10]
        start, end = said[0]["start_ms"] - 200, said[-1]["end_ms"] + 200
        return episode_samples[start * SR // 1000 : end * SR // 1000], [w["word"] for w in said]

    def aligned(aligner: SphinxAligner, first: int) -> list:
        samples, texts = window(first)
        return aligner.align(samples, [aligner.word_name(t) for t in texts])  # type: ignore[misc]

    alone = aligned(SphinxAligner(), 40)
    after = SphinxAligner()
    for first in (0, 80, 20):
        aligned(after, first)
    assert alone is not None and aligned(after, 40) == alone


def test_a_stopped_refiner_leaves_the_rest_to_whisper(episode_samples, truth) -> None:
    words, _ = whisper_like(truth, 0, 30)
    duration = len(episode_samples) * 1000 // SR
    refiner = Refiner([(0, episode_samples)])
    refiner.add(words, duration_ms=duration, stop=lambda: True)
    assert set(refiner.result(words, duration_ms=duration).methods) == {TimingMethod.WHISPER}


def test_an_energy_onset_moves_a_start_earlier_freely_but_later_only_a_little() -> None:
    """A telephone line takes the /s/ or the burst off a word's start: the energy then rises at the vowel,
    up to MAX_EDGE_SHIFT_MS after the aligner's start, which was right. Moving a start later is capped at
    MAX_LATER_ONSET_MS; moving it earlier (the aligner's silence swallowed a quiet start) is not."""
    from aligner.refine.refiner import MAX_LATER_ONSET_MS, _pause_edges
    from aligner.refine.sphinx import AlignedWord

    rng = np.random.default_rng(0)
    samples = (rng.standard_normal(SR) * 1e-4).astype(np.float32)  # 1 s of line hiss
    ms = SR // 1000
    samples[500 * ms : 550 * ms] += (rng.standard_normal(50 * ms) * 3e-4).astype(
        np.float32
    )  # a consonant the line left faint
    tone = np.sin(2 * np.pi * 200 * np.arange(300 * ms) / SR).astype(np.float32) * 0.3
    samples[550 * ms : 850 * ms] += tone  # the vowel
    late_rise = _pause_edges(AlignedWord(500, 850, 400, 0), samples, 0)
    assert late_rise[0] <= 500 + MAX_LATER_ONSET_MS  # not moved onto the vowel at 550 ms
    early = _pause_edges(AlignedWord(590, 850, 490, 0), samples, 0)  # the aligner started 40 ms into the vowel
    assert early[0] < 590 and early[2] is TimingMethod.ONSET


def test_a_fricative_given_the_pause_before_it_starts_after_it_unless_a_stop_follows() -> None:
    """ "George, thank you": the aligner started "thank" where "George" ends, over the pause; a word whose
    fricative goes on with a stop ("spent") has a silence of its own inside it, its closure, and is left."""
    from aligner.refine.refiner import _start_after_pause
    from aligner.refine.sphinx import AlignedWord

    rng = np.random.default_rng(0)
    ms = SR // 1000
    floor = 10 ** (-61 / 20)
    samples = (rng.standard_normal(600 * ms) * floor).astype(np.float32)
    samples[: 100 * ms] *= 2  # the tail of "George", 6 dB over the floor
    samples[300 * ms : 340 * ms] *= 3  # the /th/
    samples[340 * ms :] += np.sin(2 * np.pi * 200 * np.arange(260 * ms) / SR).astype(np.float32) * 0.1
    placed = AlignedWord(0, 600, 0, 0)
    thank = frozenset({("TH", "AE")})
    start = _start_after_pause(placed, samples, thank, lambda: -61.0)
    assert start is not None and abs(start - 300) <= 10, start
    assert _start_after_pause(placed, samples, frozenset({("S", "P")}), lambda: -61.0) is None
    assert _start_after_pause(placed, samples, frozenset({("AE", "N")}), lambda: -61.0) is None  # not a fricative
    assert _start_after_pause(AlignedWord(0, 600, 80, 0), samples, thank, lambda: -61.0) is None  # a pause before
    assert _start_after_pause(placed, samples, thank, lambda: None) is None  # no steady floor


class _Placing:
    """Stands in for the forced aligner: places the window's words where it is told to."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans

    def align(self, samples: np.ndarray, names: list[str]) -> list[object]:
        from aligner.refine.sphinx import AlignedWord

        return [AlignedWord(start, end, 0, 0) for start, end in self.spans]

    def first_phones(self, name: str) -> frozenset[tuple[str, ...]]:
        return frozenset({("AH", "N")})


def test_the_last_word_before_a_pause_placed_after_whispers_end_of_it_is_not_believed() -> None:
    """Festival's "really fun. Thanks": Whisper heard "fun." at 1.3-1.9 s; an aligner that puts it at 2.1 s,
    in the pause or on the next speaker's first sound, is wrong (Whisper ends such a word late, not early).
    Inside a chunk, or placed before Whisper's end, the word is believed."""
    from aligner.refine.refiner import _align_chunk, _Chunk

    words = [AsrWord("really", 1000, 1300, 0.99), AsrWord("fun.", 1300, 1900, 1.0), AsrWord("Thanks", 2600, 2800, 0.9)]
    names = ["really", "fun", "thanks"]
    samples = np.zeros(3 * SR, dtype=np.float32)
    alone = _Chunk((0, 1), (), (), 0, 2300)
    late = _align_chunk(alone, samples, words, names, _Placing([(1000, 1280), (2100, 2200)]))  # type: ignore[arg-type]
    assert late is not None and set(late) == {0}
    right = _align_chunk(alone, samples, words, names, _Placing([(1000, 1280), (1300, 1650)]))  # type: ignore[arg-type]
    assert right is not None and right[1][:2] == (1300, 1650)
    inside = _Chunk((0, 1), (), (2,), 0, 3000)  # "Thanks" aligned too, as context: no pause after "fun"
    spans = [(1000, 1280), (2100, 2200), (2600, 2800)]
    kept = _align_chunk(inside, samples, words, names, _Placing(spans))  # type: ignore[arg-type]
    assert kept is not None and kept[1][:2] == (2100, 2200)
