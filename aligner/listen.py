"""Audio -> what was said and when: recognition with its cache and resume, and refinement.

This module owns the cache policy of the two expensive stages. A recognition
is reused when the same audio was recognised with the same model and
decoding options (:func:`aligner.recognize.cache_key`); a refinement when the
same recognized words of the same audio were refined by the same recipe
(:func:`aligner.refine.refinement_key`). Re-running after a transcript edit,
the usual case, therefore recognises and refines nothing.

While recognising, each finished window is recorded in the cache, so a run
that is interrupted (Ctrl-C, a laptop going to sleep for good, a killed job)
resumes where it stopped instead of starting again. When the words are to be
refined, a recognition that runs refines them alongside
(:class:`aligner.refine.alongside.RefineAlongside`), on the blocks the
recognizer decodes; words from the cache are refined afterwards
(:func:`refinement_of`), or their refinement comes from the cache too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aligner import cache
from aligner.audio import AudioFile, probe_duration_ms, stream_audio
from aligner.options import AlignOptions
from aligner.recognize import ProgressCallback, available_cores, cache_key, recognize_file
from aligner.refine import refinement_key
from aligner.refine.alongside import (
    RefineAlongside,
    RefineInProcess,
    may_start_a_process,
    refine_file,
    refine_processes,
)
from aligner.refine.handoff import BlockHandoff
from aligner.timecode import format_clock
from aligner.types import SAMPLE_RATE, PartialRecognition, Recognition, Refinement

__all__ = ["listen", "refinement_of"]

log = logging.getLogger(__name__)


def listen(
    audio: AudioFile, options: AlignOptions, on_progress: ProgressCallback | None = None
) -> tuple[Recognition, Refinement | None]:
    """The recognition of ``audio``, and its refinement when one was made on the way.

    Returns:
        The recognition, from the cache or made now; and, when
        ``options.refine`` and recognition ran, the refinement made beside it
        (None otherwise: see :func:`refinement_of`).

    Raises:
        AudioError, ModelError: from recognition.
    """
    folder = _cache_folder(options)
    key = cache_key(audio.sha256, options.recognize) if options.use_cache else None
    if key is not None:
        stored = cache.load(folder, key)
        if stored is not None:
            if on_progress:
                on_progress(stored.duration_ms, stored.duration_ms)
            return stored, None
    window_ms = options.recognize.window_s * 1000
    partial = cache.load_partial(folder, key, window_ms) if key is not None else None
    if partial is not None:
        log.info(
            "Resuming the recognition of %s at %s, where an interrupted run stopped",
            Path(audio.path).name,
            format_clock(partial.done_ms),
        )
    blocks = handoff = None
    alongside: RefineAlongside | RefineInProcess | None = None
    if options.refine and may_start_a_process():
        processes = _refine_processes(options)
        alongside = RefineInProcess(Path(audio.path), probe_duration_ms(audio.path), processes=processes)
    elif options.refine:
        if partial is None:  # the recognizer decodes every block: hand them over
            handoff = BlockHandoff(stream_audio(audio.path), limit=window_ms * SAMPLE_RATE // 1000)
            blocks = handoff.blocks()
        alongside = RefineAlongside(handoff or Path(audio.path), probe_duration_ms(audio.path))

    def on_window(done: PartialRecognition) -> None:
        if key is not None:
            cache.store_partial(folder, key, done)

    if alongside is not None and partial is not None:
        alongside.feed(partial.words)
    try:
        recognition = recognize_file(
            audio.path,
            options.recognize,
            window_ms=window_ms,
            on_progress=on_progress,
            resume=partial,
            on_window=on_window,
            blocks=blocks,
            on_words=alongside.feed if alongside is not None else None,
        )
    except BaseException:
        if alongside is not None:
            alongside.abandon()
        raise
    if key is not None:
        cache.store(folder, key, recognition)
        cache.discard_partial(folder, key, window_ms)
    if alongside is None or not recognition.words:
        if alongside is not None:
            alongside.abandon()
        return recognition, None
    refinement = alongside.finish(recognition)
    if options.use_cache:
        cache.store_refinement(folder, refinement_key(audio.sha256, recognition.words), refinement)
    return recognition, refinement


def refinement_of(audio: AudioFile, recognition: Recognition, options: AlignOptions) -> Refinement:
    """Refined word times of a recognition, from the cache when these words of this audio were refined before.

    The audio is streamed again, a window at a time (see :mod:`aligner.refine`), by a pool of processes
    where the machine has the cores for more than one (``options.refine_processes``).
    """
    folder = _cache_folder(options)
    key = refinement_key(audio.sha256, recognition.words) if options.use_cache else None
    if key is not None:
        stored = cache.load_refinement(folder, key, recognition.words, recognition.duration_ms)
        if stored is not None:
            return stored
    processes = _refine_processes(options)
    if processes > 1 and may_start_a_process():
        pool = RefineInProcess(Path(audio.path), recognition.duration_ms, processes=processes)
        pool.feed(recognition.words)
        refinement = pool.finish(recognition)
    else:
        refinement = refine_file(audio.path, recognition)
    if key is not None:
        cache.store_refinement(folder, key, refinement)
    return refinement


def _refine_processes(options: AlignOptions) -> int:
    return options.refine_processes or refine_processes(available_cores(), options.recognize.device)


def _cache_folder(options: AlignOptions) -> Path:
    return Path(options.cache_dir) if options.cache_dir is not None else cache.default_cache_dir()
