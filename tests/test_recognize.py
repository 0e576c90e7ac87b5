"""faster-whisper with the bundled model: real recognition on short clips."""

from __future__ import annotations

import itertools

import pytest
from support.paths import AUDIO, EPISODE

from aligner.audio import load_audio
from aligner.errors import ModelError
from aligner.options import RecognizeOptions
from aligner.recognize import BUNDLED_MODEL_LABEL, cache_key, recognize, resolve_model


@pytest.fixture(scope="module")
def hello():
    return load_audio(AUDIO / "hello.wav")


@pytest.mark.model
def test_bundled_model_hears_the_clip_with_word_times(hello):
    progress = []
    recognition = recognize(hello, RecognizeOptions(), on_progress=lambda done, total: progress.append((done, total)))
    heard = " ".join(w.text for w in recognition.words).lower()
    assert "hello" in heard
    assert recognition.model == BUNDLED_MODEL_LABEL
    last = 0
    for word in recognition.words:
        assert last <= word.start_ms <= word.end_ms <= hello.duration_ms
        assert 0.0 <= word.probability <= 1.0
        last = word.start_ms
    assert recognition.speech and recognition.speech[0].start_ms < 300
    assert progress and progress[-1][0] == progress[-1][1]


@pytest.mark.model
def test_silence_gives_no_words_and_no_speech():
    recognition = recognize(load_audio(AUDIO / "silence.wav"), RecognizeOptions())
    assert recognition.words == () and recognition.speech == ()


def test_model_resolution_errors(tmp_path):
    with pytest.raises(ModelError, match="unknown model"):
        resolve_model("no-such-model")
    with pytest.raises(ModelError, match=r"model\.bin"):
        resolve_model(str(tmp_path))
    assert resolve_model(None)[1] == BUNDLED_MODEL_LABEL
    assert resolve_model("base.en") == ("base.en", "base.en")  # resolved by name, not downloaded here


def test_cache_key_depends_on_audio_and_options(hello):
    other = load_audio(AUDIO / "hello.flac")
    base = cache_key(hello.sha256, RecognizeOptions())
    assert base == cache_key(hello.sha256, RecognizeOptions())
    assert base != cache_key(other.sha256, RecognizeOptions())
    assert base != cache_key(hello.sha256, RecognizeOptions(beam_size=5))
    assert base != cache_key(hello.sha256, RecognizeOptions(vad=False))


@pytest.mark.model
def test_small_windows_lose_and_duplicate_no_word_at_the_seams(truth):
    """The 64 s fixture in 12 s windows (six seams) against one window."""
    from aligner.recognize import recognize_file

    episode = EPISODE / "episode.mp3"
    whole = recognize_file(episode, RecognizeOptions(), window_ms=120_000)
    windowed = recognize_file(episode, RecognizeOptions(), window_ms=12_000)
    assert windowed.duration_ms == whole.duration_ms
    # Seams fall in pauses: no truth word straddles the boundary between two speech regions.
    for a, b in zip(windowed.speech, windowed.speech[1:]):
        assert a.end_ms <= b.start_ms
    assert len(windowed.speech) >= 5
    # Every spoken word of the truth is heard once: same count of words, none overlapping.
    words = windowed.words
    assert abs(len(words) - len(whole.words)) <= 2
    assert len(words) >= 0.95 * len(truth["spoken_words"])
    for a, b in itertools.pairwise(words):
        assert a.start_ms <= b.start_ms
        assert not (a.text.lower() == b.text.lower() and b.start_ms < a.end_ms), (a, b)
    whole_text = [w.text.lower().strip(".,?!") for w in whole.words]
    windowed_text = [w.text.lower().strip(".,?!") for w in words]
    import difflib

    assert difflib.SequenceMatcher(None, whole_text, windowed_text, autojunk=False).ratio() >= 0.95


@pytest.mark.model
def test_a_recognition_resumed_from_a_window_hears_what_an_uninterrupted_one_heard():
    """The 64 s fixture in 15 s windows: resumed from its middle window, the result is the same."""
    from aligner.recognize import recognize_file

    episode = EPISODE / "episode.mp3"
    partials = []
    whole = recognize_file(episode, RecognizeOptions(), window_ms=15_000, on_window=partials.append)
    assert len(partials) >= 3
    for earlier, later in itertools.pairwise(partials):
        assert earlier.done_samples < later.done_samples
        assert later.words[: len(earlier.words)] == earlier.words
    assert all(p.window_ms == 15_000 for p in partials)
    middle = partials[len(partials) // 2]
    assert 0 < len(middle.words) < len(whole.words)
    progress = []
    resumed = recognize_file(
        episode, RecognizeOptions(), window_ms=15_000, resume=middle, on_progress=lambda d, t: progress.append(d)
    )
    assert resumed == whole
    assert progress[0] == middle.done_ms  # the progress bar starts where the interrupted run stopped


@pytest.mark.model
def test_thread_count_changes_the_speed_not_the_words(hello):
    """It is left out of the cache key, so a recognition with one thread must equal one with the default."""
    assert cache_key(hello.sha256, RecognizeOptions(threads=1)) == cache_key(hello.sha256, RecognizeOptions())
    assert recognize(hello, RecognizeOptions(threads=1)) == recognize(hello, RecognizeOptions())


@pytest.mark.model
def test_decoding_runs_side_by_side_changes_the_speed_not_the_words(monkeypatch):
    """The 64 s fixture in 40 s windows and runs of about 15 s: four decoded side by side hear what two
    do (the batches differ); the runs themselves, not their count, are in the cache key."""
    import aligner.recognize as recognize_module

    monkeypatch.setattr(recognize_module, "CLIP_S", 15)
    episode = load_audio(EPISODE / "episode.mp3")
    assert len(recognize_module._clips(recognize_module._speech_chunks(episode.samples[:640_000], True, 40_000))) >= 2
    key = cache_key(episode.sha256, RecognizeOptions(streams=2))
    assert (
        key == cache_key(episode.sha256, RecognizeOptions(streams=8)) != cache_key(episode.sha256, RecognizeOptions())
    )
    together = recognize(episode, RecognizeOptions(streams=4), window_ms=40_000)
    assert len(together.words) > 100
    assert together == recognize(episode, RecognizeOptions(streams=2), window_ms=40_000)


def test_runs_of_speech_close_past_the_clip_length() -> None:
    from aligner.recognize import CLIP_S, _clips

    second = 16_000
    chunk = [{"start": i * 25 * second, "end": (i * 25 + 20) * second} for i in range(7)]  # 20 s each, 5 s apart
    runs = _clips(chunk)
    assert [len(run) for run in runs] == [CLIP_S // 20] * (7 // (CLIP_S // 20)) + [7 % (CLIP_S // 20)] * bool(
        7 % (CLIP_S // 20)
    )
    assert [c for run in runs for c in run] == chunk  # every chunk once, in order
    assert _clips([]) == []
    long = [{"start": 0, "end": 3 * CLIP_S * second}]
    assert _clips(long) == [long]  # a chunk longer than a clip is a clip of its own


def test_a_word_across_a_long_vad_cut_is_placed_after_it() -> None:
    """Whisper starts a word early after a cut, before the join of the chunks: it belongs after the cut
    (a 3 s sting between "... of Cloves." and "Front,"), from the next chunk's start to its end."""
    from faster_whisper.vad import SpeechTimestampsMap

    from aligner.recognize import _original_span

    long_cut = [{"start": 0, "end": 16_000}, {"start": 64_000, "end": 96_000}]  # speech 0-1 s, 4-6 s
    time_map = SpeechTimestampsMap(long_cut, 16_000)
    assert _original_span(time_map, long_cut, 0.2, 0.5) == (200, 500)  # inside the first chunk
    assert _original_span(time_map, long_cut, 0.5, 1.4) == (4000, 4400)  # 400 ms past the join
    assert _original_span(time_map, long_cut, 0.8, 1.1) == (800, 1100)  # 100 ms past: a tail, left alone
    short_cut = [{"start": 0, "end": 16_000}, {"start": 24_000, "end": 56_000}]  # a 0.5 s pause
    time_map = SpeechTimestampsMap(short_cut, 16_000)
    assert _original_span(time_map, short_cut, 0.5, 1.4) == (500, 1400)  # the sentence's last word


@pytest.mark.model
def test_a_stretch_decoded_by_sampling_comes_out_the_same_every_time():
    """Speech played backwards fails faster-whisper's checks, so it samples at higher temperatures; seeded
    before each stretch, the words do not depend on what CTranslate2's random generator did before."""
    import ctranslate2

    from aligner.recognize import load_model, recognize_span

    options = RecognizeOptions()
    model = load_model(options.model, options.device, options.compute_type)
    backwards = load_audio(EPISODE / "episode.mp3").samples[20 * 16000 : 30 * 16000][::-1].copy()
    segments, _ = model.transcribe(backwards, language="en", beam_size=1, vad_filter=False)
    assert any(segment.temperature > 0 for segment in segments)  # it does sample
    heard = []
    for seed in (1, 2):
        ctranslate2.set_random_seed(seed)  # another history of the generator
        heard.append([(w.text, w.start_ms, w.end_ms) for w in recognize_span(model, 0, backwards, options)])
    assert heard[0] and heard[0] == heard[1]


@pytest.mark.model
def test_two_runs_side_by_side_hear_what_they_hear_one_after_another(monkeypatch):
    """The 64 s fixture in 40 s windows, each window's speech cut in two runs (of at least 10 s here): two
    decoders at once on one thread each give the words one decoder gives running them in turn, so the
    core count is not in the cache key."""
    import aligner.recognize as recognize_module

    monkeypatch.setattr(recognize_module, "MIN_RUN_S", 10)
    episode = load_audio(EPISODE / "episode.mp3")
    first = recognize_module._speech_chunks(episode.samples[:640_000], True, 40_000)
    assert len(recognize_module._halves(first)) == 2
    assert recognize_module.decoders("cpu", 2) == (2, 1) and recognize_module.decoders("cpu", 1) == (1, 1)
    side_by_side = recognize(episode, RecognizeOptions(threads=2), window_ms=40_000)
    assert len(side_by_side.words) > 100
    assert side_by_side == recognize(episode, RecognizeOptions(threads=1), window_ms=40_000)


def test_a_window_is_cut_in_two_runs_at_the_pause_nearest_the_middle() -> None:
    from aligner.recognize import MIN_RUN_S, _halves, decoders

    second = 16_000

    def chunks(*spans: tuple[float, float]) -> list[dict[str, int]]:
        return [{"start": int(a * second), "end": int(b * second)} for a, b in spans]

    # 40 s, 50 s and 60 s of speech with pauses between: the cut after the second chunk (90 s of 150) is
    # 15 s from the middle, the one after the first 35 s
    three = chunks((0, 40), (41, 91), (92, 152))
    assert _halves(three) == [three[:2], three[2:]]
    # a pause VAD found wins over a join where it split a long chunk, even one nearer the middle
    joined = chunks((0, 70), (70, 100), (101, 160))
    assert _halves(joined) == [joined[:2], joined[2:]]
    # no pause with MIN_RUN_S on both sides: the nearest join
    tail = chunks((0, 60), (60, 120), (120.5, 125))
    assert _halves(tail) == [tail[:1], tail[1:]]
    # under twice MIN_RUN_S of speech, or one chunk: one run
    short = chunks((0, MIN_RUN_S - 1), (MIN_RUN_S, 2 * MIN_RUN_S - 1))
    assert _halves(short) == [short]
    assert _halves(chunks((0, 200))) == [chunks((0, 200))]
    assert decoders("cuda", 0)[0] == 1  # other devices decode the runs in turn
    assert decoders("cpu", 8) == (2, 4)


def test_the_recognizers_threads_share_two_heaps_unless_the_user_chose(monkeypatch) -> None:
    """glibc's mallopt(M_ARENA_MAX, 2) once the model loads; MALLOC_ARENA_MAX in the environment wins."""
    import ctypes
    import platform

    from aligner import recognize

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, option: int, value: int) -> int:
            calls.append((option, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(platform, "libc_ver", lambda: ("glibc", "2.36"))
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    recognize._share_heaps()
    assert calls == [(-8, recognize.MALLOC_ARENAS)]
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    recognize._share_heaps()
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))  # musl, macOS: nothing to set
    recognize._share_heaps()
    assert calls == [(-8, recognize.MALLOC_ARENAS)]
