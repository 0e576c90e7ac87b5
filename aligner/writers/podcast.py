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
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


def _url(base_url: str | None, path: Path) -> str:
    name = quote(path.name)
    if not base_url:
        return name
    return base_url.rstrip("/") + "/" + name


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
            the file name (percent-encoded). None writes the bare file name,
            to be completed by hand.
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
