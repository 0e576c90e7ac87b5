"""Forced alignments of a second pass's windows, each cached like a refinement.

The checks after the first pass (:mod:`aligner.confirm`, :mod:`aligner.retrace`)
each align a few short windows of the episode with words of their own
choosing. What they share is here: an alignment already in the cache is
not computed again, the others are computed in window order with one
:class:`~aligner.refine.sphinx.SphinxAligner` (which aligns each window
afresh, so a window's result does not depend on which others were cached),
and each is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aligner import cache
from aligner.audio import AudioFile
from aligner.options import AlignOptions
from aligner.types import AsrWord, Refinement, TimingMethod

if TYPE_CHECKING:  # loaded only when an alignment is not in the cache
    import numpy as np

    from aligner.refine.sphinx import AlignedWord, SphinxAligner

__all__ = ["Aligning", "cached_alignments", "placed_in_episode"]

Aligning = Callable[["SphinxAligner", "np.ndarray", int], Refinement]
"""Aligns the k-th window's samples (float32, 16 kHz) with the aligner given."""


def cached_alignments(
    audio: AudioFile,
    name: str,
    candidates: Sequence[Sequence[AsrWord]],
    windows: Sequence[tuple[int, int]],
    duration_ms: int,
    options: AlignOptions,
    align: Aligning,
    *,
    extras: Sequence[str] | None = None,
) -> list[Refinement]:
    """Each window's alignment, from the cache or from ``align``.

    ``windows`` are (start, end) ms in the episode, in order of their starts.
    A window's cache key is ``name`` (the caller's module and recipe), the
    refinement key of its candidates, its window and its entry of ``extras``
    (what else decides the alignment); the cached result is checked against
    the candidates.
    """
    from aligner.refine import refinement_key

    keys = [
        f"{name}-{refinement_key(audio.sha256, words)[:48]}-{start}-{end}" + (f"-{extras[k]}" if extras else "")
        for k, (words, (start, end)) in enumerate(zip(candidates, windows))
    ]
    folder = Path(options.cache_dir) if options.cache_dir is not None else cache.default_cache_dir()
    results: list[Refinement | None] = [
        cache.load_refinement(folder, key, words, duration_ms) if options.use_cache else None
        for key, words in zip(keys, candidates)
    ]
    needed = [k for k, r in enumerate(results) if r is None]
    if needed:
        from aligner.audio import read_spans
        from aligner.refine.sphinx import SphinxAligner

        aligner = SphinxAligner()
        for k, samples in zip(needed, read_spans(audio.path, [windows[k] for k in needed])):
            result = align(aligner, samples, k)
            if options.use_cache:
                cache.store_refinement(folder, keys[k], result)
            results[k] = result
    return [r for r in results if r is not None]


def placed_in_episode(
    candidates: Sequence[AsrWord], aligned: Sequence[AlignedWord | None] | None, window_start_ms: int
) -> Refinement:
    """The candidates at the aligner's places (``sphinx``, times in the episode); one it did not place
    (or all, where the window failed) keeps its candidate time, ``whisper``."""
    out, methods = [], []
    for k, word in enumerate(candidates):
        spot = aligned[k] if aligned is not None else None
        if spot is None:
            out.append(word)
            methods.append(TimingMethod.WHISPER)
        else:
            start = window_start_ms + spot.start_ms
            out.append(AsrWord(word.text, start, max(window_start_ms + spot.end_ms, start), word.probability))
            methods.append(TimingMethod.SPHINX)
    return Refinement(tuple(out), tuple(methods))
