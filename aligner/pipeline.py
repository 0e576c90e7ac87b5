"""The stages in order: transcript, audio, recognition, alignment, timing, captions.

The only module that knows the order of the stages. It does no I/O of its
own beyond what the stages do (reading inputs, the recognition cache); the
caller decides what to write.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from aligner import cache
from aligner.align import align_tokens
from aligner.audio import AudioFile, audio_file, iter_windows, stream_audio
from aligner.captions import build_cues
from aligner.errors import AlignmentError
from aligner.options import CaptionOptions, RecognizeOptions
from aligner.recognize import ProgressCallback, cache_key, recognize_file
from aligner.refine import label_methods, refine_words, refinement_key
from aligner.report import matched_share, missing_passages, summarize
from aligner.timing import assign_times
from aligner.readers import read_transcript
from aligner.types import Recognition, Refinement, Result

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
    recognition = _recognize_cached(audio, recognize_options, use_cache, cache_dir, on_progress)

    ops = align_tokens(transcript.tokens, recognition.words, stamps=transcript.stamps)
    timing = assign_times(transcript.tokens, recognition, ops)
    share = matched_share(timing.words)
    if share < MIN_MATCHED_SHARE and not force:
        if not recognition.words:
            raise AlignmentError(
                f"{audio.path}: no speech was recognised in the audio (use --force to write outputs anyway)"
            )
        raise AlignmentError(
            f"{transcript.path}: only {share:.0%} of the transcript was found in {audio.path}; "
            "is it the transcript of this episode? (use --force to align anyway)"
        )
    refinement = None
    if refine and recognition.words:
        refinement = _refine_cached(audio, recognition, use_cache, cache_dir)
        timing = assign_times(transcript.tokens, replace(recognition, words=refinement.words), ops)
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
    folder = Path(cache_dir) if cache_dir is not None else cache.default_cache_dir()
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


def _recognize_cached(
    audio: AudioFile,
    options: RecognizeOptions,
    use_cache: bool,
    cache_dir: str | os.PathLike[str] | None,
    on_progress: ProgressCallback | None,
) -> Recognition:
    """Recognition from the cache when the same audio, model and options were seen before."""
    if not use_cache:
        return recognize_file(audio.path, options, on_progress=on_progress)
    folder = Path(cache_dir) if cache_dir is not None else cache.default_cache_dir()
    key = cache_key(audio.sha256, options)
    stored = cache.load(folder, key)
    if stored is not None:
        if on_progress:
            on_progress(stored.duration_ms, stored.duration_ms)
        return stored
    recognition = recognize_file(audio.path, options, on_progress=on_progress)
    cache.store(folder, key, recognition)
    return recognition
