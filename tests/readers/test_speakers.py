"""aligner.readers.speakers: what a speaker name looks like, and that every reader uses the same rule."""

from __future__ import annotations

import pytest

from aligner.readers.markdown import parse_text
from aligner.readers.speakers import NOT_NAMES, is_distinctive, speaker_name
from aligner.readers.subtitles import parse_srt_text
from aligner.readers.timestamped import parse_timestamped_text


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Kim", "Kim"),
        ("  Jane \t  Miller ", "Jane Miller"),  # whitespace collapsed
        ("Ana de la Cruz", "Ana de la Cruz"),  # particles
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("J. R. Smith", "J. R. Smith"),  # initials
        ("J.R.R. Tolkien", "J.R.R. Tolkien"),
        ("Dr. Smith", "Dr. Smith"),  # an abbreviation of up to three letters
        ("Damian Kelty-Stephen", "Damian Kelty-Stephen"),
        ("O'Neil", "O'Neil"),
        ("Mary\u2019s", "Mary\u2019s"),
        ("Bence Ölveczky", "Bence Ölveczky"),
        ("Ünal", "Ünal"),
        ("McDonald", "McDonald"),
        ("KIM", "KIM"),
        ("Speaker 2", "Speaker 2"),  # a number after a role word
        ("Guest 12", "Guest 12"),
    ],
)
def test_names(raw: str, name: str) -> None:
    assert speaker_name(raw) == name


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "mcdonald",  # no capitalised word
        "de la",  # particles only
        "Episode 193",  # a number after a word that is no role
        "Kim 2",
        "1 Kim",
        "Speaker 2 3",
        "Speaker two",
        "2",
        "So what I think is",  # a sentence: lowercase words that are no particles
        "Kim Stachenfeld on the dance",
        "A B C D E",  # five words
        "X" * 41,  # over 40 characters
        "Abcd. Smith",  # a dot after four letters is no initial
        "Ana-",  # a name word ends in a letter
        "Kim!",
        "Transcript",  # section words, in any case
        "SHOW NOTES",
        "Editor\u2019s Note",
        "However",
    ],
)
def test_not_names(raw: str) -> None:
    assert speaker_name(raw) is None


def test_not_names_are_casefolded_words_and_phrases() -> None:
    assert all(entry == entry.casefold() for entry in NOT_NAMES)
    assert {"show notes", "transcript", "subscribe"} <= NOT_NAMES


@pytest.mark.parametrize(
    ("name", "distinctive"),
    [("Paul Middlebrooks", True), ("PAUL", True), ("Speaker 2", True), ("Paul", False), ("Remember", False)],
)
def test_is_distinctive(name: str, distinctive: bool) -> None:
    assert is_distinctive(name) is distinctive


@pytest.mark.parametrize(("raw", "expected"), [("Ana de la Cruz", "Ana de la Cruz"), ("Episode 193", None)])
def test_every_reader_takes_the_same_names(raw: str, expected: str | None) -> None:
    """A label's name passes or fails the same test in Markdown, a timestamped export and SRT."""
    markdown = parse_text(f"{raw}: Hello.\n\nSam Carter: Hi.\n\n{raw}: Bye.\n\nSam Carter: Ho.\n")
    stamped = parse_timestamped_text(f"{raw} (00:00:01): Hello.\nSam Carter (00:00:02): Hi.\n")
    srt = parse_srt_text(
        f"1\n00:00:01,000 --> 00:00:02,000\n{raw}: Hello.\n\n2\n00:00:03,000 --> 00:00:04,000\nSam Carter: Hi.\n"
    )
    if expected is None:
        assert markdown.speakers == srt.speakers == ("Sam Carter",)
        assert stamped.speakers == ("Sam Carter",) and stamped.tokens[0].is_heading  # text before the first label
    else:
        assert markdown.speakers == stamped.speakers == srt.speakers == (expected, "Sam Carter")
        assert markdown.tokens[0].speaker == stamped.tokens[0].speaker == srt.tokens[0].speaker == expected
