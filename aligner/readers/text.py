"""A transcript file's bytes -> its text, and the line rules every text reader shares.

Every reader that works on text (Markdown, plain text, timestamped exports,
SRT, WebVTT) decodes through :func:`decode`, so their token spans index the
same decoded text and their encoding errors read the same. Lines end at
CRLF, LF or CR alike (:func:`split_lines`): transcripts arrive from Windows,
old Mac editors and the web.
"""

from __future__ import annotations

import os
import re

from aligner.errors import TranscriptError

__all__ = ["ATX_HEADING", "DIVIDER", "LINE_BREAK", "decode", "line_of", "read_bytes", "split_lines"]

LINE_BREAK = re.compile(r"\r\n|\n|\r")
ATX_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
"""A ``#`` heading: group 1 its marks, group 2 its text. A line of bare marks (``#``) is an empty heading."""
DIVIDER = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
"""A thematic break (``---``, ``* * *``, ``___``), indented at most three spaces as in Markdown."""

_UNICODE_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def read_bytes(path: str) -> bytes:
    """A transcript file's bytes, or the TranscriptError that names why they cannot be read."""
    if os.path.isdir(path):
        raise TranscriptError(path, "is a directory, not a transcript file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise TranscriptError(path, "no such file") from None
    except PermissionError:
        raise TranscriptError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise TranscriptError(path, f"cannot be read: {error.strerror or error}") from None


def decode(data: bytes, path: str) -> str:
    """Decode a transcript whose encoding is certain, or fail naming the line.

    Certain means UTF-8 (with or without a BOM; Windows editors add one) or
    UTF-16/UTF-32 with a byte-order mark (Notepad's "Unicode"). Anything else
    that is not valid UTF-8 (Latin-1, Windows-1252, UTF-16 without a mark) is
    an error rather than a guess: a wrong guess would silently change the
    words the captions show.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    else:
        for mark, codec, label in _UNICODE_BOMS:
            if data.startswith(mark):
                try:
                    text = data.decode(codec)  # these codecs consume the mark
                except UnicodeDecodeError:
                    raise TranscriptError(
                        path, f"starts with a {label} byte-order mark but is not valid {label}"
                    ) from None
                return _refuse_nul(text, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", "replace")
        line = line_of(before, len(before))
        bad = data[error.start]
        raise TranscriptError(path, f"not UTF-8 text (byte 0x{bad:02x}); save it as UTF-8", line=line) from None
    return _refuse_nul(text, path)


def _refuse_nul(text: str, path: str) -> str:
    """NUL never occurs in text; it means UTF-16 without its mark, or a binary file."""
    nul = text.find("\x00")
    if nul >= 0:
        raise TranscriptError(
            path,
            "holds NUL characters: not a text file, or UTF-16 without a byte-order mark; save it as UTF-8",
            line=line_of(text, nul),
        )
    return text


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that ``offset`` falls on, counting CRLF, LF and CR as one break each."""
    return len(LINE_BREAK.findall(text[:offset])) + 1


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its terminator; CRLF, LF and CR all end a line."""
    spans = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
