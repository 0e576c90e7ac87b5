"""Refinement beside recognition (aligner.refine.alongside): the same times as a pass of its own."""

from __future__ import annotations

import time

import pytest

from aligner import AlignOptions, align
from aligner.options import RecognizeOptions


@pytest.mark.model
def test_a_recognition_in_several_windows_refines_alongside_and_stores_it(
    episode_audio, episode_transcript, tmp_path
) -> None:
    """Cold, in 15 s windows: the words are refined while recognition runs, exactly as a separate pass would.

    Words reach the refinement thread in batches cut where a chunk ends anyway, so it aligns the same
    windows in the same order (pocketsphinx carries state from one window to the next, so the order
    matters too).
    """
    options = AlignOptions(recognize=RecognizeOptions(window_s=15), cache_dir=tmp_path)
    cold = align(episode_audio, episode_transcript, options)
    entries = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("relisten-"))  # the second pass's
    assert len(entries) == 2 and entries[1].startswith("refine-")  # the recognition and its refinement
    assert not [p for p in entries if p.startswith("partial-")]
    (tmp_path / entries[1]).unlink()  # the next run refines the cached recognition in one pass
    separate = align(episode_audio, episode_transcript, options)
    pairs = [(a, b) for a, b in zip(cold.words, separate.words) if a.start_ms is not None]
    assert len(pairs) >= 140
    assert cold.words == separate.words
    methods = {a.method for a, _ in pairs}
    assert "sphinx" in {m.value for m in methods if m is not None}


@pytest.mark.model
def test_the_refinement_in_a_process_of_its_own_times_what_a_thread_does(
    episode_audio, episode_transcript, tmp_path, monkeypatch
) -> None:
    """By default the refinement runs as ``python -m aligner.refine.apart`` beside recognition; with
    ALIGNER_REFINE_THREAD (and in daemonic workers) on a thread. The two refine the same chunks in the same
    order: the same times."""
    from aligner.refine.alongside import may_start_a_process

    assert may_start_a_process()
    apart = align(episode_audio, episode_transcript, AlignOptions(use_cache=False))
    monkeypatch.setenv("ALIGNER_REFINE_THREAD", "1")
    assert not may_start_a_process()
    thread = align(episode_audio, episode_transcript, AlignOptions(use_cache=False))
    assert apart.words == thread.words
    assert sum(1 for w in apart.words if w.method is not None and w.method.value in ("sphinx", "onset")) >= 100


def test_a_refinement_process_that_fails_says_why(tmp_path) -> None:
    """An audio file the process cannot read: its error comes back to the caller, not a hang."""
    from aligner.errors import AudioError
    from aligner.refine.alongside import RefineInProcess
    from aligner.types import AsrWord, Recognition

    refine = RefineInProcess(tmp_path / "missing.mp3", 10_000)
    words = (AsrWord("hello", 100, 400, 0.9),)
    refine.feed(words)
    with pytest.raises(AudioError):
        refine.finish(Recognition(words, (), 10_000, "tiny.en", "en"))
    started = time.monotonic()
    refine = RefineInProcess(tmp_path / "missing.mp3", None, processes=2)
    assert refine.running() == 2
    refine.abandon()  # stops at once, whatever it was doing: the processes are gone, not left behind
    assert refine.running() == 0 and time.monotonic() - started < 5


def test_a_pool_of_refinement_processes_times_what_one_does(episode_audio, episode_transcript) -> None:
    """Two processes share the chunks out (each aligns every other one): the same times as one process."""
    one = align(episode_audio, episode_transcript, AlignOptions(use_cache=False, refine_processes=1))
    two = align(episode_audio, episode_transcript, AlignOptions(use_cache=False, refine_processes=2))
    assert two.words == one.words
    assert sum(1 for w in two.words if w.method is not None and w.method.value in ("sphinx", "onset")) >= 100


def test_one_refinement_process_per_four_cores() -> None:
    from aligner.refine.alongside import refine_processes

    assert [refine_processes(cores) for cores in (1, 2, 7, 8, 16, 64)] == [1, 1, 1, 2, 4, 16]
    assert refine_processes(16, "cuda") == 8  # recognition is on the device: the cores are the refinement's
