"""Tests for aligner.cues: limits on generated inputs, break choices, notes, exact cues."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from itertools import pairwise

import pytest

from aligner.cues import LINGER_MS, BreakKind, break_kind, build_cues, cue_text, speaker_prefix, wrap_lines
from aligner.options import CaptionOptions
from aligner.types import Cue, TimedWord, Token, TokenKind, WordStatus

# (text, start_ms, end_ms, speaker, status); status None means matched when timed, not_in_audio when not
Spec = tuple[str, int | None, int | None, str | None, WordStatus | None]


def make_words(spec: Sequence[Spec]) -> tuple[TimedWord, ...]:
    """TimedWords from (text, start, end, speaker, status); "[...]" texts are notes."""
    words = []
    offset = 0
    paragraph = 0
    previous_speaker = None
    for index, (text, start, end, speaker, status) in enumerate(spec):
        kind = TokenKind.NOTE if text.startswith("[") and text.endswith("]") else TokenKind.WORD
        if index and speaker != previous_speaker:
            paragraph += 1
        previous_speaker = speaker
        if status is None:
            status = WordStatus.MATCHED if start is not None else WordStatus.NOT_IN_AUDIO
        token = Token(index, text, kind, speaker, paragraph, offset, offset + len(text))
        offset += len(text) + 1
        words.append(TimedWord(token, start, end, status, 0.9 if start is not None else 0.0))
    return tuple(words)


def spoken(text: str, *, start_ms: int = 0, step_ms: int = 300, speaker: str | None = "Ann") -> list[Spec]:
    """Evenly spaced words: each lasts step_ms - 50 and is followed by a 50 ms pause."""
    return [
        (word, start_ms + i * step_ms, start_ms + (i + 1) * step_ms - 50, speaker, None)
        for i, word in enumerate(text.split())
    ]


def texts(cues: Sequence[Cue]) -> list[str]:
    return [" ".join(cue.lines) for cue in cues]


BIG = 10**7  # an audio duration that never limits anything


# ---------------------------------------------------------------------------------------------
# Generated inputs: every limit holds


def random_case(seed: int) -> tuple[tuple[TimedWord, ...], int, CaptionOptions]:
    rng = random.Random(seed)
    if seed % 4 == 0:
        options = CaptionOptions()
    else:
        max_duration = rng.randint(1500, 9000)
        options = CaptionOptions(
            max_line_chars=rng.randint(10, 50),
            max_lines=rng.randint(1, 3),
            min_duration_ms=min(rng.choice([0, 500, 833, 1500]), max_duration),
            max_duration_ms=max_duration,
            max_chars_per_second=rng.choice([8.0, 15.0, 20.0, 30.0]),
            max_gap_ms=rng.choice([200, 800, 1500, 3000]),
        )
        rng.random()  # drawn for CaptionOptions.speaker_prefix before it moved to OutputOptions: the same cases
    alphabet = "abcdefghijklmnopqrstuvwxyzéüßøñ"
    endings = ["", "", "", "", "", ",", ".", "?", "!", "…", ".”", ";", ":", "—"]
    speakers = ["Ann", "Bob Smith", "Zoë", None]
    speaker = rng.choice(speakers)
    n = rng.randint(0, 90)
    spec: list[Spec] = []
    t = rng.randint(0, 3000)
    last_start = -1
    for _ in range(n):
        if rng.random() < 0.08:
            speaker = rng.choice(speakers)
        roll = rng.random()
        gap = rng.choice(
            [0, rng.randint(1, 300), rng.randint(300, 1600), rng.randint(1500, 6000), -rng.randint(1, 120)]
        )
        if roll < 0.08:  # a note: untimed, short or long
            text = rng.choice(["[music]", "[laughs]", "[crosstalk]", "[background music]", "[applause]"])
            note_speaker = rng.choice([speaker, None])
            if rng.random() < 0.3:
                spec.append((text, None, None, note_speaker, WordStatus.NOT_IN_AUDIO))
                continue
            length = rng.choice([rng.randint(50, 800), rng.randint(800, 6000)])
            start = max(t + gap, last_start + 1)
            spec.append((text, start, start + length, note_speaker, WordStatus.INTERPOLATED))
            last_start, t = start, start + length
            continue
        size = rng.choice([rng.randint(1, 4), rng.randint(2, 9), rng.randint(5, 14), rng.randint(45, 60)])
        if size > 40 and rng.random() < 0.7:
            size = rng.randint(3, 8)
        text = "".join(rng.choice(alphabet) for _ in range(size)) + rng.choice(endings)
        if rng.random() < 0.05:
            text = rng.choice(["&", "<b>", "-->", "R&D", "“quoted”"])
        if rng.random() < 0.1:  # not found in the audio
            spec.append((text, None, None, speaker, WordStatus.NOT_IN_AUDIO))
            continue
        length = rng.choice([0, rng.randint(20, 200), rng.randint(150, 700), rng.randint(600, 1500)])
        if rng.random() < 0.01:
            length = rng.randint(8000, 12000)  # a stretched word, longer than any cue may last
        start = max(t + gap, last_start + 1)
        status = WordStatus.MATCHED if rng.random() < 0.8 else WordStatus.INTERPOLATED
        spec.append((text, start, start + length, speaker, status))
        last_start, t = start, start + length
    duration = t + rng.choice([0, rng.randint(1, 4000)])
    return make_words(spec), duration, options


def span(word: TimedWord) -> tuple[int, int]:
    """The times of a token that has them."""
    assert word.start_ms is not None and word.end_ms is not None
    return word.start_ms, word.end_ms


def check_invariants(
    words: Sequence[TimedWord], duration_ms: int, options: CaptionOptions, cues: Sequence[Cue]
) -> None:
    timed = [i for i, w in enumerate(words) if w.start_ms is not None]
    timed_words = [i for i in timed if words[i].token.kind is TokenKind.WORD]
    shown = [i for cue in cues for i in cue.word_indices]

    # every timed word appears exactly once, in order; untimed tokens never; notes only if timed
    assert shown == sorted(set(shown))
    assert [i for i in shown if words[i].token.kind is TokenKind.WORD] == timed_words
    assert set(shown) <= set(timed)

    for k, cue in enumerate(cues):
        assert cue.index == k
        members = [words[i] for i in cue.word_indices]
        assert members
        # the text is the tokens' texts, joined by single spaces, then wrapped
        assert " ".join(cue.lines) == " ".join(" ".join(w.token.text.split()) for w in members)
        assert cue_text(cue) == "\n".join(cue.lines)
        # lines
        assert 1 <= len(cue.lines) <= options.max_lines, cue
        token_texts = {" ".join(w.token.text.split()) for w in members}
        for line in cue.lines:
            assert line and line == line.strip()
            # the only overflow: a single token (word or note) longer than a line, alone on its line
            assert len(line) <= options.max_line_chars or line in token_texts, (line, options)
        # times
        next_start = cues[k + 1].start_ms if k + 1 < len(cues) else duration_ms
        assert 0 <= cue.start_ms < cue.end_ms <= duration_ms
        natural_end = max(min(span(w)[1], duration_ms) for w in members)
        if cue.end_ms > next_start:  # over another named speaker's cues, as long as its speech or min_duration
            later = [c for c in cues[k + 1 :] if c.start_ms < cue.end_ms]
            assert cue.speaker and not cue.is_note, cue
            assert all(c.speaker and c.speaker != cue.speaker and not c.is_note for c in later), (cue, later)
            assert cue.end_ms <= max(natural_end, cue.start_ms + options.min_duration_ms), cue
        if k + 1 < len(cues):
            assert cue.start_ms < cues[k + 1].start_ms
        assert cue.end_ms - cue.start_ms <= options.max_duration_ms
        # a cue starts with its first word (an inline note before it does not pull it earlier)
        first = members[0] if cue.is_note else next(w for w in members if w.token.kind is TokenKind.WORD)
        assert cue.start_ms == min(span(first)[0], duration_ms - 1)
        assert cue.end_ms >= min(natural_end, next_start, cue.start_ms + options.max_duration_ms)
        assert cue.end_ms >= min(cue.start_ms + options.min_duration_ms, next_start, duration_ms)
        reading_ms = math.ceil(len(" ".join(cue.lines)) * 1000 / options.max_chars_per_second)
        assert cue.end_ms >= min(
            cue.start_ms + reading_ms, next_start, duration_ms, cue.start_ms + options.max_duration_ms
        )
        # never across a speaker change or a long pause
        spoken_words = [w for w in members if w.token.kind is TokenKind.WORD]
        assert len({w.token.speaker for w in spoken_words}) <= 1
        if spoken_words:
            assert cue.speaker == spoken_words[0].token.speaker
        for before, after in pairwise(members):
            assert span(after)[0] - span(before)[1] <= options.max_gap_ms
        # notes
        notes = [w for w in members if w.token.kind is TokenKind.NOTE]
        if cue.is_note:  # a long note, or a short one that fits in no word's cue
            assert len(members) == 1 and notes
        else:
            assert spoken_words
            # a short note only ever opens a cue, or closes it
            kinds = [w.token.kind for w in members]
            first_word = kinds.index(TokenKind.WORD)
            last_word = len(kinds) - 1 - kinds[::-1].index(TokenKind.WORD)
            assert TokenKind.NOTE not in kinds[first_word : last_word + 1]
            for note in notes:
                start, end = span(note)
                assert end - start < options.min_duration_ms

    # a timed note is dropped only where no cue can start for it: at the start of the words on both sides
    for i in timed:
        if words[i].token.kind is TokenKind.NOTE and i not in shown:
            start = span(words[i])[0]
            before = [span(words[j])[0] for j in shown if j < i]
            after = [span(words[j])[0] for j in shown if j > i]
            assert (after and start >= min(after)) or (before and start <= max(before)), words[i]
    # long timed notes are always their own cue
    for i in timed:
        start, end = span(words[i])
        if (
            words[i].token.kind is TokenKind.NOTE
            and min(end, duration_ms) - min(start, duration_ms) >= options.min_duration_ms
        ):
            assert any(cue.is_note and cue.word_indices == (i,) for cue in cues)

    # every speaker change and every pause over max_gap_ms between consecutive timed words ends a cue
    cue_of = {i: k for k, cue in enumerate(cues) for i in cue.word_indices}
    for i, j in pairwise(timed_words):
        if (
            words[i].token.speaker != words[j].token.speaker
            or span(words[j])[0] - span(words[i])[1] > options.max_gap_ms
        ):
            assert cue_of[i] != cue_of[j]


@pytest.mark.parametrize("seed", range(240))
def test_limits_hold_on_generated_input(seed: int) -> None:
    words, duration, options = random_case(seed)
    cues = build_cues(words, duration_ms=duration, options=options)
    check_invariants(words, duration, options, cues)


def test_generated_inputs_cover_the_interesting_cases() -> None:
    """The generator must actually produce what the invariants are about."""
    seen = {"overflow_word": 0, "note_cue": 0, "inline_note": 0, "multi_line": 0, "speaker_break": 0, "untimed": 0}
    for seed in range(240):
        words, duration, options = random_case(seed)
        cues = build_cues(words, duration_ms=duration, options=options)
        seen["untimed"] += any(w.start_ms is None for w in words)
        for k, cue in enumerate(cues):
            seen["overflow_word"] += any(len(line) > options.max_line_chars for line in cue.lines)
            seen["note_cue"] += cue.is_note
            seen["inline_note"] += not cue.is_note and words[cue.word_indices[0]].token.kind is TokenKind.NOTE
            seen["multi_line"] += len(cue.lines) > 1
            seen["speaker_break"] += k > 0 and cue.speaker != cues[k - 1].speaker
    assert all(count >= 5 for count in seen.values()), seen


def test_larger_input_stays_fast_and_valid() -> None:
    """A long monologue without pauses: one run of 3000 words."""
    rng = random.Random(7)
    vocabulary = "the a of to and we it was so, that. really well, yes? neuroscience extraordinary".split()
    spec = spoken(" ".join(rng.choice(vocabulary) for _ in range(3000)), step_ms=250)
    words = make_words(spec)
    duration = span(words[-1])[1] + 500
    cues = build_cues(words, duration_ms=duration)
    check_invariants(words, duration, CaptionOptions(), cues)


# ---------------------------------------------------------------------------------------------
# Break preferences


LONG = CaptionOptions(max_duration_ms=100_000)  # keeps time limits out of the way of text tests


def test_sentence_end_is_chosen_over_a_comma_when_both_fit() -> None:
    text = (
        "We came home late that night, tired and hungry. "
        "After that we slept like logs and we did not wake up until noon."
    )
    cues = build_cues(make_words(spoken(text)), duration_ms=BIG, options=LONG)
    assert texts(cues) == [
        "We came home late that night, tired and hungry.",
        "After that we slept like logs and we did not wake up until noon.",
    ]


def test_worked_example_of_the_module_docstring() -> None:
    options = LONG
    plan = "So that was the plan. We set off at dawn, and by noon the whole valley was ours to explore."
    cues = build_cues(make_words(spoken(plan)), duration_ms=BIG, options=options)
    assert texts(cues)[0] == "So that was the plan."
    so = "So. We set off at dawn, and by noon the whole valley was ours to explore and then we saw it all."
    cues = build_cues(make_words(spoken(so)), duration_ms=BIG, options=options)
    assert texts(cues)[0] == "So. We set off at dawn,"


def test_worked_example_of_a_carried_word() -> None:
    text = "Hello and welcome to “Brain Talk.” This is episode 193, recorded in March 2024."
    # one cue could only be wrapped with the second sentence's first word or two on the first line ...
    assert wrap_lines(text.split(), max_line_chars=42, max_lines=2) == (
        "Hello and welcome to “Brain Talk.” This is",
        "episode 193, recorded in March 2024.",
    )
    # ... so the cue ends at the sentence end instead
    cues = build_cues(make_words(spoken(text, speaker=None)), duration_ms=BIG, options=LONG)
    assert texts(cues) == ["Hello and welcome to “Brain Talk.”", "This is episode 193, recorded in March 2024."]


def test_a_cue_does_not_end_on_the_first_words_of_the_next_sentence() -> None:
    # from fixtures/transcripts/real_example.md, where each cue once ended on "It", "The neuroscience", "One,"
    for text in [
        "If we can interface between those levels, I think that would be really powerful. "
        "It would also open up the ability to compare models to data in a much richer way.",
        "A lot has changed in the last year of machine learning. "
        "The neuroscience team has also shifted their focus quite a bit from the neuro lab.",
        "I have basically two more questions to ask you. "
        "One, is there something that you are currently struggling with just beyond your reach?",
    ]:
        timed: list[Spec] = []
        for word in text.split():  # as fast as that transcript is read in the measurements: 120 ms + 45 a letter
            start = timed[-1][2] + 30 if timed else 0
            timed.append((word, start, start + 120 + 45 * len(word), "Kim", None))
        cues = build_cues(make_words(timed), duration_ms=BIG)
        for cue in cues:
            ends = [break_kind(word) is BreakKind.SENTENCE for word in " ".join(cue.lines).split()]
            assert ends[-1] or (ends[-2:-1] != [True] and ends[-3:-1] != [True, False]), texts(cues)


def test_balanced_sentence_end_beats_one_near_the_start() -> None:
    text = (
        "Right. We walked along the river for an hour or so. "
        "Then the rain started and we ran back to the car, laughing all the way."
    )
    cues = build_cues(make_words(spoken(text)), duration_ms=BIG, options=LONG)
    assert texts(cues) == [
        "Right. We walked along the river for an hour or so.",
        "Then the rain started and we ran back to the car, laughing all the way.",
    ]


def test_no_one_word_orphan_at_the_end_of_a_run() -> None:
    text = (
        "I think we should get going now because the traffic will be terrible later on "
        "and we have a long drive ahead. Okay?"
    )
    cues = build_cues(make_words(spoken(text)), duration_ms=BIG, options=LONG)
    assert all(len(cue.word_indices) > 1 for cue in cues), texts(cues)


def test_a_one_word_run_is_not_an_orphan_and_stays_whole() -> None:
    spec = spoken("Yes.", speaker="Bob") + spoken("I think so too.", start_ms=400, speaker="Ann")
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["Yes.", "I think so too."]


def test_speaker_change_breaks_the_cue() -> None:
    spec = spoken("Hi there", speaker="Ann") + spoken("hello", start_ms=600, speaker="Bob Smith")
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert [(texts([c])[0], c.speaker) for c in cues] == [("Hi there", "Ann"), ("hello", "Bob Smith")]


def test_a_pause_longer_than_max_gap_breaks_the_cue() -> None:
    spec = spoken("one two", step_ms=300) + spoken("three four", start_ms=600 + 1501, step_ms=300)
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(max_gap_ms=1500))
    assert texts(cues) == ["one two", "three four"]
    spec = spoken("one two", step_ms=300) + spoken("three four", start_ms=550 + 1500, step_ms=300)
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(max_gap_ms=1500))
    assert texts(cues) == ["one two three four"]


def test_slow_speech_is_split_by_time() -> None:
    spec = spoken("and then we waited and waited", step_ms=2000)  # 12 s of speech, short text
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(max_duration_ms=7000))
    assert len(cues) == 2
    assert all(cue.end_ms - cue.start_ms <= 7000 for cue in cues)


def test_break_kind_classifies_trailing_punctuation() -> None:
    samples = [
        "end.",
        "what?!",
        "so…",
        "said.”",
        "(yes.)",
        "Dr.",
        "e.g.",
        "well,",
        "x;",
        "—",
        "a—",
        "river",
        "the",
        "I",
    ]
    assert [break_kind(t) for t in samples] == [
        BreakKind.SENTENCE,
        BreakKind.SENTENCE,
        BreakKind.SENTENCE,
        BreakKind.SENTENCE,
        BreakKind.SENTENCE,
        BreakKind.WORD,
        BreakKind.WORD,
        BreakKind.CLAUSE,
        BreakKind.CLAUSE,
        BreakKind.CLAUSE,
        BreakKind.CLAUSE,
        BreakKind.WORD,
        BreakKind.CLINGING,
        BreakKind.CLINGING,
    ]


# ---------------------------------------------------------------------------------------------
# Room for the SRT speaker prefix


def prefixed_lines(cues: Sequence[Cue]) -> list[tuple[str, ...]]:
    """The cues' lines as SRT shows them: ``Name: `` on a turn's first cue (the SRT writer's rule)."""
    shown, previous = [], None
    for cue in cues:
        lines = cue.lines
        if not cue.is_note:
            if cue.speaker is not None and cue.speaker != previous:
                lines = (speaker_prefix(cue.speaker) + lines[0], *lines[1:])
            previous = cue.speaker
        shown.append(lines)
    return shown


def test_a_turns_first_line_keeps_room_for_name() -> None:
    text = "Hello and welcome to “Brain Talk.” This is episode 193, recorded in March 2024."
    cues = build_cues(make_words(spoken(text, speaker="Jane Miller")), duration_ms=BIG, options=LONG)
    assert prefixed_lines(cues) == [
        ("Jane Miller: Hello and welcome", "to “Brain Talk.”"),
        ("This is episode 193,", "recorded in March 2024."),
    ]
    # the next cue of the turn has the whole line, and so does a cue nobody is named for
    text = "So that was the plan. We set off at dawn, and by noon the whole valley was ours to explore."
    cues = build_cues(make_words(spoken(text, speaker="Paul Middlebrooks")), duration_ms=BIG, options=LONG)
    assert prefixed_lines(cues) == [
        ("Paul Middlebrooks: So that was the plan.",),
        ("We set off at dawn, and by noon", "the whole valley was ours to explore."),
    ]
    text = "And we are back for the second part now."  # 40 characters: one line, but not after "Ann: "
    cues = build_cues(make_words(spoken(text, speaker=None)), duration_ms=BIG, options=LONG)
    assert prefixed_lines(cues) == [(text,)]
    cues = build_cues(make_words(spoken(text, speaker="Ann")), duration_ms=BIG, options=LONG)
    assert prefixed_lines(cues) == [("Ann: And we are back", "for the second part now.")]


def test_room_is_kept_at_each_change_of_speaker_and_not_after_a_note() -> None:
    spec = [
        *spoken("Welcome back to the show, everyone out there.", speaker="Ann"),  # 45 characters
        ("[music]", 3000, 6000, None, WordStatus.INTERPOLATED),
        *spoken("And we are back for the second part now.", start_ms=6100, speaker="Ann"),
        *spoken("Thanks, it is a pleasure to be here with you.", start_ms=10_000, speaker="Bob Smith"),
        *spoken("Good to have you here with us in the studio.", start_ms=14_000, speaker="Ann"),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=LONG)
    for lines in prefixed_lines(cues):
        assert all(len(line) <= 42 for line in lines), lines
    assert [lines[0].split(":")[0] for lines in prefixed_lines(cues) if ":" in lines[0]] == ["Ann", "Bob Smith", "Ann"]
    # after the note, Ann goes on: her cue shows no name and keeps no room
    assert cues[2].lines == ("And we are back for the second part now.",)


def test_an_inline_note_opening_a_turn_fits_with_the_name() -> None:
    spec = [
        *spoken("That is all.", speaker="Jane Miller"),
        ("[laughs]", 1000, 1400, "Sam Carter", None),
        *spoken("That is the question I hear most.", start_ms=1450, speaker="Sam Carter"),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=LONG)
    assert prefixed_lines(cues)[1] == ("Sam Carter: [laughs] That is the", "question I hear most.")
    one_line = CaptionOptions(max_line_chars=30, max_lines=1, max_duration_ms=100_000)
    cues = build_cues(make_words(spec), duration_ms=BIG, options=one_line)
    # "Sam Carter: [laughs] That" is 25 characters, but the note must stay with its word: it is dropped
    assert all(len(line) <= 30 for lines in prefixed_lines(cues) for line in lines), prefixed_lines(cues)


# ---------------------------------------------------------------------------------------------
# Lines


def test_lines_avoid_ending_on_a_word_that_leans_on_the_next() -> None:
    words = "to hold a phone number for a few seconds before you dial it".split()
    first, _ = wrap_lines(words, max_line_chars=42, max_lines=2)
    assert break_kind(first.split()[-1]) is not BreakKind.CLINGING


def test_cue_does_not_join_the_tail_of_a_sentence_to_the_next() -> None:
    text = (
        "My guest is a neuroscientist who has spent twenty years studying how the brain stores what we learn. "
        "It is a pleasure to have you here."
    )
    cues = build_cues(make_words(spoken(text)), duration_ms=BIG, options=LONG)
    assert texts(cues)[-1] == "It is a pleasure to have you here."


def test_lines_are_balanced() -> None:
    words = "the quick brown fox jumps over the lazy dog and keeps on running far away".split()
    lines = wrap_lines(words, max_line_chars=42, max_lines=2)
    assert " ".join(lines) == " ".join(words)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 8


def test_lines_prefer_to_wrap_after_punctuation() -> None:
    # a comma far from the middle loses to balance ...
    words = "Well, you know, I went down to the market and bought some fish".split()
    assert wrap_lines(words, max_line_chars=42, max_lines=2) == (
        "Well, you know, I went down",
        "to the market and bought some fish",
    )
    # ... but wins over a plain break that is only a little more balanced
    words = "I went down to the market, and bought some fish for tea".split()
    assert wrap_lines(words, max_line_chars=42, max_lines=2) == (
        "I went down to the market,",
        "and bought some fish for tea",
    )


def test_a_line_does_not_end_on_the_first_word_of_a_sentence_going_on_below() -> None:
    words = "One was a paper from OpenAI. Now the guys who wrote it are at Anthropic,".split()
    # "… OpenAI." / "Now the guys …" does not fit (43 characters); "… OpenAI. Now" would balance best
    assert wrap_lines(words, max_line_chars=42, max_lines=2) == (
        "One was a paper from OpenAI. Now the guys",
        "who wrote it are at Anthropic,",
    )


def test_the_first_line_indent_counts_against_the_first_line_only() -> None:
    words = "Hello and welcome to the show about brains".split()  # 42 characters
    assert wrap_lines(words, max_line_chars=42, max_lines=2) == (" ".join(words),)
    lines = wrap_lines(words, max_line_chars=42, max_lines=2, first_line_indent=13)
    assert len(lines) == 2 and 13 + len(lines[0]) <= 42 and len(lines[1]) <= 42
    # balance is judged on the text shown: without the indent the lines are near equal
    assert abs(len(lines[0]) - len(lines[1])) <= 8, lines
    # the indent and the first word are one word: too long together, they overflow on a line of their own
    assert wrap_lines(["extraordinary", "things"], max_line_chars=20, max_lines=2, first_line_indent=13) == (
        "extraordinary",
        "things",
    )


def test_text_that_fits_one_line_stays_on_one_line() -> None:
    assert wrap_lines(["short", "text"], max_line_chars=42, max_lines=2) == ("short text",)


def test_a_word_longer_than_a_line_gets_a_line_of_its_own() -> None:
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 characters
    spec = spoken(f"it is {long_word} they said")
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(max_lines=3))
    assert [cue.lines for cue in cues] == [("it is", long_word, "they said")]


def test_a_lone_long_word_with_one_line_allowed_is_its_own_cue() -> None:
    long_word = "x" * 50
    spec = spoken(f"a {long_word} b")
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(max_lines=1))
    assert [cue.lines for cue in cues] == [("a",), (long_word,), ("b",)]


# ---------------------------------------------------------------------------------------------
# Times


def test_min_duration_extends_the_end_past_another_speakers_cue_but_not_past_the_same_speakers() -> None:
    """A backchannel the other speaker talks straight after stays up its minimum time over their cue (the
    cues of two speakers may overlap); a cue of the same speaker, a note or an unnamed one ends it."""
    spec = [("Hi.", 1000, 1100, "Ann", None), ("Yo.", 1400, 1500, "Bob", None), ("Bye.", 5000, 5100, "Ann", None)]
    cues = build_cues(make_words(spec), duration_ms=5300, options=CaptionOptions(min_duration_ms=833))
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 1833), (1400, 2233), (5000, 5300)]
    spec = [("Hi.", 1000, 1100, "Ann", None), ("there.", 1400, 1500, "Ann", None), ("Bye.", 5000, 5100, "Ann", None)]
    options = CaptionOptions(min_duration_ms=833, max_gap_ms=200)  # the pause ends the cue: two cues
    cues = build_cues(make_words(spec), duration_ms=5300, options=options)
    assert [(c.start_ms, c.end_ms) for c in cues][:2] == [(1000, 1400), (1400, 2233)]
    spec = [("Hi.", 1000, 1100, None, None), ("Yo.", 1400, 1500, None, None), ("Bye.", 5000, 5100, None, None)]
    cues = build_cues(make_words(spec), duration_ms=5300, options=options)
    assert [(c.start_ms, c.end_ms) for c in cues][:2] == [(1000, 1400), (1400, 2233)]


def test_reading_speed_extends_the_end() -> None:
    text = "Extraordinary neuroscience."  # 27 characters: 1350 ms at 20 characters a second
    spec = [(w, 1000 + i * 300, 1250 + i * 300, "Ann", None) for i, w in enumerate(text.split())]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(min_duration_ms=0))
    assert (cues[0].start_ms, cues[0].end_ms) == (1000, 2350)


def test_two_speakers_speech_overlapping_makes_cues_that_overlap_as_far_as_the_speech() -> None:
    """An interjection over the end of the other speaker's sentence: both cues are up while both speak.
    Neither linger nor reading time reaches over the other speaker; one speaker's cues never overlap."""
    spec = [("A", 0, 900, "Ann", None), ("B", 500, 800, "Bob", None)]
    cues = build_cues(make_words(spec), duration_ms=2000)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(0, 900), (500, 1333)]
    spec = [("A", 0, 900, "Ann", None), ("B", 500, 800, "Ann", None)]
    options = CaptionOptions(max_gap_ms=100)
    assert [(c.start_ms, c.end_ms) for c in build_cues(make_words(spec), duration_ms=2000)] == [(0, 1200)]  # one cue
    spec = [("Aaaaa", 0, 900, "Ann", None), ("B", 500, 800, None, None)]
    cues = build_cues(make_words(spec), duration_ms=2000, options=options)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(0, 500), (500, 1333)]


def test_a_word_longer_than_max_duration_is_clamped() -> None:
    spec = [("Ummmmm", 0, 12_000, "Ann", None), ("ok", 12_100, 12_300, "Ann", None)]
    cues = build_cues(make_words(spec), duration_ms=13_000, options=CaptionOptions(max_duration_ms=7000))
    assert (cues[0].start_ms, cues[0].end_ms) == (0, 7000)


def test_times_are_clamped_to_the_audio() -> None:
    spec = [("late", 9_800, 10_400, "Ann", None)]
    cues = build_cues(make_words(spec), duration_ms=10_000)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(9_800, 10_000)]


def test_a_word_at_the_very_end_still_gets_a_cue_of_1_ms() -> None:
    cues = build_cues(make_words([("end", 5000, 5000, None, None)]), duration_ms=5000)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(4999, 5000)]


def test_words_sharing_one_start_share_a_cue() -> None:
    spec = [("a", 1000, 1000, "Ann", None), ("b", 1000, 1000, "Bob", None), ("c", 1000, 1200, "Bob", None)]
    cues = build_cues(make_words(spec), duration_ms=3000)
    assert len(cues) == 1 and cues[0].start_ms == 1000 and cues[0].end_ms > 1000


def test_times_going_backwards_are_a_bug_and_named() -> None:
    spec = [("one", 1000, 1200, "Ann", None), ("two", 900, 1000, "Ann", None)]
    with pytest.raises(ValueError, match=r"word 1 \('two'\) starts at 900 ms, before word 0"):
        build_cues(make_words(spec), duration_ms=3000)
    with pytest.raises(ValueError, match="ends at"):
        build_cues(make_words([("x", 1000, 900, None, None)]), duration_ms=3000)
    with pytest.raises(ValueError, match="negative"):
        build_cues((), duration_ms=-1)


def test_no_timed_words_no_cues() -> None:
    assert build_cues(make_words([("gone", None, None, "Ann", None)]), duration_ms=1000) == ()
    assert build_cues((), duration_ms=1000) == ()
    assert build_cues(make_words(spoken("a b")), duration_ms=0) == ()


# ---------------------------------------------------------------------------------------------
# Notes


def test_long_note_is_its_own_cue() -> None:
    spec = [("[music]", 0, 3000, None, WordStatus.INTERPOLATED), *spoken("Welcome back.", start_ms=3200)]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    first = cues[0]
    assert (first.lines, first.is_note, first.word_indices, first.start_ms, first.end_ms) == (
        ("[music]",),
        True,
        (0,),
        0,
        3000,
    )
    assert texts(cues)[1:] == ["Welcome back."]


def test_short_note_opens_the_next_cue() -> None:
    spec = [
        *spoken("That is funny."),
        ("[laughs]", 950, 1350, "Ann", None),
        *spoken("Anyway, on we go.", start_ms=1400),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["That is funny.", "[laughs] Anyway, on we go."]
    # the cue shows the note but starts with the speech (the note's time is only the pause it sits in)
    assert cues[1].start_ms == 1400 and cues[1].word_indices[0] == 3 and not cues[1].is_note


def test_short_note_with_nothing_after_it_in_the_turn_closes_the_cue_before_it() -> None:
    spec = [
        *spoken("That is funny."),
        ("[laughs]", 950, 1350, "Ann", None),
        *spoken("Yes.", start_ms=1400, speaker="Bob"),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["That is funny. [laughs]", "Yes."]
    assert cues[0].end_ms <= cues[1].start_ms == 1400
    spec = [*spoken("The end."), ("[laughs]", 700, 900, None, None)]
    assert texts(build_cues(make_words(spec), duration_ms=BIG)) == ["The end. [laughs]"]


def test_crosstalk_at_the_end_of_a_turn_keeps_its_cue() -> None:
    """``[crosstalk]`` placed as a point where the next speaker starts (no room between the turns)."""
    spec = [
        *spoken("So we went back", speaker="Ann"),
        ("[crosstalk]", 1150, 1150, "Ann", None),
        *spoken("Right, right.", start_ms=1150, speaker="Bob"),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["So we went back [crosstalk]", "Right, right."]


def test_a_short_note_that_fits_nowhere_is_a_cue_of_its_own() -> None:
    spec = [
        *spoken("That is all.", speaker="Jane"),
        ("[laughs]", 2000, 2200, "Sam", None),  # Sam's, after a long pause: neither Jane's cue nor Bob's
        *spoken("Next question.", start_ms=5000, speaker="Bob"),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["That is all.", "[laughs]", "Next question."]
    assert cues[1].is_note and 2000 == cues[1].start_ms < cues[1].end_ms <= cues[2].start_ms


def test_untimed_notes_and_words_never_appear() -> None:
    spec = [
        *spoken("Hello there."),
        ("[music]", None, None, None, WordStatus.NOT_IN_AUDIO),
        ("cut", None, None, "Ann", None),
        *spoken("Goodbye.", start_ms=700),
    ]
    cues = build_cues(make_words(spec), duration_ms=BIG)
    assert texts(cues) == ["Hello there. Goodbye."]
    assert cues[0].word_indices == (0, 1, 4)


# ---------------------------------------------------------------------------------------------
# Exact cues for small inputs


def test_exact_cues_two_speakers() -> None:
    spec = [
        ("Welcome", 500, 900, "Ann Lee", None),
        ("to", 950, 1050, "Ann Lee", None),
        ("the", 1100, 1200, "Ann Lee", None),
        ("show.", 1250, 1700, "Ann Lee", None),
        ("Thanks,", 2100, 2500, "Bob", None),
        ("Ann!", 2550, 2900, "Bob", None),
    ]
    cues = build_cues(make_words(spec), duration_ms=4000)
    assert cues == (
        Cue(0, 500, 2000, ("Welcome to the show.",), "Ann Lee", (0, 1, 2, 3)),  # 300 ms linger
        Cue(1, 2100, 3200, ("Thanks, Ann!",), "Bob", (4, 5)),
    )


def test_exact_cues_with_notes_and_a_missing_word() -> None:
    spec = [
        ("[music]", 0, 2000, None, WordStatus.INTERPOLATED),
        ("Café", 2100, 2500, "Zoë", None),
        ("<b>crème</b>", 2550, 3000, "Zoë", None),
        ("&", 3050, 3100, "Zoë", WordStatus.INTERPOLATED),
        ("brûlée", None, None, "Zoë", None),
        ("-->", 3150, 3300, "Zoë", None),
        ("[laughs]", 3400, 3700, "Zoë", None),
        ("Sorry.", 3750, 4000, "Zoë", None),
    ]
    cues = build_cues(make_words(spec), duration_ms=4200)
    assert cues == (
        Cue(0, 0, 2000, ("[music]",), None, (0,), is_note=True),
        Cue(1, 2100, 3600, ("Café <b>crème</b> & -->",), "Zoë", (1, 2, 3, 5)),  # 300 ms linger
        Cue(2, 3750, 4200, ("[laughs] Sorry.",), "Zoë", (6, 7)),  # starts with "Sorry."
    )


def test_exact_cues_for_a_long_sentence() -> None:
    text = "So that was the plan. We set off at dawn, and by noon the whole valley was ours to explore."
    cues = build_cues(make_words(spoken(text, start_ms=1000)), duration_ms=BIG)
    assert [(c.start_ms, c.end_ms, c.lines) for c in cues] == [
        (1000, 2500, ("So that was the plan.",)),  # the linger meets the next cue
        (2500, 7250, ("We set off at dawn, and by noon", "the whole valley was ours to explore.")),
    ]


# ----------------------------------------------------------------------------------------------
# Linger (issue 3: caption timing from precise words)


def test_a_cue_lingers_after_its_last_word_when_nothing_follows_soon() -> None:
    spec = [(w, 1000 + i * 400, 1350 + i * 400, "Ann", None) for i, w in enumerate("One two three four.".split())]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(min_duration_ms=0))
    assert (cues[0].start_ms, cues[0].end_ms) == (1000, 2550 + LINGER_MS)


def test_the_linger_stops_at_the_next_cue() -> None:
    spec = [("Yes.", 1000, 1400, "Ann", None), ("No.", 1500, 1900, "Bob", None)]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(min_duration_ms=0))
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 1500), (1500, 1900 + LINGER_MS)]


def test_the_linger_never_spans_a_long_pause() -> None:
    # max_gap_ms 200: a 250 ms pause is long, and the 200 ms linger leaves part of it uncaptioned
    spec = [("Yes.", 1000, 1400, "Ann", None), ("No.", 1650, 2000, "Ann", None)]
    options = CaptionOptions(min_duration_ms=0, max_gap_ms=200)
    cues = build_cues(make_words(spec), duration_ms=BIG, options=options)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 1600), (1650, 2200)]


def test_a_note_cue_does_not_linger() -> None:
    spec = [("[music]", 0, 3000, None, WordStatus.INTERPOLATED), ("Hi.", 5000, 5400, "Ann", None)]
    cues = build_cues(make_words(spec), duration_ms=BIG, options=CaptionOptions(min_duration_ms=0))
    assert [(c.start_ms, c.end_ms, c.is_note) for c in cues] == [(0, 3000, True), (5000, 5400 + LINGER_MS, False)]


@pytest.mark.parametrize("seed", range(60))
def test_cues_end_no_later_than_linger_or_the_reading_limits_allow(seed: int) -> None:
    words, duration, options = random_case(seed)
    cues = build_cues(words, duration_ms=duration, options=options)
    linger = min(LINGER_MS, options.max_gap_ms)
    for cue in cues:
        members = [words[i] for i in cue.word_indices]
        natural_end = max(min(span(w)[1], duration) for w in members)
        reading_ms = math.ceil(len(" ".join(cue.lines)) * 1000 / options.max_chars_per_second)
        latest = max(
            natural_end + (0 if cue.is_note else linger),
            cue.start_ms + options.min_duration_ms,
            cue.start_ms + reading_ms,
            cue.start_ms + 1,
        )
        assert cue.end_ms <= latest
        # a cue never starts before the first token it shows
        assert cue.start_ms >= min(span(members[0])[0], duration - 1)
