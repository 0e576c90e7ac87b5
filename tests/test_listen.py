"""Recognition's and refinement's cache policy (aligner.listen): what a run reuses, what it stores.

Entries are stored by the cache module itself, under the keys a run looks
up, so most cases need no model: a run that would recognise or refine when
it should reuse fails loudly instead.
"""

from __future__ import annotations

import pytest

import aligner.listen as listen_module
from aligner import AlignOptions, align, cache
from aligner.audio import audio_file
from aligner.listen import listen, refinement_of
from aligner.options import RecognizeOptions
from aligner.recognize import cache_key
from aligner.refine import refinement_key
from aligner.types import AsrWord, Recognition, Refinement, SpeechRegion, TimingMethod

HELLO = Recognition(
    words=(AsrWord("Hello", 0, 380, 0.9), AsrWord("there.", 380, 700, 0.8)),
    speech=(SpeechRegion(0, 715),),
    duration_ms=715,
    model="tiny.en (bundled)",
    language="en",
)


def _must_not_run(*args: object, **kwargs: object) -> None:
    raise AssertionError("ran again instead of reusing the cache")


@pytest.fixture
def hello(audio_dir):
    return audio_file(audio_dir / "hello.wav")


def test_a_stored_recognition_is_reused_and_reported_as_done(hello, tmp_path, monkeypatch):
    options = AlignOptions(cache_dir=tmp_path)
    cache.store(tmp_path, cache_key(hello.sha256, options.recognize), HELLO)
    monkeypatch.setattr(listen_module, "recognize_file", _must_not_run)
    progress: list[tuple[int, int]] = []
    recognition, refinement = listen(hello, options, lambda done, total: progress.append((done, total)))
    assert recognition == HELLO
    assert refinement is None  # words from the cache are refined afterwards (refinement_of)
    assert progress == [(715, 715)]


def test_a_recognition_stored_under_other_options_or_with_the_cache_off_is_not_reused(hello, tmp_path, monkeypatch):
    cache.store(tmp_path, cache_key(hello.sha256, RecognizeOptions()), HELLO)
    monkeypatch.setattr(listen_module, "recognize_file", _must_not_run)
    for options in (
        AlignOptions(cache_dir=tmp_path, refine=False, recognize=RecognizeOptions(beam_size=5)),
        AlignOptions(cache_dir=tmp_path, refine=False, use_cache=False),
    ):
        with pytest.raises(AssertionError, match="ran again"):
            listen(hello, options)


def test_a_stored_refinement_of_these_words_is_reused(hello, tmp_path, monkeypatch):
    refined = Refinement(
        (AsrWord("Hello", 10, 370, 0.9), AsrWord("there.", 370, 690, 0.8)), (TimingMethod.SPHINX, TimingMethod.ONSET)
    )
    cache.store_refinement(tmp_path, refinement_key(hello.sha256, HELLO.words), refined)
    monkeypatch.setattr(listen_module, "refine_file", _must_not_run)
    assert refinement_of(hello, HELLO, AlignOptions(cache_dir=tmp_path)) == refined


def test_a_refinement_is_stored_only_with_the_cache_on(hello, tmp_path):
    """pocketsphinx for real, on the 0.7 s clip."""
    off = refinement_of(hello, HELLO, AlignOptions(cache_dir=tmp_path / "off", use_cache=False))
    assert not (tmp_path / "off").exists()
    on = refinement_of(hello, HELLO, AlignOptions(cache_dir=tmp_path / "on"))
    assert on == off and len(on.words) == len(on.methods) == 2
    (entry,) = (tmp_path / "on").iterdir()
    assert entry.name == f"{refinement_key(hello.sha256, HELLO.words)}.json"
    assert cache.load_refinement(tmp_path / "on", entry.stem, HELLO.words, HELLO.duration_ms) == on


@pytest.mark.model
def test_a_rerun_reuses_the_refinement(episode_result, episode_audio, episode_transcript, cache_dir) -> None:
    assert any(path.name.startswith("refine-") for path in cache_dir.iterdir())
    again = align(episode_audio, episode_transcript, AlignOptions(cache_dir=cache_dir))
    assert again.words == episode_result.words and again.cues == episode_result.cues


def test_a_refinement_made_after_recognition_by_a_pool_is_the_one_made_beside_it(first_pass) -> None:
    """A cached recognition whose refinement is not (a new recipe) is refined again: by two processes
    sharing the chunks, the times made beside recognition."""
    from dataclasses import replace

    audio, _, recognition, refinement, options = first_pass
    again = refinement_of(audio, recognition, replace(options, use_cache=False, refine_processes=2))
    assert again == refinement
