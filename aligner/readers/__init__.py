"""Read a transcript in any supported format: detect it, then hand it to its reader.

Formats (the names ``--transcript-format`` takes):

- ``markdown``: the edited Markdown of :mod:`aligner.readers.markdown`.
- ``text``: plain text, read by the same parser without Markdown syntax.
- ``timestamped``: speaker lines with times (:mod:`aligner.readers.timestamped`).
- ``srt``, ``vtt``: existing captions (:mod:`aligner.readers.subtitles`).
- ``docx``: Word documents (:mod:`aligner.readers.docx`, needs python-docx).

``auto`` (the default) decides from the content first, then the extension:
a zip archive or ``.docx`` is docx; text starting with ``WEBVTT``, or a
``.vtt`` file, is vtt; a ``.srt`` file, or text whose first lines are an SRT
cue (a number, then ``00:00:01,000 --> ...``), is srt; text with two or more
stamped speaker lines is timestamped (a ``.md`` one keeps its Markdown);
anything else is markdown for ``.md``/``.markdown`` and text otherwise. The
content wins over the extension because files are renamed carelessly and
the content cannot lie: a ``.txt`` holding SRT cues is read as SRT.

Every reader returns the same :class:`~aligner.types.Transcript` record, so
nothing after this stage knows which format the transcript came in, except
through ``Transcript.stamps``.
"""

from __future__ import annotations

import os

from aligner.errors import TranscriptError
from aligner.readers.docx import parse_docx
from aligner.readers.markdown import decode_transcript, parse_transcript_text, read_transcript_bytes
from aligner.readers.subtitles import looks_like_srt, parse_srt_text, parse_vtt_text
from aligner.readers.timestamped import count_stamped_labels, parse_timestamped_text
from aligner.types import Transcript

__all__ = ["TRANSCRIPT_FORMATS", "detect_format", "read_transcript"]

TRANSCRIPT_FORMATS = ("auto", "markdown", "text", "timestamped", "srt", "vtt", "docx")
"""Names ``read_transcript`` and ``--transcript-format`` accept."""

_MARKDOWN_SUFFIXES = (".md", ".markdown")
_ZIP_MAGIC = b"PK\x03\x04"
MIN_STAMPED_LABELS = 2
"""Stamped speaker lines a file needs before auto-detection calls it timestamped."""


def detect_format(path: str | os.PathLike[str], data: bytes) -> str:
    """The format ``auto`` picks for a file (see the module docstring).

    Args:
        path: the file's name (only its extension is looked at).
        data: the file's bytes.

    Returns:
        One of ``TRANSCRIPT_FORMATS`` other than ``auto``.

    Raises:
        TranscriptError: text that cannot be decoded (see
            :func:`aligner.readers.markdown.decode_transcript`).
    """
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if data.startswith(_ZIP_MAGIC) or suffix == ".docx":
        return "docx"
    text = decode_transcript(data, name)
    return _detect_text(suffix, text)


def _detect_text(suffix: str, text: str) -> str:
    if text.startswith("WEBVTT") or suffix == ".vtt":
        return "vtt"
    if suffix == ".srt" or looks_like_srt(text):
        return "srt"
    if count_stamped_labels(text) >= MIN_STAMPED_LABELS:
        return "timestamped"
    return "markdown" if suffix in _MARKDOWN_SUFFIXES else "text"


def read_transcript(path: str | os.PathLike[str], *, transcript_format: str = "auto") -> Transcript:
    """Read and parse a transcript file in any supported format.

    Args:
        path: the transcript file.
        transcript_format: one of ``TRANSCRIPT_FORMATS``; ``auto`` detects.

    Returns:
        The transcript; ``path`` is recorded as given. Token spans index the
        decoded file (for docx: the plain text of :func:`aligner.readers.docx.docx_text`).

    Raises:
        TranscriptError: the file is missing or unreadable, cannot be decoded,
            is not in the format named, or holds no words; one line naming
            the file.
        ValueError: an unknown format name (a programming error: the CLI
            only passes names from ``TRANSCRIPT_FORMATS``).
    """
    if transcript_format not in TRANSCRIPT_FORMATS:
        raise ValueError(f"unknown transcript format {transcript_format!r}; choose from {', '.join(TRANSCRIPT_FORMATS)}")
    name = os.fspath(path)
    data = read_transcript_bytes(name)
    suffix = os.path.splitext(name)[1].lower()
    chosen = transcript_format
    if chosen == "docx" or (chosen == "auto" and (data.startswith(_ZIP_MAGIC) or suffix == ".docx")):
        return parse_docx(data, path=name)
    text = decode_transcript(data, name)
    if chosen == "auto":
        chosen = _detect_text(suffix, text)
    if chosen == "vtt":
        return parse_vtt_text(text, path=name)
    if chosen == "srt":
        return parse_srt_text(text, path=name)
    if chosen == "timestamped":
        return parse_timestamped_text(text, path=name, markdown=suffix in _MARKDOWN_SUFFIXES)
    return parse_transcript_text(text, path=name, markdown=chosen == "markdown")
