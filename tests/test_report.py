"""Counts and findings over the timed words (aligner.report): pure functions on hand-made words."""

from __future__ import annotations

import pytest
from support.handmade import I, M, N, Row, make_result

from aligner.report import (
    LOW_CONFIDENCE,
    MIN_MOVED_WORDS,
    body_summary,
    matched_share,
    missing_passages,
    moved_passages,
    summarize,
)
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


def body(text: str, status: WordStatus, start_ms: int | None = None, paragraph: int = 1) -> list[Row]:
    """Body words of one speaker, each 300 ms long when timed."""
    rows: list[Row] = []
    for k, word in enumerate(text.split()):
        start = None if start_ms is None else start_ms + 300 * k
        rows.append((word, "Ann", status, start, None if start is None else start + 250, paragraph, False, False))
    return rows


def heading(text: str, paragraph: int = 0, *, title: bool = False) -> list[Row]:
    return [(word, None, N, None, None, paragraph, True, title) for word in text.split()]


# --- summarize -----------------------------------------------------------------------------------


def _word(text: str, status: WordStatus, confidence: float, kind: TokenKind = TokenKind.WORD) -> TimedWord:
    timed = status is not WordStatus.NOT_IN_AUDIO
    return TimedWord(
        Token(0, text, kind, None, 0, 0, len(text)), 0 if timed else None, 1 if timed else None, status, confidence
    )


def test_summary_counts_words_by_status_and_leaves_notes_out():
    words = [
        _word("a", M, 0.9),
        _word("b", M, 0.9),
        _word("c", I, 0.25),
        _word("d", N, 0.0),
        _word("[music]", I, 0.25, TokenKind.NOTE),
        _word("[laughs]", N, 0.0, TokenKind.NOTE),
    ]
    assert summarize(words) == Summary(words=4, matched=2, interpolated=1, not_in_audio=1, low_confidence=1)


def test_low_confidence_is_below_the_limit_and_counts_only_timed_words():
    words = [
        _word("at", M, LOW_CONFIDENCE),
        _word("below", M, LOW_CONFIDENCE - 0.001),
        _word("guessed", I, 0.25),
        _word("missing", N, 0.0),  # untimed: not "low confidence", missing
    ]
    assert summarize(words).low_confidence == 2
    assert summarize([]) == Summary(0, 0, 0, 0, 0)


# --- missing_passages ----------------------------------------------------------------------------


def test_a_missing_passage_is_a_run_of_untimed_words_after_the_last_timed_one():
    rows = (
        body("So that was first.", M, 1000)
        + body("Editor's note: added later.", N)
        + body("And then home.", M, 5000)
        + body("Cut at the end.", N)
    )
    result = make_result(rows, duration_ms=9000)
    assert missing_passages(result.words) == (
        MissingPassage(first_word=4, last_word=7, text="Editor's note: added later.", after_ms=2150),
        MissingPassage(first_word=11, last_word=14, text="Cut at the end.", after_ms=5850),
    )


def test_a_passage_before_any_timed_word_has_no_time_before_it():
    result = make_result(body("Not said.", N) + body("Said.", M, 800), duration_ms=2000)
    assert missing_passages(result.words) == (MissingPassage(0, 1, "Not said.", None),)


def test_notes_do_not_break_a_run_and_interpolated_words_do():
    rows = body("one", M, 0) + body("two", N) + [("[music]", "Ann", I, 600, 900, 1, False, False)]
    rows += body("three", N) + body("four", I, 1000) + body("five", N)
    result = make_result(rows, duration_ms=3000)
    assert missing_passages(result.words) == (
        MissingPassage(1, 3, "two three", 250),
        MissingPassage(5, 5, "five", 1250),
    )


def test_heading_matter_is_not_reported_missing_but_stays_not_in_audio():
    """The title, byline and closing line are not expected in the audio: not listed, still counted."""
    rows = heading("Brain Talk", 0, title=True) + heading("By Jane Miller", 1)
    rows += body("Hello and welcome.", M, 1000, paragraph=2) + body("An added line.", N, paragraph=2)
    rows += heading("Thanks for listening.", 3)
    result = make_result(rows, duration_ms=5000)
    assert missing_passages(result.words) == (MissingPassage(8, 10, "An added line.", 1850),)
    assert all(w.status is WordStatus.NOT_IN_AUDIO for w in result.words if w.token.is_heading)
    assert result.summary.not_in_audio == 2 + 3 + 3 + 3  # the heading words are still counted
    assert missing_passages(make_result(heading("Only a title", title=True), duration_ms=1000).words) == ()


def test_body_summary_leaves_the_heading_matter_out():
    rows = heading("Brain Talk", 0, title=True) + heading("By Jane Miller", 1)
    rows += body("Hello and welcome.", M, 1000, paragraph=2) + body("An added line.", N, paragraph=2)
    rows += [("[music]", "Ann", I, 4000, 4500, 2, False, False)]  # a note: no word in either count
    rows += heading("Thanks for listening.", 3)
    result = make_result(rows, duration_ms=5000)
    assert body_summary(result.words) == Summary(words=6, matched=3, interpolated=0, not_in_audio=3, low_confidence=0)
    assert summarize(result.words) == Summary(words=14, matched=3, interpolated=0, not_in_audio=11, low_confidence=0)


def test_a_heading_read_aloud_is_still_heading_matter_not_body():
    rows = heading("Brain Talk", 0, title=True) + body("Hello.", M, 1000, paragraph=1)
    spoken_title = [
        (text, None, M, 100 + 300 * k, 350 + 300 * k, 0, True, True) for k, text in enumerate(["Brain", "Talk"])
    ]
    result = make_result(spoken_title + rows[2:], duration_ms=2000)
    assert body_summary(result.words) == Summary(words=1, matched=1, interpolated=0, not_in_audio=0, low_confidence=0)
    assert summarize(result.words).words == 3


# --- matched_share -------------------------------------------------------------------------------


def _tokens(spec: list[tuple[str, bool]]) -> list[Token]:
    kinds = {True: TokenKind.NOTE, False: TokenKind.WORD}
    return [
        Token(i, text, kinds[text.startswith("[")], None, 0, 0, len(text), is_heading=is_heading)
        for i, (text, is_heading) in enumerate(spec)
    ]


def test_matched_share_counts_the_alignable_body_words_only():
    tokens = _tokens(
        [
            ("Title", True),
            ("hello", False),
            ("—", False),
            ("[music]", False),
            ("there", False),
            ("friend", False),
            ("gone", False),
        ]
    )
    ops = [
        AlignOp(OpKind.MATCH, (0,), (0,), 1.0),  # a heading that was heard: not counted either way
        AlignOp(OpKind.MATCH, (1,), (1,), 1.0),
        AlignOp(OpKind.MATCH, (4, 5), (2,), 0.9),  # two tokens heard as one word
        AlignOp(OpKind.DELETE, (6,), ()),
        AlignOp(OpKind.INSERT, (), (3,)),
    ]
    assert matched_share(tokens, ops) == pytest.approx(3 / 4)  # hello, there, friend of hello/there/friend/gone
    assert matched_share(tokens, [AlignOp(OpKind.DELETE, (i,), ()) for i in range(len(tokens))]) == 0.0
    assert matched_share(_tokens([("Title", True), ("[music]", False)]), []) == 0.0  # no body: nothing matched


# --- moved_passages ------------------------------------------------------------------------------

MOVED = "In one test the models made forty percent more mistakes than children did"


def test_a_missing_passage_heard_elsewhere_is_paired_with_its_region():
    missing = [
        MissingPassage(0, 1, "Cut here.", 1000),
        MissingPassage(10, 23, MOVED, 5000),
    ]
    regions = [
        AudioOnlyRegion(2000, 4000, "this episode is brought to you by a mattress company", 10),
        AudioOnlyRegion(41_000, 55_000, MOVED.lower().replace("forty percent", "40%") + " I think", 15),
    ]
    assert moved_passages(missing, regions) == ((1, 1),)


def test_short_passages_and_loose_overlaps_are_not_called_moved():
    short = " ".join(MOVED.split()[: MIN_MOVED_WORDS - 1])
    assert moved_passages([MissingPassage(0, 3, short, None)], [AudioOnlyRegion(0, 900, short, 4)]) == ()
    half = " ".join(MOVED.split()[:7])
    loose = [AudioOnlyRegion(0, 9000, half + " and then something else entirely was said here", 16)]
    assert moved_passages([MissingPassage(0, 13, MOVED, None)], loose) == ()  # 7 of 16 shared: under 0.6
    assert moved_passages([MissingPassage(0, 13, MOVED, None)], []) == ()
