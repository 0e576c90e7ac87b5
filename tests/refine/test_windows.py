"""The second pass's cached alignments: computed once, in window order, each from its own samples."""

from __future__ import annotations

from aligner.audio import audio_file
from aligner.options import AlignOptions
from aligner.refine.windows import cached_alignments
from aligner.types import AsrWord, Refinement, TimingMethod


def test_each_window_is_aligned_once_and_then_read_from_the_cache(audio_dir, tmp_path) -> None:
    audio = audio_file(audio_dir / "hello.wav")
    windows = [(0, 400), (200, 600)]
    candidates = [[AsrWord("hello", 50, 300, 0.9)], [AsrWord("world", 400, 800, 0.9)]]
    seen: list[tuple[int, int]] = []

    def align(aligner, samples, k):
        seen.append((k, len(samples)))
        word = candidates[k][0]
        return Refinement((AsrWord(word.text, word.start_ms + 10, word.end_ms - 10, 0.9),), (TimingMethod.SPHINX,))

    options = AlignOptions(cache_dir=tmp_path)
    first = cached_alignments(audio, "test-window", candidates, windows, 10_000, options, align)
    assert seen == [(0, 400 * 16), (1, 400 * 16)]  # in order, each its own window's samples
    assert [w.start_ms for r in first for w in r.words] == [60, 410]

    seen.clear()
    again = cached_alignments(audio, "test-window", candidates, windows, 10_000, options, align)
    assert seen == [] and again == first

    other = cached_alignments(audio, "test-window", candidates, windows, 10_000, options, align, extras=["r", "o"])
    assert [k for k, _ in seen] == [0, 1] and other == first  # something else decides them: not the same keys
    seen.clear()

    uncached = cached_alignments(
        audio, "test-window", candidates, windows, 10_000, AlignOptions(cache_dir=tmp_path, use_cache=False), align
    )
    assert [k for k, _ in seen] == [0, 1] and uncached == first
