"""Podcasting 2.0 chapters JSON from the transcript's section headings.

A transcript often marks its parts with headings inside the body
(``## Part two: memory``). Each such heading becomes a chapter that starts
at the first timed word after it, so podcast apps can show and jump to the
parts. The format is the podcast namespace's JSON chapters spec, version
1.2 (``docs/examples/chapters/jsonChapters.md`` in
Podcastindex-org/podcast-namespace)::

    {"version": "1.2.0", "fileName": "episode.mp3",
     "chapters": [{"startTime": 41.2, "title": "Part two: memory"}]}

Which headings count: a Markdown heading line that is not a speaker label
(``Token.is_section_title``) and whose next paragraph with words is spoken
body text, possibly after speaker labels. That keeps the episode title out
(a dek, byline or disclaimer follows it), and a heading in the closing
matter (nothing spoken follows). A heading right before the first turn
(``## Part one`` then ``### Jane Miller``) counts. A heading followed
directly by another section heading gives way to it (chapters are flat).

Its time: the start of the first word after it that has a time (matched or
interpolated), before the next section heading. A part whose words are all
missing from the audio has no time and no chapter. Chapter times never go
backwards, because word times do not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.options import OutputOptions
from aligner.timecode import ms_to_seconds
from aligner.types import Result, TimedWord, TokenKind

__all__ = ["CHAPTERS_VERSION", "Chapter", "find_chapters", "render_chapters"]

CHAPTERS_VERSION = "1.2.0"


@dataclass(frozen=True, slots=True)
class Chapter:
    """One section of the episode: its heading's text and where it starts."""

    title: str
    start_ms: int
    heading_word: int  # index into Result.words of the heading's first token
    first_word: int  # index of the word that gives the start


def _headings(words: Sequence[TimedWord]) -> list[tuple[int, int]]:
    """(first, stop) index ranges of each section-title paragraph."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        token = words[i].token
        if not token.is_section_title:
            i += 1
            continue
        stop = i + 1
        while (
            stop < len(words) and words[stop].token.is_section_title and words[stop].token.paragraph == token.paragraph
        ):
            stop += 1
        spans.append((i, stop))
        i = stop
    return spans


def find_chapters(words: Sequence[TimedWord]) -> list[Chapter]:
    """The chapters of a transcript, in order (see the module docstring).

    Args:
        words: ``Result.words``, every token in transcript order.
    """
    spans = _headings(words)
    chapters: list[Chapter] = []
    for k, (first, stop) in enumerate(spans):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(words)
        body = [i for i in range(stop, end) if words[i].token.kind is TokenKind.WORD]
        if not body or words[body[0]].token.is_heading:
            continue  # the title (a dek or byline follows) or closing matter: not a part of the episode
        timed = next(
            ((i, ms) for i in body if not words[i].token.is_heading and (ms := words[i].start_ms) is not None),
            None,
        )
        if timed is None:
            continue
        index, start_ms = timed
        if chapters and start_ms < chapters[-1].start_ms:  # times never go back; keep the file sorted regardless
            start_ms = chapters[-1].start_ms
        title = " ".join(words[i].token.text for i in range(first, stop))
        chapters.append(Chapter(title=title, start_ms=start_ms, heading_word=first, first_word=index))
    return chapters


def render_chapters(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render the chapters JSON; ``chapters`` is empty when the body has no section headings.

    Args:
        result: the timed words (the headings are among them).
        output: unused; chapters have no options.
    """
    document = {
        "version": CHAPTERS_VERSION,
        "fileName": os.path.basename(result.audio_path),
        "chapters": [
            {"startTime": ms_to_seconds(chapter.start_ms), "title": chapter.title}
            for chapter in find_chapters(result.words)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
