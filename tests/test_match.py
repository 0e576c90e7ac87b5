"""Alignment: a pure function of two word lists."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from aligner.match import align_tokens
from aligner.types import AlignOp, AsrWord, OpKind, Token, TokenKind


def tokens_of(text: str) -> list[Token]:
    out, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        kind = TokenKind.NOTE if word.startswith("[") else TokenKind.WORD
        out.append(Token(i, word, kind, None, 0, start, pos))
    return out


def heard_of(text: str, step_ms: int = 300) -> list[AsrWord]:
    return [AsrWord(w, i * step_ms, i * step_ms + step_ms - 20, 0.9) for i, w in enumerate(text.split())]


def pairs(ops: tuple[AlignOp, ...], tokens: list[Token], words: list[AsrWord]) -> list[tuple[str, str]]:
    return [
        (" ".join(tokens[i].text for i in op.token_indices), " ".join(words[j].text for j in op.asr_indices))
        for op in ops
        if op.kind is OpKind.MATCH
    ]


def check_cover(ops, tokens, words) -> None:
    """Every alignable token and every recognized word in exactly one op, in order."""
    seen_t = [i for op in ops for i in op.token_indices]
    seen_a = [j for op in ops for j in op.asr_indices]
    assert sorted(seen_a) == list(range(len(words)))
    assert len(seen_t) == len(set(seen_t))
    alignable = [t.index for t in tokens if t.kind is TokenKind.WORD and any(c.isalnum() for c in t.text)]
    assert sorted(seen_t) == alignable
    matches = [op for op in ops if op.kind is OpKind.MATCH]
    for a, b in itertools.pairwise(matches):
        assert a.token_indices[-1] < b.token_indices[0]
        assert a.asr_indices[-1] < b.asr_indices[0]


def test_identical_text_matches_one_to_one():
    text = "so the original mission of DeepMind was to use what we know about the brain"
    tokens, words = tokens_of(text), heard_of(text)
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert all(op.kind is OpKind.MATCH and op.similarity == 1.0 for op in ops)
    assert len(ops) == len(tokens)


def test_punctuation_and_case_do_not_matter():
    tokens = tokens_of("“Brain Inspired,” is now powered by The Transmitter.")
    words = heard_of("brain inspired is now powered by the transmitter")
    ops = align_tokens(tokens, words)
    assert all(op.kind is OpKind.MATCH for op in ops)


@pytest.mark.parametrize(
    "written, said, copy",
    [
        ("so I think coaches know", "so I mean I think coaches know", 3),  # a filler phrase holding the word
        ("hope? You can see", "hope you know you can see", 3),
        ("and this is it", "and and this is it", 1),  # a false start
    ],
)
def test_a_word_said_twice_matches_the_saying_that_runs_on(written, said, copy):
    """The transcript keeps the last saying of a restart; its start is not the false start's."""
    tokens, words = tokens_of(written), heard_of(said)
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    word = next(t for t in tokens if t.text.casefold().strip("?") in ("i", "you", "and"))
    [op] = [op for op in ops if word.index in op.token_indices]
    assert op.kind is OpKind.MATCH and op.asr_indices == (copy,)


def test_a_cut_sentence_beginning_with_the_next_word_does_not_take_it():
    """Audio "If it works it could help families. If people ...", transcript "... weekends. If people"."""
    tokens = tokens_of("you spend your weekends. If people do not trust you")
    said = "you spend your weekends but if it works it could help families if people do not trust you"
    words = [AsrWord(w, 300 * k, 300 * k + 250, 0.9) for k, w in enumerate(said.split())]
    words[12:] = [replace(w, start_ms=w.start_ms + 700, end_ms=w.end_ms + 700) for w in words[12:]]  # a pause
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    [op] = [op for op in ops if op.token_indices == (4,)]
    assert op.asr_indices == (12,)  # the "if" said with "people", not the cut sentence's


def test_a_cut_sentence_right_after_the_last_word_kept_does_not_take_its_first_word_either():
    """Audio "... at night. We still don't know why. I'm, we just listened", transcript "at night. We just listened"."""
    tokens = tokens_of("at night. We just listened")
    said = "at night we still don't know why I'm we just listened"
    words = [AsrWord(w, 300 * k, 300 * k + 250, 0.9) for k, w in enumerate(said.split())]
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    [op] = [op for op in ops if op.token_indices == (2,)]
    assert op.asr_indices == (8,)


def test_a_word_said_again_after_a_pause_keeps_its_first_match():
    """A retake ("Eyebrow. ... Eyebrow.", the second cut from the transcript) is not a restart."""
    tokens = tokens_of("Oregano. Eyebrow. Star.")
    words = [
        AsrWord(w, s, s + 500, 0.9) for w, s in [("oregano", 0), ("eyebrow", 1100), ("eyebrow", 2200), ("star", 2600)]
    ]
    ops = align_tokens(tokens, words)
    [op] = [op for op in ops if op.token_indices == (1,)]
    assert op.asr_indices == (1,)


def test_a_number_and_its_sign_heard_apart_are_one_match():
    tokens, words = tokens_of("we made 40% more mistakes"), heard_of("we made 40 % more mistakes")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert ("40%", "40 %") in pairs(ops, tokens, words)


def test_one_word_heard_as_two():
    tokens = tokens_of("the neuroscience team")
    words = heard_of("the neuro science team")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert ("neuroscience", "neuro science") in pairs(ops, tokens, words)


def test_two_words_heard_as_one_contraction():
    tokens = tokens_of("well I am not sure")
    words = heard_of("well I'm not sure")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert ("I am", "I'm") in pairs(ops, tokens, words)


def test_a_merge_needs_every_word():
    """A merge that one of its words already makes alone would take the other word's time (seed 8's "a", 1 s early)."""
    tokens, words = tokens_of("Robert Parker, a biologist"), heard_of("Robert Parker. You know the biologist")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    merged = [op for op in ops if op.kind is OpKind.MATCH and len(op.token_indices) + len(op.asr_indices) > 2]
    assert merged == []
    assert ("Parker,", "Parker.") in pairs(ops, tokens, words)


@pytest.mark.parametrize(
    ("written", "spoken"),
    [("193", "one ninety three"), ("2024", "twenty twenty four"), ("40%", "forty percent")],
)
def test_digits_written_words_spoken(written, spoken):
    tokens = tokens_of(f"this is episode {written} of the show")
    words = heard_of(f"this is episode {spoken} of the show")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert (written, spoken) in pairs(ops, tokens, words)


def test_words_spoken_digits_heard():
    tokens = tokens_of("it was twenty twenty four then")
    words = heard_of("it was 2024 then")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    assert ("twenty twenty four", "2024") in pairs(ops, tokens, words)


def test_misrecognised_name_matches_fuzzily():
    tokens = tokens_of("here is Kim Stachenfeld today")
    words = heard_of("here is Kim Stackenfeld today")
    ops = align_tokens(tokens, words)
    match = [op for op in ops if op.kind is OpKind.MATCH and tokens[op.token_indices[0]].text == "Stachenfeld"]
    assert match and 0.72 <= match[0].similarity < 1.0


def test_cut_paragraph_beside_ad_read_stays_unpaired():
    before = "so the original mission of DeepMind was to use what we know about the brain to make better AI"
    cut = "this paragraph was cut from the edit and talks about the weather in the mountains today"
    ad = "this episode is sponsored by a mattress company use code brain for ten percent off now"
    after = "that has sort of gone off the board because these days scaling up is what AI is all about"
    tokens = tokens_of(f"{before} {cut} {after}")
    words = heard_of(f"{before} {ad} {after}")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    n_before, n_cut = len(before.split()), len(cut.split())
    # Both passages start with "this": growing the anchor over that one
    # coincidence at the edge is allowed; nothing inside may pair.
    inner_cut = set(range(n_before + 1, n_before + n_cut))
    inner_ad = set(range(n_before + 1, n_before + len(ad.split())))
    for op in ops:
        if op.kind is OpKind.MATCH:
            assert not set(op.token_indices) & inner_cut, pairs((op,), tokens, words)
            assert not set(op.asr_indices) & inner_ad
    matched = sum(len(op.token_indices) for op in ops if op.kind is OpKind.MATCH)
    assert len(before.split()) + len(after.split()) <= matched <= len(before.split()) + len(after.split()) + 1


def test_a_short_word_alone_between_three_mismatches_a_side_is_chance_and_a_long_one_is_kept():
    """espeak's "who runs a program on running" heard as "who full on the broad ramen running": the lone "on"
    is undone (three unmatched words on each side), so the run can be placed over what was heard. A longer
    word stranded the same way ("program" heard exactly) stays matched."""
    tokens = tokens_of("a teacher who runs a program on running today")
    words = heard_of("a teacher who full on the broad ramen running today")
    matched = [p for p in pairs(align_tokens(tokens, words), tokens, words)]
    assert ("on", "on") not in matched and ("who", "who") in matched and ("running", "running") in matched
    words = heard_of("a teacher who full program the broad ramen running today")
    matched = [p for p in pairs(align_tokens(tokens, words), tokens, words)]
    assert any(heard == "program" for _, heard in matched)


def test_an_island_next_to_an_island_is_undone_too():
    """Chance pairs of a misheard sentence into an ad read: "then" = "them" lies three words from "a" = "a"
    (too near for an island while "a" stands), but "a" is an island and goes, and then so does "then".
    The "And" that begins "And we're back." pairs with its own copy, not with the ad's "and"."""
    tokens = tokens_of(
        "students running before work. Martin added much since then. Let's take a short break. And we're back."
    )
    words = heard_of(
        "students running before work. Lead to stay cash hot meag. The safety of these brought to you by right "
        "books. I have been using them at home for a few months now and I really liked them. And we are back."
    )
    matched = pairs(align_tokens(tokens, words), tokens, words)
    assert ("then.", "them") not in matched and ("a", "a") not in matched
    assert ("work.", "work.") in matched and ("back.", "back.") in matched
    assert ("And", "And") in matched  # its own copy, next to "we are back", not the ad's "and"


def test_notes_and_bare_punctuation_are_not_aligned():
    tokens = tokens_of("[laughs] I guess — yes")
    words = heard_of("I guess yes")
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    used = {i for op in ops for i in op.token_indices}
    assert 0 not in used and 3 not in used


def test_nothing_recognised_means_every_word_deleted():
    tokens = tokens_of("nothing was said here")
    ops = align_tokens(tokens, [])
    assert [op.kind for op in ops] == [OpKind.DELETE] * 4


VOCAB = (
    "the a of to and in that is it was for on are as with his they at be this from have or by one had "
    "not but what all were when we there can an your which their said if do will each about how up out "
    "them then she many some so these would other into has more her two like him see time could no make "
    "than first been its who now people my made over did down only way find use may water long little "
    "very after words called just where most know neuroscience hippocampus reinforcement learning"
).split()


def _edited(rng: random.Random, spoken: list[str]) -> tuple[list[str], list[str]]:
    """A transcript and a recognition of the same speech with typical edits."""
    heard, written = [], []
    for word in spoken:
        roll = rng.random()
        if roll < 0.04:
            heard.append(word)  # edited out of the transcript
        elif roll < 0.07:
            written.append(word)  # recognizer dropped it
        elif roll < 0.09:
            heard.extend(["um", word])
            written.append(word)
        elif roll < 0.11 and len(word) > 5:
            heard.append(word[:-1] + "x")  # misrecognised
            written.append(word)
        else:
            heard.append(word)
            written.append(word)
    return written, heard


@pytest.mark.parametrize("seed", range(25))
def test_properties_on_generated_edits(seed):
    rng = random.Random(seed)
    spoken = [rng.choice(VOCAB) for _ in range(rng.randint(0, 400))]
    written, heard = _edited(rng, spoken)
    if rng.random() < 0.5:  # an ad read the transcript lacks
        at = rng.randint(0, len(heard))
        heard[at:at] = [rng.choice(VOCAB) for _ in range(rng.randint(10, 60))]
    if rng.random() < 0.5:  # a title and a cut paragraph
        written[0:0] = ["Episode", "Title", "by", "Someone"]
    tokens = tokens_of(" ".join(written))
    words = heard_of(" ".join(heard))
    ops = align_tokens(tokens, words)
    check_cover(ops, tokens, words)
    for op in ops:
        if op.kind is OpKind.MATCH:
            assert 0.72 <= op.similarity <= 1.0
    if len(spoken) > 100:
        matched = sum(len(op.token_indices) for op in ops if op.kind is OpKind.MATCH)
        assert matched >= 0.85 * len(written)
