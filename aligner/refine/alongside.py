"""Refinement beside recognition, fed the words as recognition gives them.

Refining while recognition runs instead of after it takes most of the
refinement's cost off the wall time. By default it runs in a process of its
own (:class:`RefineInProcess`, decoding the file again), since pocketsphinx
holds the GIL; where this process may not start one, on a thread
(:class:`RefineAlongside`), whose audio comes from the blocks the recognizer
decodes, handed over (see :mod:`aligner.refine.handoff`), or from the file
decoded again (a resumed run, whose recognizer skips what it recognised
before). Either way the audio comes a window at a time, so memory stays
bounded.

Words go in batches that end where the refinement would end a
chunk anyway (a pause of ``SPLIT_GAP_MS`` before the next word), so the
chunks, their windows and their order are those of one pass over all the
words (:func:`refine_file` gives the same result), and little is left to
refine when recognition ends.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.audio import iter_windows, stream_audio
from aligner.refine.handoff import BlockHandoff
from aligner.refine.refiner import SPLIT_GAP_MS, Refiner, refine_words, refinement_from
from aligner.types import AsrWord, Recognition, Refinement

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "REFINE_OVERLAP_MS",
    "REFINE_WINDOW_MS",
    "RefineAlongside",
    "RefineInProcess",
    "may_start_a_process",
    "refine_file",
    "refine_processes",
    "refinement_windows",
]

REFINE_WINDOW_MS = 60_000
REFINE_OVERLAP_MS = 5_000
"""Audio reaches word refinement in windows this long, overlapping by this much (memory stays bounded)."""


def refinement_windows(blocks: Iterable[np.ndarray]) -> Iterator[tuple[int, np.ndarray]]:
    """The refinement's overlapping windows over a block stream."""
    return iter_windows(blocks, window_ms=REFINE_WINDOW_MS, overlap_ms=REFINE_OVERLAP_MS)


def refine_file(path: str | os.PathLike[str], recognition: Recognition) -> Refinement:
    """Refine a finished recognition's words, streaming the file again a window at a time."""
    return refine_words(recognition.words, refinement_windows(stream_audio(path)), duration_ms=recognition.duration_ms)


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
            self._refiner = Refiner(refinement_windows(self._blocks))
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
        batch = _batch_at_chunk_end(self._held, words)
        if batch is not None:
            self._queue.put(batch)

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


def _batch_at_chunk_end(held: list[AsrWord], words: Sequence[AsrWord]) -> tuple[AsrWord, ...] | None:
    """Add ``words`` to ``held``; take off and return those up to the last chunk boundary, if any."""
    held.extend(words)
    for k in range(len(held) - 1, 0, -1):
        if held[k].start_ms - held[k - 1].end_ms >= SPLIT_GAP_MS:
            batch = tuple(held[:k])
            del held[:k]
            return batch
    return None


class RefineInProcess:
    """The same refinement in processes of its own, fed words by :meth:`feed` while recognition runs.

    Why a process: pocketsphinx holds the GIL while it aligns a chunk, so on
    a thread it stops the recognizer's threads each time they need the
    interpreter between CTranslate2's calls. With the recognizer on every
    core (two runs side by side, :mod:`aligner.recognize`), its own process
    competes for the cores, not for the interpreter (docs/accuracy.md,
    "Where the time goes"). The process decodes the file itself (a window at
    a time, as :func:`refine_file` does) and refines the chunks the thread
    would, in the same order, so the result is the same.

    ``processes``: more than one shares the chunks out (each is sent every
    batch and aligns every n-th chunk, :class:`~aligner.refine.refiner.Refiner`'s
    ``share``), for a machine whose cores recognition leaves idle
    (:func:`refine_processes`); the result is the same with any number.

    The process is ``python -m aligner.refine.apart``, not a multiprocessing
    child: those re-import the caller's main module, which runs a script
    calling :func:`aligner.align` without a ``__main__`` guard a second time.
    Messages go as pickles over its standard input (from a thread of this
    one, so recognition never waits on a pipe) and its times come back on
    its standard output.
    """

    def __init__(self, path: Path, expected_ms: int | None, *, processes: int = 1) -> None:
        bound_ms = expected_ms or 2**62  # windows are clamped to the real end when the words are ordered
        count = max(processes, 1)
        self._workers = [_Worker(path, bound_ms, (k, count)) for k in range(count)]
        self._held: list[AsrWord] = []

    def feed(self, words: Sequence[AsrWord]) -> None:
        """The next words recognised; those up to the last chunk boundary go to the processes."""
        batch = _batch_at_chunk_end(self._held, words)
        if batch is not None:
            for worker in self._workers:
                worker.send(("words", batch))

    def finish(self, recognition: Recognition) -> Refinement:
        """Send the last words, wait for the processes and return the refinement of ``recognition.words``."""
        if self._held:
            for worker in self._workers:
                worker.send(("words", tuple(self._held)))
            self._held = []
        for worker in self._workers:
            worker.send(("end", recognition.words))
            worker.send(None)
        replies = [worker.reply() for worker in self._workers]
        for kind, value in replies:
            if kind == "error":
                raise value  # type: ignore[misc]
        return refinement_from(recognition.words, [value for _, value in replies], duration_ms=recognition.duration_ms)  # type: ignore[misc]

    def abandon(self) -> None:
        """Stop the processes (recognition failed or was interrupted)."""
        for worker in self._workers:
            worker.kill()

    def running(self) -> int:
        """How many of its processes have not exited."""
        return sum(worker.running() for worker in self._workers)


class _Worker:
    """One ``python -m aligner.refine.apart`` process, and the thread that writes its messages."""

    def __init__(self, path: Path, bound_ms: int, share: tuple[int, int]) -> None:
        import subprocess
        import sys

        self._process = subprocess.Popen(
            [sys.executable, "-m", "aligner.refine.apart", str(path), str(bound_ms), str(share[0]), str(share[1])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._outbox: queue.SimpleQueue[tuple[object, ...] | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="aligner-refine-feed", daemon=True)
        self._writer.start()

    def _write(self) -> None:
        import pickle

        pipe = self._process.stdin
        assert pipe is not None
        try:
            while (message := self._outbox.get()) is not None:
                pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()
        except OSError:  # the process is gone (a broken pipe): reply() reports it
            pass
        finally:
            with contextlib.suppress(OSError):
                pipe.close()

    def send(self, message: tuple[object, ...] | None) -> None:
        self._outbox.put(message)

    def reply(self) -> tuple[str, object]:
        """What the process answered: ``("times", ...)`` or ``("error", exception)``."""
        import pickle

        assert self._process.stdout is not None
        try:
            kind, value = pickle.load(self._process.stdout)
        except Exception:  # it died (no reply), or its error does not rebuild here
            kind, value = "error", RuntimeError(f"word refinement stopped (exit status {self._process.wait()})")
        self._process.wait()
        self._writer.join()
        return kind, value

    def running(self) -> bool:
        return self._process.poll() is None

    def kill(self) -> None:
        self._outbox.put(None)
        self._process.kill()
        self._process.wait()


CORES_PER_REFINER = 4
"""Cores one refinement process keeps pace with: recognition takes 0.028-0.030 CPU-seconds per second of audio
(decoding, VAD, features, encoder and decoder, shared out over every core), refinement 0.0074-0.0077 on one
core (``python benchmarks/time_breakdown.py --minutes 10 30``, then ``--minutes 90``), so one process keeps up
with recognition on about four cores."""


def refine_processes(cores: int, device: str = "cpu") -> int:
    """Refinement processes for a machine with ``cores``: one per :data:`CORES_PER_REFINER`, at least one.

    On the 2-core machine this project is measured on, one: two would take a core from recognition. Where
    recognition runs on another device (``cuda``), half the cores: the rest decode the audio and compute
    the recognizer's features (a rule from the CPU figures, not measured: no GPU machine has been lent).
    """
    return max(1, cores // (CORES_PER_REFINER if device == "cpu" else 2))


def may_start_a_process() -> bool:
    """Whether the refinement gets a process of its own: not inside a daemonic worker (multiprocessing
    pools and cluster workers, which already share the cores out), nor where ``ALIGNER_REFINE_THREAD`` is
    set (to compare the two)."""
    import multiprocessing

    return not multiprocessing.current_process().daemon and not os.environ.get("ALIGNER_REFINE_THREAD")
