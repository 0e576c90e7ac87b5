"""The alignment re-timed to the edited audio, so its captions and transcript play in sync with the new file.

Every time goes through the cuts' :class:`~aligner.cut.plan.TimeMap` (a
cut never holds a kept word, so words keep their lengths; a note or an
extra word inside a cut shrinks to where the cut was), and the captions are
built again from the re-timed words with the same limits, as a fresh
alignment of the edited audio would build them.
"""

from __future__ import annotations

from dataclasses import replace

from aligner.cues import build_cues
from aligner.cut.plan import TimeMap
from aligner.options import CaptionOptions
from aligner.types import AudioOnlyRegion, ExtraWord, MissingPassage, Result, TimedWord

__all__ = ["retime"]


def retime(result: Result, timemap: TimeMap, *, audio_path: str, duration_ms: int, captions: CaptionOptions) -> Result:
    def at(ms: int) -> int:
        return min(timemap(ms), duration_ms)

    words = tuple(
        w
        if w.start_ms is None or w.end_ms is None
        else TimedWord(w.token, at(w.start_ms), at(w.end_ms), w.status, w.confidence, w.heard, w.method)
        for w in result.words
    )
    extra = tuple(
        ExtraWord(w.text, at(w.start_ms), at(w.end_ms)) for w in result.extra_words if at(w.end_ms) > at(w.start_ms)
    )
    audio_only = tuple(
        AudioOnlyRegion(at(r.start_ms), at(r.end_ms), r.text, r.word_count)
        for r in result.audio_only
        if at(r.end_ms) > at(r.start_ms)
    )
    missing = tuple(
        MissingPassage(m.first_word, m.last_word, m.text, None if m.after_ms is None else at(m.after_ms))
        for m in result.missing
    )
    return replace(
        result,
        audio_path=audio_path,
        duration_ms=duration_ms,
        words=words,
        cues=build_cues(words, duration_ms=duration_ms, options=captions),
        audio_only=audio_only,
        missing=missing,
        extra_words=extra,
    )
