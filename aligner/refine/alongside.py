"""Refinement in a thread beside recognition, fed the words as recognition gives them.

The recognizer leaves part of the CPU idle (CTranslate2 does not keep every
core busy, and it releases the GIL while it computes); refining in that time
instead of after recognition takes most of the refinement's cost off the wall
time. The audio comes from the blocks the recognizer decodes, handed over (see
:mod:`aligner.refine.handoff`), or from the file decoded again (a resumed run,
whose recognizer skips what it recognised before); either way a window at a
time, so memory stays bounded.

Words go to the thread in batches that end where the refinement would end a
chunk anyway (a pause of ``SPLIT_GAP_MS`` before the next word), so the
chunks, their windows and their order are those of one pass over all the
words (:func:`refine_file` gives the same result), and little is left to
refine when recognition ends.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from pathlib import Path

from aligner.audio import iter_windows, stream_audio
from aligner.refine.handoff import BlockHandoff
from aligner.refine.refiner import SPLIT_GAP_MS, Refiner, refine_words
from aligner.types import AsrWord, Recognition, Refinement

__all__ = ["REFINE_OVERLAP_MS", "REFINE_WINDOW_MS", "RefineAlongside", "refine_file"]

REFINE_WINDOW_MS = 60_000
REFINE_OVERLAP_MS = 5_000
"""Audio reaches word refinement in windows this long, overlapping by this much (memory stays bounded)."""


def refine_file(path: str | os.PathLike[str], recognition: Recognition) -> Refinement:
    """Refine a finished recognition's words, streaming the file again a window at a time."""
    windows = iter_windows(stream_audio(path), window_ms=REFINE_WINDOW_MS, overlap_ms=REFINE_OVERLAP_MS)
    return refine_words(recognition.words, windows, duration_ms=recognition.duration_ms)


class RefineAlongside:
    """Refinement on a thread of its own, fed words by :meth:`feed` while recognition runs."""

    def __init__(self, audio: BlockHandoff | Path, expected_ms: int | None) -> None:
        """``audio``: the recognizer's blocks, handed over, or the file to decode again."""
        self._handoff = audio if isinstance(audio, BlockHandoff) else None
        self._blocks = audio.received() if isinstance(audio, BlockHandoff) else stream_audio(audio)
        self._bound_ms = expected_ms or 2**62  # windows are clamped to the real end when the words are ordered
        self._queue: queue.SimpleQueue[tuple[AsrWord, ...] | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._refiner: Refiner | None = None
        self._held: list[AsrWord] = []  # words whose chunk may go on
        self._thread = threading.Thread(target=self._run, name="aligner-refine", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            windows = iter_windows(self._blocks, window_ms=REFINE_WINDOW_MS, overlap_ms=REFINE_OVERLAP_MS)
            self._refiner = Refiner(windows)
            while (batch := self._next_batch()) is not None and not self._stop.is_set():
                self._refiner.add(batch, duration_ms=self._bound_ms, stop=self._stop.is_set)
        except BaseException as error:  # handed to the main thread by finish()
            self._error = error
        finally:
            if self._handoff is not None:
                self._handoff.close()  # the recognizer must never wait for a reader that is gone

    def _next_batch(self) -> tuple[AsrWord, ...] | None:
        if self._handoff is None:
            return self._queue.get()
        self._handoff.reader_idle(True)
        try:
            return self._queue.get()
        finally:
            self._handoff.reader_idle(False)

    def feed(self, words: Sequence[AsrWord]) -> None:
        """The next words recognised; those up to the last chunk boundary go to the thread."""
        held = self._held
        held.extend(words)
        for k in range(len(held) - 1, 0, -1):
            if held[k].start_ms - held[k - 1].end_ms >= SPLIT_GAP_MS:
                self._queue.put(tuple(held[:k]))
                del held[:k]
                break

    def finish(self, recognition: Recognition) -> Refinement:
        """Send the last words, wait for the thread and return the refinement of ``recognition.words``."""
        if self._held:
            self._queue.put(tuple(self._held))
            self._held = []
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._refiner is not None
        return self._refiner.result(recognition.words, duration_ms=recognition.duration_ms)

    def abandon(self) -> None:
        """Stop the thread after its current chunk (recognition failed or was interrupted)."""
        self._stop.set()
        if self._handoff is not None:
            self._handoff.close()
        self._queue.put(None)
