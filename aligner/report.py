"""Counts and findings over the timed words, for the summary and the JSON.

Derived from the timed words alone, so the writers and the CLI report the
same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.types import MissingPassage, Summary, TimedWord, TokenKind, WordStatus

LOW_CONFIDENCE = 0.5
"""Timed words under this confidence are counted as low-confidence."""


def summarize(words: Sequence[TimedWord]) -> Summary:
    """Counts over transcript words; notes are not words."""
    spoken = [w for w in words if w.token.kind is TokenKind.WORD]
    count = {status: 0 for status in WordStatus}
    low = 0
    for word in spoken:
        count[word.status] += 1
        if word.status is not WordStatus.NOT_IN_AUDIO and word.confidence < LOW_CONFIDENCE:
            low += 1
    return Summary(
        words=len(spoken),
        matched=count[WordStatus.MATCHED],
        interpolated=count[WordStatus.INTERPOLATED],
        not_in_audio=count[WordStatus.NOT_IN_AUDIO],
        low_confidence=low,
    )


def missing_passages(words: Sequence[TimedWord]) -> tuple[MissingPassage, ...]:
    """Runs of consecutive transcript words not found in the audio.

    Notes inside a run do not break it; a timed word does.
    """
    passages: list[MissingPassage] = []
    run: list[int] = []
    last_time: int | None = None
    run_after: int | None = None

    def flush() -> None:
        if run:
            text = " ".join(words[i].token.text for i in run)
            passages.append(MissingPassage(first_word=run[0], last_word=run[-1], text=text, after_ms=run_after))
            run.clear()

    for i, word in enumerate(words):
        if word.token.kind is TokenKind.NOTE:
            continue
        if word.status is WordStatus.NOT_IN_AUDIO:
            if not run:
                run_after = last_time
            run.append(i)
        else:
            flush()
            if word.end_ms is not None:
                last_time = word.end_ms
    flush()
    return tuple(passages)


def matched_share(words: Sequence[TimedWord]) -> float:
    """Share of the body's words (headings aside) that were matched: 0..1."""
    body = [w for w in words if w.token.kind is TokenKind.WORD and not w.token.is_heading]
    if not body:
        return 0.0
    return sum(w.status is WordStatus.MATCHED for w in body) / len(body)
