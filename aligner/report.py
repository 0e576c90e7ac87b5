"""Counts and findings over the timed words, for the summary and the JSON.

Derived from the timed words alone, so the writers and the CLI report the
same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aligner.match import is_alignable
from aligner.normalize import word_keys
from aligner.types import (
    AlignOp,
    AudioOnlyRegion,
    MissingPassage,
    OpKind,
    Summary,
    TimedWord,
    Token,
    TokenKind,
    WordStatus,
)

LOW_CONFIDENCE = 0.5
"""Timed words under this confidence are counted as low-confidence."""


def summarize(words: Sequence[TimedWord]) -> Summary:
    """Counts over transcript words; notes are not words.

    Heading matter (title, byline, section titles, the closing line) is
    counted too, as the JSON's ``summary`` always has: it is mostly
    ``not_in_audio``, rightly. :func:`body_summary` counts the body alone,
    for a summary a producer reads.
    """
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


def body_summary(words: Sequence[TimedWord]) -> Summary:
    """:func:`summarize` over the body's words only, heading matter left out.

    Why: heading matter is not expected in the audio, so counting it made the
    fixture episode read "not in audio 69 (31.8%)" when every word of the
    body but one unspoken sentence was found. ``summarize(words).words -
    body_summary(words).words`` is the number of heading words.
    """
    return summarize([word for word in words if not word.token.is_heading])


def missing_passages(words: Sequence[TimedWord]) -> tuple[MissingPassage, ...]:
    """Runs of consecutive transcript words not found in the audio.

    Notes inside a run do not break it; a timed word does. Headings are
    left out (they stay ``not_in_audio`` in the words): a section title that
    was not read aloud is not speech the episode lost, and listing every
    heading buried the passages a producer has to check.
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
        if word.token.is_heading and word.status is WordStatus.NOT_IN_AUDIO:
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


def matched_share(tokens: Sequence[Token], ops: Sequence[AlignOp]) -> float:
    """Share of the body's alignable words (headings and bare punctuation aside) that were matched: 0..1.

    From the alignment alone (a token is matched exactly when an op other
    than a deletion or an insertion holds it), so the pipeline can refuse a
    transcript of other audio before timing or refining anything.
    """
    matched = {i for op in ops if op.kind not in (OpKind.DELETE, OpKind.INSERT) for i in op.token_indices}
    body = [t.index for t in tokens if t.kind is TokenKind.WORD and not t.is_heading and is_alignable(t)]
    if not body:
        return 0.0
    return sum(i in matched for i in body) / len(body)


MIN_MOVED_WORDS = 5
"""A missing passage this short is never called moved: short phrases recur by chance."""

MIN_MOVED_OVERLAP = 0.6
"""Share of words a missing passage and an audio-only region must have in common to be one moved passage."""


def moved_passages(
    missing: Sequence[MissingPassage], audio_only: Sequence[AudioOnlyRegion]
) -> tuple[tuple[int, int], ...]:
    """Missing passages that were heard elsewhere: (index into missing, index into audio_only).

    Alignment keeps the order of both sides, so a paragraph the transcript
    places elsewhere than where it is spoken cannot be timed: its words are
    ``not_in_audio`` and its speech is audio-only. The two findings holding
    the same words is the tell-tale, and saying so tells the producer "moved",
    not "cut here, ad read there". Words are compared as bags of matching
    keys, so the recognizer's spelling ("40 %" for "40%") and the producer's
    small edits inside the paragraph do not hide it.

    Worked example: the transcript has "In one test, the models made 40% more
    mistakes..." (45 words, one added sentence) before the greeting, while it
    is spoken at 0:41-0:55 (38 words heard). 37 words are shared: 37/45 = 0.82
    >= 0.6, so the passage is reported as heard at 0:41-0:55.
    """

    def bag(text: str) -> Counter[str]:
        return Counter(keys[0] for keys in map(word_keys, text.split()) if keys)

    heard = [bag(region.text) for region in audio_only]
    pairs = []
    for i, passage in enumerate(missing):
        written = bag(passage.text)
        size = sum(written.values())
        if size < MIN_MOVED_WORDS:
            continue
        scores = [sum((written & other).values()) / max(size, sum(other.values())) for other in heard]
        if scores and max(scores) >= MIN_MOVED_OVERLAP:
            pairs.append((i, scores.index(max(scores))))
    return tuple(pairs)
