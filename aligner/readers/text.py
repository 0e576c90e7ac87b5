"""A transcript file's bytes -> its text, and the line rules every text reader shares.

Every reader that works on text (Markdown, plain text, timestamped exports,
SRT, WebVTT) decodes through :func:`decode`, so their token spans index the
same decoded text and their encoding errors read the same. Lines end at
CRLF, LF or CR alike (:func:`split_lines`): transcripts arrive from Windows,
old Mac editors and the web.
"""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)

_CP1252_SIGNATURE = frozenset(b"\x80\x82\x84\x85\x8b\x91\x92\x93\x94\x95\x96\x97\x99\x9b")
"""Windows-1252's typographic bytes (€ ‚ „ … ‹ ‘ ’ “ ” • – — ™ ›): C1 controls in
Latin-1, so text holding them is in a Windows code page, which all put this punctuation here."""
_CP1252_TEXT = (
    _CP1252_SIGNATURE
    | frozenset(b"\x8a\x8c\x8e\x9a\x9c\x9e\x9f")  # Š Œ Ž š œ ž Ÿ
    | frozenset(range(0xC0, 0x100)) - {0xD7, 0xF7}  # Latin letters, not × ÷
    | frozenset(b"\xa0\xa1\xa3\xa9\xab\xb0\xbb\xbf")  # no-break space ¡ £ © « ° » ¿
)
"""Every non-ASCII byte a Windows-1252 transcript may hold to be decoded without asking."""
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SINGLE_BYTE_RIVALS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "mac_roman"]
"""The code pages a Western transcript that is not UTF-8 comes in; charset-normalizer chooses among them."""


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

    Certain means UTF-8 (with or without a BOM; Windows editors add one),
    UTF-16/UTF-32 with a byte-order mark (Notepad's "Unicode"), or
    Windows-1252 where :func:`_is_windows_1252` finds it certain (Notepad's
    "ANSI" with curly quotes, the commonest file that is not UTF-8), decoded
    with a warning naming the encoding. Anything else that is not valid
    UTF-8 (Latin-1, MacRoman, UTF-16 without a mark) is an error rather than
    a guess: a wrong guess would silently change the words the captions show.
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
        if _is_windows_1252(data):
            log.warning(
                "%s: not UTF-8; decoded as Windows-1252 (the curly quotes say so); save it as UTF-8 to be sure", path
            )
            return _refuse_nul(data.decode("cp1252"), path)
        before = data[: error.start].decode("utf-8", "replace")
        line = line_of(before, len(before))
        bad = data[error.start]
        raise TranscriptError(path, f"not UTF-8 text (byte 0x{bad:02x}); save it as UTF-8", line=line) from None
    return _refuse_nul(text, path)


def _is_windows_1252(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are certainly Windows-1252.

    Certain means all of: a typographic byte of Windows-1252 is there
    (``_CP1252_SIGNATURE``, so Latin-1 is ruled out, and the Windows code
    pages, which share that punctuation, read it alike); every other
    non-ASCII byte is a Latin letter or common punctuation there
    (``_CP1252_TEXT``); no UTF-8 sequence hides among them (a file of mixed
    encodings); and charset-normalizer, choosing among the
    code pages such a file could be in (``_SINGLE_BYTE_RIVALS``), picks one
    that gives the same text (cp1250 does, for curly quotes alone). The
    last rules out MacRoman, whose curly quotes are Windows-1252's Ò Ó Ô Õ,
    and Central European text (ř is ø here); on a file of a line or two it
    may find no answer, and the file is refused as before.
    """
    high = {byte for byte in data if byte >= 0x80}
    if not high & _CP1252_SIGNATURE or not high <= _CP1252_TEXT or _UTF8_SEQUENCE.search(data):
        return False
    from charset_normalizer import from_bytes  # here: only a file that is not UTF-8 needs it

    best = from_bytes(data, cp_isolation=_SINGLE_BYTE_RIVALS).best()
    return best is not None and str(best) == data.decode("cp1252")


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
