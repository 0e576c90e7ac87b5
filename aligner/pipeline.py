"""The stages in order: transcript, audio, recognition, alignment, timing, captions.

The only module that knows the order of the stages. It does no I/O of its
own beyond what the stages do (reading inputs, the recognition cache); the
caller decides what to write.
"""

from __future__ import annotations

import os
from pathlib import Path

from aligner import cache
from aligner.align import align_tokens
from aligner.audio import load_audio
from aligner.captions import build_cues
from aligner.errors import AlignmentError
from aligner.options import CaptionOptions, RecognizeOptions
from aligner.recognize import ProgressCallback, cache_key, recognize
from aligner.report import matched_share, missing_passages, summarize
from aligner.timing import assign_times
from aligner.transcript import parse_transcript
from aligner.types import Recognition, Result

MIN_MATCHED_SHARE = 0.30
"""Below this share of matched body words the transcript is taken to belong to other audio."""


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
) -> Result:
    """Align a transcript to its audio.

    Args:
        audio_path: the episode audio (any container PyAV reads).
        transcript_path: Markdown (``.md``) or plain text transcript.
        recognize_options: model and decoding options.
        caption_options: caption limits.
        use_cache: reuse a stored recognition of the same audio, model and
            options, and store new ones.
        cache_dir: where recognitions are stored (default: see
            :func:`aligner.cache.default_cache_dir`).
        force: align even when the transcript looks like another episode's.
        on_progress: called with (audio ms done, total) during recognition.

    Returns:
        The Result the writers take.

    Raises:
        AudioError, TranscriptError, ModelError: unusable inputs.
        AlignmentError: under 30% of the transcript found in the audio
            (unless ``force``).
    """
    transcript = parse_transcript(transcript_path)  # cheap: fail before recognition
    audio = load_audio(audio_path)
    recognition = _recognize_cached(audio, recognize_options, use_cache, cache_dir, on_progress)

    ops = align_tokens(transcript.tokens, recognition.words)
    timing = assign_times(transcript.tokens, recognition, ops)
    share = matched_share(timing.words)
    if share < MIN_MATCHED_SHARE and not force:
        if not recognition.words:
            raise AlignmentError(f"{audio.path}: no speech was recognised in the audio (use --force to write outputs anyway)")
        raise AlignmentError(
            f"{transcript.path}: only {share:.0%} of the transcript was found in {audio.path}; "
            "is it the transcript of this episode? (use --force to align anyway)"
        )
    cues = build_cues(timing.words, duration_ms=audio.duration_ms, options=caption_options)
    return Result(
        audio_path=audio.path,
        transcript_path=transcript.path,
        duration_ms=audio.duration_ms,
        model=recognition.model,
        language=recognition.language,
        speakers=transcript.speakers,
        words=timing.words,
        cues=cues,
        audio_only=timing.audio_only,
        missing=missing_passages(timing.words),
        summary=summarize(timing.words),
    )


def _recognize_cached(audio, options, use_cache, cache_dir, on_progress) -> Recognition:
    if not use_cache:
        return recognize(audio, options, on_progress=on_progress)
    folder = Path(cache_dir) if cache_dir is not None else cache.default_cache_dir()
    key = cache_key(audio, options)
    stored = cache.load(folder, key)
    if stored is not None:
        if on_progress:
            on_progress(audio.duration_ms, audio.duration_ms)
        return stored
    recognition = recognize(audio, options, on_progress=on_progress)
    cache.store(folder, key, recognition)
    return recognition
