"""Our captions read back by our own readers: render SRT and WebVTT, read them as transcripts, compare.

As cdown/srt does for its own format (compose, parse, compare): generated
results, with legal cues only (words made by hand, cues by the real caption
stage, :func:`support.handmade.make_result`), are rendered with
:func:`aligner.render` and read back with :func:`aligner.read_transcript`. The
tokens read back must be the words of the cue texts, in order, with the
speaker prefix (SRT) or voice span (WebVTT) taken as the speaker and not as
words; the speakers and the cue start times (each cue's start stamps its
first token) must come back too.

The generated text is what transcripts hold: words in any script, digits,
attached punctuation and quotes, notes. What the two formats cannot carry
through our reader, or our reader takes for something else, is kept as
explicit cases below, marked ``xfail(strict=True)`` with the reason: each
one passing one day means the mismatch was fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support.handmade import M, Row, make_result

import aligner
from aligner.options import OutputOptions
from aligner.types import Result, TokenKind, Transcript
from aligner.writers.vtt import holds_only_notes

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --- what a transcript holds ---------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßøñçåÉÖÑ" + "日本語東京" + "αβγ" + "шлом"
plain_words = st.builds(
    lambda lead, core, inner, tail: lead + core + inner + tail,
    st.sampled_from(["", "", "", "\u201c", '"']),
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.sampled_from(["", "", "", "'s", "\u2019t", "-well", "2"]),
    st.sampled_from(["", "", "", ",", ".", "?", "!", ";", "\u2026", "\u201d", ".\u201d", "%"]),
)
numbers = st.sampled_from(["40%", "$5", "1.5", "21st", "1990s", "U.S.", "e.g."])
notes = st.sampled_from(["[music]", "[laughs]", "[background music]", "[crosstalk]"])
transcript_words = st.one_of(plain_words, plain_words, plain_words, numbers, notes)
bare_numbers = st.sampled_from(["193", "2024", "7"])
"""Alone on a cue's last line, SubRip's reader takes one for the next cue's number (see the cases below)."""
markup_like = st.sampled_from(["&", "R&D", "<3", "a<b", "x>y", "-->", "<b>live</b>", "&amp;", "Tom&Jerry"])
"""Text a WebVTT writer must escape (and does); SubRip has no escaping (see the cases below)."""

# Name-shaped speakers the readers take on their first appearance: several words, or capitals.
SPEAKERS = st.sampled_from([None, "Jane Miller", "Sam Carter", "Zoë Ñúñez", "PAUL", "Dr. Ann Lee", "Speaker 2"])


@st.composite
def results(draw: st.DrawFn, words: st.SearchStrategy[str]) -> Result:
    """A Result of one to forty timed words: speakers change now and then, pauses now and then end cues."""
    speaker = draw(SPEAKERS)
    paragraph = 0
    t = draw(st.integers(0, 5000))
    rows: list[Row] = []
    for _ in range(draw(st.integers(1, 40))):
        if draw(st.integers(0, 9)) == 0:
            speaker = draw(SPEAKERS)
            paragraph += 1
        length = draw(st.integers(0, 900))
        rows.append((draw(words), speaker, M, t, t + length, paragraph, False, False))
        t += length + draw(st.sampled_from([0, 20, 150, 400, 2000]))
    result = make_result(rows, duration_ms=t + draw(st.integers(1, 3000)))
    # captions of notes alone are no transcript ("holds no words"), and a lone short note is dropped
    assume(any(result.words[i].token.kind is TokenKind.WORD for cue in result.cues for i in cue.word_indices))
    return result


# --- the round trip --------------------------------------------------------------------------------


def read_back(result: Result, format_name: str, folder: Path) -> Transcript:
    path = folder / f"captions.{format_name}"
    path.write_text(aligner.render(result, format_name, OutputOptions()), encoding="utf-8", newline="\n")
    return aligner.read_transcript(path, transcript_format=format_name)


def written_speakers(result: Result, format_name: str) -> list[str | None]:
    """Each cue's speaker as the format carries it.

    WebVTT names each cue's own speaker (``<v>``; spaces collapsed), but for
    a cue of notes alone, which is nobody's speech. SubRip names a speaker on
    the first cue of their turn only (``Name: ``), so a cue without a speaker
    continues the turn before it, as a reader must take it.
    """
    if format_name == "vtt":
        return [
            " ".join(cue.speaker.split()) if cue.speaker and not holds_only_notes(cue, result.words) else None
            for cue in result.cues
        ]
    current: str | None = None
    speakers = []
    for cue in result.cues:
        if not cue.is_note and cue.speaker is not None:
            current = cue.speaker
        speakers.append(current)
    return speakers


def assert_round_trip(result: Result, format_name: str, folder: Path) -> None:
    transcript = read_back(result, format_name, folder)
    cue_words = [" ".join(cue.lines).split() for cue in result.cues]
    assert " ".join(token.text for token in transcript.tokens).split() == [w for words in cue_words for w in words]
    # each cue's start stamps its first token; the tokens of a cue have its speaker
    first_tokens: list[int] = []
    expected_speakers: list[str | None] = []
    seen = 0
    for words, speaker in zip(cue_words, written_speakers(result, format_name), strict=True):
        first_tokens.append(seen)
        count = _tokens_in(transcript, seen, len(words))
        expected_speakers += [speaker] * count
        seen += count
    assert [(s.token_index, s.time_ms) for s in transcript.stamps] == [
        (index, cue.start_ms) for index, cue in zip(first_tokens, result.cues, strict=True)
    ]
    assert [token.speaker for token in transcript.tokens] == expected_speakers


def _tokens_in(transcript: Transcript, first: int, words: int) -> int:
    """How many tokens from ``first`` hold the next ``words`` whitespace-separated words."""
    count = covered = 0
    while covered < words:
        covered += len(transcript.tokens[first + count].text.split())
        count += 1
    return count


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("round-trip")


@pytest.mark.parametrize("format_name", ["srt", "vtt"])
@SETTINGS
@given(data=st.data())
def test_transcript_words_and_speakers_come_back(folder: Path, format_name: str, data: st.DataObject) -> None:
    assert_round_trip(data.draw(results(transcript_words)), format_name, folder)


@SETTINGS
@given(result=results(st.one_of(transcript_words, bare_numbers, markup_like)))
def test_webvtt_also_carries_markup_like_text_and_bare_numbers(folder: Path, result: Result) -> None:
    assert_round_trip(result, "vtt", folder)


# --- what does not come back ---------------------------------------------------------------------------


def turns(*turns: tuple[str | None, str]) -> Result:
    """One cue per (speaker, text) turn: a 2 s pause ends each."""
    rows: list[Row] = []
    t = 0
    for paragraph, (speaker, text) in enumerate(turns):
        for word in text.split():
            rows.append((word, speaker, M, t, t + 300, paragraph, False, False))
            t += 320
        t += 2000
    return make_result(rows, duration_ms=t)


def mismatch(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


SRT_NO_ESCAPING = mismatch(
    "SubRip has no escaping: the writer writes text as is, and the reader takes <i>, <b c> and &amp; in it "
    "for markup and a character reference"
)
SRT_NAMES = mismatch(
    "the SRT writer prefixes any speaker's name; the reader takes 'Name:' for a speaker only when it is "
    "name-shaped (readers/speakers.py) and several words, capitals, seen twice or at a cue's start in a file "
    "that names someone else: 'Zoë & Co:' or 'ann:' is as likely text, and 'Ann:' and 'Bob:' each once, with "
    "no other speaker, read like 'Question:' and 'Answer:'"
)
SRT_CHANGE_MARK = mismatch(
    "'>>' opening a line is how broadcast captions mark a change of speaker, and SubRip has no other way to "
    "say so: the SRT reader drops it, where our writer put a '>>' of the text"
)
SRT_CAPITALS_LABEL = mismatch(
    "a word in capitals and a colon opening a cue ('NASA:') is how SubRip names a speaker ('PAUL:'), and our "
    "SRT writer's own speaker change looks the same; WebVTT, with <v>, carries it"
)

CASES = {
    "a number alone on a line": (
        turns(("Jane Miller", "We met in"), ("Jane Miller", "2024"), ("Jane Miller", "and talked.")),
        {},
    ),
    "numbers alone on the last lines": (
        turns(("Jane Miller", "Episode"), ("Jane Miller", "193"), (None, "7"), ("Sam Carter", "2024")),
        {},
    ),
    "markup-like text": (turns(("Jane Miller", "Tom <i>and</i> Jerry &amp; a<b c>d")), {"srt": SRT_NO_ESCAPING}),
    "a speaker name that is not name-shaped": (
        turns(("Zoë & Co", "Hello there."), ("Jane Miller", "Hi."), ("ann", "Hello again.")),
        {"srt": SRT_NAMES},
    ),
    "one-word speaker names, each named once": (
        turns(("Ann", "Hello there."), ("Bob", "Hi there.")),
        {"srt": SRT_NAMES},
    ),
    "a line that opens with a dash": (
        turns(("Jane Miller", "So it goes."), ("Jane Miller", "\u2014 and then"), ("Jane Miller", "- or not")),
        {},
    ),
    "a line that opens with a dash, without speakers": (
        turns((None, "So it goes."), (None, "\u2014 and then"), (None, "- or not")),
        {},
    ),
    "a line that opens with >>": (
        turns(("Jane Miller", "So it goes."), ("Jane Miller", ">> and then")),
        {"srt": SRT_CHANGE_MARK},
    ),
    "a line that opens with a word and a colon": (
        turns(("Jane Miller", "So it goes."), ("Jane Miller", "NASA: it works.")),
        {"srt": SRT_CAPITALS_LABEL},
    ),
    "a line that opens with a capitalised word and a colon": (
        turns(("Jane Miller", "So it goes."), ("Sam Carter", "Yes."), ("Sam Carter", "Remember: it works.")),
        {},
    ),
    "the same without speakers": (turns((None, "So it goes."), (None, "Remember: it works.")), {}),
    "a note cue in a speaker's turn": (
        make_result(
            [
                ("So", "Jane Miller", M, 0, 300, 0, False, False),
                ("it", "Jane Miller", M, 320, 620, 0, False, False),
                ("goes.", "Jane Miller", M, 640, 940, 0, False, False),
                ("[music]", "Jane Miller", M, 2000, 5000, 0, False, False),
                ("And", "Jane Miller", M, 7000, 7300, 0, False, False),
                ("then.", "Jane Miller", M, 7320, 7620, 0, False, False),
            ],
            duration_ms=9000,
        ),
        {},
    ),
}


@pytest.mark.parametrize(
    ("case", "format_name"),
    [
        pytest.param(case, format_name, marks=marks.get(format_name, ()), id=f"{case}-{format_name}")
        for case, (_, marks) in CASES.items()
        for format_name in ("srt", "vtt")
    ],
)
def test_what_the_formats_or_our_readers_change(folder: Path, case: str, format_name: str) -> None:
    assert_round_trip(CASES[case][0], format_name, folder)
