"""The stages in order: transcript, audio, recognition, alignment, timing, captions.

The only module that knows the order of the stages. It does no I/O of its
own beyond what the stages do (reading inputs, the recognition cache); the
caller decides what to write.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from aligner import cache
from aligner.align import align_tokens
from aligner.audio import SAMPLE_RATE, AudioFile, audio_file, iter_windows, probe_duration_ms, stream_audio
from aligner.captions import build_cues
from aligner.errors import AlignmentError
from aligner.handoff import BlockHandoff
from aligner.options import CaptionOptions, RecognizeOptions
from aligner.recognize import ProgressCallback, cache_key, recognize_file
from aligner.refine import SPLIT_GAP_MS, Refiner, label_methods, refine_words, refinement_key
from aligner.report import matched_share, missing_passages, summarize
from aligner.timecode import format_clock
from aligner.timing import assign_times
from aligner.readers import read_transcript
from aligner.types import AsrWord, PartialRecognition, Recognition, Refinement, Result

log = logging.getLogger(__name__)

MIN_MATCHED_SHARE = 0.30
"""Below this share of matched body words the transcript is taken to belong to other audio."""

REFINE_WINDOW_MS = 60_000
REFINE_OVERLAP_MS = 5_000
"""Audio reaches word refinement in windows this long, overlapping by this much (memory stays bounded)."""


def align(
    audio_path: str | os.PathLike[str],
    transcript_path: str | os.PathLike[str],
    *,
    recognize_options: RecognizeOptions = RecognizeOptions(),
    caption_options: CaptionOptions = CaptionOptions(),
    use_cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    refine: bool = True,
    transcript_format: str = "auto",
) -> Result:
    """Align a transcript to its audio.

    Args:
        audio_path: the episode audio (any container PyAV reads).
        transcript_path: the transcript: Markdown, plain text, timestamped
            speaker lines, SRT, WebVTT or .docx (see :mod:`aligner.readers`).
        recognize_options: model and decoding options.
        caption_options: caption limits.
        use_cache: reuse a stored recognition of the same audio, model and
            options, and a stored refinement of the same recognized words,
            and store new ones.
        cache_dir: where recognitions are stored (default: see
            :func:`aligner.cache.default_cache_dir`).
        force: align even when the transcript looks like another episode's.
        on_progress: called with (audio ms done, total) during recognition.
        refine: re-time the recognized words against the audio with a
            forced aligner (:mod:`aligner.refine`); off, words keep
            Whisper's own times (about 0.1 s off).
        transcript_format: ``auto`` (detect from content and extension) or
            one of :data:`aligner.readers.TRANSCRIPT_FORMATS`.

    Returns:
        The Result the writers take.

    Raises:
        AudioError, TranscriptError, ModelError: unusable inputs.
        AlignmentError: under 30% of the transcript found in the audio
            (unless ``force``).
    """
    transcript = read_transcript(transcript_path, transcript_format=transcript_format)  # cheap: fail first
    audio = audio_file(audio_path)
    recognition, refinement = _recognize_cached(audio, recognize_options, use_cache, cache_dir, on_progress, refine)

    ops = align_tokens(transcript.tokens, recognition.words, stamps=transcript.stamps)
    share = matched_share(transcript.tokens, ops)
    if share < MIN_MATCHED_SHARE and not force:
        if not recognition.words:
            raise AlignmentError(
                f"{audio.path}: no speech was recognised in the audio (use --force to write outputs anyway)"
            )
        raise AlignmentError(
            f"{transcript.path}: only {share:.0%} of the transcript was found in {audio.path}; "
            "is it the transcript of this episode? (use --force to align anyway)"
        )
    heard = recognition
    if refine and recognition.words:
        refinement = refinement or _refine_cached(audio, recognition, use_cache, cache_dir)
        heard = replace(recognition, words=refinement.words)
    timing = assign_times(transcript.tokens, heard, ops)
    words = label_methods(timing.words, ops, refinement.methods if refinement else None)
    cues = build_cues(words, duration_ms=recognition.duration_ms, options=caption_options)
    return Result(
        audio_path=audio.path,
        transcript_path=transcript.path,
        duration_ms=recognition.duration_ms,
        model=recognition.model,
        language=recognition.language,
        speakers=transcript.speakers,
        words=words,
        cues=cues,
        audio_only=timing.audio_only,
        missing=missing_passages(words),
        summary=summarize(words),
    )


def _refine_cached(
    audio: AudioFile, recognition: Recognition, use_cache: bool, cache_dir: str | os.PathLike[str] | None
) -> Refinement:
    """Refined word times, from the cache when these words of this audio were refined before.

    The audio is streamed again, a window at a time (see :mod:`aligner.refine`).
    """
    folder = _cache_folder(cache_dir)
    key = refinement_key(audio.sha256, recognition.words) if use_cache else None
    if key is not None:
        stored = cache.load_refinement(folder, key, recognition.words, recognition.duration_ms)
        if stored is not None:
            return stored
    windows = iter_windows(stream_audio(audio.path), window_ms=REFINE_WINDOW_MS, overlap_ms=REFINE_OVERLAP_MS)
    refinement = refine_words(recognition.words, windows, duration_ms=recognition.duration_ms)
    if key is not None:
        cache.store_refinement(folder, key, refinement)
    return refinement


def _cache_folder(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else cache.default_cache_dir()


class _RefineAlongside:
    """Word refinement in a thread beside recognition, fed the words as recognition gives them.

    The recognizer leaves part of the CPU idle (CTranslate2 does not keep
    every core busy, and it releases the GIL while it computes); refining in
    that time instead of after recognition takes most of the refinement's
    cost off the wall time. The audio comes from ``blocks``: the blocks the
    recognizer decodes, handed over (see :mod:`aligner.handoff`), or the
    file decoded again (a resumed run, whose recognizer skips what it
    recognised before); either way a window at a time, so memory stays bounded.

    Words go to the thread in batches that end where the refinement would
    end a chunk anyway (a pause of ``SPLIT_GAP_MS`` before the next word),
    so the chunks, their windows and their order are those of one pass
    over all the words, and little is left to refine when recognition ends.
    """

    def __init__(self, audio: BlockHandoff | Path, expected_ms: int | None) -> None:
        """``audio``: the recognizer's blocks, handed over, or the file to decode again."""
        self._handoff = audio if isinstance(audio, BlockHandoff) else None
        self._blocks = self._handoff.received() if self._handoff is not None else stream_audio(audio)
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


def _recognize_cached(
    audio: AudioFile,
    options: RecognizeOptions,
    use_cache: bool,
    cache_dir: str | os.PathLike[str] | None,
    on_progress: ProgressCallback | None,
    refine: bool,
) -> tuple[Recognition, Refinement | None]:
    """Recognition from the cache when the same audio, model and options were seen before.

    While recognising, each finished window is recorded in the cache, so a
    run that is interrupted (Ctrl-C, a laptop going to sleep for good, a
    killed job) resumes where it stopped instead of starting again. When
    the words are to be refined, a recognition that runs also refines its
    words alongside (see :class:`_RefineAlongside`) and returns the
    refinement; a recognition from the cache returns None for it.
    """
    folder = _cache_folder(cache_dir)
    key = cache_key(audio.sha256, options) if use_cache else None
    if key is not None:
        stored = cache.load(folder, key)
        if stored is not None:
            if on_progress:
                on_progress(stored.duration_ms, stored.duration_ms)
            return stored, None
    window_ms = options.window_s * 1000
    partial = cache.load_partial(folder, key, window_ms) if key is not None else None
    if partial is not None:
        log.info("Resuming the recognition of %s at %s, where an interrupted run stopped", Path(audio.path).name,
                 format_clock(partial.done_ms))
    blocks = handoff = alongside = None
    if refine:
        if partial is None:  # the recognizer decodes every block: hand them over
            handoff = BlockHandoff(stream_audio(audio.path), limit=window_ms * SAMPLE_RATE // 1000)
            blocks = handoff.blocks()
        alongside = _RefineAlongside(handoff or Path(audio.path), probe_duration_ms(audio.path))

    def on_window(done: PartialRecognition) -> None:
        if key is not None:
            cache.store_partial(folder, key, done)

    if alongside is not None and partial is not None:
        alongside.feed(partial.words)
    try:
        recognition = recognize_file(
            audio.path,
            options,
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
    if key is not None:
        cache.store_refinement(folder, refinement_key(audio.sha256, recognition.words), refinement)
    return recognition, refinement
