"""Decoded audio handed from the recognizer's thread to the refinement's, so the file is decoded once.

Recognition decodes the episode a block at a time; word refinement, in a
thread beside it (see :mod:`aligner.refine.alongside`), needs the same samples a
little later. Decoding the file a second time cost about a sixth of the
refinement's CPU time; handing each block over costs nothing but the memory
of the blocks the refinement has not read yet.

That memory is bounded: the recognizer waits while more than ``limit``
samples are waiting to be read, except while the refinement itself waits
for words (then it cannot read anything until recognition gets further, and
making recognition wait would deadlock the two).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BlockHandoff"]


class BlockHandoff:
    """Passes the blocks of one stream on to a second reader in another thread.

    The first reader iterates :meth:`blocks` (each block is also queued for
    the second); the second iterates :meth:`received`. Either side may
    :meth:`close` it: the first reader's blocks then stop being queued, and
    the second reader's stream ends once the queue is empty.
    """

    def __init__(self, source: Iterable[np.ndarray], *, limit: int) -> None:
        self._source = source
        self._limit = limit
        self._queue: deque[np.ndarray] = deque()
        self._waiting = 0  # samples queued and not yet read
        self._ended = False  # the source is exhausted, failed, or the handoff was closed
        self._closed = False
        self._reader_idle = False
        self._changed = threading.Condition()

    def blocks(self) -> Iterator[np.ndarray]:
        """The source's blocks, each also queued for :meth:`received`."""
        try:
            for block in self._source:
                with self._changed:
                    while self._waiting > self._limit and not self._reader_idle and not self._closed:
                        self._changed.wait()
                    if not self._closed:
                        self._queue.append(block)
                        self._waiting += len(block)
                        self._changed.notify_all()
                yield block
        finally:
            with self._changed:
                self._ended = True
                self._changed.notify_all()

    def received(self) -> Iterator[np.ndarray]:
        """The blocks the first reader has read, in order; ends when its stream ends (or on close)."""
        while True:
            with self._changed:
                while not self._queue and not self._ended and not self._closed:
                    self._changed.wait()
                if not self._queue:
                    return
                block = self._queue.popleft()
                self._waiting -= len(block)
                self._changed.notify_all()
            yield block

    def reader_idle(self, idle: bool) -> None:
        """The second reader says it is (or is no longer) waiting for something other than blocks."""
        with self._changed:
            self._reader_idle = idle
            self._changed.notify_all()

    def close(self) -> None:
        """Stop handing blocks over (the second reader gave up, or the first stopped early)."""
        with self._changed:
            self._closed = True
            self._queue.clear()
            self._waiting = 0
            self._changed.notify_all()
