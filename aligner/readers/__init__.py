"""Read a transcript in any supported format: detect it, then hand it to its reader.

Formats (the names ``--transcript-format`` takes):

- ``markdown``: edited Markdown (:mod:`aligner.readers.markdown`).
- ``text``: plain text, read by the same parser without Markdown syntax.
- ``timestamped``: speaker lines with times (:mod:`aligner.readers.timestamped`).
- ``srt``, ``vtt``: existing captions (:mod:`aligner.readers.subtitles`).
- ``docx``: Word documents (:mod:`aligner.readers.docx`, needs python-docx).
- ``html``: web pages and HTML pasted into a ``.md`` (:mod:`aligner.readers.html`).
- ``rtf``: TextEdit, WordPad and Word RTF (:mod:`aligner.readers.rtf`, through striprtf).

``auto`` (the default) decides from the content first, then the extension:
a zip archive or ``.docx`` is docx; bytes starting ``{\\rtf``, or a ``.rtf``
file, are rtf; text starting with ``WEBVTT``, or a
``.vtt`` file, is vtt; a ``.srt`` file, or text whose first lines are an SRT
cue (a number, then ``00:00:01,000 --> ...``), is srt; an HTML document
(``<!doctype html``, ``<html``, or mostly block-tag lines), or a
``.html``/``.htm`` file, is html; text with two or more
stamped speaker lines is timestamped (a ``.md`` one keeps its Markdown);
anything else is markdown for ``.md``/``.markdown`` and text otherwise. The
content wins over the extension because files are renamed carelessly and
the content cannot lie: a ``.txt`` holding SRT cues is read as SRT.

That order is :data:`READERS`: each format's test and its parser, asked in
turn, the first that claims the file reads it. A new format is one entry
there and a name in :data:`TRANSCRIPT_FORMATS`.

Every reader returns the same :class:`~aligner.types.Transcript` record, so
nothing after this stage knows which format the transcript came in, except
through ``Transcript.stamps``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass

from aligner.readers.docx import parse_docx
from aligner.readers.html import looks_like_html, parse_html
from aligner.readers.markdown import parse_text
from aligner.readers.rtf import looks_like_rtf, parse_rtf
from aligner.readers.subtitles import looks_like_srt, parse_srt_text, parse_vtt_text
from aligner.readers.text import decode, read_bytes
from aligner.readers.timestamped import MIN_STAMPED_LABELS, count_stamped_labels, parse_timestamped_text
from aligner.types import Transcript

__all__ = [
    "MIN_STAMPED_LABELS",
    "READERS",
    "TRANSCRIPT_FORMATS",
    "Reader",
    "Source",
    "detect_format",
    "read_transcript",
]

TRANSCRIPT_FORMATS = ("auto", "markdown", "text", "timestamped", "srt", "vtt", "docx", "html", "rtf")
"""Names ``read_transcript`` and ``--transcript-format`` accept, in the order help lists them."""

_MARKDOWN_SUFFIXES = (".md", ".markdown")
_HTML_SUFFIXES = (".html", ".htm")
_ZIP_MAGIC = b"PK\x03\x04"


class Source:
    """A transcript file as the readers see it: its name, bytes, and text decoded on first need.

    Decoding waits until a format asks for text, so a .docx (a zip) is never
    decoded, and a file that cannot be decoded fails where it did before:
    when the first text format is tried, or when a forced one reads it.
    """

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        self.suffix = os.path.splitext(path)[1].lower()
        self.is_markdown = self.suffix in _MARKDOWN_SUFFIXES

    @functools.cached_property
    def text(self) -> str:
        """The decoded text (see :func:`aligner.readers.text.decode`); token spans index it."""
        return decode(self.data, self.path)


@dataclass(frozen=True, slots=True)
class Reader:
    """One format: whether ``auto`` takes a file for it, and how to read it."""

    detect: Callable[[Source], bool]
    parse: Callable[[Source], Transcript]


READERS: dict[str, Reader] = {  # in detection order
    "docx": Reader(
        detect=lambda s: s.data.startswith(_ZIP_MAGIC) or s.suffix == ".docx",
        parse=lambda s: parse_docx(s.data, path=s.path),
    ),
    "rtf": Reader(  # on the bytes: RTF's 8-bit characters are in its own code page, not UTF-8
        detect=lambda s: looks_like_rtf(s.data) or s.suffix == ".rtf",
        parse=lambda s: parse_rtf(s.data, path=s.path),
    ),
    "vtt": Reader(
        detect=lambda s: s.text.startswith("WEBVTT") or s.suffix == ".vtt",
        parse=lambda s: parse_vtt_text(s.text, path=s.path),
    ),
    "srt": Reader(
        detect=lambda s: s.suffix == ".srt" or looks_like_srt(s.text),
        parse=lambda s: parse_srt_text(s.text, path=s.path),
    ),
    "html": Reader(
        detect=lambda s: looks_like_html(s.text) or s.suffix in _HTML_SUFFIXES,
        parse=lambda s: parse_html(s.text, path=s.path),
    ),
    "timestamped": Reader(
        detect=lambda s: count_stamped_labels(s.text) >= MIN_STAMPED_LABELS,
        parse=lambda s: parse_timestamped_text(s.text, path=s.path, markdown=s.is_markdown),
    ),
    "markdown": Reader(
        detect=lambda s: s.is_markdown,
        parse=lambda s: parse_text(s.text, path=s.path, markdown=True),
    ),
    "text": Reader(
        detect=lambda s: True,
        parse=lambda s: parse_text(s.text, path=s.path, markdown=False),
    ),
}
"""Every format but ``auto``, in the order ``auto`` tries them (the module docstring's)."""


def _detect(source: Source) -> str:
    return next(name for name, reader in READERS.items() if reader.detect(source))


def detect_format(path: str | os.PathLike[str], data: bytes) -> str:
    """The format ``auto`` picks for a file (see the module docstring).

    Args:
        path: the file's name (only its extension is looked at).
        data: the file's bytes.

    Returns:
        One of ``TRANSCRIPT_FORMATS`` other than ``auto``.

    Raises:
        TranscriptError: text that cannot be decoded (see
            :func:`aligner.readers.text.decode`).
    """
    return _detect(Source(os.fspath(path), data))


def read_transcript(path: str | os.PathLike[str], *, transcript_format: str = "auto") -> Transcript:
    """Read and parse a transcript file in any supported format.

    Args:
        path: the transcript file.
        transcript_format: one of ``TRANSCRIPT_FORMATS``; ``auto`` detects.

    Returns:
        The transcript; ``path`` is recorded as given. Token spans index the
        decoded file (for docx, HTML and RTF: the plain text of
        :func:`aligner.readers.docx.docx_text`, :func:`aligner.readers.html.html_text` and
        :func:`aligner.readers.rtf.rtf_text`).

    Raises:
        TranscriptError: the file is missing or unreadable, cannot be decoded,
            is not in the format named, or holds no words; one line naming
            the file.
        ValueError: an unknown format name (a programming error: the CLI
            only passes names from ``TRANSCRIPT_FORMATS``).
    """
    if transcript_format not in TRANSCRIPT_FORMATS:
        raise ValueError(
            f"unknown transcript format {transcript_format!r}; choose from {', '.join(TRANSCRIPT_FORMATS)}"
        )
    name = os.fspath(path)
    source = Source(name, read_bytes(name))
    chosen = _detect(source) if transcript_format == "auto" else transcript_format
    return READERS[chosen].parse(source)
