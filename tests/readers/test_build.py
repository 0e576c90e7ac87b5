"""aligner.readers.build: paragraphs -> a Transcript, and the closing-matter rule the labelled readers share."""

from __future__ import annotations

import pytest

from aligner.errors import TranscriptError
from aligner.readers.build import Paragraph, Part, build_transcript, closing_start
from aligner.types import Stamp, TokenKind

D, L, T, H = Part.DIVIDER, Part.LABEL, Part.TEXT, Part.HEADING


@pytest.mark.parametrize(
    ("parts", "body", "start"),
    [
        ([L, T, D, T], [False, True, False, False], 3),  # "Subscribe..." after the last divider
        ([L, T, D, T, D, T], [False, True, False, True, False, False], 5),  # only the last divider counts
        ([L, T, D, L, T], [False, True, False, False, True], None),  # a divider between turns
        ([D, L, T], [False, False, True], None),  # nothing of the body before it
        ([L, T, D], [False, True, False], 3),  # nothing after it: an empty closing
        ([L, T, T], [False, True, True], None),  # no divider
        ([H, D, T], [True, False, False], 2),  # body is what the reader says it is
    ],
)
def test_closing_start(parts: list[Part], body: list[bool], start: int | None) -> None:
    assert closing_start(parts, body) == start


def word(text: str, at: int) -> tuple[TokenKind, str, int, int]:
    return (TokenKind.WORD, text, at, at + len(text))


def test_build_numbers_tokens_and_paragraphs_and_places_stamps() -> None:
    transcript = build_transcript(
        "t.txt",
        [
            Paragraph(None, (word("Title", 0),), is_heading=True, is_section_title=True),
            Paragraph("Jane", (), stamps=((0, 1000),)),  # no tokens: its stamp goes to the next first token
            Paragraph("Jane", (word("Hello", 10), word("there.", 16)), stamps=((1, 1500),)),
            Paragraph("Sam", ((TokenKind.NOTE, "[music]", 30, 37), word("Hi.", 38)), stamps=((0, 2000), (5, 9))),
        ],
        ["Jane", "Sam", "Jane"],
    )
    assert [(t.index, t.text, t.speaker, t.paragraph) for t in transcript.tokens] == [
        (0, "Title", None, 0), (1, "Hello", "Jane", 1), (2, "there.", "Jane", 1), (3, "[music]", "Sam", 2), (4, "Hi.", "Sam", 2),
    ]  # fmt: skip
    assert transcript.tokens[0].is_heading and transcript.tokens[0].is_section_title
    assert not transcript.tokens[1].is_heading
    assert transcript.speakers == ("Jane", "Sam")  # once each, in order of first label
    assert transcript.stamps == (Stamp(1, 1000), Stamp(2, 1500), Stamp(3, 2000))  # offset 5 is past the paragraph


def test_a_heading_paragraph_has_no_speaker() -> None:
    transcript = build_transcript("t.txt", [Paragraph("Jane", (word("Bye.", 0),), is_heading=True)], ["Jane"])
    assert transcript.tokens[0].speaker is None


def test_no_words_is_an_error() -> None:
    with pytest.raises(TranscriptError, match="holds no words to align") as error:
        build_transcript("t.txt", [Paragraph("Jane", ((TokenKind.NOTE, "[music]", 0, 7),))], ["Jane"])
    assert str(error.value).startswith("t.txt: ")


def test_roles_follow_the_speakers_and_a_speaker_keeps_its_first_role() -> None:
    transcript = build_transcript(
        "t.txt",
        [Paragraph("Priya", (word("Hi.", 0),)), Paragraph("Casey", (word("Ho.", 4),))],
        ["Priya", "Casey", "Priya", "Sam"],
        [("Casey", "caller"), ("Priya", "host"), ("Casey", "voicemail")],
    )
    assert transcript.speakers == ("Priya", "Casey", "Sam")
    assert transcript.speaker_roles == (("Priya", "host"), ("Casey", "caller"))  # in speaker order; Sam has none


def test_no_roles_by_default() -> None:
    transcript = build_transcript("t.txt", [Paragraph("Jane", (word("Hi.", 0),))], ["Jane"])
    assert transcript.speaker_roles == ()
