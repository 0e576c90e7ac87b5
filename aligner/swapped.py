"""Catch ``aligner align TRANSCRIPT AUDIO``: the arguments given the wrong way round.

Read as a transcript, an audio file fails on its first byte that is not
UTF-8, and the error then told the user to "save the WAV as UTF-8". Looking
at the first bytes of both files before anything else says what happened
instead. Only the file signatures are read (a few dozen bytes), so the
check costs nothing, and it runs in :func:`aligner.align`, so the Python
API and a batch manifest with its columns swapped get the same message as
the command.
"""

from __future__ import annotations

import os

from aligner.audio import audio_signature
from aligner.errors import TranscriptError

__all__ = ["HEAD_BYTES", "check_argument_order", "looks_like_a_transcript"]

HEAD_BYTES = 64
"""How much of each file is read: enough for every signature :func:`aligner.audio.audio_signature` knows."""

_TEXT_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # UTF-8, UTF-16 (and UTF-32 LE) byte-order marks
_ZIP = b"PK\x03\x04"  # a .docx


def _head(path: str | os.PathLike[str]) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:  # missing, a folder, unreadable: the readers report it, as such
        return None


def looks_like_a_transcript(head: bytes) -> bool:
    """Whether a file's first bytes are text (UTF-8 or marked UTF-16/32) or a .docx (a zip)."""
    if head.startswith((_ZIP, *_TEXT_MARKS)):
        return True
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:  # a character cut at the end of the head is still text
        return error.reason == "unexpected end of data"
    return True


def check_argument_order(audio_path: str | os.PathLike[str], transcript_path: str | os.PathLike[str]) -> None:
    """Refuse a transcript argument that is audio, saying the arguments look swapped when they do.

    Raises:
        TranscriptError: the transcript's first bytes are an audio file's
            signature. When the audio argument looks like a transcript too:
            "t.md: looks like audio (WAV) and a.wav like a transcript: are
            the arguments swapped? (AUDIO first, then TRANSCRIPT)";
            otherwise "t.wav: is audio (WAV), not a transcript ...".
    """
    head = _head(transcript_path)
    kind = audio_signature(head) if head else None
    if kind is None:
        return
    audio_head = _head(audio_path)
    if audio_head is not None and looks_like_a_transcript(audio_head):
        raise TranscriptError(
            os.fspath(transcript_path),
            f"looks like audio ({kind}) and {os.fspath(audio_path)} like a transcript: "
            "are the arguments swapped? (AUDIO first, then TRANSCRIPT)",
        )
    raise TranscriptError(
        os.fspath(transcript_path),
        f"is audio ({kind}), not a transcript; the transcript comes second (AUDIO first, then TRANSCRIPT)",
    )
