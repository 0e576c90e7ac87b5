"""Stamps: what a reader's times may and may not change in the alignment, and the fixture episode re-timed.

Pure alignments show that a stamp resolves a retake, follows the offset its
neighbours show, and never overrides clear word matches or reorders words;
then the fixture episode's transcript as SRT and as a timestamped export
(stamps 1-3 s off) is aligned to its audio against the truth (model).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from truth import body_words_by_key, spoken_truth, truth_key

from aligner.match import align_tokens
from aligner.options import AlignOptions
from aligner.readers import read_transcript
from aligner.types import AsrWord, OpKind, Stamp, Token, TokenKind, WordStatus

EPISODE = Path(__file__).resolve().parent.parent / "fixtures" / "episode"


def tokens_of(text: str) -> list[Token]:
    out, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        out.append(Token(i, word, TokenKind.WORD, None, 0, start, pos))
    return out


def heard_of(text: str, step_ms: int = 400, start_ms: int = 0) -> list[AsrWord]:
    return [
        AsrWord(w, start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 50, 0.9)
        for i, w in enumerate(text.split())
    ]


def matched_starts(ops, tokens, words) -> dict[int, int]:
    """Token index -> start ms of its recognized word, for matched tokens."""
    return {i: words[op.asr_indices[0]].start_ms for op in ops if op.kind is OpKind.MATCH for i in op.token_indices}


def check_cover(ops, tokens, words) -> None:
    """Every token and recognized word in exactly one op; matches increase on both sides."""
    assert sorted(j for op in ops for j in op.asr_indices) == list(range(len(words)))
    assert sorted(i for op in ops for i in op.token_indices) == [t.index for t in tokens if t.kind is TokenKind.WORD]
    matches = [op for op in ops if op.kind is OpKind.MATCH]
    for a, b in itertools.pairwise(matches):
        assert a.token_indices[-1] < b.token_indices[0] and a.asr_indices[-1] < b.asr_indices[0]


RETAKE_TRANSCRIPT = "welcome to the show thank you for having me it is great to be here"
RETAKE_AUDIO = (
    "welcome to the show thank you for having me sorry sorry let me start that again from the top "
    "thank you for having me it is great to be here"
)
RETAKE = RETAKE_AUDIO.split().index("thank", 5)  # the second take's "thank", at 7.6 s


def test_a_stamp_resolves_a_retake_that_words_alone_get_wrong():
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    retake_ms = words[RETAKE].start_ms
    turn = [4, 5, 6, 7, 8]  # "thank you for having me"

    alone = align_tokens(tokens, words)
    check_cover(alone, tokens, words)
    assert [matched_starts(alone, tokens, words)[i] for i in turn] == [w.start_ms for w in words[4:9]]  # the flub

    for error_ms in (-2500, 0, 2500):  # a stamp a few seconds off still finds the take nearest it
        stamped = align_tokens(tokens, words, stamps=[Stamp(4, retake_ms + error_ms)])
        check_cover(stamped, tokens, words)
        starts = matched_starts(stamped, tokens, words)
        assert [starts[i] for i in turn] == [w.start_ms for w in words[RETAKE : RETAKE + 5]], error_ms
        inserted = [j for op in stamped if op.kind is OpKind.INSERT for j in op.asr_indices]
        assert inserted == list(range(4, RETAKE))  # the flubbed take and "sorry sorry let me start..."


def test_a_stamp_far_from_any_copy_changes_nothing():
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    assert align_tokens(tokens, words, stamps=[Stamp(4, 60_000)]) == align_tokens(tokens, words)


def test_stamps_never_override_clear_word_matches():
    text = "the original mission of the lab was to learn how the brain learns from a few examples"
    tokens, words = tokens_of(text), heard_of(text)
    rng = random.Random(3)
    for _ in range(20):
        wrong = [Stamp(i, rng.randint(0, 60_000)) for i in sorted(rng.sample(range(len(tokens)), 5))]
        ops = align_tokens(tokens, words, stamps=wrong)
        assert all(op.kind is OpKind.MATCH and op.token_indices == op.asr_indices for op in ops)


def test_stamps_of_an_earlier_cut_follow_the_offset_their_neighbours_show():
    """Captions made before a 60 s cold open was cut: every stamp is 60 s late.

    The stamps on words that match clearly ("welcome to the show", "it is
    great") show the offset, and the retake's stamp, corrected by it, finds
    the right take; uncorrected it would find nothing near it.
    """
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    late = 60_000
    great = RETAKE_TRANSCRIPT.split().index("it")
    cut_stamps = [
        Stamp(0, words[0].start_ms + late),
        Stamp(4, words[RETAKE].start_ms + late + 1200),
        Stamp(great, words[RETAKE + 5].start_ms + late - 800),
    ]
    ops = align_tokens(tokens, words, stamps=cut_stamps)
    check_cover(ops, tokens, words)
    assert matched_starts(ops, tokens, words)[4] == words[RETAKE].start_ms
    uncorrected = align_tokens(tokens, words, stamps=[Stamp(4, words[RETAKE].start_ms + late)])
    assert matched_starts(uncorrected, tokens, words)[4] == words[4].start_ms  # alone, it finds nothing: the flub


@pytest.mark.parametrize("seed", range(12))
def test_random_stamps_keep_the_alignment_whole_and_monotone(seed):
    rng = random.Random(seed)
    vocab = "thank you for having me so the brain learns a lot from few examples yes".split()
    phrase = rng.sample(vocab, 4)
    spoken = []
    for _ in range(rng.randint(10, 30)):
        spoken.extend(phrase if rng.random() < 0.3 else rng.sample(vocab, rng.randint(2, 6)))
    edited = [w for w in spoken if rng.random() > 0.15]
    tokens, words = tokens_of(" ".join(edited)), heard_of(" ".join(spoken))
    stamp_at = sorted(rng.sample(range(len(tokens)), min(len(tokens), rng.randint(1, 8))))
    garbage = [Stamp(i, rng.randint(-5000, len(words) * 400 + 5000)) for i in stamp_at]
    check_cover(align_tokens(tokens, words, stamps=garbage), tokens, words)


def test_a_stamp_on_a_note_times_the_next_word_and_a_note_only_stamp_times_nothing():
    tokens = [Token(0, "[music]", TokenKind.NOTE, None, 0, 0, 7)] + [
        Token(i + 1, t.text, t.kind, None, 1, t.start_char + 8, t.end_char + 8)
        for i, t in enumerate(tokens_of(RETAKE_TRANSCRIPT))
    ]
    words = heard_of(RETAKE_AUDIO)
    ops = align_tokens(tokens, words, stamps=[Stamp(0, 0), Stamp(5, words[RETAKE].start_ms)])
    assert matched_starts(ops, tokens, words)[5] == words[RETAKE].start_ms
    only_note = align_tokens(tokens, words, stamps=[Stamp(0, words[RETAKE].start_ms), Stamp(1, 0)])
    check_cover(only_note, tokens, words)
    assert only_note == align_tokens(tokens, words)  # the note's stamp has no word; "welcome" at 0 is clear


# --- the fixture episode, re-timed from captions and from a timestamped export (model) ----------


@pytest.fixture(scope="module", params=["episode.srt", "episode_timestamped.txt"])
def reformatted_result(request, episode_audio, cache_dir):
    from aligner import align

    return request.param, align(episode_audio, EPISODE / request.param, AlignOptions(cache_dir=cache_dir))


def test_episode_fixtures_hold_every_spoken_word_and_stamps_one_to_three_seconds_off(truth):
    spans = spoken_truth(truth)
    for name in ("episode.srt", "episode_timestamped.txt"):
        t = read_transcript(EPISODE / name)
        assert t.speakers == ("Jane Miller", "Sam Carter")
        assert len(t.stamps) >= 7
        seen: dict[str, int] = {}
        firsts = {}
        for token in t.tokens:
            if token.kind is TokenKind.WORD and not token.is_heading:
                key = truth_key(token.text)
                firsts[token.index] = (key, seen.get(key, 0))
                seen[key] = seen.get(key, 0) + 1
        assert set(spans) <= set(firsts.values()), name
        errors = []
        for stamp in t.stamps:
            index = stamp.token_index
            while firsts.get(index) not in spans:
                index += 1
            errors.append(abs(stamp.time_ms - spans[firsts[index]][0]))
        assert max(errors) <= 3100 and sum(e >= 1000 for e in errors) >= len(errors) // 2, (name, errors)


@pytest.mark.model
def test_reformatted_episode_matches_the_spoken_words(reformatted_result, truth):
    name, result = reformatted_result
    ours = body_words_by_key(result)
    spans = spoken_truth(truth)
    assert not [k for k in spans if k not in ours]
    matched = [k for k in spans if ours[k].status is WordStatus.MATCHED]
    assert len(matched) / len(spans) >= 0.95, (name, [k for k in spans if k not in matched])
    errors = sorted(abs(ours[k].start_ms - spans[k][0]) for k in matched)
    assert errors[len(errors) // 2] <= 200, name
    added = [w for w in truth["transcript_words"] if w["kind"] == "added"]
    for word in added:  # the unspoken sentence, in the captions of "an earlier cut" too
        assert ours[(word["transcript_text"].casefold(), word["occurrence"])].status is WordStatus.NOT_IN_AUDIO
    assert set(result.speakers) == {"Jane Miller", "Sam Carter"}
    last = 0
    for word in result.words:
        if word.start_ms is not None and word.token.kind is TokenKind.WORD:
            assert word.start_ms >= last
            last = word.start_ms
