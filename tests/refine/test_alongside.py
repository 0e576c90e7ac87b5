"""Refinement beside recognition (aligner.refine.alongside): the same times as a pass of its own."""

from __future__ import annotations

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
