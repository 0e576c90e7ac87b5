"""Aligning the transcript's own words where refinement could not place the recognizer's: which runs
are aligned again, and (with the real aligner on the fixture) that a misheard phrase between two refined
words is timed from the transcript's words, while a phrase nobody said is not placed."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest
from support.alignment import asr_words as _words
from support.alignment import ops as _ops
from support.alignment import tokens as _tokens
from support.alignment import with_phrases
from support.transcripts import truth_starts

from aligner.match import align_tokens
from aligner.refine import SURE_PROBABILITY
from aligner.relisten import SecondPass
from aligner.retrace import ADRIFT_PAUSE_MS, MAX_RUN_WORDS, MAX_WINDOW_MS, PAD_MS, find_runs, retrace
from aligner.types import AsrWord, OpKind, TimingMethod

MATCH, DELETE, INSERT = OpKind.MATCH, OpKind.DELETE, OpKind.INSERT
SPHINX, WHISPER = TimingMethod.SPHINX, TimingMethod.WHISPER


# "I think map makers understand", heard as "I think that Nathan's understand"
TOKENS = _tokens("I think map makers understand")
WORDS = _words(("I", 1000, 1100), ("think", 1100, 1400), ("that", 1400, 1600), ("Nathan's", 1600, 2000),
               ("understand", 2000, 2600))  # fmt: skip
OPS = _ops(
    (MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (INSERT, (), (2,)), (INSERT, (), (3,)), (DELETE, (2, 3), ()),
    (MATCH, (4,), (4,)),
)  # fmt: skip


def test_a_run_between_placed_words_that_holds_a_word_whisper_timed_is_aligned_again() -> None:
    methods = [SPHINX, WHISPER, WHISPER, WHISPER, SPHINX]
    [run] = find_runs(TOKENS, OPS, WORDS, methods, 10_000)
    assert (run.first, run.last, run.left, run.right) == (1, 5, 0, 4)
    assert run.tokens == (1, 2, 3)  # the transcript's words, the mishearing left out
    assert run.required == {1: (1100, 1400)}  # the matched word, at Whisper's time; the others optional
    assert (run.window_start_ms, run.window_end_ms) == (1000 - PAD_MS, 2600 + PAD_MS)
    assert run.doubtful == frozenset()


def test_a_word_whisper_heard_unsurely_is_doubtful() -> None:
    """Its time is not held against the aligner's place for it (music's "Let" at 0.01, Whisper 1 s early)."""
    words = [*WORDS[:1], replace(WORDS[1], probability=SURE_PROBABILITY - 0.01), *WORDS[2:]]
    [run] = find_runs(TOKENS, OPS, words, [SPHINX, WHISPER, WHISPER, WHISPER, SPHINX], 10_000)
    assert run.doubtful == frozenset({1})


@pytest.mark.parametrize(
    "text, doubtful",
    [
        ("how new this is. The bad", {3}),  # "is." heard a pause later, inside its sentence: adrift
        ("how new this. Is the bad", set()),  # the pause after a sentence's end: Whisper's time stands
    ],
)
def test_a_word_whisper_put_after_a_long_pause_inside_its_sentence_is_doubtful(text, doubtful) -> None:
    """Whisper hears a sentence's last word after the pause that follows it (the quiet remote guest's "is.",
    2.5 s late at 0.99): its time is no evidence against the aligner's place for it."""
    tokens = _tokens(text)
    words = _words(("how", 0, 200), ("new", 200, 400), ("this", 400, 600), ("is", 600 + ADRIFT_PAUSE_MS, 1900),
                   ("the", 1900, 2000), ("bad", 2000, 2300))  # fmt: skip
    ops = _ops(*((MATCH, (k,), (k,)) for k in range(6)))
    methods = [SPHINX, SPHINX, SPHINX, WHISPER, WHISPER, SPHINX]
    [run] = find_runs(tokens, ops, words, methods, 10_000)
    assert run.tokens == (3, 4) and run.doubtful == frozenset(doubtful)
    early = [*words[:3], replace(words[3], start_ms=600 + ADRIFT_PAUSE_MS - 1), *words[4:]]
    assert find_runs(tokens, ops, early, methods, 10_000)[0].doubtful == frozenset()


@pytest.mark.parametrize(
    "methods, duration_ms",
    [
        ([SPHINX, SPHINX, WHISPER, WHISPER, SPHINX], 10_000),  # no match in the run is Whisper's time
        ([WHISPER, WHISPER, WHISPER, WHISPER, SPHINX], 10_000),  # no placed word before it
        ([SPHINX, WHISPER, WHISPER, WHISPER, WHISPER], 10_000),  # none after it
    ],
)
def test_not_a_run(methods, duration_ms) -> None:
    assert find_runs(TOKENS, OPS, WORDS, methods, duration_ms) == []


def test_the_window_is_clipped_to_the_audio() -> None:
    words = [replace(w, start_ms=w.start_ms - 1000, end_ms=w.end_ms - 1000) for w in WORDS]
    [run] = find_runs(TOKENS, OPS, words, [SPHINX, WHISPER, WHISPER, WHISPER, SPHINX], 1600 + PAD_MS // 2)
    assert (run.window_start_ms, run.window_end_ms) == (0, 1600 + PAD_MS // 2)


def test_heading_words_long_runs_and_long_windows_are_left_alone() -> None:
    methods = [SPHINX, WHISPER, WHISPER, WHISPER, SPHINX]
    heading = _tokens("I think map makers understand", heading=3)
    assert find_runs(heading, OPS, WORDS, methods, 10_000) == []

    n = MAX_RUN_WORDS + 1
    long_tokens = _tokens("I think " + "very " * n + "understand")
    long_ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (DELETE, tuple(range(2, 2 + n)), ()),
                    (MATCH, (2 + n,), (4,)))  # fmt: skip
    assert find_runs(long_tokens, long_ops, WORDS, methods, 10_000) == []

    far = [*WORDS[:4], AsrWord("understand", 1000 + MAX_WINDOW_MS, 1600 + MAX_WINDOW_MS, 0.9)]
    assert find_runs(TOKENS, OPS, far, methods, 2 * MAX_WINDOW_MS) == []


# --- with the real aligner on the fixture episode ----------------------------------------------------------


def _placed(second: SecondPass) -> dict[int, tuple[AsrWord, TimingMethod]]:
    return {
        i: (second.words[op.asr_indices[0]], second.methods[op.asr_indices[0]])
        for op in second.ops
        if op.kind is MATCH
        for i in op.token_indices
    }


def _misheard(first_pass, garble: bool):
    """The fixture's refined words with runs of five matched words altered as a failed refinement leaves
    them: the middle three keep Whisper's time (here 120 ms late), and, with ``garble``, the last two of
    those are heard as other words."""
    _audio, transcript, _recognition, refinement, _options = first_pass
    ops = align_tokens(transcript.tokens, refinement.words)
    single = [
        op
        for op in ops
        if op.kind is MATCH
        and len(op.token_indices) == 1
        and len(op.asr_indices) == 1
        and refinement.methods[op.asr_indices[0]] in (SPHINX, TimingMethod.ONSET)
        and transcript.tokens[op.token_indices[0]].text.isalpha()
    ]
    runs = [single[k : k + 5] for k in range(4, len(single) - 5, 10)]
    runs = [r for r in runs if all(b.token_indices[0] == a.token_indices[0] + 1 for a, b in pairwise(r))][:8]
    words, methods = _misheard_words(first_pass, runs, garble)
    return runs, SecondPass(tuple(words), tuple(methods), tuple(align_tokens(transcript.tokens, words)), 0, 0)


def _misheard_words(first_pass, runs, garble: bool) -> tuple[list[AsrWord], list[TimingMethod]]:
    refinement = first_pass[3]
    words, methods = list(refinement.words), list(refinement.methods)
    for run in runs:
        for k, op in enumerate(run[1:4]):
            j = op.asr_indices[0]
            w = words[j]
            text = ("zorbly", "quenth")[k - 1] if garble and k else w.text.upper()  # matched all the same
            words[j] = AsrWord(text, w.start_ms + 120, w.end_ms + 120, 0.6)
            methods[j] = WHISPER
    return words, methods


@pytest.mark.model
@pytest.mark.parametrize("garble", [False, True])
def test_a_run_refinement_left_at_whispers_time_is_timed_from_the_transcript(first_pass, truth, garble) -> None:
    audio, transcript, _recognition, refinement, options = first_pass
    starts = truth_starts(truth, transcript)
    runs, second = _misheard(first_pass, garble)
    assert len(runs) >= 4
    inner = [op.token_indices[0] for run in runs for op in run[1:4] if op.token_indices[0] in starts]
    before = _placed(second)
    assert all(i not in before or before[i][1] is WHISPER for i in inner)

    after = retrace(
        audio, transcript.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    placed = _placed(after)
    timed = [i for i in inner if i in placed and placed[i][1] in (SPHINX, TimingMethod.ACOUSTIC)]
    assert len(timed) >= len(inner) - 1, (len(timed), len(inner))
    errors = sorted(abs(placed[i][0].start_ms - starts[i]) for i in timed)
    assert errors[len(errors) // 2] <= 20 and errors[-1] <= 60, errors
    sphinx_timed = [
        (after.words[op.asr_indices[0]], op.token_indices[0])
        for op in after.ops
        if op.kind is MATCH and op.token_indices[0] in inner and after.methods[op.asr_indices[0]] is SPHINX
    ]
    assert sphinx_timed and all(w.probability == 0.6 for w, _ in sphinx_timed)  # what Whisper heard, as surely
    assert all(w.text == w.text.upper() != transcript.tokens[i].text for w, i in sphinx_timed)  # as heard
    if garble:
        assert after.found - second.found >= 2 * len(runs) - 1  # the garbled words' transcript words, placed
        assert [w.text for w in after.words if w.text in ("zorbly", "quenth")] == []


@pytest.mark.model
def test_words_nobody_said_in_such_a_run_are_not_placed(first_pass, tmp_path) -> None:
    """Two words written into each such run that nobody said stay unmatched (not in the audio), while
    the run's spoken words are timed as before."""
    audio, transcript, _recognition, refinement, options = first_pass
    runs, _second = _misheard(first_pass, garble=False)
    phrases = ["purple elephants", "seldom yodel", "brass kettles", "wobbly ferns"][: len(runs)]
    beside = [transcript.tokens[run[2].token_indices[0]] for run in runs]
    edited, added = with_phrases(transcript, beside, phrases, tmp_path / "added.md")
    assert len(added) == 2 * len(phrases)

    words, methods = _misheard_words(first_pass, runs, garble=False)
    ops = align_tokens(edited.tokens, words)
    second = SecondPass(tuple(words), tuple(methods), tuple(ops), 0, 0)
    after = retrace(audio, edited.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False))
    placed = _placed(after)
    assert after.stretches >= len(runs)  # they were looked at
    assert [edited.tokens[i].text for i in added if i in placed] == []
    # each inserted phrase moves the words after it on by two
    spoken = [op.token_indices[0] + 2 * (r + (k == 2)) for r, run in enumerate(runs) for k, op in enumerate(run[1:4])]
    assert [edited.tokens[i].text for i in spoken] == [
        transcript.tokens[op.token_indices[0]].text for run in runs for op in run[1:4]
    ]
    assert sum(i in placed and placed[i][1] is SPHINX for i in spoken) >= len(spoken) - 1


def test_a_recognized_word_several_transcript_words_share_is_a_run() -> None:
    """ "honey bees" heard "honeybees": the timing stage would split its time by letters."""
    tokens = _tokens("study honey bees now")
    words = _words(("study", 0, 400), ("honeybees.", 400, 1200), ("now", 1500, 1800))
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1, 2), (1,)), (MATCH, (3,), (2,)))
    [run] = find_runs(tokens, ops, words, [SPHINX, SPHINX, SPHINX], 10_000)
    assert run.tokens == (1, 2) and run.required == {1: (400, 1200), 2: (400, 1200)}
    assert (run.left, run.right) == (0, 2)
    # with a word the producer wrote next to it, a shared word alone is no reason to look for it
    tokens = _tokens("study honey bees The now")
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1, 2), (1,)), (DELETE, (3,), ()), (MATCH, (4,), (2,)))
    assert find_runs(tokens, ops, words, [SPHINX, SPHINX, SPHINX], 10_000) == []


@pytest.mark.model
def test_a_recognized_word_that_joins_two_said_words_is_split_by_their_sounds(first_pass, truth) -> None:
    """Pairs of the fixture's refined words joined into one recognized word ("honey bees" heard
    "honeybees"): each transcript word is timed by its own sound, not by a share of letters."""
    audio, transcript, _recognition, refinement, options = first_pass
    starts = truth_starts(truth, transcript)
    ops = align_tokens(transcript.tokens, refinement.words)
    single = {
        op.asr_indices[0]: op.token_indices[0]
        for op in ops
        if op.kind is MATCH and len(op.token_indices) == 1 and len(op.asr_indices) == 1
    }
    words, methods = list(refinement.words), list(refinement.methods)
    joined = []  # (second word's token, where splitting by letters starts it)
    j = 5
    while j + 1 < len(words) and len(joined) < 6:
        a, b = words[j], words[j + 1]
        t = single.get(j)
        if (
            t is not None
            and single.get(j + 1) == t + 1
            and a.text.isalpha()
            and b.text.isalpha()
            and t + 1 in starts
            and b.start_ms - a.end_ms < 30
        ):
            letters = a.start_ms + (b.end_ms - a.start_ms) * (len(a.text) + 1) // (len(a.text) + len(b.text) + 2)
            if abs(letters - starts[t + 1]) >= 40:  # a pair the letters split badly
                joined.append((t + 1, j))
                j += 3
                continue
        j += 1
    assert len(joined) >= 3
    for _, k in reversed(joined):
        words[k : k + 2] = [AsrWord(words[k].text + words[k + 1].text, words[k].start_ms, words[k + 1].end_ms, 0.9)]
        methods[k : k + 2] = [methods[k]]
    second = SecondPass(tuple(words), tuple(methods), tuple(align_tokens(transcript.tokens, words)), 0, 0)
    shared = [op for op in second.ops if op.kind is MATCH and len(op.token_indices) == 2]
    assert len(shared) == len(joined)  # the matcher pairs each joined word with its two transcript words

    after = retrace(
        audio, transcript.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    placed = _placed(after)
    errors = [abs(placed[t][0].start_ms - starts[t]) for t, _ in joined]
    assert max(errors) <= 30, errors


@pytest.mark.parametrize(
    "text, run",
    [
        ("I enjoyed it. This was", (2,)),  # "it." heard after the pause, before the next sentence
        ("I enjoyed. It. This was", None),  # after a sentence's end the pause is the text's own
        ("I enjoyed it this was", None),  # not a sentence's last word
    ],
)
def test_a_sentences_last_word_placed_after_a_long_pause_is_no_anchor(text, run) -> None:
    tokens = _tokens(text)
    words = _words(("I", 0, 200), ("enjoyed", 200, 700), ("it", 700 + ADRIFT_PAUSE_MS, 1770), ("this", 1770, 2000),
                   ("was", 2000, 2200))  # fmt: skip
    ops = _ops(*((MATCH, (k,), (k,)) for k in range(5)))
    runs = find_runs(tokens, ops, words, [SPHINX] * 5, 10_000)
    assert (runs[0].tokens if runs else None) == run
    if run:
        assert (runs[0].left, runs[0].right) == (1, 3) and runs[0].doubtful == frozenset({2})


def test_a_match_after_words_nothing_matched_is_not_adrift() -> None:
    """The pause may be theirs: the held-out espeak guest's "George [Wilson, a teacher who runs a program
    on] running.", misheard, with "running." where it was said."""
    tokens = _tokens("bring in George Wilson a teacher running. George")
    words = _words(("bring", 0, 200), ("in", 200, 300), ("George", 300, 700), ("running.", 2500, 2900),
                   ("George", 3000, 3400))  # fmt: skip
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (MATCH, (2,), (2,)), (DELETE, (3, 4, 5), ()),
               (MATCH, (6,), (3,)), (MATCH, (7,), (4,)))  # fmt: skip
    assert find_runs(tokens, ops, words, [SPHINX] * 5, 10_000) == []


@pytest.mark.model
def test_a_sentences_last_word_refined_after_the_pause_is_placed_where_it_was_said(first_pass, truth) -> None:
    """Sentence-final words of the fixture moved, as Whisper hears them, to just before the next sentence
    after the pause, and squeezed there (the held-out music episode's "it.", 2.96 s late): aligned again
    from the word before, each is placed where it was said."""
    audio, transcript, _recognition, refinement, options = first_pass
    starts = truth_starts(truth, transcript)
    ops = align_tokens(transcript.tokens, refinement.words)
    single = {
        op.asr_indices[0]: op.token_indices[0]
        for op in ops
        if op.kind is MATCH and len(op.token_indices) == 1 and len(op.asr_indices) == 1
    }
    words = list(refinement.words)
    moved = []
    for j in range(1, len(words) - 1):
        p, w, n = words[j - 1], words[j], words[j + 1]
        t = single.get(j)
        if t is None or t not in starts or not w.text.endswith(".") or p.text.endswith((".", "?", "!", ",")):
            continue
        if n.start_ms - 70 - p.end_ms >= ADRIFT_PAUSE_MS and single.get(j - 1) == t - 1 and single.get(j + 1) == t + 1:
            words[j] = AsrWord(w.text, n.start_ms - 70, n.start_ms, w.probability)
            moved.append((t, j))
    if not moved:
        pytest.skip("no sentence-final word of the fixture has a pause long enough after it")
    second = SecondPass(tuple(words), tuple(refinement.methods), tuple(align_tokens(transcript.tokens, words)), 0, 0)
    after = retrace(
        audio, transcript.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    placed = _placed(after)
    errors = [abs(placed[t][0].start_ms - starts[t]) for t, _ in moved]
    assert max(errors) <= 40, errors
