"""Podcasting 2.0 outputs: the JSON transcript and the RSS ``<podcast:transcript>`` lines.

The podcast namespace (podcastindex.org/namespace/1.0) lets a feed link an
episode's transcripts with ``<podcast:transcript url type language rel>``;
its transcript spec (``docs/examples/transcripts/transcripts.md`` in
Podcastindex-org/podcast-namespace) defines a JSON form::

    {"version": "1.0.0",
     "segments": [{"speaker": "Jane Miller", "startTime": 0.82, "endTime": 7.2,
                   "body": "Hello and welcome to “Brain Talk.” This is episode 193, ..."}]}

Times are seconds (we write millisecond precision). We write one segment per
caption cue, so apps show the same text in the same pieces as the captions,
or, with ``OutputOptions.podcast_words``, one segment per timed word, which
the spec names as its most precise form ("it enables word-by-word
highlighting"). ``speaker`` is left out where nobody is named (a transcript
without speaker labels); ``endTime`` is "if available" in the spec, and ours
always is. Words with no time (not in the audio) are in no segment, as they
are in no cue.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from aligner.options import OutputOptions
from aligner.timecode import ms_to_seconds
from aligner.types import Result, TokenKind

__all__ = [
    "CHAPTERS_TYPE",
    "PODCAST_TRANSCRIPT_VERSION",
    "TRANSCRIPT_TYPES",
    "podcast_segments",
    "render_podcast",
    "render_rss_snippet",
]

PODCAST_TRANSCRIPT_VERSION = "1.0.0"

TRANSCRIPT_TYPES: dict[str, str] = {
    "vtt": "text/vtt",
    "srt": "application/x-subrip",
    "podcast": "application/json",
}
"""Our formats a feed can link as ``<podcast:transcript>``, with their MIME types (from the tag's spec)."""

CHAPTERS_TYPE = "application/json+chapters"
"""The type the chapters spec asks for, used in ``<podcast:chapters>``."""


def podcast_segments(result: Result, *, per_word: bool) -> list[dict[str, Any]]:
    """The ``segments`` array: one per cue, or one per timed word."""
    segments: list[dict[str, Any]] = []
    if per_word:
        for word in result.words:
            if word.token.kind is not TokenKind.WORD or word.start_ms is None or word.end_ms is None:
                continue
            segments.append(_segment(word.token.speaker, word.start_ms, word.end_ms, word.token.text))
    else:
        for cue in result.cues:
            segments.append(_segment(cue.speaker, cue.start_ms, cue.end_ms, " ".join(cue.lines)))
    return segments


def _segment(speaker: str | None, start_ms: int, end_ms: int, body: str) -> dict[str, Any]:
    segment: dict[str, Any] = {}
    if speaker is not None and speaker.strip():
        segment["speaker"] = " ".join(speaker.split())
    segment["startTime"] = ms_to_seconds(start_ms)
    segment["endTime"] = ms_to_seconds(max(end_ms, start_ms))
    segment["body"] = body
    return segment


def render_podcast(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render the Podcasting 2.0 JSON transcript (see the module docstring).

    Args:
        result: the cues and words.
        output: ``podcast_words`` for one segment per word.
    """
    document = {
        "version": PODCAST_TRANSCRIPT_VERSION,
        "segments": podcast_segments(result, per_word=output.podcast_words),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URL_PATH_SAFE = "/:@!$&'()*+,;=~%"  # RFC 3986 path characters, and % for what is encoded already


def _url(base_url: str | None, path: Path) -> str:
    """The file's URL: the base URL as :func:`_encoded_base` leaves it, a slash, the file name percent-encoded.

    A file name is always raw text ("my episode #1.vtt", "café.srt"), so
    every character of it that a URL path cannot hold is encoded, ``%`` too.
    """
    name = quote(path.name, safe="")
    if not base_url:
        return name
    return _encoded_base(base_url).rstrip("/") + "/" + name


def _encoded_base(base_url: str) -> str:
    """A base URL as typed, made a valid URL without encoding twice.

    Spaces, non-ASCII letters and other characters a URL cannot hold are
    percent-encoded (a non-ASCII host name becomes its IDNA form); what is
    encoded already (``%20``) and the URL's own syntax (``/``, ``:``, ``?``,
    ``&``, ``=``) are kept. A ``#`` is encoded too: the file name is
    appended to the base, so a ``#`` there is part of a folder name, never
    the start of a fragment.
    """
    parts = urlsplit(base_url.strip())
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:
            netloc = quote(netloc, safe=":@[]%")
    path, query = parts.path, parts.query
    if "#" in base_url:  # put back where it was typed, to be encoded with it
        if query or base_url.split("#", 1)[0].endswith("?"):
            query += "#" + parts.fragment
        else:
            path += "#" + parts.fragment
    path = _LONE_PERCENT.sub("%25", quote(path, safe=_URL_PATH_SAFE))
    query = _LONE_PERCENT.sub("%25", quote(query, safe=_URL_PATH_SAFE + "?"))
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def render_rss_snippet(files: Sequence[tuple[str, Path]], *, base_url: str | None, language: str | None) -> str:
    """The feed lines that link the written files to the episode, one per line.

    A ``<podcast:transcript>`` for each VTT, SRT and Podcasting 2.0 JSON file
    (all carry times, so each is marked ``rel="captions"``) and a
    ``<podcast:chapters>`` for a chapters file; other formats (our own JSON,
    the review page, editor formats) are not for listeners and get no line.

    Args:
        files: (format name, path written) pairs, e.g. from
            :func:`aligner.writers.write_outputs`.
        base_url: where the files will be published, e.g.
            ``https://example.com/episodes/42/``; each URL is the base plus
            the file name, both percent-encoded (a base already encoded,
            ``my%20show``, is kept as it is). None writes the bare file
            name, to be completed by hand.
        language: the transcript's language code (``en``); None leaves the
            attribute out, so apps take the feed's ``<language>``.

    Returns:
        The lines, each ending in a newline; empty if no file qualifies.
    """
    lines: list[str] = []
    for name, path in files:
        url = html.escape(_url(base_url, path), quote=True)
        if name in TRANSCRIPT_TYPES:
            attributes = f'url="{url}" type="{TRANSCRIPT_TYPES[name]}"'
            if language:
                attributes += f' language="{html.escape(language, quote=True)}"'
            lines.append(f'<podcast:transcript {attributes} rel="captions" />\n')
        elif name == "chapters":
            lines.append(f'<podcast:chapters url="{url}" type="{CHAPTERS_TYPE}" />\n')
    return "".join(lines)
