"""aligner.readers.speakers: what a speaker name looks like, and that every reader uses the same rule."""

from __future__ import annotations

import pytest

from aligner.cues import build_cues
from aligner.readers.docx import parse_docx
from aligner.readers.html import parse_html
from aligner.readers.markdown import parse_text
from aligner.readers.rtf import parse_rtf
from aligner.readers.speakers import (
    NOT_NAMES,
    ROLE_WORDS,
    Label,
    is_distinctive,
    role_label,
    speaker_label,
    speaker_name,
)
from aligner.readers.subtitles import parse_srt_text, parse_vtt_text
from aligner.readers.timestamped import parse_timestamped_text
from aligner.report import missing_passages, summarize
from aligner.types import Result, TimedWord, WordStatus
from aligner.writers import render


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
        "Remember",  # sentence openers: a one-word "Name:" opening a paragraph may be a label on structure alone
        "Note",
        "Look",
        "Honestly",
        "Monday",
        "Bottom Line",
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


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("Kim", Label("Kim")),
        ("Casey (caller)", Label("Casey", "caller")),
        ("Dr. Lee (guest)", Label("Dr. Lee", "guest")),
        ("Casey (voicemail)", Label("Casey", "voicemail")),  # parentheses take any short note
        ("Casey  ( on the  phone )", Label("Casey", "on the phone")),  # whitespace collapsed
        ("Speaker 2 (translator)", Label("Speaker 2", "translator")),
        ("Priya Mehta, host", Label("Priya Mehta", "host")),
        ("Jane, guest host", Label("Jane", "guest host")),
        ("Jane, Co-Host", Label("Jane", "Co-Host")),  # the role as written
        ("Sam, caller 2", Label("Sam", "caller 2")),
        ("Sam Carter (she/her)", Label("Sam Carter")),  # pronouns (Zoom's display names): neither name nor role
        ("Sam (They / Them)", Label("Sam")),
        ("Sam (she/they/them)", Label("Sam")),
    ],
)
def test_labels_with_roles(raw: str, label: Label) -> None:
    assert speaker_label(raw) == label


@pytest.mark.parametrize(
    "raw",
    [
        "Kim, listen",  # after a comma only a role word: "Kim, listen: ..." is a sentence
        "Well, host",  # the name must be a name
        "Casey (00:01:02)",  # a time is no role
        "Casey ()",
        "Casey (on the phone with a very long note here)",  # over three words
        "Casey (caller) (guest)",
        "Remember (this)",
        "Kim, host, guest",
        "So what I think is (caller)",
        "Sam (and/or)",  # slashes hold pronouns only
        "Sam (he/him/his/hers)",
    ],
)
def test_not_labels_with_roles(raw: str) -> None:
    assert speaker_label(raw) is None


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("caller", Label("Caller", "caller")),
        ("Caller", Label("Caller", "Caller")),
        ("co-host", Label("Co-host", "co-host")),
        ("second caller", Label("Second caller", "second caller")),
        ("guest 2", Label("Guest 2", "guest 2")),
        ("laughs", None),  # a note, not a role
        ("music", None),
        ("Kim", None),  # a name in brackets is an editor's insertion
        ("the caller who rang in twice", None),
    ],
)
def test_role_only_labels(raw: str, label: Label | None) -> None:
    assert role_label(raw) == label


def test_role_words_are_casefolded() -> None:
    assert all(word == word.casefold() for word in ROLE_WORDS)
    assert {"host", "guest", "caller", "co-host"} <= ROLE_WORDS


def test_every_reader_takes_the_same_roles() -> None:
    """A role is kept apart from the name alike in Markdown, plain text and a timestamped export."""
    markdown = parse_text("Casey (caller): Hi.\n\nPriya Mehta, host: Hello.\n")
    plain = parse_text("Casey (caller): Hi.\n\nPriya Mehta, host: Hello.\n", markdown=False)
    stamped = parse_timestamped_text("Casey (caller) (00:00:01): Hi.\n[00:00:02] Priya Mehta, host: Hello.\n")
    for t in (markdown, plain, stamped):
        assert t.speakers == ("Casey", "Priya Mehta")
        assert t.speaker_roles == (("Casey", "caller"), ("Priya Mehta", "host"))
        assert [(x.text, x.speaker) for x in t.tokens] == [("Hi.", "Casey"), ("Hello.", "Priya Mehta")]


def test_captions_pages_and_documents_take_the_same_roles() -> None:
    """SRT, WebVTT, HTML, RTF and .docx keep a role apart from the name as Markdown does."""
    import io

    import docx

    document = docx.Document()
    for label, speech in (("Casey (caller):", " Hi."), ("Priya Mehta, host:", " Hello.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(speech)
    word = io.BytesIO()
    document.save(word)
    cues = "00:00:01.000 --> 00:00:02.000\nCasey (caller): Hi.\n\n00:00:03.000 --> 00:00:04.000\nPriya Mehta, host: Hello.\n"
    readers = {
        "srt": parse_srt_text(cues.replace(".000", ",000")),
        "vtt": parse_vtt_text("WEBVTT\n\n" + cues),
        "html": parse_html("<p><b>Casey (caller):</b> Hi.</p><p><strong>Priya Mehta, host:</strong> Hello.</p>"),
        "rtf": parse_rtf(b"{\\rtf1\\ansi Casey (caller): Hi.\\par Priya Mehta, host: Hello.\\par}"),
        "docx": parse_docx(word.getvalue()),
    }
    for name, t in readers.items():
        assert t.speakers == ("Casey", "Priya Mehta"), name
        assert t.speaker_roles == (("Casey", "caller"), ("Priya Mehta", "host")), name
        assert [(x.text, x.speaker) for x in t.tokens] == [("Hi.", "Casey"), ("Hello.", "Priya Mehta")], name


def test_a_role_never_reaches_the_captions_or_the_webvtt_voice() -> None:
    t = parse_text("Casey (caller): Hi, long-time listener.\n\nDr. Lee (guest): Welcome.\n")
    words = tuple(
        TimedWord(token, 1000 + 500 * k, 1400 + 500 * k, WordStatus.MATCHED, 0.9) for k, token in enumerate(t.tokens)
    )
    result = Result(
        audio_path="a.mp3",
        transcript_path="t.md",
        duration_ms=10_000,
        model="hand-made",
        language="en",
        speakers=t.speakers,
        words=words,
        cues=build_cues(words, duration_ms=10_000),
        audio_only=(),
        missing=missing_passages(words),
        summary=summarize(words),
        speaker_roles=t.speaker_roles,
    )
    vtt = render(result, "vtt")
    assert "<v Casey>Hi, long-time listener." in vtt and "<v Dr. Lee>Welcome." in vtt
    assert "caller" not in vtt and "guest" not in vtt
    assert "caller" not in render(result, "srt")
