"""The stages in order: read, listen, match, refine, listen again, confirm, retrace, time, cue, report.

The only module that knows the order of the stages; each is one call into
its own module. It does no I/O of its own beyond what the stages do (reading
inputs, the cache); the caller decides what to write (:func:`aligner.write_outputs`).
"""

from __future__ import annotations

import os
from dataclasses import replace

from aligner.audio import audio_file
from aligner.confirm import confirm_gaps
from aligner.cues import build_cues
from aligner.errors import AlignmentError
from aligner.listen import listen, refinement_of
from aligner.match import align_tokens
from aligner.options import AlignOptions
from aligner.readers import read_transcript
from aligner.recognize import ProgressCallback
from aligner.relisten import relisten
from aligner.report import matched_share, missing_passages, summarize
from aligner.retrace import retrace
from aligner.swapped import check_argument_order
from aligner.timing import assign_times
from aligner.types import Result

__all__ = ["MIN_MATCHED_SHARE", "align"]

MIN_MATCHED_SHARE = 0.30
"""Below this share of matched body words the transcript is taken to belong to other audio."""


def align(
    audio_path: str | os.PathLike[str],
    transcript_path: str | os.PathLike[str],
    options: AlignOptions = AlignOptions(),
    *,
    on_progress: ProgressCallback | None = None,
) -> Result:
    """Align a transcript to its audio.

    Args:
        audio_path: the episode audio (any container PyAV reads).
        transcript_path: the transcript: Markdown, plain text, timestamped
            speaker lines, SRT, WebVTT or .docx (see :mod:`aligner.readers`).
        options: the run's options (``options.output`` is for the writers
            and not looked at here).
        on_progress: called with (audio ms done, total) during recognition.

    Returns:
        The Result the writers take.

    Raises:
        AudioError, TranscriptError, ModelError: unusable inputs; a
            transcript that is audio (the arguments swapped, say) before
            anything is read (:mod:`aligner.swapped`).
        AlignmentError: under 30% of the transcript found in the audio
            (unless ``options.force``).
    """
    check_argument_order(audio_path, transcript_path)  # "aligner align t.md a.wav": say so, not "not UTF-8"
    transcript = read_transcript(transcript_path, transcript_format=options.transcript_format)  # cheap: fail first
    audio = audio_file(audio_path)
    recognition, refinement = listen(audio, options, on_progress)

    ops = align_tokens(transcript.tokens, recognition.words, stamps=transcript.stamps)
    share = matched_share(transcript.tokens, ops)
    if share < MIN_MATCHED_SHARE and not options.force:
        if not recognition.words:
            raise AlignmentError(
                f"{audio.path}: no speech was recognised in the audio (use --force to write outputs anyway)"
            )
        raise AlignmentError(
            f"{transcript.path}: only {share:.0%} of the transcript was found in {audio.path}; "
            "is it the transcript of this episode? (use --force to align anyway)"
        )
    heard, methods = recognition, None
    if options.refine and recognition.words:
        refinement = refinement or refinement_of(audio, recognition, options)
        heard, methods = replace(recognition, words=refinement.words), refinement.methods
    if options.second_pass and options.refine and recognition.words:  # its words need the aligner's confirmation
        assert refinement is not None
        second = relisten(audio, transcript.tokens, ops, recognition, refinement, options)
        second = confirm_gaps(audio, transcript.tokens, second, recognition.duration_ms, options)
        second = retrace(audio, transcript.tokens, second, recognition.duration_ms, options)
        heard, methods, ops = replace(recognition, words=second.words), second.methods, second.ops
    timing = assign_times(transcript.tokens, heard, ops, methods)
    cues = build_cues(timing.words, duration_ms=recognition.duration_ms, options=options.captions)
    return Result(
        audio_path=audio.path,
        transcript_path=transcript.path,
        duration_ms=recognition.duration_ms,
        model=recognition.model,
        language=recognition.language,
        speakers=transcript.speakers,
        speaker_roles=transcript.speaker_roles,
        words=timing.words,
        cues=cues,
        audio_only=timing.audio_only,
        extra_words=timing.extra_words,
        missing=missing_passages(timing.words),
        summary=summarize(timing.words),
    )
