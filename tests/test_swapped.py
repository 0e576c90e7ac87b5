"""aligner.swapped: a transcript argument that is audio is refused in one line, saying the arguments look swapped."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import AUDIO, TRANSCRIPTS

from aligner.errors import TranscriptError
from aligner.swapped import check_argument_order, looks_like_a_transcript

SWAPPED = "are the arguments swapped? (AUDIO first, then TRANSCRIPT)"


@pytest.mark.parametrize(
    ("audio_name", "kind"),
    [
        ("hello.wav", "WAV"),
        ("hello.mp3", "MP3"),
        ("hello.m4a", "MP4/M4A"),
        ("hello.ogg", "Ogg"),
        ("hello.flac", "FLAC"),
    ],
)
def test_audio_given_as_the_transcript_and_text_as_the_audio_is_called_swapped(
    tmp_path: Path, audio_name: str, kind: str
) -> None:
    transcript = tmp_path / "t.md"
    transcript.write_text("# Hello\n\nJane: Hello there.\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as error:
        check_argument_order(transcript, AUDIO / audio_name)  # as typed: aligner align t.md hello.wav
    assert (
        str(error.value)
        == f"{AUDIO / audio_name}: looks like audio ({kind}) and {transcript} like a transcript: {SWAPPED}"
    )
    assert "UTF-8" not in str(error.value)


def test_a_docx_or_utf16_transcript_as_the_audio_is_text_too() -> None:
    for text in (TRANSCRIPTS / "speakers.docx", TRANSCRIPTS / "utf16.md", TRANSCRIPTS / "bom.md"):
        with pytest.raises(TranscriptError, match="like a transcript: are the arguments swapped"):
            check_argument_order(text, AUDIO / "hello.wav")


def test_two_audio_files_say_the_second_is_no_transcript() -> None:
    with pytest.raises(TranscriptError) as error:
        check_argument_order(AUDIO / "hello.mp3", AUDIO / "hello.wav")
    assert str(error.value) == (
        f"{AUDIO / 'hello.wav'}: is audio (WAV), not a transcript; the transcript comes second "
        "(AUDIO first, then TRANSCRIPT)"
    )


@pytest.mark.parametrize(
    ("audio", "transcript"),
    [
        (AUDIO / "hello.wav", TRANSCRIPTS / "plain.txt"),  # the right way round
        (AUDIO / "hello.wav", TRANSCRIPTS / "speakers.docx"),
        (AUDIO / "hello.wav", TRANSCRIPTS / "latin1.md"),  # a bad transcript, but not audio: its own error later
        (AUDIO / "not_audio.mp3", TRANSCRIPTS / "plain.txt"),  # text named .mp3: the decoder says so later
        (AUDIO / "hello.wav", Path("no/such/file.md")),  # missing: reported by the reader, as such
    ],
)
def test_inputs_in_order_or_wrong_in_other_ways_pass(audio: Path, transcript: Path) -> None:
    check_argument_order(audio, transcript)


def test_a_missing_audio_argument_with_an_audio_transcript_is_still_refused() -> None:
    with pytest.raises(TranscriptError, match=r"hello\.wav: is audio \(WAV\), not a transcript"):
        check_argument_order(Path("no/such/file.mp3"), AUDIO / "hello.wav")


@pytest.mark.parametrize(
    ("head", "text"),
    [
        (b"Jane: caf\xc3", True),  # a character cut at the end of what was read
        (b"Jane: caf\xc3\xa9", True),
        (b"Jane: caf\xe9 au lait", False),  # not UTF-8: no claim either way
        (b"a\x00b", False),
        (b"", False),
        ("Hi".encode("utf-16"), True),
        (b"PK\x03\x04", True),
    ],
)
def test_looks_like_a_transcript(head: bytes, text: bool) -> None:
    assert looks_like_a_transcript(head) is text
