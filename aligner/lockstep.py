"""Several clips through one Whisper model at once, their decoder steps batched.

Why: over half of a cold run's CPU time is Whisper's text decoder, and one
clip's decoder, a token at a time at batch size 1, leaves most of the
machine's arithmetic unused. Decoding several clips in one batched call
costs little more than decoding one (docs/accuracy.md, "Where the time
goes"). faster-whisper's own batched pipeline does that, but decodes each
clip of up to 30 s once: where Whisper stops early (quiet, reverberant
speech), the rest of the clip is lost. Here every clip keeps faster-whisper's
own sequential loop (encode 30 s, decode, seek to the last timestamp, again),
each on a thread of its own, and only the decoder calls meet.

How: each clip's ``transcribe`` runs on a worker thread against a view of the
model whose ``generate`` is a rendezvous. A call waits until every worker
still decoding has made one; then the last to arrive runs them all as one
batch and hands each worker its row. Encoding and word alignment go
straight to the model: batching them gained nothing on this machine (the
encoder is compute-bound; aligning several clips at once was slower).

Worked example, three clips and two workers::

    worker 1: clip 0 encode -> generate ─┐          ┌→ align, seek -> encode -> generate ─┐ ...
    worker 2: clip 1 encode -> generate ─┴ batch of 2┴→ align, clip done; clip 2 encode -> generate ─┘

A worker whose clip is done takes the next clip without leaving the
rendezvous, so which clips share a batch depends only on how many segments
each clip takes, never on thread timing: the rows of a batch are put in clip
order, and a run is repeatable. On the benchmark the words came out the same
at one, four and eight workers (batched greedy decoding matched decoding a
row alone); the cache key leaves the count out for that reason.

CPU only: batching stacks the encoder outputs through numpy, which a GPU's
outputs are not; other devices decode the clips one after another.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel

T = TypeVar("T")

DecodeClip = Callable[["WhisperModel", "np.ndarray"], T]
"""Recognise one clip with the model given (the shared view, or the model itself)."""


@dataclass
class _Call:
    """One worker's ``generate`` call, waiting for its batch."""

    clip: int
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    done: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass
class _Rendezvous:
    """Where the workers' ``generate`` calls meet (see the module docstring)."""

    model: Any  # ctranslate2.models.Whisper
    live: int = 0
    waiting: list[_Call] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def generate(self, clip: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        call = _Call(clip, args, kwargs)
        with self.lock:
            self.waiting.append(call)
            if len(self.waiting) >= self.live:
                self._run()
            while not call.done:
                self.lock.wait()
        if call.error is not None:
            raise call.error
        return call.result

    def leave(self) -> None:
        with self.lock:
            self.live -= 1
            if self.waiting and len(self.waiting) >= self.live:
                self._run()

    def _run(self) -> None:
        """Run the waiting calls (the lock held); calls with different options go as separate batches."""
        calls, self.waiting = sorted(self.waiting, key=lambda c: c.clip), []
        kinds: dict[str, list[_Call]] = {}
        for call in calls:
            kinds.setdefault(repr(sorted(call.kwargs.items())), []).append(call)
        for same in kinds.values():
            try:
                results = self.model.generate(
                    _stacked([c.args[0] for c in same]), [c.args[1][0] for c in same], **same[0].kwargs
                )
                for call, result in zip(same, results, strict=True):
                    call.result = [result]
            except Exception as error:  # each worker re-raises it on its own thread
                for call in same:
                    call.error = error
        for call in calls:
            call.done = True
        self.batches.append(len(calls))
        self.lock.notify_all()


def _stacked(encoded: Sequence[Any]) -> Any:
    """One batch of encoder outputs (CPU StorageViews of batch size 1)."""
    import ctranslate2
    import numpy as np

    if len(encoded) == 1:
        return encoded[0]
    return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.concatenate([np.asarray(e) for e in encoded])))


class _SharedModel:
    """The CTranslate2 model as a worker sees it: ``generate`` goes through the rendezvous."""

    def __init__(self, rendezvous: _Rendezvous, current: threading.local) -> None:
        self._rendezvous = rendezvous
        self._current = current

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rendezvous.model, name)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        return self._rendezvous.generate(self._current.clip, args, kwargs)


@dataclass(frozen=True)
class Decoded(Generic[T]):
    """Each clip's result, in clip order, and the size of every batch the decoder ran."""

    results: list[T]
    batches: list[int]


def decode_together(
    model: WhisperModel, clips: Sequence[np.ndarray], decode: DecodeClip[T], workers: int
) -> Decoded[T]:
    """``decode(model, clip)`` for every clip, ``workers`` clips at a time, the decoder calls batched.

    With one worker, one clip or a model not on the CPU, the clips are
    decoded one after another with the model itself.

    Raises:
        whatever ``decode`` raises, for the first clip that raised.
    """
    workers = min(workers, len(clips))
    if workers <= 1 or model.model.device != "cpu":
        return Decoded([decode(model, clip) for clip in clips], [1] * len(clips))
    rendezvous = _Rendezvous(model.model, live=workers)
    current = threading.local()
    view = copy.copy(model)  # shares the tokenizer and feature extractor; only its .model differs
    view.model = _SharedModel(rendezvous, current)
    results: dict[int, T] = {}
    errors: dict[int, BaseException] = {}
    next_clip = iter(range(len(clips)))
    taking = threading.Lock()

    def work() -> None:
        try:
            while True:
                with taking:
                    index = next(next_clip, None)
                if index is None:
                    return
                current.clip = index
                try:
                    results[index] = decode(view, clips[index])
                except Exception as error:
                    errors[index] = error
        finally:
            rendezvous.leave()

    threads = [threading.Thread(target=work, name=f"aligner-decode-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return Decoded([results[i] for i in range(len(clips))], rendezvous.batches)
