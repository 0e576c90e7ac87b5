"""Timing and status: matched, interpolated, not in audio."""

from __future__ import annotations

import random

import pytest

from aligner.cues import build_cues
from aligner.match import align_tokens
from aligner.options import CaptionOptions
from aligner.timing import MIN_NOTE_MS, assign_times, label_methods
from aligner.types import (
    AlignOp,
    AsrWord,
    OpKind,
    Recognition,
    SpeechRegion,
    TimedWord,
    TimingMethod,
    Token,
    TokenKind,
    WordStatus,
)


def tokens_of(text: str, heading_words: int = 0) -> list[Token]:
    out, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        kind = TokenKind.NOTE if word.startswith("[") else TokenKind.WORD
        out.append(Token(i, word, kind, None, 0, start, pos, is_heading=i < heading_words))
    return out


def recognition_of(timed: list[tuple[str, int, int]], duration_ms: int, speech=None) -> Recognition:
    words = tuple(AsrWord(w, s, e, 0.9) for w, s, e in timed)
    if speech is None:
        speech = [(timed[0][1], timed[-1][2])] if timed else []
    return Recognition(words, tuple(SpeechRegion(s, e) for s, e in speech), duration_ms, "test", "en")


def run(tokens, recognition):
    ops = align_tokens(tokens, recognition.words)
    return assign_times(tokens, recognition, ops)


def evenly(text: str, start: int = 0, step: int = 300) -> list[tuple[str, int, int]]:
    return [(w, start + i * step, start + i * step + step - 40) for i, w in enumerate(text.split())]


def test_matched_words_take_recognised_times():
    tokens = tokens_of("Hello and welcome.")
    timing = run(tokens, recognition_of([("hello", 100, 400), ("and", 400, 520), ("welcome", 560, 1000)], 2000))
    assert [(w.start_ms, w.end_ms, w.status) for w in timing.words] == [
        (100, 400, WordStatus.MATCHED),
        (400, 520, WordStatus.MATCHED),
        (560, 1000, WordStatus.MATCHED),
    ]
    assert all(0 < w.confidence <= 1 for w in timing.words)
    assert timing.words[0].heard == "hello"


def test_changed_word_is_interpolated_over_the_unmatched_speech():
    tokens = tokens_of("we saw a large dog today")
    heard = [
        ("we", 0, 200),
        ("saw", 200, 400),
        ("a", 400, 500),
        ("big", 520, 800),
        ("dog", 820, 1000),
        ("today", 1000, 1400),
    ]
    timing = run(tokens, recognition_of(heard, 2000))
    large = timing.words[3]
    assert large.status is WordStatus.INTERPOLATED
    assert (large.start_ms, large.end_ms) == (520, 800)
    assert timing.audio_only == ()


def test_unspoken_sentence_between_spoken_ones_is_not_in_audio():
    spoken_a = "so that was the first thing we did"
    added = "Editor's note: this sentence was added after recording."
    spoken_b = "and then we went home"
    tokens = tokens_of(f"{spoken_a} {added} {spoken_b}")
    heard = evenly(spoken_a) + evenly(spoken_b, start=len(spoken_a.split()) * 300 + 600)
    timing = run(tokens, recognition_of(heard, 6000))
    n_a, n_added = len(spoken_a.split()), len(added.split())
    statuses = [w.status for w in timing.words]
    assert statuses[:n_a] == [WordStatus.MATCHED] * n_a
    assert statuses[n_a : n_a + n_added] == [WordStatus.NOT_IN_AUDIO] * n_added
    assert all(w.start_ms is None and w.end_ms is None for w in timing.words[n_a : n_a + n_added])
    assert statuses[n_a + n_added :] == [WordStatus.MATCHED] * len(spoken_b.split())


def test_dropped_words_over_voiced_time_are_interpolated():
    tokens = tokens_of("one two three four five")
    # The recognizer heard "one" and "five" with 1.5 s of voiced audio between them.
    heard = [("one", 0, 300), ("five", 1800, 2100)]
    timing = run(tokens, recognition_of(heard, 3000, speech=[(0, 2100)]))
    middle = timing.words[1:4]
    assert [w.status for w in middle] == [WordStatus.INTERPOLATED] * 3
    times = [t for w in middle for t in (w.start_ms, w.end_ms)]
    assert times == sorted(times) and times[0] >= 300 and times[-1] <= 1800


def test_misheard_words_one_for_one_take_one_heard_word_each():
    """ "Tie. Anchovy." heard as "Thai ... Anshuvi" with a pause between: each word its own heard word,
    not a share of the whole stretch by letters (which started "Anchovy" 640 ms early in the pause)."""
    tokens = tokens_of("Ball. Tie. Anchovy. Girl.")
    heard = [("ball", 0, 400), ("thai", 1400, 1900), ("anshuvi", 2600, 3300), ("girl", 4300, 4700)]
    timing = run(tokens, recognition_of(heard, 5000))
    assert [(w.status, w.start_ms, w.end_ms) for w in timing.words[1:3]] == [
        (WordStatus.INTERPOLATED, 1400, 1900),
        (WordStatus.INTERPOLATED, 2600, 3300),
    ]


def test_dropped_words_are_spread_over_speech_never_over_a_pause():
    """The worked example of timing._spread_over: voice activity at 1000-1400 and 2000-2400."""
    tokens = tokens_of("yes so far okay")
    heard = [("yes", 500, 900), ("okay", 2500, 2800)]
    timing = run(tokens, recognition_of(heard, 3000, speech=[(500, 900), (1000, 1400), (2000, 2400), (2500, 2800)]))
    assert [(w.start_ms, w.end_ms) for w in timing.words[1:3]] == [(1000, 1342), (2000, 2400)]


def test_title_is_never_interpolated_even_over_speech():
    tokens = tokens_of("My Show Title hello there", heading_words=3)
    heard = [("intro", 0, 500), ("music", 500, 900), ("hello", 1000, 1300), ("there", 1300, 1600)]
    timing = run(tokens, recognition_of(heard, 2000))
    assert [w.status for w in timing.words[:3]] == [WordStatus.NOT_IN_AUDIO] * 3


def test_a_title_before_the_first_words_does_not_take_the_first_word_with_it():
    """espeak's episode: the title, byline and a disclaimer (headings) and then "Hello", heard as "The long":
    the headings are not in the audio, and "Hello" is spread over what was heard, not dropped with them."""
    tokens = tokens_of("Field Notes episode twelve by Robert Miller Hello and welcome", heading_words=7)
    heard = [("the", 1680, 2160), ("long", 2160, 2340), ("and", 2340, 2540), ("welcome", 2540, 2860)]
    timing = run(tokens, recognition_of(heard, 4000))
    assert all(w.status is WordStatus.NOT_IN_AUDIO for w in timing.words[:7])
    hello = timing.words[7]
    assert hello.status is WordStatus.INTERPOLATED and (hello.start_ms, hello.end_ms) == (1680, 2340)


def test_long_unmatched_run_beside_ad_read_is_not_spread_over_it():
    before = "so the original mission of DeepMind was to use the brain"
    cut = "a paragraph was cut from the edit about weather"
    ad = "this episode is sponsored by a mattress company use code brain"
    after = "that has sort of gone off the board these days"
    tokens = tokens_of(f"{before} {cut} {after}")
    heard = evenly(f"{before} {ad} {after}")
    timing = run(tokens, recognition_of(heard, 12000))
    n_before, n_cut = len(before.split()), len(cut.split())
    assert all(w.status is WordStatus.NOT_IN_AUDIO for w in timing.words[n_before : n_before + n_cut])
    assert len(timing.audio_only) == 1
    region = timing.audio_only[0]
    assert region.text.startswith("this episode is sponsored") and region.word_count == len(ad.split())


def test_a_long_run_misheard_is_spread_over_what_was_heard_and_one_written_in_place_of_speech_is_not():
    """The quiet remote guest's "city planners who were drawing maps" heard as "the heat plumbers and we
    were throwing that": six words, more than MAX_SHORT_RUN_WORDS, but the same passage misheard. A
    sentence the producer wrote in place of one said shares nothing with it and stays not in the audio."""
    before, after = "I spent a lot of time with", "by hand in the end"
    for said, heard, spoken in [
        ("city planners who were drawing maps", "the heat plumbers and we are throwing that", True),
        ("The report was published in 1990.", "Right. That changed how we planned the whole project.", False),
    ]:
        tokens = tokens_of(f"{before} {said} {after}")
        timing = run(tokens, recognition_of(evenly(f"{before} {heard} {after}"), 20_000))
        n = len(before.split())
        run_words = timing.words[n : n + len(said.split())]
        expected = WordStatus.INTERPOLATED if spoken else WordStatus.NOT_IN_AUDIO
        assert [w.status for w in run_words] == [expected] * len(run_words), said
        assert len(timing.audio_only) == (0 if spoken else 1)


def test_misheard_words_take_the_time_of_the_heard_words_their_letters_line_up_with():
    """timing._by_sound's worked example: "city planners" heard as "the heat plumbers" (three heard words for
    two): "planners" takes the time of "plumbers", not a share by letters of the whole stretch."""
    tokens = tokens_of("so city planners did")
    heard = [("so", 0, 200), ("the", 300, 450), ("heat", 450, 700), ("plumbers", 900, 1500), ("did", 1600, 1800)]
    timing = run(tokens, recognition_of(heard, 3000))
    city, planners = timing.words[1:3]
    assert (city.status, planners.status) == (WordStatus.INTERPOLATED, WordStatus.INTERPOLATED)
    assert city.start_ms == 300 and city.end_ms <= 700
    assert abs(planners.start_ms - 900) <= 80 and planners.end_ms == 1500


CUT = [("he", 0, 300), ("started", 300, 800), ("over", 800, 1200)]  # a false start the producer cut
MISHEARD = [("for", 0, 200), ("December", 200, 600)]  # "her summer"


@pytest.mark.parametrize(
    "said, groups, expected",
    [  # the run ends its sentence: the groups from its start; it begins one: from its end
        ("a warm winter saved her summer. For us", [(MISHEARD, 1500), (CUT, 4000)], (1500, 2100)),
        ("We rested. Her summer went on", [(CUT, 1000), (MISHEARD, 3500)], (3500, 4100)),
        ("a warm winter saved her summer. For us", [(MISHEARD, 1500), (CUT, 2700)], (1500, 2100)),  # 0.6 s apart
    ],
)
def test_a_misheard_run_is_spread_over_the_speech_of_its_own_sentence(said, groups, expected):
    """Heard words 0.5 s or more apart beside a misheard run: the run takes the side of the sentence it ends
    or begins, and the rest stays speech the transcript lacks."""
    words = said.split()
    k = next(i for i, w in enumerate(words) if w.lower() == "her")
    heard = [(w, 200 * i, 200 * i + 200) for i, w in enumerate(words[:k])]
    heard += [(w, at + s, at + e) for group, at in groups for w, s, e in group]
    heard += [(w, 6000 + 200 * i, 6200 + 200 * i) for i, w in enumerate(words[k + 2 :])]
    timing = run(tokens_of(said), recognition_of(heard, 9000))
    her, summer = timing.words[k : k + 2]
    assert (her.start_ms, summer.end_ms) == expected
    assert [w.status for w in (her, summer)] == [WordStatus.INTERPOLATED] * 2
    assert [r.start_ms for r in timing.audio_only] == [at for group, at in groups if group is CUT]


def test_note_between_turns_is_timed_over_the_pause():
    tokens = tokens_of("thank you [music] welcome back")
    heard = [("thank", 0, 200), ("you", 200, 400), ("welcome", 3400, 3800), ("back", 3800, 4000)]
    timing = run(tokens, recognition_of(heard, 5000))
    note = timing.words[2]
    assert (note.start_ms, note.end_ms) == (400, 3400)


def test_note_without_room_is_a_point_before_the_next_word():
    # Issue 13 item 7 changed this: a note with no room had no time, so captions dropped it without a word.
    tokens = tokens_of("[laughs] I guess")
    timing = run(tokens, recognition_of([("I", 0, 100), ("guess", 100, 400)], 1000))
    note = timing.words[0]
    assert (note.start_ms, note.end_ms, note.status, note.method) == (0, 0, WordStatus.INTERPOLATED,
                                                                      TimingMethod.INTERPOLATED)  # fmt: skip
    [cue] = build_cues(timing.words, duration_ms=1000)
    assert cue.lines == ("[laughs] I guess",) and cue.start_ms == 0


def test_crosstalk_inside_running_speech_keeps_a_cue():
    tokens = tokens_of("I think the brain [crosstalk] is very good")
    heard = evenly("I think the brain is very good", step=300)  # 40 ms between words: no room for a note
    timing = run(tokens, recognition_of(heard, 5000))
    note = timing.words[4]
    assert note.token.text == "[crosstalk]"
    assert note.start_ms == note.end_ms == timing.words[3].end_ms  # where "brain" ends
    cues = build_cues(timing.words, duration_ms=5000)
    assert [" ".join(cue.lines) for cue in cues] == ["I think the brain", "[crosstalk] is very good"]
    assert cues[1].start_ms == timing.words[5].start_ms  # the cue starts with its word, not the note


def test_a_point_note_never_lies_after_the_next_word():
    tokens = tokens_of("one [crosstalk] two")
    timing = run(tokens, recognition_of([("one", 0, 500), ("two", 450, 800)], 1000))  # overlapping times
    one, note, two = timing.words
    assert one.end_ms == note.start_ms == note.end_ms <= two.start_ms
    build_cues(timing.words, duration_ms=1000)  # times in order: the caption stage takes them


@pytest.mark.parametrize(
    ("first_word_ms", "expected"),
    [
        (20_000, [(0, 7000, "[Intro music]", True), (20_000, None, "Hello there.", False)]),  # 7 s at most
        (1_500, [(0, 1500, "[Intro music]", True), (1_500, None, "Hello there.", False)]),
        (500, [(500, None, "[Intro music] Hello there.", False)]),  # under min_duration: inline, at the word
    ],
)
def test_a_note_before_the_first_word_spans_the_intro_within_the_caption_limits(first_word_ms, expected):
    tokens = tokens_of("[Intro] Hello there.")
    tokens[0] = Token(0, "[Intro music]", TokenKind.NOTE, None, 0, 0, 13)
    heard = [("hello", first_word_ms, first_word_ms + 400), ("there", first_word_ms + 400, first_word_ms + 700)]
    timing = run(tokens, recognition_of(heard, 60_000))
    note = timing.words[0]
    assert (note.start_ms, note.end_ms) == (0, first_word_ms)
    assert first_word_ms >= MIN_NOTE_MS
    options = CaptionOptions()
    cues = build_cues(timing.words, duration_ms=60_000, options=options)
    assert [(c.start_ms, c.end_ms if c.is_note else None, " ".join(c.lines), c.is_note) for c in cues] == expected
    assert all(c.end_ms - c.start_ms <= options.max_duration_ms for c in cues)


@pytest.mark.parametrize(
    "heard, expected",
    [  # "me" given no time of its own (the quiet remote guest's "me." at 30.639-30.639 s)
        ([("having", 0, 400), ("me", 400, 400), ("glad", 900, 1200)], (400, 430)),  # from the pause after it
        ([("having", 0, 400), ("me", 900, 900), ("glad", 900, 1200)], (870, 900)),  # from the pause before
        ([("having", 0, 400), ("me", 400, 400), ("glad", 400, 700)], (370, 400)),  # from "having", the longer
        ([("having", 0, 200), ("me", 200, 200), ("glad", 200, 700)], (200, 230)),  # from "glad", the longer
    ],
)
def test_a_word_with_no_time_of_its_own_is_given_some(heard, expected):
    from aligner.timing import MIN_WORD_SPAN_MS

    timing = run(tokens_of("having me glad"), recognition_of(heard, 2000))
    having, me, glad = timing.words
    assert (me.start_ms, me.end_ms) == expected and me.end_ms - me.start_ms == MIN_WORD_SPAN_MS
    assert having.end_ms <= me.start_ms and me.end_ms <= glad.start_ms < glad.end_ms
    squeezed = run(
        tokens_of("having me glad"), recognition_of([("having", 0, 50), ("me", 50, 50), ("glad", 50, 80)], 80)
    )
    assert squeezed.words[1].end_ms - squeezed.words[1].start_ms < MIN_WORD_SPAN_MS  # no room anywhere: as it was


@pytest.mark.parametrize("seed", range(30))
def test_times_monotone_inside_audio_and_one_status_each(seed):
    rng = random.Random(seed)
    vocab = "the cat sat on a mat while we talked about neuroscience and memory [laughs] — ok".split()
    written = [rng.choice(vocab) for _ in range(rng.randint(1, 120))]
    heard_words = [w for w in written if not w.startswith("[") and w != "—" and rng.random() > 0.1]
    heard_words += [rng.choice(vocab[:10]) for _ in range(rng.randint(0, 20))]
    rng.shuffle(heard_words[: len(heard_words) // 4])
    t, heard = rng.randint(0, 2000), []
    for w in heard_words:
        length = rng.randint(80, 600)
        heard.append((w, t, t + length))
        t += length + rng.choice([0, 0, 50, 900])
    duration = t + rng.randint(0, 3000)
    speech = [(0, duration)] if rng.random() < 0.5 else None
    tokens = tokens_of(" ".join(written))
    timing = run(tokens, recognition_of(heard, duration, speech) if heard else recognition_of([], duration, []))
    assert [w.token.index for w in timing.words] == list(range(len(tokens)))
    last = 0
    for word in timing.words:
        assert word.status in WordStatus
        if word.start_ms is None:
            assert word.end_ms is None and word.status is WordStatus.NOT_IN_AUDIO
            continue
        assert 0 <= word.start_ms <= word.end_ms <= duration
        if word.token.kind is TokenKind.WORD:
            assert word.start_ms >= last
            last = word.start_ms
    assert all(w.start_ms is not None for w in timing.words if w.token.kind is TokenKind.NOTE)  # a note is never lost
    build_cues(timing.words, duration_ms=duration)  # raises if any token, notes too, starts before the one before it


def test_methods_are_labelled_from_the_recognized_words() -> None:
    tokens = [
        Token(i, text, TokenKind.WORD, "Ann", 0, 0, 1) for i, text in enumerate(["It's", "fine", ",", "oh", "well"])
    ]
    ops = [
        AlignOp(OpKind.MATCH, (0,), (0, 1), 1.0),  # "it's" heard as "it is"
        AlignOp(OpKind.MATCH, (1,), (2,), 1.0),
        AlignOp(OpKind.DELETE, (3,), ()),
        AlignOp(OpKind.MATCH, (4,), (3,), 1.0),
    ]
    timed = [
        TimedWord(tokens[0], 0, 300, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[1], 300, 600, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[2], 600, 600, WordStatus.MATCHED, 0.9),
        TimedWord(tokens[3], None, None, WordStatus.NOT_IN_AUDIO, 0.0),
        TimedWord(tokens[4], 900, 1200, WordStatus.MATCHED, 0.9),
    ]
    methods = (TimingMethod.ONSET, TimingMethod.WHISPER, TimingMethod.SPHINX, TimingMethod.SPHINX)
    labelled = label_methods(timed, ops, methods)
    assert [w.method for w in labelled] == [
        TimingMethod.WHISPER,  # the least precise of "it" and "is"
        TimingMethod.SPHINX,
        TimingMethod.SPHINX,  # punctuation follows its word
        None,
        TimingMethod.SPHINX,
    ]
    assert [w.method for w in label_methods(timed, ops, None)] == [TimingMethod.WHISPER] * 3 + [
        None,
        TimingMethod.WHISPER,
    ]
    interpolated = TimedWord(tokens[3], 650, 850, WordStatus.INTERPOLATED, 0.25)
    assert label_methods([interpolated], [], None)[0].method is TimingMethod.INTERPOLATED
