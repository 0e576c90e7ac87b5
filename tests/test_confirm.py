"""The check of a word or two the recognizer did not hear: which gaps are checked, and (with the real
recognizer and aligner on the fixture) that a spoken word is found and timed while an unsaid one is not."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from support.alignment import asr_words as _words
from support.alignment import ops as _ops
from support.alignment import tokens as _tokens
from support.alignment import with_phrases
from support.transcripts import truth_starts

from aligner.confirm import (
    CONFIDENCE,
    DOUBTFUL_PROBABILITY,
    MAX_DOUBTFUL_RUN_WORDS,
    MAX_GAP_MS,
    MAX_MISHEARD_WORDS,
    MAX_RUN_WORDS,
    _candidates,
    confirm_gaps,
    find_gaps,
)
from aligner.match import align_tokens
from aligner.readers import read_transcript
from aligner.relisten import SecondPass
from aligner.types import OpKind, TimingMethod

MATCH, DELETE, INSERT = OpKind.MATCH, OpKind.DELETE, OpKind.INSERT


def test_a_word_between_two_matched_neighbours_with_nothing_heard_is_a_gap() -> None:
    tokens = _tokens("the key to a good life")
    words = _words(("the", 0, 100), ("key", 100, 300), ("to", 300, 400), ("good", 400, 600), ("life", 600, 900))
    ops = _ops(
        (MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (MATCH, (2,), (2,)), (DELETE, (3,), ()),
        (MATCH, (4,), (3,)), (MATCH, (5,), (4,)),
    )  # fmt: skip
    [gap] = find_gaps(tokens, ops, words, 1000)
    assert (gap.first, gap.last, gap.tokens) == (3, 4, (3,))
    assert gap.before == (1, 2) and gap.after == (3, 4)  # two words of context each side
    assert (gap.window_start_ms, gap.window_end_ms) == (0, 1000)  # 150 ms past them, within the audio


def test_a_misheard_word_beside_the_neighbour_is_no_context() -> None:
    """The held-out remote guest's "understand this better", heard "resume this bed": "resume" is no
    part of what was said, so the check of "better" starts at "this"."""
    tokens = _tokens("so understand this better most")
    words = _words(("so", 0, 100), ("resume", 100, 300), ("this", 300, 400), ("most", 500, 700))
    ops = _ops((MATCH, (0,), (0,)), (INSERT, (), (1,)), (DELETE, (1,), ()), (MATCH, (2,), (2,)),
               (DELETE, (3,), ()), (MATCH, (4,), (3,)))  # fmt: skip
    gap = find_gaps(tokens, ops, words, 1000)[-1]
    assert gap.tokens == (3,) and gap.before == (2,) and gap.after == (3,)


def test_a_word_misheard_is_a_gap_and_its_misheard_words_are_replaced() -> None:
    tokens = _tokens("the original mission")
    words = _words(("the", 0, 100), ("origin", 100, 300), ("all", 300, 400), ("mission", 400, 700))
    ops = _ops((MATCH, (0,), (0,)), (INSERT, (), (1,)), (INSERT, (), (2,)), (DELETE, (1,), ()), (MATCH, (2,), (3,)))
    [gap] = find_gaps(tokens, ops, words, 1000)
    assert (gap.first, gap.last, gap.tokens, gap.before, gap.after) == (1, 4, (1,), (0,), (3,))


def test_a_misheard_neighbour_is_aligned_as_the_transcripts_word() -> None:
    """The held-out overlap episode's "with a regular bedtime", heard "with irregular bedtime": aligned
    as "irregular", the neighbour would hold the "a" in its sounds."""
    tokens = _tokens("trouble with a regular bedtime")
    words = _words(("trouble", 0, 300), ("with", 300, 500), ("irregular", 500, 1000), ("bedtime.", 1000, 1600))
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (DELETE, (2,), ()), (MATCH, (3,), (2,)),
               (MATCH, (4,), (3,)))  # fmt: skip
    ops[3] = replace(ops[3], similarity=0.8)
    [gap] = find_gaps(tokens, ops, words, 2000)
    assert (gap.said_left, gap.said_right) == (None, "regular")
    texts = [w.text for w in _candidates(tokens, words, gap)]
    assert texts == ["trouble", "with", "a", "regular", "bedtime."]
    assert words[2].text == "irregular"  # the recognized word itself is left as heard


def test_a_neighbour_merely_misheard_is_aligned_as_heard() -> None:
    tokens = _tokens("time with city planners")
    words = _words(("time", 0, 300), ("with", 300, 500), ("heat", 500, 800), ("plunders,", 800, 1300))
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (INSERT, (), (2,)), (DELETE, (2,), ()),
               (MATCH, (3,), (3,)))  # fmt: skip
    ops[4] = replace(ops[4], similarity=0.8)
    [gap] = find_gaps(tokens, ops, words, 2000)
    assert (gap.said_left, gap.said_right) == (None, None)
    assert [w.text for w in _candidates(tokens, words, gap)][-1] == "plunders,"


def test_a_word_placed_where_its_left_neighbour_was_moves_the_neighbour_to_the_checks_place() -> None:
    """The held-out telephone's "a lot of the early work": refinement put "the" on "early" (42.95 s); the
    check placed "the" at 42.52 and "early" at 42.67, so "the" takes the check's start too, not a
    zero-length span at 42.95 that pushed "early" there."""
    from aligner.confirm import _replacement
    from aligner.types import AsrWord, Refinement

    tokens = _tokens("lot of the early work")
    words = _words(("lot", 42080, 42340), ("of", 42340, 42467), ("the", 42950, 43060), ("work", 43070, 43350))
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (MATCH, (2,), (2,)), (DELETE, (3,), ()),
               (MATCH, (4,), (3,)))  # fmt: skip
    [gap] = find_gaps(tokens, ops, words, 60_000)
    placed = Refinement(
        (AsrWord("of", 42340, 42500, 0.9), AsrWord("the", 42520, 42670, 0.9), AsrWord("early", 42670, 43060, 0.0),
         AsrWord("work", 43070, 43350, 0.9)),
        (TimingMethod.SPHINX,) * 4,
    )  # fmt: skip
    methods = [TimingMethod.SPHINX] * 4
    replacement = _replacement(tokens, words, methods, gap, placed)
    assert replacement is not None and [(w.text, w.start_ms) for w in replacement.words] == [("early", 42670)]
    assert (words[2].start_ms, words[2].end_ms) == (42520, 42670)  # "the": the check's place
    assert words[1].end_ms == 42467  # "of" before it untouched


def test_a_word_placed_on_its_left_neighbours_audio_is_not_confirmed() -> None:
    """The held-out edits' "What matters most is [the] old harbor", "the" written by the producer: the check
    put "is" before refinement's start of it (over "most") and "the" on the audio of "is", which would
    have left "is" a zero-length span."""
    from aligner.confirm import _replacement
    from aligner.types import AsrWord, Refinement

    tokens = _tokens("most is the old harbor")
    words = _words(
        ("most", 136150, 136470), ("is", 136470, 136660), ("old", 136660, 136890), ("harbor", 136890, 137323)
    )
    ops = _ops((MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (DELETE, (2,), ()), (MATCH, (3,), (2,)),
               (MATCH, (4,), (3,)))  # fmt: skip
    [gap] = find_gaps(tokens, ops, words, 600_000)
    placed = Refinement(
        (AsrWord("most", 136150, 136400, 0.9), AsrWord("is", 136400, 136460, 0.9), AsrWord("the", 136540, 136650, 0.0),
         AsrWord("old", 136650, 136890, 0.9), AsrWord("harbor", 136890, 137323, 0.9)),
        (TimingMethod.SPHINX,) * 5,
    )  # fmt: skip
    before = list(words)
    assert _replacement(tokens, words, [TimingMethod.SPHINX] * 4, gap, placed) is None
    assert words == before  # nothing re-timed
    later = replace(placed, words=(*placed.words[:1], AsrWord("is", 136470, 136530, 0.9), *placed.words[2:]))
    assert _replacement(tokens, words, [TimingMethod.SPHINX] * 4, gap, later) is not None  # "is" kept 60 ms


N_HEARD = MAX_MISHEARD_WORDS + 1


@pytest.mark.parametrize(
    "text, words, ops",
    [
        # more heard there than a misheard word or two: speech the transcript lacks
        (
            "to a good",
            [("to", 0, 100), *((f"w{k}", 100 + 30 * k, 130 + 30 * k) for k in range(N_HEARD)), ("good", 400, 600)],
            [
                (MATCH, (0,), (0,)),
                *((INSERT, (), (k,)) for k in range(1, N_HEARD + 1)),
                (DELETE, (1,), ()),
                (MATCH, (2,), (N_HEARD + 1,)),
            ],
        ),
        # more than MAX_RUN_WORDS words: a stretch for the second pass and the timing stage, not a gap
        (
            "to " + "very " * (MAX_RUN_WORDS + 1) + "good",
            [("to", 0, 100), ("good", 100, 400)],
            [
                (MATCH, (0,), (0,)),
                (DELETE, tuple(range(1, MAX_RUN_WORDS + 2)), ()),
                (MATCH, (MAX_RUN_WORDS + 2,), (1,)),
            ],
        ),
        # more audio between the neighbours than MAX_GAP_MS
        (
            "to a good",
            [("to", 0, 100), ("good", 100 + MAX_GAP_MS + 1, 200 + MAX_GAP_MS + 1)],
            [(MATCH, (0,), (0,)), (DELETE, (1,), ()), (MATCH, (2,), (1,))],
        ),
        # the word repeats a neighbour: either copy fits the same audio
        (
            "a very very good",
            [("a", 0, 100), ("very", 100, 300), ("good", 300, 500)],
            [(MATCH, (0,), (0,)), (MATCH, (1,), (1,)), (DELETE, (2,), ()), (MATCH, (3,), (2,))],
        ),
        # the start of the episode: no neighbour before it
        ("so we", [("we", 0, 100)], [(DELETE, (0,), ()), (MATCH, (1,), (0,))]),
    ],
)
def test_not_a_gap(text, words, ops) -> None:
    assert find_gaps(_tokens(text), _ops(*ops), _words(*words), MAX_GAP_MS + 1000) == []


@pytest.mark.parametrize("probability", [DOUBTFUL_PROBABILITY - 0.2, DOUBTFUL_PROBABILITY + 0.4])
def test_a_longer_run_is_a_gap_only_where_what_was_heard_in_its_place_is_doubtful(probability) -> None:
    """Ten words heard as six others: doubted, a mishearing to check; heard surely, a rewritten sentence."""
    run = "one of them wrote that a warm loaf saved her"
    tokens = _tokens(f"yes {run} summer")
    heard = [("Well", 1000, 1300), ("named", 1300, 1600), ("Roto", 1600, 2000), ("Womlof", 2000, 2600),
             ("Zend", 2600, 3000), ("here", 3000, 3300)]  # fmt: skip
    words = [*_words(("yes", 0, 900)), *(replace(w, probability=probability) for w in _words(*heard))]
    words += _words(("summer", 3300, 3800))
    n = len(run.split())
    assert MAX_RUN_WORDS < n <= MAX_DOUBTFUL_RUN_WORDS
    ops = _ops((MATCH, (0,), (0,)), *((INSERT, (), (j,)) for j in range(1, 7)),
               *((DELETE, (i,), ()) for i in range(1, n + 1)), (MATCH, (n + 1,), (7,)))  # fmt: skip
    gaps = find_gaps(tokens, ops, words, 5000)
    assert [g.tokens for g in gaps] == ([tuple(range(1, n + 1))] if probability < DOUBTFUL_PROBABILITY else [])


def test_heading_words_are_never_checked() -> None:
    tokens = _tokens("Title the end", heading=1)
    words = _words(("the", 0, 100), ("end", 100, 200))
    ops = _ops((DELETE, (0,), ()), (MATCH, (1,), (0,)), (MATCH, (2,), (1,)))
    assert find_gaps(tokens, ops, words, 1000) == []


# --- with the real recognizer and aligner on the fixture episode -------------------------------------------


def _second(refinement) -> SecondPass:
    return SecondPass(tuple(refinement.words), tuple(refinement.methods), (), 0, 0)


@pytest.mark.model
def test_single_words_the_recognizer_missed_are_found_and_timed(first_pass, truth) -> None:
    """Every 15th spoken word removed from the recognized words (as tiny.en runs "to a good" into "to
    good"): the check finds most of them in the audio, each timed close to the truth."""
    audio, transcript, _recognition, refinement, options = first_pass
    starts = truth_starts(truth, transcript)
    ops = align_tokens(transcript.tokens, refinement.words)
    heard = {
        i: op.asr_indices for op in ops if op.kind is MATCH and len(op.token_indices) == 1 for i in op.token_indices
    }
    spoken = sorted((i for i in starts if i in heard and len(heard[i]) == 1), key=starts.get)
    missed = [i for i in spoken[5:-5:15] if i - 1 in heard and i + 1 in heard]
    assert len(missed) >= 8
    drop = {heard[i][0] for i in missed}
    keep = [j for j in range(len(refinement.words)) if j not in drop]
    refined = replace(
        refinement, words=tuple(refinement.words[j] for j in keep), methods=tuple(refinement.methods[j] for j in keep)
    )
    ops = align_tokens(transcript.tokens, refined.words)
    unmatched = {i for op in ops if op.kind is DELETE for i in op.token_indices} & set(missed)
    assert len(unmatched) >= 0.8 * len(missed)

    second = SecondPass(tuple(refined.words), tuple(refined.methods), tuple(ops), 0, 0)
    checked = confirm_gaps(
        audio, transcript.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    placed = {
        i: (checked.words[op.asr_indices[0]], checked.methods[op.asr_indices[0]])
        for op in checked.ops
        if op.kind is MATCH
        for i in op.token_indices
    }
    found = [i for i in unmatched if i in placed]
    assert len(found) >= 0.7 * len(unmatched), (len(found), len(unmatched))
    assert all(placed[i][1] is TimingMethod.ACOUSTIC and placed[i][0].probability == CONFIDENCE for i in found)
    errors = sorted(abs(placed[i][0].start_ms - starts[i]) for i in found)
    assert errors[len(errors) // 2] <= 30 and errors[-1] <= 150, errors
    assert checked.found - second.found >= len(found)  # and any word the fixture's recognition misheard


@pytest.mark.model
def test_words_the_producer_added_are_not_found(first_pass, tmp_path) -> None:
    """Single words written into spoken sentences that nobody said stay unmatched, so the timing stage
    can call them not in the audio."""
    audio, transcript, _recognition, refinement, options = first_pass
    text = Path(transcript.path).read_text(encoding="utf-8")
    ops = align_tokens(transcript.tokens, refinement.words)
    matched = {i for op in ops if op.kind is MATCH and len(op.token_indices) == 1 for i in op.token_indices}
    body = [t for t in transcript.tokens if not t.is_heading and t.index in matched and t.index + 1 in matched]
    spots = [t for t in body[5::15] if t.text.isalpha()][:8]  # between two matched words, mid-sentence
    inserted = ["really", "very", "also", "quite", "purple", "certainly", "just", "actually"]
    pieces, at, starts = [], 0, []
    for token, word in zip(spots, inserted):
        pieces.append(text[at : token.end_char] + " ")
        starts.append(sum(map(len, pieces)))
        pieces.append(word)
        at = token.end_char
    path = tmp_path / "inserted.md"
    path.write_text("".join(pieces) + text[at:], encoding="utf-8")
    edited = read_transcript(path)
    new = [t.index for t in edited.tokens if t.start_char in starts]
    assert [edited.tokens[i].text for i in new] == inserted[: len(spots)] and len(new) >= 6

    ops = align_tokens(edited.tokens, refinement.words)
    second = SecondPass(tuple(refinement.words), tuple(refinement.methods), tuple(ops), 0, 0)
    checked = confirm_gaps(
        audio, edited.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    confirmed = {i for op in checked.ops if op.kind is MATCH for i in op.token_indices} & set(new)
    assert checked.stretches >= len(new) - 1  # they were checked
    assert len(confirmed) <= 1, [edited.tokens[i].text for i in confirmed]


def _matched_runs(transcript, refinement, *, length: int, first: int, every: int, most: int) -> list:
    """Up to ``most`` runs of ``length`` consecutive one-to-one matches of the fixture's first pass, one
    starting every ``every`` matches from the ``first``."""
    ops = align_tokens(transcript.tokens, refinement.words)
    single = [op for op in ops if op.kind is MATCH and len(op.token_indices) == 1 and len(op.asr_indices) == 1]
    runs = [single[k : k + length] for k in range(first, len(single) - length, every)]
    return [r for r in runs if all(b.token_indices[0] == a.token_indices[0] + 1 for a, b in pairwise(r))][:most]


@pytest.mark.model
def test_a_short_phrase_unheard_is_found_whole_and_one_the_producer_added_is_not(first_pass, tmp_path) -> None:
    """Up to MAX_RUN_WORDS words: three spoken words removed from the recognized words are found and
    timed, all of them or none; three-word phrases written between two said words are not found."""
    audio, transcript, _recognition, refinement, options = first_pass
    runs = _matched_runs(transcript, refinement, length=5, first=10, every=20, most=6)
    assert len(runs) >= 4
    drop = {op.asr_indices[0] for r in runs for op in r[1:4]}
    keep = [j for j in range(len(refinement.words)) if j not in drop]
    words = tuple(refinement.words[j] for j in keep)
    ops = align_tokens(transcript.tokens, words)
    second = SecondPass(words, tuple(refinement.methods[j] for j in keep), tuple(ops), 0, 0)
    checked = confirm_gaps(audio, transcript.tokens, second, words[-1].end_ms + 1000, replace(options, use_cache=False))
    matched = {i for op in checked.ops if op.kind is MATCH for i in op.token_indices}
    found = [sum(op.token_indices[0] in matched for op in r[1:4]) for r in runs]
    assert all(n in (0, 3) for n in found), found
    assert found.count(3) >= len(runs) - 1, found

    phrases = ["as you know", "in a way", "more or less", "to be fair", "if you like", "so to speak"]
    beside = [transcript.tokens[r[2].token_indices[0]] for r in runs]
    edited, added = with_phrases(transcript, beside, phrases, tmp_path / "added.md")
    ops = align_tokens(edited.tokens, refinement.words)
    second = SecondPass(tuple(refinement.words), tuple(refinement.methods), tuple(ops), 0, 0)
    checked = confirm_gaps(
        audio, edited.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    unmatched = {i for op in ops if op.kind is DELETE for i in op.token_indices} & added
    confirmed = {i for op in checked.ops if op.kind is MATCH for i in op.token_indices} & unmatched
    assert len(unmatched) >= 12 and len(confirmed) <= 1, [edited.tokens[i].text for i in confirmed]


@pytest.mark.model
def test_a_long_run_heard_as_other_words_it_doubted_is_found_whole(first_pass) -> None:
    """Eight spoken words whose recognized words are replaced by four others, heard at probability 0.3
    (as espeak's Scottish "One of them wrote that a warm loaf saved her" was heard "Well I'm named
    Roto-Womlof Zend here"): checked, and found, every word of the run or none."""
    from aligner.types import AsrWord

    audio, transcript, _recognition, refinement, options = first_pass
    runs = _matched_runs(transcript, refinement, length=10, first=5, every=25, most=4)
    assert len(runs) >= 3
    gibberish = ("zend", "roto", "womlof", "nak")
    words: list[AsrWord] = []
    inner = {op.asr_indices[0]: r for r in runs for op in r[1:9]}
    for j, word in enumerate(refinement.words):
        if j not in inner:
            words.append(word)
        elif j == inner[j][1].asr_indices[0]:  # the run's first inner word: four other words over the eight
            start, end = word.start_ms, refinement.words[inner[j][8].asr_indices[0]].end_ms
            step = (end - start) // 4
            words += [AsrWord(g, start + k * step, start + (k + 1) * step, 0.3) for k, g in enumerate(gibberish)]
    methods = tuple(TimingMethod.SPHINX for _ in words)
    ops = align_tokens(transcript.tokens, words)
    second = SecondPass(tuple(words), methods, tuple(ops), 0, 0)
    checked = confirm_gaps(audio, transcript.tokens, second, words[-1].end_ms + 1000, replace(options, use_cache=False))
    matched = {i for op in checked.ops if op.kind is MATCH for i in op.token_indices}
    found = [sum(op.token_indices[0] in matched for op in r[1:9]) for r in runs]
    assert all(n in (0, 8) for n in found), found
    assert found.count(8) >= len(runs) - 1, found


@pytest.mark.model
def test_a_phrase_written_into_a_pause_is_not_found(first_pass, tmp_path) -> None:
    """Where the aligner does not place a phrase of three or more words whole, it is aligned again with
    every word said (MIN_SAID_RUN_WORDS): a phrase written where the speaker paused finds no path there."""
    audio, transcript, _recognition, refinement, options = first_pass
    ops = align_tokens(transcript.tokens, refinement.words)
    single = [op for op in ops if op.kind is MATCH and len(op.token_indices) == 1 and len(op.asr_indices) == 1]
    pauses = [
        a
        for a, b in pairwise(single)
        if b.token_indices[0] == a.token_indices[0] + 1
        and 400 <= refinement.words[b.asr_indices[0]].start_ms - refinement.words[a.asr_indices[0]].end_ms <= 3000
        and not transcript.tokens[a.token_indices[0]].is_heading
    ][:6]
    assert len(pauses) >= 3
    beside = [transcript.tokens[op.token_indices[0]] for op in pauses]
    edited, added = with_phrases(transcript, beside, ["thanks for having me"] * len(pauses), tmp_path / "pauses.md")
    ops = align_tokens(edited.tokens, refinement.words)
    second = SecondPass(tuple(refinement.words), tuple(refinement.methods), tuple(ops), 0, 0)
    checked = confirm_gaps(
        audio, edited.tokens, second, refinement.words[-1].end_ms + 1000, replace(options, use_cache=False)
    )
    confirmed = {i for op in checked.ops if op.kind is MATCH for i in op.token_indices} & added
    assert checked.stretches >= len(pauses)  # they were checked
    assert len(added) == 4 * len(pauses) and confirmed == set(), [edited.tokens[i].text for i in confirmed]
