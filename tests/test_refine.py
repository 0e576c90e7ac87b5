"""Word refinement: energy edges, pronunciations, the window stream, pocketsphinx on the fixture.

Signal and bookkeeping code is tested on synthetic input. The forced aligner
is tested for real (pocketsphinx is fast: no mocks) on the fixture episode,
with recognizer-like input built from the episode's truth: every word moved
late by a deterministic 60-180 ms, as Whisper's times are. The model-marked
tests check the whole pipeline's refined times against the truth.
"""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from aligner.audio import iter_windows, load_audio
from aligner.onsets import energy_db, find_offset, find_onset
from aligner.pronounce import guess_phones, pronunciations, split_into_words
from aligner.refine import _AudioCursor, _ordered, label_methods, refine_words
from aligner.refine_sphinx import SphinxAligner
from aligner.types import AlignOp, AsrWord, OpKind, TimedWord, TimingMethod, Token, TokenKind, WordStatus
from truth import body_words_by_key, spoken_truth

SR = 16000


def tone(ms: int, db: float, freq: float = 220.0, seed: int = 0) -> np.ndarray:
    """A voiced-like sound: a tone plus a little noise, at ``db`` RMS (0 dB = full-scale square)."""
    rng = np.random.default_rng(seed)
    t = np.arange(ms * SR // 1000) / SR
    wave = np.sin(2 * np.pi * freq * t) + 0.3 * rng.standard_normal(len(t))
    return (wave / np.sqrt(np.mean(wave**2)) * 10 ** (db / 20)).astype(np.float32)


def noise(ms: int, db: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(ms * SR // 1000) * 10 ** (db / 20)).astype(np.float32)


# ----------------------------------------------------------------------------------------------
# onsets.py


def test_energy_of_silence_and_of_a_known_level() -> None:
    assert np.all(energy_db(np.zeros(SR // 10, dtype=np.float32)) == -120.0)
    levels = energy_db(tone(200, -20.0))
    assert len(levels) == (3200 - 160) // 32 + 1
    assert abs(np.median(levels) + 20.0) < 1.0
    assert len(energy_db(np.zeros(100, dtype=np.float32))) == 0  # shorter than one frame


@pytest.mark.parametrize("floor_db", [-120.0, -70.0, -55.0])
@pytest.mark.parametrize("expected_ms", [440, 500, 570])
def test_onset_is_found_within_a_few_ms(floor_db: float, expected_ms: int) -> None:
    quiet = np.zeros(500 * SR // 1000, dtype=np.float32) if floor_db == -120.0 else noise(500, floor_db)
    signal = np.concatenate([quiet, tone(400, -18.0) + noise(400, floor_db, seed=2) * (floor_db > -120)])
    onset = find_onset(signal, pause_end_ms=400, expected_ms=expected_ms)
    assert onset is not None and abs(onset - 500) <= 6


def test_no_onset_without_a_pause_quieter_than_the_speech() -> None:
    signal = np.concatenate([noise(500, -25.0), tone(400, -18.0)])  # music or noise under the voice
    assert find_onset(signal, pause_end_ms=400, expected_ms=500) is None


def test_no_onset_out_of_reach_of_the_expected_time() -> None:
    signal = np.concatenate([np.zeros(500 * SR // 1000, dtype=np.float32), tone(400, -18.0)])
    assert find_onset(signal, pause_end_ms=400, expected_ms=300, max_shift_ms=100) is None
    assert find_onset(signal, pause_end_ms=20, expected_ms=500) is None  # too little pause to judge


def test_a_click_is_not_an_onset() -> None:
    signal = np.concatenate(
        [
            np.zeros(450 * SR // 1000, dtype=np.float32),
            tone(5, -10.0),
            np.zeros(45 * SR // 1000, dtype=np.float32),
            tone(400, -18.0),
        ]
    )
    onset = find_onset(signal, pause_end_ms=400, expected_ms=490)
    assert onset is not None and abs(onset - 500) <= 6


def test_offset_mirrors_onset() -> None:
    signal = np.concatenate([tone(400, -18.0), noise(500, -65.0)])
    offset = find_offset(signal, pause_start_ms=450, expected_ms=430)
    assert offset is not None and abs(offset - 400) <= 6


# ----------------------------------------------------------------------------------------------
# pronounce.py

WORDS = {
    "one": "W AH N",
    "ninety": "N AY N T IY",
    "three": "TH R IY",
    "hundred": "HH AH N D R AH D",
    "a": "AH",
    "and": "AH N D",
    "percent": "P ER S EH N T",
    "deep": "D IY P",
    "learning": "L ER N IH NG",
    "carter": "K AA R T ER",
    "ne": "N IY",  # a letter-name style entry that must not be used as a part
}


def test_split_into_words_takes_the_fewest_parts_and_no_short_junk() -> None:
    assert split_into_words("oneninetythree", WORDS.get) == ["one", "ninety", "three"]
    assert split_into_words("ahundredandninetythree", WORDS.get) == ["a", "hundred", "and", "ninety", "three"]
    assert split_into_words("carters", WORDS.get) == ["carter", "s"]
    assert split_into_words("neone", WORDS.get) is None
    assert split_into_words("", WORDS.get) == []


def test_numbers_get_each_spoken_form_as_an_alternative() -> None:
    forms = pronunciations("193,", WORDS.get)
    assert "W AH N N AY N T IY TH R IY" in forms  # one ninety three
    assert "W AH N HH AH N D R AH D N AY N T IY TH R IY" in forms  # one hundred ninety three
    assert pronunciations("%", WORDS.get) == ("P ER S EH N T",)


def test_dictionary_words_and_compounds() -> None:
    assert pronunciations("Carter.", WORDS.get) == ("K AA R T ER",)
    assert pronunciations("deep-learning", WORDS.get) == ("D IY P L ER N IH NG",)
    assert pronunciations("Carter's", WORDS.get) == ("K AA R T ER Z",)


def test_unknown_words_are_guessed_and_symbols_without_letters_are_skipped() -> None:
    assert pronunciations("Ölveczky", WORDS.get) == (guess_phones("olveczky"),)
    assert guess_phones("olveczky") == "AA L V EH K Z K IY"
    assert guess_phones("knight") == "N AY T"
    assert guess_phones("cycle") == "S IH K L"
    assert pronunciations("—", WORDS.get) == ()


# ----------------------------------------------------------------------------------------------
# the alignment grammar (refine_sphinx.py, pure parts)


def test_the_grammar_allows_silence_fillers_repeats_and_skips() -> None:
    from aligner.refine_sphinx import FILLERS, _grammar

    transitions = _grammar(["so", "we", "we", "study"])
    words = {(a, b, t[3]) for t in transitions if len(t) == 4 for a, b in [t[:2]]}
    assert {(0, 1, "so"), (1, 2, "we"), (2, 3, "we"), (3, 4, "study")} <= words
    assert all((i, i, "<sil>") in words for i in range(5))
    assert all((i, i, filler) in words for i in range(5) for filler in FILLERS)
    assert (0, 0, "so") in words and (1, 1, "we") not in words  # "we we": a repeat could not be told apart
    assert (3, 3, "study") not in words  # only short words are repeated
    assert {t[:2] for t in transitions if len(t) == 3} == {(0, 1), (1, 2), (2, 3), (3, 4)}  # skips


def test_following_the_decoded_path() -> None:
    from aligner.refine_sphinx import _follow

    names = ["i", "think", "so"]
    path = [("aligner-filler-um", 0, 100), ("i", 100, 200), ("i", 200, 300), ("think", 300, 600), ("so", 650, 900)]
    assert _follow(path, names) == [(200, 300), (300, 600), (650, 900)]  # the second "i" is the word
    assert _follow([("i", 0, 100), ("so", 100, 300)], names) == [(0, 100), None, (100, 300)]  # "think" skipped
    assert _follow([("so", 0, 100), ("i", 100, 200)], names) is None  # out of order: not these words


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
    assert spans[2] == (610, 900)  # the fallback keeps Whisper's time, moved out of its neighbours' way
    assert spans[3] == (900, 1350)  # clamped to the audio
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_methods_are_labelled_from_the_recognized_words() -> None:
    tokens = [
        Token(i, text, TokenKind.WORD, "Ann", 0, 0, 1) for i, text in enumerate(["It's", "fine", ",", "oh", "well"])
    ]
    ops = [
        AlignOp(OpKind.MATCH, (0,), (0, 1), 1.0),  # "it's" heard as "it is"
        AlignOp(OpKind.MATCH, (1,), (2,), 1.0),
        AlignOp(OpKind.DELETE, (3,), ()),
        AlignOp(OpKind.MATCH, (4,), (3,), 1.0),
    ]
    timed = [
        TimedWord(tokens[0], 0, 300, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[1], 300, 600, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[2], 600, 600, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[3], None, None, WordStatus.NOT_IN_AUDIO, 0.0),
        TimedWord(tokens[4], 900, 1200, WordStatus.MATCHED, 0.9),
    ]
    methods = (TimingMethod.ONSET, TimingMethod.WHISPER, TimingMethod.SPHINX, TimingMethod.SPHINX)
    labelled = label_methods(timed, ops, methods)
    assert [w.method for w in labelled] == [
        TimingMethod.WHISPER,  # the least precise of "it" and "is"
        TimingMethod.SPHINX,
        TimingMethod.SPHINX,  # punctuation follows its word
        None,
        TimingMethod.SPHINX,
    ]
    assert [w.method for w in label_methods(timed, ops, None)] == [TimingMethod.WHISPER] * 3 + [
        None,
        TimingMethod.WHISPER,
    ]
    interpolated = TimedWord(tokens[3], 650, 850, WordStatus.INTERPOLATED, 0.25)
    assert label_methods([interpolated], [], None)[0].method is TimingMethod.INTERPOLATED


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
    for a, b in zip(words, words[1:]):
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


def test_words_not_in_the_audio_keep_whisper_times_and_say_so(episode_samples, truth, sphinx) -> None:
    duration = len(episode_samples) * 1000 // SR
    real, spans = whisper_like(truth, 0, 6)  # "Hello and welcome to Brain Talk."
    # Text the audio does not hold, over the music sting (11.5-14.5 s) where nothing is said.
    fake = [
        AsrWord(t, 12000 + 400 * i, 12350 + 400 * i, 0.4)
        for i, t in enumerate("purple elephants dance quietly tonight".split())
    ]
    refined = refine_words(real + fake, [(0, episode_samples)], duration_ms=duration, aligner=sphinx)
    assert refined.methods[len(real) :] == (TimingMethod.WHISPER,) * len(fake)
    assert refined.words[len(real) :] == tuple(fake)
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


def test_no_words_no_work() -> None:
    assert refine_words([], iter(()), duration_ms=1000) == refine_words([], [], duration_ms=0)


# ----------------------------------------------------------------------------------------------
# the whole pipeline (real Whisper), against the truth


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
    assert methods <= {TimingMethod.SPHINX, TimingMethod.ONSET, TimingMethod.INTERPOLATED, TimingMethod.WHISPER}
    assert sum(ours[k].method in (TimingMethod.SPHINX, TimingMethod.ONSET) for k in timed) / len(timed) >= 0.9
    for word in episode_result.words:
        assert (word.method is None) == (word.start_ms is None)
        if word.status is WordStatus.INTERPOLATED:
            assert word.method is TimingMethod.INTERPOLATED


@pytest.mark.model
def test_refinement_beats_whisper_times_and_can_be_turned_off(
    episode_result, episode_audio, episode_transcript, truth, cache_dir
) -> None:
    from aligner import align

    raw = align(episode_audio, episode_transcript, cache_dir=cache_dir, refine=False)  # cached recognition
    spans = spoken_truth(truth)

    def median_start_error(result) -> float:
        ours = body_words_by_key(result)
        return statistics.median(abs(ours[k].start_ms - spans[k][0]) for k in spans if ours[k].start_ms is not None)

    assert {w.method for w in raw.words if w.status is WordStatus.MATCHED} == {TimingMethod.WHISPER}

    def word_statuses(result) -> list[WordStatus]:
        return [w.status for w in result.words if w.token.kind is TokenKind.WORD]

    assert word_statuses(raw) == word_statuses(episode_result)  # notes may gain room for a time
    assert median_start_error(episode_result) < median_start_error(raw) / 2


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


# ----------------------------------------------------------------------------------------------
# the refinement cache


def test_refinement_cache_round_trip_and_mismatch(tmp_path) -> None:
    from aligner import cache
    from aligner.refine import refinement_key
    from aligner.types import Refinement

    words = (AsrWord("hello", 100, 500, 0.9), AsrWord("world", 520, 900, 0.8))
    refined = Refinement(
        (AsrWord("hello", 90, 480, 0.9), AsrWord("world", 480, 910, 0.8)), (TimingMethod.ONSET, TimingMethod.SPHINX)
    )
    key = refinement_key("0" * 64, words)
    assert key != refinement_key("0" * 64, words[:1]) and key != refinement_key("1" * 64, words)
    assert cache.load_refinement(tmp_path, key, words, 1000) is None
    cache.store_refinement(tmp_path, key, refined)
    assert cache.load_refinement(tmp_path, key, words, 1000) == refined
    assert cache.load_refinement(tmp_path, key, words[:1], 1000) is None  # does not fit these words
    assert cache.load_refinement(tmp_path, key, words, 700) is None  # times outside the audio
    (tmp_path / f"{key}.json").write_text('{"format": 1, "kind": "refinement", "spans": [[1, 2]]', encoding="utf-8")
    assert cache.load_refinement(tmp_path, key, words, 1000) is None  # truncated


@pytest.mark.model
def test_a_rerun_reuses_the_refinement(episode_result, episode_audio, episode_transcript, cache_dir) -> None:
    from aligner import align

    assert any(path.name.startswith("refine-") for path in cache_dir.iterdir())
    again = align(episode_audio, episode_transcript, cache_dir=cache_dir)
    assert again.words == episode_result.words and again.cues == episode_result.cues


def test_refining_in_batches_split_at_a_pause_gives_the_same_times(episode_samples, truth, sphinx) -> None:
    """Recognition hands its words over window by window (cut in pauses); the result must not depend on it."""
    from aligner.refine import SPLIT_GAP_MS, Refiner

    words, _ = whisper_like(truth, 0, 90)
    duration = len(episode_samples) * 1000 // SR
    # a fresh aligner for each: pocketsphinx carries state from one window to the next (see refine_sphinx)
    whole = refine_words(words, [(0, episode_samples)], duration_ms=duration, aligner=SphinxAligner())
    cuts = [i for i in range(1, len(words)) if words[i].start_ms - words[i - 1].end_ms >= SPLIT_GAP_MS]
    assert len(cuts) >= 2
    refiner = Refiner(iter_windows(iter(np.array_split(episode_samples, 9)), window_ms=7000, overlap_ms=1500),
                      aligner=SphinxAligner())
    for first, stop in zip([0, *cuts[:2]], [*cuts[:2], len(words)]):
        refiner.add(words[first:stop], duration_ms=duration)
    assert refiner.result(words, duration_ms=duration) == whole
    with pytest.raises(ValueError):
        refiner.result(words[:-1], duration_ms=duration)


def test_a_stopped_refiner_leaves_the_rest_to_whisper(episode_samples, truth) -> None:
    from aligner.refine import Refiner

    words, _ = whisper_like(truth, 0, 30)
    duration = len(episode_samples) * 1000 // SR
    refiner = Refiner([(0, episode_samples)])
    refiner.add(words, duration_ms=duration, stop=lambda: True)
    assert set(refiner.result(words, duration_ms=duration).methods) == {TimingMethod.WHISPER}


@pytest.mark.model
def test_a_recognition_in_several_windows_refines_alongside_and_stores_it(
    episode_audio, episode_transcript, tmp_path
) -> None:
    """Cold, in 15 s windows: the words are refined while recognition runs, exactly as a separate pass would.

    Words reach the refinement thread in batches cut where a chunk ends anyway, so it aligns the same
    windows in the same order (pocketsphinx carries state from one window to the next, so the order
    matters too).
    """
    from aligner import align
    from aligner.options import RecognizeOptions

    options = RecognizeOptions(window_s=15)
    cold = align(episode_audio, episode_transcript, recognize_options=options, cache_dir=tmp_path)
    entries = sorted(p.name for p in tmp_path.iterdir())
    assert len(entries) == 2 and entries[1].startswith("refine-")  # the recognition and its refinement
    assert not [p for p in entries if p.startswith("partial-")]
    (tmp_path / entries[1]).unlink()  # the next run refines the cached recognition in one pass
    separate = align(episode_audio, episode_transcript, recognize_options=options, cache_dir=tmp_path)
    pairs = [(a, b) for a, b in zip(cold.words, separate.words) if a.start_ms is not None]
    assert len(pairs) >= 140
    assert cold.words == separate.words
    methods = {a.method for a, _ in pairs}
    assert "sphinx" in {m.value for m in methods if m is not None}
