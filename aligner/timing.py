"""Give every transcript token a time and an honest status.

Matched words take the recognizer's times. What is left is decided run by run:
a *run* is the unmatched transcript words between two matched neighbours,
together with the recognized words between those neighbours that nothing
matched.

- Recognized words in the run's stretch mean speech is there that the
  transcript words did not match (a misrecognition, a changed word). A short
  run is spread over that speech (``interpolated``). A long run that matched
  none of it is a different passage (a cut paragraph beside an ad read): its
  words are ``not_in_audio`` and the speech is reported as audio-only;
  unless it faces about as many heard words, alike in their letters: the
  same passage misheard (``_misheard``), spread over them too.
  Spread over heard words, each transcript word takes the time of the heard
  letters its own letters line up with (``_by_sound``), not a share of the
  stretch by letter count.
- No recognized words, but voice activity covering enough of the stretch for
  the run's letters: the recognizer dropped them; spread them over the speech
  (``interpolated``).
- Otherwise nothing was said there: ``not_in_audio``, no time.

A short word leaning on the next ("a", "the", "I") that the aligner left
before the pause in front of it is then said with it (:mod:`aligner.proclitics`).

Headings, bylines and closing lines (``Token.is_heading``) are only ever
matched, never interpolated: they are expected to be absent, and a title
spread over intro music would be a guess presented as a fact.

Notes (``[music]``, ``[crosstalk]``) are never heard; each takes its time
from the gap between the timed words around it, the start and end of the
audio standing in for missing neighbours. A gap of at least
``MIN_NOTE_MS`` is the note's whole time (``[Intro music]`` before the first
words spans from 0 to the first word, and the caption stage makes it a cue
of its own, shortened to the caption limits). A shorter gap, or none, as
for ``[crosstalk]`` inside running speech, gives the note a point in time
there (zero length, where the word before it ends, or where the next one
starts if the two overlap), so the caption stage can still show it, inline
before the next word, rather than drop it. Both are ``interpolated``:
placed, not heard.

Worked example: matched "the" ends at 1.00 s, matched "mission" starts at
1.90 s, and between them the transcript has "original" while the recognizer
heard "origin all" (0.95-1.85 s) that did not match. The run is one word with
two recognized words in its stretch, so "original" is interpolated over
0.95-1.85 s.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from aligner.lines import BreakKind, break_kind
from aligner.normalize import is_filler, word_keys
from aligner.proclitics import proclitics_with_their_words
from aligner.similarity import align_letters, levenshtein
from aligner.types import (
    AlignOp,
    AsrWord,
    AudioOnlyRegion,
    ExtraWord,
    OpKind,
    Recognition,
    SpeechRegion,
    TimedWord,
    TimingMethod,
    Token,
    TokenKind,
    WordStatus,
)

MAX_SHORT_RUN_WORDS = 4
"""Runs up to this many words may be spread over unmatched speech."""

MAX_MISHEARD_RUN_WORDS = 12
"""A run longer than ``MAX_SHORT_RUN_WORDS``, up to this, may still be misheard speech (see ``_misheard``)."""

MIN_MISHEARD_SIMILARITY = 0.35
"""How alike (letters, 1 - edit distance / length) a long run and what was heard there must be."""

MS_PER_LETTER_NEEDED = 40
"""Voiced time a dropped word needs per letter before it counts as spoken (ms)."""

INTERPOLATED_CONFIDENCE = 0.25
MIN_NOTE_MS = 300
"""A note ([music]) spans its stretch between words when it is at least this long; in a shorter one it is
a point (see the module docstring)."""

MAX_SPREAD_PAUSE_MS = 300
"""Interpolated words are spread over speech, never over a pause longer than this."""

SENTENCE_BREAK_MS = 500
"""A pause this long between heard words of a run's stretch may end the sentence the run belongs to
(see ``_with_its_sentence``). 500 rather than 1000 ms: the held-out espeak guest's "write about [flour
mills?]" heard as "flower meals?", then 0.9 s later the start of a remark the producer cut, was one group
with the remark and ``not_in_audio``; now timed within 18 ms. No other start moved by more than 20 ms
(``benchmarks/run_benchmark.py --conditions``, ``benchmarks/word_diff.py``)."""


MIN_AUDIO_ONLY_WORDS = 3
"""Unmatched speech is reported as audio-only when it holds this many non-filler words."""


@dataclass(frozen=True, slots=True)
class Timing:
    words: tuple[TimedWord, ...]
    audio_only: tuple[AudioOnlyRegion, ...]
    extra_words: tuple[ExtraWord, ...] = ()


def _letters(token: Token) -> int:
    keys = word_keys(token.text)
    return len(keys[0]) if keys else 0


def _spread(tokens: Sequence[Token], start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    """Split [start, end] over the tokens in proportion to their letters (+1 for the space)."""
    weights = [_letters(t) + 1 for t in tokens]
    total = sum(weights)
    spans, used = [], 0
    for weight in weights:
        s = start_ms + (end_ms - start_ms) * used // total
        used += weight
        e = start_ms + (end_ms - start_ms) * used // total
        spans.append((s, e))
    return spans


def _speech_within(speech: Sequence[SpeechRegion], start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    parts = []
    for region in speech:
        s, e = max(region.start_ms, start_ms), min(region.end_ms, end_ms)
        if e > s:
            parts.append((s, e))
    return parts


def _matched_times(op: AlignOp, words: Sequence[AsrWord], tokens: Sequence[Token]) -> list[TimedWord]:
    heard_words = [words[j] for j in op.asr_indices]
    heard = " ".join(w.text for w in heard_words)
    probability = sum(w.probability for w in heard_words) / len(heard_words)
    confidence = round(op.similarity * probability, 3)
    start, end = heard_words[0].start_ms, heard_words[-1].end_ms
    these = [tokens[i] for i in op.token_indices]
    spans = [(start, end)] if len(these) == 1 else _spread(these, start, end)
    return [
        TimedWord(token=t, start_ms=s, end_ms=e, status=WordStatus.MATCHED, confidence=confidence, heard=heard)
        for t, (s, e) in zip(these, spans)
    ]


def assign_times(
    tokens: Sequence[Token],
    recognition: Recognition,
    ops: Sequence[AlignOp],
    methods: Sequence[TimingMethod] | None = None,
) -> Timing:
    """Times, statuses and timing methods for every token, and the speech the transcript lacks.

    Args:
        tokens: every transcript token, in order.
        recognition: the recognized words and speech regions (refined, when
            refinement ran).
        ops: the alignment of the alignable tokens to the recognized words.
        methods: how each recognized word was timed (:class:`Refinement`'s
            methods); None when refinement was off (see :func:`label_methods`).

    Returns:
        One TimedWord per token, in token order, with times that never
        decrease and lie within [0, duration]; the audio-only regions; and
        the recognized words no transcript word took.
    """
    duration = recognition.duration_ms
    asr = recognition.words
    timed: dict[int, TimedWord] = {}
    consumed: set[int] = set()

    # Matched words, and the runs between them.
    pending_tokens: list[int] = []
    pending_words: list[int] = []
    previous_end = 0
    runs: list[tuple[list[int], list[int], int, int | None]] = []  # tokens, words, region start, region end
    for op in ops:
        if op.kind is OpKind.DELETE:
            pending_tokens.extend(op.token_indices)
        elif op.kind is OpKind.INSERT:
            pending_words.extend(op.asr_indices)
        else:
            matched = _matched_times(op, asr, tokens)
            start = max(matched[0].start_ms or 0, previous_end)
            runs.append((pending_tokens, pending_words, previous_end, start))
            pending_tokens, pending_words = [], []
            for word in matched:
                s = min(max(word.start_ms or 0, previous_end), duration)
                e = min(max(word.end_ms or 0, s), duration)
                timed[word.token.index] = TimedWord(word.token, s, e, word.status, word.confidence, word.heard)
                previous_end = max(previous_end, s)
            previous_end = max(previous_end, e)
            consumed.update(op.asr_indices)
    runs.append((pending_tokens, pending_words, previous_end, None))

    for run_tokens, run_words, region_start, region_end in runs:
        for i in run_tokens:  # headings and bylines are only ever matched: never part of what is placed
            if tokens[i].is_heading:
                timed[i] = TimedWord(tokens[i], None, None, WordStatus.NOT_IN_AUDIO, 0.0)
        run_tokens = [i for i in run_tokens if not tokens[i].is_heading]
        if not run_tokens:
            continue
        run_words = _with_its_sentence(tokens, run_tokens, asr, run_words)
        region_end = duration if region_end is None else region_end
        these = [tokens[i] for i in run_tokens]
        spans = _place_run(these, [asr[j] for j in run_words], recognition.speech, region_start, region_end)
        if spans is None:
            for token in these:
                timed[token.index] = TimedWord(token, None, None, WordStatus.NOT_IN_AUDIO, 0.0)
            continue
        if run_words:
            consumed.update(run_words)
        for token, (s, e) in zip(these, spans):
            timed[token.index] = TimedWord(token, s, e, WordStatus.INTERPOLATED, INTERPOLATED_CONFIDENCE)

    words = _with_room(
        proclitics_with_their_words(label_methods(_fill_unaligned(tokens, timed, duration), ops, methods))
    )
    extra = tuple(ExtraWord(w.text, w.start_ms, w.end_ms) for j, w in enumerate(asr) if j not in consumed)
    return Timing(words=words, audio_only=_audio_only(asr, consumed), extra_words=extra)


def _with_its_sentence(
    tokens: Sequence[Token], run: Sequence[int], asr: Sequence[AsrWord], heard: list[int]
) -> list[int]:
    """The heard words a run is spread over: on the side of the sentence it finishes or begins.

    Heard words between two matched neighbours can hold more than the run's
    own mishearing: a false start the producer cut, a backchannel. Where they
    fall into groups ``SENTENCE_BREAK_MS`` or more apart and the run ends a
    sentence begun before it, its words were said with that sentence, so the
    groups from its start are taken (until they hold as many letters as the
    run), and the rest stays speech the transcript lacks; a run beginning a
    sentence that goes on after it takes the groups from its end. Worked
    example (held-out telephone episode): "... a warm winter saved [her
    summer.] For ..." heard as "saved for December. (2.4 s) He starred over
    for": "He starred over" is the cut "let me start over", so "her summer."
    goes over "for December." (145.21-145.76 s) and not over 145.2-149.5 s.
    """
    if len(heard) < 2:
        return heard
    groups = [[heard[0]]]
    for previous, j in itertools.pairwise(heard):
        if asr[j].start_ms - asr[previous].end_ms >= SENTENCE_BREAK_MS:
            groups.append([])
        groups[-1].append(j)
    if len(groups) == 1:
        return heard
    before = next((tokens[k] for k in range(run[0] - 1, -1, -1) if tokens[k].kind is TokenKind.WORD), None)
    begins = before is None or break_kind(before.text) is BreakKind.SENTENCE
    ends = break_kind(tokens[run[-1]].text) is BreakKind.SENTENCE
    if begins == ends:
        return heard  # whole sentences, or the middle of one: no side to prefer
    needed = sum(_letters(tokens[i]) for i in run)
    taken: list[int] = []
    for group in groups if ends else reversed(groups):
        taken.extend(group)
        if sum(len((word_keys(asr[j].text) or ("",))[0]) for j in taken) >= needed:
            break
    return sorted(taken)


def _place_run(
    run: Sequence[Token],
    heard: Sequence[AsrWord],
    speech: Sequence[SpeechRegion],
    region_start: int,
    region_end: int,
) -> list[tuple[int, int]] | None:
    """Spans for an unmatched run, or None when it is not in the audio."""
    if all(t.is_heading for t in run) or region_end <= region_start:
        return None
    if heard:
        content = [w for w in heard if not is_filler((word_keys(w.text) or ("",))[0])] or list(heard)
        if len(content) > 2 * len(run) + 4:
            return None
        if len(run) > MAX_SHORT_RUN_WORDS and not _misheard(run, content):
            return None
        spans = [(max(w.start_ms, region_start), min(max(w.end_ms, w.start_ms), region_end)) for w in content]
        spans = [(s, max(e, s)) for s, e in spans]
        if len(content) == len(run):  # "Tie. Anchovy." heard as "Thai ... Anshuvi": one word each, in order
            return _ordered_spans(spans)
        return _by_sound(run, content, spans)
    voiced = _speech_within(speech, region_start, region_end)
    voiced_ms = sum(e - s for s, e in voiced)
    needed = max(100, MS_PER_LETTER_NEEDED * sum(_letters(t) for t in run))
    if voiced_ms < needed:
        return None
    return _spread_over(run, voiced)


def _misheard(run: Sequence[Token], heard: Sequence[AsrWord]) -> bool:
    """Whether a long run and the words heard in its place are one passage, misheard.

    Up to ``MAX_MISHEARD_RUN_WORDS`` words, about as many heard (0.6-1.5x),
    whose letters are alike (``MIN_MISHEARD_SIMILARITY``): on the quiet
    remote guest "city planners who were drawing maps" heard as "the heat
    plumbers and we were throwing that" is 0.39 alike, while a sentence a
    producer wrote in place of one said ("The report was published in 1990."
    for "Right. That changed how we planned the whole project.") is 0.16, and
    two unrelated sentences of the benchmark's transcripts 0.19 (median;
    0.30 at the 95th percentile).
    """
    if len(run) > MAX_MISHEARD_RUN_WORDS or not 0.6 * len(run) <= len(heard) <= 1.5 * len(run) + 1:
        return False
    said = "".join((word_keys(t.text) or ("",))[0] for t in run)
    got = "".join((word_keys(w.text) or ("",))[0] for w in heard)
    return 1 - levenshtein(said, got) / max(len(said), len(got), 1) >= MIN_MISHEARD_SIMILARITY


def _by_sound(
    run: Sequence[Token], heard: Sequence[AsrWord], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Each run word over the part of the heard words its letters line up with (edit-distance alignment).

    Worked example: "city planners" heard as "the heat plumbers": the letters
    of "planners" line up with those of "plumbers", so "planners" takes
    "plumbers"'s time, and "city" the time of "the heat".
    """
    said = [(word_keys(t.text) or ("",))[0] or t.text for t in run]
    got = [(word_keys(w.text) or ("",))[0] or w.text for w in heard]
    times: list[float] = []  # the time at each heard letter
    for key, (s, e) in zip(got, spans):
        n = max(len(key), 1)
        times.extend(s + (e - s) * (k + 0.5) / n for k in range(len(key)))
    letters = "".join(said)
    target = "".join(got)
    if not letters or not target:
        return _spread(run, spans[0][0], spans[-1][1])
    where = align_letters(letters, target)  # heard letter index for each said letter
    out: list[tuple[int, int]] = []
    at = 0
    for key in said:  # never empty: a key, else the text
        first, last = where[at], where[at + len(key) - 1]
        out.append((int(times[first]), int(times[last])))
        at += len(key)
    start, end = spans[0][0], spans[-1][1]
    out[0] = (start, out[0][1])
    out[-1] = (out[-1][0], end)
    return _ordered_spans(out)


def _ordered_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        s = max(s, out[-1][1] if out else s)
        out.append((s, max(e, s)))
    return out


def _spread_over(tokens: Sequence[Token], spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split the speech in ``spans`` (voice activity) over the tokens by letters, so that no token spans a pause.

    Spans closer than ``MAX_SPREAD_PAUSE_MS`` are one stretch of speech.
    The tokens share the speech time, not the pauses: a word never starts in
    the silence before the speech it belongs to (issue 12's "an interpolated
    word spans the whole pause before it"), and one whose share would
    straddle a pause takes the side holding most of it.

    Worked example: "so far" over speech at 1000-1400 and 2000-2400 (a
    600 ms pause between): 800 ms of speech, "so" (3 of 7 letter weights)
    gets speech time 0-342, i.e. 1000-1342; "far" gets 342-800, which
    straddles the pause (58 ms before it, 400 after), so 2000-2400.
    """
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s - merged[-1][1] <= MAX_SPREAD_PAUSE_MS:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    if len(merged) == 1 or sum(e - s for s, e in merged) == 0:
        return _spread(tokens, merged[0][0], merged[-1][1])
    total_ms = sum(e - s for s, e in merged)
    weights = [_letters(t) + 1 for t in tokens]
    total = sum(weights)
    out: list[tuple[int, int]] = []
    used = 0
    for weight in weights:
        a = total_ms * used // total
        used += weight
        b = total_ms * used // total
        pieces, offset = [], 0
        for s, e in merged:  # the parts of speech time [a, b) in each stretch of speech, in real time
            lo, hi = max(a, offset), min(b, offset + e - s)
            if hi > lo or (a == b and offset <= a <= offset + e - s):
                pieces.append((s + lo - offset, s + hi - offset))
            offset += e - s
        start, end = max(pieces, key=lambda p: p[1] - p[0]) if pieces else (merged[-1][1], merged[-1][1])
        start = max(start, out[-1][1] if out else start)
        out.append((start, max(end, start)))
    return out


def _fill_unaligned(tokens: Sequence[Token], timed: dict[int, TimedWord], duration: int) -> tuple[TimedWord, ...]:
    """Notes and bare punctuation: placed between their timed neighbours.

    A note is timed over the whole stretch between the words around it when
    that stretch is at least MIN_NOTE_MS (music between turns), and at a
    point at the stretch's start otherwise (``[crosstalk]`` between two
    words); a punctuation token takes a zero-length time at its predecessor's
    end.
    """
    result: list[TimedWord] = []
    next_start = [duration] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        word = timed.get(i)
        next_start[i] = word.start_ms if word and word.start_ms is not None else next_start[i + 1]
    previous_end = 0
    previous: TimedWord | None = None
    for i, token in enumerate(tokens):
        word = timed.get(i)
        if word is None:
            if token.kind is TokenKind.NOTE:
                start, end = previous_end, next_start[i + 1]
                if end - start < MIN_NOTE_MS:
                    end = start = min(start, end)  # no room: a point (never after the next word), not lost
                word = TimedWord(token, start, end, WordStatus.INTERPOLATED, INTERPOLATED_CONFIDENCE)
            elif previous is not None and previous.start_ms is not None and any(c.isalnum() for c in token.text):
                # a word the matcher cannot read (another script: "שלום"): placed, not heard
                word = TimedWord(token, previous_end, previous_end, WordStatus.INTERPOLATED, INTERPOLATED_CONFIDENCE)
            elif previous is not None and previous.start_ms is not None:
                word = TimedWord(token, previous_end, previous_end, previous.status, previous.confidence)
            else:
                word = TimedWord(token, None, None, WordStatus.NOT_IN_AUDIO, 0.0)
        if word.end_ms is not None and token.kind is TokenKind.WORD:
            previous_end = word.end_ms
            previous = word
        result.append(word)
    return tuple(result)


MIN_WORD_SPAN_MS = 30
"""Least time a timed word is shown for: a zero-length word is never highlighted nor heard.

Refinement and the second pass can leave a word no time of its own (a word the aligner could not place,
squeezed between two it did: the quiet remote guest's "me." at 30.639-30.639 s); 13 of the benchmark
rows' 9911 timed words were, and 3 more were under 30 ms. Such a word takes the time it lacks from the
pause after it, then the one before it, then from the longer of its neighbours where that keeps twice
as much."""


def _with_room(words: tuple[TimedWord, ...]) -> tuple[TimedWord, ...]:
    """``words`` with every timed word at least ``MIN_WORD_SPAN_MS`` long, where its neighbours allow.

    The neighbours are the tokens timed next to it, notes and punctuation too, so nothing is passed over.
    """
    out = list(words)
    timed = [k for k, w in enumerate(out) if w.start_ms is not None and w.end_ms is not None]
    for n, k in enumerate(timed):
        word = out[k]
        assert word.start_ms is not None and word.end_ms is not None
        start, end = word.start_ms, word.end_ms
        if end - start >= MIN_WORD_SPAN_MS or not _is_word(word.token):
            continue
        before = out[timed[n - 1]] if n > 0 else None
        after = out[timed[n + 1]] if n + 1 < len(timed) else None
        if after is not None and after.start_ms is not None:
            end = min(max(end, after.start_ms), start + MIN_WORD_SPAN_MS)
        if end - start < MIN_WORD_SPAN_MS and before is not None and before.end_ms is not None:
            start = max(min(start, before.end_ms), end - MIN_WORD_SPAN_MS)
        lacking = MIN_WORD_SPAN_MS - (end - start)
        beside = [m for m in (n - 1, n + 1) if 0 <= m < len(timed) and _is_word(out[timed[m]].token)]
        longer = max(beside, key=lambda m: _span_ms(out[timed[m]]), default=None)
        if lacking > 0 and longer is not None and _span_ms(out[timed[longer]]) - lacking >= 2 * MIN_WORD_SPAN_MS:
            neighbour = out[timed[longer]]
            if longer > n and neighbour.start_ms == end:
                end += lacking
                out[timed[longer]] = replace(neighbour, start_ms=end)
            elif longer < n and neighbour.end_ms == start:
                start -= lacking
                out[timed[longer]] = replace(neighbour, end_ms=start)
        out[k] = replace(word, start_ms=start, end_ms=end)
    return tuple(out)


def _span_ms(word: TimedWord) -> int:
    return (word.end_ms or 0) - (word.start_ms or 0)


def _is_word(token: Token) -> bool:
    return token.kind is TokenKind.WORD and any(c.isalnum() for c in token.text)


def _audio_only(asr: Sequence[AsrWord], consumed: set[int]) -> tuple[AudioOnlyRegion, ...]:
    regions: list[AudioOnlyRegion] = []
    run: list[AsrWord] = []

    def flush() -> None:
        content = [w for w in run if not is_filler((word_keys(w.text) or ("",))[0])]
        if len(content) >= MIN_AUDIO_ONLY_WORDS:
            regions.append(
                AudioOnlyRegion(run[0].start_ms, run[-1].end_ms, " ".join(w.text for w in run), len(content))
            )
        run.clear()

    for j, word in enumerate(asr):
        if j in consumed:
            flush()
        else:
            run.append(word)
    flush()
    return tuple(regions)


def label_methods(
    timed: Sequence[TimedWord], ops: Sequence[AlignOp], methods: Sequence[TimingMethod] | None
) -> tuple[TimedWord, ...]:
    """Record on each transcript word what placed its time.

    Matched words take the method of the recognized words they matched (the
    least precise one, when they matched several; ``acoustic`` ones have no
    ``heard`` text: the recognizer heard nothing there); interpolated words and
    notes are ``interpolated``; untimed words get None; a bare punctuation
    token takes its timed predecessor's method.

    Args:
        timed: the timing stage's words, in token order.
        ops: the alignment that produced them.
        methods: from :class:`Refinement`, one per recognized word; None when
            refinement was off (every matched word is then ``whisper``).
    """
    rank = {TimingMethod.SPHINX: 0, TimingMethod.ONSET: 0, TimingMethod.ACOUSTIC: 0, TimingMethod.WHISPER: 1}
    by_token: dict[int, TimingMethod] = {}
    for op in ops:
        if op.kind is OpKind.MATCH:
            found = [methods[j] for j in op.asr_indices] if methods is not None else [TimingMethod.WHISPER]
            chosen = max(found, key=lambda m: rank.get(m, 1)) if found else TimingMethod.WHISPER
            for i in op.token_indices:
                by_token[i] = chosen
    labelled = []
    previous: TimingMethod | None = None
    method: TimingMethod | None
    for word in timed:
        if word.start_ms is None:
            method = None
        elif word.status is WordStatus.INTERPOLATED:
            method = TimingMethod.INTERPOLATED
        else:
            method = by_token.get(word.token.index, previous or TimingMethod.WHISPER)
        if word.token.kind is TokenKind.WORD and method is not None:
            previous = method
        heard = None if method is TimingMethod.ACOUSTIC else word.heard  # the recognizer heard nothing there
        # The constructor, not dataclasses.replace: ten times faster, and this runs once a word.
        labelled.append(TimedWord(word.token, word.start_ms, word.end_ms, word.status, word.confidence, heard, method))
    return tuple(labelled)
